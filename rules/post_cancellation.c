/* post-cancellation: charges for a service in a month after the month in which
 * its cancellation was requested (spec §4.1). Penalties are excessive-penalty's. */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

/* CPL-53 / CPR-22 only with a prepaid balance shown (domain.md §5): billaudit sees none. */
static const char *const basis[] = {"CC-565", "CC-566", "CC-985", "TR-39", "CPL-52", NULL};

static const char *needs(const audit_t *a)
{
    for (size_t i = 0; i < a->acct.services.n; i++)
        if (a->acct.services.items[i].cancelled != NO_DAY)
            return NULL;
    return "account.plan.cancelled or account.services[].cancelled";
}

/* For the plan (the number cancelled): every non-penalty line, except lines of other
 * services that their own cancellation already claims. */
static fen_t plan_sum(const audit_t *a, const rsvc_t *sv, int n, ym_t m, finding_t *f)
{
    fen_t sum = 0;
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!bill_counts(b) || b->period != m || b->cls == CL_PENALTY)
            continue;
        int claimed = 0;
        for (int k = 0; k < n && !claimed; k++)
            claimed = !sv[k].mobile && sv[k].link == b->service && rk_after_cancel(&sv[k], m);
        if (claimed)
            continue;
        fen_add(&sum, b->amount); /* held at its bound on overflow: findings_finish drops it */
        finding_evidence(f, &b->prov);
    }
    return sum;
}

static void check(audit_t *a, const rsvc_t *sv, int n, int k, ym_t m)
{
    if (!rk_after_cancel(&sv[k], m))
        return;
    const rsvc_t *s = &sv[k];
    finding_t *f = finding_new(a, "post-cancellation");
    fen_t sum = s->mobile ? plan_sum(a, sv, n, m, f) : rk_sum(a, s->link, CL_NCLASSES, m, f);
    if (sum <= 0) {
        finding_discard(a); /* nothing charged: no finding */
        return;
    }
    char mon[16], day[16], amt[32];
    f->period = m;
    f->amount = sum;
    f->service = xstrdup(s->name);
    ym_fmt(m, mon), day_fmt(s->svc->cancelled, day), money_fmt(sum, amt);
    rk_service_evidence(a, f, s, "cancelled", day);
    rk_cancel_statement(f, s);
    rk_penalty_support(a, f, s);
    char *t = xasprintf("%s在申请%s后仍被收费", s->name, s->mobile ? "销户" : "销户/拆机");
    char *e = xasprintf("用户已于%s申请取消“%s”%s；%s账单仍对该业务收取%s元。", day, s->name,
                        f->support.n ? "，运营商此后已收取该业务的提前解约违约金" : "", mon, amt);
    char *r = xasprintf("要求退还%s“%s”费用%s元，并确认该业务已停止计费", mon, s->name, amt);
    rk_texts(f, t, e, "post-cancellation", r);
    free(t), free(e), free(r);
}

static void run(audit_t *a)
{
    rk_each_service_month(a, check);
}

const rule_t rule_post_cancellation = {
    "post-cancellation",
    "post-cancellation",
    "high",
    "charges for a service in a month after the month its cancellation was requested",
    basis,
    needs,
    run,
};
