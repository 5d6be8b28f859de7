/* suspended-period: a recurring fee above the allowed fee in a month wholly inside
 * a declared suspension (停机保号). */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>

/* CPR-12 and TR-40(四) only when the suspension fee was a published offer (domain.md §5). */
static const char *const basis[] = {"CC-509", "CC-577", "TR-39", "CPL-52", NULL};

static const char *needs(const audit_t *a)
{
    return a->acct.suspensions.n ? NULL : "account.suspensions";
}

static void check(audit_t *a, const rsvc_t *sv, int n, int k, ym_t m)
{
    (void)n;
    const rsvc_t *s = &sv[k];
    const suspension_t *sp = rk_suspension(a, s, m);
    if (!sp || rk_after_cancel(s, m) || rk_plan_cancelled(a, m))
        return;
    fen_t allowed = sp->has_allowed ? sp->allowed_fee : 0;
    fen_t charge = rk_sum(a, s->link, CL_RECURRING, m, NULL);
    if (charge <= allowed)
        return;
    finding_t *f = finding_new(a, "suspended-period");
    rk_sum(a, s->link, CL_RECURRING, m, f);
    char from[16], to[16], mon[16], amt[32], al[32], diff[32];
    day_fmt(sp->from, from), day_fmt(sp->to, to);
    rk_profile_evidence(a, f, "from", from);
    finding_statement(f, "“%s”于%s至%s停机，停机期间每月应收%s元", s->name, from, to,
                      money_fmt(sp->has_allowed ? sp->allowed_fee : 0, al));
    f->period = m;
    f->amount = charge;
    fen_sub(&f->amount, allowed); /* an overflowed charge stays so */
    f->service = xstrdup(s->name);
    ym_fmt(m, mon), money_fmt(charge, amt), money_fmt(allowed, al), money_fmt(f->amount, diff);
    char *t = xasprintf("%s停机期间仍按正常月费收取", s->name);
    char *e = xasprintf("“%s”于%s至%s办理停机，停机期间每月约定收取%s元，%s却收取%s元，多收%s元。",
                        s->name, from, to, al, mon, amt, diff);
    char *r = xasprintf("要求按停机保号资费收取，退还%s多收的%s元", mon, diff);
    rk_texts(f, t, e, "suspended-period", r);
    free(t), free(e), free(r);
}

static void run(audit_t *a)
{
    rk_each_service_month(a, check);
}

const rule_t rule_suspended_period = {
    "suspended-period",
    "suspended-period",
    "high",
    "a recurring fee above the allowed fee in a month wholly inside a declared suspension",
    basis,
    needs,
    run,
};
