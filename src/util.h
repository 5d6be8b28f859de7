/* Small shared helpers: allocation that cannot return NULL, growable
 * buffers and arrays, UTF-8 aware trimming, diagnostics. */
#ifndef BILLAUDIT_UTIL_H
#define BILLAUDIT_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Growable array: VEC(int) v = {0}; VEC_PUSH(v, 3); v.n, v.items[i]. */
#define VEC(T)                                                                                     \
    struct {                                                                                       \
        T *items;                                                                                  \
        size_t n, cap;                                                                             \
    }
#define VEC_GROW(v)                                                                                \
    do {                                                                                           \
        if ((v).n == (v).cap) {                                                                    \
            (v).cap = (v).cap ? (v).cap * 2 : 2;                                                   \
            (v).items = xrealloc((v).items, (v).cap * sizeof *(v).items);                          \
        }                                                                                          \
    } while (0)
#define VEC_PUSH(v, x)                                                                             \
    do {                                                                                           \
        VEC_GROW(v);                                                                               \
        (v).items[(v).n++] = (x);                                                                  \
    } while (0)
#define VEC_FREE(v)                                                                                \
    do {                                                                                           \
        free((v).items);                                                                           \
        (v).items = NULL;                                                                          \
        (v).n = (v).cap = 0;                                                                       \
    } while (0)

typedef struct {
    char *p;
    size_t n, cap;
} sbuf_t;
/* Room for extra more bytes and the terminating NUL. */
void sb_reserve(sbuf_t *b, size_t extra);
void sb_addn(sbuf_t *b, const char *s, size_t n);
void sb_add(sbuf_t *b, const char *s);
void sb_addc(sbuf_t *b, char c);
void sb_addf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_clear(sbuf_t *b);
char *sb_take(sbuf_t *b); /* returns the string ("" when empty) and resets b */
void sb_free(sbuf_t *b);
/* Streaming output: while a buffer is registered (sb_stream_set, NULL to stop), a renderer
 * calls sb_stream_point on the buffer it appends to at each point where what it holds is
 * final (after a finding, a list item); once that is a chunk's worth it goes to sink and
 * the buffer is cleared. On any other buffer, or none registered, nothing happens. */
void sb_stream_set(sbuf_t *b, void (*sink)(void *ctx, const char *p, size_t n), void *ctx);
void sb_stream_point(sbuf_t *b);

/* Trims ASCII space/TAB/CR/LF, NBSP and U+3000 at both ends, in place. */
char *str_trim(char *s);
int str_starts(const char *s, const char *prefix);
int str_ends(const char *s, const char *suffix);
int str_has(const char *s, const char *needle);
int str_eq(const char *a, const char *b);
/* Copy without spaces (ASCII, NBSP, U+3000), full-width ASCII folded to half-width and
 * ASCII letters lower-cased: names compared "after normalising width and spaces". */
char *str_fold(const char *s);
/* The same into out, which has room for strlen(s) + 1 (the fold never lengthens): returns
 * the length written. */
size_t str_fold_into(const char *s, char *out);
/* Number of UTF-8 characters. */
size_t utf8_len(const char *s);
/* Length of the valid UTF-8 prefix of s[0..n). */
size_t utf8_valid_prefix(const unsigned char *s, size_t n);

/* 1 when s[0..n) is wholly valid UTF-8. */
int utf8_valid(const char *s, size_t n);
/* Appends s to b with each byte of an invalid sequence replaced by U+FFFD. */
void sb_add_utf8_repaired(sbuf_t *b, const char *s);
/* Length of the UTF-8 character at s[0..n) (1..4), or 0 when the bytes there are no valid
 * character; *cp gets its code point. */
size_t utf8_char(const unsigned char *s, size_t n, unsigned *cp);

/* 1 for a character no name or one-line text shows raw: C0 and C1 controls, DEL, the
 * bidirectional marks and overrides, the line and paragraph separators, U+FEFF. */
int utf8_hidden(unsigned cp);
/* s[0..n) decoded from GB18030 (GBK's superset) into UTF-8, owned; NULL when some byte
 * does not decode. For names a Windows tool wrote in the local code page. */
char *gb18030_to_utf8(const char *s, size_t n);

/* A file name as diagnostics and reports show it. A name that prints as it is (valid UTF-8,
 * no control, bidirectional or line-separator character, no space at either end, not
 * starting with '"') is returned unchanged; any other is shown in double quotes with C
 * escapes: "bill-\xff\xfe.csv", "a\nb.csv", "\x1b[31m.csv", "\u202eg.csv", and \\
 * and \" for the backslash and quote. The result is one line of valid UTF-8 that names
 * the file unambiguously. It lives until eight more odd names are shown (a ring), so a
 * caller copies it when it keeps it. */
const char *name_shown(const char *name);
/* A message made one line of valid UTF-8: newline, CR and the other control characters
 * but TAB, and bytes that are not UTF-8, are written as \n, \r, \xNN. Owned. */
char *text_one_line(const char *s);

/* Diagnostics: "path:line: message" on stderr (line 0: "path: message"). */
void diag(const char *path, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vdiag(const char *path, long line, const char *fmt, va_list ap);
/* A cell (or any input text) as a diagnostic quotes it: s itself when it holds at most
 * DIAG_QUOTE characters, else its first DIAG_QUOTE characters and "…(N bytes)", N the
 * whole length (valid until the fourth call after). Every message quoting input uses it. */
#define DIAG_QUOTE 200
const char *diag_quote(const char *s);
extern int diag_quiet;            /* set by tests / cron to silence row diagnostics */
extern void (*diag_before)(void); /* called before a diagnostic (the progress line erases itself) */
/* When set, diagnostics go to diag_sink instead of stderr: cron keeps them in its state
 * and reports each one once rather than every month. msg is the formatted message. */
extern void (*diag_sink)(void *ctx, const char *path, long line, const char *msg);
extern void *diag_sink_ctx;

/* Atomic write: writes data to a temp file beside path, fsyncs, renames. 0 on success.
 * Refuses (-1, errno EPERM) a path that is a protected file: an output never replaces
 * the evidence. */
int write_file_atomic(const char *path, const char *data, size_t len);
/* The same for an output written in pieces (a long report, never held whole): begin (-1
 * with errno), add each piece (an error is kept for end), end renames into place (-1 with
 * errno, the temporary removed). */
typedef struct {
    const char *path;
    char *tmp;
    int fd, err;
} atomic_out_t;
int atomic_begin(atomic_out_t *o, const char *path);
void atomic_add(atomic_out_t *o, const char *data, size_t len);
int atomic_end(atomic_out_t *o);
/* Writes a new file (never an existing one: O_EXCL) and fsyncs it: for a directory made by
 * this run, renamed into place whole (the bundle). 0 on success, else -1 with errno. */
int write_file_new(const char *path, const char *data, size_t len);
/* Temporaries a killed run left beside path ("PATH.tmp.XXXXXX", the only names ours take)
 * are removed by the next write of path once min_age seconds old: no run of ours writes one
 * for that long, so a concurrent run's is never touched, and a user's file never is. */
#define TMP_STALE_AGE 3600L
void tmp_sweep(const char *path, long min_age);
/* The same for directories "PATH.tmp.XXXXXX" (a bundle built beside its target). */
void tmp_sweep_dirs(const char *path, long min_age);
/* Removes path and, when it is a directory, everything under it (symbolic links are
 * removed, never followed). */
void remove_tree(const char *path);
/* fsync of the directory holding path: a rename into it survives a crash. */
int fsync_dir_of(const char *path);
/* A template for mkstemp of a private temporary, "$TMPDIR/PREFIXXXXXXX" (/tmp without
 * TMPDIR), after removing the stale ones of that prefix a killed run left there. */
char *tmp_private(const char *prefix);
/* "billaudit: write error: PATH: reason" for errno. */
void write_error(const char *path);
/* Marks a file this run reads (an input, the profile): no output may replace it, whatever
 * spelling names it (relative, "..", a symbolic or a hard link: device and inode). */
void protect_file(const char *path);
/* Forgets the protected files (the audit that read them is done). */
void protect_clear(void);
/* 1 when path names a protected file. */
int is_protected(const char *path);
/* 1 (after saying so on stderr) when path may not be written because it is an input. */
int output_refused(const char *path);

/* Opens path for reading only when it is a regular file: O_NONBLOCK first, so that a
 * FIFO without a writer cannot hang the run, then fstat; a FIFO, directory or device is
 * refused ("not a regular file"). The descriptor (blocking again), or -1 with err. */
int open_regular(const char *path, char *err, size_t errlen);
/* The same as a stdio stream ("rb"); NULL with err. */
FILE *fopen_regular(const char *path, char *err, size_t errlen);

/* Lower-case hex SHA-256 of a file (65 bytes incl. NUL); 0 on success. */
int sha256_file(const char *path, char hex[65]);
void sha256_hex(const void *data, size_t len, char hex[65]);

/* A row of a paged input (PDF) is numbered by its page and its row on that page: line
 * holds both, page << 32 | row, so that lines still sort and compare in reading order.
 * line_page is 0 for every other input. Shown "p3:12", 第3页第12行 (line_text, line_zh). */
_Static_assert(sizeof(long) >= 8, "a paged line needs a 64-bit long");
static inline long line_paged(int page, long row)
{
    return ((long)page << 32) | (row & 0xffffffffL);
}
static inline int line_page(long line)
{
    return (int)(line >> 32);
}
static inline long line_row(long line)
{
    return line & 0xffffffffL;
}
/* "12", or "p3:12" for a paged line: what follows "file:" in a citation. */
const char *line_text(long line, char *buf, size_t len);
/* "第12行", or "第3页第12行" for a paged line. */
const char *line_zh(long line, char *buf, size_t len);

#endif
