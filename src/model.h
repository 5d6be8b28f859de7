/* The record model: what every parser emits and every rule reads.
 * Money is int64 fen; times are local China time (UTC+8) counted as plain
 * calendar arithmetic; every record carries its provenance. */
#ifndef BILLAUDIT_MODEL_H
#define BILLAUDIT_MODEL_H
#include "util.h"
#include <stdint.h>

typedef int64_t fen_t;
typedef int64_t ts_t;  /* seconds since 1970-01-01 00:00:00 local time */
typedef int32_t day_t; /* days since 1970-01-01; NO_DAY when unknown */
typedef int32_t ym_t;  /* year * 12 + month - 1; NO_YM when unknown */
#define NO_DAY INT32_MIN
#define NO_YM INT32_MIN
#define NO_TS INT64_MIN

/* Provenance: the citation of a record. text is the raw line decoded to UTF-8 (owned). */
typedef struct {
    int src; /* index into audit_t.sources */
    long line;
    char *text;
    /* 1 when the line held bytes invalid in its encoding: text shows U+FFFD for them, the
     * file itself the bytes (reports say so next to the citation). */
    int damaged;
} prov_t;

/* Bill-line classes (keyword tables in rules/data/bill-classes.tsv). */
typedef enum {
    CL_OTHER,
    CL_RECURRING,
    CL_VOICE,
    CL_DATA,
    CL_SMS,
    CL_VAS,
    CL_THIRDPARTY,
    CL_PENALTY,
    CL_NCLASSES
} bill_class_t;

typedef struct {
    ym_t period;
    char *category; /* as printed (inherited from the row above when blank) */
    char *item;
    char *number; /* 号码 of the line, NULL when none */
    char *note;
    fen_t amount;
    /* Filled by the audit, not by parsers: */
    bill_class_t cls;
    int service;  /* index into account services, -1 = the mobile plan */
    int dup;      /* 1 = an extra copy removed by duplicate-charge */
    int excluded; /* 1 = month taken from another source, or another number */
    prov_t prov;
} bill_line_t;

typedef enum { U_VOICE, U_DATA, U_SMS, U_VAS, U_BROADBAND, U_NKINDS } ukind_t;
extern const char *const ukind_names[U_NKINDS];

/* One itemised usage record as a parser emits it (aggregated by the audit). */
typedef struct {
    ukind_t kind;
    ts_t start, end; /* end: broadband sessions only, else NO_TS */
    fen_t fee;
    /* Duration and volume as the log states them (voice, data, broadband): kept so the
     * records dump shows what was read; the rules need only counts and fees. */
    int64_t seconds, bytes;
    unsigned char has_seconds, has_bytes; /* 0: blank, no such column, or an unknown unit */
    const char *name;                     /* usage-vas: 业务名称 */
    const char *provider;                 /* usage-vas: 服务提供商, NULL when none */
    const char *number;                   /* 号码 column, NULL when none */
    int incoming;                         /* received call / SMS (still usage) */
} usage_t;

typedef enum { DIR_OUT, DIR_IN, DIR_NEUTRAL } pay_dir_t;
typedef enum {
    PAY_COMPLETED, /* money left the wallet */
    PAY_CLOSED,    /* no money moved, or fully refunded */
    PAY_REFUND,    /* a refund row of its own */
    PAY_OTHER
} pay_status_t;

/* A wallet or bank transaction (WeChat Pay, Alipay). */
typedef struct {
    ts_t time;
    pay_dir_t dir;
    pay_status_t status;
    fen_t amount;   /* amount paid */
    fen_t refunded; /* refunds known from the status cell or linked refund rows */
    char *counterparty, *account, *item, *method, *txid, *merchant_id;
    const char *wallet; /* "wechat-pay", "alipay" */
    int dup;            /* a copy from an overlapping export: 1 + the index of the row it copies */
    /* The statement has no description column (the WeChat proof): an
     * operator as the payee makes the row a top-up, its face value its amount. */
    int no_item_column;
    prov_t prov;
} payment_t;

/* A row of the operator's own payment history. */
typedef struct {
    ts_t time;
    fen_t amount;
    int ok; /* a credit: status blank or 成功/到账/完成, not 失败/撤销/冲正 */
    char *txid, *channel, *method;
    int dup;  /* a copy from an overlapping export: 1 + the index of the row it copies */
    int used; /* matched to a payment by payment-not-credited */
    prov_t prov;
} credit_t;

/* A clause of contract text: first line's provenance, the joined text. */
typedef struct {
    prov_t prov; /* first line: line number and original text */
    char *text;  /* whole clause, wrapped lines joined */
    char *label; /* numbering as printed, e.g. "（二）" */
} clause_t;

/* ---- calendar ---- */
day_t days_from_civil(int y, int m, int d);
void civil_from_days(day_t z, int *y, int *m, int *d);
static inline ym_t ym_make(int y, int m)
{
    return y * 12 + m - 1;
}
static inline int ym_year(ym_t v)
{
    return v / 12;
}
static inline int ym_month(ym_t v)
{
    return v % 12 + 1;
}
ym_t ym_of_day(day_t d);
day_t ym_first_day(ym_t m);
day_t ym_last_day(ym_t m);
static inline day_t ts_day(ts_t t)
{
    return (day_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}
/* "2024-06" into buf (8+ bytes); "" for NO_YM. */
char *ym_fmt(ym_t m, char *buf);
/* "2024-06-01" into buf (11+ bytes). */
char *day_fmt(day_t d, char *buf);
/* "2024-06-01 09:41:27" into buf (20+ bytes). */
char *ts_fmt(ts_t t, char *buf);
/* Add months the way CC-202 counts: the same day number, else the month's last day. */
day_t day_add_months(day_t d, int months);

/* ---- money ---- */
typedef enum { MONEY_OK = 0, MONEY_EMPTY = 1, MONEY_BAD = -1, MONEY_RANGE = -2 } money_rc;
/* No bill line, payment or fee reaches a trillion yuan: an amount read from text beyond
 * this many fen is a corrupt cell, and the bound keeps sums of lines far from int64. */
#define FEN_MAX 100000000000000LL /* 10^12 yuan */
/* Exact decimal text -> fen. Accepts ¥/￥/RMB, thousands commas, 元, U+2212 minus.
 * MONEY_EMPTY for "", "-", "--", "/". On MONEY_BAD *why says what is wrong; MONEY_RANGE:
 * a number beyond FEN_MAX either way (*why "out of range"). */
money_rc money_parse(const char *s, fen_t *out, const char **why);
/* Same, but digits past the 2nd decimal are rounded half-up (XLSX number cells). */
money_rc money_parse_round(const char *s, fen_t *out, const char **why);
/* "1234.50" / "-5.00" into buf (32+ bytes); "out of range" for an overflowed sum. */
char *money_fmt(fen_t v, char *buf);
/* Checked money arithmetic: 0 when the result lies strictly inside int64, else -1 with
 * *acc (*out) held at INT64_MAX or INT64_MIN (the sign of the true result), so that a
 * wrapped value is never printed. The two bounds mean "overflowed" and are sticky: an
 * overflowed operand gives -1 again, and fen_overflowed() tells a held sum from a real
 * one (money_fmt prints it "out of range"). */
int fen_add(fen_t *acc, fen_t v);
int fen_sub(fen_t *acc, fen_t v);
int fen_mul(fen_t *out, fen_t a, int64_t n);
int fen_overflowed(fen_t v);

/* ---- date-time, durations, volumes ---- */
typedef struct {
    int y, m, d, hh, mi, ss;
    int has_year, has_time;
} dt_t;
/* Parses the notations of doc/formats.md ("Text"). 0 on success. */
int dt_parse(const char *s, dt_t *out);
ts_t dt_ts(const dt_t *t); /* requires has_year */
/* Gives a year-less date its year from a declared period [from, to] (days):
 * inside it, else within 31 days before from. 0 on success. */
int dt_infer_year(dt_t *t, day_t from, day_t to);
/* XLSX date serial text ("45795.84385416667") -> dt; date1904 selects the 1904 system. */
int dt_from_serial(const char *s, int date1904, dt_t *out);
/* Duration to seconds; unit_minutes: a bare number is minutes. -1 on error. */
int64_t duration_parse(const char *s, int unit_minutes);
/* Volume to bytes; unit_bytes: multiplier for a bare number (0 = unknown -> returns -2). -1 on
 * error. */
int64_t volume_parse(const char *s, int64_t unit_bytes);
/* Finds date tokens in free text (preamble values): up to 2 days; a lone month token
 * gives that month's first and last day. Returns the number of tokens found (0..2). */
int date_range_scan(const char *s, day_t *from, day_t *to);

#endif
