/* operator-bill: the operator's monthly bill, one row per bill line
 * (formats.md §5.1). A 费用类别 without a 费用项目 is a category subtotal, not
 * a line; identical lines are NOT merged (duplicate-charge needs each copy). */
#include "layout.h"
#include <stdio.h>

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_BILL, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_BILL, "an operator bill", why, whylen);
}

/* 账期 of a cell: "2025-04", "202504", "2025年4月", a date, or a date range
 * (its start month). NO_YM when it is none of these. */
static ym_t month_of(const char *s, unsigned flags)
{
    day_t from, to;
    if (date_range_scan(s, &from, &to) >= 1)
        return ym_of_day(from);
    dt_t dt;
    if ((flags & CELL_NUM) && dt_from_serial(s, 0, &dt) == 0)
        return ym_make(dt.y, dt.m);
    return NO_YM;
}

/* The line's month: its 账期 cell (blank = the row above's), else a
 * single-month preamble key. Rejects the row when there is none. */
static ym_t line_month(lreader_t *R, const row_t *r)
{
    const lcol_t *c = lr_field(R, "period");
    const char *text = lr_get(R, r, "period");
    if (*text) {
        ym_t m = month_of(text, c && c->col[0] < r->n && r->flags ? r->flags[c->col[0]] : 0);
        if (m == NO_YM)
            parse_reject(R->p, r, "bill month \"%s\" is not a month", diag_quote(text));
        return m;
    }
    if (R->bill_from != NO_YM && R->bill_from == R->bill_to)
        return R->bill_from;
    parse_reject(R->p, r, "no bill month (账期)");
    return NO_YM;
}

static void bill_row(lreader_t *R, const row_t *r)
{
    const char *category = lr_get(R, r, "category");
    const char *item = lr_get(R, r, "item");
    if (!*item) {
        if (*category) { /* a category subtotal: its cell is inherited, the row is no line */
            parse_source(R->p)->summaries++;
            return;
        }
        parse_reject(R->p, r, "no bill item (费用项目)");
        return;
    }
    ym_t period = line_month(R, r);
    if (period == NO_YM)
        return;
    fen_t amount;
    int m = lr_money(R, r, "amount", "amount", &amount);
    if (m < 0)
        return;
    if (m == 0) {
        parse_reject(R->p, r, "no amount for \"%s\"", diag_quote(item));
        return;
    }
    lr_group(R, period);
    lr_record(R, NO_TS, amount);
    if (!lr_mine(R))
        return;
    bill_line_t line = {
        .period = period,
        .category = (char *)category,
        .item = (char *)item,
        .number = R->number,
        .note = (char *)lr_get(R, r, "note"),
        .amount = amount,
    };
    parse_bill_line(R->p, r, &line);
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_BILL, bill_row);
}

const parser_t parser_operator_bill = {
    "operator-bill", "operator monthly bill (账单明细)", RS_CELLS, sniff, parse, near,
};
