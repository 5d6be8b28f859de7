/* The cron state file (schema billaudit/state/v1): the finding ids already reported,
 * with the day each was first seen, so `billaudit cron` reports only what is new; and,
 * in the optional "data_problems" object (absent in files of earlier versions), the data
 * problems already reported, keyed by their "path:line: message" text.
 * The file is never reset behind the user's back: anything it cannot read is an error
 * and the file is left as it was. */
#ifndef BILLAUDIT_STATE_H
#define BILLAUDIT_STATE_H
#include "audit.h"

#define STATE_SCHEMA "billaudit/state/v1"

typedef struct state state_t;

/* One recorded finding, as stored (strings are owned by the state; NULL when absent). */
typedef struct {
    const char *id, *category, *period, *title, *first_seen, *resolved;
    fen_t amount;
    int has_amount;
} state_entry_t;

/* $XDG_STATE_HOME/billaudit/state.json, else ~/.local/state/billaudit/state.json;
 * NULL when no home directory can be found. Caller frees. */
char *state_default_path(void);

/* Creates the directory that will hold path, with its parents (mkdir -p). 0 on success. */
int state_make_dir(const char *path, char *msg, size_t msglen);

/* The file the state path names: a symbolic link (also a dangling one) is followed to
 * its target, relative targets from the link's directory, so the link stays in place
 * and the lock is the target's. Other paths come back as given. Caller frees; NULL with
 * msg when the links loop. */
char *state_resolve(const char *path, char *msg, size_t msglen);

/* Takes the advisory lock on "path.lock", polling for up to wait_ms. Returns the lock
 * descriptor (close it to unlock), -1 with msg on failure or time-out. */
int state_lock(const char *path, long wait_ms, char *msg, size_t msglen);

/* Reads the state; a missing file gives an empty state. NULL with msg ("path:line: what"
 * or "path: what") when the file is unreadable, not JSON, not a state file, or written
 * by another version of billaudit. */
state_t *state_load(const char *path, char *msg, size_t msglen);
void state_free(state_t *s);
/* Did the file exist when it was loaded? */
int state_existed(const state_t *s);

/* Looks up id; 1 and *e filled when recorded, else 0. */
int state_find(const state_t *s, const char *id, state_entry_t *e);
size_t state_count(const state_t *s);
/* The i-th recorded finding, in file order. */
void state_entry(const state_t *s, size_t i, state_entry_t *e);

/* Records f as seen on day today; a finding marked resolved becomes current again
 * (its first_seen is kept). */
void state_record(state_t *s, const finding_t *f, day_t today);
/* Marks a recorded finding resolved on day today (reported once). */
void state_mark_resolved(state_t *s, const char *id, day_t today);

/* Has this data problem (its "path:line: message" text) been reported? */
int state_problem_seen(const state_t *s, const char *text);
/* Records a data problem as reported on day today. */
void state_record_problem(state_t *s, const char *text, day_t today);

/* Writes the state atomically (temp file beside it, fsync, rename, fsync of the
 * directory). -1 with errno on failure; the old file is then untouched.
 * BILLAUDIT_FAIL_WRITE=1 in the environment simulates a failed write (tests). */
int state_save(const state_t *s, const char *path);

#endif
