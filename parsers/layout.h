/* The shared engine of the header-named operator layouts (formats.md §1.4–§1.7,
 * §5.1, §6): header normalisation and matching, preamble keys, the declared
 * period, summary rows, inheritance of blank cells, date+time column pairs.
 * Column aliases, preamble keys and summary words are DATA:
 * parsers/data/columns.tsv, preamble-keys.tsv, summary-words.tsv.
 *
 * A parser for one layout is a sniff and a row function (see parsers/usage_sms.c):
 *
 *     static int sniff(const sniff_t *s, char *why, size_t n)
 *     { return layout_sniff(s, LK_SMS, why, n); }
 *
 *     static void sms_row(lreader_t *R, const row_t *r)
 *     {
 *         usage_t u = {.kind = U_SMS, .end = NO_TS};
 *         if (lr_time(R, r, "start", "start time", &u.start) < 0 || lr_fee(R, r, &u.fee) < 0)
 *             return;                      // rejected: reported and counted by the engine
 *         lr_usage(R, r, &u, "direction"); // recorded, then kept if the number is ours
 *     }
 *
 *     static int parse(parse_t *p) { return lreader_run(p, LK_SMS, sms_row); }
 *
 * lreader_next returns only record candidates: summary rows (their declared
 * totals are checked against lr_record sums, a mismatch is a warning), `号码：…`
 * sub-headings, repeated header rows and blank rows never reach the parser.
 * Field names are those of columns.tsv ("start", "fee", "amount", ...). */
#ifndef BILLAUDIT_LAYOUT_H
#define BILLAUDIT_LAYOUT_H
#include "parser.h"

/* The canonical layouts, in the kind detection order of formats.md §5.1. */
typedef enum {
    LK_PAYMENTS,  /* operator-payments */
    LK_BROADBAND, /* broadband-sessions */
    LK_DATA,      /* usage-data */
    LK_VOICE,     /* usage-voice */
    LK_SMS,       /* usage-sms */
    LK_VAS,       /* usage-vas */
    LK_BILL,      /* operator-bill */
    LK_NKINDS
} lkind_t;
#define LK_NONE (-1)

/* "operator-payments", "usage-voice", ... */
const char *lkind_id(lkind_t k);

/* ---- tables ---- */
/* Replaces the alias tables by the given TSV texts (NULL = the embedded file);
 * for tests that prove an alias is one data line. Returns 0, or -1 when a line
 * is malformed (a diagnostic names it). */
int layout_set_tables(const char *columns, const char *preamble, const char *summary);

/* ---- header cells (§1.4) ---- */
/* Normalised header name (trimmed, （）→(), spaces removed, full-width ASCII
 * folded, ASCII lower-cased, a known trailing unit "(元)" stripped): a new
 * string. The stripped unit is copied into unit ("" when none). */
char *layout_norm_header(const char *cell, char *unit, size_t unitlen);

/* ---- preamble (§1.5, §6) ---- */
typedef struct {
    char *number, *holder, *operator_name; /* NULL when absent */
    int broadband_key;                     /* a 宽带账号/上网账号 key */
    int broadband_title;                   /* 宽带 in a title line */
    day_t period_from, period_to;          /* a period key (or a 起始/终止 pair) */
    day_t month_from, month_to; /* bill-month keys: first day of first month .. last day */
    day_t exported;
    row_t period_row, month_row; /* deep copies of the declaring lines (n = 0: none) */
    /* internal: a period split over two lines */
    day_t start_key, end_key;
    row_t start_row;
} lpre_t;

void lpre_init(lpre_t *pre);
/* Reads one preamble row: key-value pairs and title text. */
void lpre_row(lpre_t *pre, const row_t *r);
void lpre_free(lpre_t *pre);
/* Splits text into key-value pairs (2+ spaces or U+3000 between pairs, ASCII
 * or full-width colon, value maybe in [...]); calls fn for each pair and, with
 * key NULL, for text without a colon. */
typedef void (*lpair_fn)(void *ctx, const char *key, const char *value);
void lpre_pairs(const char *text, lpair_fn fn, void *ctx);
/* The declared period of §6: a period key, else (logs only: bill 0) a
 * bill-month key; an export date on or before its end cuts it to the day before.
 * Returns 1 and sets from/to/row (the declaring line), or 0 when none. */
int lpre_declared(const lpre_t *pre, int bill, day_t *from, day_t *to, const row_t **row);

/* ---- summary rows (§1.7) ---- */
/* 0 = not a summary word, 1 = a subtotal word (小计), 2 = a total word. */
int layout_summary_word(const char *cell);

/* ---- kind detection ---- */
/* The first kind of §5.1 order whose header is among rows[0..n) (at most 60);
 * *header (optional) gets the header row's index. LK_NONE when none. */
int layout_detect(const row_t *rows, int n, int *header);
/* A parser's sniff: a positive score when the rows are of kind k, else 0. */
int layout_sniff(const sniff_t *s, lkind_t k, char *why, size_t whylen);
/* A parser's near (parser.h): the number of kind k's own fields named on the row that
 * names most of them while lacking a required column (or, for a bill or broadband log,
 * what its preamble would give); why then says, for a file that is `what` ("an
 * operator bill"), what was found and what is missing. 0 when no row is such. */
int layout_near(const sniff_t *s, lkind_t k, const char *what, char *why, size_t whylen);

/* ---- the reader ---- */
#define LCOLS_MAX 8
#define LFIELDS_MAX 40
typedef struct {
    const char *field;
    int col[LCOLS_MAX]; /* matching columns, best alias first */
    int ncol;
    char unit[16]; /* unit of col[0]'s header, "" when none */
    int inherit;
    char *last; /* inherit: the value of the row above */
} lcol_t;

/* A field looked up by name, cached per reader: parsers ask by name on every row.
 * Open addressing on the name's address. */
#define LFCACHE_MAX 64
typedef struct {
    const char *name; /* the caller's pointer; hit only when key also matches */
    char key[32];
    const lcol_t *col; /* NULL: no such field in this layout */
    int dc, tc;        /* the date + time pair of a date-time field */
    int pair;          /* -1 not yet known, 0 none, 1 dc/tc hold it */
} lfcache_t;

typedef struct {
    parse_t *p;
    lkind_t kind;
    lcol_t f[LFIELDS_MAX];
    int nf;
    row_t header;
    lpre_t pre;
    day_t decl_from, decl_to; /* declared period after the export cut, NO_DAY when none */
    ym_t bill_from, bill_to;  /* bill-month keys, NO_YM when none */
    /* rows read while looking for the header, replayed after it */
    row_t *buf;
    int nbuf, ibuf;
    int eof;
    row_t cur;   /* the current row with inherited cells filled in */
    int cur_cap; /* cells allocated in cur */
    lfcache_t fcache[LFCACHE_MAX];
    int nfcache;
    const lcol_t *c_category, *c_item, *c_number; /* looked up once: used on every row */
    lcol_t *c_number_all;                         /* "number", even without a column */
    char inc_text[2][32]; /* lr_incoming: the last two direction texts and their answers */
    int inc_answer[2], inc_next;
    char *number; /* the current row's number (column, inherited or sub-heading), or NULL */
    /* declared totals */
    fen_t since_last, since_total, since_group;
    long count_last, count_total, count_group;
    long group; /* lr_group key of the last record */
    /* bookkeeping */
    long records, outside;
    ym_t rec_from, rec_to;
} lreader_t;

/* Reads the header and the preamble, sets the source's number, holder,
 * operator, declared period (decl_from/decl_to/decl), exported, ukind,
 * bill months. 0, or -1 (diagnosed) when there is no header of kind k. */
int lreader_open(lreader_t *R, parse_t *p, lkind_t kind);
/* Next record candidate: 1, 0 at the end, -1 on a read error (diagnosed).
 * The row stays valid until the next call. */
int lreader_next(lreader_t *R, row_t *row);
/* Final total check, warnings (records outside the declared period), source
 * months; frees R. Returns 0, or -1 when rc (lreader_next's last result) < 0. */
int lreader_close(lreader_t *R, int rc);

/* The whole parse of a layout: open, fn for every record candidate, close. */
typedef void (*lrow_fn)(lreader_t *R, const row_t *r);
int lreader_run(parse_t *p, lkind_t kind, lrow_fn fn);

/* Column of a field: NULL when the header has none. */
const lcol_t *lr_field(const lreader_t *R, const char *field);
/* Cell text of a field (first non-empty matching column; inherited cells
 * filled in): "" when absent or blank. */
const char *lr_get(const lreader_t *R, const row_t *r, const char *field);
/* Date-time of a field (one column, or a F.date + F.time pair); a date alone
 * is 00:00; a year-less date takes its year from the declared period. 1 = ok,
 * -1 = rejected, blank included ("<label> \"…\" is not a date-time"); check
 * lr_get first for an optional field. */
int lr_time(lreader_t *R, const row_t *r, const char *field, const char *label, ts_t *out);
/* Money of a field; blank = 0 (usage fees). XLSX number cells round half-up.
 * 1 = a value, 0 = blank, -1 = rejected. */
int lr_money(lreader_t *R, const row_t *r, const char *field, const char *label, fen_t *out);
/* A usage fee: the fee column (blank = 0), else the sum of the fee_part
 * columns, else 0. 0 = ok, -1 = rejected. */
int lr_fee(lreader_t *R, const row_t *r, fen_t *out);
/* Duration in seconds of a field, with the header unit: 1, 0 blank, -1 rejected. */
int lr_duration(lreader_t *R, const row_t *r, const char *field, int64_t *secs);
/* Volume in bytes, with the header unit: 1, 0 blank or unknown unit, -1 rejected. */
int lr_volume(lreader_t *R, const row_t *r, const char *field, int64_t *bytes);
/* Does the field's text contain an incoming keyword (被叫, 接收 ...)? */
int lr_incoming(const lreader_t *R, const row_t *r, const char *field);
/* Registers a parsed record: its amount for the declared totals, its time
 * (NO_TS for bills) for the declared-period check. */
void lr_record(lreader_t *R, ts_t when, fen_t amount);
/* Starts a new group of records when key differs from the last one (a bill's
 * month): a total row may declare the sum of its group only (a 合计 per month
 * when earlier months have none). Call before lr_record. */
void lr_group(lreader_t *R, long key);
/* Does the current row belong to the account (no number, no account number,
 * or a matching number)? */
int lr_mine(const lreader_t *R);
/* A usage record: lr_record (declared totals, the period check), then, unless the row is
 * another number's (family logs), its number and, when direction names a column, whether
 * it was incoming; handed to parse_usage. */
void lr_usage(lreader_t *R, const row_t *r, usage_t *u, const char *direction);

/* Deep copy / free of a row. */
void lrow_copy(row_t *dst, const row_t *src);
void lrow_free(row_t *r);

#endif
