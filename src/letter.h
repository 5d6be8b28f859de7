/* Complaint letters (src/templates/letter-*.txt): to the operator, to the MIIT telecom
 * user appeal body, to 12315. */
#ifndef BILLAUDIT_LETTER_H
#define BILLAUDIT_LETTER_H
#include "audit.h"

/* The letter types, NULL-terminated: "operator", "miit", "12315". */
extern const char *const letter_types[];
int letter_known(const char *type);

/* Fills the number, operator and holder name the profile lacks from what the files say (as
 * `billaudit init` infers them). Each value taken is noted on stderr as "WHO: ..." unless
 * who is NULL. */
void letter_identity(audit_t *a, const char *who);

/* May letter type be filed today? The operator letter always; the MIIT appeal with
 * a finding inside its five months, an operator complaint on record and its 15 days passed
 * (or a reply); 12315 with a finding inside its three years. */
typedef struct {
    int fileable;
    day_t first_possible; /* NO_DAY: never (every window closes first) */
    char reason[640];     /* why not, and the first possible date, for stderr */
} letter_gate_t;
void letter_gate(const audit_t *a, const char *type, day_t today, letter_gate_t *g);

/* Renders letter type for "today"; draft: marked 草稿，不可提交 on every page, no signature
 * block. Warnings (missing profile fields, deadlines) go to stderr prefixed "WHO: " (the
 * command the user ran, and the file when it is one of several), none when who is NULL.
 * 0 on success. */
int letter_render(const audit_t *a, const char *type, day_t today, int draft, const char *who,
                  sbuf_t *out);

#endif
