/* Findings: creation, evidence, stable ids, deadlines and ordering. */
#include "audit.h"
#include "rule.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

finding_t *finding_new(audit_t *a, const char *rule_id)
{
    const rule_t *r = rule_find(rule_id);
    finding_t f;
    memset(&f, 0, sizeof f);
    f.rule = r ? r->id : rule_id;
    f.category = r ? r->category : rule_id;
    f.severity = r ? r->severity : "medium";
    f.basis = r ? r->basis : NULL;
    f.period = NO_YM;
    f.event = f.deadline = NO_DAY;
    VEC_PUSH(a->findings, f);
    return &a->findings.items[a->findings.n - 1];
}

void finding_evidence(finding_t *f, const prov_t *p)
{
    for (size_t i = 0; i < f->evidence.n; i++)
        if (f->evidence.items[i].src == p->src && f->evidence.items[i].line == p->line)
            return;
    VEC_PUSH(f->evidence, prov_copy(p));
}

/* The id hashes what the finding says, never where the files are (spec §5). */
static void finding_id(finding_t *f, int occurrence)
{
    sbuf_t b = {0};
    char m[16];
    sb_addf(&b, "%s|%s|%s|%lld|%s", f->rule, ym_fmt(f->period, m), f->service ? f->service : "",
            (long long)f->amount, f->term_type ? f->term_type : "");
    for (size_t i = 0; i < f->evidence.n; i++)
        sb_addf(&b, "\n%s", f->evidence.items[i].text ? f->evidence.items[i].text : "");
    /* The same wording twice in a contract is two clauses: the n-th copy gets its own id. */
    if (occurrence > 1)
        sb_addf(&b, "\n#%d", occurrence);
    char hex[65];
    sha256_hex(b.p, b.n, hex);
    sb_free(&b);
    snprintf(f->id, sizeof f->id, "F-%.8s", hex);
}

static int id_taken(const audit_t *a, size_t upto, const char *id)
{
    for (size_t k = 0; k < upto; k++)
        if (!strcmp(a->findings.items[k].id, id))
            return 1;
    return 0;
}

static int finding_cmp(const void *x, const void *y)
{
    const finding_t *a = x, *b = y;
    if (a->period != b->period) {
        if (a->period == NO_YM || b->period == NO_YM)
            return a->period == NO_YM ? 1 : -1;
        return a->period < b->period ? -1 : 1;
    }
    int c = strcmp(a->category, b->category);
    if (c)
        return c;
    if (a->evidence.n && b->evidence.n && a->evidence.items[0].line != b->evidence.items[0].line &&
        a->term_type)
        return a->evidence.items[0].line < b->evidence.items[0].line ? -1 : 1;
    return strcmp(a->id, b->id);
}

static void finding_clear(finding_t *f)
{
    free(f->service), free(f->title), free(f->explanation), free(f->remedy);
    for (size_t k = 0; k < f->evidence.n; k++)
        free(f->evidence.items[k].text);
    VEC_FREE(f->evidence);
}

void finding_discard(audit_t *a)
{
    if (a->findings.n)
        finding_clear(&a->findings.items[--a->findings.n]);
}

static int in_range(const audit_t *a, ym_t m)
{
    if (m == NO_YM)
        return 1;
    return (a->since == NO_YM || m >= a->since) && (a->until == NO_YM || m <= a->until);
}

void findings_finish(audit_t *a)
{
    size_t w = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        finding_t *f = &a->findings.items[i];
        if (!in_range(a, f->period)) {
            finding_clear(f);
            continue;
        }
        finding_id(f, 1);
        for (int n = 2; f->term_type && id_taken(a, w, f->id) && n < 1000; n++)
            finding_id(f, n);
        if (f->period != NO_YM && f->event == NO_DAY)
            f->event = ym_first_day(f->period); /* conservative: domain.md §3.2 */
        if (f->event != NO_DAY && f->period != NO_YM)
            f->deadline = day_add_months(f->event, 5);
        if (id_taken(a, w, f->id)) { /* the same money claim twice: report it once */
            finding_clear(f);
            continue;
        }
        a->findings.items[w++] = *f;
    }
    a->findings.n = w;
    if (w > 1)
        qsort(a->findings.items, a->findings.n, sizeof *a->findings.items, finding_cmp);
}
