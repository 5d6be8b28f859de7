/* Wallet payments and operator credits: the helpers the wallet parsers share
 * (ids, status words, preamble facts) and the reconciliation payment-not-credited
 * rests on (de-duplication across exports, refund linking, recognising a
 * top-up to the operator for the account's number, its face value). */
#ifndef BILLAUDIT_PAYMENTS_H
#define BILLAUDIT_PAYMENTS_H
#include "audit.h"
#include "parser.h"

/* ---- ids ---- */
/* Is a transaction id usable for de-duplication? Not empty, not "/", not an
 * Excel-mangled number like "4.2E+27" (the digits are lost). */
int pay_id_usable(const char *id);
/* A copy of the id when usable, else NULL. */
char *pay_id_dup(const char *cell);

/* ---- status words (wallet statements; table rules/data/wallet-status.tsv) ---- */
/* Does the cell match a word of the table with this wallet ("wechat-pay", "alipay";
 * the "*" lines count for both, and alone when wallet is NULL), field ("dir",
 * "status", ...) and meaning ("paid", ...; NULL: any)? 0 for a NULL cell. */
int pay_word(const char *wallet, const char *field, const char *meaning, const char *cell);
typedef struct {
    pay_dir_t dir;
    pay_status_t status;
    fen_t refunded; /* refund stated in the status cell ("已退款(¥2.00)") */
} pay_state_t;
/* WeChat Pay: 收/支, 交易类型, 当前状态. */
pay_state_t wechat_state(const char *dir, const char *type, const char *status);
/* Alipay: 收/支, 交易分类, 商品说明, 交易状态, 交易订单号. */
pay_state_t alipay_state(const char *dir, const char *category, const char *item,
                         const char *status, const char *txid);

/* ---- header names ---- */
/* Header cell as compared: trimmed, （）→(), spaces removed,
 * a trailing unit in parentheses dropped. Writes into out (NUL-terminated); returns its length. */
size_t pay_header_norm(const char *cell, char *out, size_t outlen);
/* The wallet parsers find their columns with wallet_cols_find (parsers/wallet_cols.h),
 * which compares header cells normalised by this. */

/* ---- wallet preamble and footer facts ---- */
typedef struct {
    day_t from, to;  /* declared period (起始时间 … 终止时间), NO_DAY when none */
    day_t exported;  /* 导出时间, NO_DAY when none */
    long declared;   /* 共N笔记录, -1 when none */
    long decl_line;  /* line of the period, for evidence */
    char *decl_text; /* raw text of that line (owned) */
    /* Subtotals per direction (收入 / 支出 / 中性交易 or 不计收支): declared, and read. */
    int has_sub[3];
    long sub_count[3], got_count[3];
    fen_t sub_sum[3], got_sum[3];
} wallet_meta_t;
void wallet_meta_init(wallet_meta_t *m);
/* Takes what a preamble or footer row says; returns 1 when the row was such a line. */
int wallet_meta_row(wallet_meta_t *m, const row_t *r);
/* Counts a record read, by its 收/支 cell as printed, for the subtotal check. */
void wallet_meta_count(wallet_meta_t *m, const char *dir_cell, fen_t amount);
/* Stores the declared period in the source and compares 共N笔记录 with records read. */
void wallet_meta_finish(parse_t *p, wallet_meta_t *m, long records);

/* ---- top-ups to the operator ---- */
/* Face value stated in an item ("充值50.00元", "100元话费"): 1 and *out, else 0. */
int pay_face_value(const char *item, fen_t *out);

typedef enum {
    NUM_NONE,  /* the item names no number */
    NUM_MATCH, /* it names the account's number (full, masked 139****5678, or last four) */
    NUM_OTHER  /* it names a number that is not (or cannot be shown to be) the account's */
} num_check_t;
/* acct_number may be NULL (no profile): a named number then cannot be checked -> NUM_OTHER. */
num_check_t pay_number_check(const char *item, const char *acct_number);
/* Does one written number (digits, or masked with '*') name acct_number? */
int pay_number_matches(const char *acct_number, const char *written);

/* Operator of a payee (counterparty or its account, e.g. "jscmcc***@chinamobile.com"):
 * "china-mobile" | "china-telecom" | "china-unicom" | "*" (an operator, unknown which),
 * NULL when not an operator (table rules/data/operator-payees.tsv). */
const char *pay_operator_of(const char *payee);
/* Does the item read as a top-up or bill payment (table rules/data/topup-words.tsv)? */
int pay_is_topup(const char *item);

/* Is p a completed, not fully refunded, outgoing top-up to the account's operator for
 * the account's number? On 1, *owed = face value (or amount paid) minus refunds. */
int payment_is_topup_for_account(const audit_t *a, const payment_t *p, fen_t *owed);
/* "微信支付", "支付宝" for a payment's wallet id, "电子钱包" for another. */
const char *wallet_label(const char *wallet);

/* ---- reconciliation ---- */
/* De-duplicates payments and credits across files and links refund rows to their
 * originals (partial refunds reduce the amount). Idempotent: the rule calls it. */
void payments_prepare(audit_t *a);
/* Only the refund linking of payments_prepare (detect --records shows what it links);
 * running it again changes nothing. */
void payments_link_refunds(audit_t *a);
/* The payment refund row r refunds, as the audit links it; NULL when r is no refund row
 * or its original is not among the payments read. */
payment_t *payment_refunded_by(audit_t *a, const payment_t *r);

#endif
