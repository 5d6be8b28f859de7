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

/* Renders letter type for "today". Warnings (missing profile fields, deadlines) go to
 * stderr prefixed "billaudit letter -t TYPE: " unless quiet. 0 on success. */
int letter_render(const audit_t *a, const char *type, day_t today, int quiet, sbuf_t *out);

#endif
