/* unsubscribed-service: a value-added or third-party (代收费) charge whose service
 * the user never agreed to (not in account.subscriptions). */
#include "rule.h"
#include "rulekit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const basis[] = {"CPL-9",  "CPR-11", "TR-30",  "TR-40(一)",
                                    "CC-985", "TR-39",  "CPL-52", NULL};

static const char *needs(const audit_t *a)
{
    return a->acct.has_subscriptions ? NULL : "account.subscriptions";
}

/* The short name of a bill item: before a bracket ("游戏点卡包月(某某公司)" -> "游戏点卡包月"),
 * folded. Owned. */
static char *short_name(const char *item)
{
    char *fold = str_fold(item);
    fold[strcspn(fold, "(（[【")] = 0;
    return fold;
}

/* The operator's own itemised deduction of the service in the line's month is the record
 * of what was charged, when and by whom: cited beside the bill line. */
static void vas_support(const audit_t *a, finding_t *f, const bill_line_t *b)
{
    char *item = short_name(b->item);
    for (size_t i = 0; item[0] && i < a->vas_records.n; i++) {
        const vas_rec_t *v = &a->vas_records.items[i];
        if (ym_of_day(ts_day(v->time)) != b->period)
            continue;
        char *name = short_name(v->name);
        int same = name[0] && (strstr(item, name) || strstr(name, item));
        free(name);
        if (!same)
            continue;
        char when[24], fee[32];
        ts_fmt(v->time, when);
        if (v->provider && *v->provider)
            finding_support(f, &v->prov, "运营商的扣费记录：%s扣费“%s”%s元，服务提供商%s", when,
                            v->name, money_fmt(v->fee, fee), v->provider);
        else
            finding_support(f, &v->prov, "运营商的扣费记录：%s扣费“%s”%s元", when, v->name,
                            money_fmt(v->fee, fee));
    }
    free(item);
}

/* "彩铃、来电显示" or "无"; a long list ends "……等N项" (each finding quotes it: a profile
 * of thousands of names must not make every statement megabytes). Owned. */
static char *agreed_list(const audit_t *a)
{
    sbuf_t b = {0};
    size_t n = a->acct.subscriptions.n;
    for (size_t i = 0; i < n; i++) {
        if (b.n > 600) { /* some 200 characters */
            sb_addf(&b, "……等%zu项", n);
            break;
        }
        if (i)
            sb_add(&b, "、");
        sb_add(&b, a->acct.subscriptions.items[i]);
    }
    if (!b.n)
        sb_add(&b, "无");
    return sb_take(&b);
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
        vas_support(a, f, b);
        rk_profile_evidence(a, f, "subscriptions", NULL);
        char *agreed = agreed_list(a);
        finding_statement(f, "未订购“%s”；同意开通的增值业务：%s", b->item, agreed);
        free(agreed);
        char mon[16], amt[32];
        f->period = b->period;
        f->amount = b->amount;
        f->service = xstrdup(b->item);
        ym_fmt(b->period, mon), money_fmt(b->amount, amt);
        char *t = xasprintf("未订购的%s“%s”被扣费", b->cls == CL_VAS ? "增值业务" : "代收费业务",
                            b->item);
        char *e = xasprintf("%s账单收取“%s”%s元%s，用户未订购该业务。", mon, b->item, amt,
                            f->support.n ? "，运营商的扣费记录载有该笔扣费" : "");
        char *r = xasprintf(
            "要求退还“%s”%s元、退订该业务，并提供订购记录（订购时间、渠道、二次确认凭证）", b->item,
            amt);
        rk_texts(f, t, e, "unsubscribed-service", r);
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
