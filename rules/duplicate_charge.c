/* duplicate-charge: the same bill item (category, item, amount) more than once in
 * one month's bill. The extra copies were marked in audit_prepare so that no other
 * rule counts them. */
#include "rule.h"
#include "keyidx.h"
#include "rulekit.h"
#include <stdlib.h>
#include <string.h>

static const char *const basis[] = {"CC-985", "CPL-10", "TR-39", "CPL-52", NULL};

static int same(const bill_line_t *x, const bill_line_t *y)
{
    return x->period == y->period && x->amount == y->amount && !strcmp(x->category, y->category) &&
           !strcmp(x->item, y->item);
}

/* copies[i]: the extra copies of line i, in file order (next[j] chains them). */
typedef struct {
    size_t *first, *last, *next; /* line index + 1; 0 = none */
} copies_t;

static void report(audit_t *a, size_t first, const copies_t *c)
{
    const bill_line_t *b = &a->bills.items[first];
    finding_t *f = finding_new(a, "duplicate-charge");
    finding_evidence(f, &b->prov);
    int copies = 0;
    for (size_t j = c->first[first]; j; j = c->next[j - 1]) {
        copies++;
        finding_evidence(f, &a->bills.items[j - 1].prov);
    }
    char mon[16], amt[32], tot[32];
    f->period = b->period;
    fen_mul(&f->amount, b->amount, copies); /* held at its bound on overflow: dropped then */
    f->service = xstrdup(b->item);
    ym_fmt(b->period, mon), money_fmt(b->amount, amt), money_fmt(f->amount, tot);
    char *t = xasprintf("%s账单中“%s”重复收费", mon, b->item);
    char *e = xasprintf("%s账单中“%s”（%s元）出现%d次，同一项目同一金额在一个月内只应收取一次，"
                        "多收%s元。",
                        mon, b->item, amt, copies + 1, tot);
    char *r = xasprintf("要求退还重复收取的%s元，并提供该月收费清单核对", tot);
    rk_texts(f, t, e, "duplicate-charge", r);
    free(t), free(e), free(r);
}

/* The line a copy repeats: the counted line of the same key (audit_prepare kept one per
 * key), found by hash so that a bill of any length is read once. */
static size_t original_of(const audit_t *a, const keyidx_t *kept, const bill_line_t *o)
{
    size_t it = 0, i;
    while ((i = keyidx_next(kept, bill_line_hash(o), &it)) != KEYIDX_END)
        if (same(&a->bills.items[i], o))
            return i + 1;
    return 0;
}

static void run(audit_t *a)
{
    size_t n = a->bills.n;
    keyidx_t kept = {0};
    copies_t c = {xcalloc(n + 1, sizeof(size_t)), xcalloc(n + 1, sizeof(size_t)),
                  xcalloc(n + 1, sizeof(size_t))};
    for (size_t i = 0; i < n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (!b->excluded && !b->dup && b->amount > 0)
            keyidx_add(&kept, bill_line_hash(b), i);
    }
    for (size_t j = 0; j < n; j++) {
        const bill_line_t *o = &a->bills.items[j];
        size_t i = o->dup && !o->excluded ? original_of(a, &kept, o) : 0;
        if (!i)
            continue;
        if (c.last[i - 1])
            c.next[c.last[i - 1] - 1] = j + 1;
        else
            c.first[i - 1] = j + 1;
        c.last[i - 1] = j + 1;
    }
    for (size_t i = 0; i < n; i++)
        if (c.first[i])
            report(a, i, &c);
    keyidx_free(&kept);
    free(c.first), free(c.last), free(c.next);
}

const rule_t rule_duplicate_charge = {
    "duplicate-charge",
    "duplicate-charge",
    "high",
    "the same bill item (same category, item and amount) more than once in one month",
    basis,
    NULL,
    run,
};
