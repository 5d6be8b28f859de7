/* unused-period: a recurring fee charged for a month whose usage logs are complete
 * and hold no usage. Not unlawful by itself (domain.md §0.10): worded as a request. */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

static const char *const basis[] = {"CPL-10", "TR-39", NULL};

static void report(audit_t *a, const rsvc_t *s, ym_t m, fen_t charge)
{
    finding_t *f = finding_new(a, "unused-period");
    rk_sum(a, s->link, CL_RECURRING, m, f);
    if (s->mobile) {
        coverage_evidence(a, U_VOICE, m, f);
        coverage_evidence(a, U_DATA, m, f);
        coverage_evidence(a, U_SMS, m, f);
    } else {
        coverage_evidence(a, U_BROADBAND, m, f);
    }
    if (a->acct.coverage_from != NO_YM)
        rk_profile_evidence(a, f, "usage_coverage", NULL);
    char mon[16], amt[32];
    f->period = m;
    f->amount = charge;
    f->service = xstrdup(s->name);
    ym_fmt(m, mon), money_fmt(charge, amt);
    char *t = xasprintf("%s在%s无任何使用记录仍收取月费", s->name, mon);
    char *e = xasprintf("%s“%s”收取月费%s元，而运营商覆盖整月的%s记录显示该月没有任何使用。", mon,
                        s->name, amt, s->mobile ? "通话、上网和短信" : "宽带上网");
    /* The waiver of TR-32 holds only for a reported fault: said as a condition, cited. */
    char *fault = statement_cited("unused-period-fault");
    char *r =
        xasprintf("请求核查并减免%s“%s”月费%s元；如该月曾申告障碍：%s", mon, s->name, amt, fault);
    free(fault);
    rk_texts(f, t, e, "unused-period", r);
    free(t), free(e), free(r);
}

static void check(audit_t *a, const rsvc_t *sv, int n, int k, ym_t m)
{
    (void)n;
    fen_t charge;
    if (rk_unused(a, &sv[k], m, &charge))
        report(a, &sv[k], m, charge);
}

static void run(audit_t *a)
{
    rk_each_service_month(a, check);
}

const rule_t rule_unused_period = {
    "unused-period",
    "unused-period",
    "medium",
    "a monthly fee for a month whose complete usage logs hold no usage of the service",
    basis,
    NULL,
    run,
};
