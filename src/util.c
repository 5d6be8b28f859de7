#include "util.h"
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <iconv.h>
#include <ftw.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int diag_quiet;
void (*diag_before)(void);
void (*diag_sink)(void *ctx, const char *path, long line, const char *msg);
void *diag_sink_ctx;

/* The longest message a diagnostic prints: a safety net under diag_quote, so that no
 * message quoting input (a cell, a line, a name) can run to megabytes. */
#define DIAG_MAX 2048

/* The length of s[0..n) cut back to a character boundary (s holds more than n bytes). */
static size_t utf8_floor(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Formats a diagnostic's message into msg[DIAG_MAX]: a longer one is cut at a character
 * boundary and ends "…(N bytes)". */
static const char *diag_format(char *msg, const char *fmt, va_list ap)
{
    int n = vsnprintf(msg, DIAG_MAX, fmt, ap);
    if (n < 0)
        return fmt;
    if (n >= DIAG_MAX) {
        size_t keep = utf8_floor(msg, DIAG_MAX - 40);
        snprintf(msg + keep, DIAG_MAX - keep, "…(%d bytes)", n);
    }
    return msg;
}

const char *diag_quote(const char *s)
{
    static _Thread_local char ring[4][DIAG_QUOTE * 4 + 32];
    static _Thread_local int next;
    size_t i = 0, chars = 0;
    while (s[i] && chars <= DIAG_QUOTE)
        chars += ((unsigned char)s[i++] & 0xC0) != 0x80;
    if (!s[i] && chars <= DIAG_QUOTE)
        return s;
    size_t keep = utf8_floor(s, i - 1); /* the bytes of the first DIAG_QUOTE characters */
    char *b = ring[next++ % 4];
    memcpy(b, s, keep);
    snprintf(b + keep, sizeof ring[0] - keep, "…(%zu bytes)", keep + strlen(s + keep));
    return b;
}

static void diag_to_sink(const char *path, long line, const char *fmt, va_list ap)
{
    char msg[DIAG_MAX];
    diag_sink(diag_sink_ctx, path, line, diag_format(msg, fmt, ap));
}

static void oom(void)
{
    fputs("billaudit: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    sbuf_t b = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    b.p = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b.p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return b.p;
}

void sb_reserve(sbuf_t *b, size_t extra)
{
    if (b->n + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra + 1)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void sb_addn(sbuf_t *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void sb_add(sbuf_t *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

/* Text is built byte by byte in the hot loops (folding, splitting): no memcpy call. */
void sb_addc(sbuf_t *b, char c)
{
    if (b->n + 2 > b->cap)
        sb_reserve(b, 1);
    b->p[b->n++] = c;
    b->p[b->n] = 0;
}

void sb_addf(sbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void sb_clear(sbuf_t *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

static struct {
    sbuf_t *b;
    void (*sink)(void *ctx, const char *p, size_t n);
    void *ctx;
} stream;
#define STREAM_CHUNK (1 << 20)

void sb_stream_set(sbuf_t *b, void (*sink)(void *ctx, const char *p, size_t n), void *ctx)
{
    stream.b = b;
    stream.sink = sink;
    stream.ctx = ctx;
}

void sb_stream_point(sbuf_t *b)
{
    if (b != stream.b || b->n < STREAM_CHUNK)
        return;
    stream.sink(stream.ctx, b->p, b->n);
    sb_clear(b);
}

char *sb_take(sbuf_t *b)
{
    char *p = b->p ? b->p : xstrdup("");
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void sb_free(sbuf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Length of a blank character at s (ASCII space/TAB/CR/LF, NBSP, U+3000), else 0. */
static size_t blank_at(const unsigned char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

/* Length of a blank character ending at s+n, else 0. */
static size_t blank_before(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        return 1;
    if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0)
        return 2;
    if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80)
        return 3;
    return 0;
}

char *str_trim(char *s)
{
    unsigned char *u = (unsigned char *)s;
    size_t k, start = 0, n = strlen(s);
    while ((k = blank_at(u + start)) != 0)
        start += k;
    while (n > start && (k = blank_before(u, n)) != 0)
        n -= k;
    if (start)
        memmove(s, s + start, n - start);
    s[n - start] = 0;
    return s;
}

int str_starts(const char *s, const char *prefix)
{
    /* A byte loop: called per cell on the hot path, where strlen + strncmp cost more. */
    for (; *prefix; s++, prefix++)
        if (*s != *prefix)
            return 0;
    return 1;
}

int str_ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int str_has(const char *s, const char *needle)
{
    return s && needle && strstr(s, needle) != NULL;
}

int str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

size_t str_fold_into(const char *s, char *out)
{
    size_t n = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        size_t k = blank_at(u);
        if (k) {
            u += k;
            continue;
        }
        /* Full-width ASCII U+FF01..U+FF5E = EF BC 81 .. EF BD 9E -> 0x21..0x7E. */
        if (u[0] == 0xEF && (u[1] == 0xBC || u[1] == 0xBD) && u[2] >= 0x80 && u[2] <= 0xBF) {
            unsigned cp = ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            cp |= 0xF000u;
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                char c = (char)(cp - 0xFF01 + 0x21);
                out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                u += 3;
                continue;
            }
        }
        /* ASCII case is folded too: "ftth" is FTTH, "qq音乐" is QQ音乐. */
        out[n++] = (char)(*u >= 'A' && *u <= 'Z' ? *u + 32 : *u);
        u++;
    }
    out[n] = 0;
    return n;
}

char *str_fold(const char *s)
{
    char *out = xmalloc(strlen(s) + 1);
    str_fold_into(s, out);
    return out;
}

size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) {
            /* After an ASCII byte, try whole ASCII runs 16 and 8 bytes at a time: most of a
             * bill or log is ASCII, between short runs of Chinese. */
            i++;
            uint64_t w, v;
            if (i + 16 <= n && (memcpy(&w, s + i, 8), memcpy(&v, s + i + 8, 8),
                                !((w | v) & 0x8080808080808080ull))) {
                i += 16;
                while (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull)))
                    i += 8;
            }
            continue;
        }
        /* Three-byte characters whose lead byte admits no overlong form and no surrogate
         * (E1..EC, EE, EF: all of CJK) need only their continuation bytes checked. */
        if (((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) && c <= 0xEF && i + 3 <= n &&
            (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, min = 0x10000;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        unsigned cp = c & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return i;
}

int utf8_valid(const char *s, size_t n)
{
    return utf8_valid_prefix((const unsigned char *)s, n) == n;
}

void sb_add_utf8_repaired(sbuf_t *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t ok = utf8_valid_prefix(u + i, n - i);
        sb_addn(b, s + i, ok);
        if ((i += ok) < n) {
            sb_add(b, "\xEF\xBF\xBD");
            i++;
        }
    }
}

size_t utf8_char(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (!n || len > n || utf8_valid_prefix(s, len) != len)
        return 0;
    unsigned c = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++)
        c = (c << 6) | (s[k] & 0x3F);
    *cp = c;
    return len;
}

/* Characters a name must not show raw: C0 and C1 controls and DEL (a newline splits a
 * diagnostic, ESC drives the terminal), the bidirectional marks and overrides that make a
 * name read backwards, the line and paragraph separators, and U+FEFF (invisible). */
int utf8_hidden(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static int name_plain(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name);
    if (!n || s[0] == ' ' || s[n - 1] == ' ' || s[0] == '"')
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_char(s + i, n - i, &cp);
        if (!len || utf8_hidden(cp))
            return 0;
        i += len;
    }
    return 1;
}

char *gb18030_to_utf8(const char *s, size_t n)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 2 + 1, left = cap - 1; /* a GB18030 character never grows past 2x */
    char *out = xmalloc(cap), *in = (char *)s, *o = out;
    size_t inleft = n;
    size_t r = iconv(cd, &in, &inleft, &o, &left);
    iconv_close(cd);
    if (r == (size_t)-1 || inleft) {
        free(out);
        return NULL;
    }
    *o = 0;
    return out;
}

/* One character of a quoted name or a one-line text: escaped when hidden or not UTF-8. */
static size_t escape_char(sbuf_t *b, const unsigned char *s, size_t n, int quoted)
{
    unsigned cp;
    size_t len = utf8_char(s, n, &cp);
    if (!len) {
        sb_addf(b, "\\x%02x", s[0]);
        return 1;
    }
    if (quoted && (cp == '"' || cp == '\\'))
        sb_addf(b, "\\%c", (char)cp);
    else if (cp == '\t' && !quoted)
        sb_addc(b, '\t'); /* a TAB splits no line */
    else if (cp == '\n' || cp == '\r' || cp == '\t')
        sb_add(b, cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : "\\t");
    else if (utf8_hidden(cp))
        sb_addf(b, cp < 0x80 ? "\\x%02x" : "\\u%04x", cp); /* \x is a byte, never a C1 */
    else
        sb_addn(b, (const char *)s, len);
    return len;
}

const char *name_shown(const char *name)
{
    static sbuf_t ring[8];
    static unsigned next;
    if (!name || name_plain(name))
        return name;
    sbuf_t *b = &ring[next++ % 8];
    sb_clear(b);
    sb_addc(b, '"');
    const unsigned char *s = (const unsigned char *)name;
    for (size_t i = 0, n = strlen(name); i < n;)
        i += escape_char(b, s + i, n - i, 1);
    sb_addc(b, '"');
    return b->p;
}

char *text_one_line(const char *text)
{
    sbuf_t b = {0};
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0, n = strlen(text); i < n;)
        i += escape_char(&b, s + i, n - i, 0);
    return sb_take(&b);
}

void vdiag(const char *path, long line, const char *fmt, va_list ap)
{
    if (diag_quiet)
        return;
    if (diag_sink) {
        diag_to_sink(path, line, fmt, ap);
        return;
    }
    if (diag_before)
        diag_before();
    /* One line, whatever the name or the cell quoted: a newline in either would split it. */
    char at[48];
    char msg[DIAG_MAX];
    char *shown = text_one_line(diag_format(msg, fmt, ap));
    if (line > 0)
        fprintf(stderr, "%s:%s: %s\n", name_shown(path), line_text(line, at, sizeof at), shown);
    else
        fprintf(stderr, "%s: %s\n", name_shown(path), shown);
    free(shown);
}

void diag(const char *path, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(path, line, fmt, ap);
    va_end(ap);
}

int fsync_dir_of(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The files of this run that outputs must not replace, by device and inode. */
typedef struct {
    dev_t dev;
    ino_t ino;
} file_id_t;
static VEC(file_id_t) protected_files;

void protect_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        file_id_t id = {st.st_dev, st.st_ino};
        VEC_PUSH(protected_files, id);
    }
}

void protect_clear(void)
{
    VEC_FREE(protected_files);
}

int is_protected(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0; /* a new file, or a dangling link: replacing it loses nothing */
    for (size_t i = 0; i < protected_files.n; i++)
        if (protected_files.items[i].dev == st.st_dev && protected_files.items[i].ino == st.st_ino)
            return 1;
    return 0;
}

int output_refused(const char *path)
{
    if (!is_protected(path))
        return 0;
    fprintf(stderr, "%s: is an input of this run (or the profile); not overwritten\n",
            name_shown(path));
    return 1;
}

/* A temporary of ours: PREFIX and the six characters mkstemp or mkdtemp put in place of
 * XXXXXX (letters and digits). Nothing else is ever a temporary. */
static int is_our_tmp(const char *name, const char *prefix)
{
    size_t n = strlen(prefix), k = 0;
    if (strncmp(name, prefix, n) != 0)
        return 0;
    for (const char *x = name + n; x[k]; k++)
        if (!((x[k] >= 'a' && x[k] <= 'z') || (x[k] >= 'A' && x[k] <= 'Z') ||
              (x[k] >= '0' && x[k] <= '9')))
            return 0;
    return k == 6;
}

static int remove_tree_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* Removes the temporaries a killed run left in dir (see util.h): ours by name, owned by
 * this user, of the kind given (a file, or with dirs a directory tree) and unchanged for
 * min_age seconds. A temporary still being written by a concurrent run is younger. */
static void sweep_dir(const char *dir, const char *prefix, long min_age, int dirs)
{
    DIR *d = opendir(dir);
    time_t now = time(NULL);
    for (struct dirent *e; d && (e = readdir(d));) {
        struct stat st;
        if (!is_our_tmp(e->d_name, prefix) ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != geteuid() ||
            now - st.st_mtime < min_age)
            continue;
        if (!dirs && S_ISREG(st.st_mode)) {
            unlinkat(dirfd(d), e->d_name, 0);
        } else if (dirs && S_ISDIR(st.st_mode)) {
            char *full = xasprintf("%s/%s", dir, e->d_name);
            remove_tree(full);
            free(full);
        }
    }
    if (d)
        closedir(d);
}

/* The temporaries beside path: "BASE.tmp.XXXXXX" in path's directory. */
static void sweep_beside(const char *path, long min_age, int dirs)
{
    char *dcopy = xstrdup(path), *bcopy = xstrdup(path);
    char *prefix = xasprintf("%s.tmp.", basename(bcopy));
    sweep_dir(dirname(dcopy), prefix, min_age, dirs);
    free(prefix);
    free(dcopy);
    free(bcopy);
}

void tmp_sweep(const char *path, long min_age)
{
    sweep_beside(path, min_age, 0);
}

void tmp_sweep_dirs(const char *path, long min_age)
{
    sweep_beside(path, min_age, 1);
}

void remove_tree(const char *path)
{
    nftw(path, remove_tree_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *tmp_private(const char *prefix)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    sweep_dir(dir, prefix, TMP_STALE_AGE, 0);
    return xasprintf("%s/%sXXXXXX", dir, prefix);
}

void write_error(const char *path)
{
    fprintf(stderr, "billaudit: write error: %s: %s\n", name_shown(path), strerror(errno));
}

/* Writes all of data to fd; 0, else -1 with errno. */
static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) /* EFBIG under ulimit -f (SIGXFSZ is ignored), ENOSPC, EIO */
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Writes all of data to fd and makes it durable; 0 on success, else -1 with errno. */
static int write_all_sync(int fd, const char *data, size_t len)
{
    return write_all(fd, data, len) == 0 ? fsync(fd) : -1;
}

int write_file_new(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = write_all_sync(fd, data, len);
    int e = errno;
    if (close(fd) != 0 && rc == 0)
        rc = -1, e = errno;
    errno = e;
    return rc;
}

int atomic_begin(atomic_out_t *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    if (is_protected(path)) {
        errno = EPERM;
        return -1;
    }
    tmp_sweep(path, TMP_STALE_AGE);
    o->path = path;
    o->tmp = xasprintf("%s.tmp.XXXXXX", path);
    if ((o->fd = mkstemp(o->tmp)) < 0) {
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

void atomic_add(atomic_out_t *o, const char *data, size_t len)
{
    if (!o->err && write_all(o->fd, data, len) != 0)
        o->err = errno ? errno : EIO;
}

int atomic_end(atomic_out_t *o)
{
    if (!o->err && fsync(o->fd) != 0)
        o->err = errno;
    if (close(o->fd) != 0 && !o->err)
        o->err = errno;
    if (!o->err)
        chmod(o->tmp, 0644); /* mkstemp makes 0600; outputs are ordinary files */
    if (!o->err && rename(o->tmp, o->path) != 0)
        o->err = errno;
    if (o->err)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    if (o->err) {
        errno = o->err;
        return -1;
    }
    fsync_dir_of(o->path);
    return 0;
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
    atomic_out_t o;
    if (atomic_begin(&o, path) != 0)
        return -1;
    atomic_add(&o, data, len);
    return atomic_end(&o);
}

int open_regular(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

FILE *fopen_regular(const char *path, char *err, size_t errlen)
{
    int fd = open_regular(path, err, errlen);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (fd >= 0 && !f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

int sha256_file(const char *path, char hex[65])
{
    char why[128];
    FILE *f = fopen_regular(path, why, sizeof why);
    if (!f)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    static unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    int err = ferror(f);
    fclose(f);
    unsigned char md[32];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return err ? -1 : 0;
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

const char *line_text(long line, char *buf, size_t len)
{
    if (line_page(line) > 0)
        snprintf(buf, len, "p%d:%ld", line_page(line), line_row(line));
    else
        snprintf(buf, len, "%ld", line);
    return buf;
}

const char *line_zh(long line, char *buf, size_t len)
{
    if (line_page(line) > 0)
        snprintf(buf, len, "第%d页第%ld行", line_page(line), line_row(line));
    else
        snprintf(buf, len, "第%ld行", line);
    return buf;
}
