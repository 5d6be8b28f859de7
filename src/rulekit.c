#include "rulekit.h"
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
        sum += b->amount;
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
 * service's fee is not cited from the plan's. */
static void profile_line(const audit_t *a, finding_t *f, const char *key, const char *value,
                         const char *after)
{
    if (!a->account_path)
        return;
    FILE *fp = fopen(a->account_path, "r");
    if (!fp)
        return;
    char line[4096], quoted[160], name[256];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    snprintf(name, sizeof name, "\"%s\"", after ? after : "");
    long no = 0;
    int armed = !after;
    while (fgets(line, sizeof line, fp)) {
        no++;
        if (!armed && strstr(line, name))
            armed = 1;
        if (armed && strstr(line, quoted) && (!value || strstr(line, value))) {
            str_trim(line);
            prov_t p = {-1, no, line};
            finding_evidence(f, &p);
            break;
        }
    }
    fclose(fp);
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

void rk_texts(finding_t *f, const char *title, const char *explanation, const char *remedy)
{
    f->title = xstrdup(title);
    f->explanation = xstrdup(explanation);
    f->remedy = xstrdup(remedy);
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
