/* Builds the context that src/templates/report-*.txt and letter-*.txt render. Every word
 * a person reads lives in the templates and the small tables beside them; this file only
 * arranges facts: groups by category, totals, months, deadlines, laws cited once. */
#include "docctx.h"
#include "data.h"
#include "report.h"
#include "rule.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the small tables: categories, operators, short law names ---- */

typedef struct {
    char *key, *a, *b;
} row3_t;
typedef VEC(row3_t) table3_t;

static void row3(void *ctx, char **f, int n, int lineno)
{
    (void)lineno;
    if (n < 2)
        return;
    row3_t r = {xstrdup(f[0]), xstrdup(f[1]), xstrdup(n > 2 ? f[2] : "")};
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

static table3_t categories, operators, law_short;
static int categories_loaded, operators_loaded, law_short_loaded;

static const row3_t *category_row(const char *cat)
{
    return table_find(table("src/templates/categories.txt", &categories, &categories_loaded), cat);
}

static const row3_t *operator_row(const char *id)
{
    return table_find(table("src/templates/operators.txt", &operators, &operators_loaded), id);
}

static const char *law_short_name(const char *law)
{
    const row3_t *r =
        table_find(table("src/templates/law-short.txt", &law_short, &law_short_loaded), law);
    return r ? r->a : law;
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
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            sb_add(&b, "\xEF\xBF\xBD");
        else
            sb_addc(&b, (char)ch);
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
        return a->sources.items[p->src].path;
    return a->account_path ? a->account_path : "account.json";
}

int doc_is_money(const finding_t *f)
{
    return f->period != NO_YM;
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

static void add_evidence(const audit_t *a, tctx_t *c, const finding_t *f)
{
    tctx_list(c, "evidence");
    for (size_t i = 0; i < f->evidence.n; i++) {
        const prov_t *p = &f->evidence.items[i];
        tctx_t *e = tctx_add(c, "evidence");
        const char *path = doc_evidence_path(a, p);
        char *text = clean_text(p->text);
        char *loc = xasprintf("%s:%ld", path, p->line);
        tctx_set(e, "file", path);
        set_long(e, "line", p->line);
        tctx_set(e, "text", text);
        tctx_set(e, "loc", loc);
        set_code(e, "loc_code", loc);
        set_code(e, "code", text);
        free(text), free(loc);
    }
}

tctx_t *doc_add_finding(const doc_t *d, tctx_t *parent, const char *key, size_t i)
{
    const finding_t *f = &d->a->findings.items[i];
    const row3_t *cat = category_row(f->category);
    tctx_t *c = tctx_add(parent, key);
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
    tctx_set(c, "remedy", f->remedy ? f->remedy : "");
    tctx_set(c, "term_type", f->term_type ? f->term_type : "");
    tctx_set(c, "service", f->service ? f->service : "");
    doc_set_day(c, "event", f->event);
    if (f->deadline != NO_DAY) {
        doc_set_day(c, "deadline", f->deadline);
        set_long(c, "deadline_days", (long long)(f->deadline - d->today));
        doc_set_day(c, "limit_3y", f->event != NO_DAY ? day_add_months(f->event, 36) : NO_DAY);
    } else {
        tctx_set(c, "deadline", "");
    }
    set_flag(c, "expired", doc_expired(d, f));
    set_flag(c, "open", f->deadline != NO_DAY && !doc_expired(d, f));
    add_evidence(d->a, c, f);
    add_basis(c, f->basis);
    set_flag(c, "own_basis", 1);
    return c;
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
    int shared = 1, money = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (strcmp(f->category, cat))
            continue;
        if (n++ == 0)
            basis = f->basis;
        else if (!same_basis(basis, f->basis))
            shared = 0;
        total += f->amount;
        money |= doc_is_money(f);
    }
    set_long(g, "count", n);
    doc_set_money(g, "total", total);
    set_flag(g, "money", money);
    set_months(d, g, "months", pick_category, cat);
    set_flag(g, "basis_shared", shared);
    if (shared)
        add_basis(g, basis);
    tctx_list(g, "findings");
    for (size_t i = 0; i < a->findings.n; i++)
        if (!strcmp(a->findings.items[i].category, cat)) {
            tctx_t *fc = doc_add_finding(d, g, "findings", i);
            set_flag(fc, "own_basis", !shared);
        }
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
        if (dl->kind == DL_MIIT) {
            fen_t total = 0;
            for (size_t k = 0; k < dl->findings.n; k++)
                total += d->a->findings.items[dl->findings.items[k]].amount;
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
            closed_total += f->amount;
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
    for (size_t i = 0; i < a->findings.n; i++)
        for (size_t k = 0; k < a->findings.items[i].evidence.n; k++) {
            int s = a->findings.items[i].evidence.items[k].src;
            if (s >= 0 && (size_t)s < a->sources.n)
                cited[s] = 1;
            else
                *profile = 1;
        }
    return cited;
}

static void add_files(doc_t *d)
{
    const audit_t *a = d->a;
    int profile;
    char *cited = doc_cited_sources(a, &profile);
    tctx_list(d->root, "files");
    for (size_t i = 0; i < a->sources.n; i++)
        if (cited[i]) {
            tctx_t *c = tctx_add(d->root, "files");
            tctx_set(c, "path", a->sources.items[i].path);
            tctx_set(c, "sha256", a->sources.items[i].sha256);
        }
    if (profile && a->account_path) {
        char hex[65];
        tctx_t *c = tctx_add(d->root, "files");
        tctx_set(c, "path", a->account_path);
        if (a->account_sha256[0])
            tctx_set(c, "sha256", a->account_sha256);
        else
            tctx_set(c, "sha256", sha256_file(a->account_path, hex) == 0 ? hex : "");
    }
    free(cited);
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
        tctx_set(c, "path", a->skipped.items[i].path);
        tctx_set(c, "reason", a->skipped.items[i].reason);
    }
    set_flag(d->root, "terms_only", a->terms_only);
    set_flag(d->root, "some_rules_skipped", a->rules_skipped.n > 0);
    set_flag(d->root, "has_notes", a->rules_skipped.n || a->skipped.n || a->warnings.n);
    tctx_list(d->root, "warnings");
    for (size_t i = 0; i < a->warnings.n; i++) {
        tctx_t *c = tctx_add(d->root, "warnings");
        tctx_set(c, "source", a->warnings.items[i].source);
        tctx_set(c, "message", a->warnings.items[i].message);
    }
}

static void add_totals(doc_t *d)
{
    const audit_t *a = d->a;
    fen_t total = 0;
    long money = 0, terms = 0;
    tctx_list(d->root, "findings");
    tctx_list(d->root, "money");
    tctx_list(d->root, "terms");
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        total += f->amount;
        doc_add_finding(d, d->root, "findings", i);
        if (doc_is_money(f)) {
            money++;
            doc_add_finding(d, d->root, "money", i);
        } else {
            terms++;
            doc_add_finding(d, d->root, "terms", i);
        }
    }
    set_long(d->root, "count", (long long)a->findings.n);
    set_long(d->root, "money_count", money);
    set_long(d->root, "terms_count", terms);
    doc_set_money(d->root, "total", total);
    set_months(d, d->root, "months", pick_all, NULL);
}

void doc_init(doc_t *d, const audit_t *a, day_t today)
{
    memset(d, 0, sizeof *d);
    d->a = a;
    d->today = today;
    deadlines_compute(a, today, &d->deadlines);
    d->root = tctx_new();
    tctx_set(d->root, "version", BILLAUDIT_VERSION);
    doc_set_day(d->root, "today", today);
    add_account(d);
    add_totals(d);
    add_groups(d);
    add_headline(d);
    add_deadlines(d);
    add_laws(d);
    add_complaints(d);
    add_files(d);
    add_notes(d);
}

void doc_free(doc_t *d)
{
    tctx_free(d->root);
    deadlines_free(&d->deadlines);
    d->root = NULL;
}
