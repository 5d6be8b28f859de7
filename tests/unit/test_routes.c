/* The one deadline computation (src/deadline.c) on crafted dates: month ends (CC-202), the
 * operator's 15 days (AP-10(四): C+1 … C+15, appeal from C+16), the five-month and three-year
 * windows, and whether each route can be taken on a given day. */
#include "deadline.h"
#include "unit.h"
#include <stdlib.h>

#define D(y, m, d) days_from_civil(y, m, d)

TEST(months_end_on_the_same_day_or_the_month_end)
{
    CHECK_INT(day_add_months(D(2025, 1, 31), 5), D(2025, 6, 30));
    CHECK_INT(day_add_months(D(2023, 9, 30), 5), D(2024, 2, 29)); /* leap year */
    CHECK_INT(day_add_months(D(2024, 9, 29), 5), D(2025, 2, 28));
    CHECK_INT(day_add_months(D(2025, 8, 31), 5), D(2026, 1, 31)); /* across the year */
    CHECK_INT(day_add_months(D(2025, 10, 31), 4), D(2026, 2, 28));
    CHECK_INT(day_add_months(D(2024, 2, 29), 36), D(2027, 2, 28));
    CHECK_INT(day_add_months(D(2023, 3, 1), 36), D(2026, 3, 1));
}

static complaint_t complaint(day_t date, day_t reply, const char *text)
{
    complaint_t c;
    memset(&c, 0, sizeof c);
    c.to = xstrdup("operator");
    c.date = date;
    c.reply_date = reply;
    c.reply = text ? xstrdup(text) : NULL;
    return c;
}

TEST(fifteen_days_are_calendar_days)
{
    complaint_t c = complaint(D(2025, 1, 31), NO_DAY, NULL);
    CHECK_INT(appeal_from(&c), D(2025, 2, 16));
    c.date = D(2024, 2, 20);
    CHECK_INT(appeal_from(&c), D(2024, 3, 7)); /* 29 February counts */
    c.date = D(2025, 12, 20);
    CHECK_INT(appeal_from(&c), D(2026, 1, 5));
    free(c.to);
}

/* An audit holding money findings with the given billing months (event: the 1st). */
static void with_months(audit_t *a, const ym_t *months, int n)
{
    audit_init(a);
    for (int i = 0; i < n; i++) {
        finding_t f;
        memset(&f, 0, sizeof f);
        f.period = months[i];
        f.amount = 1000;
        f.event = ym_first_day(months[i]);
        f.deadline = day_add_months(f.event, 5);
        VEC_PUSH(a->findings, f);
    }
}

TEST(miit_route_on_crafted_days)
{
    audit_t a;
    ym_t m[] = {ym_make(2025, 1), ym_make(2025, 3)}; /* last days 2025-06-01, 2025-08-01 */
    with_months(&a, m, 2);
    route_t r;

    /* no complaint: refused; complaining today, possible on today+16 while a window holds */
    route_miit(&a, D(2025, 5, 1), &r);
    CHECK_INT(r.state, ROUTE_NO_COMPLAINT);
    CHECK_INT(r.first_possible, D(2025, 5, 17));
    CHECK_INT(r.open_then, 2);
    route_miit(&a, D(2025, 7, 20), &r); /* 07-20 + 16 = 08-05: after the last window */
    CHECK_INT(r.state, ROUTE_NO_COMPLAINT);
    CHECK_INT(r.first_possible, NO_DAY);

    /* complaint on 2025-05-10, unanswered: waiting through 05-25, possible from 05-26 */
    VEC_PUSH(a.acct.complaints, complaint(D(2025, 5, 10), NO_DAY, NULL));
    route_miit(&a, D(2025, 5, 25), &r);
    CHECK_INT(r.state, ROUTE_WAIT);
    CHECK_INT(r.first_possible, D(2025, 5, 26));
    route_miit(&a, D(2025, 5, 26), &r);
    CHECK_INT(r.state, ROUTE_OPEN);
    CHECK_INT(r.open, 2);
    CHECK_INT(r.nearest, D(2025, 6, 1));

    /* the last day of a window is still inside it; the day after is not */
    route_miit(&a, D(2025, 6, 1), &r);
    CHECK_INT(r.open, 2);
    route_miit(&a, D(2025, 6, 2), &r);
    CHECK_INT(r.open, 1);
    CHECK_INT(r.expired, 1);
    CHECK_INT(r.last_closed, D(2025, 6, 1));
    route_miit(&a, D(2025, 8, 2), &r);
    CHECK_INT(r.state, ROUTE_ALL_EXPIRED);
    CHECK_INT(r.first_possible, NO_DAY);

    /* a wait that outlasts every window: never */
    a.acct.complaints.items[0].date = D(2025, 7, 25); /* possible from 08-10 */
    route_miit(&a, D(2025, 7, 30), &r);
    CHECK_INT(r.state, ROUTE_WAIT);
    CHECK_INT(r.first_possible, NO_DAY);
    /* ... unless the operator answered: at once */
    a.acct.complaints.items[0].reply = xstrdup("不予退费");
    a.acct.complaints.items[0].reply_date = D(2025, 7, 28);
    route_miit(&a, D(2025, 7, 30), &r);
    CHECK_INT(r.state, ROUTE_OPEN);
    CHECK_INT(r.first_possible, D(2025, 7, 30));
    audit_free(&a);
}

TEST(three_year_route_on_crafted_days)
{
    audit_t a;
    ym_t m[] = {ym_make(2022, 2)}; /* event 2022-02-01, limit 2025-02-01 */
    with_months(&a, m, 1);
    route_t r;
    route_3y(&a, D(2025, 2, 1), &r);
    CHECK_INT(r.state, ROUTE_OPEN);
    CHECK_INT(r.nearest, D(2025, 2, 1));
    route_3y(&a, D(2025, 2, 2), &r);
    CHECK_INT(r.state, ROUTE_ALL_EXPIRED);
    CHECK_INT(r.last_closed, D(2025, 2, 1));
    /* the reports' 12315 line: the latest when all are over, flagged so */
    deadlines_t dl = {0};
    deadlines_compute(&a, D(2025, 2, 2), &dl);
    int seen = 0;
    for (size_t i = 0; i < dl.n; i++)
        if (dl.items[i].kind == DL_12315) {
            seen = 1;
            CHECK(dl.items[i].all_passed);
            CHECK_INT(dl.items[i].date, D(2025, 2, 1));
        }
    CHECK(seen);
    deadlines_free(&dl);
    audit_free(&a);
}
