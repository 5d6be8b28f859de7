/* The data problems an audit meets: rejected rows, files that could not be read or were
 * skipped, warnings. `audit` prints them on stderr; cron collects them here so it can
 * report each one once, like a finding, instead of hiding them or repeating them. */
#ifndef BILLAUDIT_PROBLEMS_H
#define BILLAUDIT_PROBLEMS_H
#include "audit.h"

/* At most this many diagnostics are kept per file; the rest become one summary line,
 * so a file of junk cannot flood a mail or grow the state without bound. */
#define PROBLEMS_PER_FILE 20

typedef struct {
    const char *kind; /* "diagnostic", "skipped" or "warning" */
    char *path;
    long line; /* 0 when the problem has no line */
    char *message;
    char *text; /* "path:line: message", one line of valid UTF-8 (name_shown): the state key */
} problem_t;

/* Diagnostics kept and left out for one file. */
struct problem_count {
    char *path;
    long kept, dropped;
};

typedef struct {
    VEC(problem_t) items;
    VEC(struct problem_count) per_file;
} problems_t;

/* Sends diagnostics into p instead of stderr until problems_uncapture. */
void problems_capture(problems_t *p);
void problems_uncapture(void);
/* Adds what the audit recorded itself: files skipped in scanned folders (not the account
 * profile), warnings, and a summary line for each file with diagnostics left out. */
void problems_add_audit(problems_t *p, const audit_t *a);
void problems_free(problems_t *p);

#endif
