/* payment-not-credited (spec §4.1): a successful wallet top-up to the operator
 * for the account's number that the operator's own payment history never
 * credited within [payment day, payment day + 3] calendar days.
 *
 * Eligible payments (payments.c, payment_is_topup_for_account): outgoing,
 * completed, not fully refunded, payee an operator or its payment arm (table
 * rules/data/operator-payees.tsv), item a top-up (rules/data/topup-words.tsv),
 * naming the account's number, its last four digits, or no number. Without an
 * account number a named number cannot be checked, so only items naming no
 * number are eligible then.
 * The credit owed is the face value the item states ("充值50.00元"), else the
 * amount paid, minus refunds. Payments are matched in time order, each to the
 * earliest unmatched credit of exactly that amount in its window; a payment is
 * reported only when the history covers its whole window (coverage = the
 * declared period of each operator-payments source, else its first..last day). */
#include "payments.h"
#include "rule.h"
#include "rulekit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE_ID "payment-not-credited"
#define WINDOW_DAYS 3

static const char *const basis[] = {"CC-509", "CPL-53", "CC-985", "TR-39", "CPL-52", NULL};

static int is_history(const source_t *s)
{
    return s->format && !strcmp(s->format, "operator-payments") && s->duplicate_of < 0;
}

static const char *needs(const audit_t *a)
{
    for (size_t i = 0; i < a->sources.n; i++)
        if (is_history(&a->sources.items[i]))
            return NULL;
    return "operator payment history (缴费记录)";
}

/* ---- coverage of the operator history ---- */

typedef struct {
    int src;
    day_t from, to;
    long first, last; /* indices into a->credits of its first and last record, -1 */
} span_t;
typedef VEC(span_t) spans_t;

static void history_spans(const audit_t *a, spans_t *out)
{
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        if (!is_history(s))
            continue;
        span_t sp = {(int)i, s->decl_from, s->decl_to, -1, -1};
        for (size_t k = 0; k < a->credits.n; k++) {
            const credit_t *c = &a->credits.items[k];
            if (c->prov.src != (int)i)
                continue;
            if (sp.first < 0 || c->time < a->credits.items[sp.first].time)
                sp.first = (long)k;
            if (sp.last < 0 || c->time >= a->credits.items[sp.last].time)
                sp.last = (long)k;
        }
        if (sp.from == NO_DAY && sp.first >= 0) {
            /* No declared period: the days from the first to the last record. */
            sp.from = ts_day(a->credits.items[sp.first].time);
            sp.to = ts_day(a->credits.items[sp.last].time);
        }
        if (sp.from != NO_DAY && sp.to >= sp.from)
            VEC_PUSH(*out, sp);
    }
}

/* Does the union of the spans hold every day of [d0, d1]? */
static int covered(const spans_t *sp, day_t d0, day_t d1)
{
    day_t cur = d0;
    int moved = 1;
    while (cur <= d1 && moved) {
        moved = 0;
        for (size_t i = 0; i < sp->n; i++)
            if (sp->items[i].from <= cur && cur <= sp->items[i].to) {
                cur = sp->items[i].to + 1;
                moved = 1;
            }
    }
    return cur > d1;
}

/* ---- matching ---- */

typedef struct {
    size_t pay;
    fen_t owed;
} want_t;

static const audit_t *sort_audit;
static int want_cmp(const void *x, const void *y)
{
    const payment_t *p = &sort_audit->payments.items[((const want_t *)x)->pay];
    const payment_t *q = &sort_audit->payments.items[((const want_t *)y)->pay];
    if (p->time != q->time)
        return p->time < q->time ? -1 : 1;
    if (p->prov.src != q->prov.src)
        return p->prov.src < q->prov.src ? -1 : 1;
    return (p->prov.line > q->prov.line) - (p->prov.line < q->prov.line);
}
static int credit_cmp(const void *x, const void *y)
{
    const credit_t *p = &sort_audit->credits.items[*(const size_t *)x];
    const credit_t *q = &sort_audit->credits.items[*(const size_t *)y];
    if (p->time != q->time)
        return p->time < q->time ? -1 : 1;
    if (p->prov.src != q->prov.src)
        return p->prov.src < q->prov.src ? -1 : 1;
    return (p->prov.line > q->prov.line) - (p->prov.line < q->prov.line);
}

/* Credits that count, in time order. A negative row (a reversal) cancels the
 * latest earlier credit of the same amount: that money was taken back. */
static size_t usable_credits(audit_t *a, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < a->credits.n; i++) {
        a->credits.items[i].used = 0;
        if (!a->credits.items[i].dup && a->credits.items[i].ok && a->credits.items[i].amount)
            idx[n++] = i;
    }
    sort_audit = a;
    qsort(idx, n, sizeof *idx, credit_cmp);
    for (size_t j = 0; j < n; j++) {
        credit_t *rev = &a->credits.items[idx[j]];
        if (rev->amount >= 0)
            continue;
        for (size_t i = j; i-- > 0;) {
            credit_t *c = &a->credits.items[idx[i]];
            if (!c->used && c->amount == -rev->amount) {
                c->used = 1; /* not available to any payment */
                break;
            }
        }
    }
    return n;
}

static credit_t *match_credit(audit_t *a, const size_t *idx, size_t n, day_t d, fen_t owed)
{
    size_t lo = 0, hi = n; /* the first credit on or after day d */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts_day(a->credits.items[idx[mid]].time) < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n; i++) {
        credit_t *c = &a->credits.items[idx[i]];
        day_t cd = ts_day(c->time);
        if (cd > d + WINDOW_DAYS)
            break;
        if (!c->used && cd >= d && c->amount == owed) {
            c->used = 1;
            return c;
        }
    }
    return NULL;
}

/* ---- the finding ---- */

static char *cn_date(day_t d)
{
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    return xasprintf("%d年%d月%d日", y, m, dd);
}

static void add_history_evidence(audit_t *a, finding_t *f, const spans_t *sp, day_t d0, day_t d1)
{
    for (size_t i = 0; i < sp->n; i++) {
        const span_t *s = &sp->items[i];
        if (s->to < d0 || s->from > d1)
            continue;
        const source_t *src = &a->sources.items[s->src];
        if (src->decl.text && src->decl.line > 0) {
            finding_evidence(f, &src->decl);
        } else if (s->first >= 0) {
            finding_evidence(f, &a->credits.items[s->first].prov);
            finding_evidence(f, &a->credits.items[s->last].prov);
        }
    }
}

/* "2025年5月18日通过微信支付向中国移动支付99.61元为本号码充值100.00元，其后退回20.00元。" */
static char *what_was_paid(const payment_t *p)
{
    char paid[32], face[32], back[32];
    fen_t fv;
    char *when = cn_date(ts_day(p->time));
    const char *payee = p->counterparty && *p->counterparty ? p->counterparty : "运营商";
    sbuf_t b = {0};
    sb_addf(&b, "%s通过%s向%s支付%s元", when, wallet_label(p->wallet), payee,
            money_fmt(p->amount, paid));
    if (pay_face_value(p->item, &fv))
        sb_addf(&b, "为本号码充值%s元", money_fmt(fv, face));
    else
        sb_add(&b, "为本号码充值缴费");
    if (p->refunded > 0)
        sb_addf(&b, "，其后退回%s元", money_fmt(p->refunded, back));
    sb_add(&b, "，支付成功。");
    free(when);
    return sb_take(&b);
}

static void report(audit_t *a, const payment_t *p, fen_t owed, const spans_t *sp)
{
    day_t d = ts_day(p->time);
    char due[32], from[16], to[16];
    money_fmt(owed, due);
    day_fmt(d, from);
    day_fmt(d + WINDOW_DAYS, to);
    char *paid = what_was_paid(p);

    finding_t *f = finding_new(a, RULE_ID);
    f->period = ym_of_day(d);
    f->amount = owed;
    f->event = d;
    f->basis = basis;
    f->title = xasprintf("%s话费充值%s元未到账", wallet_label(p->wallet), due);
    char *facts = xasprintf("%s运营商的缴费记录覆盖付款当天及其后三天（%s至%s），"
                            "其间没有一笔%s元的到账记录。",
                            paid, from, to, due);
    char *remedy = xasprintf("要求将%s支付的话费%s元计入账户余额，或全额退还该笔款项", from, due);
    char *title = f->title;
    f->title = NULL;
    rk_texts(f, title, facts, RULE_ID, remedy);
    free(title), free(facts), free(remedy);
    finding_evidence(f, &p->prov);
    add_history_evidence(a, f, sp, d, d + WINDOW_DAYS);
    free(paid);
}

static void run(audit_t *a)
{
    payments_prepare(a); /* de-duplication and refund links; idempotent */
    spans_t sp = {0};
    history_spans(a, &sp);
    want_t *want = xmalloc((a->payments.n + 1) * sizeof *want);
    size_t nw = 0;
    for (size_t i = 0; i < a->payments.n; i++) {
        fen_t owed;
        if (payment_is_topup_for_account(a, &a->payments.items[i], &owed))
            want[nw++] = (want_t){i, owed};
    }
    sort_audit = a;
    qsort(want, nw, sizeof *want, want_cmp);
    size_t *idx = xmalloc((a->credits.n + 1) * sizeof *idx);
    size_t nc = usable_credits(a, idx);
    for (size_t i = 0; i < nw; i++) {
        const payment_t *p = &a->payments.items[want[i].pay];
        day_t d = ts_day(p->time);
        /* Every payment takes its credit, even one whose window the history does
         * not cover: that credit cannot also settle a later payment. */
        if (match_credit(a, idx, nc, d, want[i].owed))
            continue;
        if (covered(&sp, d, d + WINDOW_DAYS))
            report(a, p, want[i].owed, &sp);
    }
    free(idx);
    free(want);
    VEC_FREE(sp);
}

const rule_t rule_payment_not_credited = {
    RULE_ID,
    "payment-not-credited",
    "high",
    "a wallet top-up to the operator that its payment history never credited within 3 days",
    basis,
    needs,
    run,
};
