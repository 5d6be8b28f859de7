/* The exhibit index of the reports and letters (src/exhibits.h). Facts are read from the
 * records the parsers emitted, found by (source, line): a cited line is described by what
 * it holds, never re-parsed. */
#include "exhibits.h"
#include "data.h"
#include "payments.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what each format is (src/templates/exhibits.txt) ---- */

typedef struct {
    char *format, *noun, *issuer;
} kind_t;
static VEC(kind_t) kinds;
static int kinds_loaded;

static void kind_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n >= 3) {
        kind_t k = {xstrdup(f[0]), xstrdup(f[1]), xstrdup(f[2])};
        VEC_PUSH(kinds, k);
    }
}

static const kind_t *kind_of(const char *format)
{
    if (!kinds_loaded) {
        data_tsv_each("src/templates/exhibits.txt", kind_row, NULL);
        kinds_loaded = 1;
    }
    for (size_t i = 0; format && i < kinds.n; i++)
        if (!strcmp(kinds.items[i].format, format))
            return &kinds.items[i];
    return NULL;
}

static const char *operator_label(const char *id)
{
    static const char *const names[][2] = {
        {"china-mobile", "中国移动"}, {"china-telecom", "中国电信"}, {"china-unicom", "中国联通"}};
    for (size_t i = 0; id && i < 3; i++)
        if (!strcmp(names[i][0], id))
            return names[i][1];
    return NULL;
}

/* "（2025-01至2025-05）" or "（2025-01-01至2025-05-31）"; "" when unknown. */
static void period_of(sbuf_t *b, const source_t *s)
{
    char x[16], y[16];
    if (s->bill_from != NO_YM && s->bill_to != NO_YM)
        sb_addf(b, s->bill_from == s->bill_to ? "（%s）" : "（%s至%s）", ym_fmt(s->bill_from, x),
                ym_fmt(s->bill_to, y));
    else if (s->decl_from != NO_DAY && s->decl_to != NO_DAY)
        sb_addf(b, "（%s至%s）", day_fmt(s->decl_from, x), day_fmt(s->decl_to, y));
    else if (s->from != NO_YM && s->to != NO_YM)
        sb_addf(b, s->from == s->to ? "（%s）" : "（%s至%s）", ym_fmt(s->from, x),
                ym_fmt(s->to, y));
}

char *source_desc(const audit_t *a, const source_t *s)
{
    const kind_t *k = kind_of(s->format);
    sbuf_t b = {0};
    sb_add(&b, k ? k->noun : "文件");
    period_of(&b, s);
    if (k && !strcmp(k->issuer, "operator")) {
        const char *op = s->operator_name && *s->operator_name
                             ? s->operator_name
                             : operator_label(a->acct.operator_id);
        sb_addf(&b, "，%s导出", op ? op : "运营商");
    } else if (k && strcmp(k->issuer, "-")) {
        sb_addf(&b, "，%s导出", k->issuer);
    }
    return sb_take(&b);
}

/* ---- facts of the cited lines ---- */

/* Control characters of a raw input line would steer a terminal or break a table: a TAB
 * (wallet exports pad ids with one) is a space, others U+FFFD. */
static char *clean(const char *s)
{
    sbuf_t b = {0};
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\t')
            sb_addc(&b, ' ');
        else if (ch < 0x20 || ch == 0x7f)
            sb_add(&b, "\xEF\xBF\xBD");
        else
            sb_addc(&b, (char)ch);
    }
    char *t = sb_take(&b);
    str_trim(t);
    return t;
}

static char *payment_fact(const payment_t *p)
{
    char t[24], amt[32];
    ts_fmt(p->time, t);
    static const char *const status[] = {"支付成功", "已关闭", "退款", ""};
    sbuf_t b = {0};
    sb_addf(&b, "%s通过%s向%s%s%s元", t, wallet_label(p->wallet),
            p->counterparty && *p->counterparty ? p->counterparty : "对方",
            p->dir == DIR_IN ? "收款" : "支付", money_fmt(p->amount, amt));
    if (p->item && *p->item)
        sb_addf(&b, "（%s）", p->item);
    if (status[p->status % 4][0])
        sb_addf(&b, "，%s", status[p->status % 4]);
    return sb_take(&b);
}

static char *credit_fact(const credit_t *c)
{
    char t[24], amt[32];
    ts_fmt(c->time, t);
    sbuf_t b = {0};
    sb_addf(&b, "运营商缴费记录：%s到账%s元", t, money_fmt(c->amount, amt));
    if (c->channel && *c->channel)
        sb_addf(&b, "（%s）", c->channel);
    if (!c->ok)
        sb_add(&b, "，未成功");
    return sb_take(&b);
}

static char *bill_fact(const bill_line_t *l)
{
    char m[16], amt[32];
    ym_fmt(l->period, m);
    money_fmt(l->amount, amt);
    if (l->item && *l->item)
        return xasprintf("%s账单“%s”%s元", m, l->item, amt);
    return xasprintf("%s账单“%s”%s元", m, l->category ? l->category : "", amt);
}

static char *vas_fact(const vas_rec_t *v)
{
    char t[24], fee[32];
    ts_fmt(v->time, t);
    if (v->provider && *v->provider)
        return xasprintf("%s扣费“%s”%s元，服务提供商%s", t, v->name, money_fmt(v->fee, fee),
                         v->provider);
    return xasprintf("%s扣费“%s”%s元", t, v->name, money_fmt(v->fee, fee));
}

static char *clause_fact(const clause_t *c)
{
    const char *t = c->text ? c->text : "";
    size_t n = 0, chars = 0;
    while (t[n] && chars < 40) {
        unsigned char ch = (unsigned char)t[n];
        n += ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
        chars++;
    }
    if (n > strlen(t))
        n = strlen(t);
    return xasprintf("合同条款：“%.*s%s”", (int)n, t, t[n] ? "……" : "");
}

static char *decl_fact(const audit_t *a, const source_t *s)
{
    char x[16], y[16];
    const kind_t *k = kind_of(s->format);
    (void)a;
    if (s->decl_from == NO_DAY || s->decl_to == NO_DAY)
        return NULL;
    return xasprintf("%s的查询时段：%s至%s", k ? k->noun : "记录", day_fmt(s->decl_from, x),
                     day_fmt(s->decl_to, y));
}

/* ---- cited lines, found once ---- */

typedef struct {
    int src;
    long line;
    char *raw;
    char *fact;
    int damaged; /* prov_t.damaged */
} cite_t;

static int cite_cmp(const void *x, const void *y)
{
    const cite_t *p = x, *q = y;
    if (p->src != q->src)
        return p->src < q->src ? -1 : 1;
    return (p->line > q->line) - (p->line < q->line);
}

static cite_t *cite_find(cite_t *v, size_t n, int src, long line)
{
    cite_t key = {src, line, NULL, NULL, 0};
    return n ? bsearch(&key, v, n, sizeof *v, cite_cmp) : NULL; /* bsearch(NULL, 0) is undefined */
}

/* A record's fact for the cited line it sits on (the first fact wins). */
static void give(cite_t *v, size_t n, const prov_t *p, char *(*make)(const void *), const void *r)
{
    cite_t *c = cite_find(v, n, p->src, p->line);
    if (c && !c->fact)
        c->fact = make(r);
}

static char *mk_bill(const void *r)
{
    return bill_fact(r);
}
static char *mk_pay(const void *r)
{
    return payment_fact(r);
}
static char *mk_credit(const void *r)
{
    return credit_fact(r);
}
static char *mk_vas(const void *r)
{
    return vas_fact(r);
}
/* A clause is cited whole: every wrapped line, joined (the index quotes it so). */
static void give_clause(cite_t *v, size_t n, const clause_t *c)
{
    cite_t *x = cite_find(v, n, c->prov.src, c->prov.line);
    if (!x || x->fact)
        return;
    x->fact = clause_fact(c);
    if (c->text && *c->text) {
        free(x->raw);
        x->raw = clean(c->text);
    }
}

typedef VEC(cite_t) cites_t;

static void push_cite(cites_t *v, const prov_t *p)
{
    if (p->src < 0)
        return;
    cite_t c = {p->src, p->line, clean(p->text), NULL, p->damaged};
    VEC_PUSH(*v, c);
}

static void facts_fill(const audit_t *a, cite_t *v, size_t n)
{
    for (size_t i = 0; i < a->bills.n; i++)
        give(v, n, &a->bills.items[i].prov, mk_bill, &a->bills.items[i]);
    for (size_t i = 0; i < a->payments.n; i++)
        give(v, n, &a->payments.items[i].prov, mk_pay, &a->payments.items[i]);
    for (size_t i = 0; i < a->credits.n; i++)
        give(v, n, &a->credits.items[i].prov, mk_credit, &a->credits.items[i]);
    for (size_t i = 0; i < a->vas_records.n; i++)
        give(v, n, &a->vas_records.items[i].prov, mk_vas, &a->vas_records.items[i]);
    for (size_t i = 0; i < a->clauses.n; i++)
        give_clause(v, n, &a->clauses.items[i]);
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        cite_t *c = s->decl.line > 0 ? cite_find(v, n, (int)i, s->decl.line) : NULL;
        if (c && !c->fact)
            c->fact = decl_fact(a, s);
    }
    for (size_t i = 0; i < n; i++) {
        if (!v[i].fact)
            v[i].fact = xstrdup(v[i].raw);
        if (v[i].damaged) { /* the fact quotes the damaged text: say so where it is read */
            char *f = xasprintf("%s%s", v[i].fact, EXHIBIT_DAMAGED);
            free(v[i].fact);
            v[i].fact = f;
        }
    }
}

void exhibits_build(exhibits_t *x, const audit_t *a)
{
    memset(x, 0, sizeof *x);
    x->nsrc = a->sources.n;
    x->of_src = xcalloc(a->sources.n + 1, sizeof *x->of_src);
    cites_t v = {0};
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        for (size_t k = 0; k < f->evidence.n; k++)
            push_cite(&v, &f->evidence.items[k]);
        for (size_t k = 0; k < f->support.n; k++)
            push_cite(&v, &f->support.items[k].prov);
    }
    if (v.n)
        qsort(v.items, v.n, sizeof *v.items, cite_cmp);
    size_t w = 0; /* each line once */
    for (size_t i = 0; i < v.n; i++) {
        if (w && v.items[w - 1].src == v.items[i].src && v.items[w - 1].line == v.items[i].line) {
            v.items[w - 1].damaged |= v.items[i].damaged;
            free(v.items[i].raw);
            continue;
        }
        v.items[w++] = v.items[i];
    }
    v.n = w;
    facts_fill(a, v.items, v.n);
    for (size_t i = 0; i < v.n; i++) {
        cite_t *c = &v.items[i];
        if (c->src < 0 || (size_t)c->src >= a->sources.n) {
            free(c->raw), free(c->fact);
            continue;
        }
        if (!x->of_src[c->src]) {
            exhibit_t e = {
                (int)x->items.n + 1, c->src, source_desc(a, &a->sources.items[c->src]), {0}};
            VEC_PUSH(x->items, e);
            x->of_src[c->src] = e.no;
        }
        exhibit_t *e = &x->items.items[x->of_src[c->src] - 1];
        exline_t l = {c->line, c->raw, c->fact, c->damaged};
        VEC_PUSH(e->lines, l);
    }
    VEC_FREE(v);
}

void exhibits_free(exhibits_t *x)
{
    for (size_t i = 0; i < x->items.n; i++) {
        exhibit_t *e = &x->items.items[i];
        for (size_t k = 0; k < e->lines.n; k++)
            free(e->lines.items[k].raw), free(e->lines.items[k].fact);
        VEC_FREE(e->lines);
        free(e->desc);
    }
    VEC_FREE(x->items);
    free(x->of_src);
    memset(x, 0, sizeof *x);
}

const exhibit_t *exhibit_of(const exhibits_t *x, int src)
{
    if (src < 0 || (size_t)src >= x->nsrc || !x->of_src[src])
        return NULL;
    return &x->items.items[x->of_src[src] - 1];
}

const exline_t *exhibit_line(const exhibit_t *e, long line)
{
    size_t lo = 0, hi = e ? e->lines.n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->lines.items[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return e && lo < e->lines.n && e->lines.items[lo].line == line ? &e->lines.items[lo] : NULL;
}

/* "第5、6行"; a PDF's rows each with their page: "第2页第3行、第2页第5行". */
static void lines_list(sbuf_t *b, const long *lines, size_t n)
{
    int paged = 0;
    for (size_t i = 0; i < n; i++)
        paged |= line_page(lines[i]) > 0;
    if (paged) {
        char at[48];
        for (size_t i = 0; i < n; i++)
            sb_addf(b, "%s%s", i ? "、" : "", line_zh(lines[i], at, sizeof at));
        return;
    }
    sb_add(b, "第");
    for (size_t i = 0; i < n; i++)
        sb_addf(b, "%s%ld", i ? "、" : "", lines[i]);
    sb_add(b, "行");
}

char *exhibit_ref(const exhibit_t *e, const long *lines, size_t n)
{
    sbuf_t b = {0};
    sb_addf(&b, "证据%d", e->no);
    lines_list(&b, lines, n);
    return sb_take(&b);
}

char *exhibit_lines_text(const exhibit_t *e)
{
    long *v = xmalloc((e->lines.n + 1) * sizeof *v);
    for (size_t i = 0; i < e->lines.n; i++)
        v[i] = e->lines.items[i].line;
    sbuf_t b = {0};
    lines_list(&b, v, e->lines.n);
    free(v);
    return sb_take(&b);
}
