/* billaudit init: inferring the account profile from the files (issue 13). Every
 * value keeps the line it came from; where the files disagree, every value seen is
 * kept so the question (or the stderr note) can show them. Nothing here guesses what
 * the files cannot tell: consent, cancellation, suspension, contract end. */
#include "init.h"
#include "data.h"
#include "parser.h"
#include "payments.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- name table (rules/data/profile-names.tsv) ---- */

typedef struct {
    char *kind, *word;
} nword_t;
static VEC(nword_t) nwords;

static void nword_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n >= 2 && *f[1]) {
        nword_t w = {xstrdup(f[0]), xstrdup(f[1])};
        VEC_PUSH(nwords, w);
    }
}

static void load_names(void)
{
    if (!nwords.n)
        data_tsv_each("rules/data/profile-names.tsv", nword_row, NULL);
}

static int is_word(const char *kind, const char *s)
{
    load_names();
    char *f = str_fold(s);
    int yes = 0;
    for (size_t i = 0; i < nwords.n && !yes; i++)
        yes = !strcmp(nwords.items[i].kind, kind) && !strcmp(nwords.items[i].word, f);
    free(f);
    return yes;
}

static int has_word(const char *kind, const char *s)
{
    load_names();
    int yes = 0;
    for (size_t i = 0; i < nwords.n && !yes; i++)
        yes = !strcmp(nwords.items[i].kind, kind) && strstr(s, nwords.items[i].word);
    return yes;
}

/* Cuts the first suffix word the item ends with, unless that leaves under 2 characters. */
static void cut_suffix(char *s)
{
    load_names();
    for (size_t i = 0; i < nwords.n; i++) {
        const char *w = nwords.items[i].word;
        if (strcmp(nwords.items[i].kind, "suffix") || !str_ends(s, w))
            continue;
        char *left = str_trim(xstrndup(s, strlen(s) - strlen(w)));
        int ok = utf8_len(left) >= 2;
        if (ok)
            memcpy(s, left, strlen(left) + 1);
        free(left);
        if (ok)
            return;
    }
}

/* Splits "outer（inner）" / "outer(inner)" ending the item; 1 when found. */
static int split_parens(const char *s, char **outer, char **inner)
{
    const char *open = NULL, *close = NULL;
    size_t n = strlen(s);
    if (str_ends(s, "\xEF\xBC\x89")) { /* ） */
        close = s + n - 3;
        for (const char *p = s; p < close; p++)
            if (str_starts(p, "\xEF\xBC\x88")) /* （ */
                open = p;
    } else if (n && s[n - 1] == ')') {
        close = s + n - 1;
        open = memrchr(s, '(', (size_t)(close - s));
    }
    if (!open || !close)
        return 0;
    size_t olen = (unsigned char)*open == '(' ? 1 : 3;
    *outer = str_trim(xstrndup(s, (size_t)(open - s)));
    *inner = str_trim(xstrndup(open + olen, (size_t)(close - open) - olen));
    return 1;
}

char *init_clean_name(const char *item)
{
    char *s = xstrdup(item ? item : "");
    str_trim(s);
    char *outer, *inner;
    if (split_parens(s, &outer, &inner)) {
        char *pick = NULL;
        if (*inner && (!*outer || is_word("wrapper", outer)))
            pick = inner; /* 套餐月基本费（5G融合套餐19元） */
        else if (*outer && (!*inner || is_word("wrapper", inner)))
            pick = outer; /* 5G融合套餐19元（月基本费） */
        if (pick) {
            free(s);
            s = xstrdup(pick);
        }
        free(outer), free(inner);
    }
    cut_suffix(s);
    char *t = xstrdup(str_trim(s));
    free(s);
    return t;
}

/* ---- operators ---- */

static const char *const op_labels[][2] = {
    {"china-mobile", "中国移动"}, {"china-telecom", "中国电信"}, {"china-unicom", "中国联通"}};

const char *init_operator_label(const char *id)
{
    for (size_t i = 0; id && i < 3; i++)
        if (!strcmp(op_labels[i][0], id))
            return op_labels[i][1];
    return NULL;
}

const char *init_operator_id(const char *text)
{
    if (!text || !*text)
        return NULL;
    if (init_operator_label(text))
        for (size_t i = 0; i < 3; i++)
            if (!strcmp(op_labels[i][0], text))
                return op_labels[i][0];
    const char *op = pay_operator_of(text);
    return op && strcmp(op, "*") ? op : NULL;
}

/* ---- evidence ---- */

static char *cite(const audit_t *a, const prov_t *p)
{
    char at[48];
    return xasprintf("%s:%s", name_shown(a->sources.items[p->src].path),
                     line_text(p->line, at, sizeof at));
}

/* The line of a source's first rows holding needle (preambles keep no line number). */
static char *cite_text(const audit_t *a, int src, const char *needle)
{
    const char *path = a->sources.items[src].path;
    detect_t d;
    char err[256];
    long line = 0;
    if (detect_file(path, &d, NULL) == 0) {
        rowsrc_t *rs = detect_open(path, &d, RS_CELLS, err, sizeof err);
        row_t r;
        for (int i = 0; rs && i < SNIFF_ROWS && rowsrc_next(rs, &r) == 1; i++)
            if (r.raw && strstr(r.raw, needle)) {
                line = r.line;
                break;
            }
        if (rs)
            rowsrc_close(rs);
    }
    char at[48];
    return line ? xasprintf("%s:%s", name_shown(path), line_text(line, at, sizeof at))
                : xstrdup(name_shown(path));
}

/* ---- votes ---- */

static void vote(ivotes_t *v, const char *value, char *(*where)(void *), void *ctx)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->items[i].value, value)) {
            v->items[i].count++;
            return;
        }
    ivote_t n = {xstrdup(value), 1, where(ctx)};
    VEC_PUSH(*v, n);
}

static int vote_cmp(const void *x, const void *y)
{
    const ivote_t *a = x, *b = y;
    return b->count - a->count;
}

static void fact_choose(ifact_t *f)
{
    /* Most frequent first; among equals, the first file in path order (stable sort). */
    for (size_t i = 1; i < f->seen.n; i++)
        for (size_t j = i; j > 0 && vote_cmp(&f->seen.items[j - 1], &f->seen.items[j]) > 0; j--) {
            ivote_t t = f->seen.items[j];
            f->seen.items[j] = f->seen.items[j - 1];
            f->seen.items[j - 1] = t;
        }
    if (f->seen.n) {
        f->value = xstrdup(f->seen.items[0].value);
        f->source = xstrdup(f->seen.items[0].source);
    }
}

void ifact_set(ifact_t *f, const char *value)
{
    free(f->value), free(f->source);
    f->value = value && *value ? xstrdup(value) : NULL;
    f->source = NULL;
    for (size_t i = 0; f->value && i < f->seen.n; i++)
        if (!strcmp(f->seen.items[i].value, f->value))
            f->source = xstrdup(f->seen.items[i].source);
}

typedef struct {
    const audit_t *a;
    int src;
    const char *needle;
    const prov_t *prov;
} where_t;

static char *where_text(void *ctx)
{
    where_t *w = ctx;
    return w->prov ? cite(w->a, w->prov) : cite_text(w->a, w->src, w->needle);
}

static int is_wallet(const source_t *s)
{
    return str_eq(s->format, "wechat-pay") || str_eq(s->format, "alipay");
}

/* A full mobile number: 11 digits starting with 1 (masked numbers name no one). */
static int mobile_number(const char *s, char out[16])
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (n >= 11)
                return 0;
            out[n++] = *s;
        } else if (*s == '*') {
            return 0;
        }
    }
    out[n] = 0;
    return n == 11 && out[0] == '1';
}

/* A full mobile number written inside a wallet item ("为18600001234交费50.00元"): the
 * first run of exactly 11 digits starting with 1. */
static int item_mobile_number(const char *s, char out[16])
{
    while (s && *s) {
        size_t n = strspn(s, "0123456789");
        if (n == 11 && s[0] == '1') {
            memcpy(out, s, 11);
            out[11] = 0;
            return 1;
        }
        s += n ? n : 1;
    }
    return 0;
}

/* A completed top-up or bill payment to an operator, as init trusts it for the identity. */
static int operator_payment(const payment_t *p)
{
    return init_operator_id(p->counterparty) && !p->dup && p->dir == DIR_OUT &&
           p->status == PAY_COMPLETED;
}

void draft_identity(draft_t *d, const audit_t *a)
{
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        if (!s->format || s->duplicate_of >= 0 || is_wallet(s))
            continue;
        where_t w = {a, (int)i, NULL, NULL};
        char num[16];
        /* A broadband log's 宽带账号 is not the phone number. */
        if (s->number && !str_eq(s->format, "broadband-sessions") && mobile_number(s->number, num))
            w.needle = s->number, vote(&d->number.seen, num, where_text, &w);
        if (s->holder && *s->holder)
            w.needle = s->holder, vote(&d->holder.seen, s->holder, where_text, &w);
        const char *op = init_operator_id(s->operator_name);
        if (op)
            w.needle = s->operator_name, vote(&d->operator_id.seen, op, where_text, &w);
    }
    /* No operator named in any preamble: the payees of top-ups name it. */
    for (size_t i = 0; !d->operator_id.seen.n && i < a->payments.n; i++) {
        const payment_t *p = &a->payments.items[i];
        if (operator_payment(p)) {
            where_t w = {a, p->prov.src, NULL, &p->prov};
            vote(&d->operator_id.seen, init_operator_id(p->counterparty), where_text, &w);
        }
    }
    /* No number in any operator file: a top-up's item may write it out in full. Only
     * then, since a wallet also pays for other people's numbers. */
    int from_files = d->number.seen.n > 0;
    for (size_t i = 0; !from_files && i < a->payments.n; i++) {
        const payment_t *p = &a->payments.items[i];
        char num[16];
        if (operator_payment(p) && item_mobile_number(p->item, num)) {
            where_t w = {a, p->prov.src, NULL, &p->prov};
            vote(&d->number.seen, num, where_text, &w);
        }
    }
    fact_choose(&d->operator_id);
    fact_choose(&d->number);
    fact_choose(&d->holder);
}

/* ---- bill lines grouped by item ---- */

typedef struct {
    ym_t m;
    fen_t sum;
    const prov_t *first;
} gmonth_t;
typedef VEC(gmonth_t) gmonths_t;

typedef struct {
    char *key, *item;
    const prov_t *first;
    bill_class_t cls;
    int link;
    gmonths_t months;
} group_t;
typedef VEC(group_t) groups_t;

static void group_add(groups_t *g, const char *key, const bill_line_t *b)
{
    group_t *x = NULL;
    for (size_t i = 0; i < g->n && !x; i++)
        if (!strcmp(g->items[i].key, key))
            x = &g->items[i];
    if (!x) {
        group_t n = {xstrdup(key), xstrdup(b->item), &b->prov, b->cls, b->service, {0}};
        VEC_PUSH(*g, n);
        x = &g->items[g->n - 1];
    }
    for (size_t i = 0; i < x->months.n; i++)
        if (x->months.items[i].m == b->period) {
            fen_add(&x->months.items[i].sum, b->amount); /* held at its bound on overflow */
            return;
        }
    gmonth_t m = {b->period, b->amount, &b->prov};
    VEC_PUSH(x->months, m);
}

static void groups_free(groups_t *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->items[i].key), free(g->items[i].item);
        VEC_FREE(g->items[i].months);
    }
    VEC_FREE(*g);
}

typedef struct {
    groups_t plan, broadband, vas;
    gmonths_t plan_disc, bb_disc; /* negative recurring lines per month */
    const bill_line_t *plan_pen, *bb_pen;
} bills_t;

static void month_add(gmonths_t *v, ym_t m, fen_t amount, const prov_t *p)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->items[i].m == m) {
            fen_add(&v->items[i].sum, amount); /* held at its bound on overflow */
            return;
        }
    gmonth_t g = {m, amount, p};
    VEC_PUSH(*v, g);
}

static fen_t month_get(const gmonths_t *v, ym_t m)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->items[i].m == m)
            return v->items[i].sum;
    return 0;
}

static int line_counts(const draft_t *d, const bill_line_t *b)
{
    /* A family bill: only the account's own number (lines naming none are its own). */
    return bill_counts(b) &&
           (!b->number || !d->number.value || pay_number_matches(d->number.value, b->number));
}

static void sort_bill(const draft_t *d, const audit_t *a, bills_t *g)
{
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!line_counts(d, b))
            continue;
        int bb = b->service == LINK_NONE;
        if (b->cls == CL_PENALTY) {
            if (bb && !g->bb_pen)
                g->bb_pen = b;
            else if (!bb && !g->plan_pen)
                g->plan_pen = b;
        } else if (b->cls == CL_RECURRING && b->amount < 0) {
            month_add(bb ? &g->bb_disc : &g->plan_disc, b->period, b->amount, &b->prov);
        } else if (b->cls == CL_RECURRING) { /* 0.00 too: a free month still dates the service */
            char *name = bb ? init_clean_name(b->item) : xstrdup(b->item);
            char *key = str_fold(name);
            group_add(bb ? &g->broadband : &g->plan, key, b);
            free(key), free(name);
        } else if ((b->cls == CL_VAS || b->cls == CL_THIRDPARTY) && b->amount > 0) {
            char *key = str_fold(b->item);
            group_add(&g->vas, key, b);
            free(key);
        }
    }
}

static void bill_span(draft_t *d, const audit_t *a)
{
    ym_t seen[600];
    int n = 0;
    d->bill_from = d->bill_to = NO_YM;
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!line_counts(d, b))
            continue;
        int k = 0;
        while (k < n && seen[k] != b->period)
            k++;
        if (k == n && n < 600)
            seen[n++] = b->period;
        if (d->bill_from == NO_YM || b->period < d->bill_from)
            d->bill_from = b->period;
        if (d->bill_to == NO_YM || b->period > d->bill_to)
            d->bill_to = b->period;
    }
    d->bill_months = n;
}

/* ---- services from groups ---- */

static int gmonth_cmp(const void *x, const void *y)
{
    const gmonth_t *a = x, *b = y;
    return (a->m > b->m) - (a->m < b->m);
}

/* Distinct monthly charges (the group's lines plus the discounts of the month),
 * most months first, then the earliest. */
/* A month's net charge; -1 when it overflowed or exceeds any fee (FEN_MAX): no fee to
 * draft into a profile, which would refuse it. */
static int month_fee(const gmonth_t *m, const gmonths_t *disc, fen_t *fee)
{
    *fee = m->sum;
    if (fen_add(fee, disc ? month_get(disc, m->m) : 0) < 0 || *fee > FEN_MAX || *fee < -FEN_MAX)
        return -1;
    return 0;
}

static void collect_fees(isvc_t *s, const audit_t *a, group_t *g, const gmonths_t *disc)
{
    qsort(g->months.items, g->months.n, sizeof *g->months.items, gmonth_cmp);
    int paid = 0; /* months charged something: a free month says nothing of the fee */
    fen_t fee;
    for (size_t i = 0; i < g->months.n; i++)
        paid += month_fee(&g->months.items[i], disc, &fee) < 0 || fee != 0;
    for (size_t i = 0; i < g->months.n; i++) {
        const gmonth_t *m = &g->months.items[i];
        if (month_fee(m, disc, &fee) < 0 || (fee == 0 && paid))
            continue;
        char mon[16];
        ym_fmt(m->m, mon);
        ifee_t *f = NULL;
        for (size_t k = 0; k < s->fees.n && !f; k++)
            if (s->fees.items[k].fee == fee)
                f = &s->fees.items[k];
        if (f) {
            f->months++;
            char *l = xasprintf("%s, %s", f->month_list, mon);
            free(f->month_list);
            f->month_list = l;
            continue;
        }
        ifee_t n = {fee, 1, m->m, cite(a, m->first), xstrdup(mon)};
        VEC_PUSH(s->fees, n);
    }
    for (size_t i = 1; i < s->fees.n; i++)
        for (size_t j = i; j > 0; j--) {
            ifee_t *x = &s->fees.items[j - 1], *y = &s->fees.items[j];
            if (x->months > y->months || (x->months == y->months && x->first <= y->first))
                break;
            ifee_t t = *x;
            *x = *y;
            *y = t;
        }
}

static void svc_from_group(isvc_t *s, const audit_t *a, group_t *g, svc_kind_t kind,
                           const gmonths_t *disc)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->name = init_clean_name(g->item);
    s->name_source = cite(a, g->first);
    collect_fees(s, a, g, disc);
    s->months = (int)g->months.n;
    s->first = g->months.items[0].m;
    s->last = g->months.items[g->months.n - 1].m;
    s->first_source = cite(a, g->months.items[0].first);
    s->start = s->end = s->cancelled = NO_DAY;
    s->penalty_month = NO_YM;
    if (s->fees.n) {
        s->has_fee = 1;
        s->fee = s->fees.items[0].fee;
        s->fee_source = xstrdup(s->fees.items[0].source);
    }
}

static void set_penalty(isvc_t *s, const audit_t *a, const bill_line_t *b)
{
    if (!b)
        return;
    s->penalty_month = b->period;
    s->penalty = b->amount;
    s->penalty_source = cite(a, &b->prov);
}

/* The plan: the recurring line billed in most months; ties go to a line naming a plan
 * word, then the higher usual amount, then the first seen. */
static int pick_plan(const groups_t *g)
{
    int best = -1;
    for (size_t i = 0; i < g->n; i++) {
        const group_t *x = &g->items[i];
        if (best < 0) {
            best = (int)i;
            continue;
        }
        const group_t *b = &g->items[best];
        int dx = (int)x->months.n - (int)b->months.n;
        int wx = has_word("plan", x->key) - has_word("plan", b->key);
        int ax = x->months.items[0].sum > b->months.items[0].sum; /* compared, never subtracted */
        if (dx > 0 || (dx == 0 && (wx > 0 || (wx == 0 && ax))))
            best = (int)i;
    }
    return best;
}

static fen_t usual_amount(const group_t *g)
{
    fen_t best = 0;
    int bn = 0;
    for (size_t i = 0; i < g->months.n; i++) {
        int n = 0;
        for (size_t k = 0; k < g->months.n; k++)
            n += g->months.items[k].sum == g->months.items[i].sum;
        if (n > bn)
            bn = n, best = g->months.items[i].sum;
    }
    return best;
}

static int charged(const group_t *g)
{
    for (size_t i = 0; i < g->months.n; i++)
        if (g->months.items[i].sum > 0)
            return 1;
    return 0;
}

static void add_vas(draft_t *d, const audit_t *a, const group_t *g, int recurring)
{
    ivas_t v = {xstrdup(str_trim(g->item)),
                xstrdup(g->key),
                cite(a, g->first),
                usual_amount(g),
                (int)g->months.n,
                recurring,
                -1};
    VEC_PUSH(d->vas, v);
}

/* The 宽带账号 a broadband log's preamble declares: the account of the broadband service
 * when there is one, and the logs agree. */
static void infer_accounts(draft_t *d, const audit_t *a)
{
    const source_t *found = NULL;
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        if (!s->format || strcmp(s->format, "broadband-sessions") || !s->number || !*s->number)
            continue;
        if (found && strcmp(found->number, s->number))
            return; /* two accounts: which is whose cannot be told */
        found = s;
    }
    if (!found || d->broadband.n != 1)
        return;
    isvc_t *b = &d->broadband.items[0];
    b->account = xstrdup(found->number);
    b->account_source = xstrdup(name_shown(found->path));
}

static void infer_services(draft_t *d, const audit_t *a)
{
    bills_t g;
    memset(&g, 0, sizeof g);
    sort_bill(d, a, &g);
    int plan = pick_plan(&g.plan);
    if (plan >= 0) {
        d->has_plan = 1;
        svc_from_group(&d->plan, a, &g.plan.items[plan], SVC_MOBILE, &g.plan_disc);
        set_penalty(&d->plan, a, g.plan_pen);
    }
    for (size_t i = 0; i < g.broadband.n; i++) {
        isvc_t s;
        /* Broadband discounts can be told apart only when there is one broadband. */
        svc_from_group(&s, a, &g.broadband.items[i], SVC_BROADBAND,
                       g.broadband.n == 1 ? &g.bb_disc : NULL);
        if (i == 0)
            set_penalty(&s, a, g.bb_pen);
        /* Billed first after the bills begin: the service started that month. */
        if (s.first > d->bill_from) {
            s.start = ym_first_day(s.first);
            s.start_source = xstrdup(s.first_source);
        }
        VEC_PUSH(d->broadband, s);
    }
    infer_accounts(d, a);
    for (size_t i = 0; i < g.plan.n; i++)
        if ((int)i != plan && charged(&g.plan.items[i]))
            add_vas(d, a, &g.plan.items[i], 1);
    for (size_t i = 0; i < g.vas.n; i++)
        add_vas(d, a, &g.vas.items[i], 0);
    groups_free(&g.plan), groups_free(&g.broadband), groups_free(&g.vas);
    VEC_FREE(g.plan_disc);
    VEC_FREE(g.bb_disc);
}

/* Usage logs that declare no query period (coverage cannot come from them). */
static void infer_undeclared(draft_t *d, const audit_t *a)
{
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        if (s->duplicate_of >= 0 || s->ukind < 0 || s->ukind == U_VAS || s->records <= 0 ||
            s->decl_from != NO_DAY || s->from == NO_YM)
            continue;
        iundecl_t u = {xstrdup(s->path), (ukind_t)s->ukind, s->from, s->to};
        VEC_PUSH(d->undeclared, u);
    }
}

void draft_infer(draft_t *d, const audit_t *a)
{
    memset(d, 0, sizeof *d);
    d->cov_from = d->cov_to = NO_YM;
    for (size_t i = 0; i < a->sources.n; i++)
        d->files += a->sources.items[i].format && a->sources.items[i].duplicate_of < 0;
    draft_identity(d, a);
    if (d->number.value)
        d->phone = xstrdup(d->number.value);
    bill_span(d, a);
    infer_services(d, a);
    infer_undeclared(d, a);
    d->op_date = d->op_reply_date = NO_DAY;
    /* The company a contract's preamble names, when it is the operator the files name. */
    if (a->party_name && (!d->operator_id.value || !a->party_operator ||
                          !strcmp(a->party_operator, d->operator_id.value))) {
        d->respondent = xstrdup(a->party_name);
        char at[48];
        d->respondent_source = xasprintf("%s:%s", name_shown(a->sources.items[a->party_src].path),
                                         line_text(a->party_line, at, sizeof at));
    }
}

void isvc_set_fee(isvc_t *s, int has, fen_t fee)
{
    s->has_fee = has;
    s->fee = fee;
    free(s->fee_source);
    s->fee_source = NULL;
    for (size_t i = 0; has && i < s->fees.n; i++)
        if (s->fees.items[i].fee == fee)
            s->fee_source = xstrdup(s->fees.items[i].source);
}

/* ---- JSON ---- */

static void add_money(cJSON *o, const char *key, fen_t v)
{
    char buf[32];
    cJSON_AddStringToObject(o, key, money_fmt(v, buf));
}

static void add_day(cJSON *o, const char *key, day_t v)
{
    char buf[16];
    if (v != NO_DAY)
        cJSON_AddStringToObject(o, key, day_fmt(v, buf));
}

static void add_src(cJSON *src, const char *key, const char *where)
{
    if (where)
        cJSON_AddStringToObject(src, key, where);
}

static cJSON *svc_json(const isvc_t *s, const char *field, cJSON *src)
{
    cJSON *o = cJSON_CreateObject();
    char k[96];
    cJSON_AddStringToObject(o, "name", s->name);
    snprintf(k, sizeof k, "%s.name", field);
    add_src(src, k, s->name_source);
    if (s->kind == SVC_BROADBAND)
        cJSON_AddStringToObject(o, "kind", "broadband");
    if (s->has_fee) {
        add_money(o, "monthly_fee", s->fee);
        snprintf(k, sizeof k, "%s.monthly_fee", field);
        add_src(src, k, s->fee_source);
    }
    add_day(o, "start", s->start);
    snprintf(k, sizeof k, "%s.start", field);
    if (s->start != NO_DAY)
        add_src(src, k, s->start_source);
    if (s->account) {
        cJSON_AddStringToObject(o, "account", s->account);
        snprintf(k, sizeof k, "%s.account", field);
        add_src(src, k, s->account_source);
    }
    add_day(o, "end", s->end);
    add_day(o, "cancelled", s->cancelled);
    if (s->cancel_channel)
        cJSON_AddStringToObject(o, "cancel_channel", s->cancel_channel);
    if (s->cancel_reference)
        cJSON_AddStringToObject(o, "cancel_reference", s->cancel_reference);
    return o;
}

static void identity_json(const draft_t *d, cJSON *root, cJSON *src)
{
    if (d->operator_id.value) {
        cJSON_AddStringToObject(root, "operator", d->operator_id.value);
        add_src(src, "operator", d->operator_id.source);
    }
    if (d->number.value) {
        cJSON_AddStringToObject(root, "number", d->number.value);
        add_src(src, "number", d->number.source);
    }
    if (d->province)
        cJSON_AddStringToObject(root, "province", d->province);
    if (!d->holder.value && !d->address && !d->phone && !d->postcode)
        return;
    cJSON *h = cJSON_AddObjectToObject(root, "holder");
    if (d->holder.value) {
        cJSON_AddStringToObject(h, "name", d->holder.value);
        add_src(src, "holder.name", d->holder.source);
    }
    if (d->address)
        cJSON_AddStringToObject(h, "address", d->address);
    if (d->phone) {
        cJSON_AddStringToObject(h, "phone", d->phone);
        if (d->number.value && !strcmp(d->phone, d->number.value))
            add_src(src, "holder.phone", d->number.source);
    }
    if (d->postcode)
        cJSON_AddStringToObject(h, "postcode", d->postcode);
}

static void lists_json(const draft_t *d, cJSON *root)
{
    if (d->subs_known) {
        cJSON *subs = cJSON_AddArrayToObject(root, "subscriptions");
        for (size_t i = 0; i < d->vas.n; i++)
            if (d->vas.items[i].agreed == 1)
                cJSON_AddItemToArray(subs, cJSON_CreateString(d->vas.items[i].name));
    }
    if (d->suspensions.n) {
        cJSON *sus = cJSON_AddArrayToObject(root, "suspensions");
        for (size_t i = 0; i < d->suspensions.n; i++) {
            const isusp_t *s = &d->suspensions.items[i];
            cJSON *o = cJSON_CreateObject();
            if (s->svc >= 0)
                cJSON_AddStringToObject(o, "service", d->broadband.items[s->svc].name);
            add_day(o, "from", s->from);
            add_day(o, "to", s->to);
            if (s->has_allowed)
                add_money(o, "allowed_fee", s->allowed);
            cJSON_AddItemToArray(sus, o);
        }
    }
    if (d->cov_from != NO_YM) {
        char f[16], t[16];
        cJSON *c = cJSON_AddObjectToObject(root, "usage_coverage");
        cJSON_AddStringToObject(c, "from", ym_fmt(d->cov_from, f));
        cJSON_AddStringToObject(c, "to", ym_fmt(d->cov_to, t));
    }
}

/* The respondent and the operator complaint already made. */
static void letters_json(const draft_t *d, cJSON *root, cJSON *src)
{
    if (d->respondent || d->respondent_address) {
        cJSON *r = cJSON_AddObjectToObject(root, "respondent");
        if (d->respondent) {
            cJSON_AddStringToObject(r, "name", d->respondent);
            add_src(src, "respondent.name", d->respondent_source);
        }
        if (d->respondent_address)
            cJSON_AddStringToObject(r, "address", d->respondent_address);
    }
    if (d->op_date == NO_DAY)
        return;
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "to", "operator");
    add_day(c, "date", d->op_date);
    if (d->op_channel)
        cJSON_AddStringToObject(c, "channel", d->op_channel);
    if (d->op_reference)
        cJSON_AddStringToObject(c, "reference", d->op_reference);
    if (d->op_reply)
        cJSON_AddStringToObject(c, "reply", d->op_reply);
    add_day(c, "reply_date", d->op_reply_date);
    cJSON *list = cJSON_AddArrayToObject(root, "complaints");
    cJSON_AddItemToArray(list, c);
}

cJSON *draft_json(const draft_t *d)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *src = cJSON_CreateObject();
    identity_json(d, root, src);
    if (d->has_plan)
        cJSON_AddItemToObject(root, "plan", svc_json(&d->plan, "plan", src));
    if (d->broadband.n) {
        cJSON *svcs = cJSON_AddArrayToObject(root, "services");
        for (size_t i = 0; i < d->broadband.n; i++) {
            char field[32];
            snprintf(field, sizeof field, "services[%zu]", i);
            cJSON_AddItemToArray(svcs, svc_json(&d->broadband.items[i], field, src));
        }
    }
    lists_json(d, root);
    letters_json(d, root, src);
    /* Last, so a rule citing a profile field finds the field itself first. */
    if (cJSON_GetArraySize(src))
        cJSON_AddItemToObject(root, "_source", src);
    else
        cJSON_Delete(src);
    return root;
}

/* ---- freeing ---- */

static void fact_free(ifact_t *f)
{
    for (size_t i = 0; i < f->seen.n; i++)
        free(f->seen.items[i].value), free(f->seen.items[i].source);
    VEC_FREE(f->seen);
    free(f->value), free(f->source);
}

static void svc_free(isvc_t *s)
{
    free(s->name), free(s->name_source), free(s->fee_source), free(s->first_source);
    free(s->penalty_source), free(s->start_source);
    free(s->cancel_channel), free(s->cancel_reference), free(s->account), free(s->account_source);
    for (size_t i = 0; i < s->fees.n; i++)
        free(s->fees.items[i].source), free(s->fees.items[i].month_list);
    VEC_FREE(s->fees);
}

void draft_free(draft_t *d)
{
    fact_free(&d->operator_id), fact_free(&d->number), fact_free(&d->holder);
    free(d->province), free(d->address), free(d->postcode), free(d->phone);
    free(d->respondent), free(d->respondent_source), free(d->respondent_address);
    free(d->op_channel), free(d->op_reference), free(d->op_reply);
    if (d->has_plan)
        svc_free(&d->plan);
    for (size_t i = 0; i < d->broadband.n; i++)
        svc_free(&d->broadband.items[i]);
    VEC_FREE(d->broadband);
    for (size_t i = 0; i < d->vas.n; i++)
        free(d->vas.items[i].name), free(d->vas.items[i].key), free(d->vas.items[i].source);
    VEC_FREE(d->vas);
    VEC_FREE(d->suspensions);
    for (size_t i = 0; i < d->undeclared.n; i++)
        free(d->undeclared.items[i].path);
    VEC_FREE(d->undeclared);
    memset(d, 0, sizeof *d);
}
