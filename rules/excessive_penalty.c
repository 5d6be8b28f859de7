/* excessive-penalty: a penalty charged after the contract term ended, or above 30 %
 * of the fees that remained in the term. The 30 % is billaudit's trigger, not the legal
 * test (domain.md §0.8: SPC-C65 measures against the loss, and only a court or arbitrator
 * reduces a penalty, CC-585): the finding says so and is worded as a request to reduce. */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

static const char *const basis[] = {"CC-585", "SPC-C65", "TR-39", NULL};

static const char *needs(const audit_t *a)
{
    for (size_t i = 0; i < a->acct.services.n; i++)
        if (a->acct.services.items[i].end != NO_DAY)
            return NULL;
    return "account.plan.end or account.services[].end (contract term)";
}

/* "（剩余12个月月费共600.00元，违约金相当于其67%）" */
static void remaining_note(sbuf_t *b, const service_t *v, fen_t penalty)
{
    ym_t c = ym_of_day(v->cancelled), end = ym_of_day(v->end);
    long long months = end > c ? end - c : 0;
    char rem[32];
    fen_t remaining, pct;
    if (fen_mul(&remaining, v->monthly_fee, months) < 0)
        return; /* cannot happen for a fee within FEN_MAX: check() gave up first */
    sb_addf(b, "解约后合约剩余%lld个月，月费共%s元", months, money_fmt(remaining, rem));
    if (remaining > 0 && fen_mul(&pct, penalty, 100) == 0 && fen_add(&pct, remaining / 2) == 0)
        sb_addf(b, "，违约金相当于其%lld%%", (long long)(pct / remaining));
}

static void report(audit_t *a, const rsvc_t *s, const bill_line_t *b, fen_t amount, fen_t cap)
{
    finding_t *f = finding_new(a, "excessive-penalty");
    finding_evidence(f, &b->prov);
    char end[16], mon[16], pen[32], c[32], amt[32];
    day_fmt(s->svc->end, end);
    rk_service_evidence(a, f, s, "end", end);
    rk_contract_support(a, f, s, cap >= 0, 1);
    finding_statement(f, "“%s”合约期至%s", s->name, end);
    f->period = b->period;
    f->amount = amount;
    f->service = xstrdup(s->name);
    ym_fmt(b->period, mon), money_fmt(b->amount, pen), money_fmt(cap, c), money_fmt(amount, amt);
    char *t, *e, *r;
    if (cap < 0) {
        t = xasprintf("%s合约期满后仍收取违约金", s->name);
        e = xasprintf("“%s”合约期至%s止，%s却收取“%s”%s元，不属于合约期内提前解约。", s->name, end,
                      mon, b->item, pen);
        r = xasprintf("请求退还违约金%s元", pen);
    } else {
        char cancelled[16], fee[32];
        day_fmt(s->svc->cancelled, cancelled);
        rk_service_evidence(a, f, s, "cancelled", cancelled);
        rk_service_evidence(a, f, s, "monthly_fee", NULL);
        rk_fee_support(a, f, s, NO_YM);
        rk_cancel_statement(f, s);
        finding_statement(f, "“%s”月费%s元", s->name, money_fmt(s->svc->monthly_fee, fee));
        sbuf_t why = {0};
        sb_addf(&why, "%s收取“%s”违约金%s元（", mon, s->name, pen);
        remaining_note(&why, s->svc, b->amount);
        sb_addf(&why,
                "）。billaudit以剩余月费的30%%（%s元）作为提示核查的标准，这不是法定标准，"
                "超出%s元；违约金是否过高，以造成的损失衡量。",
                c, amt);
        e = sb_take(&why);
        t = xasprintf("%s提前解约违约金可能过高", s->name);
        r = xasprintf(
            "请求按实际损失核减违约金，核减超出%s元的部分（%s元）；协商不成的，可以请求人民法院"
            "或者仲裁机构予以适当减少",
            c, amt);
    }
    rk_texts(f, t, e, "excessive-penalty", r);
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
    fen_t cap;
    if (fen_mul(&cap, v->monthly_fee, months) < 0 || fen_mul(&cap, cap, 3) < 0) {
        /* The profile's fee is bounded: only a term of centuries gets here. */
        audit_warn(a, NULL, "excessive-penalty: \"%s\": the remaining fees are out of range",
                   diag_quote(s->name));
        return;
    }
    cap /= 10;
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
