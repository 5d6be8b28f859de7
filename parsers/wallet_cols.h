/* The columns of a wallet statement (WeChat Pay, Alipay; formats.md §2, §3):
 * found on the header row by name; the reading loop and the cell readers both
 * wallet parsers share.
 * The header names are DATA, parsers/data/wallet-columns.tsv
 * (wallet<TAB>field<TAB>alias): a new alias is one line there. Each parser decides
 * which fields its header requires:
 *
 *     wallet_cols_t c;
 *     wallet_cols_find(r, "wechat-pay", &c);     // c.at[WF_TIME]: column or -1
 *     static const wfield_t need[] = {WF_TIME, WF_PARTY};
 *     if (wallet_cols_all(&c, need, 2)) ...     // r is the header row
 */
#ifndef BILLAUDIT_WALLET_COLS_H
#define BILLAUDIT_WALLET_COLS_H
#include "parser.h"
#include "payments.h"

/* ---- header ---- */
/* The fields of both wallets, with their names in the table. */
typedef enum {
    WF_TIME,     /* time: 交易时间; Alipay A1 付款时间 */
    WF_CREATED,  /* created: 交易创建时间 (Alipay A1) */
    WF_TYPE,     /* type: 交易类型 (WeChat) */
    WF_CATEGORY, /* category: 交易分类 (Alipay) */
    WF_PARTY,    /* party: 交易对方 */
    WF_ACCOUNT,  /* account: 对方账号 (Alipay) */
    WF_ITEM,     /* item: 商品, 商品说明 */
    WF_DIR,      /* dir: 收/支 */
    WF_AMOUNT,   /* amount: 金额 */
    WF_METHOD,   /* method: 支付方式, 收/付款方式 */
    WF_STATUS,   /* status: 当前状态, 交易状态 */
    WF_TXID,     /* txid: 交易单号, 交易订单号, 交易号 */
    WF_MERCHANT, /* merchant: 商户单号, 商家订单号 */
    WF_REFUNDED, /* refunded: 成功退款 (Alipay A1) */
    WF_N
} wfield_t;

typedef struct {
    int at[WF_N]; /* column of each field, -1 when absent */
} wallet_cols_t;

/* Fills c with the leftmost column of r whose header (normalised as pay_header_norm)
 * is an alias of the field for wallet (the parser id: "wechat-pay", "alipay"). */
void wallet_cols_find(const row_t *r, const char *wallet, wallet_cols_t *c);
/* 1 when every field of need was found. */
int wallet_cols_all(const wallet_cols_t *c, const wfield_t *need, int nneed);

/* A parser's near (parser.h) for a wallet whose header needs the fields need (交易创建时间
 * stands in for 交易时间, as in Alipay A1): the number of the wallet's fields named on the
 * row naming most of them while lacking some of need; why says, for a file that is `what`,
 * what was found and what is missing. 0 when no row is such. */
int wallet_near(const sniff_t *s, const char *wallet, const char *what, const wfield_t *need,
                int nneed, char *why, size_t whylen);

/* Adds one line of the table ("alipay\ttxid\t订单号") as if appended to the file:
 * for tests that prove an alias is one data line. 0, or -1 when malformed. */
int wallet_cols_add_line(const char *line);
/* Back to the embedded table alone. */
void wallet_cols_reset(void);

/* ---- the reading loop ---- */
typedef struct {
    /* Fills c; 1 when r is the header row (the wallet's required columns are there). */
    int (*find_header)(const row_t *r, wallet_cols_t *c);
    /* A line after which only the footer follows (Alipay's dashed line); NULL: none. */
    int (*ends_records)(const row_t *r);
    /* Reads one record row (rejects it with parse_reject, or counts it in meta). */
    void (*record)(parse_t *p, const row_t *r, const wallet_cols_t *c, wallet_meta_t *meta);
    const char *no_header; /* the diagnostic when the file has no header row */
} wallet_format_t;

/* Reads a wallet statement: preamble rows up to the header row, then records. A
 * repeated header is skipped; a row of one cell (a separator, a count, a note) and
 * every row after ends_records are footer facts. -1 on no header or a read error. */
int wallet_parse(parse_t *p, const wallet_format_t *f);

/* ---- cells ---- */
/* Cell col of r; "" when col < 0 or past the end of the row. */
const char *wallet_cell(const row_t *r, int col);
/* The first non-empty cell ("" when none), and how many cells are non-empty. */
const char *wallet_first_cell(const row_t *r);
int wallet_nonempty_cells(const row_t *r);
/* "/" (the statements' "none") as "". */
const char *wallet_none_slash(const char *s);
/* Amount in cell col: exact for text, rounded for an XLSX number (a float). */
money_rc wallet_money(const row_t *r, int col, fen_t *out);
/* The row's amount, at least 0: 0, or -1 with the row rejected saying why. */
int wallet_amount(parse_t *p, const row_t *r, int col, fen_t *out);
/* Time in cell col (text or an XLSX serial); rejects the row (-1) when it is not a
 * date-time with a year. */
int wallet_time(parse_t *p, const row_t *r, int col, ts_t *out);

#endif
