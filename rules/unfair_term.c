/* unfair-term: each clause of a contract text against the catalogue of
 * rules/terms/ (terms.md). One finding per clause at most: the first type in
 * precedence order that fires; evidence is the clause's first line. */
#include "rule.h"
#include "terms.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What every unfair-term finding rests on; each type adds its own (catalogue). */
static const char *const basis[] = {"CPL-26", "CC-497", NULL};

/* The preamble (the first clauses of a file) says whether 甲方 is the operator. */
#define PREAMBLE_CLAUSES 3

static int *parties_per_source(const audit_t *a)
{
    size_t n = a->sources.n;
    int *rev = xcalloc(n + 1, sizeof *rev);
    int *seen = xcalloc(n + 1, sizeof *seen);
    for (size_t i = 0; i < a->clauses.n; i++) {
        const clause_t *c = &a->clauses.items[i];
        if (c->prov.src < 0 || (size_t)c->prov.src >= n || seen[c->prov.src] >= PREAMBLE_CLAUSES)
            continue;
        seen[c->prov.src]++;
        char *norm = terms_normalise(c->text);
        if (terms_parties_reversed(norm))
            rev[c->prov.src] = 1;
        free(norm);
    }
    free(seen);
    return rev;
}

/* "格式条款：…（3.2）": the clause number as printed, without a final dot or 、. */
static char *title_of(const term_hit_t *h, const char *label)
{
    char *lab = xstrdup(label ? label : "");
    size_t n = strlen(lab);
    while (n && (lab[n - 1] == '.' || lab[n - 1] == ' '))
        lab[--n] = 0;
    if (n >= 3 && !strcmp(lab + n - 3, "、"))
        lab[n - 3] = 0;
    /* A label that brings its own brackets ("（一）", "(1)", "①") is not wrapped again. */
    int bracketed = str_starts(lab, "（") || str_starts(lab, "(") || str_starts(lab, "\xE2\x91");
    char *t = !*lab       ? xstrdup(h->title)
              : bracketed ? xasprintf("%s%s", h->title, lab)
                          : xasprintf("%s（%s）", h->title, lab);
    free(lab);
    return t;
}

/* A basis without the laws the clause does not fit (statements.tsv `when` rows: TR-32 for a
 * fault clause, not a speed disclaimer). Findings point at it: kept for the program's life. */
typedef struct {
    const char *const *orig;
    unsigned keep;
    const char **ids;
} fit_t;
static VEC(fit_t) fits;

static const char *const *fitting_basis(const char *const *basis, const char *clause)
{
    unsigned keep = 0;
    int n = 0;
    for (; basis && basis[n] && n < 32; n++)
        if (statement_law_applies(basis[n], clause))
            keep |= 1u << n;
    if (!basis || keep == (n == 32 ? ~0u : (1u << n) - 1))
        return basis;
    for (size_t i = 0; i < fits.n; i++)
        if (fits.items[i].orig == basis && fits.items[i].keep == keep)
            return fits.items[i].ids;
    fit_t fit = {basis, keep, xcalloc((size_t)n + 1, sizeof(char *))};
    for (int i = 0, k = 0; i < n; i++)
        if (keep & (1u << i))
            fit.ids[k++] = basis[i];
    VEC_PUSH(fits, fit);
    return fit.ids;
}

/* The type's explanation, then the statement of every law cited beyond what it quotes (a
 * catalogue entry's own basis): no law is cited without its words next to it. */
static char *explain(const term_hit_t *h, const char *const *basis)
{
    char *key = xasprintf("term:%s", term_type_names[h->type]);
    const statement_t *own = statement_find(key);
    free(key);
    sbuf_t b = {0};
    sb_add(&b, h->explanation);
    for (int i = 0; basis && basis[i]; i++) {
        if (own && statement_quotes_law(own, basis[i]))
            continue;
        char *lk = xasprintf("law:%s", basis[i]);
        const statement_t *extra = statement_find(lk);
        free(lk);
        if (extra)
            sb_add(&b, extra->text);
    }
    return sb_take(&b);
}

static void report(audit_t *a, const clause_t *c, const term_hit_t *h)
{
    finding_t *f = finding_new(a, "unfair-term");
    f->term_type = term_type_names[h->type];
    f->severity = h->severity;
    f->period = NO_YM;
    f->amount = 0;
    f->basis = fitting_basis(h->basis, c->text);
    f->title = title_of(h, c->label);
    f->explanation = explain(h, f->basis);
    f->remedy = xstrdup(h->remedy);
    finding_evidence(f, &c->prov);
}

/* Classification is most of a long contract's time and each clause stands alone: a
 * second thread takes every other clause, with its own match state. */
#define PARALLEL_MIN_CLAUSES 200

typedef struct {
    const audit_t *a;
    const int *reversed;
    const terms_t *t;
    size_t first, step;
    term_hit_t *hits;
} batch_t;

static void classify_batch(const batch_t *b)
{
    for (size_t i = b->first; i < b->a->clauses.n; i += b->step) {
        const clause_t *c = &b->a->clauses.items[i];
        int src = c->prov.src;
        int swap = src >= 0 && (size_t)src < b->a->sources.n && b->reversed[src];
        char *prepared = terms_prepare(c->text, swap);
        terms_classify(b->t, prepared, &b->hits[i]);
        free(prepared);
    }
}

static void *batch_main(void *arg)
{
    classify_batch(arg);
    return NULL;
}

/* Every clause's hit, on two cores when there are two and the contract is long. */
static term_hit_t *classify_all(const audit_t *a, const terms_t *t, const int *reversed)
{
    term_hit_t *hits = xcalloc(a->clauses.n, sizeof *hits);
    batch_t mine = {a, reversed, t, 0, 1, hits};
    terms_t *w = NULL;
    pthread_t th;
    if (a->clauses.n >= PARALLEL_MIN_CLAUSES && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
        (w = terms_worker(t)) != NULL) {
        terms_fold_cp('a'); /* the fold table is built once, before a second thread reads it */
        batch_t theirs = {a, reversed, w, 1, 2, hits};
        mine.step = 2;
        if (pthread_create(&th, NULL, batch_main, &theirs) == 0) {
            classify_batch(&mine);
            pthread_join(th, NULL);
        } else {
            mine.step = 1;
            classify_batch(&mine);
        }
        terms_worker_free(w);
        return hits;
    }
    classify_batch(&mine);
    return hits;
}

static void run(audit_t *a)
{
    if (!a->clauses.n)
        return;
    const terms_t *t = terms_default();
    if (!t) {
        audit_warn(a, "unfair-term",
                   "the term catalogue could not be loaded; no clause was checked");
        return;
    }
    int *reversed = parties_per_source(a);
    term_hit_t *hits = classify_all(a, t, reversed);
    for (size_t i = 0; i < a->clauses.n; i++) {
        const clause_t *c = &a->clauses.items[i];
        if (hits[i].type >= 0)
            report(a, c, &hits[i]);
        if (hits[i].limit_hit) {
            int src = c->prov.src;
            const char *path =
                src >= 0 && (size_t)src < a->sources.n ? a->sources.items[src].path : "contract";
            audit_warn(a, path,
                       "line %ld: clause too long or complex to match completely (pattern limit); "
                       "it may hold an unreported unfair term",
                       c->prov.line);
        }
    }
    free(hits);
    free(reversed);
}

const rule_t rule_unfair_term = {
    "unfair-term",
    "unfair-term",
    "medium",
    "clauses of contract text matching an unfair standard-term category (doc/unfair-clauses.md)",
    basis,
    NULL,
    run,
};
