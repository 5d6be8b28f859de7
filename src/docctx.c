/* Builds the context that src/templates/report-*.txt and letter-*.txt render. Every word
 * a person reads lives in the templates and the small tables beside them; this file only
 * arranges facts: groups by category, totals, months, deadlines, laws cited once. */
#include "docctx.h"
#include "data.h"
#include "report.h"
#include "rule.h"
#include "parties.h"
#include "rulekit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the small tables: categories, operators, short law names ---- */

typedef struct {
    char *key, *a, *b, *c;
} row3_t;
typedef VEC(row3_t) table3_t;

static void row3(void *ctx, char **f, int n, int lineno)
{
    (void)lineno;
    if (n < 2)
        return;
    row3_t r = {xstrdup(f[0]), xstrdup(f[1]), xstrdup(n > 2 ? f[2] : ""),
                xstrdup(n > 3 ? f[3] : "")};
    VEC_PUSH(*(table3_t *)ctx, r);
}

static const table3_t *table(const char *file, table3_t *cache, int *loaded)
{
    if (!*loaded) {
        data_tsv_each(file, row3, cache);
        *loaded = 1;
    }
    return cache;
}

static const row3_t *table_find(const table3_t *t, const char *key)
{
    for (size_t i = 0; key && i < t->n; i++)
        if (!strcmp(t->items[i].key, key))
            return &t->items[i];
    return NULL;
}

static table3_t categories, operators;
static int categories_loaded, operators_loaded;

static const row3_t *category_row(const char *cat)
{
    return table_find(table("src/templates/categories.txt", &categories, &categories_loaded), cat);
}

static table3_t skip_reasons;
static int skip_reasons_loaded;

/* A skipped file's reason in the reports' language when it is one of the fixed reasons
 * (src/templates/skip-reasons.txt), else as given. */
static const char *skip_reason_zh(const char *reason)
{
    const row3_t *r = table_find(
        table("src/templates/skip-reasons.txt", &skip_reasons, &skip_reasons_loaded), reason);
    return r ? r->a : reason;
}

static const row3_t *operator_row(const char *id)
{
    return table_find(table("src/templates/operators.txt", &operators, &operators_loaded), id);
}

/* ---- small setters ---- */

void doc_set_money(tctx_t *c, const char *key, fen_t v)
{
    char m[32];
    tctx_set(c, key, money_fmt(v, m));
}

void doc_set_day(tctx_t *c, const char *key, day_t d)
{
    char b[16];
    tctx_set(c, key, d == NO_DAY ? NULL : day_fmt(d, b));
}

static void set_flag(tctx_t *c, const char *key, int on)
{
    tctx_set(c, key, on ? "1" : "");
}

static void set_long(tctx_t *c, const char *key, long long v)
{
    tctx_setf(c, key, "%lld", v);
}

/* Control characters of a raw input line would steer a terminal: shown as U+FFFD. */
static char *clean_text(const char *s)
{
    sbuf_t b = {0};
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    for (size_t i = 0, n = strlen((const char *)u); i < n;) {
        unsigned cp;
        size_t len = utf8_char(u + i, n - i, &cp);
        if (!len || (cp < 0x20 && cp != '\t') || cp == 0x7f) /* a stray byte too */
            sb_add(&b, "\xEF\xBF\xBD");
        else
            sb_addn(&b, (const char *)u + i, len);
        i += len ? len : 1;
    }
    return sb_take(&b);
}

static void set_code(tctx_t *c, const char *key, const char *s)
{
    sbuf_t b = {0};
    md_code(&b, s);
    char *v = sb_take(&b);
    tctx_set(c, key, v);
    free(v);
}

const char *doc_evidence_path(const audit_t *a, const prov_t *p)
{
    if (p->src >= 0 && (size_t)p->src < a->sources.n)
        return name_shown(a->sources.items[p->src].path);
    return a->account_path ? name_shown(a->account_path) : "account.json";
}

int doc_is_money(const finding_t *f)
{
    return f->period != NO_YM;
}

const char *doc_category_name(const char *cat)
{
    const row3_t *r = category_row(cat);
    return r ? r->a : cat;
}

int doc_is_refund(const finding_t *f)
{
    const row3_t *r = category_row(f->category);
    return doc_is_money(f) && (!r || strcmp(r->c, "request"));
}

int doc_expired(const doc_t *d, const finding_t *f)
{
    return f->deadline != NO_DAY && d->today > f->deadline;
}

/* ---- months ---- */

static int ym_cmp(const void *x, const void *y)
{
    ym_t a = *(const ym_t *)x, b = *(const ym_t *)y;
    return a < b ? -1 : a > b;
}

/* Sets key (span "2025-02 至 2025-05" or one month), key_count (distinct months) and
 * key_list ("2025-02、2025-04") from the periods of the findings selected by pick. */
typedef int (*pick_fn)(const doc_t *d, const finding_t *f, const void *arg);

static void set_months(const doc_t *d, tctx_t *c, const char *key, pick_fn pick, const void *arg)
{
    VEC(ym_t) ms = {0};
    for (size_t i = 0; i < d->a->findings.n; i++) {
        const finding_t *f = &d->a->findings.items[i];
        if (f->period != NO_YM && pick(d, f, arg))
            VEC_PUSH(ms, f->period);
    }
    if (ms.n) /* qsort(NULL, 0) is undefined */
        qsort(ms.items, ms.n, sizeof *ms.items, ym_cmp);
    size_t w = 0;
    for (size_t i = 0; i < ms.n; i++)
        if (!w || ms.items[w - 1] != ms.items[i])
            ms.items[w++] = ms.items[i];
    ms.n = w;
    char lo[16], hi[16];
    char *kc = xasprintf("%s_count", key), *kl = xasprintf("%s_list", key);
    if (!ms.n)
        tctx_set(c, key, "");
    else if (ms.n == 1)
        tctx_set(c, key, ym_fmt(ms.items[0], lo));
    else
        tctx_setf(c, key, "%s 至 %s", ym_fmt(ms.items[0], lo), ym_fmt(ms.items[ms.n - 1], hi));
    set_long(c, kc, (long long)ms.n);
    sbuf_t b = {0};
    for (size_t i = 0; i < ms.n; i++) {
        if (i)
            sb_add(&b, "、");
        sb_add(&b, ym_fmt(ms.items[i], lo));
    }
    char *list = sb_take(&b);
    tctx_set(c, kl, list);
    free(list), free(kc), free(kl);
    VEC_FREE(ms);
}

static int pick_all(const doc_t *d, const finding_t *f, const void *arg)
{
    (void)d, (void)f, (void)arg;
    return 1;
}

static int pick_category(const doc_t *d, const finding_t *f, const void *arg)
{
    (void)d;
    return !strcmp(f->category, (const char *)arg);
}

static int pick_deadline(const doc_t *d, const finding_t *f, const void *arg)
{
    (void)d;
    return f->deadline == *(const day_t *)arg;
}

/* ---- one finding ---- */

static void add_basis(tctx_t *c, const char *const *basis)
{
    tctx_list(c, "basis");
    for (int i = 0; basis && basis[i]; i++) {
        const law_t *l = law_find(basis[i]);
        if (!l)
            continue; /* only VERIFIED entries are in the table */
        tctx_t *b = tctx_add(c, "basis");
        tctx_set(b, "id", l->id);
        tctx_set(b, "law", l->law);
        tctx_set(b, "article", l->article);
        tctx_setf(b, "short", "%s%s", law_short_name(l->law), l->article);
    }
}

/* One cited line: where it is, its raw text, its exhibit and its fact in words. */
static tctx_t *add_cited(const doc_t *d, tctx_t *c, const char *key, const prov_t *p,
                         const char *note)
{
    tctx_t *e = tctx_add(c, key);
    const char *path = doc_evidence_path(d->a, p);
    char *text = clean_text(p->text);
    char at[48];
    char *loc = xasprintf("%s:%s", path, line_text(p->line, at, sizeof at));
    tctx_set(e, "file", path);
    set_long(e, "line", p->line);
    tctx_set(e, "at", line_zh(p->line, at, sizeof at));
    tctx_set(e, "text", text);
    tctx_set(e, "loc", loc);
    set_code(e, "loc_code", loc);
    set_code(e, "code", text);
    const exhibit_t *x = exhibit_of(&d->exhibits, p->src);
    const exline_t *l = x ? exhibit_line(x, p->line) : NULL;
    if (x) {
        char *ref = exhibit_ref(x, &p->line, 1);
        set_long(e, "exhibit", x->no);
        tctx_set(e, "ref", ref);
        free(ref);
    }
    tctx_set(e, "fact", note ? note : l ? l->fact : text);
    set_flag(e, "damaged", p->damaged);
    free(text), free(loc);
    return e;
}

/* "证据1第22行；证据3第5、6行": the exhibits a finding rests on, in exhibit order. */
static char *refs_of(const doc_t *d, const finding_t *f)
{
    sbuf_t b = {0};
    for (size_t k = 0; k < d->exhibits.items.n; k++) {
        const exhibit_t *x = &d->exhibits.items.items[k];
        VEC(long) lines = {0};
        for (size_t i = 0; i < f->evidence.n; i++)
            if (f->evidence.items[i].src == x->src)
                VEC_PUSH(lines, f->evidence.items[i].line);
        for (size_t i = 0; i < f->support.n; i++)
            if (f->support.items[i].prov.src == x->src)
                VEC_PUSH(lines, f->support.items[i].prov.line);
        if (lines.n) {
            /* ascending, each once */
            for (size_t i = 1; i < lines.n; i++)
                for (size_t j = i; j > 0 && lines.items[j - 1] > lines.items[j]; j--) {
                    long t = lines.items[j];
                    lines.items[j] = lines.items[j - 1], lines.items[j - 1] = t;
                }
            size_t w = 0;
            for (size_t i = 0; i < lines.n; i++)
                if (!w || lines.items[w - 1] != lines.items[i])
                    lines.items[w++] = lines.items[i];
            char *r = exhibit_ref(x, lines.items, w);
            sb_add(&b, b.n ? "；" : "");
            sb_add(&b, r);
            free(r);
        }
        VEC_FREE(lines);
    }
    return sb_take(&b);
}

static void add_evidence(const doc_t *d, tctx_t *c, const finding_t *f)
{
    tctx_list(c, "evidence");
    tctx_list(c, "points");
    tctx_list(c, "said");
    for (size_t i = 0; i < f->evidence.n; i++) {
        const prov_t *p = &f->evidence.items[i];
        add_cited(d, c, "evidence", p, NULL);
        if (p->src >= 0)
            add_cited(d, c, "points", p, NULL);
    }
    for (size_t i = 0; i < f->support.n; i++)
        add_cited(d, c, "points", &f->support.items[i].prov, f->support.items[i].note);
    for (size_t i = 0; i < f->statements.n; i++)
        tctx_set(tctx_add(c, "said"), "text", f->statements.items[i]);
    char *refs = refs_of(d, f);
    tctx_set(c, "refs", refs);
    free(refs);
}

static void finding_fill(const doc_t *d, tctx_t *c, size_t i)
{
    const finding_t *f = &d->a->findings.items[i];
    const row3_t *cat = category_row(f->category);
    char p[16];
    tctx_set(c, "id", f->id);
    tctx_set(c, "rule", f->rule);
    tctx_set(c, "category", f->category);
    tctx_set(c, "name", cat ? cat->a : f->category);
    tctx_set(c, "reason_label", cat && *cat->b ? cat->b : "理由");
    tctx_set(c, "severity", f->severity);
    tctx_set(c, "period", f->period != NO_YM ? ym_fmt(f->period, p) : NULL);
    set_flag(c, "money", doc_is_money(f));
    doc_set_money(c, "amount", f->amount);
    tctx_set(c, "title", f->title ? f->title : "");
    tctx_set(c, "explanation", f->explanation ? f->explanation : "");
    char *facts = rk_facts(f);
    tctx_set(c, "facts", facts);
    free(facts);
    char *st = f->stmt ? statement_cited(f->stmt) : xstrdup("");
    tctx_set(c, "statement", st);
    free(st);
    set_flag(c, "refund", doc_is_refund(f));
    set_flag(c, "request", doc_is_money(f) && !doc_is_refund(f));
    tctx_set(c, "remedy", f->remedy ? f->remedy : "");
    tctx_set(c, "term_type", f->term_type ? f->term_type : "");
    tctx_set(c, "service", f->service ? f->service : "");
    doc_set_day(c, "event", f->event);
    if (f->deadline != NO_DAY) {
        doc_set_day(c, "deadline", f->deadline);
        set_long(c, "deadline_days", (long long)(f->deadline - d->today));
        doc_set_day(c, "limit_3y", finding_limit_3y(f));
        set_flag(c, "limit_3y_passed", finding_limit_3y(f) < d->today);
    } else {
        tctx_set(c, "deadline", "");
    }
    set_flag(c, "expired", doc_expired(d, f));
    set_flag(c, "open", f->deadline != NO_DAY && !doc_expired(d, f));
    set_flag(c, "own_stmt", 1);
    add_evidence(d, c, f);
    if (f->term_type)
        doc_clause_quote(d, c, f);
    add_basis(c, f->basis);
    set_flag(c, "own_basis", 1);
}

tctx_t *doc_add_finding(const doc_t *d, tctx_t *parent, const char *key, size_t i)
{
    tctx_t *c = tctx_add(parent, key);
    finding_fill(d, c, i);
    return c;
}

/* ---- lists of findings, built as they are rendered ---- */

/* The findings of one list (all, money, terms, a category's): their indexes, and for a
 * category the flags saying whether each prints its own basis and statement. */
typedef struct {
    const doc_t *d;
    VEC(size_t) idx;
    int in_group, own_basis, own_stmt;
} flist_t;

static tctx_t *flist_item(const void *arg, size_t i)
{
    const flist_t *l = arg;
    tctx_t *c = tctx_new();
    finding_fill(l->d, c, l->idx.items[i]);
    if (l->in_group) {
        set_flag(c, "own_basis", l->own_basis);
        set_flag(c, "own_stmt", l->own_stmt);
    }
    return c;
}

static void flist_free(void *arg)
{
    flist_t *l = arg;
    VEC_FREE(l->idx);
    free(l);
}

static flist_t *flist_new(const doc_t *d)
{
    flist_t *l = xcalloc(1, sizeof *l);
    l->d = d;
    return l;
}

/* Makes list key of c the findings of l, rendered one at a time. */
static void flist_attach(tctx_t *c, const char *key, flist_t *l)
{
    tctx_list_lazy(c, key, l->idx.n, flist_item, l, flist_free);
}

/* ---- groups by category ---- */

static int same_basis(const char *const *x, const char *const *y)
{
    if (x == y)
        return 1;
    for (int i = 0;; i++) {
        const char *a = x ? x[i] : NULL, *b = y ? y[i] : NULL;
        if (!a || !b)
            return a == b;
        if (strcmp(a, b))
            return 0;
    }
}

/* Category order: the order of categories.txt, then any other by name. */
static int cat_rank(const char *cat)
{
    const table3_t *t = table("src/templates/categories.txt", &categories, &categories_loaded);
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->items[i].key, cat))
            return (int)i;
    return (int)t->n;
}

static int cat_cmp(const void *x, const void *y)
{
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    int ra = cat_rank(a), rb = cat_rank(b);
    return ra != rb ? ra - rb : strcmp(a, b);
}

static void add_group(doc_t *d, const char *cat)
{
    const audit_t *a = d->a;
    const row3_t *row = category_row(cat);
    tctx_t *g = tctx_add(d->root, "groups");
    tctx_set(g, "category", cat);
    tctx_set(g, "name", row ? row->a : cat);
    tctx_set(g, "reason_label", row && *row->b ? row->b : "理由");
    fen_t total = 0;
    long n = 0;
    const char *const *basis = NULL;
    const char *stmt = NULL;
    int shared = 1, money = 0, stmt_shared = 1;
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (strcmp(f->category, cat))
            continue;
        if (n++ == 0)
            basis = f->basis, stmt = f->stmt;
        else if (!same_basis(basis, f->basis))
            shared = 0;
        if (!f->stmt || !stmt || strcmp(f->stmt, stmt))
            stmt_shared = 0;
        fen_add(&total, f->amount);
        money |= doc_is_money(f);
    }
    set_long(g, "count", n);
    doc_set_money(g, "total", total);
    set_flag(g, "money", money);
    set_months(d, g, "months", pick_category, cat);
    set_flag(g, "basis_shared", shared);
    if (shared)
        add_basis(g, basis);
    /* The legal statement once per category when its findings share it: 200 findings
     * print it once, not 200 times. */
    set_flag(g, "stmt_shared", stmt_shared && stmt);
    char *st = stmt_shared && stmt ? statement_cited(stmt) : xstrdup("");
    tctx_set(g, "group_statement", st);
    free(st);
    flist_t *l = flist_new(d);
    l->in_group = 1, l->own_basis = !shared, l->own_stmt = !(stmt_shared && stmt);
    for (size_t i = 0; i < a->findings.n; i++)
        if (!strcmp(a->findings.items[i].category, cat))
            VEC_PUSH(l->idx, i);
    flist_attach(g, "findings", l);
}

static void add_groups(doc_t *d)
{
    const audit_t *a = d->a;
    VEC(const char *) cats = {0};
    for (size_t i = 0; i < a->findings.n; i++) {
        const char *c = a->findings.items[i].category;
        int seen = 0;
        for (size_t k = 0; k < cats.n && !seen; k++)
            seen = !strcmp(cats.items[k], c);
        if (!seen)
            VEC_PUSH(cats, c);
    }
    if (cats.n)
        qsort(cats.items, cats.n, sizeof *cats.items, cat_cmp);
    tctx_list(d->root, "groups");
    for (size_t k = 0; k < cats.n; k++)
        add_group(d, cats.items[k]);
    VEC_FREE(cats);
}

/* ---- laws cited, once each, in the order of the law table ---- */

typedef struct {
    VEC(const char *) ids;
    tctx_t *root;
} lawsel_t;

static void want_law(lawsel_t *s, const char *id)
{
    for (size_t i = 0; i < s->ids.n; i++)
        if (!strcmp(s->ids.items[i], id))
            return;
    VEC_PUSH(s->ids, id);
}

static void emit_law(const law_t *l, void *ctx)
{
    lawsel_t *s = ctx;
    for (size_t i = 0; i < s->ids.n; i++)
        if (!strcmp(s->ids.items[i], l->id)) {
            tctx_t *c = tctx_add(s->root, "laws");
            tctx_set(c, "id", l->id);
            tctx_set(c, "law", l->law);
            tctx_set(c, "article", l->article);
            tctx_set(c, "text", l->text);
            tctx_setf(c, "short", "%s%s", law_short_name(l->law), l->article);
            return;
        }
}

static void add_laws(doc_t *d)
{
    lawsel_t s = {{0}, d->root};
    for (size_t i = 0; i < d->a->findings.n; i++) {
        const char *const *b = d->a->findings.items[i].basis;
        for (int k = 0; b && b[k]; k++)
            want_law(&s, b[k]);
    }
    for (size_t i = 0; i < d->deadlines.n; i++)
        if (d->deadlines.items[i].law_id)
            want_law(&s, d->deadlines.items[i].law_id);
    tctx_list(d->root, "laws");
    laws_each(emit_law, &s);
    VEC_FREE(s.ids);
}

/* ---- deadlines ---- */

static void add_deadlines(doc_t *d)
{
    static const char *const kind_keys[] = {"k_appeal_from", "k_miit", "k_12315", "k_court"};
    tctx_list(d->root, "deadlines");
    day_t first = NO_DAY, last = NO_DAY;
    long passed = 0, passed_findings = 0;
    for (size_t i = 0; i < d->deadlines.n; i++) {
        const deadline_t *dl = &d->deadlines.items[i];
        if (dl->kind == DL_MIIT && dl->date < d->today) {
            /* Closed windows are summed up in one line: 200 findings stay readable. */
            if (!passed++)
                first = dl->date;
            tctx_set(d->root, "passed_window_basis", dl->basis);
            last = dl->date;
            passed_findings += (long)dl->findings.n;
            continue;
        }
        tctx_t *c = tctx_add(d->root, "deadlines");
        doc_set_day(c, "date", dl->date);
        tctx_set(c, "basis", dl->basis);
        long days = (long)(dl->date - d->today);
        set_long(c, "days", days);
        set_flag(c, "passed", days < 0);
        set_flag(c, "is_today", days == 0);
        set_flag(c, "future", days > 0);
        for (int k = 0; k < 4; k++)
            set_flag(c, kind_keys[k], (int)dl->kind == k);
        set_long(c, "passed_count", dl->passed);
        set_flag(c, "all_passed", dl->all_passed);
        if (dl->kind == DL_MIIT) {
            fen_t total = 0;
            for (size_t k = 0; k < dl->findings.n; k++)
                fen_add(&total, d->a->findings.items[dl->findings.items[k]].amount);
            set_long(c, "count", (long long)dl->findings.n);
            doc_set_money(c, "total", total);
            set_months(d, c, "months", pick_deadline, &dl->date);
        }
    }
    set_long(d->root, "passed_windows", passed);
    set_long(d->root, "passed_window_findings", passed_findings);
    doc_set_day(d->root, "passed_window_first", first);
    doc_set_day(d->root, "passed_window_last", last);
}

/* The nearest open MIIT window and what has already closed. */
static void add_headline(doc_t *d)
{
    const audit_t *a = d->a;
    day_t nearest = NO_DAY, first_closed = NO_DAY;
    long closed = 0, open = 0;
    fen_t closed_total = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (f->deadline == NO_DAY)
            continue;
        if (doc_expired(d, f)) {
            closed++;
            fen_add(&closed_total, f->amount);
            if (first_closed == NO_DAY || f->deadline < first_closed)
                first_closed = f->deadline;
        } else {
            open++;
            if (nearest == NO_DAY || f->deadline < nearest)
                nearest = f->deadline;
        }
    }
    set_flag(d->root, "nearest", nearest != NO_DAY);
    doc_set_day(d->root, "nearest_date", nearest);
    if (nearest != NO_DAY) {
        set_long(d->root, "nearest_days", (long long)(nearest - d->today));
        long n = 0;
        for (size_t i = 0; i < a->findings.n; i++)
            n += a->findings.items[i].deadline == nearest;
        set_long(d->root, "nearest_count", n);
        set_months(d, d->root, "nearest_months", pick_deadline, &nearest);
    }
    set_long(d->root, "open_count", open);
    set_long(d->root, "expired_count", closed);
    doc_set_money(d->root, "expired_total", closed_total);
    doc_set_day(d->root, "expired_first", first_closed);
    set_flag(d->root, "all_expired", closed && !open);
}

/* ---- the profile: holder, operator, complaints ---- */

/* The respondent (AP-12(二)): as the profile writes it, else the company a contract's
 * preamble names when it is the profile's operator; a contract naming another operator is
 * flagged (party_other) and not used. */
static void add_respondent(doc_t *d)
{
    const account_t *ac = &d->a->acct;
    party_t p;
    int found = contract_party(d->a, &p) == 0;
    int same =
        found && (!ac->operator_id || (p.operator_id && !strcmp(p.operator_id, ac->operator_id)));
    const char *name = ac->respondent_name && *ac->respondent_name ? ac->respondent_name
                       : same                                      ? p.name
                                                                   : NULL;
    tctx_set(d->root, "respondent_name", name);
    tctx_set(d->root, "respondent_address",
             ac->respondent_address && *ac->respondent_address ? ac->respondent_address : NULL);
    set_flag(d->root, "respondent_from_contract", name && found && name == p.name);
    const exhibit_t *x = found ? exhibit_of(&d->exhibits, p.src) : NULL;
    if (x)
        set_long(d->root, "respondent_exhibit", x->no);
    set_flag(d->root, "party_other", found && !same);
    tctx_set(d->root, "party_name", found ? p.name : "");
    if (found)
        party_free(&p);
}

/* The accounts the dispute is about besides the number: each service's 宽带账号 (the
 * profile's, else what a broadband log's preamble declares). */
static void add_accounts(doc_t *d)
{
    const audit_t *a = d->a;
    tctx_list(d->root, "accounts");
    for (size_t i = 0; i < a->acct.services.n; i++) {
        const service_t *v = &a->acct.services.items[i];
        const char *acc = v->account && *v->account ? v->account : NULL;
        for (size_t k = 0; !acc && v->kind == SVC_BROADBAND && k < a->sources.n; k++) {
            const source_t *s = &a->sources.items[k];
            if (s->format && !strcmp(s->format, "broadband-sessions") && s->number && *s->number)
                acc = s->number;
        }
        if (!acc)
            continue;
        tctx_t *c = tctx_add(d->root, "accounts");
        tctx_set(c, "service", v->name);
        tctx_set(c, "account", acc);
    }
}

static void add_account(doc_t *d)
{
    const account_t *ac = &d->a->acct;
    tctx_t *r = d->root;
    set_flag(r, "account", ac->loaded);
    const row3_t *op = operator_row(ac->operator_id);
    tctx_set(r, "operator_id", ac->operator_id);
    tctx_set(r, "operator_name", op ? op->a : NULL);
    tctx_set(r, "operator_hotline", op ? op->b : NULL);
    tctx_set(r, "number", ac->number);
    if (ac->number) {
        char *m = mask_number(ac->number);
        tctx_set(r, "number_masked", m);
        free(m);
    }
    tctx_set(r, "province", ac->province);
    tctx_set(r, "holder_name", ac->holder_name);
    tctx_set(r, "holder_address", ac->holder_address);
    /* The disputed number is a phone number too: the contact line when none is given. */
    tctx_set(r, "holder_phone",
             ac->holder_phone && *ac->holder_phone ? ac->holder_phone : ac->number);
    tctx_set(r, "holder_postcode", ac->holder_postcode);
    add_respondent(d);
    add_accounts(d);
}

static void add_complaint(doc_t *d, const complaint_t *c, tctx_t *item)
{
    tctx_set(item, "to", c->to ? c->to : "");
    set_flag(item, "to_operator", c->to && !strcmp(c->to, "operator"));
    set_flag(item, "to_miit", c->to && !strcmp(c->to, "miit"));
    set_flag(item, "to_12315", c->to && !strcmp(c->to, "12315"));
    doc_set_day(item, "date", c->date);
    tctx_set(item, "channel", c->channel && *c->channel ? c->channel : NULL);
    tctx_set(item, "reference", c->reference && *c->reference ? c->reference : NULL);
    tctx_set(item, "reply", c->reply && *c->reply ? c->reply : "");
    doc_set_day(item, "reply_date", c->reply_date);
    int answered = complaint_answered(c);
    day_t from = appeal_from(c);
    set_flag(item, "answered", answered);
    set_flag(item, "waiting", !answered && from != NO_DAY && d->today < from);
    set_flag(item, "unanswered_15", !answered && from != NO_DAY && d->today >= from);
    set_flag(item, "undated", c->date == NO_DAY);
    doc_set_day(item, "appeal_from", from);
}

static void add_complaints(doc_t *d)
{
    const account_t *ac = &d->a->acct;
    tctx_list(d->root, "complaints");
    tctx_list(d->root, "op_complaints");
    int miit = 0, samr = 0;
    for (size_t i = 0; i < ac->complaints.n; i++) {
        const complaint_t *c = &ac->complaints.items[i];
        add_complaint(d, c, tctx_add(d->root, "complaints"));
        if (c->to && !strcmp(c->to, "operator"))
            add_complaint(d, c, tctx_add(d->root, "op_complaints"));
        miit |= c->to && !strcmp(c->to, "miit");
        samr |= c->to && !strcmp(c->to, "12315");
    }
    set_flag(d->root, "complained_miit", miit);
    set_flag(d->root, "complained_12315", samr);
    const complaint_t *op = operator_complaint(ac);
    set_flag(d->root, "op_complaint", op != NULL);
    day_t from = op ? appeal_from(op) : NO_DAY;
    doc_set_day(d->root, "appeal_from", from);
    set_flag(d->root, "appeal_wait", op && from != NO_DAY && d->today < from);
    set_flag(d->root, "appeal_open",
             op && (from == NO_DAY ? complaint_answered(op) : d->today >= from));
    if (op) {
        doc_set_day(d->root, "op_date", op->date);
        set_flag(d->root, "op_answered", complaint_answered(op));
    }
}

/* ---- cited files ---- */

char *doc_cited_sources(const audit_t *a, int *profile)
{
    char *cited = xcalloc(a->sources.n + 1, 1);
    *profile = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        for (size_t k = 0; k < f->evidence.n; k++) {
            int s = f->evidence.items[k].src;
            if (s >= 0 && (size_t)s < a->sources.n)
                cited[s] = 1;
            else
                *profile = 1;
        }
        for (size_t k = 0; k < f->support.n; k++) {
            int s = f->support.items[k].prov.src;
            if (s >= 0 && (size_t)s < a->sources.n)
                cited[s] = 1;
        }
    }
    return cited;
}

/* The exhibit index: every cited input, numbered, in words, with its lines and SHA-256.
 * The profile is the user's statement: never listed. (files: the same, for old templates.) */
static void add_files(doc_t *d)
{
    const audit_t *a = d->a;
    tctx_list(d->root, "files");
    tctx_list(d->root, "exhibits");
    for (size_t i = 0; i < d->exhibits.items.n; i++) {
        const exhibit_t *x = &d->exhibits.items.items[i];
        const source_t *s = &a->sources.items[x->src];
        tctx_t *f = tctx_add(d->root, "files");
        tctx_set(f, "path", name_shown(s->path));
        tctx_set(f, "sha256", s->sha256);
        tctx_t *c = tctx_add(d->root, "exhibits");
        set_long(c, "no", x->no);
        tctx_set(c, "path", name_shown(s->path));
        set_code(c, "path_code", name_shown(s->path));
        tctx_set(c, "sha256", s->sha256);
        tctx_set(c, "desc", x->desc);
        char *lines = exhibit_lines_text(x);
        tctx_set(c, "lines_text", lines);
        free(lines);
        tctx_list(c, "lines");
        for (size_t k = 0; k < x->lines.n; k++) {
            tctx_t *l = tctx_add(c, "lines");
            char at[48];
            set_long(l, "line", x->lines.items[k].line);
            tctx_set(l, "pos", line_text(x->lines.items[k].line, at, sizeof at));
            tctx_set(l, "at", line_zh(x->lines.items[k].line, at, sizeof at));
            tctx_set(l, "raw", x->lines.items[k].raw);
            set_code(l, "raw_code", x->lines.items[k].raw);
            tctx_set(l, "fact", x->lines.items[k].fact);
            set_flag(l, "damaged", x->lines.items[k].damaged);
            tctx_set(l, "damaged_note", x->lines.items[k].damaged ? EXHIBIT_DAMAGED : "");
        }
    }
    set_long(d->root, "exhibit_count", (long long)d->exhibits.items.n);
}

static void add_notes(doc_t *d)
{
    const audit_t *a = d->a;
    tctx_list(d->root, "rules_skipped");
    for (size_t i = 0; i < a->rules_skipped.n; i++) {
        tctx_t *c = tctx_add(d->root, "rules_skipped");
        tctx_set(c, "rule", a->rules_skipped.items[i].rule);
        tctx_set(c, "needs", a->rules_skipped.items[i].needs);
    }
    tctx_list(d->root, "skipped");
    for (size_t i = 0; i < a->skipped.n; i++) {
        tctx_t *c = tctx_add(d->root, "skipped");
        tctx_set(c, "path", name_shown(a->skipped.items[i].path));
        tctx_set(c, "reason", skip_reason_zh(a->skipped.items[i].reason));
    }
    set_flag(d->root, "terms_only", a->terms_only);
    set_flag(d->root, "some_rules_skipped", a->rules_skipped.n > 0);
    set_flag(d->root, "has_notes", a->rules_skipped.n || a->skipped.n || a->warnings.n);
    tctx_list(d->root, "warnings");
    for (size_t i = 0; i < a->warnings.n; i++) {
        tctx_t *c = tctx_add(d->root, "warnings");
        tctx_set(c, "source", name_shown(a->warnings.items[i].source));
        tctx_set(c, "message", a->warnings.items[i].message);
    }
}

static void add_totals(doc_t *d)
{
    const audit_t *a = d->a;
    fen_t total = 0, refund = 0, request = 0;
    long money = 0, terms = 0, nrefund = 0, nrequest = 0;
    flist_t *all = flist_new(d), *with_money = flist_new(d), *with_terms = flist_new(d);
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        fen_add(&total, f->amount);
        VEC_PUSH(all->idx, i);
        if (doc_is_money(f)) {
            money++;
            VEC_PUSH(with_money->idx, i);
            if (doc_is_refund(f))
                fen_add(&refund, f->amount), nrefund++;
            else
                fen_add(&request, f->amount), nrequest++;
        } else {
            terms++;
            VEC_PUSH(with_terms->idx, i);
        }
    }
    flist_attach(d->root, "findings", all);
    flist_attach(d->root, "money", with_money);
    flist_attach(d->root, "terms", with_terms);
    set_long(d->root, "count", (long long)a->findings.n);
    set_long(d->root, "money_count", money);
    set_long(d->root, "terms_count", terms);
    doc_set_money(d->root, "total", total);
    doc_set_money(d->root, "refund_total", refund);
    doc_set_money(d->root, "request_total", request);
    set_long(d->root, "refund_count", nrefund);
    set_long(d->root, "request_count", nrequest);
    set_months(d, d->root, "months", pick_all, NULL);
}

/* ---- routes: whether each can be taken today (src/deadline.c) ---- */

static void add_route(doc_t *d, const char *p, const route_t *r)
{
    static const char *const states[] = {"open", "no_money", "all_expired", "no_complaint", "wait"};
    for (int i = 0; i < 5; i++) {
        char *k = xasprintf("%s_%s", p, states[i]);
        set_flag(d->root, k, (int)r->state == i);
        free(k);
    }
    char *k;
    k = xasprintf("%s_first_possible", p), doc_set_day(d->root, k, r->first_possible), free(k);
    k = xasprintf("%s_never", p), set_flag(d->root, k, r->first_possible == NO_DAY), free(k);
    k = xasprintf("%s_nearest", p), doc_set_day(d->root, k, r->nearest), free(k);
    k = xasprintf("%s_last_closed", p), doc_set_day(d->root, k, r->last_closed), free(k);
    k = xasprintf("%s_open_count", p), set_long(d->root, k, r->open), free(k);
    k = xasprintf("%s_expired_count", p), set_long(d->root, k, r->expired), free(k);
    k = xasprintf("%s_open_total", p), doc_set_money(d->root, k, r->open_total), free(k);
    k = xasprintf("%s_expired_total", p), doc_set_money(d->root, k, r->expired_total), free(k);
    k = xasprintf("%s_open_then", p), set_long(d->root, k, r->open_then), free(k);
}

static void add_routes(doc_t *d)
{
    add_route(d, "miit", &d->miit);
    add_route(d, "y3", &d->y3);
    /* Every window closed: the reports say so plainly, no route is offered as open. */
    set_flag(d->root, "all_closed",
             d->miit.state == ROUTE_ALL_EXPIRED && d->y3.state == ROUTE_ALL_EXPIRED);
    set_flag(d->root, "miit_closed_y3_open",
             d->miit.state == ROUTE_ALL_EXPIRED && d->y3.state == ROUTE_OPEN);
}

/* ---- legal statements: stmt_KEY, each with its citations (rules/data/statements.tsv) ---- */

static void add_statement(const statement_t *st, void *ctx)
{
    tctx_t *root = ctx;
    if (!strcmp(st->text, "="))
        return;
    sbuf_t k = {0};
    sb_add(&k, "stmt_");
    for (const char *p = st->key; *p; p++)
        sb_addc(&k, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p
                    : *p >= 'A' && *p <= 'Z'                             ? (char)(*p - 'A' + 'a')
                                                                         : '_');
    char *key = sb_take(&k), *text = statement_cited(st->key);
    tctx_set(root, key, text);
    free(key), free(text);
}

static void add_statements(doc_t *d)
{
    statements_each(add_statement, d->root);
}

void doc_init(doc_t *d, const audit_t *a, day_t today)
{
    memset(d, 0, sizeof *d);
    d->a = a;
    d->today = today;
    deadlines_compute(a, today, &d->deadlines);
    exhibits_build(&d->exhibits, a);
    route_miit(a, today, &d->miit);
    route_3y(a, today, &d->y3);
    d->root = tctx_new();
    tctx_set(d->root, "version", BILLAUDIT_VERSION);
    doc_set_day(d->root, "today", today);
    set_flag(d->root, "as_of", billaudit_as_of_given()); /* headers say "as of", not "generated" */
    add_account(d);
    add_totals(d);
    add_groups(d);
    add_headline(d);
    add_deadlines(d);
    add_laws(d);
    add_complaints(d);
    add_files(d);
    add_notes(d);
    add_routes(d);
    add_statements(d);
    doc_add_timeline(d);
}

void doc_free(doc_t *d)
{
    tctx_free(d->root);
    deadlines_free(&d->deadlines);
    exhibits_free(&d->exhibits);
    d->root = NULL;
}
