/* Redaction: literal values first (longest first), then the patterns of
 * src/templates/redact.txt, then names after the labels listed there. Masks are pure
 * functions of the value (mask_value decides by its shape, whichever way it was found), so
 * every file of a bundle masks a value the same way. Literals are the profile's values, the
 * inputs' preamble facts and the cells of identifier columns (redact.txt "column" rows) of
 * the rows a bundle copies; redact_leaks says whether a text still holds one. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "redact.h"
#include "data.h"
#include "report.h"
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    RX_MOBILE,
    RX_ID,
    RX_LANDLINE,
    RX_STREET,
    RX_NUMBER, /* transaction, order, card, account numbers: long digit runs */
    RX_PASSPORT,
    RX_EMAIL,
    RX_VALUE, /* the value after an identifier label (微信昵称：, 工单号：, 邮编：…) */
    RX_NAME
} rx_kind_t;

typedef struct {
    rx_kind_t kind;
    pcre2_code *code;
} rx_t;

typedef struct {
    char *from, *to;
} lit_t;

struct redactor {
    VEC(lit_t) lits;
    VEC(rx_t) rxs;
    sbuf_t labels;       /* "客户姓名|甲方|…" (quoted) for the name pattern */
    sbuf_t vlabels;      /* "微信昵称|工单号|…" (quoted) for the value pattern */
    VEC(char *) columns; /* identifier column headers, normalised */
    sbuf_t nexts;        /* "身份证|性别|…" (quoted): what may follow a name directly */
    VEC(char *) keeps;   /* words that are no one's name */
    pcre2_match_context *mctx; /* with a 1 MiB JIT stack: long lines must not hit a limit */
    pcre2_jit_stack *jstack;
    int failed;
};

/* ---- masks ---- */

static size_t utf8_next(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

char *mask_name(const char *name)
{
    sbuf_t b = {0};
    size_t first = *name ? utf8_next(name) : 0;
    sb_addn(&b, name, first);
    for (const char *p = name + first; *p; p += utf8_next(p))
        sb_addc(&b, '*');
    return sb_take(&b);
}

/* Keeps the administrative prefix (province, city, district or county). */
char *mask_address(const char *addr)
{
    static const char *const ends[] = {"区", "县", "旗"};
    static const char *const mids[] = {"省", "市", "州", "盟"};
    size_t cut = 0, chars = 0;
    for (const char *p = addr; *p && chars < 15; chars++) {
        size_t n = utf8_next(p);
        for (size_t i = 0; i < 3; i++)
            if (n == strlen(ends[i]) && !memcmp(p, ends[i], n)) {
                cut = (size_t)(p - addr) + n;
                goto done;
            }
        for (size_t i = 0; i < 4; i++)
            if (n == strlen(mids[i]) && !memcmp(p, mids[i], n))
                cut = (size_t)(p - addr) + n;
        p += n;
    }
done:;
    sbuf_t b = {0};
    sb_addn(&b, addr, cut);
    sb_add(&b, "****");
    return sb_take(&b);
}

/* Masks an identifier token by its length: the ends stay so that a reader can match it
 * across files, never enough to recover it. */
static char *mask_token(const char *v)
{
    size_t n = strlen(v);
    int digits = strspn(v, "0123456789") == n;
    if (n <= 4)
        return xstrdup("****");
    if (n == 6 && digits) /* a postcode: the province stays */
        return xasprintf("%.2s****", v);
    if (n < 12)
        return xasprintf("%.2s****%s", v, v + n - 2);
    return xasprintf("%.3s****%s", v, v + n - 4);
}

static int is_ascii_token(const char *v)
{
    for (; *v; v++)
        if ((unsigned char)*v >= 0x80 || *v == ' ')
            return 0;
    return 1;
}

char *mask_value(const char *value)
{
    static const char *const pairs[][2] = {{"[", "]"}, {"【", "】"}, {"(", ")"}, {"（", "）"}};
    size_t n = strlen(value);
    for (int i = 0; i < 4; i++) {
        size_t a = strlen(pairs[i][0]), b = strlen(pairs[i][1]);
        if (n > a + b && str_starts(value, pairs[i][0]) && str_ends(value, pairs[i][1])) {
            char *inner = xstrndup(value + a, n - a - b), *m = mask_value(inner);
            char *out = xasprintf("%s%s%s", pairs[i][0], m, pairs[i][1]);
            free(inner), free(m);
            return out;
        }
    }
    char digits[40];
    size_t nd = 0, other = 0;
    for (const char *p = value; *p; p++) {
        if (*p >= '0' && *p <= '9' && nd < sizeof digits - 1)
            digits[nd++] = *p;
        else if (!strchr("+- ", *p))
            other++;
    }
    digits[nd] = 0;
    const char *d = nd == 13 && !strncmp(digits, "86", 2) ? digits + 2 : digits;
    if (!other && strlen(d) == 11 && d[0] == '1' && d[1] >= '3') /* a mobile number */
        return xasprintf("%.3s****%s", d, d + 7);
    const char *dash = strchr(value, '-');
    if (!other && value[0] == '0' && dash && dash - value <= 4 && strlen(dash + 1) >= 7)
        return xasprintf("%.*s-****%s", (int)(dash - value), value, value + n - 4);
    if (n == 18 && strspn(value, "0123456789") >= 17)
        return xasprintf("%.3s***********%.4s", value, value + 14);
    const char *at = strchr(value, '@');
    if (at && at > value && is_ascii_token(value))
        return xasprintf("%.1s***%s", value, at);
    if (!is_ascii_token(value))
        return mask_name(value); /* a nickname, a name, a place: the first character stays */
    return mask_token(value);
}

/* A short name after a label that holds a keep word ("甲方：中国移动") is left alone. */
static int is_kept(const redactor_t *r, const char *m, size_t n)
{
    for (size_t i = 0; i < r->keeps.n; i++)
        if (memmem(m, n, r->keeps.items[i], strlen(r->keeps.items[i])))
            return 1;
    return 0;
}

/* Mask of one pattern match; NULL leaves the match as it is. */
static char *mask_match(const redactor_t *r, rx_kind_t kind, const char *m, size_t n)
{
    char digits[32];
    size_t nd = 0;
    for (size_t i = 0; i < n && nd < sizeof digits - 1; i++)
        if (m[i] >= '0' && m[i] <= '9')
            digits[nd++] = m[i];
    digits[nd] = 0;
    switch (kind) {
    case RX_MOBILE: {
        const char *d = nd >= 11 ? digits + nd - 11 : digits; /* drop +86 */
        return xasprintf("%.3s****%s", d, d + 7);
    }
    case RX_ID: /* any check digit: a mistyped one still names a person */
        return n == 18 ? xasprintf("%.3s***********%.4s", m, m + 14) : NULL;
    case RX_LANDLINE: {
        const char *dash = memchr(m, '-', n);
        size_t area = dash ? (size_t)(dash - m) : 0;
        return xasprintf("%.*s-****%.4s", (int)area, m, m + n - 4);
    }
    case RX_STREET:
        return xstrdup("****");
    case RX_NUMBER:
    case RX_PASSPORT:
    case RX_EMAIL:
    case RX_VALUE: {
        char *v = xstrndup(m, n), *masked = mask_value(v);
        free(v);
        return masked;
    }
    case RX_NAME: {
        if (is_kept(r, m, n))
            return NULL;
        char *name = xstrndup(m, n), *masked = mask_name(name);
        free(name);
        return masked;
    }
    }
    return NULL;
}

/* ---- building ---- */

static void add_lit(redactor_t *r, const char *from, char *to)
{
    if (!from || !to || !*from || !strcmp(from, to)) {
        free(to);
        return;
    }
    for (size_t i = 0; i < r->lits.n; i++)
        if (!strcmp(r->lits.items[i].from, from)) {
            free(to);
            return;
        }
    lit_t l = {xstrdup(from), to};
    VEC_PUSH(r->lits, l);
}

/* A holder name from a preamble, e.g. "[李明]": brackets and spaces dropped. */
static void add_name(redactor_t *r, const char *raw)
{
    if (!raw)
        return;
    char *s = xstrdup(raw);
    char *p = str_trim(s);
    static const char *const open[] = {"[", "【", "("}, *const close[] = {"]", "】", ")"};
    for (int i = 0; i < 3; i++)
        if (str_starts(p, open[i]) && str_ends(p, close[i])) {
            p += strlen(open[i]);
            p[strlen(p) - strlen(close[i])] = 0;
            p = str_trim(p);
        }
    size_t len = utf8_len(p);
    if (len >= 2 && len <= 12)
        add_lit(r, p, mask_name(p));
    free(s);
}

static int lit_cmp(const void *x, const void *y)
{
    const lit_t *a = x, *b = y;
    size_t la = strlen(a->from), lb = strlen(b->from);
    if (la != lb)
        return la > lb ? -1 : 1;
    return strcmp(a->from, b->from);
}

static pcre2_code *rx_compile(const char *pattern)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *c =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    if (c)
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    return c;
}

static void rx_add(redactor_t *r, rx_kind_t kind, pcre2_code *c)
{
    rx_t rx = {kind, c};
    VEC_PUSH(r->rxs, rx);
}

/* A header as columns are compared: spaces gone, a trailing unit "(元)" dropped, folded. */
static char *column_key(const char *h)
{
    char *f = str_fold(h);
    char *paren = strstr(f, "(");
    if (paren && str_ends(f, ")"))
        *paren = 0;
    return f;
}

/* A word joins an alternation of the name pattern (labels, or what may follow a name),
 * quoted: they are words, not patterns. */
static void add_label(sbuf_t *alt, const char *word)
{
    if (alt->n)
        sb_addc(alt, '|');
    sb_addf(alt, "\\Q%s\\E", word);
}

static void rx_row(void *ctx, char **f, int n, int lineno)
{
    redactor_t *r = ctx;
    static const char *const kinds[] = {"mobile", "id",       "landline", "street",
                                        "number", "passport", "email"};
    if (n < 2)
        return;
    if (!strcmp(f[0], "label")) {
        add_label(&r->labels, f[1]);
        return;
    }
    if (!strcmp(f[0], "next")) {
        add_label(&r->nexts, f[1]);
        return;
    }
    if (!strcmp(f[0], "keep")) {
        VEC_PUSH(r->keeps, xstrdup(f[1]));
        return;
    }
    if (!strcmp(f[0], "value")) {
        add_label(&r->vlabels, f[1]);
        return;
    }
    if (!strcmp(f[0], "column")) {
        VEC_PUSH(r->columns, column_key(f[1]));
        return;
    }
    int kind = -1;
    for (int i = 0; i < 7; i++)
        if (!strcmp(f[0], kinds[i]))
            kind = i;
    pcre2_code *c = kind < 0 ? NULL : rx_compile(f[1]);
    if (!c) {
        fprintf(stderr, "src/templates/redact.txt:%d: bad redaction pattern\n", lineno);
        r->failed = 1;
        return;
    }
    rx_add(r, (rx_kind_t)kind, c);
}

/* An identifier label, a colon, then its value up to a separator (\K): masked whole,
 * unless it holds a mask already. */
static void add_value_rx(redactor_t *r)
{
    if (!r->vlabels.n)
        return;
    char *pattern = xasprintf("(?:%s)[ \\t　]*[:：][ \\t　]*\\K(?![^,，;；、\\t\\n　 （(）)]*\\*)"
                              "[^,，;；、\\t\\n　 （(）)]{2,64}",
                              r->vlabels.p);
    pcre2_code *c = rx_compile(pattern);
    free(pattern);
    if (!c) {
        fprintf(stderr, "src/templates/redact.txt: bad value label\n");
        r->failed = 1;
        return;
    }
    rx_add(r, RX_VALUE, c);
}

/* Label, an optional bracketed note (甲方（用户）：), a colon, then the name alone (\K):
 * two parts joined by a middle dot, or 2 to 4 Chinese characters not followed by more. */
static void add_name_rx(redactor_t *r)
{
    if (!r->labels.n)
        return;
    char *pattern = xasprintf("(?:%s)(?:[（(][^（）()\\n]{0,12}[）)])?[ \\t　]*[:：][ \\t　]*"
                              "\\K(?:\\p{Han}{1,6}[·・]\\p{Han}{1,6}|\\p{Han}{2,4})"
                              "(?:(?!\\p{Han})|(?=%s))",
                              r->labels.p, r->nexts.n ? r->nexts.p : "(*FAIL)");
    pcre2_code *c = rx_compile(pattern);
    free(pattern);
    if (!c) {
        fprintf(stderr, "src/templates/redact.txt: bad label word\n");
        r->failed = 1;
        return;
    }
    rx_add(r, RX_NAME, c);
}

/* The profile's other identifiers: postcode, complaint and work-order references, the
 * accounts of its services. */
static void add_profile_values(redactor_t *r, const account_t *ac)
{
    redactor_add_value(r, ac->holder_postcode);
    for (size_t i = 0; i < ac->complaints.n; i++)
        redactor_add_value(r, ac->complaints.items[i].reference);
    for (size_t i = 0; i < ac->services.n; i++) {
        redactor_add_value(r, ac->services.items[i].cancel_reference);
        redactor_add_value(r, ac->services.items[i].account);
    }
    if (r->lits.n)
        qsort(r->lits.items, r->lits.n, sizeof *r->lits.items, lit_cmp);
}

void redactor_add_value(redactor_t *r, const char *value)
{
    if (!value)
        return;
    char *v = xstrdup(value);
    char *t = str_trim(v);
    /* Short values ("-", "/", "是") are no identifier and would mask half the text. */
    if (strlen(t) >= 4 && !is_kept(r, t, strlen(t)))
        add_lit(r, t, mask_value(t));
    free(v);
}

void redactor_finish(redactor_t *r)
{
    if (r->lits.n)
        qsort(r->lits.items, r->lits.n, sizeof *r->lits.items, lit_cmp);
}

int redact_column(const redactor_t *r, const char *header)
{
    char *k = column_key(header ? header : "");
    int hit = 0;
    for (size_t i = 0; *k && i < r->columns.n && !hit; i++)
        hit = !strcmp(r->columns.items[i], k);
    free(k);
    return hit;
}

int redact_leaks(const redactor_t *r, const char *s, size_t n, const char **which)
{
    for (size_t i = 0; i < r->lits.n; i++)
        if (memmem(s, n, r->lits.items[i].from, strlen(r->lits.items[i].from))) {
            if (which)
                *which = r->lits.items[i].from;
            return 1;
        }
    return 0;
}

redactor_t *redactor_new(const audit_t *a)
{
    redactor_t *r = xcalloc(1, sizeof *r);
    r->mctx = pcre2_match_context_create(NULL);
    r->jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (r->mctx && r->jstack)
        pcre2_jit_stack_assign(r->mctx, NULL, r->jstack);
    const account_t *ac = &a->acct;
    add_name(r, ac->holder_name);
    for (size_t i = 0; i < a->sources.n; i++)
        add_name(r, a->sources.items[i].holder);
    if (ac->holder_address && utf8_len(ac->holder_address) >= 4)
        add_lit(r, ac->holder_address, mask_address(ac->holder_address));
    const char *nums[] = {ac->number, ac->holder_phone};
    for (int i = 0; i < 2; i++)
        if (nums[i] && strlen(nums[i]) >= 7)
            add_lit(r, nums[i], mask_number(nums[i]));
    if (r->lits.n)
        qsort(r->lits.items, r->lits.n, sizeof *r->lits.items, lit_cmp);
    if (data_tsv_each("src/templates/redact.txt", rx_row, r) >= 0) {
        add_value_rx(r);
        add_name_rx(r);
    }
    add_profile_values(r, ac);
    if (r->failed || !r->rxs.n) {
        fprintf(stderr, "billaudit: the redaction patterns could not be loaded\n");
        redactor_free(r);
        return NULL;
    }
    return r;
}

void redactor_free(redactor_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->lits.n; i++)
        free(r->lits.items[i].from), free(r->lits.items[i].to);
    VEC_FREE(r->lits);
    for (size_t i = 0; i < r->rxs.n; i++)
        pcre2_code_free(r->rxs.items[i].code);
    VEC_FREE(r->rxs);
    sb_free(&r->labels);
    sb_free(&r->nexts);
    sb_free(&r->vlabels);
    for (size_t i = 0; i < r->columns.n; i++)
        free(r->columns.items[i]);
    VEC_FREE(r->columns);
    pcre2_match_context_free(r->mctx);
    if (r->jstack)
        pcre2_jit_stack_free(r->jstack);
    for (size_t i = 0; i < r->keeps.n; i++)
        free(r->keeps.items[i]);
    VEC_FREE(r->keeps);
    free(r);
}

/* ---- applying ---- */

static void replace_lit(sbuf_t *out, const char *s, size_t n, const lit_t *l)
{
    size_t fl = strlen(l->from);
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), l->from, fl);
        if (!hit) {
            sb_addn(out, p, (size_t)(end - p));
            break;
        }
        sb_addn(out, p, (size_t)(hit - p));
        sb_add(out, l->to);
        p = hit + fl;
    }
}

/* A match error (a pattern limit) must not leave the rest unmasked: every digit of it is
 * masked instead, numbers being what the patterns look for. */
static void mask_digits(sbuf_t *out, const char *s, size_t n)
{
    fprintf(stderr, "billaudit: redaction pattern limit reached; every digit of the rest of "
                    "this text is masked\n");
    for (size_t i = 0; i < n; i++)
        sb_addc(out, s[i] >= '0' && s[i] <= '9' ? '*' : s[i]);
}

static void replace_rx(const redactor_t *r, sbuf_t *out, const char *s, size_t n, const rx_t *rx)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(rx->code, NULL);
    size_t at = 0;
    while (at <= n) {
        int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, n, at, 0, md, r->mctx);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
            mask_digits(out, s + at, n - at);
            at = n;
        }
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t b = ov[0], e = ov[1];
        if (e <= b) { /* empty match: step over one character */
            size_t step = b < n ? utf8_next(s + b) : 1;
            sb_addn(out, s + at, b + step > n ? n - at : b + step - at);
            at = b + step;
            continue;
        }
        sb_addn(out, s + at, b - at);
        char *m = mask_match(r, rx->kind, s + b, e - b);
        if (m)
            sb_add(out, m);
        else
            sb_addn(out, s + b, e - b);
        free(m);
        at = e;
    }
    if (at < n)
        sb_addn(out, s + at, n - at);
    pcre2_match_data_free(md);
}

char *redact(const redactor_t *r, const char *s, size_t n, size_t *outlen)
{
    sbuf_t cur = {0};
    sb_addn(&cur, s, n);
    for (size_t i = 0; i < r->lits.n; i++) {
        sbuf_t next = {0};
        replace_lit(&next, cur.p ? cur.p : "", cur.n, &r->lits.items[i]);
        sb_free(&cur);
        cur = next;
    }
    for (size_t i = 0; i < r->rxs.n; i++) {
        sbuf_t next = {0};
        replace_rx(r, &next, cur.p ? cur.p : "", cur.n, &r->rxs.items[i]);
        sb_free(&cur);
        cur = next;
    }
    *outlen = cur.n;
    return sb_take(&cur);
}
