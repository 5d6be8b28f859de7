/* unsubscribed-service: a value-added or third-party (代收费) charge whose service
 * the user never agreed to (not in account.subscriptions). */
#include "rule.h"
#include "rulekit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const basis[] = {"CPL-9",  "CPR-11", "TR-30", "TR-40(一)",
                                    "CC-985", "TR-33",  NULL};

static const char *needs(const audit_t *a)
{
    return a->acct.has_subscriptions ? NULL : "account.subscriptions";
}

/* Itemised deductions naming the same service are evidence for the bill line. */
static void vas_evidence(const audit_t *a, finding_t *f, const bill_line_t *b)
{
    char *item = str_fold(b->item);
    for (size_t i = 0; i < a->vas_records.n; i++) {
        const prov_t *p = &a->vas_records.items[i];
        char *t = str_fold(p->text);
        char mon[16];
        ym_fmt(b->period, mon);
        /* A short name (≥2 chars) of the service in the record's text. */
        char name[64];
        size_t n = strcspn(item, "(（");
        snprintf(name, sizeof name, "%.*s", (int)(n < 60 ? n : 60), item);
        if (strlen(name) >= 6 && strstr(t, name) && strstr(t, mon))
            finding_evidence(f, p);
        free(t);
    }
    free(item);
}

static void run(audit_t *a)
{
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!bill_counts(b) || b->amount <= 0 || (b->cls != CL_VAS && b->cls != CL_THIRDPARTY))
            continue;
        if (rk_plan_cancelled(a, b->period) || subscribed(a, b->item))
            continue;
        finding_t *f = finding_new(a, "unsubscribed-service");
        finding_evidence(f, &b->prov);
        vas_evidence(a, f, b);
        rk_profile_evidence(a, f, "subscriptions", NULL);
        char mon[16], amt[32];
        f->period = b->period;
        f->amount = b->amount;
        f->service = xstrdup(b->item);
        ym_fmt(b->period, mon), money_fmt(b->amount, amt);
        char *t = xasprintf("未订购的%s“%s”被扣费", b->cls == CL_VAS ? "增值业务" : "代收费业务",
                            b->item);
        char *e = xasprintf("%s账单收取“%s”%s元，用户未订购该业务（不在已同意的业务清单中）；"
                            "经营者不得强制或变相强制用户接受服务。",
                            mon, b->item, amt);
        char *r = xasprintf(
            "要求退还“%s”%s元、退订该业务，并提供订购记录（订购时间、渠道、二次确认凭证）", b->item,
            amt);
        rk_texts(f, t, e, r);
        free(t), free(e), free(r);
    }
}

const rule_t rule_unsubscribed_service = {
    "unsubscribed-service",
    "unsubscribed-service",
    "high",
    "a value-added or third-party (代收费) charge for a service not in account.subscriptions",
    basis,
    needs,
    run,
};
