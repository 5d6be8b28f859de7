/* wechat-pay (formats.md §2): the WeChat Pay bill, W1 CSV and W2/W3 XLSX, and the proof
 * 微信支付交易明细证明 (§2.1: 交易单号, 交易时间, 交易类型, 收/支/其他, 交易方式, 金额,
 * 交易对方, 商户单号 — no 商品, no 当前状态: every row it lists is completed).
 * The header row is found by its names, never by counting rows; the preamble
 * gives the period (起始时间 … 终止时间, the proof's 交易明细对应时间段 … 至 …) and the
 * record count (共N笔记录). */
#include "parser.h"
#include "payments.h"
#include "wallet_cols.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns WeChat has always had: a header row has them all. */
static const wfield_t need[] = {WF_TIME, WF_TYPE, WF_PARTY, WF_DIR, WF_AMOUNT, WF_STATUS};
#define NNEED ((int)(sizeof need / sizeof *need))

/* The proof's header: the bill's columns but 当前状态, with its 交易单号. */
static const wfield_t proof_need[] = {WF_TXID, WF_TIME, WF_TYPE, WF_PARTY, WF_DIR, WF_AMOUNT};

/* 1 when r is the header row (of the bill, or of the proof). */
static int find_header(const row_t *r, wallet_cols_t *c)
{
    wallet_cols_find(r, "wechat-pay", c);
    return wallet_cols_all(c, need, NNEED) ||
           (c->at[WF_STATUS] < 0 && c->at[WF_ITEM] < 0 &&
            wallet_cols_all(c, proof_need, (int)(sizeof proof_need / sizeof *proof_need)));
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return wallet_near(s, "wechat-pay", "a WeChat Pay bill", need, NNEED, why, whylen);
}

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    int title = 0, list = 0, header = 0, proof = 0;
    wallet_cols_t c;
    for (int i = 0; i < s->nrows; i++) {
        const char *first = wallet_first_cell(&s->rows[i]);
        if (i < 3 && str_starts(first, "微信支付账单明细") && !str_has(first, "列表"))
            title = 1;
        if (i < 6 && str_has(first, "微信支付交易明细证明"))
            proof = 1;
        if (str_has(first, "微信支付账单明细列表"))
            list = 1;
        if (find_header(&s->rows[i], &c)) {
            header = 1;
            break;
        }
    }
    if (proof && header && c.at[WF_STATUS] < 0) {
        snprintf(why, whylen, "title 微信支付交易明细证明 and its header");
        return 90;
    }
    if (title && (list || header)) {
        snprintf(why, whylen, "title 微信支付账单明细 and %s", header ? "its header" : "列表 line");
        return 90;
    }
    if (header) {
        snprintf(why, whylen, "WeChat Pay header row (no title: a re-save)");
        return 70;
    }
    return 0;
}

/* The column of field f on a row where extra cells were split off 交易对方 by an
 * unquoted comma: columns after 交易对方 shift right by extra. -1 when absent. */
static int col_of(const wallet_cols_t *c, wfield_t f, int extra)
{
    int col = c->at[f];
    return col > c->at[WF_PARTY] ? col + extra : col;
}

static const char *cell(const row_t *r, const wallet_cols_t *c, wfield_t f, int extra)
{
    return wallet_cell(r, col_of(c, f, extra));
}

static int dir_word(const char *s)
{
    return !*s || pay_word("wechat-pay", "dir", NULL, s);
}

/* How many cells an unquoted comma in 交易对方 split off (edge-sky/Bills-save #12):
 * the first shift that puts a direction word under 收/支 and money under 金额. */
static int surplus_cells(const row_t *r, const wallet_cols_t *c)
{
    int party = c->at[WF_PARTY];
    if (c->at[WF_DIR] <= party || c->at[WF_AMOUNT] <= party)
        return 0;
    for (int extra = 0; extra <= 8 && party + extra < r->n; extra++) {
        fen_t v;
        if (dir_word(cell(r, c, WF_DIR, extra)) &&
            wallet_money(r, col_of(c, WF_AMOUNT, extra), &v) == MONEY_OK)
            return extra;
    }
    return 0;
}

static char *party_of(const row_t *r, const wallet_cols_t *c, int extra)
{
    sbuf_t b = {0};
    int party = c->at[WF_PARTY];
    for (int k = 0; k <= extra && party + k < r->n; k++) {
        if (k)
            sb_addc(&b, ',');
        sb_add(&b, r->cells[party + k]);
    }
    return sb_take(&b);
}

static void record_row(parse_t *p, const row_t *r, const wallet_cols_t *c, wallet_meta_t *meta)
{
    int extra = surplus_cells(r, c);
    payment_t pay;
    memset(&pay, 0, sizeof pay);
    if (wallet_time(p, r, c->at[WF_TIME], &pay.time) < 0)
        return;
    if (wallet_amount(p, r, col_of(c, WF_AMOUNT, extra), &pay.amount) < 0)
        return;
    const char *dir = cell(r, c, WF_DIR, extra);
    pay_state_t st = wechat_state(dir, cell(r, c, WF_TYPE, extra), cell(r, c, WF_STATUS, extra));
    if (c->at[WF_STATUS] < 0 && st.dir == DIR_OUT && st.status == PAY_OTHER)
        st.status = PAY_COMPLETED; /* the proof lists completed transactions only */
    pay.dir = st.dir;
    pay.status = st.status;
    pay.refunded = st.refunded;
    pay.no_item_column = c->at[WF_ITEM] < 0;
    char *party = party_of(r, c, extra);
    char *txid = pay_id_dup(cell(r, c, WF_TXID, extra));
    char *merchant = pay_id_dup(cell(r, c, WF_MERCHANT, extra));
    pay.counterparty = (char *)wallet_none_slash(party);
    pay.item = (char *)wallet_none_slash(cell(r, c, WF_ITEM, extra));
    pay.method = (char *)wallet_none_slash(cell(r, c, WF_METHOD, extra));
    pay.txid = txid;
    pay.merchant_id = merchant;
    pay.wallet = "wechat-pay";
    wallet_meta_count(meta, dir, pay.amount);
    parse_payment(p, r, &pay); /* copies the strings */
    free(party);
    free(txid);
    free(merchant);
}

static int parse(parse_t *p)
{
    static const wallet_format_t fmt = {
        find_header, NULL, record_row,
        "no WeChat Pay header row (交易时间, 交易类型, 交易对方, …) found"};
    return wallet_parse(p, &fmt);
}

const parser_t parser_wechat_pay = {
    "wechat-pay", "WeChat Pay bill (微信支付账单明细), CSV or XLSX", RS_CELLS, sniff, parse, near,
};
