/* Wallet payments and operator credits: shared parser helpers and the
 * reconciliation: one row per transaction across overlapping exports, refunds,
 * top-ups (doc/findings.md, payment-not-credited). */
#include "payments.h"
#include "data.h"
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ ids */

/* "4.2E+27", "4.20000258820250E+27": Excel turned the id into a float. */
static int is_sci_notation(const char *s)
{
    const char *e = strpbrk(s, "eE");
    if (!e || e == s)
        return 0;
    for (const char *q = s; q < e; q++)
        if (!isdigit((unsigned char)*q) && *q != '.')
            return 0;
    const char *q = e + 1;
    if (*q == '+' || *q == '-')
        q++;
    if (!*q)
        return 0;
    for (; *q; q++)
        if (!isdigit((unsigned char)*q))
            return 0;
    return 1;
}

/* "4200002588202500000000000000": Excel kept 15 significant digits and padded
 * with zeros; a real id almost never ends in that many zeros. */
static int is_zero_padded(const char *s)
{
    size_t n = strlen(s);
    if (n < 20 || strspn(s, "0123456789") != n)
        return 0;
    return strspn(s + 15, "0") == n - 15;
}

int pay_id_usable(const char *id)
{
    if (!id || !*id)
        return 0;
    if (!strcmp(id, "/") || !strcmp(id, "-") || !strcmp(id, "--"))
        return 0;
    return !is_sci_notation(id) && !is_zero_padded(id);
}

char *pay_id_dup(const char *cell)
{
    if (!cell)
        return NULL;
    char *s = str_trim(xstrdup(cell));
    /* An Excel re-save may keep the leading apostrophe or the trailing ".0". */
    if (*s == '\'')
        memmove(s, s + 1, strlen(s));
    if (pay_id_usable(s))
        return s;
    free(s);
    return NULL;
}

/* ------------------------------------------------------------ status words */

/* One line of rules/data/wallet-status.tsv; word is stored without its '*' marks. */
typedef enum { W_EXACT, W_PREFIX, W_SUFFIX, W_INSIDE } wmatch_t;
typedef struct {
    char *wallet, *field, *meaning, *word;
    int field_no, meaning_no; /* field and meaning as their place in the lists below */
    wmatch_t match;
} wword_t;
static VEC(wword_t) wwords;
static int wwords_loaded;

static const char *const wfields[] = {"dir",  "subtotal", "type", "category",
                                      "item", "status",   NULL};
static const char *const wmeanings[] = {"in",   "out",    "neutral",       "refund",
                                        "paid", "closed", "part-refunded", NULL};

/* The place of s in names, or -1. Words are looked up by these numbers: comparing every
 * word's field and meaning by text, for every cell of a large export, cost a third of its
 * reading. */
static int known(const char *s, const char *const *names)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

static void add_wword(void *ctx, char **f, int nf, int lineno)
{
    (void)ctx;
    if (nf != 4 || !*f[0] || !*f[3] || known(f[1], wfields) < 0 || known(f[2], wmeanings) < 0) {
        diag("rules/data/wallet-status.tsv", lineno, "malformed table line");
        return;
    }
    const char *w = f[3];
    size_t n = strlen(w);
    int lead = w[0] == '*', trail = n > 1 && w[n - 1] == '*';
    wword_t ww = {xstrdup(f[0]),
                  xstrdup(f[1]),
                  xstrdup(f[2]),
                  xstrndup(w + lead, n - lead - trail),
                  known(f[1], wfields),
                  known(f[2], wmeanings),
                  lead ? (trail ? W_INSIDE : W_SUFFIX) : (trail ? W_PREFIX : W_EXACT)};
    VEC_PUSH(wwords, ww);
}

static int wword_matches(const wword_t *w, const char *s)
{
    switch (w->match) {
    case W_PREFIX:
        return str_starts(s, w->word);
    case W_SUFFIX:
        return str_ends(s, w->word);
    case W_INSIDE:
        return str_has(s, w->word);
    default:
        return !strcmp(s, w->word);
    }
}

static void wwords_load(void)
{
    if (wwords_loaded)
        return;
    wwords_loaded = 1;
    data_tsv_each("rules/data/wallet-status.tsv", add_wword, NULL);
}

int pay_word(const char *wallet, const char *field, const char *meaning, const char *cell)
{
    wwords_load();
    int fno = known(field, wfields), mno = meaning ? known(meaning, wmeanings) : -1;
    if (fno < 0 || (meaning && mno < 0))
        return 0;
    for (size_t i = 0; cell && i < wwords.n; i++) {
        const wword_t *w = &wwords.items[i];
        if (w->field_no == fno && (!meaning || w->meaning_no == mno) &&
            (!strcmp(w->wallet, "*") || (wallet && !strcmp(w->wallet, wallet))) &&
            wword_matches(w, cell))
            return 1;
    }
    return 0;
}

static pay_dir_t dir_named(const char *meaning)
{
    if (!strcmp(meaning, "in"))
        return DIR_IN;
    return !strcmp(meaning, "out") ? DIR_OUT : DIR_NEUTRAL;
}

/* The 收/支 cell: anything but an in or out word reads as neutral. */
static pay_dir_t dir_of(const char *wallet, const char *dir)
{
    if (pay_word(wallet, "dir", "in", dir))
        return DIR_IN;
    if (pay_word(wallet, "dir", "out", dir))
        return DIR_OUT;
    return DIR_NEUTRAL;
}

/* The refund stated in "已退款(¥2.00)", "已退款¥10.00", "已退款（￥2）": 0 when none. */
static fen_t stated_refund(const char *status)
{
    const char *p = strstr(status, "已退款");
    if (!p)
        return 0;
    char buf[64];
    size_t n = 0;
    for (p += strlen("已退款"); *p && n + 1 < sizeof buf; p++) {
        if (*p == '(' || *p == ')')
            continue;
        if (!strncmp(p, "（", 3) || !strncmp(p, "）", 3)) {
            p += 2;
            continue;
        }
        buf[n++] = *p;
    }
    buf[n] = 0;
    fen_t v = 0;
    return money_parse(buf, &v, NULL) == MONEY_OK && v > 0 ? v : 0;
}

pay_state_t wechat_state(const char *dir, const char *type, const char *status)
{
    static const char *const W = "wechat-pay";
    pay_state_t st = {dir_of(W, dir), PAY_OTHER, 0};
    if (pay_word(W, "type", "refund", type) && st.dir != DIR_OUT) {
        st.dir = DIR_IN;
        st.status = PAY_REFUND;
        return st;
    }
    if (st.dir != DIR_OUT || !status)
        return st;
    if (pay_word(W, "status", "paid", status)) {
        st.status = PAY_COMPLETED;
    } else if (pay_word(W, "status", "closed", status)) {
        st.status = PAY_CLOSED;
    } else if (pay_word(W, "status", "part-refunded", status)) {
        /* Paid, then refunded in part: the refund row (if any) is linked later. */
        st.status = PAY_COMPLETED;
        st.refunded = stated_refund(status);
    }
    return st;
}

pay_state_t alipay_state(const char *dir, const char *category, const char *item,
                         const char *status, const char *txid)
{
    static const char *const A = "alipay";
    pay_state_t st = {dir_of(A, dir), PAY_OTHER, 0};
    int refund = pay_word(A, "category", "refund", category) ||
                 pay_word(A, "item", "refund", item) || pay_word(A, "status", "refund", status) ||
                 (st.dir != DIR_OUT && txid && strchr(txid, '_'));
    if (refund && st.dir != DIR_OUT) {
        st.dir = DIR_IN;
        st.status = PAY_REFUND;
        return st;
    }
    if (pay_word(A, "status", "closed", status))
        st.status = PAY_CLOSED;
    else if (st.dir == DIR_OUT && pay_word(A, "status", "paid", status))
        st.status = PAY_COMPLETED;
    return st;
}

/* ---------------------------------------------------------- header names */

static size_t blank_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

size_t pay_header_norm(const char *cell, char *out, size_t outlen)
{
    static const char *const units[] = {"(元)", "(秒)", "(KB)", "(MB)", "(分钟)", NULL};
    size_t n = 0;
    if (!outlen)
        return 0;
    /* Every cell of every sniffed row comes here: bytes compared, no string calls. */
    for (const unsigned char *p = (const unsigned char *)(cell ? cell : ""); *p;) {
        size_t b = blank_len((const char *)p);
        if (b) {
            p += b;
            continue;
        }
        char c = (char)*p;
        size_t skip = 1;
        if (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x88 || p[2] == 0x89)) /* （ ） */
            c = p[2] == 0x88 ? '(' : ')', skip = 3;
        if (n + 1 < outlen)
            out[n++] = c;
        p += skip;
    }
    out[n] = 0;
    for (int i = 0; units[i] && n && out[n - 1] == ')'; i++) {
        size_t ul = strlen(units[i]);
        if (n > ul && !strcmp(out + n - ul, units[i])) {
            out[n - ul] = 0;
            return n - ul;
        }
    }
    return n;
}

/* ------------------------------------------------------ preamble, footer */

void wallet_meta_init(wallet_meta_t *m)
{
    memset(m, 0, sizeof *m);
    m->from = m->to = m->exported = NO_DAY;
    m->declared = -1;
}

void wallet_meta_count(wallet_meta_t *m, const char *dir_cell, fen_t amount)
{
    pay_dir_t d = dir_of(NULL, dir_cell);
    m->got_count[d]++;
    fen_add(&m->got_sum[d], amount); /* held at its bound on overflow, never wrapped */
}

/* The subtotal word (a "*" line of wallet-status.tsv) that starts s, or NULL. */
static const wword_t *subtotal_word(const char *s)
{
    wwords_load();
    for (size_t i = 0; i < wwords.n; i++) {
        const wword_t *w = &wwords.items[i];
        if (!strcmp(w->wallet, "*") && !strcmp(w->field, "subtotal") && str_starts(s, w->word))
            return w;
    }
    return NULL;
}

/* "支出：3笔 146.40元" (also 收入, 中性交易, 不计收支): 1 when the text is such a subtotal. */
static int subtotal(wallet_meta_t *m, const char *s)
{
    const wword_t *w = subtotal_word(s);
    if (!w)
        return 0;
    const char *p = s + strlen(w->word);
    if (str_starts(p, "："))
        p += strlen("：");
    else if (*p == ':')
        p++;
    else
        return 0;
    char *end;
    long n = strtol(p, &end, 10);
    if (end == p || n < 0 || !str_starts(end, "笔"))
        return 0;
    char *sum = str_trim(xstrdup(end + strlen("笔")));
    fen_t v;
    int ok = money_parse(sum, &v, NULL) == MONEY_OK;
    free(sum);
    if (!ok)
        return 0;
    pay_dir_t d = dir_named(w->meaning);
    m->has_sub[d] = 1;
    m->sub_count[d] = n;
    m->sub_sum[d] = v;
    return 1;
}

/* All non-empty cells of a row joined by a space (a preamble line split by commas). */
static char *row_joined(const row_t *r)
{
    sbuf_t b = {0};
    for (int i = 0; i < r->n; i++) {
        if (!r->cells[i][0])
            continue;
        if (b.n)
            sb_addc(&b, ' ');
        sb_add(&b, r->cells[i]);
    }
    return sb_take(&b);
}

/* "共6笔记录" -> 6; -1 when the text is not such a count. */
static long record_count(const char *s)
{
    if (!str_starts(s, "共"))
        return -1;
    s += strlen("共");
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || n < 0 || !str_starts(end, "笔"))
        return -1;
    return n;
}

int wallet_meta_row(wallet_meta_t *m, const row_t *r)
{
    char *t = row_joined(r);
    int used = 0;
    day_t from, to;
    /* 起始时间 … 终止时间; the proofs: 交易明细对应时间段 … 至 …, 交易时间段：… 至 … */
    if ((str_has(t, "起始时间") || str_has(t, "起始日期") || str_has(t, "时间段")) &&
        date_range_scan(t, &from, &to) == 2 && from != NO_DAY && to >= from) {
        m->from = from;
        m->to = to;
        m->decl_line = r->line;
        free(m->decl_text);
        m->decl_text = xstrdup(r->raw ? r->raw : t);
        used = 1;
    } else if (str_has(t, "导出时间") && date_range_scan(t, &from, &to) >= 1) {
        m->exported = from;
        used = 1;
    } else if (record_count(t) >= 0) {
        m->declared = record_count(t);
        used = 1;
    } else {
        used = subtotal(m, t);
    }
    free(t);
    return used;
}

void wallet_meta_finish(parse_t *p, wallet_meta_t *m, long records)
{
    source_t *s = parse_source(p);
    if (m->from != NO_DAY) {
        day_t to = m->to;
        /* An export made before the period ended cannot hold the rest of it. */
        if (m->exported != NO_DAY && m->exported <= to && m->exported > m->from)
            to = m->exported - 1;
        s->decl_from = m->from;
        s->decl_to = to;
        free(s->decl.text);
        s->decl.src = p->src;
        s->decl.line = m->decl_line;
        s->decl.text = m->decl_text;
        m->decl_text = NULL;
    }
    if (m->exported != NO_DAY)
        s->exported = m->exported;
    if (m->declared >= 0 && m->declared != records)
        audit_warn(p->audit, p->path,
                   "the file declares %ld records (共%ld笔记录) but %ld were read", m->declared,
                   m->declared, records);
    static const char *const names[3] = {"支出", "收入", "中性交易/不计收支"};
    for (int d = 0; d < 3; d++) {
        if (!m->has_sub[d] ||
            (m->sub_count[d] == m->got_count[d] && m->sub_sum[d] == m->got_sum[d]))
            continue;
        char want[32], got[32];
        money_fmt(m->sub_sum[d], want), money_fmt(m->got_sum[d], got);
        if (m->sub_count[d] == m->got_count[d]) {
            /* Every record is there: a wallet's own totals may count some rows otherwise
             * (Alipay's footer says so), which is no sign of a damaged file. */
            char *old = s->note;
            s->note =
                xasprintf("%s%sthe file's %s total is %s yuan, its %ld records add up to "
                          "%s yuan (the counts agree: a total of the wallet's own, "
                          "not a missing record)",
                          old ? old : "", old ? "; " : "", names[d], want, m->got_count[d], got);
            free(old);
            continue;
        }
        audit_warn(
            p->audit, p->path,
            "the file declares %s %ld records of %s yuan but %ld records of %s yuan were read",
            names[d], m->sub_count[d], want, m->got_count[d], got);
    }
    free(m->decl_text);
    m->decl_text = NULL;
}

/* ----------------------------------------------------- item skeleton */

/* Marks for non-ASCII characters in a skeleton: control bytes, so that they never
 * read as digits or letters. */
#define SK_YUAN '\x01'  /* 元 */
#define SK_WEI '\x02'   /* 尾 */
#define SK_HAO '\x03'   /* 号 */
#define SK_OTHER '\x04' /* any other character */
#define SK_YEN '\x05'   /* ¥ or ￥ */

/* An ASCII picture of a text for scanning numbers: ASCII stays (control bytes become
 * SK_OTHER), full-width digits, '＊' and '．' become ASCII, 元 尾 号 ¥ ￥ their marks. */
static char *skeleton(const char *s)
{
    sbuf_t b = {0};
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        if (*u < 0x80) {
            sb_addc(&b, *u < 0x20 ? SK_OTHER : (char)*u);
            u++;
            continue;
        }
        size_t len = (*u >= 0xF0) ? 4 : (*u >= 0xE0) ? 3 : (*u >= 0xC0) ? 2 : 1;
        for (size_t k = 1; k < len; k++)
            if ((u[k] & 0xC0) != 0x80)
                len = k;
        char c = SK_OTHER;
        if (len == 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99)
            c = (char)('0' + (u[2] - 0x90));
        else if (len == 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8A)
            c = '*';
        else if (len == 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8E)
            c = '.';
        else if (len == 3 && !memcmp(u, "元", 3))
            c = SK_YUAN;
        else if ((len == 2 && !memcmp(u, "¥", 2)) || (len == 3 && !memcmp(u, "￥", 3)))
            c = SK_YEN;
        else if (len == 3 && !memcmp(u, "尾", 3))
            c = SK_WEI;
        else if (len == 3 && !memcmp(u, "号", 3))
            c = SK_HAO;
        sb_addc(&b, c);
        u += len;
    }
    return sb_take(&b);
}

static int is_num_char(char c)
{
    return isdigit((unsigned char)c) || c == '*';
}

/* End of a money amount at s+i ("1,000.50"): returns the index after it. */
static size_t money_end(const char *s, size_t i)
{
    while (isdigit((unsigned char)s[i]) ||
           (s[i] == ',' && isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
            isdigit((unsigned char)s[i + 3])))
        i++;
    if (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++;
    }
    return i;
}

int pay_face_value(const char *item, fen_t *out)
{
    if (!item)
        return 0;
    char *sk = skeleton(item);
    int found = 0;
    for (size_t i = 0; sk[i] && !found; i++) {
        if (!isdigit((unsigned char)sk[i]))
            continue;
        if (i > 0 && (is_num_char(sk[i - 1]) || sk[i - 1] == '.'))
            continue;
        size_t end = money_end(sk, i), k = end, j = i;
        while (sk[k] == ' ')
            k++;
        while (j > 0 && sk[j - 1] == ' ')
            j--;
        /* "100元", "100.00 元", or "¥100" / "￥ 100" */
        if (sk[k] == SK_YUAN || (j > 0 && sk[j - 1] == SK_YEN)) {
            char *num = xstrndup(sk + i, end - i);
            fen_t v;
            if (money_parse(num, &v, NULL) == MONEY_OK && v > 0) {
                *out = v;
                found = 1;
            }
            free(num);
        }
        i = end - 1;
    }
    free(sk);
    return found;
}

/* ----------------------------------------------------- number check */

/* Digits of a phone number as the account writes it: "+86 139-1234-5678" -> "13912345678". */
static void digits_of(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (; s && *s && n + 1 < outlen; s++)
        if (isdigit((unsigned char)*s))
            out[n++] = *s;
    out[n] = 0;
    if (n == 13 && !strncmp(out, "861", 3))
        memmove(out, out + 2, n - 1);
}

int pay_number_matches(const char *acct_number, const char *written)
{
    char acct[32], w[64];
    digits_of(acct_number, acct, sizeof acct);
    size_t an = strlen(acct);
    if (!an || !written)
        return 0;
    const char *star = strchr(written, '*');
    if (!star) {
        digits_of(written, w, sizeof w);
        size_t wn = strlen(w);
        if (wn == 4)
            return an >= 4 && !strcmp(acct + an - 4, w);
        return wn && !strcmp(acct, w);
    }
    /* Masked: the digits before the first '*' and after the last must agree. */
    const char *last = strrchr(written, '*');
    size_t pre = (size_t)(star - written), suf = strlen(last + 1);
    if (pre + suf < 4 || pre + suf > an)
        return 0;
    for (size_t i = 0; i < pre; i++)
        if (!isdigit((unsigned char)written[i]) || written[i] != acct[i])
            return 0;
    for (size_t i = 0; i < suf; i++)
        if (!isdigit((unsigned char)last[1 + i]) || last[1 + i] != acct[an - suf + i])
            return 0;
    return 1;
}

/* "尾号5678", "尾号：5678": the word sits just before the digits. */
static int after_tail_word(const char *sk, size_t i)
{
    for (size_t k = i >= 4 ? i - 4 : 0; k + 1 < i; k++)
        if (sk[k] == SK_WEI && sk[k + 1] == SK_HAO)
            return 1;
    return 0;
}

/* Does the token sk[i..j) read as a phone or account number (not money, not an order id)? */
static int token_is_number(const char *sk, size_t i, size_t j, const char *acct)
{
    char prev = i ? sk[i - 1] : 0, next = sk[j];
    if (next == SK_YUAN || prev == '.' || (next == '.' && isdigit((unsigned char)sk[j + 1])))
        return 0;
    /* Digits glued to letters are an order id ("CZ2025…"), not a phone number. */
    if (isalpha((unsigned char)prev) || isalpha((unsigned char)next))
        return 0;
    size_t n = j - i, stars = 0;
    for (size_t k = i; k < j; k++)
        stars += sk[k] == '*';
    if (stars)
        return n - stars >= 4 && n >= 7 && n <= 13;
    if ((n == 11 && sk[i] == '1') || (n >= 10 && n <= 12 && sk[i] == '0') ||
        (n == 13 && !strncmp(sk + i, "861", 3)))
        return 1;
    char ad[32];
    digits_of(acct, ad, sizeof ad);
    if (*ad && strlen(ad) == n && !strncmp(sk + i, ad, n))
        return 1;
    /* Four digits count as a number after 尾号, or when they are the account's last four. */
    if (n == 4) {
        size_t an = strlen(ad);
        return after_tail_word(sk, i) || (an >= 4 && !strncmp(sk + i, ad + an - 4, 4));
    }
    return 0;
}

num_check_t pay_number_check(const char *item, const char *acct_number)
{
    if (!item)
        return NUM_NONE;
    char *sk = skeleton(item);
    num_check_t r = NUM_NONE;
    for (size_t i = 0; sk[i] && r != NUM_MATCH;) {
        if (!is_num_char(sk[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (is_num_char(sk[j]))
            j++;
        if (token_is_number(sk, i, j, acct_number)) {
            char *tok = xstrndup(sk + i, j - i);
            /* Without the account's number a named number cannot be checked. */
            if (acct_number && *acct_number && pay_number_matches(acct_number, tok))
                r = NUM_MATCH;
            else
                r = NUM_OTHER;
            free(tok);
        }
        i = j;
    }
    free(sk);
    return r;
}

/* ------------------------------------------------------ keyword tables */

typedef struct {
    char *word, *op;
} kw_t;
typedef VEC(kw_t) kwvec_t;
static kwvec_t payees, topups;
static int tables_loaded;

static void add_kw(void *ctx, char **f, int nf, int lineno)
{
    (void)lineno;
    kwvec_t *v = ctx;
    if (nf < 1 || !*f[0])
        return;
    kw_t k = {xstrdup(f[0]), xstrdup(nf > 1 && *f[1] ? f[1] : "*")};
    for (char *c = k.word; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    VEC_PUSH(*v, k);
}

static void load_tables(void)
{
    if (tables_loaded)
        return;
    tables_loaded = 1;
    data_tsv_each("rules/data/operator-payees.tsv", add_kw, &payees);
    data_tsv_each("rules/data/topup-words.tsv", add_kw, &topups);
}

static int all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* Substring match; a keyword of digits ("10086", "189") must not sit inside a longer number. */
static int kw_in(const char *hay, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = strstr(hay, word); p; p = strstr(p + 1, word)) {
        if (!all_digits(word))
            return 1;
        int before = p > hay && isdigit((unsigned char)p[-1]);
        int after = isdigit((unsigned char)p[wl]);
        if (!before && !after)
            return 1;
    }
    return 0;
}

static char *lower_dup(const char *s)
{
    char *t = xstrdup(s ? s : "");
    for (char *c = t; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return t;
}

const char *pay_operator_of(const char *payee)
{
    if (!payee || !*payee || !strcmp(payee, "/"))
        return NULL;
    load_tables();
    char *h = lower_dup(payee);
    const char *op = NULL;
    for (size_t i = 0; i < payees.n && !op; i++)
        if (kw_in(h, payees.items[i].word))
            op = payees.items[i].op;
    free(h);
    return op;
}

int pay_is_topup(const char *item)
{
    if (!item || !*item)
        return 0;
    load_tables();
    char *h = lower_dup(item);
    int hit = 0;
    for (size_t i = 0; i < topups.n && !hit; i++)
        hit = strstr(h, topups.items[i].word) != NULL;
    free(h);
    return hit;
}

int payment_is_topup_for_account(const audit_t *a, const payment_t *p, fen_t *owed)
{
    if (p->dup || p->dir != DIR_OUT || p->status != PAY_COMPLETED || p->amount <= 0)
        return 0;
    if (p->refunded >= p->amount)
        return 0; /* fully refunded: nothing was owed */
    const char *op = pay_operator_of(p->counterparty);
    if (!op)
        op = pay_operator_of(p->account);
    if (!op)
        return 0;
    /* A payment to another operator cannot be credited to this account. */
    const char *mine = a->acct.operator_id;
    if (mine && *mine && strcmp(op, "*") && strcmp(op, mine))
        return 0;
    if (!pay_is_topup(p->item) && !pay_is_topup(p->counterparty) && !p->no_item_column)
        return 0;
    const char *number = a->acct.loaded ? a->acct.number : NULL;
    if (pay_number_check(p->item, number) == NUM_OTHER)
        return 0;
    fen_t face;
    fen_t base = pay_face_value(p->item, &face) ? face : p->amount;
    fen_t left = base;
    if (fen_sub(&left, p->refunded) < 0 || left <= 0) /* refunds beyond range: nothing owed */
        return 0;
    *owed = left;
    return 1;
}

/* ------------------------------------------------------ de-duplication */

/* Times of one transaction in two exports: equal, or the same minute when one
 * export lost the seconds (Excel re-save), or the same day when one has no time. */
static int same_time(ts_t x, ts_t y)
{
    if (x == y)
        return 1;
    if ((x % 60 == 0 || y % 60 == 0) && x / 60 == y / 60)
        return 1;
    return (x % 86400 == 0 || y % 86400 == 0) && ts_day(x) == ts_day(y);
}

/* Text compared after removing spaces and folding width ("中国移动 " = "中国移动"). */
static int same_text(const char *x, const char *y)
{
    char *fx = str_fold(x ? x : ""), *fy = str_fold(y ? y : "");
    int r = !strcmp(fx, fy);
    free(fx);
    free(fy);
    return r;
}

static const payment_t *pay_base;
static int pay_cmp_id(const void *a, const void *b)
{
    const payment_t *x = &pay_base[*(const size_t *)a], *y = &pay_base[*(const size_t *)b];
    int c = strcmp(x->txid, y->txid);
    if (c)
        return c;
    if (x->prov.src != y->prov.src)
        return x->prov.src < y->prov.src ? -1 : 1;
    return (x->prov.line > y->prov.line) - (x->prov.line < y->prov.line);
}
static int pay_cmp_time(const void *a, const void *b)
{
    const payment_t *x = &pay_base[*(const size_t *)a], *y = &pay_base[*(const size_t *)b];
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->prov.src != y->prov.src)
        return x->prov.src < y->prov.src ? -1 : 1;
    return (x->prov.line > y->prov.line) - (x->prov.line < y->prov.line);
}

/* The earlier export (path order) is kept; what the later one knows of refunds is not lost. */
static void pay_mark_dup(payment_t *keep, payment_t *dup)
{
    dup->dup = 1;
    if (dup->refunded > keep->refunded)
        keep->refunded = dup->refunded;
    if (dup->status == PAY_CLOSED && keep->status == PAY_COMPLETED)
        keep->refunded = keep->amount;
}

static int pay_same(const payment_t *x, const payment_t *y)
{
    return x->amount == y->amount && x->dir == y->dir &&
           (x->status == PAY_REFUND) == (y->status == PAY_REFUND);
}

static void dedup_payments_by_id(audit_t *a)
{
    size_t *idx = xmalloc((a->payments.n + 1) * sizeof *idx), n = 0;
    for (size_t i = 0; i < a->payments.n; i++)
        if (!a->payments.items[i].dup && pay_id_usable(a->payments.items[i].txid))
            idx[n++] = i;
    pay_base = a->payments.items;
    qsort(idx, n, sizeof *idx, pay_cmp_id);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        payment_t *first = &a->payments.items[idx[i]];
        for (; j < n && !strcmp(a->payments.items[idx[j]].txid, first->txid); j++) {
            payment_t *other = &a->payments.items[idx[j]];
            if (pay_same(first, other)) {
                pay_mark_dup(first, other);
                other->dup = (int)idx[i] + 1; /* as pay_pair notes it */
            }
        }
        i = j;
    }
    free(idx);
}

/* The fields the copy marking reads, wherever they sit in a payment or a credit row. */
typedef struct {
    const char *base;
    size_t size, time_at, dup_at, prov_at;
} dup_view_t;

static dup_view_t pay_view_of(const payment_t *p)
{
    return (dup_view_t){(const char *)p, sizeof *p, offsetof(payment_t, time),
                        offsetof(payment_t, dup), offsetof(payment_t, prov)};
}

static ts_t view_time(const dup_view_t *v, size_t i)
{
    ts_t t;
    memcpy(&t, v->base + i * v->size + v->time_at, sizeof t);
    return t;
}

static int view_dup(const dup_view_t *v, size_t i)
{
    int d;
    memcpy(&d, v->base + i * v->size + v->dup_at, sizeof d);
    return d;
}

static int view_src(const dup_view_t *v, size_t i)
{
    prov_t pv;
    memcpy(&pv, v->base + i * v->size + v->prov_at, sizeof pv);
    return pv.src;
}

/* Whether the row at idx[keep] has taken a copy from file src already. A copy's dup holds
 * the index of the row it copies plus one; copies sit before position j (sorted by time)
 * and within a day of their original. */
static int absorbed(const dup_view_t *v, const size_t *idx, size_t j, size_t keep, int src)
{
    for (size_t k = j + 1; k-- > 0;) {
        if (view_time(v, keep) - view_time(v, idx[k]) >= 86400)
            break;
        if (view_dup(v, idx[k]) == (int)keep + 1 && view_src(v, idx[k]) == src)
            return 1;
    }
    return 0;
}

/* Two exports overlap row for row: one row of a file is the copy of at most one row of
 * another file, so that three identical rows of one file stay three payments even when
 * an overlapping export holds one of them. */
static void pay_pair(payment_t *p, const size_t *idx, size_t j, size_t keep_at, size_t copy_at)
{
    size_t keep = idx[keep_at];
    payment_t *copy = &p[idx[copy_at]];
    dup_view_t v = pay_view_of(p);
    if (absorbed(&v, idx, j, keep, copy->prov.src))
        return;
    pay_mark_dup(&p[keep], copy);
    copy->dup = (int)keep + 1;
}

/* Pairs y = idx[j] with the earlier row x = idx[i] when x is its copy in another file, or
 * it is x's: same amount, time and counterparty, not both with an id. */
static void pay_try(payment_t *p, const size_t *idx, size_t j, size_t i)
{
    payment_t *x = &p[idx[i]], *y = &p[idx[j]];
    if (x->dup || x->prov.src == y->prov.src)
        return;
    if (pay_id_usable(x->txid) && pay_id_usable(y->txid))
        return; /* both have ids: the id decides */
    if (pay_same(x, y) && same_time(x->time, y->time) &&
        same_text(x->counterparty, y->counterparty))
        pay_pair(p, idx, j, x->prov.src < y->prov.src ? i : j, x->prov.src < y->prov.src ? j : i);
}

/* The first position in idx[0..n) (sorted by time) whose time is at least t. */
static size_t pay_lower_bound(const payment_t *p, const size_t *idx, size_t n, ts_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[idx[mid]].time < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Tries y = idx[j] against every earlier row same_time can match: those of its own
 * minute (scanned back), and those stamped with the bare date of its day (a block found
 * by binary search) — not every row of the day, which made a large export quadratic. */
static void pay_try_earlier(payment_t *p, const size_t *idx, size_t j)
{
    payment_t *y = &p[idx[j]];
    ts_t near = y->time / 60 * 60 - 60;
    if (near < y->time - 86399)
        near = y->time - 86399;
    size_t i = j;
    for (; i-- > 0 && !y->dup && p[idx[i]].time >= near;)
        pay_try(p, idx, j, i);
    ts_t day0 = (ts_t)ts_day(y->time) * 86400;
    if (day0 >= near || y->dup)
        return;
    size_t from = pay_lower_bound(p, idx, j, day0), to = pay_lower_bound(p, idx, j, day0 + 1);
    for (size_t k = to; k-- > from && !y->dup;)
        pay_try(p, idx, j, k);
}

/* Rows without a usable id (or with one on one side only): time, amount, counterparty.
 * Never two rows of one file: identical rows of one file are separate payments. */
static void dedup_payments_by_time(audit_t *a)
{
    /* The copies marked by an earlier call stay in the list: absorbed looks for them. */
    size_t *idx = xmalloc((a->payments.n + 1) * sizeof *idx), n = 0;
    for (size_t i = 0; i < a->payments.n; i++)
        idx[n++] = i;
    pay_base = a->payments.items;
    qsort(idx, n, sizeof *idx, pay_cmp_time);
    for (size_t j = 0; j < n; j++)
        pay_try_earlier(a->payments.items, idx, j);
    free(idx);
}

static const credit_t *cred_base;
static int cred_cmp_time(const void *a, const void *b)
{
    const credit_t *x = &cred_base[*(const size_t *)a], *y = &cred_base[*(const size_t *)b];
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->prov.src != y->prov.src)
        return x->prov.src < y->prov.src ? -1 : 1;
    return (x->prov.line > y->prov.line) - (x->prov.line < y->prov.line);
}

static int credits_same(const credit_t *x, const credit_t *y)
{
    if (x->amount != y->amount || x->ok != y->ok)
        return 0;
    int xi = pay_id_usable(x->txid), yi = pay_id_usable(y->txid);
    if (xi && yi)
        return !strcmp(x->txid, y->txid);
    if (!same_time(x->time, y->time))
        return 0;
    /* The channel is compared only when both exports name one. */
    if (x->channel && *x->channel && y->channel && *y->channel)
        return same_text(x->channel, y->channel);
    return 1;
}

static int cred_cmp_id(const void *a, const void *b)
{
    const credit_t *x = &cred_base[*(const size_t *)a], *y = &cred_base[*(const size_t *)b];
    int c = strcmp(x->txid, y->txid);
    return c ? c : cred_cmp_time(a, b);
}

/* The earlier file's row stays; a row is the copy of at most one row of another file. */
static void cred_mark_dup(credit_t *c, const size_t *idx, size_t j, size_t i)
{
    size_t keep = idx[i], copy = idx[j];
    if (c[copy].prov.src < c[keep].prov.src)
        keep = idx[j], copy = idx[i];
    dup_view_t v = {(const char *)c, sizeof *c, offsetof(credit_t, time), offsetof(credit_t, dup),
                    offsetof(credit_t, prov)};
    if (!absorbed(&v, idx, j, keep, c[copy].prov.src))
        c[copy].dup = (int)keep + 1;
}

/* Credits from overlapping history exports: by id, else time, amount and channel. */
static void dedup_credits(audit_t *a)
{
    size_t *idx = xmalloc((a->credits.n + 1) * sizeof *idx), n = 0;
    cred_base = a->credits.items;
    for (size_t i = 0; i < a->credits.n; i++)
        if (!a->credits.items[i].dup && pay_id_usable(a->credits.items[i].txid))
            idx[n++] = i;
    qsort(idx, n, sizeof *idx, cred_cmp_id);
    for (size_t j = 1; j < n; j++) {
        credit_t *x = &a->credits.items[idx[j - 1]], *y = &a->credits.items[idx[j]];
        if (!strcmp(x->txid, y->txid) && x->amount == y->amount && x->prov.src != y->prov.src)
            y->dup = (int)idx[j - 1] + 1; /* sorted by time, then path order: the first stays */
    }
    /* Copies stay in the list: absorbed looks for them. */
    n = 0;
    for (size_t i = 0; i < a->credits.n; i++)
        idx[n++] = i;
    qsort(idx, n, sizeof *idx, cred_cmp_time);
    for (size_t j = 0; j < n; j++) {
        credit_t *y = &a->credits.items[idx[j]];
        for (size_t i = j; i-- > 0 && !y->dup;) {
            credit_t *x = &a->credits.items[idx[i]];
            if (y->time - x->time >= 86400)
                break;
            if (!x->dup && x->prov.src != y->prov.src && credits_same(x, y))
                cred_mark_dup(a->credits.items, idx, j, i);
        }
    }
    free(idx);
}

/* ------------------------------------------------------ refund linking */

static int same_wallet(const payment_t *x, const payment_t *y)
{
    return x->wallet && y->wallet && !strcmp(x->wallet, y->wallet);
}

/* The original of a refund row: id = original + "_" + suffix (Alipay), else the
 * same merchant order number (WeChat, Alipay) on an earlier outgoing payment. */
static payment_t *refund_original(audit_t *a, const payment_t *r)
{
    const char *us = r->txid ? strchr(r->txid, '_') : NULL;
    for (size_t i = 0; us && i < a->payments.n; i++) {
        payment_t *o = &a->payments.items[i];
        if (!o->dup && o->status != PAY_REFUND && o->txid && same_wallet(o, r) &&
            strlen(o->txid) == (size_t)(us - r->txid) && !strncmp(o->txid, r->txid, us - r->txid))
            return o;
    }
    if (!pay_id_usable(r->merchant_id))
        return NULL;
    for (size_t i = 0; i < a->payments.n; i++) {
        payment_t *o = &a->payments.items[i];
        if (!o->dup && o->status != PAY_REFUND && o->dir == DIR_OUT && same_wallet(o, r) &&
            o->merchant_id && !strcmp(o->merchant_id, r->merchant_id) && o->time <= r->time)
            return o;
    }
    return NULL;
}

payment_t *payment_refunded_by(audit_t *a, const payment_t *r)
{
    return r->dup || r->status != PAY_REFUND ? NULL : refund_original(a, r);
}

static void link_refunds(audit_t *a)
{
    size_t n = a->payments.n;
    fen_t *sum = xcalloc(n + 1, sizeof *sum);
    for (size_t i = 0; i < n; i++) {
        payment_t *r = &a->payments.items[i];
        if (r->dup || r->status != PAY_REFUND)
            continue;
        payment_t *o = refund_original(a, r);
        if (o)
            fen_add(&sum[o - a->payments.items], r->amount); /* held at its bound */
    }
    /* The status cell and the refund rows tell the same refund: take the larger, never both. */
    for (size_t i = 0; i < n; i++)
        if (sum[i] > a->payments.items[i].refunded)
            a->payments.items[i].refunded = sum[i];
    free(sum);
}

void payments_prepare(audit_t *a)
{
    dedup_payments_by_id(a);
    dedup_payments_by_time(a);
    dedup_credits(a);
    link_refunds(a);
}

void payments_link_refunds(audit_t *a)
{
    link_refunds(a);
}

const char *wallet_label(const char *w)
{
    if (w && !strcmp(w, "wechat-pay"))
        return "微信支付";
    if (w && !strcmp(w, "alipay"))
        return "支付宝";
    return "电子钱包";
}
