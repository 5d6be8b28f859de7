#include "rulekit.h"
#include "rule.h"
#include "rowsrc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rk_services(const audit_t *a, rsvc_t *out, int max)
{
    int n = 0;
    for (size_t i = 0; i < a->acct.services.n && n < max; i++) {
        const service_t *s = &a->acct.services.items[i];
        out[n++] = (rsvc_t){(int)i, s, (int)i == a->acct.plan, s->name};
    }
    if (a->acct.plan < 0 && n < max)
        out[n++] = (rsvc_t){LINK_PLAN_ABSENT, NULL, 1, "套餐"};
    int none = 0;
    for (size_t i = 0; i < a->bills.n && !none; i++)
        none = a->bills.items[i].service == LINK_NONE;
    if (none && n < max)
        out[n++] = (rsvc_t){LINK_NONE, NULL, 0, "宽带"};
    return n;
}

static int ym_cmp(const void *x, const void *y)
{
    ym_t a = *(const ym_t *)x, b = *(const ym_t *)y;
    return a < b ? -1 : a > b;
}

int rk_months(const audit_t *a, ym_t *out, int max)
{
    int n = 0;
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (b->excluded || b->period == NO_YM)
            continue;
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = out[k] == b->period;
        if (!seen && n < max)
            out[n++] = b->period;
    }
    qsort(out, (size_t)n, sizeof *out, ym_cmp);
    return n;
}

static fen_t sum_lines(const audit_t *a, int any_service, int link, bill_class_t cls, ym_t m,
                       finding_t *f)
{
    fen_t sum = 0;
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!bill_counts(b) || b->period != m || (!any_service && b->service != link))
            continue;
        if (cls == CL_NCLASSES ? b->cls == CL_PENALTY : b->cls != cls)
            continue;
        fen_add(&sum, b->amount); /* held at its bound on overflow: findings_finish drops it */
        if (f)
            finding_evidence(f, &b->prov);
    }
    return sum;
}

fen_t rk_sum(const audit_t *a, int link, bill_class_t cls, ym_t m, finding_t *f)
{
    return sum_lines(a, 0, link, cls, m, f);
}

fen_t rk_class_sum(const audit_t *a, bill_class_t cls, ym_t m, finding_t *f)
{
    return sum_lines(a, 1, 0, cls, m, f);
}

int rk_after_cancel(const rsvc_t *s, ym_t m)
{
    return s->svc && s->svc->cancelled != NO_DAY && m > ym_of_day(s->svc->cancelled);
}

int rk_plan_cancelled(const audit_t *a, ym_t m)
{
    if (a->acct.plan < 0)
        return 0;
    const service_t *p = &a->acct.services.items[a->acct.plan];
    return p->cancelled != NO_DAY && m > ym_of_day(p->cancelled);
}

static int suspension_names(const audit_t *a, const suspension_t *s, const rsvc_t *svc)
{
    if (!s->service || !*s->service)
        return svc->mobile;
    if (!svc->svc) /* no profile service: only a suspension naming nothing applies */
        return 0;
    char *x = str_fold(s->service), *y = str_fold(svc->svc->name);
    int yes = !strcmp(x, y) || (*x && *y && (strstr(x, y) || strstr(y, x)));
    free(x), free(y);
    (void)a;
    return yes;
}

const suspension_t *rk_suspension(const audit_t *a, const rsvc_t *s, ym_t m)
{
    for (size_t i = 0; i < a->acct.suspensions.n; i++) {
        const suspension_t *sp = &a->acct.suspensions.items[i];
        if (sp->from <= ym_first_day(m) && sp->to >= ym_last_day(m) && suspension_names(a, sp, s))
            return sp;
    }
    return NULL;
}

/* The profile is small: scan it for the line naming the field. With after (a service
 * name), the search starts at the line that names that service, so a broadband
 * service's fee is not cited from the plan's. Its lines are read as every input's are
 * (LF, CRLF or CR alone, any length), so the line cited is the line an editor shows. */
static void profile_line(const audit_t *a, finding_t *f, const char *key, const char *value,
                         const char *after)
{
    if (!a->account_path)
        return;
    char why[256];
    textsrc_t *ts = textsrc_open(a->account_path, why, sizeof why);
    if (!ts)
        return;
    char quoted[160], name[256];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    snprintf(name, sizeof name, "\"%s\"", after ? after : "");
    const char *line;
    size_t len;
    long no;
    int armed = !after;
    while ((line = textsrc_line(ts, &len, &no)) != NULL) {
        if (!armed && strstr(line, name))
            armed = 1;
        if (armed && strstr(line, quoted) && (!value || strstr(line, value))) {
            char *text = xstrndup(line, len);
            prov_t p = {-1, no, str_trim(text), 0};
            finding_evidence(f, &p);
            free(text);
            break;
        }
    }
    textsrc_close(ts);
}

void rk_profile_evidence(const audit_t *a, finding_t *f, const char *key, const char *value)
{
    profile_line(a, f, key, value, NULL);
}

void rk_service_evidence(const audit_t *a, finding_t *f, const rsvc_t *s, const char *key,
                         const char *value)
{
    profile_line(a, f, key, value, s->svc ? s->svc->name : NULL);
}

void rk_each_service_month(audit_t *a, rk_month_fn fn)
{
    rsvc_t sv[64];
    ym_t months[600];
    int n = rk_services(a, sv, 64), nm = rk_months(a, months, 600);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < nm; i++)
            fn(a, sv, n, k, months[i]);
}

void rk_texts(finding_t *f, const char *title, const char *facts, const char *key,
              const char *remedy)
{
    const statement_t *st = key ? statement_find(key) : NULL;
    f->title = xstrdup(title);
    f->stmt = st ? st->key : NULL;
    f->explanation = st ? xasprintf("%s%s", facts, st->text) : xstrdup(facts);
    f->remedy = xstrdup(remedy);
}

char *rk_facts(const finding_t *f)
{
    const statement_t *st = f->stmt ? statement_find(f->stmt) : NULL;
    const char *e = f->explanation ? f->explanation : "";
    size_t n = strlen(e), k = st ? strlen(st->text) : 0;
    if (st && n >= k && !strcmp(e + n - k, st->text))
        n -= k;
    return xstrndup(e, n);
}

/* ---- supporting lines ---- */

void rk_penalty_support(const audit_t *a, finding_t *f, const rsvc_t *s)
{
    ym_t from = s->svc && s->svc->cancelled != NO_DAY ? ym_of_day(s->svc->cancelled) : NO_YM;
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!bill_counts(b) || b->cls != CL_PENALTY || b->service != s->link || b->amount <= 0 ||
            (from != NO_YM && b->period < from))
            continue;
        char mon[16], amt[32];
        finding_support(f, &b->prov, "运营商在%s账单收取“%s”%s元，即已按解约处理该业务",
                        ym_fmt(b->period, mon), b->item, money_fmt(b->amount, amt));
    }
}

/* The first recurring line of S in month m (the one a reader looks at). */
static const bill_line_t *first_recurring(const audit_t *a, int link, ym_t m)
{
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (bill_counts(b) && b->period == m && b->service == link && b->cls == CL_RECURRING &&
            b->amount > 0)
            return b;
    }
    return NULL;
}

void rk_fee_support(const audit_t *a, finding_t *f, const rsvc_t *s, ym_t except)
{
    if (!s->svc || !s->svc->has_fee)
        return;
    ym_t months[600];
    int nm = rk_months(a, months, 600), first = -1, last = -1;
    for (int i = 0; i < nm; i++) {
        if (months[i] == except || rk_after_cancel(s, months[i]) ||
            rk_sum(a, s->link, CL_RECURRING, months[i], NULL) != s->svc->monthly_fee)
            continue;
        if (first < 0)
            first = i;
        last = i;
    }
    int pick[2] = {first, last};
    for (int k = 0; k < 2 && first >= 0; k++) {
        if (k && last == first)
            break;
        const bill_line_t *b = first_recurring(a, s->link, months[pick[k]]);
        char mon[16], fee[32];
        if (b)
            finding_support(f, &b->prov, "运营商在%s按%s元收取该业务月费",
                            ym_fmt(months[pick[k]], mon), money_fmt(s->svc->monthly_fee, fee));
    }
}

/* Does folded text t hold the yuan amount v as written in a contract ("50元", "50.00元")? */
static int names_amount(const char *t, fen_t v)
{
    char forms[3][40];
    int nf = 0;
    if (v % 100 == 0)
        snprintf(forms[nf++], sizeof forms[0], "%lld元", (long long)(v / 100));
    snprintf(forms[nf++], sizeof forms[0], "%lld.%02lld元", (long long)(v / 100),
             (long long)(v % 100));
    if (v % 10 == 0)
        snprintf(forms[nf++], sizeof forms[0], "%lld.%lld元", (long long)(v / 100),
                 (long long)(v % 100 / 10));
    for (int i = 0; i < nf; i++)
        for (const char *p = strstr(t, forms[i]); p; p = strstr(p + 1, forms[i]))
            if (p == t || p[-1] < '0' || p[-1] > '9')
                return 1;
    return 0;
}

/* ... or the day d ("2026年3月31日", "2026-03-31", "2026/3/31", "2026.03.31")? */
static int names_day(const char *t, day_t d)
{
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    char forms[8][40];
    snprintf(forms[0], sizeof forms[0], "%d年%d月%d日", y, m, dd);
    snprintf(forms[1], sizeof forms[1], "%d年%02d月%02d日", y, m, dd);
    snprintf(forms[2], sizeof forms[2], "%d-%02d-%02d", y, m, dd);
    snprintf(forms[3], sizeof forms[3], "%d-%d-%d", y, m, dd);
    snprintf(forms[4], sizeof forms[4], "%d/%02d/%02d", y, m, dd);
    snprintf(forms[5], sizeof forms[5], "%d/%d/%d", y, m, dd);
    snprintf(forms[6], sizeof forms[6], "%d.%02d.%02d", y, m, dd);
    snprintf(forms[7], sizeof forms[7], "%d年%d月%d号", y, m, dd);
    for (int i = 0; i < 8; i++)
        if (strstr(t, forms[i]))
            return 1;
    return 0;
}

void rk_contract_support(const audit_t *a, finding_t *f, const rsvc_t *s, int fee, int term)
{
    if (!s->svc)
        return;
    const service_t *v = s->svc;
    for (size_t i = 0; i < a->clauses.n; i++) {
        const clause_t *c = &a->clauses.items[i];
        char *t = str_fold(c->text);
        char amt[32], end[16];
        int fee_hit = fee && v->has_fee && names_amount(t, v->monthly_fee) &&
                      (strstr(t, "月") || strstr(t, "资费"));
        int term_hit = term && v->end != NO_DAY && names_day(t, v->end);
        if (fee_hit && term_hit)
            finding_support(f, &c->prov, "合同载明月费%s元、合约期至%s",
                            money_fmt(v->monthly_fee, amt), day_fmt(v->end, end));
        else if (fee_hit)
            finding_support(f, &c->prov, "合同载明月费%s元", money_fmt(v->monthly_fee, amt));
        else if (term_hit)
            finding_support(f, &c->prov, "合同载明合约期至%s", day_fmt(v->end, end));
        free(t);
    }
}

void rk_cancel_statement(finding_t *f, const rsvc_t *s)
{
    if (!s->svc || s->svc->cancelled == NO_DAY)
        return;
    const service_t *v = s->svc;
    char day[16];
    sbuf_t b = {0};
    sb_addf(&b, "%s申请取消“%s”", day_fmt(v->cancelled, day), s->name);
    int ch = v->cancel_channel && *v->cancel_channel;
    int ref = v->cancel_reference && *v->cancel_reference;
    if (ch || ref)
        sb_addf(&b, "（%s%s%s%s%s）", ch ? "办理渠道：" : "", ch ? v->cancel_channel : "",
                ch && ref ? "，" : "", ref ? "工单号：" : "", ref ? v->cancel_reference : "");
    char *t = sb_take(&b);
    finding_statement(f, "%s", t);
    free(t);
}

/* Usage kinds whose logs decide whether S was used: broadband sessions, or voice,
 * data and SMS together for the plan. */
int rk_unused(const audit_t *a, const rsvc_t *s, ym_t m, fen_t *charge)
{
    fen_t c = rk_sum(a, s->link, CL_RECURRING, m, NULL);
    if (charge)
        *charge = c;
    /* After the plan's cancellation every non-penalty line is post-cancellation's,
     * whatever service it belongs to (one claim per fen). */
    if (c <= 0 || rk_after_cancel(s, m) || rk_plan_cancelled(a, m) || rk_suspension(a, s, m))
        return 0;
    if (s->mobile)
        return mobile_covered(a, m) && !usage_count(a, U_VOICE, m, NULL) &&
               !usage_count(a, U_DATA, m, NULL) && !usage_count(a, U_SMS, m, NULL);
    return usage_covered(a, U_BROADBAND, m) && !usage_count(a, U_BROADBAND, m, NULL);
}
