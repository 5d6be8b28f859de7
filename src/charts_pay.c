/* The payments timeline: top-ups paid from a wallet (WeChat Pay, Alipay) for the
 * account's number against the operator's record of credits; a payment that
 * payment-not-credited found without a credit is crossed out in red. */
#include "charts.h"
#include "docctx.h"
#include "payments.h"
#include "svg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the payments timeline ---- */

typedef struct {
    const payment_t *p;
    fen_t owed;
    const finding_t *missing; /* the payment-not-credited finding that cites it */
} pay_t;

/* Inside --since/--until (months), like the findings. */
static int in_window(const audit_t *a, ts_t t)
{
    ym_t m = ym_of_day(ts_day(t));
    return (a->since == NO_YM || m >= a->since) && (a->until == NO_YM || m <= a->until);
}

static const finding_t *missing_finding(const audit_t *a, const payment_t *p)
{
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (strcmp(f->category, "payment-not-credited"))
            continue;
        for (size_t k = 0; k < f->evidence.n; k++)
            if (f->evidence.items[k].src == p->prov.src &&
                f->evidence.items[k].line == p->prov.line)
                return f;
    }
    return NULL;
}

typedef struct {
    day_t d0, d1;
} trange_t;

static double x_time(const trange_t *r, ts_t t)
{
    double days = (double)(t / 86400) + (double)(t % 86400) / 86400.0;
    return ML + (CW - ML - MR) * (days - r->d0) / (double)(r->d1 - r->d0);
}

static void draw_time_axis(sbuf_t *o, const trange_t *r, double y)
{
    svg_line(o, ML, y, CW - MR, y, "axis");
    long span = (long)(r->d1 - r->d0);
    int per = span <= 400 ? 1 : span <= 1500 ? 3 : 12;
    ym_t m = ym_of_day(r->d0);
    m += (per - chart_floor_mod(m, per)) % per;
    if (ym_first_day(m) < r->d0)
        m += per;
    double last_end = -1e9;
    for (; ym_first_day(m) <= r->d1; m += per) {
        double x = x_time(r, (ts_t)ym_first_day(m) * 86400);
        char b[16];
        if (per == 12)
            snprintf(b, sizeof b, "%d", ym_year(m));
        else
            ym_fmt(m, b);
        svg_line(o, x, y, x, y + 4, "axis");
        double w = svg_text_width(b, FONT);
        if (x - w / 2 > last_end && x + w / 2 < CW) {
            svg_text(o, x, y + 16, "middle", "tick", b);
            last_end = x + w / 2 + 4;
        }
    }
}

static char *payments_svg(const audit_t *a, const pay_t *ps, size_t np, const trange_t *r,
                          const char *title, const char *desc)
{
    sbuf_t o = {0};
    /* Callouts of the payments without a credit, in rows above the payments lane. */
    double ends[EVROWS];
    int rows = 0, *row_of = xcalloc(np + 1, sizeof *row_of);
    for (int i = 0; i < EVROWS; i++)
        ends[i] = -1e9;
    char **texts = xcalloc(np + 1, sizeof *texts);
    for (size_t i = 0; i < np; i++) {
        if (!ps[i].missing)
            continue;
        char dbuf[24], mb[32];
        texts[i] = xasprintf("%s %s元 %s", day_fmt(ts_day(ps[i].p->time), dbuf),
                             money_fmt(ps[i].owed, mb), chart_word("pay-missing"));
        double x = x_time(r, ps[i].p->time), w = svg_text_width(texts[i], FONT);
        double x0 = x + w + 8 > CW ? x - w - 6 : x + 6;
        int row = row_of[i] = chart_pick_row(ends, EVROWS, x0, x0 + w);
        if (row + 1 > rows)
            rows = row + 1;
    }
    double pay_y = 16 + rows * ROWH + 16, cred_y = pay_y + 56, axis_y = cred_y + 22;
    svg_open(&o, "chart-pay", CW, axis_y + 26, title, desc);
    svg_text(&o, ML - 8, pay_y + 4, "end", "lane", chart_word("pay-lane"));
    svg_text(&o, ML - 8, cred_y + 4, "end", "lane", chart_word("cred-lane"));
    svg_line(&o, ML, pay_y, CW - MR, pay_y, "lanebase");
    svg_line(&o, ML, cred_y, CW - MR, cred_y, "lanebase");
    double pend = -1e9, cend = -1e9;
    for (size_t i = 0; i < a->credits.n; i++) {
        const credit_t *c = &a->credits.items[i];
        if (!c->ok || c->dup || c->time == NO_TS || !in_window(a, c->time))
            continue;
        double x = x_time(r, c->time);
        svg_rect(&o, x - 4, cred_y - 4, 8, 8, c->used ? "cred" : "cred free");
        char mb[32];
        chart_yuan(c->amount, mb);
        double w = svg_text_width(mb, FONT - 1);
        if (x - w / 2 > cend) {
            svg_text(&o, x, cred_y + 17, "middle", "ulabel", mb);
            cend = x + w / 2 + 3;
        }
    }
    for (size_t i = 0; i < np; i++) {
        double x = x_time(r, ps[i].p->time);
        char mb[32];
        chart_yuan(ps[i].owed, mb);
        if (ps[i].missing) {
            double ty = 16 + (row_of[i] + 1) * ROWH - 4;
            double w = svg_text_width(texts[i], FONT);
            int left = x + w + 8 > CW;
            svg_line(&o, x, ty + 3, x, cred_y + 8, "missline");
            svg_cross(&o, x, pay_y, 5, "miss");
            svg_text(&o, left ? x - 6 : x + 6, ty, left ? "end" : "start", "misslabel", texts[i]);
            continue;
        }
        svg_circle(&o, x, pay_y, 4.5, "pay");
        double w = svg_text_width(mb, FONT - 1);
        if (x - w / 2 > pend) {
            svg_text(&o, x, pay_y - 9, "middle", "ulabel", mb);
            pend = x + w / 2 + 3;
        }
    }
    draw_time_axis(&o, r, axis_y);
    svg_close(&o);
    for (size_t i = 0; i < np; i++)
        free(texts[i]);
    free(texts), free(row_of);
    return sb_take(&o);
}

static int pay_cmp(const void *x, const void *y)
{
    const pay_t *a = x, *b = y;
    return a->p->time < b->p->time ? -1 : a->p->time > b->p->time;
}

void charts_payments(const audit_t *a, tctx_t *root)
{
    VEC(pay_t) ps = {0};
    day_t d0 = NO_DAY, d1 = NO_DAY;
    long credits = 0;
    for (size_t i = 0; i < a->payments.n; i++) {
        const payment_t *p = &a->payments.items[i];
        fen_t owed;
        if (p->dup || p->time == NO_TS || !in_window(a, p->time) ||
            !payment_is_topup_for_account(a, p, &owed))
            continue;
        pay_t e = {p, owed, missing_finding(a, p)};
        VEC_PUSH(ps, e);
    }
    for (size_t i = 0; i < ps.n; i++) {
        day_t d = ts_day(ps.items[i].p->time);
        d0 = d0 == NO_DAY || d < d0 ? d : d0;
        d1 = d1 == NO_DAY || d > d1 ? d : d1;
    }
    for (size_t i = 0; i < a->credits.n; i++) {
        const credit_t *c = &a->credits.items[i];
        if (!c->ok || c->dup || c->time == NO_TS || !in_window(a, c->time))
            continue;
        credits++;
        day_t d = ts_day(c->time);
        d0 = d0 == NO_DAY || d < d0 ? d : d0;
        d1 = d1 == NO_DAY || d > d1 ? d : d1;
    }
    tctx_list(root, "pay_rows");
    tctx_set(root, "payments", ps.n || credits ? "1" : "");
    if (!ps.n && !credits) {
        VEC_FREE(ps);
        return;
    }
    if (ps.n)
        qsort(ps.items, ps.n, sizeof *ps.items, pay_cmp);
    char f[16], t[16];
    char *range =
        d0 == d1 ? xstrdup(day_fmt(d0, f)) : xasprintf("%s 至 %s", day_fmt(d0, f), day_fmt(d1, t));
    /* Some air on both sides, and at least a month, so one payment is not a lone dot at
     * the edge. */
    trange_t r = {d0 - 5, d1 + 6};
    if (r.d1 - r.d0 < 40)
        r.d0 = d0 - (40 - (d1 - d0)) / 2, r.d1 = r.d0 + 40;
    tctx_t *w = tctx_new();
    long missing = 0;
    sbuf_t list = {0};
    for (size_t i = 0; i < ps.n; i++) {
        if (!ps.items[i].missing)
            continue;
        char mb[32];
        sb_addf(&list, "%s%s %s元", missing++ ? "、" : "", day_fmt(ts_day(ps.items[i].p->time), f),
                money_fmt(ps.items[i].owed, mb));
    }
    tctx_set(w, "range", range);
    tctx_setf(w, "payments", "%zu", ps.n);
    tctx_setf(w, "credits", "%ld", credits);
    tctx_setf(w, "missing", "%ld", missing);
    char *l = sb_take(&list);
    tctx_set(w, "missing_list", l);
    char *title = chart_sentence("title-payments", w), *desc = chart_sentence("desc-payments", w);
    char *svg = payments_svg(a, ps.items, ps.n, &r, title, desc);
    tctx_set(root, "pay_title", title);
    tctx_set(root, "pay_desc", desc);
    tctx_set(root, "pay_svg", svg);
    tctx_setf(root, "pay_count", "%zu", ps.n);
    tctx_setf(root, "pay_missing", "%ld", missing);
    tctx_setf(root, "cred_count", "%ld", credits);
    free(title), free(desc), free(svg), free(l), free(range);
    tctx_free(w);
    for (size_t i = 0; i < ps.n; i++) {
        const pay_t *p = &ps.items[i];
        tctx_t *row = tctx_add(root, "pay_rows");
        char tb[24];
        tctx_set(row, "time", ts_fmt(p->p->time, tb));
        tctx_set(row, "wechat", p->p->wallet && !strcmp(p->p->wallet, "wechat-pay") ? "1" : "");
        tctx_set(row, "alipay", p->p->wallet && !strcmp(p->p->wallet, "alipay") ? "1" : "");
        tctx_set(row, "wallet", p->p->wallet ? p->p->wallet : "");
        doc_set_money(row, "paid", p->p->amount);
        doc_set_money(row, "owed", p->owed);
        tctx_set(row, "missing", p->missing ? p->missing->id : "");
        char at[48];
        char *loc = xasprintf("%s:%s", doc_evidence_path(a, &p->p->prov),
                              line_text(p->p->prov.line, at, sizeof at));
        tctx_set(row, "loc", loc);
        free(loc);
    }
    VEC_FREE(ps);
}
