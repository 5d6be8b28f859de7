/* price-mismatch: the plan's or a service's recurring charge above its contracted
 * monthly_fee. Discounts of the same class and service count (net charge). */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

/* CPR-12 and TR-40(四) only for a published offer (domain.md §5): billaudit sees none. */
static const char *const basis[] = {"CC-509", "CC-543", "CC-136", "TR-39", "CPL-52", NULL};

static const char *needs(const audit_t *a)
{
    for (size_t i = 0; i < a->acct.services.n; i++)
        if (a->acct.services.items[i].has_fee)
            return NULL;
    return "account.plan.monthly_fee or account.services[].monthly_fee";
}

static void check(audit_t *a, const rsvc_t *sv, int n, int k, ym_t m)
{
    (void)n;
    const rsvc_t *s = &sv[k];
    /* Months claimed by post-cancellation (S's own, or the number's: every line) and
     * suspended months are judged by those rules alone. */
    if (!s->svc || !s->svc->has_fee || rk_after_cancel(s, m) || rk_plan_cancelled(a, m) ||
        rk_suspension(a, s, m))
        return;
    fen_t charge;
    if (rk_unused(a, s, m, &charge) || charge <= s->svc->monthly_fee)
        return;
    finding_t *f = finding_new(a, "price-mismatch");
    rk_sum(a, s->link, CL_RECURRING, m, f);
    char mon[16], amt[32], fee[32], diff[32];
    money_fmt(s->svc->monthly_fee, fee);
    rk_service_evidence(a, f, s, "monthly_fee", NULL);
    rk_fee_support(a, f, s, m);
    rk_contract_support(a, f, s, 1, 0);
    finding_statement(f, "“%s”约定月费%s元", s->name, fee);
    f->period = m;
    f->amount = charge;
    fen_sub(&f->amount, s->svc->monthly_fee); /* an overflowed charge stays so */
    f->service = xstrdup(s->name);
    ym_fmt(m, mon), money_fmt(charge, amt), money_fmt(f->amount, diff);
    char *t = xasprintf("%s月费高于约定资费", s->name);
    char *e = xasprintf("“%s”约定月费%s元%s，%s实收%s元，多收%s元。", s->name, fee,
                        f->support.n ? "，运营商此前的账单或合同载明该月费" : "", mon, amt, diff);
    char *r = xasprintf("要求按约定资费%s元收取，退还%s多收的%s元", fee, mon, diff);
    rk_texts(f, t, e, "price-mismatch", r);
    free(t), free(e), free(r);
}

static void run(audit_t *a)
{
    rk_each_service_month(a, check);
}

const rule_t rule_price_mismatch = {
    "price-mismatch",
    "price-mismatch",
    "high",
    "a plan or service's recurring charge above its contracted monthly_fee",
    basis,
    needs,
    run,
};
