/* usage-mismatch: a month's billed voice/data/SMS charges above the itemised
 * records' fees by more than 1.00 yuan, in a month the itemised log covers. */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

static const char *const basis[] = {"TR-33", "TR-39", "CPL-10", "CPL-52", NULL};
#define TOLERANCE_FEN 100

static const struct {
    ukind_t kind;
    bill_class_t cls;
    const char *name;
} kinds[] = {{U_VOICE, CL_VOICE, "通话"}, {U_DATA, CL_DATA, "上网流量"}, {U_SMS, CL_SMS, "短彩信"}};

static void check(audit_t *a, int k, ym_t m)
{
    if (!usage_covered(a, kinds[k].kind, m) || rk_plan_cancelled(a, m))
        return;
    fen_t billed = rk_class_sum(a, kinds[k].cls, m, NULL), itemised = 0;
    usage_count(a, kinds[k].kind, m, &itemised);
    fen_t over = billed;
    if (fen_sub(&over, itemised) == 0 && over <= TOLERANCE_FEN)
        return; /* an overflowed sum goes on: findings_finish reports it */
    finding_t *f = finding_new(a, "usage-mismatch");
    rk_class_sum(a, kinds[k].cls, m, f);
    coverage_evidence(a, kinds[k].kind, m, f);
    char mon[16], b[32], it[32], diff[32];
    f->period = m;
    f->amount = over;
    f->service = xstrdup(kinds[k].name);
    ym_fmt(m, mon), money_fmt(billed, b), money_fmt(itemised, it), money_fmt(f->amount, diff);
    char *t = xasprintf("%s%s费与详单不符", mon, kinds[k].name);
    long n = usage_count(a, kinds[k].kind, m, NULL);
    char *e = xasprintf("%s账单收取%s费%s元，而运营商覆盖整月的%s详单共%ld条记录，费用逐条合计"
                        "只有%s元，相差%s元。",
                        mon, kinds[k].name, b, kinds[k].name, n, it, diff);
    char *r = xasprintf("要求免费提供%s收费清单并说明差额，退还多收的%s元", mon, diff);
    rk_texts(f, t, e, "usage-mismatch", r);
    free(t), free(e), free(r);
}

static void run(audit_t *a)
{
    ym_t months[600];
    int nm = rk_months(a, months, 600);
    for (int i = 0; i < nm; i++)
        for (int k = 0; k < 3; k++)
            check(a, k, months[i]);
}

const rule_t rule_usage_mismatch = {
    "usage-mismatch",
    "usage-mismatch",
    "medium",
    "billed voice/data/SMS charges above the itemised records' fees by more than 1.00 yuan",
    basis,
    NULL,
    run,
};
