/* XLSX row source (doc/formats.md, "xlsx"): libzip opens the container, expat reads
 * the parts as SAX. The sheet is streamed: the parser is suspended at every
 * completed row and resumed by the next next(), so memory does not grow with
 * the row count (the shared-string table excepted). */
#include "container.h"
#include "progress.h"
#include "rowsrc.h"
#include "util.h"
#include "zipio.h"
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

/* ---- limits: every defence against hostile workbooks, in one place ---- */
#define XLSX_MAX_ENTRIES 10000             /* members in the ZIP */
#define XLSX_MAX_MEMBER_BYTES (4ULL << 30) /* declared or inflated size of a member */
#define XLSX_BOMB_MIN_BYTES (16ULL << 20)  /* ratio check starts past this... */
#define XLSX_MAX_RATIO 200                 /* ...refusing more than 200:1 */
#define XLSX_MAX_SST_COUNT 4000000         /* shared strings */
#define XLSX_MAX_SST_BYTES (64UL << 20)    /* shared-string text in total, held */
#define XLSX_MAX_COL 16384                 /* column XFD */
#define XLSX_MAX_ROW 1048576L              /* Excel's last row */
#define XLSX_MAX_CELL_BYTES (256UL << 10)  /* text per cell (Excel: 32767 chars) */
#define XLSX_MAX_ROW_BYTES TEXT_MAX_LINE   /* text per row */
#define XLSX_MAX_TOKEN_BYTES (16ULL << 20) /* input without any XML event (huge tag) */
#define XLSX_MAX_SHEETS 4096
#define XLSX_MAX_XFS 65536    /* cellXfs entries */
#define XLSX_MAX_NUMFMTS 4096 /* custom number formats */
#define XLSX_CHUNK (64 << 10) /* bytes inflated per read */

/* Number-format kinds: how a number cell in that format is shown. */
enum { FMT_NUM, FMT_DATE, FMT_TIME, FMT_ELAPSED };

/* Value kinds of a <c> by its t attribute. */
typedef enum { V_NUM, V_SST, V_INLINE, V_STR, V_BOOL, V_ERR, V_ISODATE } vkind_t;

typedef struct {
    char *p;
    size_t n, cap;
} buf_t;

/* Bytes that are not UTF-8 in a part: real workbooks hold them (a GBK name written by a
 * generator), and expat refuses the whole part at the first one. Each invalid byte is
 * given to expat as U+FFFD instead, as a text file's are, and counted. A part that declares
 * another encoding, or is UTF-16, goes to expat as it is. */
typedef struct {
    int mode;              /* FIX_UNDECIDED until the part's first bytes are seen */
    unsigned char tail[4]; /* a sequence cut by the end of a chunk, completed by the next */
    size_t ntail;
    unsigned long fixed; /* bytes replaced so far */
    unsigned char *raw;  /* the chunk as inflated */
} u8fix_t;
enum { FIX_UNDECIDED, FIX_CLEAN, FIX_AS_IS };

/* Per-parser context; every handler's userData. owner is the part's state. */
typedef struct {
    XML_Parser p;
    void *owner;
    char why[200];  /* set by a handler that aborts the parse */
    uint64_t quiet; /* bytes fed since the last event: a token growing without bound */
    u8fix_t fix;
} xmlctx_t;

typedef struct {
    zip_file_t *zf;
    char *name;
    uint64_t comp, total;
    size_t chunk; /* bytes inflated per read: XLSX_CHUNK, less for a member declared small */
} member_t;

typedef struct {
    int col;
    uint32_t off;
    unsigned char flags;
} centry_t;

typedef struct {
    rowsrc_t rs; /* first: the rowsrc_t interface */
    zip_t *za;
    int date1904;
    buf_t pool;             /* shared strings, NUL-separated */
    VEC(uint32_t) sst;      /* offsets into pool, SST_BAD set when the string is damaged */
    VEC(uint32_t) sst_cut;  /* shared strings over XLSX_MAX_CELL_BYTES, ascending */
    unsigned char *xf_kind; /* cellXfs index -> FMT_* */
    size_t nxf;
    /* sheet stream */
    member_t m;
    xmlctx_t ctx;
    int suspended, final_fed, done, failed;
    /* sheet parse state */
    int in_data, in_row, in_cell, in_is, rph, collect, skip_row, skip_cell;
    long rownum;
    int lastcol, col;
    long style;
    vkind_t vk;
    uint32_t cstart;
    int row_bad; /* a cell of the row shows U+FFFD for bytes that were not UTF-8 */
    buf_t text;  /* the row's cell texts, NUL-terminated; offset 0 is "" */
    /* A cell of the row was over XLSX_MAX_CELL_BYTES, or the row over XLSX_MAX_ROW_BYTES:
     * its text is not all held, so the row is skipped and reported (rowsrc_skipped). */
    int too_long;
    VEC(centry_t) ent;
    /* the row handed out */
    int row_ready, n;
    char **cells;
    unsigned char *flags;
    size_t cap;
    buf_t raw;
} xlsx_t;

/* The pool stays under 2^31 bytes (XLSX_MAX_SST_BYTES), so an offset's top bit is free. */
#define SST_BAD 0x80000000u

/* ---- small helpers ---- */

static void errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void buf_reserve(buf_t *b, size_t more)
{
    if (b->n + more <= b->cap)
        return;
    size_t c = b->cap ? b->cap : 256;
    while (c < b->n + more)
        c *= 2;
    b->p = xrealloc(b->p, c);
    b->cap = c;
}

static void buf_add(buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, n + 1);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void buf_nul(buf_t *b) /* appends a terminating NUL that counts in n */
{
    buf_reserve(b, 1);
    b->p[b->n++] = '\0';
}

/* A length <= take that does not split a UTF-8 character (s holds more than take bytes). */
static size_t utf8_cut(const char *s, size_t take)
{
    while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
        take--;
    return take;
}

/* How much of len more bytes a text of have bytes may take under limit. */
static size_t room(const char *t, size_t have, size_t len, size_t limit)
{
    if (have + len <= limit)
        return len;
    return have < limit ? utf8_cut(t, limit - have) : 0;
}

/* Element or attribute name without its namespace prefix ("x:row" -> "row"). */
static const char *local(const char *n)
{
    /* A loop, not strrchr: names are a few bytes and this runs for every element. */
    const char *c = NULL;
    for (const char *p = n; *p; p++)
        if (*p == ':')
            c = p;
    return c ? c + 1 : n;
}

/* strcmp(a, b) == 0, inline: the sheet handlers compare names for every element. */
static int eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (eq(local(a[0]), name))
            return a[1];
    return NULL;
}

/* Unsigned decimal attribute; dflt when absent or malformed; saturates at 10^12 so that
 * an absurd value stays out of every range instead of overflowing. */
static long parse_long(const char *s, long dflt)
{
    if (!s)
        return dflt;
    long v = 0;
    int any = 0;
    for (; *s >= '0' && *s <= '9'; s++, any = 1)
        if (v < 1000000000000L)
            v = v * 10 + (*s - '0');
    return any && *s == '\0' ? v : dflt;
}

/* OOXML escapes characters as _xHHHH_ in strings; decodes them in place. Returns the new length. */
static size_t unescape_x(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned v = 0;
        int ok = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (size_t k = 2; ok && k < 6; k++) {
            char c = s[i + k];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            ok = d >= 0;
            v = v * 16 + (unsigned)d;
        }
        if (!ok || (v >= 0xD800 && v <= 0xDFFF)) {
            s[o++] = s[i++];
            continue;
        }
        i += 7;
        if (v == 0)
            continue;
        if (v < 0x80) {
            s[o++] = (char)v;
        } else if (v < 0x800) {
            s[o++] = (char)(0xC0 | v >> 6);
            s[o++] = (char)(0x80 | (v & 0x3F));
        } else {
            s[o++] = (char)(0xE0 | v >> 12);
            s[o++] = (char)(0x80 | (v >> 6 & 0x3F));
            s[o++] = (char)(0x80 | (v & 0x3F));
        }
    }
    return o;
}

/* ---- date serials ---- */

static void civil(int64_t z, int *y, int *m, int *d) /* days since 1970-01-01 -> date */
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Serial text -> whole seconds since the serial epoch, rounded to the nearest second.
 * Plain decimals are read exactly (12 fraction digits); exponent forms via strtod. */
static int serial_seconds(const char *s, int64_t *out)
{
    while (*s == ' ')
        s++;
    if (strpbrk(s, "eE")) {
        char *end;
        double v = strtod(s, &end);
        if (end == s || !(v >= 0 && v < 2958466.0))
            return -1;
        *out = (int64_t)(v * 86400.0 + 0.5);
        return 0;
    }
    int64_t days = 0, frac = 0, scale = 1;
    int nd = 0;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        if (nd >= 7)
            return -1;
        days = days * 10 + (*s - '0');
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, nd++)
            if (scale < 1000000000000LL) {
                frac = frac * 10 + (*s - '0');
                scale *= 10;
            }
    }
    while (*s == ' ')
        s++;
    if (!nd || *s || days > 2958465)
        return -1;
    *out = days * 86400 + (frac * 86400 * 2 + scale) / (2 * scale);
    return 0;
}

/* A number cell in a date/time format -> text. 0 on success. */
/* v as n decimal digits (zero-padded; v < 10^n) at o. */
static char *put_digits(char *o, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
    return o + n;
}

static int serial_text(const char *s, int date1904, int kind, char *out, size_t outlen)
{
    int64_t secs;
    if (serial_seconds(s, &secs) != 0)
        return -1;
    int hh = (int)(secs % 86400 / 3600), mi = (int)(secs % 3600 / 60), ss = (int)(secs % 60);
    if (kind == FMT_ELAPSED || (kind == FMT_TIME && secs < 86400)) {
        snprintf(out, outlen, "%02lld:%02d:%02d", (long long)(secs / 3600), mi, ss);
        return 0;
    }
    int y, m, d;
    civil(secs / 86400 - (date1904 ? 24107 : 25569), &y, &m, &d);
    if (outlen < 20 || y < 0 || y > 9999) { /* serial_seconds bounds the year: never here */
        snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mi, ss);
        return 0;
    }
    /* Every date cell of a sheet comes here: digits placed directly, not via printf. */
    char *o = put_digits(out, y, 4);
    *o++ = '-';
    o = put_digits(o, m, 2);
    *o++ = '-';
    o = put_digits(o, d, 2);
    *o++ = ' ';
    o = put_digits(o, hh, 2);
    *o++ = ':';
    o = put_digits(o, mi, 2);
    *o++ = ':';
    o = put_digits(o, ss, 2);
    *o = 0;
    return 0;
}

/* ---- number formats ---- */

static int builtin_kind(long id)
{
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
        (id >= 50 && id <= 54) || id == 57 || id == 58)
        return FMT_DATE; /* 27-36, 50-58: the East Asian date formats */
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || id == 45 || id == 47 || id == 55 ||
        id == 56)
        return FMT_TIME;
    return id == 46 ? FMT_ELAPSED : FMT_NUM;
}

static int is_elapsed(const char *s, size_t n) /* bracket content "h", "mm", "ss" ... */
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != (s[0] | 0x20))
            return 0;
    char c = (char)(s[0] | 0x20);
    return c == 'h' || c == 'm' || c == 's';
}

/* A custom formatCode is a date when it has y/m/d/h/s outside quotes, brackets and escapes. */
static int format_kind(const char *s)
{
    int date = 0, time = 0, elapsed = 0;
    for (; *s; s++) {
        if (*s == '"' || *s == '[') {
            const char *e = strchr(s + 1, *s == '"' ? '"' : ']');
            if (!e)
                break;
            if (*s == '[' && is_elapsed(s + 1, (size_t)(e - s - 1)))
                elapsed = 1;
            s = e;
            continue;
        }
        if (*s == '\\' || *s == '_' || *s == '*') { /* the next character is literal */
            if (!s[1])
                break;
            s++;
            continue;
        }
        char c = (char)(*s | 0x20);
        if (c == 'y' || c == 'd')
            date = 1;
        else if (c == 'h' || c == 'm' || c == 's')
            time = 1;
    }
    return date ? FMT_DATE : elapsed ? FMT_ELAPSED : time ? FMT_TIME : FMT_NUM;
}

/* ---- reading members ---- */

static void member_close(member_t *m)
{
    if (m->zf)
        zip_fclose(m->zf);
    free(m->name);
    memset(m, 0, sizeof *m);
}

/* 0 ok, 1 absent, -1 error (in err). */
static int member_open(zip_t *za, const char *name, member_t *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    zip_int64_t i = zip_name_locate(za, name, 0);
    if (i < 0)
        i = zip_name_locate(za, name, ZIP_FL_NOCASE);
    if (i < 0)
        return 1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
        errf(err, errlen, "%s: %s", name, zip_strerror(za));
        return -1;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        errf(err, errlen, "%s: encrypted entry (password-protected workbook?)", name);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_MEMBER_BYTES) {
        errf(err, errlen, "%s: entry declares %llu bytes, over the %llu GiB limit", name,
             (unsigned long long)st.size, XLSX_MAX_MEMBER_BYTES >> 30);
        return -1;
    }
    m->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    /* Most parts are a few KiB: a buffer of their size, not of a chunk (one that declares
     * less than it holds is read in more chunks). */
    m->chunk =
        (st.valid & ZIP_STAT_SIZE) && st.size < XLSX_CHUNK ? (size_t)st.size + 1 : XLSX_CHUNK;
    m->zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
    if (!m->zf) {
        errf(err, errlen, "%s: cannot open entry: %s", name, zip_strerror(za));
        return -1;
    }
    m->name = xstrdup(name);
    return 0;
}

/* Inflates the next chunk, counting the bytes actually produced (headers can lie). */
static zip_int64_t member_read(member_t *m, void *buf, size_t cap, char *err, size_t errlen)
{
    zip_int64_t n = zip_fread(m->zf, buf, cap);
    if (n < 0) {
        errf(err, errlen, "%s: read error: %s (truncated or corrupt file?)", m->name,
             zip_file_strerror(m->zf));
        return -1;
    }
    m->total += (uint64_t)n;
    if (m->total > XLSX_MAX_MEMBER_BYTES) {
        errf(err, errlen, "%s: entry expands past the %llu GiB limit", m->name,
             XLSX_MAX_MEMBER_BYTES >> 30);
        return -1;
    }
    if (m->total > XLSX_BOMB_MIN_BYTES && m->total / XLSX_MAX_RATIO > m->comp) {
        errf(err, errlen, "%s: entry expands past %d:1 (zip bomb?)", m->name, XLSX_MAX_RATIO);
        return -1;
    }
    return n;
}

/* ---- expat plumbing ---- */

static void xml_abort(xmlctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_abort(xmlctx_t *c, const char *fmt, ...)
{
    if (!c->why[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why, sizeof c->why, fmt, ap);
        va_end(ap);
    }
    XML_StopParser(c->p, XML_FALSE);
}

/* No part of a workbook has a DTD: refusing any DOCTYPE refuses entity bombs. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    xml_abort(ud, "DOCTYPE refused (entity expansion not allowed)");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value,
                              int vlen, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)vlen, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    xml_abort(ud, "entity declaration refused");
}

static void XMLCALL on_comment(void *ud, const XML_Char *data)
{
    (void)data;
    ((xmlctx_t *)ud)->quiet = 0;
}

static void xml_init(xmlctx_t *c, void *owner, XML_StartElementHandler start,
                     XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    memset(c, 0, sizeof *c);
    c->p = XML_ParserCreate(NULL);
    if (!c->p) {
        fputs("billaudit: out of memory\n", stderr);
        abort();
    }
    c->owner = owner;
    XML_SetUserData(c->p, c);
    XML_SetParamEntityParsing(c->p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(c->p, on_doctype);
    XML_SetEntityDeclHandler(c->p, on_entity);
    XML_SetCommentHandler(c->p, on_comment);
    XML_SetElementHandler(c->p, start, end);
    if (text)
        XML_SetCharacterDataHandler(c->p, text);
}

static void xml_free(xmlctx_t *c)
{
    if (c->p)
        XML_ParserFree(c->p);
    c->p = NULL;
    free(c->fix.raw);
    c->fix.raw = NULL;
}

/* Whether a part starting with s is UTF-8: no UTF-16 (or wider) start, and an XML
 * declaration that names no encoding or UTF-8. */
static int declares_utf8(const unsigned char *s, size_t n)
{
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3, n -= 3;
    if (n >= 2 && (s[0] == 0 || s[1] == 0 || (s[0] == 0xFE && s[1] == 0xFF) ||
                   (s[0] == 0xFF && s[1] == 0xFE)))
        return 0;
    if (n < 5 || memcmp(s, "<?xml", 5))
        return 1;
    const unsigned char *end = memmem(s, n < 1024 ? n : 1024, "?>", 2);
    const unsigned char *e = end ? memmem(s, (size_t)(end - s), "encoding", 8) : NULL;
    if (!e)
        return 1;
    for (e += 8; e < end && (*e == ' ' || *e == '=' || *e == '\t' || *e == '\r' || *e == '\n');)
        e++;
    if (e >= end || (*e != '"' && *e != '\''))
        return 1;
    size_t left = (size_t)(end - e - 1); /* the name and its closing quote */
    return (left >= 6 && !strncasecmp((const char *)e + 1, "UTF-8", 5) && e[6] == e[0]) ||
           (left >= 5 && !strncasecmp((const char *)e + 1, "UTF8", 4) && e[5] == e[0]);
}

/* Whether s[0..n) (n < 4) may be the start of a sequence that the next chunk completes. */
static int u8_cut(const unsigned char *s, size_t n)
{
    size_t need = (s[0] & 0xE0) == 0xC0   ? 2
                  : (s[0] & 0xF0) == 0xE0 ? 3
                  : (s[0] & 0xF8) == 0xF0 ? 4
                                          : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return need > n;
}

/* Copies in[0..n) to out (room for 3n bytes), each invalid byte as U+FFFD; returns the
 * bytes written. Unless final, a sequence cut at the end waits in f->tail. */
static size_t u8_clean(u8fix_t *f, const unsigned char *in, size_t n, char *out, int final)
{
    size_t i = 0, o = 0;
    while (i < n) {
        size_t ok = utf8_valid_prefix(in + i, n - i);
        memcpy(out + o, in + i, ok);
        i += ok, o += ok;
        if (i == n)
            break;
        if (!final && n - i < 4 && u8_cut(in + i, n - i)) {
            f->ntail = n - i;
            memcpy(f->tail, in + i, f->ntail);
            break;
        }
        memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += 3, i++;
        f->fixed++;
    }
    return o;
}

/* Inflates the next chunk of m and parses it (invalid UTF-8 made U+FFFD). Returns the
 * bytes inflated (0: the end, fed as final), -1 on a read error (in err); *st: expat's. */
static zip_int64_t xml_feed(xmlctx_t *c, member_t *m, enum XML_Status *st, char *err, size_t errlen)
{
    u8fix_t *f = &c->fix;
    if (!f->raw)
        f->raw = xmalloc(m->chunk + sizeof f->tail);
    memcpy(f->raw, f->tail, f->ntail);
    zip_int64_t n = member_read(m, f->raw + f->ntail, m->chunk, err, errlen);
    if (n < 0)
        return -1;
    if ((size_t)n == m->chunk && m->chunk < XLSX_CHUNK) { /* it holds more than it declared */
        m->chunk = XLSX_CHUNK;
        f->raw = xrealloc(f->raw, m->chunk + sizeof f->tail);
    }
    size_t len = f->ntail + (size_t)n;
    f->ntail = 0;
    if (f->mode == FIX_UNDECIDED && (len || n == 0))
        f->mode = declares_utf8(f->raw, len) ? FIX_CLEAN : FIX_AS_IS;
    char *buf = XML_GetBuffer(c->p, (int)(3 * len + 1));
    if (!buf) {
        errf(err, errlen, "%s: out of memory", m->name);
        return -1;
    }
    size_t out = len;
    if (f->mode == FIX_CLEAN)
        out = u8_clean(f, f->raw, len, buf, n == 0);
    else
        memcpy(buf, f->raw, len);
    c->quiet += (uint64_t)n;
    *st = XML_ParseBuffer(c->p, (int)out, n == 0);
    return n;
}

/* Whether text holding U+FFFD was damaged: the part had bytes replaced (a U+FFFD the file
 * wrote itself, in a part with none, is text like any other). */
static int xml_damaged(const xmlctx_t *c, const char *s, size_t n)
{
    return c->fix.fixed && memmem(s, n, "\xEF\xBF\xBD", 3) != NULL;
}

static void xml_message(xmlctx_t *c, const char *part, char *err, size_t errlen)
{
    if (c->why[0])
        errf(err, errlen, "%s: %s", part, c->why);
    else
        errf(err, errlen, "%s:%lu: XML error: %s", part,
             (unsigned long)XML_GetCurrentLineNumber(c->p),
             XML_ErrorString(XML_GetErrorCode(c->p)));
}

/* Feeds a whole member through c. 0 ok, 1 absent, -1 error (in err). Frees the parser. */
static int parse_member(zip_t *za, const char *name, xmlctx_t *c, char *err, size_t errlen)
{
    member_t m;
    int rc = member_open(za, name, &m, err, errlen);
    while (rc == 0) {
        enum XML_Status st;
        zip_int64_t n = xml_feed(c, &m, &st, err, errlen);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (st != XML_STATUS_OK) {
            xml_message(c, name, err, errlen);
            rc = -1;
        } else if (c->quiet > XLSX_MAX_TOKEN_BYTES) {
            errf(err, errlen, "%s: XML token over %llu MiB", name, XLSX_MAX_TOKEN_BYTES >> 20);
            rc = -1;
        } else if (n == 0) {
            break;
        }
    }
    member_close(&m);
    xml_free(c);
    return rc;
}

/* ---- xl/workbook.xml and its relationships ---- */

typedef struct {
    char *name, *rid;
    int hidden;
} sheetref_t;

enum { REL_OTHER, REL_SHEET, REL_SST, REL_STYLES };

typedef struct {
    char *id, *target;
    int kind;
} rel_t;

/* Member names of what one row source reads. */
typedef struct {
    char *sheet_name, *sheet, *sst, *styles;
} parts_t;

typedef struct {
    VEC(sheetref_t) sheets;
    VEC(rel_t) rels;
    int date1904;
} book_t;

static void XMLCALL book_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xmlctx_t *c = ud;
    book_t *b = c->owner;
    const char *n = local(name);
    c->quiet = 0;
    if (strcmp(n, "workbookPr") == 0) {
        const char *v = attr(a, "date1904");
        b->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(n, "sheet") == 0 && b->sheets.n < XLSX_MAX_SHEETS) {
        const char *nm = attr(a, "name"), *id = attr(a, "id"), *st = attr(a, "state");
        sheetref_t s = {xstrdup(nm ? nm : ""), xstrdup(id ? id : ""),
                        st && (strcmp(st, "hidden") == 0 || strcmp(st, "veryHidden") == 0)};
        VEC_PUSH(b->sheets, s);
    } else if (strcmp(n, "Relationship") == 0 && b->rels.n < XLSX_MAX_ENTRIES) {
        const char *id = attr(a, "Id"), *t = attr(a, "Target"), *ty = attr(a, "Type");
        const char *mode = attr(a, "TargetMode");
        if (!id || !t || (mode && strcmp(mode, "External") == 0))
            return;
        int kind = !ty                              ? REL_OTHER
                   : str_ends(ty, "/worksheet")     ? REL_SHEET
                   : str_ends(ty, "/sharedStrings") ? REL_SST
                   : str_ends(ty, "/styles")        ? REL_STYLES
                                                    : REL_OTHER;
        rel_t r = {xstrdup(id), xstrdup(t), kind};
        VEC_PUSH(b->rels, r);
    }
}

static void XMLCALL book_end(void *ud, const XML_Char *name)
{
    (void)name;
    ((xmlctx_t *)ud)->quiet = 0;
}

static void book_free(book_t *b)
{
    for (size_t i = 0; i < b->sheets.n; i++) {
        free(b->sheets.items[i].name);
        free(b->sheets.items[i].rid);
    }
    for (size_t i = 0; i < b->rels.n; i++) {
        free(b->rels.items[i].id);
        free(b->rels.items[i].target);
    }
    VEC_FREE(b->sheets);
    VEC_FREE(b->rels);
}

/* Relationship target -> member name: relative to xl/, or absolute from the root;
 * "." and ".." segments resolved, backslashes taken as slashes. */
static char *part_name(const char *target)
{
    char *tmp =
        target[0] == '/' || target[0] == '\\' ? xstrdup(target + 1) : xasprintf("xl/%s", target);
    char *out = xmalloc(strlen(tmp) + 1);
    size_t o = 0;
    for (char *p = tmp; *p; p++)
        if (*p == '\\')
            *p = '/';
    for (char *seg = tmp; seg;) {
        char *next = strchr(seg, '/');
        size_t len = next ? (size_t)(next - seg) : strlen(seg);
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else if (len && !(len == 1 && seg[0] == '.')) {
            if (o)
                out[o++] = '/';
            memcpy(out + o, seg, len);
            o += len;
        }
        seg = next ? next + 1 : NULL;
    }
    out[o] = '\0';
    free(tmp);
    return out;
}

/* The message for a ZIP without a workbook: say so when it wraps a bill instead. */
static void not_workbook(zip_t *za, char *err, size_t errlen)
{
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *nm = zip_get_name(za, (zip_uint64_t)i, 0);
        if (nm && (str_ends(nm, ".xlsx") || str_ends(nm, ".csv") || str_ends(nm, ".xls"))) {
            errf(err, errlen, "a ZIP archive holding %s, not a workbook: unzip it first", nm);
            return;
        }
    }
    errf(err, errlen, "not an XLSX workbook: no xl/workbook.xml");
}

static void parts_free(parts_t *p)
{
    free(p->sheet_name);
    free(p->sheet);
    free(p->sst);
    free(p->styles);
}

/* The shared strings and styles named by the relationships, else the usual names. */
static void other_parts(const book_t *b, parts_t *p)
{
    for (size_t k = 0; k < b->rels.n; k++) {
        const rel_t *r = &b->rels.items[k];
        if (r->kind == REL_SST && !p->sst)
            p->sst = part_name(r->target);
        else if (r->kind == REL_STYLES && !p->styles)
            p->styles = part_name(r->target);
    }
    if (!p->sst)
        p->sst = xstrdup("xl/sharedStrings.xml");
    if (!p->styles)
        p->styles = xstrdup("xl/styles.xml");
}

/* Finds the index-th visible worksheet and the parts it needs. 0 ok, -1 error in err. */
static int pick_sheet(xlsx_t *x, int index, parts_t *p, char *err, size_t errlen)
{
    book_t b = {0};
    xmlctx_t c;
    xml_init(&c, &b, book_start, book_end, NULL);
    int rc = parse_member(x->za, "xl/workbook.xml", &c, err, errlen);
    if (rc == 1)
        not_workbook(x->za, err, errlen);
    if (rc == 0) {
        xml_init(&c, &b, book_start, book_end, NULL);
        rc = parse_member(x->za, "xl/_rels/workbook.xml.rels", &c, err, errlen);
        if (rc == 1)
            errf(err, errlen, "not an XLSX workbook: no xl/_rels/workbook.xml.rels");
    }
    x->date1904 = b.date1904;
    int seen = 0;
    for (size_t i = 0; rc == 0 && i < b.sheets.n; i++) {
        const rel_t *r = NULL;
        for (size_t k = 0; k < b.rels.n && !r; k++)
            if (strcmp(b.rels.items[k].id, b.sheets.items[i].rid) == 0)
                r = &b.rels.items[k];
        if (b.sheets.items[i].hidden || !r || r->kind != REL_SHEET || seen++ < index)
            continue;
        p->sheet_name = xstrdup(b.sheets.items[i].name);
        p->sheet = part_name(r->target);
        other_parts(&b, p);
        book_free(&b);
        return 0;
    }
    if (rc == 0)
        errf(err, errlen, index ? "no visible worksheet #%d" : "workbook has no visible worksheet",
             index + 1);
    book_free(&b);
    return -1;
}

/* ---- xl/styles.xml ---- */

typedef struct {
    int in_fmts, in_xfs;
    VEC(long) fmt_id;
    VEC(unsigned char) fmt_kind;
    VEC(long) xf_fmt;
} styles_t;

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xmlctx_t *c = ud;
    styles_t *s = c->owner;
    const char *n = local(name);
    c->quiet = 0;
    if (strcmp(n, "numFmts") == 0)
        s->in_fmts = 1;
    else if (strcmp(n, "cellXfs") == 0)
        s->in_xfs = 1;
    else if (s->in_fmts && strcmp(n, "numFmt") == 0 && s->fmt_id.n < XLSX_MAX_NUMFMTS) {
        const char *code = attr(a, "formatCode");
        VEC_PUSH(s->fmt_id, parse_long(attr(a, "numFmtId"), -1));
        VEC_PUSH(s->fmt_kind, (unsigned char)format_kind(code ? code : ""));
    } else if (s->in_xfs && strcmp(n, "xf") == 0 && s->xf_fmt.n < XLSX_MAX_XFS)
        VEC_PUSH(s->xf_fmt, parse_long(attr(a, "numFmtId"), 0));
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    xmlctx_t *c = ud;
    styles_t *s = c->owner;
    const char *n = local(name);
    c->quiet = 0;
    if (strcmp(n, "numFmts") == 0)
        s->in_fmts = 0;
    else if (strcmp(n, "cellXfs") == 0)
        s->in_xfs = 0;
}

static int load_styles(xlsx_t *x, const char *part, char *err, size_t errlen)
{
    styles_t s = {0};
    xmlctx_t c;
    xml_init(&c, &s, styles_start, styles_end, NULL);
    int rc = parse_member(x->za, part, &c, err, errlen);
    if (rc == 0 && s.xf_fmt.n) {
        x->nxf = s.xf_fmt.n;
        x->xf_kind = xcalloc(x->nxf, 1);
        for (size_t i = 0; i < x->nxf; i++) {
            long id = s.xf_fmt.items[i];
            int kind = builtin_kind(id);
            for (size_t k = 0; k < s.fmt_id.n; k++) /* a custom format overrides a built-in */
                if (s.fmt_id.items[k] == id)
                    kind = s.fmt_kind.items[k];
            x->xf_kind[i] = (unsigned char)kind;
        }
    }
    VEC_FREE(s.fmt_id);
    VEC_FREE(s.fmt_kind);
    VEC_FREE(s.xf_fmt);
    return rc < 0 ? -1 : 0; /* no styles: every number is a plain number */
}

/* ---- xl/sharedStrings.xml ---- */

typedef struct {
    xlsx_t *x;
    int in_si, in_t, rph, cut;
    size_t start;
} sstp_t;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xmlctx_t *c = ud;
    sstp_t *s = c->owner;
    const char *n = local(name);
    (void)a;
    c->quiet = 0;
    if (strcmp(n, "si") == 0) {
        s->in_si = 1;
        s->rph = s->in_t = s->cut = 0;
        s->start = s->x->pool.n;
    } else if (strcmp(n, "rPh") == 0) {
        s->rph++;
    } else if (strcmp(n, "t") == 0) {
        s->in_t = s->in_si;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    xmlctx_t *c = ud;
    sstp_t *s = c->owner;
    xlsx_t *x = s->x;
    const char *n = local(name);
    c->quiet = 0;
    if (strcmp(n, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(n, "rPh") == 0) {
        s->rph -= s->rph > 0;
    } else if (strcmp(n, "si") == 0 && s->in_si) {
        s->in_si = 0;
        if (x->sst.n >= XLSX_MAX_SST_COUNT) {
            xml_abort(c, "more than %d shared strings (limit)", XLSX_MAX_SST_COUNT);
            return;
        }
        uint32_t off = (uint32_t)s->start;
        if (x->pool.n > s->start) { /* an empty first <si> has no pool yet */
            x->pool.n = s->start + unescape_x(x->pool.p + s->start, x->pool.n - s->start);
            if (xml_damaged(c, x->pool.p + s->start, x->pool.n - s->start))
                off |= SST_BAD;
        }
        buf_nul(&x->pool);
        if (s->cut)
            VEC_PUSH(x->sst_cut, (uint32_t)x->sst.n);
        VEC_PUSH(x->sst, off);
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
    xmlctx_t *c = ud;
    sstp_t *s = c->owner;
    buf_t *pool = &s->x->pool;
    c->quiet = 0;
    if (!s->in_si || !s->in_t || s->rph)
        return;
    size_t take = room(t, pool->n - s->start, (size_t)len, XLSX_MAX_CELL_BYTES);
    s->cut |= take < (size_t)len;
    if (pool->n + take + 1 > XLSX_MAX_SST_BYTES) {
        xml_abort(c, "shared strings over %lu MiB (limit)", XLSX_MAX_SST_BYTES >> 20);
        return;
    }
    buf_add(pool, t, take);
}

static int load_sst(xlsx_t *x, const char *part, char *err, size_t errlen)
{
    sstp_t s = {x, 0, 0, 0, 0, 0};
    xmlctx_t c;
    xml_init(&c, &s, sst_start, sst_end, sst_text);
    int rc = parse_member(x->za, part, &c, err, errlen);
    return rc < 0 ? -1 : 0; /* no table: fine when no cell uses it */
}

/* ---- the sheet ---- */

static void cell_end(xlsx_t *x);

static void row_begin(xlsx_t *x, const XML_Char **a)
{
    long r = parse_long(attr(a, "r"), x->rownum + 1);
    x->rownum = r;
    x->skip_row = r < 1 || r > XLSX_MAX_ROW;
    x->in_row = 1;
    x->in_cell = x->collect = 0;
    x->lastcol = 0;
    x->row_bad = 0;
    x->text.n = 0;
    buf_nul(&x->text); /* offset 0: the shared "" of absent cells */
    x->ent.n = 0;
    x->too_long = 0;
}

/* "F19" -> 6; 0 when the reference has no valid column. */
static int ref_col(const char *r)
{
    int col = 0;
    for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++) {
        col = col * 26 + ((*r | 0x20) - 'a' + 1);
        if (col > XLSX_MAX_COL)
            return XLSX_MAX_COL + 1;
    }
    return col;
}

static vkind_t value_kind(const char *t)
{
    if (!t || eq(t, "n"))
        return V_NUM;
    if (eq(t, "s"))
        return V_SST;
    if (eq(t, "inlineStr"))
        return V_INLINE;
    if (eq(t, "b"))
        return V_BOOL;
    if (eq(t, "e"))
        return V_ERR;
    if (eq(t, "d"))
        return V_ISODATE;
    return V_STR;
}

static void cell_begin(xlsx_t *x, const XML_Char **a)
{
    if (x->in_cell)
        cell_end(x); /* an unclosed <c>: keep what it had */
    /* r, t and s in one pass over the attributes: this runs for every cell. */
    const char *r = NULL, *t = NULL, *st = NULL;
    for (const XML_Char **p = a; p && p[0]; p += 2) {
        const char *l = local(p[0]);
        if (l[0] && !l[1]) {
            if (l[0] == 'r' && !r)
                r = p[1];
            else if (l[0] == 't' && !t)
                t = p[1];
            else if (l[0] == 's' && !st)
                st = p[1];
        }
    }
    int col = r ? ref_col(r) : 0;
    if (col == 0) /* no usable reference: the next column, as Excel does */
        col = x->lastcol + 1;
    x->col = col;
    x->lastcol = col;
    x->vk = value_kind(t);
    x->style = parse_long(st, 0);
    x->in_cell = 1;
    x->in_is = x->rph = x->collect = 0;
    x->too_long |= !x->skip_row && x->text.n >= XLSX_MAX_ROW_BYTES;
    x->skip_cell = x->skip_row || col < 1 || col > XLSX_MAX_COL || x->ent.n >= XLSX_MAX_COL ||
                   x->text.n >= XLSX_MAX_ROW_BYTES;
    x->cstart = (uint32_t)x->text.n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether shared string i was over XLSX_MAX_CELL_BYTES (and held cut). */
static int sst_was_cut(const xlsx_t *x, uint32_t i)
{
    return x->sst_cut.n && bsearch(&i, x->sst_cut.items, x->sst_cut.n, sizeof i, cmp_u32);
}

/* Replaces the cell's collected text (from cstart) with s. */
static void cell_set(xlsx_t *x, const char *s, size_t n)
{
    x->text.n = x->cstart;
    size_t take = room(s, 0, n, XLSX_MAX_CELL_BYTES);
    x->too_long |= take < n;
    buf_add(&x->text, s, take);
}

/* Turns the collected <v>/<t> text into the cell's value and records the cell. */
static void cell_finish(xlsx_t *x)
{
    buf_nul(&x->text); /* temporarily, so the text reads as a C string */
    x->text.n--;
    const char *v = x->text.p + x->cstart;
    size_t len = x->text.n - x->cstart;
    unsigned char flags = 0;
    int bad = -1; /* -1: as the cell's own text says */
    char tmp[48];
    switch (x->vk) {
    case V_SST: {
        long i = parse_long(v, -1);
        if (i >= 0 && (size_t)i < x->sst.n) {
            const char *s = x->pool.p + (x->sst.items[i] & ~SST_BAD);
            bad = (x->sst.items[i] & SST_BAD) != 0;
            cell_set(x, s, strlen(s));
            x->too_long |= sst_was_cut(x, (uint32_t)i);
        } else {
            /* Said, not blanked: an empty amount or time would let the row pass or vanish
             * unnoticed; this text is rejected by the parser with the row's number. */
            char bad[64];
            int shown = (int)utf8_valid_prefix((const unsigned char *)v, len < 20 ? len : 20);
            int k = snprintf(bad, sizeof bad, "(shared string %.*s missing)", shown, v);
            cell_set(x, bad, (size_t)k);
        }
        break;
    }
    case V_ERR: /* "#N/A", "#VALUE!": kept, for the same reason */
        break;
    case V_BOOL:
        if (len == 1)
            cell_set(x, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5);
        break;
    case V_ISODATE: /* strict OOXML: 2025-03-08T09:41:27 */
        for (size_t i = 0; i < len; i++)
            if (x->text.p[x->cstart + i] == 'T')
                x->text.p[x->cstart + i] = ' ';
        flags = CELL_DATE;
        break;
    case V_INLINE:
    case V_STR:
        x->text.n = x->cstart + unescape_x(x->text.p + x->cstart, len);
        break;
    case V_NUM: {
        int kind = (size_t)x->style < x->nxf ? x->xf_kind[x->style] : FMT_NUM;
        if (kind != FMT_NUM && serial_text(v, x->date1904, kind, tmp, sizeof tmp) == 0) {
            cell_set(x, tmp, strlen(tmp));
            flags = CELL_DATE;
        } else {
            flags = CELL_NUM;
        }
        break;
    }
    }
    if (x->text.n == x->cstart)
        return; /* empty: nothing to record */
    if (bad < 0)
        bad = xml_damaged(&x->ctx, x->text.p + x->cstart, x->text.n - x->cstart);
    x->row_bad |= bad;
    buf_nul(&x->text);
    centry_t e = {x->col, x->cstart, flags};
    VEC_PUSH(x->ent, e);
}

static void cell_end(xlsx_t *x)
{
    if (x->in_cell && !x->skip_cell)
        cell_finish(x);
    x->in_cell = x->collect = x->in_is = x->rph = 0;
    x->skip_cell = 1;
}

/* Builds the row handed out: cells placed by column, trimmed, trailing empties dropped.
 * Returns 1 when the row has a non-empty cell. */
static int row_build(xlsx_t *x)
{
    int maxcol = 0;
    for (size_t i = 0; i < x->ent.n; i++)
        if (x->ent.items[i].col > maxcol)
            maxcol = x->ent.items[i].col;
    if ((size_t)maxcol > x->cap) {
        x->cap = (size_t)maxcol;
        x->cells = xrealloc(x->cells, x->cap * sizeof *x->cells);
        x->flags = xrealloc(x->flags, x->cap);
    }
    for (int i = 0; i < maxcol; i++) {
        x->cells[i] = x->text.p; /* "" */
        x->flags[i] = 0;
    }
    for (size_t i = 0; i < x->ent.n; i++) { /* a repeated reference: the later cell wins */
        const centry_t *e = &x->ent.items[i];
        char *s = str_trim(x->text.p + e->off);
        x->cells[e->col - 1] = s;
        x->flags[e->col - 1] = *s ? e->flags : 0;
    }
    x->n = maxcol;
    while (x->n > 0 && !x->cells[x->n - 1][0])
        x->n--;
    x->raw.n = 0;
    for (int i = 0; i < x->n; i++) {
        if (i)
            buf_add(&x->raw, ",", 1);
        buf_add(&x->raw, x->cells[i], strlen(x->cells[i]));
    }
    buf_nul(&x->raw);
    return x->n > 0;
}

/* End of a row: hand it out and suspend the parser until the next next(). */
static void row_end(xlsx_t *x, int suspend)
{
    if (x->in_cell)
        cell_end(x);
    if (x->in_row && !x->skip_row && x->too_long) {
        rowsrc_skipped(&x->rs, x->rownum,
                       "row with a cell over %lu KiB or over %d bytes of text, skipped",
                       XLSX_MAX_CELL_BYTES >> 10, XLSX_MAX_ROW_BYTES);
        x->skip_row = 1;
    }
    int keep = x->in_row && !x->skip_row && row_build(x);
    x->in_row = 0;
    if (!keep)
        return;
    x->row_ready = 1;
    if (suspend)
        XML_StopParser(x->ctx.p, XML_TRUE);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xmlctx_t *c = ud;
    xlsx_t *x = c->owner;
    const char *n = local(name);
    c->quiet = 0;
    if (x->row_ready) /* expat stops after the </row> handler; never touch a row handed out */
        return;
    if (!x->in_data) {
        x->in_data = eq(n, "sheetData");
        return;
    }
    if (eq(n, "row")) {
        row_begin(x, a); /* an unclosed earlier <row> is dropped */
    } else if (!x->in_row) {
        return;
    } else if (eq(n, "c")) {
        cell_begin(x, a);
    } else if (!x->in_cell || x->skip_cell) {
        return;
    } else if (eq(n, "v")) {
        x->collect = 1;
    } else if (eq(n, "is")) {
        x->in_is = 1;
    } else if (eq(n, "rPh")) {
        x->rph++;
        x->collect = 0;
    } else if (eq(n, "t")) {
        x->collect = x->in_is && !x->rph;
    }
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    xmlctx_t *c = ud;
    xlsx_t *x = c->owner;
    const char *n = local(name);
    c->quiet = 0;
    if (!x->in_data || x->row_ready)
        return;
    if (eq(n, "v") || eq(n, "t")) {
        x->collect = 0;
    } else if (eq(n, "rPh")) {
        x->rph -= x->rph > 0;
    } else if (eq(n, "is")) {
        x->in_is = 0;
    } else if (eq(n, "c")) {
        cell_end(x);
    } else if (eq(n, "row")) {
        row_end(x, 1);
    } else if (eq(n, "sheetData")) {
        /* The rest (mergeCells, ...) holds no values, but is still read to the end of
         * the member so that libzip verifies its CRC. */
        x->in_data = 0;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
    xmlctx_t *c = ud;
    xlsx_t *x = c->owner;
    c->quiet = 0;
    if (!x->collect || x->skip_cell || x->row_ready)
        return;
    size_t take = room(t, x->text.n - x->cstart, (size_t)len, XLSX_MAX_CELL_BYTES);
    x->too_long |= take < (size_t)len;
    buf_add(&x->text, t, take);
}

static void sheet_fail(xlsx_t *x)
{
    x->failed = 1;
    x->row_ready = 0;
}

/* After the parser stopped with an error: a truncated sheet (ends like one that was
 * closed) or a real error. */
static void sheet_error(xlsx_t *x)
{
    enum XML_Error code = XML_GetErrorCode(x->ctx.p);
    if (x->final_fed && !x->ctx.why[0] &&
        (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
         code == XML_ERROR_PARTIAL_CHAR || code == XML_ERROR_UNCLOSED_CDATA_SECTION)) {
        if (x->in_row)
            row_end(x, 0);
        x->done = 1;
    } else {
        xml_message(&x->ctx, x->m.name, x->rs.err, sizeof x->rs.err);
        sheet_fail(x);
    }
}

/* One step of the stream: resume after a row, or inflate and parse the next chunk. */
static void sheet_step(xlsx_t *x)
{
    enum XML_Status st;
    if (x->suspended) {
        st = XML_ResumeParser(x->ctx.p);
    } else {
        zip_int64_t n = xml_feed(&x->ctx, &x->m, &st, x->rs.err, sizeof x->rs.err);
        if (n < 0) {
            sheet_fail(x);
            return;
        }
        x->final_fed = n == 0;
    }
    x->suspended = st == XML_STATUS_SUSPENDED;
    if (st == XML_STATUS_ERROR)
        sheet_error(x);
    else if (x->ctx.quiet > XLSX_MAX_TOKEN_BYTES) {
        errf(x->rs.err, sizeof x->rs.err, "%s: XML token over %llu MiB", x->m.name,
             XLSX_MAX_TOKEN_BYTES >> 20);
        sheet_fail(x);
    } else if (st == XML_STATUS_OK && x->final_fed)
        x->done = 1;
}

static int xlsx_next(rowsrc_t *rs, row_t *row)
{
    xlsx_t *x = (xlsx_t *)rs;
    for (;;) {
        if (x->row_ready) {
            x->row_ready = 0;
            row->cells = x->cells;
            row->flags = x->flags;
            row->n = x->n;
            row->line = x->rownum;
            row->raw = x->raw.p;
            row->damaged = x->row_bad;
            progress_row();
            return 1;
        }
        if (x->failed)
            return -1;
        if (x->done)
            return 0;
        sheet_step(x);
    }
}

static void xlsx_close(rowsrc_t *rs)
{
    xlsx_t *x = (xlsx_t *)rs;
    if (!x)
        return;
    xml_free(&x->ctx);
    member_close(&x->m);
    if (x->za)
        zip_discard(x->za);
    free(x->pool.p);
    VEC_FREE(x->sst);
    VEC_FREE(x->sst_cut);
    free(x->xf_kind);
    free(x->text.p);
    VEC_FREE(x->ent);
    free(x->cells);
    free(x->flags);
    free(x->raw.p);
    free(x->rs.sheet);
    free(x);
}

/* libzip on the file, or on the bytes in memory (a workbook inside an archive). */
zip_t *zip_open_blob(const blob_t *b, int *code)
{
    if (!b->data) {
        /* Through our own open: the file checked regular when read, never a FIFO. */
        char why[128];
        int fd = open_regular(b->path, why, sizeof why);
        if (fd < 0) {
            *code = ZIP_ER_OPEN;
            return NULL;
        }
        zip_t *za = zip_fdopen(fd, ZIP_RDONLY, code);
        if (!za)
            close(fd);
        return za;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    *code = zip_error_code_zip(&ze);
    if (!za && src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return za;
}

static zip_t *open_zip(const blob_t *b, char *err, size_t errlen)
{
    int code = 0;
    zip_t *za = zip_open_blob(b, &code);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
            errf(err, errlen, "not a readable ZIP archive (truncated or corrupt XLSX?): %s",
                 zip_error_strerror(&ze));
        else
            errf(err, errlen, "cannot open as XLSX: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return NULL;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n > XLSX_MAX_ENTRIES) {
        errf(err, errlen, "ZIP holds %lld entries, over the limit of %d", (long long)n,
             XLSX_MAX_ENTRIES);
        zip_discard(za);
        return NULL;
    }
    return za;
}

/* The index-th visible worksheet of the workbook b. */
static rowsrc_t *xlsx_open_blob(const blob_t *b, int index, rs_mode_t mode, char *err,
                                size_t errlen)
{
    parts_t p = {0};
    errf(err, errlen, "%s", "");
    if (mode != RS_CELLS) {
        errf(err, errlen, "not a text file");
        return NULL;
    }
    xlsx_t *x = xcalloc(1, sizeof *x);
    x->rs.next = xlsx_next;
    x->rs.close = xlsx_close;
    x->rs.container = &container_xlsx;
    snprintf(x->rs.encoding, sizeof x->rs.encoding, "XLSX");
    snprintf(x->rs.label, sizeof x->rs.label, "xlsx");
    x->za = open_zip(b, err, errlen);
    if (!x->za || index < 0 || pick_sheet(x, index, &p, err, errlen) != 0 ||
        load_sst(x, p.sst, err, errlen) != 0 || load_styles(x, p.styles, err, errlen) != 0)
        goto fail;
    int rc = member_open(x->za, p.sheet, &x->m, err, errlen);
    if (rc == 1)
        errf(err, errlen, "%s: sheet \"%s\" is missing from the archive", p.sheet,
             diag_quote(p.sheet_name));
    if (rc != 0)
        goto fail;
    x->rs.sheet = p.sheet_name;
    p.sheet_name = NULL;
    parts_free(&p);
    xml_init(&x->ctx, x, sheet_start, sheet_end, sheet_text);
    return &x->rs;
fail:
    if (index < 0)
        errf(err, errlen, "no visible worksheet #%d", index + 1);
    else if (index > 0 && strstr(err, "no visible worksheet #"))
        err[0] = 0; /* past the last sheet: the end of the search, not an error */
    parts_free(&p);
    xlsx_close(&x->rs);
    return NULL;
}

rowsrc_t *xlsx_open_sheet(const char *path, int index, char *err, size_t errlen)
{
    blob_t b = blob_file(path);
    rowsrc_t *rs = xlsx_open_blob(&b, index, RS_CELLS, err, errlen);
    if (!rs && index > 0 && !err[0])
        errf(err, errlen, "no visible worksheet #%d", index + 1);
    return rs;
}

rowsrc_t *xlsx_open(const char *path, char *err, size_t errlen)
{
    return xlsx_open_sheet(path, 0, err, errlen);
}

static int xlsx_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b, (void)why, (void)whylen;
    return n >= 4 && !memcmp(h, "PK\x03\x04", 4);
}

const container_t container_xlsx = {"xlsx", xlsx_sniff, xlsx_open_blob, NULL, 0};
