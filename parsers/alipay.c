/* alipay (formats.md §3): the Alipay transaction statement, three layouts and the proof
 * PDF 交易流水证明 (§3.1, header repeated on every page):
 * A3 (current: preamble, 电子客户回单 separator, header 交易时间,交易分类,…),
 * A2 (mobile until 2023: header 收/支,交易对方,… first, 导出信息 after the records),
 * A1 (PC web until ~2021: 支付宝交易记录明细查询, header 交易号,…, dashed end line).
 * All three are read through one column map found by header names. */
#include "parser.h"
#include "payments.h"
#include "wallet_cols.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The proof 交易流水证明 (§3.1): 收/支, 交易对方, 商品说明, 收/付款方式, 金额, 交易订单号,
 * 商家订单号, 交易时间; no 交易状态 (every row it lists is completed), no 交易分类. */
static int proof_header(const wallet_cols_t *c)
{
    static const wfield_t need[] = {WF_DIR, WF_PARTY, WF_ITEM, WF_AMOUNT, WF_TXID, WF_TIME};
    return c->at[WF_STATUS] < 0 && c->at[WF_CATEGORY] < 0 &&
           wallet_cols_all(c, need, (int)(sizeof need / sizeof *need));
}

/* 1 when r is the header row of any of the three layouts or of the proof: A1 names the
 * time 付款时间 (an alias of time) or only 交易创建时间. */
static int find_header(const row_t *r, wallet_cols_t *c)
{
    static const wfield_t need[] = {WF_PARTY, WF_DIR, WF_AMOUNT, WF_STATUS};
    wallet_cols_find(r, "alipay", c);
    return ((c->at[WF_TIME] >= 0 || c->at[WF_CREATED] >= 0) &&
            wallet_cols_all(c, need, (int)(sizeof need / sizeof *need))) ||
           proof_header(c);
}

/* find_header's columns; wallet_near lets 交易创建时间 stand in for 交易时间 too. */
static int near(const sniff_t *s, char *why, size_t whylen)
{
    static const wfield_t need[] = {WF_TIME, WF_PARTY, WF_DIR, WF_AMOUNT, WF_STATUS};
    return wallet_near(s, "alipay", "an Alipay statement", need, (int)(sizeof need / sizeof *need),
                       why, whylen);
}

/* "------------…" alone on a line: the end of the records (A1, A3) or a separator. */
static int dashed(const row_t *r)
{
    const char *s = wallet_first_cell(r);
    return wallet_nonempty_cells(r) == 1 && str_starts(s, "---");
}

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    int marker = 0;
    wallet_cols_t c;
    for (int i = 0; i < s->nrows; i++) {
        const char *first = wallet_first_cell(&s->rows[i]);
        if (str_has(first, "电子客户回单") ||
            (i < 3 && str_starts(first, "支付宝交易记录明细查询")) ||
            (i < 6 && str_has(first, "交易流水证明")))
            marker = 1;
        if (find_header(&s->rows[i], &c)) {
            snprintf(why, whylen, "Alipay header row%s",
                     marker ? " after 电子客户回单 / 支付宝交易记录明细查询"
                            : " (no title: a re-save)");
            return marker ? 90 : 70;
        }
    }
    return 0;
}

/* The cell of field f ("" when the header has no such column). */
static const char *cell(const row_t *r, const wallet_cols_t *c, wfield_t f)
{
    return wallet_cell(r, c->at[f]);
}

/* 付款时间 (A1) may be blank for an unpaid order: the creation time stands in. */
static int time_of(parse_t *p, const row_t *r, const wallet_cols_t *c, ts_t *out)
{
    int col = c->at[WF_TIME] >= 0 && *cell(r, c, WF_TIME) ? c->at[WF_TIME] : c->at[WF_CREATED];
    return wallet_time(p, r, col, out);
}

static void record_row(parse_t *p, const row_t *r, const wallet_cols_t *c, wallet_meta_t *meta)
{
    payment_t pay;
    memset(&pay, 0, sizeof pay);
    if (time_of(p, r, c, &pay.time) < 0)
        return;
    if (wallet_amount(p, r, c->at[WF_AMOUNT], &pay.amount) < 0)
        return;
    const char *item = wallet_none_slash(cell(r, c, WF_ITEM));
    pay_state_t st = alipay_state(cell(r, c, WF_DIR), cell(r, c, WF_CATEGORY), item,
                                  cell(r, c, WF_STATUS), cell(r, c, WF_TXID));
    if (c->at[WF_STATUS] < 0 && st.dir == DIR_OUT && st.status == PAY_OTHER)
        st.status = PAY_COMPLETED; /* the proof lists completed transactions only */
    pay.dir = st.dir;
    pay.status = st.status;
    fen_t refunded = 0;
    money_rc rm = wallet_money(r, c->at[WF_REFUNDED], &refunded);
    if (rm == MONEY_RANGE) { /* a refund beyond any bill is a corrupt row, not "no refund" */
        parse_reject(p, r, "refund out of range: \"%s\"", diag_quote(cell(r, c, WF_REFUNDED)));
        return;
    }
    if (rm == MONEY_OK && refunded > 0)
        pay.refunded = refunded; /* A1: 成功退款（元） */
    char *txid = pay_id_dup(cell(r, c, WF_TXID));
    char *merchant = pay_id_dup(cell(r, c, WF_MERCHANT));
    pay.counterparty = (char *)wallet_none_slash(cell(r, c, WF_PARTY));
    pay.account = (char *)wallet_none_slash(cell(r, c, WF_ACCOUNT));
    pay.item = (char *)item;
    pay.method = (char *)wallet_none_slash(cell(r, c, WF_METHOD));
    pay.txid = txid;
    pay.merchant_id = merchant;
    pay.wallet = "alipay";
    wallet_meta_count(meta, cell(r, c, WF_DIR), pay.amount);
    parse_payment(p, r, &pay); /* copies the strings */
    free(txid);
    free(merchant);
}

/* After the dashed end line (A1, A3) only the footer follows: counts, export info. */
static int parse(parse_t *p)
{
    static const wallet_format_t fmt = {
        find_header, dashed, record_row,
        "no Alipay header row (交易时间/交易号, 交易对方, 收/支, 金额, …) found"};
    return wallet_parse(p, &fmt);
}

const parser_t parser_alipay = {
    "alipay", "Alipay transaction statement (支付宝交易明细 / 电子客户回单), layouts A1-A3",
    RS_CELLS, sniff,
    parse,    near,
};
