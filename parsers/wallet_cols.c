/* Wallet statement columns by header name (table parsers/data/wallet-columns.tsv),
 * the reading loop and the cell readers the WeChat Pay and Alipay parsers share. */
#include "wallet_cols.h"
#include "data.h"
#include "keyidx.h"
#include "payments.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TABLE "parsers/data/wallet-columns.tsv"

typedef struct {
    char *wallet, *alias; /* alias normalised as a header cell is */
    wfield_t field;
} walias_t;
static VEC(walias_t) aliases;
static int loaded;
/* The aliases by the hash of their name, in table order: detection tries every sniffed
 * row as a header, so a scan of the table per cell was the loader's hottest loop.
 * Rebuilt after an alias is added. */
static keyidx_t by_name;
static int by_name_made;

static const char *const field_names[WF_N] = {
    [WF_TIME] = "time",         [WF_CREATED] = "created",   [WF_TYPE] = "type",
    [WF_CATEGORY] = "category", [WF_PARTY] = "party",       [WF_ACCOUNT] = "account",
    [WF_ITEM] = "item",         [WF_DIR] = "dir",           [WF_AMOUNT] = "amount",
    [WF_METHOD] = "method",     [WF_STATUS] = "status",     [WF_TXID] = "txid",
    [WF_MERCHANT] = "merchant", [WF_REFUNDED] = "refunded",
};

static int field_named(const char *name)
{
    for (int k = 0; k < WF_N; k++)
        if (!strcmp(field_names[k], name))
            return k;
    return -1;
}

static int add_alias(char **f, int nf)
{
    char norm[256];
    int field = nf == 3 ? field_named(f[1]) : -1;
    if (field < 0 || !*f[0])
        return -1;
    pay_header_norm(f[2], norm, sizeof norm);
    if (!*norm)
        return -1;
    walias_t a = {xstrdup(f[0]), xstrdup(norm), (wfield_t)field};
    VEC_PUSH(aliases, a);
    keyidx_free(&by_name);
    by_name_made = 0;
    return 0;
}

static void table_line(void *ctx, char **f, int nf, int lineno)
{
    (void)ctx;
    if (add_alias(f, nf) < 0)
        diag(TABLE, lineno,
             "malformed table line (want wallet<TAB>field<TAB>alias, a known field)");
}

static void load(void)
{
    if (loaded)
        return;
    loaded = 1;
    data_tsv_each(TABLE, table_line, NULL);
}

void wallet_cols_reset(void)
{
    keyidx_free(&by_name);
    by_name_made = 0;
    for (size_t i = 0; i < aliases.n; i++) {
        free(aliases.items[i].wallet);
        free(aliases.items[i].alias);
    }
    VEC_FREE(aliases);
    loaded = 0;
}

int wallet_cols_add_line(const char *line)
{
    load();
    char *copy = str_trim(xstrdup(line ? line : ""));
    char *f[4];
    int nf = 0, rc = 0;
    if (*copy && *copy != '#') {
        for (char *tok = copy; tok && nf < 4;) {
            char *tab = strchr(tok, '\t');
            if (tab)
                *tab++ = 0;
            f[nf++] = str_trim(tok);
            tok = tab;
        }
        rc = add_alias(f, nf);
    }
    free(copy);
    return rc;
}

static void index_aliases(void)
{
    if (by_name_made)
        return;
    for (size_t i = 0; i < aliases.n; i++)
        keyidx_add(&by_name,
                   key_hash(KEY_HASH_INIT, aliases.items[i].alias, strlen(aliases.items[i].alias)),
                   i);
    by_name_made = 1;
}

void wallet_cols_find(const row_t *r, const char *wallet, wallet_cols_t *c)
{
    char norm[256];
    load();
    index_aliases();
    for (int k = 0; k < WF_N; k++)
        c->at[k] = -1;
    /* Each cell is normalised once; a field takes the leftmost column naming it. */
    for (int i = 0; i < r->n; i++) {
        size_t n = pay_header_norm(r->cells[i], norm, sizeof norm);
        if (!n)
            continue;
        uint64_t h = key_hash(KEY_HASH_INIT, norm, n);
        size_t it = 0, j;
        while ((j = keyidx_next(&by_name, h, &it)) != KEYIDX_END) {
            const walias_t *a = &aliases.items[j];
            if (c->at[a->field] < 0 && !strcmp(a->alias, norm) && !strcmp(a->wallet, wallet))
                c->at[a->field] = i;
        }
    }
}

int wallet_cols_all(const wallet_cols_t *c, const wfield_t *need, int nneed)
{
    for (int i = 0; i < nneed; i++)
        if (c->at[need[i]] < 0)
            return 0;
    return 1;
}

/* ------------------------------------------------------------ near misses */

static int found_field(const wallet_cols_t *c, wfield_t f)
{
    return c->at[f] >= 0 || (f == WF_TIME && c->at[WF_CREATED] >= 0);
}

/* "no 交易类型 column (accepted names: 交易类型)" for each field of need the row lacks. */
static void wallet_missing(const wallet_cols_t *c, const char *wallet, const wfield_t *need,
                           int nneed, sbuf_t *out)
{
    for (int i = 0; i < nneed; i++) {
        if (found_field(c, need[i]))
            continue;
        sbuf_t names = {0};
        for (size_t j = 0; j < aliases.n; j++) {
            const walias_t *a = &aliases.items[j];
            if (a->field == need[i] && strcmp(a->wallet, wallet) == 0)
                sb_addf(&names, "%s%s", names.n ? ", " : "", a->alias);
        }
        if (!names.n)
            continue;
        char *comma = strchr(names.p, ',');
        sb_addf(out, "%sno %.*s column", out->n ? ", " : "",
                (int)(comma ? (size_t)(comma - names.p) : names.n), names.p);
        if (comma)
            sb_addf(out, " (accepted names: %s)", names.p);
        sb_free(&names);
    }
}

/* The cells of the row that name a field, in column order; how many fields. */
static int wallet_found(const row_t *r, const wallet_cols_t *c, sbuf_t *out)
{
    int n = 0;
    for (int k = 0; k < WF_N; k++)
        n += c->at[k] >= 0;
    for (int col = 0; col < r->n; col++)
        for (int k = 0; k < WF_N; k++)
            if (c->at[k] == col) {
                sb_addf(out, "%s%s", out->n ? ", " : "", r->cells[col]);
                break;
            }
    return n;
}

int wallet_near(const sniff_t *s, const char *wallet, const char *what, const wfield_t *need,
                int nneed, char *why, size_t whylen)
{
    int best = 0;
    for (int i = 0; i < s->nrows; i++) {
        wallet_cols_t c;
        sbuf_t found = {0}, missing = {0};
        wallet_cols_find(&s->rows[i], wallet, &c);
        int n = wallet_found(&s->rows[i], &c, &found);
        /* Most cells must be column names: a header, not prose that holds a few. */
        if (n > best && 2 * n > wallet_nonempty_cells(&s->rows[i])) {
            wallet_missing(&c, wallet, need, nneed, &missing);
            if (missing.n) {
                best = n;
                near_reason(why, whylen, what, found.p, missing.p);
            }
        }
        sb_free(&found);
        sb_free(&missing);
    }
    return best;
}

/* ------------------------------------------------------------ reading loop */

/* Whether r may repeat the header: a record's time cell starts with a digit (a date, or
 * an XLSX serial), a header's names it. Only such rows are compared with the column
 * names, so that a large export is not normalised row by row. */
static int may_be_header(const row_t *r, const wallet_cols_t *c)
{
    int col = c->at[WF_TIME] >= 0 ? c->at[WF_TIME] : c->at[WF_CREATED];
    if (col < 0)
        return 1;
    const char *s = wallet_cell(r, col);
    while (*s == ' ' || *s == '\t')
        s++;
    return !isdigit((unsigned char)*s);
}

int wallet_parse(parse_t *p, const wallet_format_t *f)
{
    wallet_meta_t meta;
    wallet_cols_t c, again;
    row_t r;
    int rc, header = 0, ended = 0;
    long records = 0;
    wallet_meta_init(&meta);
    while ((rc = rowsrc_next(p->rows, &r)) > 0) {
        if (!header) {
            if (f->find_header(&r, &c))
                header = 1;
            else
                wallet_meta_row(&meta, &r);
            continue;
        }
        if (may_be_header(&r, &c) && f->find_header(&r, &again))
            continue; /* a repeated header (two exports pasted together) */
        if (f->ends_records && f->ends_records(&r))
            ended = 1;
        /* A row of one cell is a separator, a count or a note, never a transaction. */
        if (ended || wallet_nonempty_cells(&r) <= 1) {
            wallet_meta_row(&meta, &r);
            continue;
        }
        records++;
        f->record(p, &r, &c, &meta);
    }
    if (!header) {
        diag(p->path, 0, "%s", f->no_header);
        free(meta.decl_text);
        return -1;
    }
    wallet_meta_finish(p, &meta, records);
    return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ cells */

const char *wallet_cell(const row_t *r, int col)
{
    return col >= 0 && col < r->n ? r->cells[col] : "";
}

const char *wallet_first_cell(const row_t *r)
{
    for (int i = 0; i < r->n; i++)
        if (r->cells[i][0])
            return r->cells[i];
    return "";
}

int wallet_nonempty_cells(const row_t *r)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        n += r->cells[i][0] != 0;
    return n;
}

const char *wallet_none_slash(const char *s)
{
    return strcmp(s, "/") ? s : "";
}

/* An XLSX number cell (not a date the reader converted). */
static int is_num(const row_t *r, int col)
{
    return col >= 0 && col < r->n && r->flags && (r->flags[col] & CELL_NUM) &&
           !(r->flags[col] & CELL_DATE);
}

money_rc wallet_money(const row_t *r, int col, fen_t *out)
{
    const char *s = wallet_cell(r, col);
    return is_num(r, col) ? money_parse_round(s, out, NULL) : money_parse(s, out, NULL);
}

int wallet_amount(parse_t *p, const row_t *r, int col, fen_t *out)
{
    const char *s = wallet_cell(r, col), *why = NULL;
    money_rc m = is_num(r, col) ? money_parse_round(s, out, &why) : money_parse(s, out, &why);
    if (m == MONEY_EMPTY)
        why = "empty";
    else if (m == MONEY_OK && *out < 0)
        why = "negative (the direction is in 收/支)";
    else if (m == MONEY_OK)
        return 0;
    if (m == MONEY_RANGE)
        parse_reject(p, r, "amount out of range: \"%s\"", diag_quote(s));
    else
        parse_reject(p, r, "amount \"%s\": %s", diag_quote(s), why ? why : "not a number");
    return -1;
}

int wallet_time(parse_t *p, const row_t *r, int col, ts_t *out)
{
    const char *s = wallet_cell(r, col);
    dt_t dt;
    int ok = is_num(r, col) ? dt_from_serial(s, 0, &dt) == 0 : dt_parse(s, &dt) == 0;
    if (!ok || !dt.has_year) {
        parse_reject(p, r, "transaction time \"%s\" is not a date-time", diag_quote(s));
        return -1;
    }
    *out = dt_ts(&dt);
    return 0;
}
