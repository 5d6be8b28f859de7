/* Unfair contract terms: normaliser, clause splitter, catalogue loader and
 * matcher. The catalogue itself is data (rules/terms/ files, format described
 * in rules/terms/_defs.txt); this file only reads, compiles and runs it. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "terms.h"
#include "data.h"
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const term_type_names[TERM_NTYPES] = {
    "default-subscription", "auto-renewal",      "data-sharing",
    "balance-forfeiture",   "excessive-penalty", "cancellation-restriction",
    "final-interpretation", "unilateral-change", "deemed-consent",
    "liability-exclusion",  "burden-shifting",   "jurisdiction",
};

int term_type_index(const char *name)
{
    for (int i = 0; name && i < TERM_NTYPES; i++)
        if (strcmp(term_type_names[i], name) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------------ UTF-8 */

/* Any character (see u8_dec). */
static size_t u8_dec_any(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07;
    else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return len;
}

/* Decodes one character; an invalid byte is one U+FFFD. Returns the bytes used. Every
 * character of a contract is decoded several times: ASCII and the three-byte characters
 * whose lead admits no overlong or surrogate form (E1..EC, EE, EF: all of CJK) take few
 * tests, the rest the full check. */
static inline size_t u8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (n >= 3 && (c - 0xE1u < 0x0Cu || c - 0xEEu < 2u) &&
        ((s[1] ^ 0x80u) | (s[2] ^ 0x80u)) < 0x40u) {
        *cp = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
        return 3;
    }
    return u8_dec_any(s, n, cp);
}

/* Folding writes every character of a contract three times: straight into the buffer. */
static inline void u8_put(sbuf_t *b, uint32_t cp)
{
    if (b->cap - b->n < 5)
        sb_reserve(b, 4);
    unsigned char *o = (unsigned char *)b->p + b->n;
    if (cp - 0x800u < 0xF800u) { /* three bytes, the CJK of a contract: tested first */
        o[0] = (unsigned char)(0xE0 | cp >> 12), o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F)), b->n += 3;
    } else if (cp < 0x80) {
        o[0] = (unsigned char)cp, b->n += 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6), o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        b->n += 2;
    } else {
        o[0] = (unsigned char)(0xF0 | cp >> 18), o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        b->n += 4;
    }
    b->p[b->n] = 0;
}

/* ------------------------------------------- traditional -> simplified table */

#define T2S_FILE "rules/terms/_t2s.txt"

typedef struct {
    uint32_t from, to;
} cpmap_t;
static cpmap_t *t2s;
static size_t nt2s;
static int t2s_loaded;

static int cpmap_cmp(const void *a, const void *b)
{
    uint32_t x = ((const cpmap_t *)a)->from, y = ((const cpmap_t *)b)->from;
    return x < y ? -1 : x > y;
}

/* The table is whitespace-separated pairs "繁简" (OpenCC TSCharacters, first value). */
static void t2s_load(void)
{
    t2s_loaded = 1;
    const data_file_t *f = data_find(T2S_FILE);
    if (!f)
        return;
    VEC(cpmap_t) v = {0};
    const unsigned char *p = (const unsigned char *)f->data, *end = p + f->len;
    while (p < end) {
        if (*p == '#') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (*p <= ' ') {
            p++;
            continue;
        }
        uint32_t cp[3];
        int k = 0;
        while (p<end && * p> ' ') {
            uint32_t c;
            p += u8_dec(p, (size_t)(end - p), &c);
            if (k < 3)
                cp[k] = c;
            k++;
        }
        if (k == 2 && cp[0] != cp[1])
            VEC_PUSH(v, ((cpmap_t){cp[0], cp[1]}));
    }
    if (v.n)
        qsort(v.items, v.n, sizeof *v.items, cpmap_cmp);
    t2s = v.items;
    nt2s = v.n;
}

static uint32_t t2s_fold(uint32_t cp)
{
    if (cp < 0x3400)
        return cp;
    if (!t2s_loaded)
        t2s_load();
    size_t lo = 0, hi = nt2s;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t2s[mid].from == cp)
            return t2s[mid].to;
        if (t2s[mid].from < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cp;
}

/* ---------------------------------------------------------- normalisation */

enum { FOLD_CHAR, FOLD_SPACE, FOLD_INVISIBLE };

/* The fold of one code point, computed from the folding rules in src/terms.h. */
static uint32_t fold_slow(uint32_t cp, int *kind)
{
    *kind = FOLD_CHAR;
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0;
    if (cp < 0x20 || cp == 0x7F || cp == ' ' || cp == 0x3000 || cp == 0x00A0 ||
        (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F) {
        *kind = FOLD_SPACE;
        return ' ';
    }
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF || cp == 0x00AD || cp == 0x2060) {
        *kind = FOLD_INVISIBLE;
        return ' ';
    }
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    switch (cp) {
    case 0x300C:
    case 0x300D:
    case 0x300E:
    case 0x300F: /* 「」『』 */
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019: /* “”‘’ */
        return '"';
    }
    cp = t2s_fold(cp);
    if (cp == 0x5E10 || cp == 0x5E33) /* 帐 帳 -> 账 */
        return 0x8D26;
    return cp;
}

/* Folding runs three times per character of a contract, so the Basic Multilingual
 * Plane is tabulated once: the folded code point, and the kind in the top bits. */
static uint32_t *fold_table;

static uint32_t fold_kind(uint32_t cp, int *kind)
{
    if (cp >= 0x10000)
        return fold_slow(cp, kind);
    if (!fold_table) {
        fold_table = xmalloc(0x10000 * sizeof *fold_table);
        for (uint32_t c = 0; c < 0x10000; c++) {
            int k;
            uint32_t f = fold_slow(c, &k);
            fold_table[c] = f | (uint32_t)k << 24;
        }
    }
    uint32_t v = fold_table[cp];
    *kind = (int)(v >> 24);
    return v & 0xFFFFFF;
}

uint32_t terms_fold_cp(uint32_t cp)
{
    int kind;
    return fold_kind(cp, &kind);
}

static char *fold_n(const char *s, size_t n)
{
    sbuf_t b = {0};
    sb_reserve(&b, n);
    b.p[0] = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (n) {
        uint32_t cp;
        size_t k = u8_dec(p, n, &cp);
        p += k, n -= k;
        u8_put(&b, terms_fold_cp(cp));
    }
    return sb_take(&b);
}

char *terms_fold_line(const char *s)
{
    return fold_n(s, strlen(s));
}

enum { HEAD = 256, LABEL_MAX = 64 };

/* The folded start of a line, enough for a clause label: labels are short and come
 * after blanks only, so a long line is folded whole only when its blanks run on. */
static char *fold_head(const char *s)
{
    size_t len = strlen(s), cut = len;
    if (len > HEAD)
        for (cut = HEAD; cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
            ;
    char *f = fold_n(s, cut);
    if (cut < len && strspn(f, " \t\r\n\v\f") + LABEL_MAX > strlen(f)) {
        free(f);
        f = fold_n(s, len);
    }
    return f;
}

/* Asked twice per character normalised: one test for the CJK that most are. */
static int ascii_alnum(uint32_t c)
{
    return c < 0x80 && ((c - '0' < 10u) || ((c | 0x20) - 'a' < 26u));
}

/* What normalise writes: the normalised text, or the prepared one (terms_prepare). */
enum { NORM_ONLY, NORM_PREPARE, NORM_PREPARE_SWAP };

#define CP_JIA 0x7532  /* 甲 */
#define CP_YI 0x4E59   /* 乙 */
#define CP_FANG 0x65B9 /* 方 */

/* The normaliser, and in the same pass the preparation when mode asks for it: each
 * clause is classified, so its text is folded once, not once more to prepare it. The
 * buffer starts at the input's size, which the folding rarely changes. */
static char *normalise(const char *s, int mode)
{
    sbuf_t b = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    int pending = 0, prev_alnum = 0;
    uint32_t last = 0;
    sb_reserve(&b, n);
    b.p[0] = 0;
    while (n) {
        uint32_t cp;
        int kind;
        size_t k = u8_dec(p, n, &cp);
        p += k, n -= k;
        cp = fold_kind(cp, &kind);
        if (kind == FOLD_INVISIBLE)
            continue;
        if (kind == FOLD_SPACE) {
            pending = b.n > 0;
            continue;
        }
        /* A space survives only between two ASCII letters or digits: CJK text
         * has no word spaces, Latin words keep theirs. */
        if (pending && prev_alnum && ascii_alnum(cp))
            sb_addc(&b, ' ');
        pending = 0;
        /* 甲方 and 乙方 swapped: the 甲 or 乙 just written (3 bytes) becomes the other. */
        if (mode == NORM_PREPARE_SWAP && cp == CP_FANG && (last == CP_JIA || last == CP_YI))
            memcpy(b.p + b.n - 3, last == CP_JIA ? "乙" : "甲", 3);
        u8_put(&b, cp);
        if (mode != NORM_ONLY && (cp == 0x3002 /* 。 */ || cp == ';' || cp == '!' || cp == '?'))
            sb_addc(&b, '\n');
        prev_alnum = ascii_alnum(cp);
        last = cp;
    }
    return sb_take(&b);
}

char *terms_normalise(const char *s)
{
    return normalise(s, NORM_ONLY);
}

/* ---------------------------------------------------------- static regexes */

/* Capture groups a static pattern may have (group 0 included): the match block's size. */
#define STATIC_GROUPS 8

static pcre2_code *rx_compile_static(const char *pat)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *c =
        pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        fprintf(stderr, "billaudit: internal pattern error at %zu: %s\n", (size_t)off, (char *)msg);
        abort();
    }
    uint32_t groups = 0;
    pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups >= STATIC_GROUPS) {
        fprintf(stderr, "billaudit: internal pattern with %u groups\n", (unsigned)groups);
        abort();
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    return c;
}

/* Runs a static pattern; returns the match's capture group 1 offsets in o[0..1], or -1.
 * They run on every line of a contract: one match block per thread, made once. */
static int rx_static_match(pcre2_code *c, const char *s, size_t *o)
{
    static _Thread_local pcre2_match_data *md;
    if (!md && !(md = pcre2_match_data_create(STATIC_GROUPS, NULL))) {
        fputs("billaudit: out of memory\n", stderr);
        abort();
    }
    int rc = pcre2_match(c, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_NO_UTF_CHECK, md, NULL);
    if (rc > 1 && o) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        o[0] = ov[2], o[1] = ov[3];
    }
    return rc > 0 ? 0 : -1;
}

/* Over the folded line, so that full-width digits count. */
static const char clause_rx[] = "^\\s*(第[0-9〇零一二三四五六七八九十百千两]+(?:条|款|章|节|部分)"
                                "|[〇零一二三四五六七八九十百]+[、.]"
                                "|\\([0-9〇零一二三四五六七八九十百]+\\)"
                                "|[0-9]{1,3}(?:\\.[0-9]{1,3}){1,3}(?=[\\s\\p{Han}.、)])"
                                "|[0-9]{1,3}[.、)]"
                                "|[①-⑳])";

/* Over the normalised line: a line that opens a notice appended to the agreement starts a
 * clause like a numbered line (doc/formats.md, contract-text), so 特别提示 after the last
 * article is not glued to it. 注 / 说明 / 附 need their colon (注意, 说明书, 附件 open no
 * notice). */
static const char notice_rx[] =
    "^\\s*[\\[(【〔]?\\s*(?:(?:特别|重要|温馨)提示|(?:注|说明|附)\\s*[\\])】〕]?\\s*:)";

/* Over the normalised line. */
static const char page_rx[] =
    "^(第[0-9〇零一二三四五六七八九十百千两]+页(?:[,/、]?共[0-9〇零一二三四五六七八九十百千两]+页)?"
    "|共[0-9〇零一二三四五六七八九十百千两]+页[,/、]?第[0-9〇零一二三四五六七八九十百千两]+页"
    "|[-—–]+[0-9]+[-—–]+"
    "|[0-9]+/[0-9]+"
    "|page ?[0-9]+(?: ?(?:of|/) ?[0-9]+)?)$";

static size_t count_chars(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* The numbering of f, the folded start of a line (fold_head). */
static int clause_start_of(const char *f, size_t *lead_chars, size_t *label_chars)
{
    static pcre2_code *rx;
    if (!rx)
        rx = rx_compile_static(clause_rx);
    size_t o[2];
    int ok = rx_static_match(rx, f, o) == 0;
    if (ok) {
        if (lead_chars)
            *lead_chars = count_chars(f, o[0]);
        if (label_chars)
            *label_chars = count_chars(f + o[0], o[1] - o[0]);
    }
    return ok;
}

int terms_clause_start(const char *line, size_t *lead_chars, size_t *label_chars)
{
    char *f = fold_head(line);
    int ok = clause_start_of(f, lead_chars, label_chars);
    free(f);
    return ok;
}

int terms_clause_start_folded(const char *line, const char *folded, size_t *lead_chars,
                              size_t *label_chars)
{
    /* A short line's head is the whole line, folded already. */
    if (strlen(line) > HEAD)
        return terms_clause_start(line, lead_chars, label_chars);
    return clause_start_of(folded, lead_chars, label_chars);
}

static int page_marker_norm(const char *norm)
{
    static pcre2_code *rx;
    if (!rx)
        rx = rx_compile_static(page_rx);
    return rx_static_match(rx, norm, NULL) == 0;
}

static int notice_start_norm(const char *norm)
{
    static pcre2_code *rx;
    if (!rx)
        rx = rx_compile_static(notice_rx);
    return rx_static_match(rx, norm, NULL) == 0;
}

int terms_page_marker(const char *line)
{
    char *n = terms_normalise(line);
    int r = *n && page_marker_norm(n);
    free(n);
    return r;
}

/* ---------------------------------------------------------------- splitter */

/* The characters [from, from+count) of s as a new string (same decoding as the fold). */
static char *char_slice(const char *s, size_t from, size_t count)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    const unsigned char *start = NULL;
    while (n && i < from + count) {
        if (i == from)
            start = p;
        uint32_t cp;
        size_t k = u8_dec(p, n, &cp);
        p += k, n -= k, i++;
    }
    if (!start)
        return xstrdup("");
    return xstrndup((const char *)start, (size_t)(p - start));
}

void splitter_init(splitter_t *s, clause_fn fn, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->fn = fn;
    s->ctx = ctx;
}

static void splitter_emit(splitter_t *s)
{
    if (!s->open)
        return;
    s->fn(s->ctx, s->line, s->first, s->text.p ? s->text.p : "", s->label);
    free(s->first);
    free(s->label);
    s->first = s->label = NULL;
    sb_clear(&s->text);
    s->open = 0;
}

/* Wrapped lines are joined without a separator, except between two ASCII words. */
static void splitter_append(splitter_t *s, const char *raw)
{
    char *t = str_trim(xstrdup(raw));
    if (*t) {
        if (s->last_ascii && ascii_alnum((unsigned char)t[0]))
            sb_addc(&s->text, ' ');
        sb_add(&s->text, t);
        s->last_ascii = ascii_alnum((unsigned char)t[strlen(t) - 1]);
    }
    free(t);
}

void splitter_line(splitter_t *s, long lineno, const char *raw)
{
    char *norm = terms_normalise(raw);
    if (!*norm) {
        free(norm);
        return;
    }
    size_t lead = 0, lab = 0;
    int numbered = terms_clause_start(raw, &lead, &lab) || notice_start_norm(norm);
    if (s->title) {
        int furniture = page_marker_norm(norm) || strcmp(norm, s->title) == 0;
        free(norm);
        if (furniture)
            return;
    } else {
        s->title = norm; /* the first non-blank line opens the first clause */
        numbered = 1;
    }
    if (numbered) {
        splitter_emit(s);
        s->open = 1;
        s->line = lineno;
        s->first = xstrdup(raw);
        s->label = lab ? char_slice(raw, lead, lab) : xstrdup("");
        s->last_ascii = 0;
    }
    splitter_append(s, raw);
}

void splitter_finish(splitter_t *s)
{
    splitter_emit(s);
    free(s->title);
    sb_free(&s->text);
    s->title = NULL;
}

void terms_split_text(const char *text, clause_fn fn, void *ctx)
{
    splitter_t s;
    splitter_init(&s, fn, ctx);
    if (!strncmp(text, "\xEF\xBB\xBF", 3))
        text += 3;
    long lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        if (len && line[len - 1] == '\r')
            line[len - 1] = 0;
        splitter_line(&s, ++lineno, line);
        free(line);
        p += len + (nl ? 1 : 0);
    }
    splitter_finish(&s);
}

/* ----------------------------------------------------------------- parties */

int terms_parties_reversed(const char *norm)
{
    static pcre2_code *op_first, *user_first, *user_second, *op_second;
    if (!op_first) {
        const char *user = "(?:客户|用户|消费者|机主|入网人|个人|会员)";
        const char *co = "(?:有限公司|分公司|公司|运营商|通信|电信|移动|联通)";
        char *p;
        p = xasprintf("甲方(?:\\(%s\\)|:%s)", user, user);
        user_first = rx_compile_static(p), free(p);
        p = xasprintf("乙方(?:\\(%s\\)|:%s)", user, user);
        user_second = rx_compile_static(p), free(p);
        p = xasprintf("甲方(?:\\([^)]{0,10}\\))?:[^:;。]{0,30}?%s", co);
        op_first = rx_compile_static(p), free(p);
        p = xasprintf("乙方(?:\\([^)]{0,10}\\))?:[^:;。]{0,30}?%s", co);
        op_second = rx_compile_static(p), free(p);
    }
    int normal =
        rx_static_match(user_first, norm, NULL) == 0 || rx_static_match(op_second, norm, NULL) == 0;
    int reversed =
        rx_static_match(user_second, norm, NULL) == 0 || rx_static_match(op_first, norm, NULL) == 0;
    return reversed && !normal;
}

char *terms_prepare(const char *raw, int swap_parties)
{
    return normalise(raw, swap_parties ? NORM_PREPARE_SWAP : NORM_PREPARE);
}

/* --------------------------------------------------------------- catalogue */

typedef struct {
    pcre2_code *code;
    char *src; /* expanded pattern text, for messages */
} rx_t;
typedef VEC(rx_t) rxvec_t;
typedef VEC(char *) strvec_t;

typedef struct {
    char *id;
    int type;
    const char *severity;
    const char **basis;
    rxvec_t pats, reqs, excl, excl_clause;
    strvec_t match, nomatch;
    strvec_t gate; /* literals: the entry is tried only on clauses holding one */
    char *where;   /* "file:line" */
} entry_t;

typedef struct {
    int present;
    const char *severity;
    const char **basis;
    char *title, *explanation, *remedy;
    rxvec_t reqs, excl, excl_clause;
    strvec_t gate;
    char *where;
} ttype_t;

typedef struct {
    char *name, *value;
} macro_t;

/* A gate literal, indexed by its first code point. Its target is a type (0..11) or
 * an entry (TERM_NTYPES + entry index). */
typedef struct {
    uint32_t first;
    const char *s;
    size_t len;
    int target;
} gatelit_t;

struct terms {
    ttype_t types[TERM_NTYPES];
    VEC(gatelit_t) gates; /* sorted by first code point */
    uint16_t *gate_head;  /* [0x10000]: 1 + index of the first literal starting with cp */
    uint64_t *ungated;    /* targets without a gate: always tried (bitset) */
    uint64_t *open;       /* scratch bitset: targets whose gate is open on a clause */
    size_t gate_words;
    VEC(entry_t) entries;
    VEC(macro_t) macros;
    pcre2_compile_context *cctx;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jstack;
    pcre2_match_data *md;
    int worker; /* a terms_worker copy: owns only its match state */
};

static const char *severity_of(const char *s)
{
    static const char *const names[] = {"high", "medium", "low"};
    for (int i = 0; i < 3; i++)
        if (s && !strcmp(s, names[i]))
            return names[i];
    return NULL;
}

/* One "key: value" line of a block, continuation lines already appended. */
typedef struct {
    char *key, *value;
    int line;
} kv_t;
typedef VEC(kv_t) block_t;

typedef struct {
    terms_t *t;
    const char *file;
    int file_type; /* the type of the file's header block, -1 before it */
    char *err;
    size_t errlen;
    int failed;
} loader_t;

static void load_error(loader_t *L, int line, const char *fmt, const char *arg)
{
    if (L->failed)
        return;
    L->failed = 1;
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    if (line > 0)
        snprintf(L->err, L->errlen, "%s:%d: %s", L->file, line, msg);
    else
        snprintf(L->err, L->errlen, "%s: %s", L->file, msg);
}

static const char *macro_get(terms_t *t, const char *name, size_t n)
{
    for (size_t i = 0; i < t->macros.n; i++)
        if (strlen(t->macros.items[i].name) == n && !strncmp(t->macros.items[i].name, name, n))
            return t->macros.items[i].value;
    return NULL;
}

/* Replaces {NAME} (upper-case name) by (?:definition). NULL on an unknown name. */
static char *macro_expand(loader_t *L, const char *s, int line)
{
    sbuf_t b = {0};
    for (const char *p = s; *p;) {
        if (p[0] == '{' && p[1] >= 'A' && p[1] <= 'Z') {
            const char *q = p + 1;
            while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
                q++;
            if (*q == '}') {
                const char *v = macro_get(L->t, p + 1, (size_t)(q - p - 1));
                if (!v) {
                    char *name = xstrndup(p + 1, (size_t)(q - p - 1));
                    load_error(L, line, "unknown macro {%s}", name);
                    free(name);
                    sb_free(&b);
                    return NULL;
                }
                sb_add(&b, "(?:");
                sb_add(&b, v);
                sb_add(&b, ")");
                p = q + 1;
                continue;
            }
        }
        sb_addc(&b, *p++);
    }
    return sb_take(&b);
}

static int rx_add(loader_t *L, rxvec_t *v, const char *pattern, int line)
{
    char *src = macro_expand(L, pattern, line);
    if (!src)
        return -1;
    int err;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_MULTILINE, &err, &off, L->t->cctx);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        char *m = xasprintf("bad pattern (%s at offset %zu): %%s", (char *)msg, (size_t)off);
        load_error(L, line, m, src);
        free(m);
        free(src);
        return -1;
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* the interpreter is the fallback */
    VEC_PUSH(*v, ((rx_t){c, src}));
    return 0;
}

static const char **basis_parse(const char *s)
{
    char *copy = xstrdup(s);
    VEC(const char *) v = {0};
    for (char *tok = strtok(copy, " ,\t"); tok; tok = strtok(NULL, " ,\t"))
        VEC_PUSH(v, xstrdup(tok));
    VEC_PUSH(v, NULL);
    free(copy);
    return v.items;
}

static void basis_free(const char **b)
{
    for (size_t i = 0; b && b[i]; i++)
        free((char *)b[i]);
    free(b);
}

static void block_define(loader_t *L, const kv_t *kv)
{
    const char *eq = strchr(kv->value, '=');
    if (!eq) {
        load_error(L, kv->line, "define needs NAME = pattern%s", "");
        return;
    }
    char *name = str_trim(xstrndup(kv->value, (size_t)(eq - kv->value)));
    char *value = macro_expand(L, eq + 1, kv->line);
    if (!value) {
        free(name);
        return;
    }
    str_trim(value);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            load_error(L, kv->line, "macro name \"%s\" must be upper case", name);
            free(name), free(value);
            return;
        }
    VEC_PUSH(L->t->macros, ((macro_t){name, value}));
}

static char *where_of(loader_t *L, int line)
{
    return xasprintf("%s:%d", L->file, line);
}

static void block_type(loader_t *L, block_t *b, int type)
{
    ttype_t *ty = &L->t->types[type];
    if (ty->present) {
        load_error(L, b->items[0].line, "second header block for %s", term_type_names[type]);
        return;
    }
    ty->present = 1;
    ty->where = where_of(L, b->items[0].line);
    L->file_type = type;
    for (size_t i = 0; i < b->n && !L->failed; i++) {
        kv_t *kv = &b->items[i];
        if (!strcmp(kv->key, "term_type"))
            continue;
        else if (!strcmp(kv->key, "severity")) {
            if (!(ty->severity = severity_of(kv->value)))
                load_error(L, kv->line, "severity must be high, medium or low, not %s", kv->value);
        } else if (!strcmp(kv->key, "basis"))
            basis_free(ty->basis), ty->basis = basis_parse(kv->value);
        else if (!strcmp(kv->key, "title"))
            free(ty->title), ty->title = xstrdup(kv->value);
        else if (!strcmp(kv->key, "explanation"))
            free(ty->explanation), ty->explanation = xstrdup(kv->value);
        else if (!strcmp(kv->key, "remedy"))
            free(ty->remedy), ty->remedy = xstrdup(kv->value);
        else if (!strcmp(kv->key, "gate")) {
            char *copy = xstrdup(kv->value);
            for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t"))
                VEC_PUSH(ty->gate, terms_normalise(tok));
            free(copy);
        } else if (!strcmp(kv->key, "require"))
            rx_add(L, &ty->reqs, kv->value, kv->line);
        else if (!strcmp(kv->key, "exclude"))
            rx_add(L, &ty->excl, kv->value, kv->line);
        else if (!strcmp(kv->key, "exclude-clause"))
            rx_add(L, &ty->excl_clause, kv->value, kv->line);
        else
            load_error(L, kv->line, "unknown key \"%s\" in a header block", kv->key);
    }
    if (!L->failed &&
        (!ty->severity || !ty->basis || !ty->title || !ty->explanation || !ty->remedy))
        load_error(L, b->items[0].line,
                   "header block of %s needs severity, basis, title, explanation and remedy",
                   term_type_names[type]);
}

static void block_entry(loader_t *L, block_t *b)
{
    entry_t e;
    memset(&e, 0, sizeof e);
    e.type = L->file_type;
    e.where = where_of(L, b->items[0].line);
    for (size_t i = 0; i < b->n && !L->failed; i++) {
        kv_t *kv = &b->items[i];
        if (!strcmp(kv->key, "id"))
            free(e.id), e.id = xstrdup(kv->value);
        else if (!strcmp(kv->key, "term_type")) {
            if ((e.type = term_type_index(kv->value)) < 0)
                load_error(L, kv->line, "unknown term_type %s", kv->value);
        } else if (!strcmp(kv->key, "severity")) {
            if (!(e.severity = severity_of(kv->value)))
                load_error(L, kv->line, "severity must be high, medium or low, not %s", kv->value);
        } else if (!strcmp(kv->key, "basis"))
            basis_free(e.basis), e.basis = basis_parse(kv->value);
        else if (!strcmp(kv->key, "pattern"))
            rx_add(L, &e.pats, kv->value, kv->line);
        else if (!strcmp(kv->key, "require"))
            rx_add(L, &e.reqs, kv->value, kv->line);
        else if (!strcmp(kv->key, "exclude"))
            rx_add(L, &e.excl, kv->value, kv->line);
        else if (!strcmp(kv->key, "exclude-clause"))
            rx_add(L, &e.excl_clause, kv->value, kv->line);
        else if (!strcmp(kv->key, "match"))
            VEC_PUSH(e.match, xstrdup(kv->value));
        else if (!strcmp(kv->key, "no-match"))
            VEC_PUSH(e.nomatch, xstrdup(kv->value));
        else if (!strcmp(kv->key, "gate")) {
            char *copy = xstrdup(kv->value);
            for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t"))
                VEC_PUSH(e.gate, terms_normalise(tok));
            free(copy);
        } else if (!strcmp(kv->key, "note"))
            continue;
        else
            load_error(L, kv->line, "unknown key \"%s\" in an entry", kv->key);
    }
    if (!L->failed && e.type < 0)
        load_error(L, b->items[0].line, "entry %s has no term_type (and no header block)", e.id);
    if (!L->failed && !e.pats.n)
        load_error(L, b->items[0].line, "entry %s has no pattern", e.id);
    VEC_PUSH(L->t->entries, e); /* pushed even on error so that terms_free frees it */
}

static void block_run(loader_t *L, block_t *b, int defines_only)
{
    if (!b->n || L->failed)
        return;
    int has_id = 0, has_define = 0, type = -1;
    for (size_t i = 0; i < b->n; i++) {
        if (!strcmp(b->items[i].key, "id"))
            has_id = 1;
        if (!strcmp(b->items[i].key, "define"))
            has_define = 1;
        if (!strcmp(b->items[i].key, "term_type") &&
            (type = term_type_index(b->items[i].value)) < 0)
            load_error(L, b->items[i].line, "unknown term_type %s", b->items[i].value);
    }
    if (has_define) {
        if (defines_only)
            for (size_t i = 0; i < b->n; i++)
                if (!strcmp(b->items[i].key, "define"))
                    block_define(L, &b->items[i]);
        return;
    }
    if (defines_only || L->failed)
        return;
    if (has_id)
        block_entry(L, b);
    else if (type >= 0)
        block_type(L, b, type);
    else
        load_error(L, b->items[0].line, "block has neither id, term_type nor define%s", "");
}

static void block_clear(block_t *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->items[i].key), free(b->items[i].value);
    b->n = 0;
}

/* The format: blocks of "key: value" lines separated by blank lines; '#' starts a
 * comment line; a line starting with a space or TAB continues the previous value. */
static void load_text(loader_t *L, const char *text, int defines_only)
{
    block_t b = {0};
    int lineno = 0;
    for (const char *p = text; *p && !L->failed;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        p += len + (nl ? 1 : 0);
        lineno++;
        int cont = line[0] == ' ' || line[0] == '\t';
        char *s = str_trim(line);
        if (!*s) {
            block_run(L, &b, defines_only);
            block_clear(&b);
        } else if (*s == '#') {
            /* comment */
        } else if (cont && b.n) {
            kv_t *kv = &b.items[b.n - 1];
            char *v = xasprintf("%s%s", kv->value, s);
            free(kv->value);
            kv->value = v;
        } else {
            char *colon = s;
            while ((*colon >= 'a' && *colon <= 'z') || *colon == '-' || *colon == '_')
                colon++;
            if (colon == s || *colon != ':')
                load_error(L, lineno, "expected \"key: value\", got \"%s\"", s);
            else {
                kv_t kv = {xstrndup(s, (size_t)(colon - s)), str_trim(xstrdup(colon + 1)), lineno};
                VEC_PUSH(b, kv);
            }
        }
        free(line);
    }
    block_run(L, &b, defines_only);
    block_clear(&b);
    VEC_FREE(b);
}

static void rxvec_free(rxvec_t *v)
{
    for (size_t i = 0; i < v->n; i++)
        pcre2_code_free(v->items[i].code), free(v->items[i].src);
    VEC_FREE(*v);
}

static void strvec_free(strvec_t *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    VEC_FREE(*v);
}

/* What one thread needs to match: a match context (limits, JIT stack) and match data.
 * from: the context to copy, or NULL for a new one. 0, or -1 when out of memory. */
static int match_state_init(terms_t *t, const pcre2_match_context *from)
{
    t->mctx = from ? pcre2_match_context_copy((pcre2_match_context *)from)
                   : pcre2_match_context_create(NULL);
    t->md = pcre2_match_data_create(1, NULL);
    t->jstack = NULL;
    if (!t->mctx || !t->md)
        return -1;
    t->jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    /* Without one, PCRE2's default 32 KiB machine stack serves: a copied context must not
     * keep pointing at the stack of the context it was copied from (another thread's). */
    pcre2_jit_stack_assign(t->mctx, NULL, t->jstack);
    return 0;
}

/* Frees the match state, the gate bitset and t itself. */
static void match_state_free(terms_t *t)
{
    free(t->open);
    pcre2_match_data_free(t->md);
    pcre2_match_context_free(t->mctx);
    if (t->jstack)
        pcre2_jit_stack_free(t->jstack);
    free(t);
}

void terms_free(terms_t *t)
{
    if (!t)
        return;
    if (t->worker) {
        terms_worker_free(t);
        return;
    }
    for (size_t i = 0; i < t->entries.n; i++) {
        entry_t *e = &t->entries.items[i];
        free(e->id), free(e->where), basis_free(e->basis);
        rxvec_free(&e->pats), rxvec_free(&e->reqs), rxvec_free(&e->excl);
        rxvec_free(&e->excl_clause);
        strvec_free(&e->match), strvec_free(&e->nomatch), strvec_free(&e->gate);
    }
    VEC_FREE(t->entries);
    for (int i = 0; i < TERM_NTYPES; i++) {
        ttype_t *ty = &t->types[i];
        basis_free(ty->basis);
        free(ty->title), free(ty->explanation), free(ty->remedy), free(ty->where);
        rxvec_free(&ty->reqs), rxvec_free(&ty->excl), rxvec_free(&ty->excl_clause);
        strvec_free(&ty->gate);
    }
    for (size_t i = 0; i < t->macros.n; i++)
        free(t->macros.items[i].name), free(t->macros.items[i].value);
    VEC_FREE(t->macros);
    VEC_FREE(t->gates);
    free(t->gate_head);
    free(t->ungated);
    pcre2_compile_context_free(t->cctx);
    match_state_free(t);
}

terms_t *terms_worker(const terms_t *t)
{
    terms_t *w = xmalloc(sizeof *w);
    *w = *t; /* the catalogue itself is shared, read-only */
    w->worker = 1;
    w->open = xcalloc(t->gate_words, sizeof *w->open);
    if (match_state_init(w, t->mctx) != 0) { /* the copy keeps t's limits */
        terms_worker_free(w);
        return NULL;
    }
    return w;
}

void terms_worker_free(terms_t *w)
{
    if (w)
        match_state_free(w);
}

void terms_set_limits(terms_t *t, uint32_t match_limit, uint32_t depth_limit)
{
    pcre2_set_match_limit(t->mctx, match_limit);
    pcre2_set_depth_limit(t->mctx, depth_limit);
}

size_t terms_entry_count(const terms_t *t)
{
    return t ? t->entries.n : 0;
}

/* Entries inherit severity and basis from their type's header. */
static void finish_entries(loader_t *L)
{
    terms_t *t = L->t;
    for (size_t i = 0; i < t->entries.n && !L->failed; i++) {
        entry_t *e = &t->entries.items[i];
        ttype_t *ty = &t->types[e->type];
        if (!ty->present) {
            L->file = e->where;
            load_error(L, 0, "type %s has no header block (title, explanation, remedy)",
                       term_type_names[e->type]);
            break;
        }
        if (!e->severity)
            e->severity = ty->severity;
        if (!e->basis) {
            size_t n = 0;
            while (ty->basis[n])
                n++;
            e->basis = xcalloc(n + 1, sizeof *e->basis);
            for (size_t k = 0; k < n; k++)
                e->basis[k] = xstrdup(ty->basis[k]);
        }
        for (size_t k = 0; k < i; k++)
            if (e->id && t->entries.items[k].id && !strcmp(e->id, t->entries.items[k].id)) {
                L->file = e->where;
                load_error(L, 0, "duplicate entry id %s", e->id);
            }
    }
}

static int gatelit_cmp(const void *a, const void *b)
{
    uint32_t x = ((const gatelit_t *)a)->first, y = ((const gatelit_t *)b)->first;
    return x < y ? -1 : x > y;
}

static void gate_add(terms_t *t, const strvec_t *lits, int target)
{
    if (!lits->n)
        t->ungated[target / 64] |= 1ull << (target % 64);
    for (size_t i = 0; i < lits->n; i++) {
        const char *g = lits->items[i];
        uint32_t cp;
        if (!*g)
            continue;
        u8_dec((const unsigned char *)g, strlen(g), &cp);
        if (cp >= 0x10000) { /* cannot be indexed: the target is always tried */
            t->ungated[target / 64] |= 1ull << (target % 64);
            continue;
        }
        VEC_PUSH(t->gates, ((gatelit_t){cp, g, strlen(g), target}));
    }
}

/* One pass over a clause finds every gate literal: literals are indexed by their first
 * code point (all gates are in the Basic Multilingual Plane or ASCII). */
static void gates_index(terms_t *t)
{
    t->gate_words = (TERM_NTYPES + t->entries.n + 63) / 64;
    t->ungated = xcalloc(t->gate_words, sizeof *t->ungated);
    t->open = xcalloc(t->gate_words, sizeof *t->open);
    for (int type = 0; type < TERM_NTYPES; type++)
        gate_add(t, &t->types[type].gate, type);
    for (size_t i = 0; i < t->entries.n; i++)
        gate_add(t, &t->entries.items[i].gate, TERM_NTYPES + (int)i);
    if (t->gates.n >= 0xFFFF) { /* too many to index in 16 bits: try everything */
        memset(t->ungated, 0xFF, t->gate_words * sizeof *t->ungated);
        t->gates.n = 0;
    }
    if (t->gates.n)
        qsort(t->gates.items, t->gates.n, sizeof *t->gates.items, gatelit_cmp);
    t->gate_head = xcalloc(0x10000, sizeof *t->gate_head);
    for (size_t i = t->gates.n; i-- > 0;)
        t->gate_head[t->gates.items[i].first] = (uint16_t)(i + 1);
}

/* Marks in t->open the targets whose gate is open on s. */
static void gates_scan(const terms_t *t, const char *s)
{
    uint64_t *open = t->open;
    memcpy(open, t->ungated, t->gate_words * sizeof *open);
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        uint32_t cp;
        size_t k = u8_dec(p, n, &cp);
        if (cp < 0x10000 && t->gate_head[cp])
            for (size_t i = t->gate_head[cp] - 1u; i < t->gates.n && t->gates.items[i].first == cp;
                 i++) {
                const gatelit_t *g = &t->gates.items[i];
                if (!(open[g->target / 64] >> (g->target % 64) & 1) && g->len <= n &&
                    !memcmp(p, g->s, g->len))
                    open[g->target / 64] |= 1ull << (g->target % 64);
            }
        p += k, n -= k;
    }
}

static int gate_is_open(const terms_t *t, int target)
{
    return (int)(t->open[target / 64] >> (target % 64) & 1);
}

terms_t *terms_load(const char *const *names, const char *const *texts, int n, char *err,
                    size_t errlen)
{
    terms_t *t = xcalloc(1, sizeof *t);
    t->cctx = pcre2_compile_context_create(NULL);
    if (!t->cctx || match_state_init(t, NULL) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        terms_free(t);
        return NULL;
    }
    pcre2_set_newline(t->cctx, PCRE2_NEWLINE_LF);
    terms_set_limits(t, TERMS_MATCH_LIMIT, TERMS_DEPTH_LIMIT);
    char dummy[8];
    loader_t L = {t, "", -1, err ? err : dummy, err ? errlen : sizeof dummy, 0};
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n && !L.failed; i++) {
            L.file = names[i];
            L.file_type = -1;
            load_text(&L, texts[i], pass == 0);
        }
    if (!L.failed)
        finish_entries(&L);
    if (!L.failed)
        gates_index(t);
    if (L.failed) {
        terms_free(t);
        return NULL;
    }
    return t;
}

static const terms_t *def_catalogue;
static int def_tried;

const terms_t *terms_swap_default(const terms_t *t)
{
    const terms_t *old = terms_default();
    def_catalogue = t;
    return old;
}

const terms_t *terms_default(void)
{
    if (def_tried)
        return def_catalogue;
    def_tried = 1;
    terms_t *def;
    VEC(const char *) names = {0};
    VEC(const char *) texts = {0};
    for (const data_file_t *f = data_files; f->name; f++) {
        if (strncmp(f->name, "rules/terms/", 12) || !str_ends(f->name, ".txt") ||
            !strcmp(f->name, T2S_FILE))
            continue;
        VEC_PUSH(names, f->name);
        VEC_PUSH(texts, xstrndup(f->data, f->len));
    }
    char err[1024];
    def = terms_load(names.items, texts.items, (int)names.n, err, sizeof err);
    if (!def)
        fprintf(stderr, "billaudit: unfair-term catalogue: %s\n", err);
    def_catalogue = def;
    for (size_t i = 0; i < texts.n; i++)
        free((char *)texts.items[i]);
    VEC_FREE(names);
    VEC_FREE(texts);
    return def_catalogue;
}

/* ---------------------------------------------------------------- matching */

/* 1 match, 0 none; a limit hit counts as no match and is flagged. */
static int rx_run(const terms_t *t, const rx_t *r, const char *s, size_t n, size_t start,
                  size_t *mstart, size_t *mend, int *limit_hit)
{
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, start, PCRE2_NO_UTF_CHECK, t->md, t->mctx);
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
        if (mstart)
            *mstart = ov[0];
        if (mend)
            *mend = ov[1] > ov[0] ? ov[1] : ov[0];
        return 1;
    }
    if (rc != PCRE2_ERROR_NOMATCH && limit_hit)
        *limit_hit = 1; /* match/depth/heap/JIT stack limit */
    return 0;
}

static int any_match(const terms_t *t, const rxvec_t *v, const char *s, size_t n, int *lim)
{
    for (size_t i = 0; i < v->n; i++)
        if (rx_run(t, &v->items[i], s, n, 0, NULL, NULL, lim))
            return 1;
    return 0;
}

static int all_match(const terms_t *t, const rxvec_t *v, const char *s, size_t n, int *lim)
{
    for (size_t i = 0; i < v->n; i++)
        if (!rx_run(t, &v->items[i], s, n, 0, NULL, NULL, lim))
            return 0;
    return 1;
}

/* Does some sentence fire the entry: a pattern matches there, the requirements hold
 * there, and no exclusion matches there? Clause-level exclusions are checked by the caller. */
static int entry_sentence_fires(const terms_t *t, const entry_t *e, const ttype_t *ty,
                                const char *s, size_t n, int *lim)
{
    for (size_t i = 0; i < e->pats.n; i++) {
        size_t from = 0, ms, me;
        while (from < n && rx_run(t, &e->pats.items[i], s, n, from, &ms, &me, lim)) {
            size_t a = ms, b = me;
            while (a > 0 && s[a - 1] != '\n')
                a--;
            while (b < n && s[b] != '\n')
                b++;
            const char *sent = s + a;
            size_t len = b - a;
            if (all_match(t, &e->reqs, sent, len, lim) && all_match(t, &ty->reqs, sent, len, lim) &&
                !any_match(t, &e->excl, sent, len, lim) && !any_match(t, &ty->excl, sent, len, lim))
                return 1;
            from = b + 1;
        }
    }
    return 0;
}

static int entry_fires(const terms_t *t, const entry_t *e, const char *s, size_t n, int *lim)
{
    const ttype_t *ty = &t->types[e->type];
    return entry_sentence_fires(t, e, ty, s, n, lim) && !any_match(t, &e->excl_clause, s, n, lim);
}

/* The entry of the type that fires first, or NULL. */
static const entry_t *type_fires(const terms_t *t, int type, const char *s, size_t n, int *lim)
{
    const ttype_t *ty = &t->types[type];
    if (!ty->present)
        return NULL;
    int clause_checked = 0;
    for (size_t i = 0; i < t->entries.n; i++) {
        const entry_t *e = &t->entries.items[i];
        if (e->type != type || !gate_is_open(t, TERM_NTYPES + (int)i) ||
            !entry_fires(t, e, s, n, lim))
            continue;
        if (!clause_checked) {
            if (any_match(t, &ty->excl_clause, s, n, lim))
                return NULL;
            clause_checked = 1;
        }
        return e;
    }
    return NULL;
}

int terms_type_fires(const terms_t *t, int type, const char *prepared, int *limit_hit)
{
    int lim = 0;
    const entry_t *e = NULL;
    gates_scan(t, prepared);
    if (gate_is_open(t, type))
        e = type_fires(t, type, prepared, strlen(prepared), &lim);
    if (limit_hit)
        *limit_hit |= lim;
    return e != NULL;
}

int terms_classify(const terms_t *t, const char *prepared, term_hit_t *hit)
{
    memset(hit, 0, sizeof *hit);
    hit->type = -1;
    size_t n = strlen(prepared);
    gates_scan(t, prepared);
    for (int type = 0; type < TERM_NTYPES; type++) {
        if (!gate_is_open(t, type))
            continue;
        const entry_t *e = type_fires(t, type, prepared, n, &hit->limit_hit);
        if (!e)
            continue;
        const ttype_t *ty = &t->types[type];
        hit->type = type;
        hit->entry_id = e->id;
        hit->severity = e->severity;
        hit->basis = (const char *const *)e->basis;
        hit->title = ty->title;
        hit->explanation = ty->explanation;
        hit->remedy = ty->remedy;
        break;
    }
    return hit->type;
}

int terms_classify_text(const terms_t *t, const char *raw, term_hit_t *hit)
{
    char *p = terms_prepare(raw, 0);
    int r = terms_classify(t, p, hit);
    free(p);
    return r;
}

/* ---------------------------------------------------------------- self-test */

static void law_id_cb(void *ctx, char **fields, int nfields, int lineno)
{
    (void)lineno;
    if (nfields > 0)
        VEC_PUSH(*(strvec_t *)ctx, xstrdup(fields[0]));
}

static int basis_check(const char **basis, const strvec_t *laws, const char *what, sbuf_t *rep)
{
    int failures = 0;
    for (size_t i = 0; basis && basis[i]; i++) {
        int found = 0;
        for (size_t k = 0; k < laws->n && !found; k++)
            found = !strcmp(laws->items[k], basis[i]);
        if (!found) {
            sb_addf(rep, "%s: law id %s is not in rules/data/laws.tsv\n", what, basis[i]);
            failures++;
        }
    }
    return failures;
}

static int selftest_entry(const terms_t *t, const entry_t *e, sbuf_t *rep)
{
    int failures = 0;
    if (e->match.n < 3 || e->nomatch.n < 2) {
        sb_addf(rep, "%s: entry %s needs at least 3 match: and 2 no-match: examples\n", e->where,
                e->id);
        failures++;
    }
    for (size_t i = 0; i < e->match.n; i++) {
        char *p = terms_prepare(e->match.items[i], 0);
        int lim = 0;
        term_hit_t hit;
        gates_scan(t, p);
        if (!gate_is_open(t, TERM_NTYPES + (int)(e - t->entries.items)) ||
            !entry_fires(t, e, p, strlen(p), &lim) || !terms_type_fires(t, e->type, p, &lim)) {
            sb_addf(rep, "%s: entry %s misses its match: example \"%s\"\n", e->where, e->id,
                    e->match.items[i]);
            failures++;
        } else if (terms_classify(t, p, &hit) != e->type) {
            sb_addf(rep, "%s: entry %s: match: example \"%s\" is reported as %s (precedence)\n",
                    e->where, e->id, e->match.items[i], term_type_names[hit.type]);
            failures++;
        }
        free(p);
    }
    for (size_t i = 0; i < e->nomatch.n; i++) {
        char *p = terms_prepare(e->nomatch.items[i], 0);
        int lim = 0;
        gates_scan(t, p);
        const entry_t *by =
            gate_is_open(t, e->type) ? type_fires(t, e->type, p, strlen(p), &lim) : NULL;
        if (by) {
            sb_addf(rep, "%s: entry %s: no-match: example \"%s\" is matched by %s\n", e->where,
                    e->id, e->nomatch.items[i], by->id);
            failures++;
        }
        free(p);
    }
    return failures;
}

int terms_selftest(const terms_t *t, sbuf_t *rep)
{
    int failures = 0;
    strvec_t laws = {0};
    int have_laws = data_tsv_each("rules/data/laws.tsv", law_id_cb, &laws) >= 0;
    for (int type = 0; type < TERM_NTYPES; type++) {
        int n = 0;
        for (size_t i = 0; i < t->entries.n; i++)
            n += t->entries.items[i].type == type;
        if (!n) {
            sb_addf(rep, "catalogue: no entry for %s\n", term_type_names[type]);
            failures++;
        }
        if (have_laws && t->types[type].present)
            failures += basis_check(t->types[type].basis, &laws, t->types[type].where, rep);
    }
    for (size_t i = 0; i < t->entries.n; i++) {
        const entry_t *e = &t->entries.items[i];
        failures += selftest_entry(t, e, rep);
        if (have_laws)
            failures += basis_check(e->basis, &laws, e->where, rep);
    }
    strvec_free(&laws);
    return failures;
}
