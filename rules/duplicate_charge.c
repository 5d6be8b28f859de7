/* duplicate-charge: the same bill item (category, item, amount) more than once in
 * one month's bill. The extra copies were marked in audit_prepare so that no other
 * rule counts them. */
#include "rule.h"
#include "rulekit.h"
#include <stdlib.h>
#include <string.h>

static const char *const basis[] = {"CC-985", "CPL-10", "TR-39", "CPL-52", NULL};

static int same(const bill_line_t *x, const bill_line_t *y)
{
    return x->period == y->period && x->amount == y->amount && !strcmp(x->category, y->category) &&
           !strcmp(x->item, y->item);
}

static void report(audit_t *a, size_t first)
{
    const bill_line_t *b = &a->bills.items[first];
    finding_t *f = finding_new(a, "duplicate-charge");
    finding_evidence(f, &b->prov);
    int copies = 0;
    for (size_t j = first + 1; j < a->bills.n; j++) {
        const bill_line_t *o = &a->bills.items[j];
        if (o->dup && !o->excluded && same(o, b)) {
            copies++;
            finding_evidence(f, &o->prov);
        }
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

static void run(audit_t *a)
{
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (b->excluded || b->dup || b->amount <= 0)
            continue;
        for (size_t j = i + 1; j < a->bills.n; j++)
            if (a->bills.items[j].dup && !a->bills.items[j].excluded &&
                same(&a->bills.items[j], b)) {
                report(a, i);
                break;
            }
    }
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
