/* Redaction: literal values first (longest first), then the patterns of
 * src/templates/redact.txt, then names after the labels listed there. Masks are pure
 * functions of the value, so every file of a bundle masks a value the same way. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "redact.h"
#include "data.h"
#include "report.h"
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { RX_MOBILE, RX_ID, RX_LANDLINE, RX_STREET, RX_NAME } rx_kind_t;

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
    sbuf_t labels;     /* "客户姓名|甲方|…" (quoted) for the name pattern */
    sbuf_t nexts;      /* "身份证|性别|…" (quoted): what may follow a name directly */
    VEC(char *) keeps; /* words that are no one's name */
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
    static const char *const kinds[] = {"mobile", "id", "landline", "street"};
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
    int kind = -1;
    for (int i = 0; i < 4; i++)
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
    if (data_tsv_each("src/templates/redact.txt", rx_row, r) >= 0)
        add_name_rx(r);
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
