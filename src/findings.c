/* Findings: creation, evidence, stable ids, deadlines and ordering. */
#include "audit.h"
#include "rule.h"
#include <stdarg.h>
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

void finding_support(finding_t *f, const prov_t *p, const char *fmt, ...)
{
    for (size_t i = 0; i < f->evidence.n; i++)
        if (f->evidence.items[i].src == p->src && f->evidence.items[i].line == p->line)
            return;
    for (size_t i = 0; i < f->support.n; i++)
        if (f->support.items[i].prov.src == p->src && f->support.items[i].prov.line == p->line)
            return;
    va_list ap;
    va_start(ap, fmt);
    char *note = xvasprintf(fmt, ap);
    va_end(ap);
    support_t s = {prov_copy(p), note};
    VEC_PUSH(f->support, s);
}

void finding_statement(finding_t *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < f->statements.n; i++)
        if (!strcmp(f->statements.items[i], s)) {
            free(s);
            return;
        }
    VEC_PUSH(f->statements, s);
}

/* The id hashes what the finding says, never where the files are: renaming or
 * moving the inputs must not make a finding look new (cron). */
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

/* The ids kept so far, and for each first-occurrence id of an unfair clause how many
 * copies were seen: open addressing on the id's 32 hash bits, so that a contract that
 * repeats one clause thousands of times stays linear. */
typedef struct {
    uint32_t *key;
    int *count; /* 0: empty slot */
    size_t cap;
} idmap_t;

static uint32_t id_bits(const char *id)
{
    return (uint32_t)strtoul(id + 2, NULL, 16);
}

static int *idmap_slot(idmap_t *m, uint32_t k)
{
    size_t i = (k * 2654435761u) & (m->cap - 1);
    while (m->count[i] && m->key[i] != k)
        i = (i + 1) & (m->cap - 1);
    m->key[i] = k;
    return &m->count[i];
}

static void idmap_init(idmap_t *m, size_t n)
{
    for (m->cap = 16; m->cap < 2 * n + 2; m->cap *= 2)
        ;
    m->key = xcalloc(m->cap, sizeof *m->key);
    m->count = xcalloc(m->cap, sizeof *m->count);
}

static void idmap_free(idmap_t *m)
{
    free(m->key), free(m->count);
}

/* The ids kept, the copies of each wording, and the rows each wording was cited from. */
typedef struct {
    idmap_t kept, copies, cited;
} idsets_t;

/* The hash bits of a wording together with the row it is cited from. */
static uint32_t cite_bits(const finding_t *f)
{
    const prov_t *e = &f->evidence.items[0];
    return id_bits(f->id) ^ ((uint32_t)e->src * 2246822519u) ^ ((uint32_t)e->line * 3266489917u);
}

/* Whether a money claim whose wording was seen already is another occurrence: the same
 * wording from another row is (three identical top-ups at one second, with no transaction
 * id, are three payments); from the same row it is the same claim twice. Copies of one
 * row in overlapping exports were removed with the records (src/payments.c, the sources'
 * duplicate_of), not here. */
static int another_occurrence(const finding_t *f, idsets_t *m)
{
    if (!f->evidence.n)
        return 0;
    int *cite = idmap_slot(&m->cited, cite_bits(f));
    if (*cite)
        return 0;
    *cite = 1;
    return 1;
}

/* Notes the row a wording's first occurrence was cited from. */
static void note_first(const finding_t *f, idsets_t *m)
{
    if (!f->term_type && f->evidence.n)
        *idmap_slot(&m->cited, cite_bits(f)) = 1;
}

/* The n-th copy of the same wording gets its own id (a clause repeated is two clauses, a
 * payment repeated in one file is two payments); any other finding whose id is taken
 * already is the same claim twice. */
static int assign_id(finding_t *f, idsets_t *m)
{
    finding_id(f, 1);
    if (f->term_type || (*idmap_slot(&m->kept, id_bits(f->id)) && another_occurrence(f, m))) {
        char first[sizeof f->id];
        memcpy(first, f->id, sizeof first);
        int *copy = idmap_slot(&m->copies, id_bits(first));
        for (int n = ++*copy + !f->term_type; n > 1; n = ++*copy + !f->term_type) {
            finding_id(f, n);
            if (!*idmap_slot(&m->kept, id_bits(f->id)))
                break;
        }
    }
    int *k = idmap_slot(&m->kept, id_bits(f->id));
    if (*k)
        return 0;
    *k = 1;
    note_first(f, m);
    return 1;
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

void finding_clear(finding_t *f)
{
    free(f->service), free(f->title), free(f->explanation), free(f->remedy);
    for (size_t k = 0; k < f->evidence.n; k++)
        free(f->evidence.items[k].text);
    VEC_FREE(f->evidence);
    for (size_t k = 0; k < f->support.n; k++)
        free(f->support.items[k].prov.text), free(f->support.items[k].note);
    VEC_FREE(f->support);
    for (size_t k = 0; k < f->statements.n; k++)
        free(f->statements.items[k]);
    VEC_FREE(f->statements);
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

/* A finding whose amount overflowed (a sum of hostile lines) has no true number to show,
 * and one that would carry the total of the findings past int64 would make every total
 * wrong: both are left out, each named in a warning. Past this check the total of the
 * amounts' magnitudes fits, so every total a report or letter adds up fits too. */
static int amount_fits(audit_t *a, const finding_t *f, fen_t *total)
{
    char mon[16];
    const char *when = f->period == NO_YM ? "-" : ym_fmt(f->period, mon);
    if (fen_overflowed(f->amount)) {
        audit_warn(a, NULL, "%s %s \"%s\": the amounts it adds up are out of range; not reported",
                   f->rule, when, diag_quote(f->service ? f->service : ""));
        return 0;
    }
    fen_t t = *total;
    if (fen_add(&t, f->amount < 0 ? -f->amount : f->amount) < 0) {
        audit_warn(a, NULL,
                   "%s %s \"%s\": the total of the findings would be out of range; not "
                   "reported",
                   f->rule, when, diag_quote(f->service ? f->service : ""));
        return 0;
    }
    *total = t;
    return 1;
}

void findings_finish(audit_t *a)
{
    size_t w = 0;
    fen_t total = 0;
    idsets_t m;
    idmap_init(&m.kept, a->findings.n);
    idmap_init(&m.copies, a->findings.n);
    idmap_init(&m.cited, a->findings.n);
    for (size_t i = 0; i < a->findings.n; i++) {
        finding_t *f = &a->findings.items[i];
        if (!in_range(a, f->period)) {
            finding_clear(f);
            continue;
        }
        if (f->period != NO_YM && f->event == NO_DAY)
            f->event = ym_first_day(f->period); /* conservative: the window starts earliest */
        if (f->event != NO_DAY && f->period != NO_YM)
            f->deadline = day_add_months(f->event, 5);
        if (!assign_id(f, &m) || !amount_fits(a, f, &total)) {
            finding_clear(f);
            continue;
        }
        a->findings.items[w++] = *f;
    }
    idmap_free(&m.kept), idmap_free(&m.copies), idmap_free(&m.cited);
    a->findings.n = w;
    if (w > 1)
        qsort(a->findings.items, a->findings.n, sizeof *a->findings.items, finding_cmp);
}
