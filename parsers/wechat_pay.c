/* wechat-pay (formats.md §2): the WeChat Pay bill, W1 CSV and W2/W3 XLSX.
 * The header row is found by its names, never by counting rows; the preamble
 * gives the period (起始时间 … 终止时间) and the record count (共N笔记录). */
#include "parser.h"
#include "payments.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int time, type, party, item, dir, amount, method, status, txid, merchant;
    int ncols;
} wcols_t;

static const char *const H_TIME[] = {"交易时间", NULL};
static const char *const H_TYPE[] = {"交易类型", NULL};
static const char *const H_PARTY[] = {"交易对方", NULL};
static const char *const H_ITEM[] = {"商品", NULL};
static const char *const H_DIR[] = {"收/支", NULL};
static const char *const H_AMOUNT[] = {"金额", NULL};
static const char *const H_METHOD[] = {"支付方式", NULL};
static const char *const H_STATUS[] = {"当前状态", NULL};
static const char *const H_TXID[] = {"交易单号", NULL};
static const char *const H_MERCHANT[] = {"商户单号", NULL};

/* 1 when r is the header row (the names WeChat has always used). */
static int find_header(const row_t *r, wcols_t *c)
{
    c->time = pay_header_find(r, H_TIME);
    c->type = pay_header_find(r, H_TYPE);
    c->party = pay_header_find(r, H_PARTY);
    c->item = pay_header_find(r, H_ITEM);
    c->dir = pay_header_find(r, H_DIR);
    c->amount = pay_header_find(r, H_AMOUNT);
    c->method = pay_header_find(r, H_METHOD);
    c->status = pay_header_find(r, H_STATUS);
    c->txid = pay_header_find(r, H_TXID);
    c->merchant = pay_header_find(r, H_MERCHANT);
    c->ncols = r->n;
    return c->time >= 0 && c->party >= 0 && c->dir >= 0 && c->amount >= 0 && c->status >= 0 &&
           c->type >= 0;
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

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    int title = 0, list = 0, header = 0;
    wcols_t c;
    for (int i = 0; i < s->nrows; i++) {
        const char *first = first_cell(&s->rows[i]);
        if (i < 3 && str_starts(first, "微信支付账单明细") && !str_has(first, "列表"))
            title = 1;
        if (str_has(first, "微信支付账单明细列表"))
            list = 1;
        if (find_header(&s->rows[i], &c)) {
            header = 1;
            break;
        }
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

/* The cell of column col on a row where extra cells were split off 交易对方 by an
 * unquoted comma: columns after 交易对方 shift right by extra. */
static const char *cell(const row_t *r, const wcols_t *c, int col, int extra)
{
    if (col < 0)
        return "";
    int i = col > c->party ? col + extra : col;
    return i < r->n ? r->cells[i] : "";
}

static int cell_num(const row_t *r, const wcols_t *c, int col, int extra)
{
    if (col < 0 || !r->flags)
        return 0;
    int i = col > c->party ? col + extra : col;
    return i < r->n && (r->flags[i] & CELL_NUM) && !(r->flags[i] & CELL_DATE);
}

static int dir_word(const char *s)
{
    return !strcmp(s, "收入") || !strcmp(s, "支出") || !strcmp(s, "/") || !*s;
}

static money_rc amount_of(const row_t *r, const wcols_t *c, int extra, fen_t *out)
{
    const char *s = cell(r, c, c->amount, extra);
    return cell_num(r, c, c->amount, extra) ? money_parse_round(s, out, NULL)
                                            : money_parse(s, out, NULL);
}

/* How many cells an unquoted comma in 交易对方 split off (edge-sky/Bills-save #12):
 * the first shift that puts a direction word under 收/支 and money under 金额. */
static int surplus_cells(const row_t *r, const wcols_t *c)
{
    if (c->dir <= c->party || c->amount <= c->party)
        return 0;
    for (int extra = 0; extra <= 8 && c->party + extra < r->n; extra++) {
        fen_t v;
        if (dir_word(cell(r, c, c->dir, extra)) && amount_of(r, c, extra, &v) == MONEY_OK)
            return extra;
    }
    return 0;
}

static char *party_of(const row_t *r, const wcols_t *c, int extra)
{
    sbuf_t b = {0};
    for (int k = 0; k <= extra && c->party + k < r->n; k++) {
        if (k)
            sb_addc(&b, ',');
        sb_add(&b, r->cells[c->party + k]);
    }
    return sb_take(&b);
}

static int time_of(parse_t *p, const row_t *r, const wcols_t *c, ts_t *out)
{
    const char *s = cell(r, c, c->time, 0);
    dt_t dt;
    int ok = cell_num(r, c, c->time, 0) ? dt_from_serial(s, 0, &dt) == 0 : dt_parse(s, &dt) == 0;
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

static void record_row(parse_t *p, const row_t *r, const wcols_t *c, wallet_meta_t *meta)
{
    int extra = surplus_cells(r, c);
    payment_t pay;
    memset(&pay, 0, sizeof pay);
    if (time_of(p, r, c, &pay.time) < 0)
        return;
    money_rc m = amount_of(r, c, extra, &pay.amount);
    if (m != MONEY_OK || pay.amount < 0) {
        parse_reject(p, r, "amount \"%s\" is not a number", cell(r, c, c->amount, extra));
        return;
    }
    pay_state_t st = wechat_state(cell(r, c, c->dir, extra), cell(r, c, c->type, extra),
                                  cell(r, c, c->status, extra));
    pay.dir = st.dir;
    pay.status = st.status;
    pay.refunded = st.refunded;
    char *party = party_of(r, c, extra);
    char *txid = pay_id_dup(cell(r, c, c->txid, extra));
    char *merchant = pay_id_dup(cell(r, c, c->merchant, extra));
    pay.counterparty = (char *)none_slash(party);
    pay.item = (char *)none_slash(cell(r, c, c->item, extra));
    pay.method = (char *)none_slash(cell(r, c, c->method, extra));
    pay.txid = txid;
    pay.merchant_id = merchant;
    pay.wallet = "wechat-pay";
    wallet_meta_count(meta, cell(r, c, c->dir, extra), pay.amount);
    parse_payment(p, r, &pay); /* copies the strings */
    free(party);
    free(txid);
    free(merchant);
}

static int parse(parse_t *p)
{
    wallet_meta_t meta;
    wcols_t c;
    row_t r;
    int rc, header = 0;
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
        wcols_t again;
        if (find_header(&r, &again))
            continue; /* a repeated header (two exports pasted together) */
        /* A row of one cell is a separator, a count or a note, never a transaction. */
        if (nonempty_cells(&r) <= 1) {
            wallet_meta_row(&meta, &r);
            continue;
        }
        records++;
        record_row(p, &r, &c, &meta);
    }
    if (!header) {
        diag(p->path, 0, "no WeChat Pay header row (交易时间, 交易类型, 交易对方, …) found");
        free(meta.decl_text);
        return -1;
    }
    wallet_meta_finish(p, &meta, records);
    return rc < 0 ? -1 : 0;
}

const parser_t parser_wechat_pay = {
    "wechat-pay", "WeChat Pay bill (微信支付账单明细), CSV or XLSX", RS_CELLS, sniff, parse,
};
