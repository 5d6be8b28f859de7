/* operator-payments (formats.md §5.1): the operator's own 缴费记录 / 充值记录,
 * the credits payment-not-credited looks for. Header by column names (shared
 * layout engine, aliases in parsers/data/columns.tsv); the declared period of
 * the preamble is the history's coverage. */
#include "layout.h"
#include "payments.h"
#include <stdlib.h>
#include <string.h>

/* A status cell makes the row a credit only when it is blank or says the money
 * arrived, and never when it says the payment failed or was reversed. */
static int status_ok(const char *s)
{
    static const char *const bad[] = {"失败", "撤销", "冲正", NULL};
    static const char *const good[] = {"成功", "到账", "完成", NULL};
    if (!s || !*s || !strcmp(s, "/") || !strcmp(s, "-"))
        return 1;
    for (int i = 0; bad[i]; i++)
        if (str_has(s, bad[i]))
            return 0;
    for (int i = 0; good[i]; i++)
        if (str_has(s, good[i]))
            return 1;
    return 0;
}

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_PAYMENTS, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_PAYMENTS, "an operator payment history", why, whylen);
}

static void credit_row(lreader_t *R, const row_t *r)
{
    ts_t t;
    fen_t amount;
    if (lr_time(R, r, "time", "payment time", &t) < 0)
        return; /* rejected (blank included), reported and counted */
    int rm = lr_money(R, r, "amount", "payment amount", &amount);
    if (rm < 0)
        return;
    if (rm == 0) {
        parse_reject(R->p, r, "payment amount is missing");
        return;
    }
    lr_record(R, t, amount);
    if (!lr_mine(R))
        return; /* a credit to another number of a family account */
    credit_t c;
    memset(&c, 0, sizeof c);
    c.time = t;
    c.amount = amount;
    const char *status = lr_get(R, r, "status");
    /* A negative row is the reversal itself (冲正, 撤销): it counts unless it failed. */
    c.ok = amount < 0 ? !str_has(status, "失败") : status_ok(status);
    char *id = pay_id_dup(lr_get(R, r, "txid"));
    c.txid = id;
    c.channel = (char *)lr_get(R, r, "channel");
    c.method = (char *)lr_get(R, r, "method");
    parse_credit(R->p, r, &c); /* copies the strings */
    free(id);
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_PAYMENTS, credit_row);
}

const parser_t parser_operator_payments = {
    "operator-payments",
    "operator payment history (缴费记录 / 充值记录): credits to the account",
    RS_CELLS,
    sniff,
    parse,
    near,
};
