/* alipay (formats.md §3): the Alipay transaction statement, three layouts:
 * A3 (current: preamble, 电子客户回单 separator, header 交易时间,交易分类,…),
 * A2 (mobile until 2023: header 收/支,交易对方,… first, 导出信息 after the records),
 * A1 (PC web until ~2021: 支付宝交易记录明细查询, header 交易号,…, dashed end line).
 * All three are read through one column map found by header names. */
#include "parser.h"
#include "payments.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int time, created, category, party, account, item, dir, amount, method, status, txid, merchant,
        refunded;
} acols_t;

static const char *const H_TIME[] = {"交易时间", "付款时间", NULL};
static const char *const H_CREATED[] = {"交易创建时间", NULL};
static const char *const H_CATEGORY[] = {"交易分类", NULL};
static const char *const H_PARTY[] = {"交易对方", NULL};
static const char *const H_ACCOUNT[] = {"对方账号", NULL};
static const char *const H_ITEM[] = {"商品说明", "商品名称", NULL};
static const char *const H_DIR[] = {"收/支", NULL};
static const char *const H_AMOUNT[] = {"金额", NULL};
static const char *const H_METHOD[] = {"收/付款方式", NULL};
static const char *const H_STATUS[] = {"交易状态", NULL};
static const char *const H_TXID[] = {"交易订单号", "交易号", NULL};
static const char *const H_MERCHANT[] = {"商家订单号", NULL};
static const char *const H_REFUNDED[] = {"成功退款", NULL};

static int find_header(const row_t *r, acols_t *c)
{
    c->time = pay_header_find(r, H_TIME);
    c->created = pay_header_find(r, H_CREATED);
    c->category = pay_header_find(r, H_CATEGORY);
    c->party = pay_header_find(r, H_PARTY);
    c->account = pay_header_find(r, H_ACCOUNT);
    c->item = pay_header_find(r, H_ITEM);
    c->dir = pay_header_find(r, H_DIR);
    c->amount = pay_header_find(r, H_AMOUNT);
    c->method = pay_header_find(r, H_METHOD);
    c->status = pay_header_find(r, H_STATUS);
    c->txid = pay_header_find(r, H_TXID);
    c->merchant = pay_header_find(r, H_MERCHANT);
    c->refunded = pay_header_find(r, H_REFUNDED);
    return (c->time >= 0 || c->created >= 0) && c->party >= 0 && c->dir >= 0 && c->amount >= 0 &&
           c->status >= 0;
}

static const char *first_cell(const row_t *r)
{
    for (int i = 0; i < r->n; i++)
        if (r->cells[i][0])
            return r->cells[i];
    return "";
}

static int nonempty_cells(const row_t *r)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        n += r->cells[i][0] != 0;
    return n;
}

/* "------------…" alone on a line: the end of the records (A1, A3) or a separator. */
static int dashed(const row_t *r)
{
    const char *s = first_cell(r);
    return nonempty_cells(r) == 1 && str_starts(s, "---");
}

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    int marker = 0;
    acols_t c;
    for (int i = 0; i < s->nrows; i++) {
        const char *first = first_cell(&s->rows[i]);
        if (str_has(first, "电子客户回单") ||
            (i < 3 && str_starts(first, "支付宝交易记录明细查询")))
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

static const char *cell(const row_t *r, int col)
{
    return col >= 0 && col < r->n ? r->cells[col] : "";
}

static int is_num(const row_t *r, int col)
{
    return col >= 0 && col < r->n && r->flags && (r->flags[col] & CELL_NUM) &&
           !(r->flags[col] & CELL_DATE);
}

static money_rc money_of(const row_t *r, int col, fen_t *out)
{
    return is_num(r, col) ? money_parse_round(cell(r, col), out, NULL)
                          : money_parse(cell(r, col), out, NULL);
}

/* 付款时间 (A1) may be blank for an unpaid order: the creation time stands in. */
static int time_of(parse_t *p, const row_t *r, const acols_t *c, ts_t *out)
{
    int col = c->time >= 0 && *cell(r, c->time) ? c->time : c->created;
    const char *s = cell(r, col);
    dt_t dt;
    int ok = is_num(r, col) ? dt_from_serial(s, 0, &dt) == 0 : dt_parse(s, &dt) == 0;
    if (!ok || !dt.has_year) {
        parse_reject(p, r, "transaction time \"%s\" is not a date-time", s);
        return -1;
    }
    *out = dt_ts(&dt);
    return 0;
}

static const char *none_slash(const char *s)
{
    return strcmp(s, "/") ? s : "";
}

static void record_row(parse_t *p, const row_t *r, const acols_t *c, wallet_meta_t *meta)
{
    payment_t pay;
    memset(&pay, 0, sizeof pay);
    if (time_of(p, r, c, &pay.time) < 0)
        return;
    if (money_of(r, c->amount, &pay.amount) != MONEY_OK || pay.amount < 0) {
        parse_reject(p, r, "amount \"%s\" is not a number", cell(r, c->amount));
        return;
    }
    const char *item = none_slash(cell(r, c->item));
    pay_state_t st = alipay_state(cell(r, c->dir), cell(r, c->category), item, cell(r, c->status),
                                  cell(r, c->txid));
    pay.dir = st.dir;
    pay.status = st.status;
    fen_t refunded = 0;
    if (c->refunded >= 0 && money_of(r, c->refunded, &refunded) == MONEY_OK && refunded > 0)
        pay.refunded = refunded; /* A1: 成功退款（元） */
    char *txid = pay_id_dup(cell(r, c->txid));
    char *merchant = pay_id_dup(cell(r, c->merchant));
    pay.counterparty = (char *)none_slash(cell(r, c->party));
    pay.account = (char *)none_slash(cell(r, c->account));
    pay.item = (char *)item;
    pay.method = (char *)none_slash(cell(r, c->method));
    pay.txid = txid;
    pay.merchant_id = merchant;
    pay.wallet = "alipay";
    wallet_meta_count(meta, cell(r, c->dir), pay.amount);
    parse_payment(p, r, &pay); /* copies the strings */
    free(txid);
    free(merchant);
}

static int parse(parse_t *p)
{
    wallet_meta_t meta;
    acols_t c;
    row_t r;
    int rc, header = 0, ended = 0;
    long records = 0;
    wallet_meta_init(&meta);
    while ((rc = rowsrc_next(p->rows, &r)) > 0) {
        if (!header) {
            if (find_header(&r, &c))
                header = 1;
            else
                wallet_meta_row(&meta, &r);
            continue;
        }
        acols_t again;
        if (find_header(&r, &again))
            continue; /* a repeated header */
        /* After the dashed end line only the footer follows (counts, export info). */
        if (dashed(&r))
            ended = 1;
        if (ended || nonempty_cells(&r) <= 1) {
            wallet_meta_row(&meta, &r);
            continue;
        }
        records++;
        record_row(p, &r, &c, &meta);
    }
    if (!header) {
        diag(p->path, 0, "no Alipay header row (交易时间/交易号, 交易对方, 收/支, 金额, …) found");
        free(meta.decl_text);
        return -1;
    }
    wallet_meta_finish(p, &meta, records);
    return rc < 0 ? -1 : 0;
}

const parser_t parser_alipay = {
    "alipay", "Alipay transaction statement (支付宝交易明细 / 电子客户回单), layouts A1-A3",
    RS_CELLS, sniff,
    parse,
};
