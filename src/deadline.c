/* Deadline arithmetic: the MIIT appeal, the fee-dispute window, 12315. Month periods follow CC-202
 * (day_add_months); no date is moved for holidays: the conservative reading. */
#include "deadline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int day_parse(const char *s, day_t *out)
{
    int y, m, d;
    char extra;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || y < 1900 || y > 2200 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    day_t v = days_from_civil(y, m, d);
    int y2, m2, d2;
    civil_from_days(v, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        return -1; /* 2025-02-30 */
    *out = v;
    return 0;
}

/* --as-of (src/cli.c): the one "today" every report, letter and deadline reads. */
static day_t as_of = NO_DAY;

int billaudit_set_as_of(const char *s)
{
    day_t d;
    /* Exactly YYYY-MM-DD: a command line that means another day must not pass. */
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || day_parse(s, &d) != 0)
        return -1;
    as_of = d;
    return 0;
}

int billaudit_as_of_given(void)
{
    return as_of != NO_DAY;
}

day_t billaudit_today(void)
{
    day_t d;
    if (as_of != NO_DAY)
        return as_of;
    const char *t = getenv("BILLAUDIT_TODAY");
    if (t && *t) {
        if (day_parse(t, &d) == 0)
            return d;
        fprintf(
            stderr,
            "billaudit: BILLAUDIT_TODAY=\"%s\" is not a date like 2025-06-10; using the clock\n",
            diag_quote(t));
    }
    const char *now = getenv("BILLAUDIT_NOW");
    if (now && strlen(now) >= 10) {
        char buf[11];
        memcpy(buf, now, 10);
        buf[10] = 0;
        if (day_parse(buf, &d) == 0)
            return d;
    }
    time_t clock = time(NULL) + 8 * 3600; /* China time, whatever the machine's zone */
    return (day_t)(clock / 86400);
}

int complaint_answered(const complaint_t *c)
{
    return (c->reply && *c->reply) || c->reply_date != NO_DAY;
}

const complaint_t *operator_complaint(const account_t *acct)
{
    const complaint_t *best = NULL;
    for (size_t i = 0; i < acct->complaints.n; i++) {
        const complaint_t *c = &acct->complaints.items[i];
        if (!c->to || strcmp(c->to, "operator"))
            continue;
        if (!best || (c->date != NO_DAY && (best->date == NO_DAY || c->date >= best->date)))
            best = c;
    }
    return best;
}

day_t appeal_from(const complaint_t *c)
{
    if (complaint_answered(c))
        return c->reply_date; /* NO_DAY when the reply has no date: possible at once */
    if (c->date == NO_DAY)
        return NO_DAY;
    return c->date + 16; /* C+1 … C+15 are the operator's 15 calendar days */
}

static deadline_t *dl_push(deadlines_t *out, dl_kind_t kind, day_t date)
{
    static const struct {
        const char *what, *basis, *law;
    } kinds[] = {
        [DL_APPEAL_FROM] =
            {"MIIT appeal possible from (15 days after the operator complaint, or its reply)",
             "《电信用户申诉处理办法》第十条第（四）项", "AP-10"},
        [DL_MIIT] = {"MIIT appeal (fee dispute) must be filed by",
                     "《电信用户申诉处理办法》第十一条第（一）项", "AP-11"},
        [DL_12315] = {"12315 complaint must be filed by (3 years from when the charge was known)",
                      "《市场监督管理投诉举报处理办法》", NULL},
        [DL_COURT] = {"court limitation period ends (3 years; information)",
                      "《中华人民共和国民法典》第一百八十八条", "CC-188"},
    };
    deadline_t d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.date = date;
    d.what = kinds[kind].what;
    d.basis = kinds[kind].basis;
    d.law_id = kinds[kind].law;
    VEC_PUSH(*out, d);
    return &out->items[out->n - 1];
}

static int dl_cmp(const void *x, const void *y)
{
    const deadline_t *a = x, *b = y;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

/* One MIIT entry per distinct last filing day, listing its findings. */
static void miit_windows(const audit_t *a, deadlines_t *out)
{
    size_t first = out->n;
    for (size_t i = 0; i < a->findings.n; i++) {
        day_t d = a->findings.items[i].deadline;
        if (d == NO_DAY)
            continue;
        deadline_t *e = NULL;
        for (size_t k = first; k < out->n && !e; k++)
            if (out->items[k].date == d)
                e = &out->items[k];
        if (!e)
            e = dl_push(out, DL_MIIT, d);
        VEC_PUSH(e->findings, i);
    }
}

day_t finding_limit_3y(const finding_t *f)
{
    if (f->deadline == NO_DAY || f->event == NO_DAY)
        return NO_DAY;
    return day_add_months(f->event, 36); /* 29 Feb -> 28 Feb by CC-202 */
}

/* K + 3 years of §3.4/§3.5 over the money findings: the earliest still ahead, else (all
 * over) the latest, *all_passed set. */
static day_t three_years(const audit_t *a, day_t today, long *passed, int *all_passed)
{
    day_t best = NO_DAY, latest_passed = NO_DAY;
    *passed = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        day_t d = finding_limit_3y(&a->findings.items[i]);
        if (d == NO_DAY)
            continue;
        if (today != NO_DAY && d < today) {
            (*passed)++;
            if (latest_passed == NO_DAY || d > latest_passed)
                latest_passed = d;
            continue;
        }
        if (best == NO_DAY || d < best)
            best = d;
    }
    *all_passed = best == NO_DAY && latest_passed != NO_DAY;
    return best != NO_DAY ? best : latest_passed;
}

void deadlines_compute(const audit_t *a, day_t today, deadlines_t *out)
{
    const complaint_t *c = operator_complaint(&a->acct);
    if (c) {
        day_t from = appeal_from(c);
        if (from != NO_DAY)
            dl_push(out, DL_APPEAL_FROM, from);
    }
    miit_windows(a, out);
    long passed;
    int all;
    day_t limit = three_years(a, today, &passed, &all);
    if (limit != NO_DAY) {
        deadline_t *x = dl_push(out, DL_12315, limit);
        x->passed = passed, x->all_passed = all;
        x = dl_push(out, DL_COURT, limit);
        x->passed = passed, x->all_passed = all;
    }
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, dl_cmp);
}

void deadlines_free(deadlines_t *d)
{
    for (size_t i = 0; i < d->n; i++)
        VEC_FREE(d->items[i].findings);
    VEC_FREE(*d);
}

/* ---- routes ---- */

typedef day_t (*limit_fn)(const finding_t *f);

static day_t miit_limit(const finding_t *f)
{
    return f->deadline;
}

/* Counts of the money findings against their last days as of today, and how many are
 * still open on day from. */
static void route_count(const audit_t *a, day_t today, limit_fn limit, day_t from, route_t *r)
{
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        day_t d = limit(f);
        if (f->period == NO_YM || d == NO_DAY)
            continue;
        if (d >= today) {
            r->open++;
            fen_add(&r->open_total, f->amount);
            if (r->nearest == NO_DAY || d < r->nearest)
                r->nearest = d;
        } else {
            r->expired++;
            fen_add(&r->expired_total, f->amount);
            if (r->last_closed == NO_DAY || d > r->last_closed)
                r->last_closed = d;
        }
        if (from != NO_DAY && d >= from)
            r->open_then++;
    }
}

static void route_init(route_t *r)
{
    memset(r, 0, sizeof *r);
    r->first_possible = r->nearest = r->last_closed = r->appeal_from = NO_DAY;
}

void route_miit(const audit_t *a, day_t today, route_t *r)
{
    route_init(r);
    const complaint_t *c = operator_complaint(&a->acct);
    /* The first day the wait allows: today for an answered complaint, C+16 for one that is
     * waiting, and for none the 16th day after a complaint made today. */
    day_t from = today;
    if (!c)
        from = today + 16;
    else if (!complaint_answered(c) && c->date == NO_DAY)
        from = today; /* undated: the letter asks for the date; the wait cannot be known */
    else {
        r->appeal_from = appeal_from(c);
        if (r->appeal_from != NO_DAY && r->appeal_from > today)
            from = r->appeal_from;
    }
    route_count(a, today, miit_limit, from, r);
    r->first_possible = r->open_then ? from : NO_DAY;
    if (!r->open && !r->expired)
        r->state = ROUTE_NO_MONEY;
    else if (!r->open)
        r->state = ROUTE_ALL_EXPIRED;
    else if (!c)
        r->state = ROUTE_NO_COMPLAINT;
    else if (from > today)
        r->state = ROUTE_WAIT;
    else
        r->state = ROUTE_OPEN;
}

void route_3y(const audit_t *a, day_t today, route_t *r)
{
    route_init(r);
    route_count(a, today, finding_limit_3y, today, r);
    long terms = 0;
    for (size_t i = 0; i < a->findings.n; i++)
        terms += a->findings.items[i].period == NO_YM;
    if (r->open || (!r->expired && terms))
        r->state = ROUTE_OPEN;
    else if (r->expired)
        r->state = ROUTE_ALL_EXPIRED;
    else
        r->state = ROUTE_NO_MONEY;
    r->first_possible = r->state == ROUTE_OPEN ? today : NO_DAY;
}
