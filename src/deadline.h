/* The dates of a dispute: when an MIIT appeal becomes possible, when the five-month
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
    int all_passed;       /* DL_12315, DL_COURT: every finding's 3 years are over (date: the
                             last of them) */
} deadline_t;
typedef VEC(deadline_t) deadlines_t;

/* All deadlines of the audit, nearest first (ties: the order of dl_kind_t). The 12315 and
 * court limits are those of the earliest finding; given a today (not NO_DAY), of the
 * earliest finding whose limit has not passed yet (the latest passed one when all have). */
void deadlines_compute(const audit_t *a, day_t today, deadlines_t *out);
void deadlines_free(deadlines_t *d);

/* Whether a route can be taken today : the one computation the
 * reports, JSON and letters all read. */
typedef enum {
    ROUTE_OPEN,         /* fileable today */
    ROUTE_NO_MONEY,     /* no fee dispute to file */
    ROUTE_ALL_EXPIRED,  /* every finding is past the window */
    ROUTE_NO_COMPLAINT, /* MIIT: no operator complaint on record (AP-10(四), AP-13) */
    ROUTE_WAIT          /* MIIT: the operator's 15 days have not passed, no reply */
} route_state_t;

typedef struct {
    route_state_t state;
    day_t first_possible; /* the first day it can be taken (today when open); NO_DAY
                             when never: every window closes before */
    long open, expired;   /* money findings inside / past the window today */
    fen_t open_total, expired_total;
    day_t nearest;     /* the earliest last day still ahead or today, NO_DAY */
    day_t last_closed; /* the latest last day already passed, NO_DAY */
    long open_then;    /* findings still inside the window on first_possible */
    day_t appeal_from; /* MIIT: C+16 or the reply date, NO_DAY */
} route_t;

/* MIIT appeal (AP-10, AP-11(一)): a finding inside its five-month window, an operator
 * complaint on record, its 15 days passed or a reply received. */
void route_miit(const audit_t *a, day_t today, route_t *r);
/* 12315 / court: a finding inside its three years. With no money
 * finding but contract terms, 12315 is open (a term has no event date). */
void route_3y(const audit_t *a, day_t today, route_t *r);
/* The three-year limit of a money finding (event + 36 months), NO_DAY when none. */
day_t finding_limit_3y(const finding_t *f);

/* The operator complaint the letters and the wait rule use: the latest dated one with
 * to = "operator"; NULL when none. */
const complaint_t *operator_complaint(const account_t *acct);
/* First day an MIIT appeal is possible after complaint c (AP-10(四)): the reply date
 * when a reply is recorded with its date, else C + 16. NO_DAY when c has no date, or a
 * reply without a date (the appeal is possible at once). */
day_t appeal_from(const complaint_t *c);
/* Did the operator answer complaint c? */
int complaint_answered(const complaint_t *c);

/* Today in China: the --as-of date, else $BILLAUDIT_TODAY (YYYY-MM-DD; tests pin it),
 * else the date part of $BILLAUDIT_NOW, else the clock at UTC+8. Every command asks
 * here, so reports, letters, deadlines and cron agree on the day. */
day_t billaudit_today(void);
/* --as-of YYYY-MM-DD: 0 when s is a real date (then billaudit_today() returns it). */
int billaudit_set_as_of(const char *s);
/* 1 when --as-of was given: the outputs then say "as of" instead of "generated". */
int billaudit_as_of_given(void);
/* "YYYY-MM-DD" -> day; 0 on success. */
int day_parse(const char *s, day_t *out);

#endif
