/* excessive-penalty: a penalty charged after the contract term ended, or above 30 %
 * of the fees that remained in the term. The 30 % is a trigger, not the legal test
 * (domain.md §0.8: SPC-C65 measures against the loss); worded as a request to reduce. */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

static const char *const basis[] = {"CC-585", "SPC-C65", "CC-497", "CPL-16", "TR-39", NULL};

static const char *needs(const audit_t *a)
{
    for (size_t i = 0; i < a->acct.services.n; i++)
        if (a->acct.services.items[i].end != NO_DAY)
            return NULL;
    return "account.plan.end or account.services[].end (contract term)";
}

static void report(audit_t *a, const rsvc_t *s, const bill_line_t *b, fen_t amount, fen_t cap)
{
    finding_t *f = finding_new(a, "excessive-penalty");
    finding_evidence(f, &b->prov);
    char end[16], mon[16], pen[32], c[32], amt[32];
    day_fmt(s->svc->end, end);
    rk_service_evidence(a, f, s, "end", end);
    f->period = b->period;
    f->amount = amount;
    f->service = xstrdup(s->name);
    ym_fmt(b->period, mon), money_fmt(b->amount, pen), money_fmt(cap, c), money_fmt(amount, amt);
    char *t, *e, *r;
    if (cap < 0) {
        t = xasprintf("%s合约期满后仍收取违约金", s->name);
        e = xasprintf("“%s”合约期至%s止，%s却收取违约金%s元；合约期满后解约不应承担违约责任。",
                      s->name, end, mon, pen);
        r = xasprintf("要求退还违约金%s元", pen);
    } else {
        char cancelled[16];
        day_fmt(s->svc->cancelled, cancelled);
        rk_service_evidence(a, f, s, "cancelled", cancelled);
        rk_service_evidence(a, f, s, "monthly_fee", NULL);
        t = xasprintf("%s提前解约违约金过高", s->name);
        e = xasprintf("%s收取“%s”违约金%s元，超过合约剩余月费的30%%（%s元）；约定违约金过分高于"
                      "造成的损失的，可以请求适当减少。",
                      mon, s->name, pen, c);
        r = xasprintf("请求将违约金减至%s元以内，退还超出部分%s元", c, amt);
    }
    rk_texts(f, t, e, r);
    free(t), free(e), free(r);
}

static void check(audit_t *a, const rsvc_t *s, const bill_line_t *b)
{
    const service_t *v = s->svc;
    if (!v || v->end == NO_DAY || b->amount <= 0)
        return;
    ym_t end = ym_of_day(v->end);
    if (b->period > end) {
        report(a, s, b, b->amount, -1);
        return;
    }
    if (v->cancelled == NO_DAY || !v->has_fee)
        return;
    ym_t c = ym_of_day(v->cancelled);
    int64_t months = end > c ? end - c : 0;
    fen_t cap = v->monthly_fee * months * 3 / 10;
    if (b->amount > cap)
        report(a, s, b, b->amount - cap, cap);
}

static void run(audit_t *a)
{
    rsvc_t sv[64];
    int n = rk_services(a, sv, 64);
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!bill_counts(b) || b->cls != CL_PENALTY)
            continue;
        for (int k = 0; k < n; k++)
            if (sv[k].link == b->service)
                check(a, &sv[k], b);
    }
}

const rule_t rule_excessive_penalty = {
    "excessive-penalty",
    "excessive-penalty",
    "medium",
    "a penalty after the contract term, or above 30 % of the fees remaining in the term",
    basis,
    needs,
    run,
};
