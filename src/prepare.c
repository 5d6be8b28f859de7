/* The post-processing every rule relies on (doc/findings.md, "How bill lines are read"): one bill
 * source per month, bill-line classes and links to services, duplicate copies marked, usage per
 * month with same-day conflicts between files resolved, coverage. */
#include "audit.h"
#include "data.h"
#include "keyidx.h"
#include "payments.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- keyword tables (rules/data/bill-classes.tsv) ---- */

typedef struct {
    char *cls, *where, *kw;
} kw_t;
static VEC(kw_t) kws;

static void kw_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n < 3)
        return;
    kw_t k = {xstrdup(f[0]), xstrdup(f[1]), str_fold(f[2])};
    VEC_PUSH(kws, k);
}

static void load_keywords(void)
{
    if (!kws.n)
        data_tsv_each("rules/data/bill-classes.tsv", kw_row, NULL);
}

static const struct {
    const char *name;
    bill_class_t cls;
} class_names[] = {
    {"recurring", CL_RECURRING},
    {"voice", CL_VOICE},
    {"data", CL_DATA},
    {"sms", CL_SMS},
    {"vas", CL_VAS},
    {"thirdparty", CL_THIRDPARTY},
    {"penalty", CL_PENALTY},
    {"neutral", CL_OTHER},
    {NULL, CL_OTHER},
};

int bill_class_named(const char *name, bill_class_t *out)
{
    for (int i = 0; class_names[i].name; i++)
        if (!strcmp(class_names[i].name, name)) {
            *out = class_names[i].cls;
            return 1;
        }
    return 0;
}

/* First keyword of class cls (NULL = any class) and field where found in text. */
static const kw_t *kw_search(const char *text, const char *cls, const char *where)
{
    for (size_t i = 0; i < kws.n; i++) {
        const kw_t *k = &kws.items[i];
        if ((!cls || !strcmp(k->cls, cls)) && !strcmp(k->where, where) && strstr(text, k->kw))
            return k;
    }
    return NULL;
}

/* The class named by the first item keyword that names a bill class (broadband
 * keywords only link lines; penalty words were tried first). 0 when none. */
static int item_class(const char *item, bill_class_t *out)
{
    for (size_t i = 0; i < kws.n; i++) {
        const kw_t *k = &kws.items[i];
        bill_class_t cls;
        if (!strcmp(k->where, "item") && strcmp(k->cls, "penalty") &&
            bill_class_named(k->cls, &cls) && strstr(item, k->kw)) {
            *out = cls;
            return 1;
        }
    }
    return 0;
}

static bill_class_t classify(const char *category, const char *item)
{
    load_keywords();
    char *c = str_fold(category), *it = str_fold(item);
    bill_class_t cls = CL_OTHER;
    const kw_t *k;
    if (kw_search(it, "penalty", "item"))
        cls = CL_PENALTY;
    else if ((k = kw_search(c, NULL, "category")) != NULL)
        bill_class_named(k->cls, &cls);
    else
        item_class(it, &cls);
    free(c), free(it);
    return cls;
}

static int is_summary(const bill_line_t *b)
{
    load_keywords();
    char *c = str_fold(b->category), *it = str_fold(b->item);
    int yes = 0;
    for (size_t i = 0; i < kws.n && !yes; i++)
        if (!strcmp(kws.items[i].cls, "summary"))
            yes = str_starts(c, kws.items[i].kw) || str_starts(it, kws.items[i].kw);
    free(c), free(it);
    return yes;
}

/* ---- linking lines to services ---- */

int subscribed(const audit_t *a, const char *item)
{
    char *it = str_fold(item);
    int yes = 0;
    for (size_t i = 0; i < a->acct.subscriptions.n && !yes; i++) {
        char *s = str_fold(a->acct.subscriptions.items[i]);
        yes = *s && *it && (strstr(it, s) || strstr(s, it));
        free(s);
    }
    free(it);
    return yes;
}

static int broadband_service(const audit_t *a, const char *item)
{
    char *it = str_fold(item);
    int found = -1, first = -1;
    for (size_t i = 0; i < a->acct.services.n; i++) {
        const service_t *s = &a->acct.services.items[i];
        if (s->kind != SVC_BROADBAND)
            continue;
        if (first < 0)
            first = (int)i;
        char *n = str_fold(s->name);
        if (found < 0 && *n && strstr(it, n))
            found = (int)i;
        free(n);
    }
    int keyword = kw_search(it, "broadband", "item") != NULL;
    free(it);
    if (found >= 0)
        return found;
    return keyword ? (first >= 0 ? first : LINK_NONE) : -100;
}

static int link_line(const audit_t *a, const bill_line_t *b)
{
    int plan = a->acct.plan >= 0 ? a->acct.plan : LINK_PLAN_ABSENT;
    if (b->cls == CL_PENALTY || b->cls == CL_RECURRING || b->amount < 0) {
        int bb = broadband_service(a, b->item);
        if (bb != -100)
            return bb;
    }
    if (b->cls == CL_RECURRING && subscribed(a, b->item))
        return LINK_VAS;
    if (b->cls == CL_RECURRING || b->cls == CL_PENALTY)
        return plan;
    return plan; /* usage and VAS lines belong to the number, i.e. the plan */
}

int line_is_plan(const audit_t *a, const bill_line_t *b)
{
    return b->service == (a->acct.plan >= 0 ? a->acct.plan : LINK_PLAN_ABSENT);
}

int bill_counts(const bill_line_t *b)
{
    return !b->excluded && !b->dup;
}

/* ---- one bill source per month ---- */

typedef struct {
    int src;
    ym_t m;
} held_t;
typedef VEC(held_t) held_vec_t;

/* The months each bill source holds: declared, else those its lines touch. */
static void held_months(const audit_t *a, held_vec_t *out)
{
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        const source_t *s = &a->sources.items[b->prov.src];
        if (s->bill_from != NO_YM)
            continue;
        int seen = 0;
        for (size_t k = out->n; k > 0 && !seen; k--)
            seen = out->items[k - 1].src == b->prov.src && out->items[k - 1].m == b->period;
        if (!seen) {
            held_t h = {b->prov.src, b->period};
            VEC_PUSH(*out, h);
        }
    }
}

static int source_holds(const audit_t *a, const held_vec_t *held, int src, ym_t m)
{
    const source_t *s = &a->sources.items[src];
    if (s->bill_from != NO_YM)
        return m >= s->bill_from && m <= s->bill_to;
    for (size_t k = 0; k < held->n; k++)
        if (held->items[k].src == src && held->items[k].m == m)
            return 1;
    return 0;
}

static void choose_bill_sources(audit_t *a)
{
    held_vec_t held = {0};
    held_months(a, &held);
    for (size_t i = 0; i < a->bills.n; i++) {
        bill_line_t *b = &a->bills.items[i];
        for (int s = 0; s < b->prov.src; s++) {
            if (a->sources.items[s].duplicate_of >= 0 ||
                !str_eq(a->sources.items[s].format, "operator-bill"))
                continue;
            if (source_holds(a, &held, s, b->period)) {
                char m[16];
                b->excluded = 1;
                audit_warn(a, a->sources.items[b->prov.src].path,
                           "bill month %s is also in %s; taken from that file",
                           ym_fmt(b->period, m), name_shown(a->sources.items[s].path));
                break;
            }
        }
    }
    VEC_FREE(held);
}

/* ---- duplicate copies ---- */

static int same_line(const bill_line_t *x, const bill_line_t *y)
{
    return x->period == y->period && x->amount == y->amount && !strcmp(x->category, y->category) &&
           !strcmp(x->item, y->item);
}

uint64_t bill_line_hash(const bill_line_t *b)
{
    uint64_t h = key_hash(KEY_HASH_INIT, &b->period, sizeof b->period);
    h = key_hash(h, &b->amount, sizeof b->amount);
    h = key_hash(h, b->category, strlen(b->category) + 1); /* the NUL separates the fields */
    return key_hash(h, b->item, strlen(b->item));
}

/* A line is an extra copy when an earlier counted line has the same key: the first copy
 * of each key is kept (it is never a copy itself), so the lines kept so far are indexed by
 * key and each line looks only at those under its own hash. */
void mark_duplicate_lines(bill_line_t *lines, size_t n, uint64_t (*hash)(const bill_line_t *))
{
    keyidx_t kept = {0};
    for (size_t i = 0; i < n; i++) {
        bill_line_t *b = &lines[i];
        if (b->excluded || b->amount <= 0)
            continue;
        uint64_t h = hash(b);
        size_t it = 0, j;
        while (!b->dup && (j = keyidx_next(&kept, h, &it)) != KEYIDX_END)
            b->dup = same_line(&lines[j], b);
        if (!b->dup)
            keyidx_add(&kept, h, i);
    }
    keyidx_free(&kept);
}

/* ---- usage per month ---- */

static int declares(const source_t *s, day_t d)
{
    return s->decl_from != NO_DAY && d >= s->decl_from && d <= s->decl_to;
}

/* Records of src on day d are dropped when an earlier file of the same kind also declares d. */
static int shadowed(const audit_t *a, int src, day_t d)
{
    const source_t *s = &a->sources.items[src];
    if (!declares(s, d))
        return 0;
    for (int i = 0; i < src; i++) {
        const source_t *o = &a->sources.items[i];
        if (o->duplicate_of < 0 && o->ukind == s->ukind && declares(o, d))
            return 1;
    }
    return 0;
}

static int add_umonth(void *ctx, const usage_day_t *u)
{
    audit_t *a = ctx;
    if (shadowed(a, u->src, u->day))
        return 0;
    ym_t m = ym_of_day(u->day);
    for (size_t i = 0; i < a->umonths.n; i++)
        if (a->umonths.items[i].kind == u->kind && a->umonths.items[i].ym == m) {
            a->umonths.items[i].count += u->count;
            fen_add(&a->umonths.items[i].fee, u->fee); /* held at its bound: shown so */
            return 0;
        }
    struct umonth um = {u->kind, m, u->count, u->fee};
    VEC_PUSH(a->umonths, um);
    return 0;
}

long usage_count(const audit_t *a, ukind_t k, ym_t m, fen_t *fee)
{
    for (size_t i = 0; i < a->umonths.n; i++)
        if (a->umonths.items[i].kind == k && a->umonths.items[i].ym == m) {
            if (fee)
                *fee = a->umonths.items[i].fee;
            return a->umonths.items[i].count;
        }
    if (fee)
        *fee = 0;
    return 0;
}

/* ---- coverage ---- */

static int day_declared(const audit_t *a, ukind_t k, day_t d)
{
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        if (s->duplicate_of < 0 && s->ukind == (int)k && declares(s, d))
            return 1;
    }
    return 0;
}

int usage_covered(const audit_t *a, ukind_t k, ym_t m)
{
    if (a->acct.coverage_from != NO_YM && m >= a->acct.coverage_from &&
        (a->acct.coverage_to == NO_YM || m <= a->acct.coverage_to))
        return 1;
    for (day_t d = ym_first_day(m); d <= ym_last_day(m); d++)
        if (!day_declared(a, k, d))
            return 0;
    return 1;
}

int mobile_covered(const audit_t *a, ym_t m)
{
    return usage_covered(a, U_VOICE, m) && usage_covered(a, U_DATA, m) &&
           usage_covered(a, U_SMS, m);
}

void coverage_evidence(const audit_t *a, ukind_t k, ym_t m, finding_t *f)
{
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        if (s->duplicate_of < 0 && s->ukind == (int)k && s->decl_from != NO_DAY &&
            s->decl_from <= ym_last_day(m) && s->decl_to >= ym_first_day(m) && s->decl.text)
            finding_evidence(f, &s->decl);
    }
}

void audit_prepare(audit_t *a)
{
    choose_bill_sources(a);
    for (size_t i = 0; i < a->bills.n; i++) {
        bill_line_t *b = &a->bills.items[i];
        if (is_summary(b))
            b->excluded = 1;
        b->cls = classify(b->category, b->item);
        b->service = link_line(a, b);
    }
    mark_duplicate_lines(a->bills.items, a->bills.n, bill_line_hash);
    payments_prepare(a);
    a->umonths.n = 0;
    usage_each(a, add_umonth, a);
}
