/* The dates of domain.md §3: when an MIIT appeal becomes possible, when the five-month
 * fee-dispute window closes, the 12315 and court limits; and "today". */
#ifndef BILLAUDIT_DEADLINE_H
#define BILLAUDIT_DEADLINE_H
#include "audit.h"

typedef enum { DL_APPEAL_FROM, DL_MIIT, DL_12315, DL_COURT } dl_kind_t;

typedef struct {
    dl_kind_t kind;
    day_t date;
    const char *what;     /* English, for the JSON `deadlines[].what` */
    const char *basis;    /* as printed */
    const char *law_id;   /* law table id for an appendix; NULL when the text is unverified */
    VEC(size_t) findings; /* DL_MIIT: indices into audit_t.findings with this date */
    long passed;          /* DL_12315, DL_COURT with a today: findings whose 3 years are over */
} deadline_t;
typedef VEC(deadline_t) deadlines_t;

/* All deadlines of the audit, nearest first (ties: the order of dl_kind_t). The 12315 and
 * court limits are those of the earliest finding; given a today (not NO_DAY), of the
 * earliest finding whose limit has not passed yet (the latest passed one when all have). */
void deadlines_compute(const audit_t *a, day_t today, deadlines_t *out);
void deadlines_free(deadlines_t *d);

/* The operator complaint the letters and the wait rule use: the latest dated one with
 * to = "operator"; NULL when none. */
const complaint_t *operator_complaint(const account_t *acct);
/* First day an MIIT appeal is possible after complaint c (AP-10(四)): the reply date
 * when a reply is recorded with its date, else C + 16. NO_DAY when c has no date, or a
 * reply without a date (the appeal is possible at once). */
day_t appeal_from(const complaint_t *c);
/* Did the operator answer complaint c? */
int complaint_answered(const complaint_t *c);

/* Today in China: $BILLAUDIT_TODAY (YYYY-MM-DD; tests pin it), else the date part of
 * $BILLAUDIT_NOW, else the clock at UTC+8. */
day_t billaudit_today(void);
/* "YYYY-MM-DD" -> day; 0 on success. */
int day_parse(const char *s, day_t *out);

#endif
