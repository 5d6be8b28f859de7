/* The text container: decoding (UTF-8 ± BOM, UTF-16LE, GB18030) and the CSV and line
 * row sources, from a file or from bytes in memory (an archive member). Everything
 * streams: a line or a record at a time. */
#include "rowsrc.h"
#include "container.h"
#include "progress.h"
#include "util.h"
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1 << 16)
#define SNIFF_BYTES (1 << 18)
#define AHEAD_BLOCKS 4
#define NO_LF ((size_t)-1)
#define AHEAD_READ (128 << 10)    /* bytes per block (raw holds SNIFF_BYTES + READ_CHUNK) */
#define AHEAD_MIN_BYTES (1 << 20) /* less than this left to read: no thread */

/* ---- text decoding ---- */

typedef enum { ENC_UTF8, ENC_UTF8_BOM, ENC_UTF16LE, ENC_UTF16BE, ENC_GB18030 } enc_t;
static const char *const enc_names[] = {"UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "GB18030"};

/* Where U+FFFD was written for bytes that do not decode: offsets into the decoded text.
 * A line needs one mark to be known as damaged, so a chunk keeps only the first mark of
 * each line: a line of junk costs one entry, not one per byte. */
typedef VEC(size_t) marks_t;

struct textsrc {
    int fd;                   /* -1 when reading bytes in memory */
    const unsigned char *mem; /* the bytes in memory, mem_len of them, mem_pos read */
    size_t mem_len, mem_pos;
    enc_t enc;
    iconv_t cd;
    unsigned char *raw; /* undecoded bytes */
    size_t raw_n;
    sbuf_t dec; /* decoded UTF-8 not yet returned */
    size_t pos;
    sbuf_t line;
    long lineno;
    size_t lf_at, lf_scan; /* next_lf: offset of the next LF (NO_LF: none before lf_scan) */
    int eof, error;
    size_t known_valid; /* leading bytes of raw the encoding guess found valid UTF-8 */
    marks_t chunk;      /* replacements written by the decode under way (its decoder's) */
    marks_t marks;      /* replacements in dec not yet returned, as stream offsets */
    size_t marks_head;  /* marks before it belong to lines already returned */
    size_t dec_base;    /* stream offset of dec.p[0] */
    int line_bad;       /* the last line returned held undecodable bytes */
    /* Lines longer than TEXT_MAX_LINE are read past in chunks and not returned (on_long
     * told of each), or, when piece is set, returned in pieces of at most piece bytes. */
    size_t piece;
    int line_cut; /* the last line returned is a piece that the next one continues */
    void (*on_long)(void *ctx, long line, size_t bytes);
    void *long_ctx;
    /* Read-ahead: past the sniff buffer, a big file is read and decoded by a second
     * thread, a few blocks ahead of the parser (reading and decoding are a fifth of the
     * work). Once it runs, fd, raw and cd are the thread's. */
    int ahead, ahead_tried;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct {
        sbuf_t text;   /* decoded */
        marks_t marks; /* its replacements, offsets into text */
        size_t bytes;  /* read from the file */
    } q[AHEAD_BLOCKS];
    int qhead, qn, t_done, t_error, t_quit;
    int waiting; /* 1 the reader, 2 the thread waits on cv: wake only then */
};

static void emit_replacement(textsrc_t *ts, sbuf_t *b)
{
    VEC_PUSH(ts->chunk, b->n);
    sb_addn(b, "\xEF\xBF\xBD", 3);
}

/* Moves the chunk's replacements into dst as offsets from base, the first of each line
 * only (out->p[from..] is the chunk's text). Linear: each byte is searched once. */
static void keep_marks(textsrc_t *ts, const sbuf_t *out, size_t from, marks_t *dst, size_t base)
{
    size_t scanned = from;
    int new_line = 1;
    for (size_t i = 0; i < ts->chunk.n; i++) {
        size_t at = ts->chunk.items[i];
        if (!new_line && memchr(out->p + scanned, '\n', at - scanned))
            new_line = 1;
        scanned = at;
        if (new_line) {
            VEC_PUSH(*dst, base + at);
            new_line = 0;
        }
    }
    ts->chunk.n = 0;
}

/* Appends valid UTF-8 from raw to out; invalid bytes become U+FFFD. Keeps an incomplete tail. */
static size_t decode_utf8(textsrc_t *ts, sbuf_t *out, int final)
{
    size_t i = ts->known_valid < ts->raw_n ? ts->known_valid : ts->raw_n;
    sb_addn(out, (const char *)ts->raw, i); /* validated by the guess: not again */
    ts->known_valid = 0;
    while (i < ts->raw_n) {
        size_t ok = utf8_valid_prefix(ts->raw + i, ts->raw_n - i);
        sb_addn(out, (const char *)ts->raw + i, ok);
        i += ok;
        if (i >= ts->raw_n)
            break;
        if (!final && ts->raw_n - i < 4) {
            /* maybe a sequence cut by the read; keep it for the next chunk */
            unsigned c = ts->raw[i];
            size_t need = (c & 0xE0) == 0xC0   ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
            if (need > ts->raw_n - i)
                break;
        }
        emit_replacement(ts, out);
        i++;
    }
    return i;
}

static size_t decode_iconv(textsrc_t *ts, sbuf_t *dec, int final)
{
    char *in = (char *)ts->raw;
    size_t inleft = ts->raw_n;
    char out[READ_CHUNK * 2];
    while (inleft > 0) {
        char *o = out;
        size_t oleft = sizeof out;
        size_t r = iconv(ts->cd, &in, &inleft, &o, &oleft);
        sb_addn(dec, out, sizeof out - oleft);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL && !final)
            break; /* incomplete sequence at the end: wait for more */
        /* EILSEQ, or EINVAL at end of file: skip one byte */
        emit_replacement(ts, dec);
        in++;
        inleft--;
        iconv(ts->cd, NULL, NULL, NULL, NULL);
    }
    return (size_t)(in - (char *)ts->raw);
}

/* Decodes raw into out (appending), keeping an incomplete tail in raw; the replacements
 * written go into marks, as offsets from base. */
static void decode_into(textsrc_t *ts, sbuf_t *out, int final, marks_t *marks, size_t base)
{
    size_t from = out->n;
    size_t used = ts->enc == ENC_UTF8 || ts->enc == ENC_UTF8_BOM ? decode_utf8(ts, out, final)
                                                                 : decode_iconv(ts, out, final);
    if (ts->chunk.n)
        keep_marks(ts, out, from, marks, base);
    memmove(ts->raw, ts->raw + used, ts->raw_n - used);
    ts->raw_n -= used;
    /* NUL bytes would end a line's string early: blanks, once per buffer. */
    char *p = out->p ? out->p + from : NULL, *end = out->p ? out->p + out->n : NULL;
    for (char *z = p ? memchr(p, 0, (size_t)(end - p)) : NULL; z;
         z = memchr(z + 1, 0, (size_t)(end - z - 1)))
        *z = ' ';
}

static void decode_raw(textsrc_t *ts, int final)
{
    decode_into(ts, &ts->dec, final, &ts->marks, ts->dec_base);
}

/* The read-ahead thread: reads and decodes chunk after chunk into the block queue. */
static void *ahead_main(void *arg)
{
    textsrc_t *ts = arg;
    sbuf_t out = {0};
    marks_t marks = {0};
    for (;;) {
        ssize_t n;
        do
            n = read(ts->fd, ts->raw + ts->raw_n, AHEAD_READ);
        while (n < 0 && errno == EINTR);
        int end = n <= 0;
        if (n > 0)
            ts->raw_n += (size_t)n;
        sb_clear(&out);
        marks.n = 0;
        decode_into(ts, &out, end, &marks, 0);
        pthread_mutex_lock(&ts->mu);
        while (ts->qn == AHEAD_BLOCKS && !ts->t_quit) {
            ts->waiting = 2;
            pthread_cond_wait(&ts->cv, &ts->mu);
        }
        if (ts->t_quit) {
            pthread_mutex_unlock(&ts->mu);
            break;
        }
        int slot = (ts->qhead + ts->qn) % AHEAD_BLOCKS;
        sbuf_t emptied = ts->q[slot].text; /* handed back empty by the reader: reused */
        marks_t emptied_marks = ts->q[slot].marks;
        ts->q[slot].text = out;
        ts->q[slot].marks = marks;
        ts->q[slot].bytes = n > 0 ? (size_t)n : 0;
        out = emptied;
        marks = emptied_marks;
        ts->qn++;
        if (end) {
            ts->t_done = 1;
            ts->t_error = n < 0;
        }
        if (ts->waiting == 1) {
            ts->waiting = 0;
            pthread_cond_broadcast(&ts->cv);
        }
        pthread_mutex_unlock(&ts->mu);
        if (end)
            break;
    }
    sb_free(&out);
    VEC_FREE(marks);
    return NULL;
}

/* Starts the read-ahead thread when much of the file is left to read. */
static void ahead_start(textsrc_t *ts)
{
    ts->ahead_tried = 1;
    struct stat st;
    off_t at = lseek(ts->fd, 0, SEEK_CUR);
    if (fstat(ts->fd, &st) != 0 || at < 0 || st.st_size - at < AHEAD_MIN_BYTES)
        return;
    pthread_mutex_init(&ts->mu, NULL);
    pthread_cond_init(&ts->cv, NULL);
    if (pthread_create(&ts->th, NULL, ahead_main, ts) != 0) {
        pthread_mutex_destroy(&ts->mu);
        pthread_cond_destroy(&ts->cv);
        return;
    }
    ts->ahead = 1;
}

/* fill() from the queue: one decoded block, or 0 at end of file. */
static int fill_ahead(textsrc_t *ts)
{
    pthread_mutex_lock(&ts->mu);
    while (ts->qn == 0 && !ts->t_done) {
        ts->waiting = 1;
        pthread_cond_wait(&ts->cv, &ts->mu);
    }
    if (ts->qn == 0) {
        ts->eof = 1;
        ts->error = ts->t_error;
        pthread_mutex_unlock(&ts->mu);
        return 0;
    }
    sbuf_t *b = &ts->q[ts->qhead].text;
    marks_t *m = &ts->q[ts->qhead].marks;
    size_t bytes = ts->q[ts->qhead].bytes;
    for (size_t i = 0; i < m->n; i++)
        VEC_PUSH(ts->marks, ts->dec_base + ts->dec.n + m->items[i]);
    m->n = 0;
    sb_addn(&ts->dec, b->p ? b->p : "", b->n);
    sb_clear(b);
    ts->qhead = (ts->qhead + 1) % AHEAD_BLOCKS;
    ts->qn--;
    if (ts->waiting == 2) {
        ts->waiting = 0;
        pthread_cond_broadcast(&ts->cv);
    }
    pthread_mutex_unlock(&ts->mu);
    progress_read(bytes);
    return 1;
}

static void ahead_stop(textsrc_t *ts)
{
    if (!ts->ahead)
        return;
    pthread_mutex_lock(&ts->mu);
    ts->t_quit = 1;
    pthread_cond_broadcast(&ts->cv);
    pthread_mutex_unlock(&ts->mu);
    pthread_join(ts->th, NULL);
    pthread_mutex_destroy(&ts->mu);
    pthread_cond_destroy(&ts->cv);
    for (int i = 0; i < AHEAD_BLOCKS; i++) {
        sb_free(&ts->q[i].text);
        VEC_FREE(ts->q[i].marks);
    }
    ts->ahead = 0;
}

/* read() on the file, or a copy from the bytes in memory. */
static ssize_t src_read(textsrc_t *ts, unsigned char *buf, size_t cap)
{
    if (ts->fd < 0) {
        size_t n = ts->mem_len - ts->mem_pos < cap ? ts->mem_len - ts->mem_pos : cap;
        if (n)
            memcpy(buf, ts->mem + ts->mem_pos, n);
        ts->mem_pos += n;
        return (ssize_t)n;
    }
    ssize_t n;
    do
        n = read(ts->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    return n;
}

/* Reads one chunk; returns 0 at end of file. */
static int fill(textsrc_t *ts)
{
    if (ts->eof)
        return 0;
    if (!ts->ahead_tried && ts->fd >= 0)
        ahead_start(ts);
    if (ts->ahead)
        return fill_ahead(ts);
    ssize_t n = src_read(ts, ts->raw + ts->raw_n, READ_CHUNK);
    if (n <= 0) {
        if (n < 0)
            ts->error = 1;
        ts->eof = 1;
        decode_raw(ts, 1);
        return 0;
    }
    ts->raw_n += (size_t)n;
    progress_read((size_t)n);
    decode_raw(ts, 0);
    return 1;
}

/* UTF-8 text with a few stray bytes (a GBK line pasted in, a cut character): read as
 * UTF-8 with U+FFFD for the stray bytes, rather than as GB18030, which would garble every
 * line. GBK text almost never forms valid multi-byte UTF-8 sequences, so the test is
 * safe: at least as many valid sequences as invalid bytes. */
static int mostly_utf8(const unsigned char *b, size_t n)
{
    size_t seqs = 0, bad = 0, i = 0;
    while (i < n) {
        size_t ok = utf8_valid_prefix(b + i, n - i);
        for (size_t k = i; k < i + ok; k++)
            seqs += (b[k] & 0xC0) == 0xC0; /* a lead byte */
        i += ok;
        if (i < n)
            bad++, i++;
    }
    return seqs > 0 && seqs >= bad;
}

static enc_t guess_encoding(const unsigned char *b, size_t n, size_t *skip, size_t *valid)
{
    *skip = 0;
    *valid = 0;
    if (n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
        return *skip = 3, ENC_UTF8_BOM;
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return *skip = 2, ENC_UTF16LE;
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return *skip = 2, ENC_UTF16BE;
    size_t ok = utf8_valid_prefix(b, n);
    /* A multi-byte character cut by the sniff window is still valid UTF-8. */
    if (ok == n || (n == SNIFF_BYTES && n - ok < 4))
        return *valid = ok, ENC_UTF8;
    return mostly_utf8(b, n) ? ENC_UTF8 : ENC_GB18030;
}

/* The encoding guessed for the last file opened, by the file's identity: detection opens
 * a file, then its parser opens it again, and the second open need not read and check
 * the first 256 KiB again before the read-ahead starts. */
typedef struct {
    int set;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    enc_t enc;
    size_t skip;
} enc_memo_t;
static enc_memo_t enc_memo;

static int same_file(const struct stat *st)
{
    return enc_memo.set && enc_memo.dev == st->st_dev && enc_memo.ino == st->st_ino &&
           enc_memo.size == st->st_size && enc_memo.mtime.tv_sec == st->st_mtim.tv_sec &&
           enc_memo.mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* An encoding named by the input itself (an HTML meta charset): ours, or -1. */
static int enc_named(const char *name)
{
    if (!name)
        return -1;
    if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
        return ENC_UTF8;
    if (!strncasecmp(name, "gb", 2) || !strcasecmp(name, "cp936")) /* gb2312, gbk, gb18030 */
        return ENC_GB18030;
    if (!strcasecmp(name, "utf-16le") || !strcasecmp(name, "utf-16"))
        return ENC_UTF16LE;
    if (!strcasecmp(name, "utf-16be"))
        return ENC_UTF16BE;
    return -1;
}

/* Decides the encoding from the first got bytes in ts->raw (or the memo of this file, or
 * the name forced), sets up the converter. 0, or -1 with err. */
static int setup_encoding(textsrc_t *ts, size_t got, int known, const char *force, char *err,
                          size_t errlen)
{
    size_t skip, valid;
    struct stat st;
    if (known && got == enc_memo.skip) {
        ts->enc = enc_memo.enc;
        skip = enc_memo.skip;
        valid = 0;
    } else {
        ts->enc = guess_encoding(ts->raw, got, &skip, &valid);
        int forced = enc_named(force);
        if (forced >= 0 && (enc_t)forced != ts->enc && skip == 0) {
            ts->enc = (enc_t)forced; /* a byte-order mark outweighs a declaration */
            valid = 0;
        }
        enc_memo.set = 0;
        if (ts->fd >= 0 && !force && fstat(ts->fd, &st) == 0)
            enc_memo = (enc_memo_t){1, st.st_dev, st.st_ino, st.st_size, st.st_mtim, ts->enc, skip};
    }
    ts->known_valid = valid;
    if (ts->enc != ENC_UTF8 && ts->enc != ENC_UTF8_BOM) {
        ts->cd = iconv_open("UTF-8", ts->enc == ENC_UTF16LE   ? "UTF-16LE"
                                     : ts->enc == ENC_UTF16BE ? "UTF-16BE"
                                                              : "GB18030");
        if (ts->cd == (iconv_t)-1) {
            snprintf(err, errlen, "cannot convert from %s: %s", enc_names[ts->enc],
                     strerror(errno));
            return -1;
        }
    }
    memmove(ts->raw, ts->raw + skip, got - skip);
    ts->raw_n = got - skip;
    return 0;
}

/* The read buffer of the last text source closed, for the next one: every file is opened
 * twice (detection, then its parser), and a buffer this size is mapped and unmapped by the
 * allocator each time. One per thread, so that sources opened on two threads never share. */
static _Thread_local unsigned char *spare_raw;

static unsigned char *raw_take(void)
{
    unsigned char *p = spare_raw ? spare_raw : xmalloc(SNIFF_BYTES + READ_CHUNK);
    spare_raw = NULL;
    return p;
}

static void raw_give(unsigned char *p)
{
    if (spare_raw)
        free(p);
    else
        spare_raw = p;
}

textsrc_t *textsrc_open_blob(const blob_t *b, const char *enc, char *err, size_t errlen)
{
    int fd = -1;
    if (!b->data && (fd = blob_open_file(b->path, err, errlen)) < 0)
        return NULL;
    textsrc_t *ts = xcalloc(1, sizeof *ts);
    ts->fd = fd;
    ts->mem = b->data;
    ts->mem_len = b->data ? b->len : 0;
    ts->cd = (iconv_t)-1;
    ts->lf_at = NO_LF;
    ts->raw = raw_take();
    struct stat st;
    int known = fd >= 0 && !enc && fstat(fd, &st) == 0 && same_file(&st);
    ssize_t n, got = 0;
    size_t want = known ? enc_memo.skip : SNIFF_BYTES; /* known: only the byte-order mark */
    while ((size_t)got < want && (n = src_read(ts, ts->raw + got, want - (size_t)got)) > 0)
        got += n;
    if (setup_encoding(ts, (size_t)got, known, enc, err, errlen) != 0) {
        textsrc_close(ts);
        return NULL;
    }
    decode_raw(ts, 0);
    return ts;
}

textsrc_t *textsrc_open(const char *path, char *err, size_t errlen)
{
    blob_t b = blob_file(path);
    return textsrc_open_blob(&b, NULL, err, errlen);
}

/* Whether the text from stream offset from to to held a replacement: the marks before to
 * are used up. */
static int take_marks(textsrc_t *ts, size_t from, size_t to)
{
    int bad = 0;
    marks_t *m = &ts->marks;
    while (ts->marks_head < m->n && m->items[ts->marks_head] < to)
        bad |= m->items[ts->marks_head++] >= from;
    if (ts->marks_head == m->n) {
        m->n = ts->marks_head = 0;
    } else if (ts->marks_head > 1024 && ts->marks_head > m->n / 2) {
        memmove(m->items, m->items + ts->marks_head, (m->n - ts->marks_head) * sizeof *m->items);
        m->n -= ts->marks_head;
        ts->marks_head = 0;
    }
    return bad;
}

/* The next LF at or after dec.p + pos, NULL when none is decoded yet. Where it is (or how
 * far none is) is remembered, so that a file whose lines end in CR alone is not searched
 * to its buffer's end for an LF at every line. */
static char *next_lf(textsrc_t *ts)
{
    if (ts->lf_at != NO_LF && ts->lf_at >= ts->pos)
        return ts->dec.p + ts->lf_at;
    size_t from = ts->lf_scan > ts->pos ? ts->lf_scan : ts->pos;
    char *nl = from < ts->dec.n ? memchr(ts->dec.p + from, '\n', ts->dec.n - from) : NULL;
    ts->lf_at = nl ? (size_t)(nl - ts->dec.p) : NO_LF;
    ts->lf_scan = nl ? 0 : ts->dec.n;
    return nl;
}

/* The end of the line at start: an LF, a CRLF or a CR alone (old Mac text and some Excel
 * exports end lines in CR only). NULL when none is decoded yet, or when the buffer ends in
 * a CR that the LF of a CRLF may still follow. *skip is the bytes of the line end. */
static char *line_end(textsrc_t *ts, char *start, size_t avail, size_t *skip)
{
    char *nl = next_lf(ts);
    size_t upto = nl ? (size_t)(nl - start) : avail;
    char *cr = upto ? memchr(start, '\r', upto) : NULL;
    if (!cr) {
        *skip = nl != NULL;
        return nl;
    }
    if (cr + 1 == start + avail && !ts->eof)
        return NULL;
    *skip = cr + 1 == nl ? 2 : 1;
    return cr;
}

/* Moves the text not yet returned to the start of the decoded buffer, once half of the
 * buffer is text already returned: a long line moves a bounded number of times. */
static void compact(textsrc_t *ts)
{
    if (ts->pos == 0 || ts->pos < ts->dec.n / 2)
        return;
    memmove(ts->dec.p, ts->dec.p + ts->pos, ts->dec.n - ts->pos);
    ts->dec.n -= ts->pos;
    ts->dec_base += ts->pos;
    ts->dec.p[ts->dec.n] = 0;
    ts->lf_at = ts->lf_at != NO_LF && ts->lf_at >= ts->pos ? ts->lf_at - ts->pos : NO_LF;
    ts->lf_scan = ts->lf_scan > ts->pos ? ts->lf_scan - ts->pos : 0;
    ts->pos = 0;
}

/* The line at pos is longer than TEXT_MAX_LINE: read past its end a chunk at a time,
 * never holding it whole, and tell on_long its number and length. */
static void skip_long(textsrc_t *ts)
{
    size_t at = ts->dec_base + ts->pos, bytes = 0;
    for (;;) {
        char *start = ts->dec.p + ts->pos;
        size_t avail = ts->dec.n - ts->pos, skip = 0;
        char *eol = line_end(ts, start, avail, &skip);
        if (eol || ts->eof) {
            size_t n = eol ? (size_t)(eol - start) : avail;
            bytes += n;
            ts->pos += n + skip;
            break;
        }
        size_t keep = avail && start[avail - 1] == '\r'; /* the LF of a CRLF may follow */
        bytes += avail - keep;
        ts->pos += avail - keep;
        if (ts->marks.n)
            take_marks(ts, at, ts->dec_base + ts->pos);
        compact(ts);
        fill(ts);
    }
    if (ts->marks.n)
        take_marks(ts, at, ts->dec_base + ts->pos);
    ts->lineno++;
    ts->line_cut = 0;
    if (ts->on_long)
        ts->on_long(ts->long_ctx, ts->lineno, bytes);
}

/* The next piece of a line longer than ts->piece, cut at a character boundary. */
static const char *cut_piece(textsrc_t *ts, size_t *len, long *lineno)
{
    char *start = ts->dec.p + ts->pos;
    size_t n = ts->piece, at = ts->dec_base + ts->pos;
    while (n > 1 && ((unsigned char)start[n] & 0xC0) == 0x80)
        n--;
    sb_clear(&ts->line); /* the byte after the cut is the next piece's: a copy */
    sb_addn(&ts->line, start, n);
    ts->pos += n;
    ts->line_bad = ts->marks.n && take_marks(ts, at, ts->dec_base + ts->pos);
    if (!ts->line_cut)
        ts->lineno++;
    ts->line_cut = 1;
    *len = n;
    *lineno = ts->lineno;
    return ts->line.p;
}

/* The line is returned in place in the decoded buffer (its line end becomes the NUL): no
 * copy per line. It stays valid, and writable by this file's row sources, until the next
 * call. It holds no CR: every CR is a line end. */
const char *textsrc_line(textsrc_t *ts, size_t *len, long *lineno)
{
    size_t limit = ts->piece ? ts->piece : TEXT_MAX_LINE;
    for (;;) {
        char *start = ts->dec.p ? ts->dec.p + ts->pos : NULL;
        size_t avail = ts->dec.n - ts->pos, skip = 0;
        char *eol = start ? line_end(ts, start, avail, &skip) : NULL;
        size_t upto = eol ? (size_t)(eol - start) : avail;
        if (upto > limit) {
            if (ts->piece)
                return cut_piece(ts, len, lineno);
            skip_long(ts);
            continue;
        }
        if (eol || (ts->eof && avail > 0)) {
            size_t at = ts->dec_base + ts->pos;
            start[upto] = 0; /* at end of file dec.p[dec.n] is the NUL */
            ts->pos += upto + skip;
            ts->line_bad = ts->marks.n && take_marks(ts, at, ts->dec_base + ts->pos);
            if (!ts->line_cut)
                ts->lineno++;
            ts->line_cut = 0;
            *len = upto; /* NUL bytes were made blanks as the buffer was decoded */
            *lineno = ts->lineno;
            return start;
        }
        if (ts->eof)
            return NULL;
        compact(ts);
        fill(ts);
    }
}

void textsrc_pieces(textsrc_t *ts, size_t piece)
{
    ts->piece = piece;
}

void textsrc_on_long(textsrc_t *ts, void (*fn)(void *ctx, long line, size_t bytes), void *ctx)
{
    ts->on_long = fn;
    ts->long_ctx = ctx;
}

int textsrc_line_cut(const textsrc_t *ts)
{
    return ts->line_cut;
}

const char *textsrc_encoding(const textsrc_t *ts)
{
    return enc_names[ts->enc];
}

int textsrc_error(const textsrc_t *ts)
{
    return ts->error;
}

int textsrc_line_bad(const textsrc_t *ts)
{
    return ts->line_bad;
}

void textsrc_close(textsrc_t *ts)
{
    if (!ts)
        return;
    ahead_stop(ts);
    if (ts->cd != (iconv_t)-1)
        iconv_close(ts->cd);
    if (ts->fd >= 0)
        close(ts->fd);
    raw_give(ts->raw);
    sb_free(&ts->dec);
    sb_free(&ts->line);
    VEC_FREE(ts->marks);
    VEC_FREE(ts->chunk);
    free(ts);
}

/* ---- CSV and line row sources ---- */

typedef struct {
    rowsrc_t base;
    textsrc_t *ts;
    rs_mode_t mode;
    struct csv_parser csv;
    sbuf_t cellbuf;      /* cell texts, NUL-separated */
    VEC(size_t) offsets; /* start of each cell in cellbuf */
    VEC(char *) cells;
    VEC(unsigned char) flags;
    sbuf_t raw; /* the physical lines of the current record */
    long first_line;
    int record_done;
    int pending; /* lines fed since the last record */
    int broken;  /* a line of the pending record was too long (skipped): drop the record */
    int damaged; /* a line of the current record held undecodable bytes */
    char delim;
} textrows_t;

static void on_field(void *s, size_t len, void *data)
{
    textrows_t *t = data;
    sbuf_t *b = &t->cellbuf;
    VEC_PUSH(t->offsets, b->n);
    if (b->n + len + 2 > b->cap) { /* grows; afterwards a field is one copy */
        if (s)
            sb_addn(b, s, len);
        sb_addc(b, 0);
        return;
    }
    if (s)
        memcpy(b->p + b->n, s, len);
    b->p[b->n + len] = 0;
    b->n += len + 1;
    b->p[b->n] = 0;
}

/* str_trim, skipped when the cell of length n can have nothing to trim: its first
 * byte starts no blank (space, TAB, CR, LF, NBSP C2 A0, U+3000 E3 80 80) and its last
 * byte ends none. */
static char *trim_cell(char *c, size_t n)
{
    unsigned char f = (unsigned char)c[0], l = n ? (unsigned char)c[n - 1] : 0;
    if (n && f != ' ' && f != '\t' && f != '\r' && f != '\n' && f != 0xC2 && f != 0xE3 &&
        l != ' ' && l != '\t' && l != '\r' && l != '\n' && l != 0xA0 && l != 0x80)
        return c;
    return str_trim(c);
}

static void on_record(int c, void *data)
{
    (void)c;
    ((textrows_t *)data)->record_done = 1;
}

/* Hands the collected cells over as row, trailing empty cells dropped; 0 when none is
 * left (a blank record, skipped). */
static int finish_row(textrows_t *t, row_t *row, const char *raw)
{
    int n = (int)t->cells.n;
    while (n > 0 && !*t->cells.items[n - 1])
        n--;
    row->cells = t->cells.items;
    row->flags = t->flags.items;
    row->n = n;
    row->line = t->first_line;
    row->raw = raw;
    row->damaged = t->damaged;
    return n > 0;
}

/* Builds row from the collected cells: trimmed, trailing empty cells dropped. */
static int build_row(textrows_t *t, row_t *row, const char *raw)
{
    t->cells.n = t->flags.n = 0;
    for (size_t i = 0; i < t->offsets.n; i++) {
        size_t off = t->offsets.items[i];
        size_t end = i + 1 < t->offsets.n ? t->offsets.items[i + 1] - 1 : t->cellbuf.n - 1;
        char *cell = trim_cell(t->cellbuf.p + off, end - off);
        VEC_PUSH(t->cells, cell);
        VEC_PUSH(t->flags, 0);
    }
    return finish_row(t, row, raw ? raw : "");
}

static void reset_record(textrows_t *t)
{
    sb_clear(&t->cellbuf);
    t->offsets.n = 0;
    sb_clear(&t->raw);
    t->record_done = 0;
    t->pending = 0;
}

/* A line without any quote character, when no record spans lines, is split at its
 * delimiters here: libcsv would give exactly these fields (unquoted, only its trimming
 * of spaces differs, and every cell is trimmed anyway) at the cost of a state-machine
 * step per byte. Every line with a quote, and every line of a record that spans lines,
 * goes through libcsv. */
/* Bytes of w equal to c flagged (0x80); the lowest flag is always a true match. */
static inline uint64_t bytes_eq(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (0x0101010101010101ull * c);
    return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

/* The first delimiter or quote in [p, end), else end: eight bytes at a time. */
static char *next_special(char *p, char *end, unsigned char d)
{
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t m = bytes_eq(w, d) | bytes_eq(w, '"');
        if (m) {
            /* The lowest flag is the first match in memory order on a little-endian CPU. */
            uint16_t one = 1;
            unsigned char le;
            memcpy(&le, &one, 1);
            if (le)
                return p + (__builtin_ctzll(m) >> 3);
            break;
        }
        p += 8;
    }
    while (p < end && *p != (char)d && *p != '"')
        p++;
    return p;
}

static int split_plain(textrows_t *t, char *line, size_t len, row_t *row)
{
    sbuf_t *b = &t->cellbuf; /* empty here: the line is copied once, cut at delimiters */
    sb_addn(b, line, len);
    char *c = b->p, *end = b->p + len, *f = c, d = t->delim;
    t->cells.n = 0;
    for (char *p = c; (p = next_special(p, end, (unsigned char)d)) < end; p++) {
        if (*p == d) {
            *p = 0;
            VEC_PUSH(t->cells, trim_cell(f, (size_t)(p - f)));
            f = p + 1;
        } else {
            return -1; /* quoted after all: libcsv's */
        }
    }
    VEC_PUSH(t->cells, trim_cell(f, (size_t)(end - f)));
    if (t->flags.cap < t->cells.n) { /* text cells carry no flags: zeros, grown once */
        t->flags.cap = t->cells.cap;
        t->flags.items = xrealloc(t->flags.items, t->flags.cap);
    }
    memset(t->flags.items, 0, t->cells.n);
    t->flags.n = t->cells.n;
    return finish_row(t, row, line);
}

static size_t count_quotes(const char *p, size_t n)
{
    size_t q = 0;
    for (const char *e = p + n; (p = memchr(p, '"', (size_t)(e - p))) != NULL; p++)
        q++;
    return q;
}

/* The pending record (a quoted field over lines) passed TEXT_MAX_LINE: libcsv would hold
 * it whole. Read past it instead: its end is the first line end after which its quotes
 * pair up (a quote inside a quoted field is written twice); without one, the end of the
 * file. Reported at its first line and counted, never returned. */
static void skip_record(textrows_t *t)
{
    size_t quotes = count_quotes(t->raw.p, t->raw.n), bytes = t->raw.n, len;
    long lines = t->pending, no;
    const char *line = "";
    while (quotes % 2 && (line = textsrc_line(t->ts, &len, &no)) != NULL) {
        quotes += count_quotes(line, len);
        bytes += len + 1;
        lines++;
    }
    csv_fini(&t->csv, NULL, NULL, NULL); /* its state back to a record's start */
    if (line)
        rowsrc_skipped(&t->base, t->first_line,
                       "record of %ld lines longer than %d bytes (%zu), skipped", lines,
                       TEXT_MAX_LINE, bytes);
    else
        rowsrc_skipped(&t->base, t->first_line,
                       "a quote opened here never closes; the %ld line(s) to the end of the "
                       "file hold more than %d bytes, skipped",
                       lines, TEXT_MAX_LINE);
    reset_record(t);
}

/* textsrc_on_long: a line too long to hold was read past. */
static void on_long_line(void *ctx, long line, size_t bytes)
{
    textrows_t *t = ctx;
    if (t->pending) { /* the record it was a line of cannot be read either */
        rowsrc_skipped(&t->base, t->first_line,
                       "record whose line %ld is longer than %d bytes (%zu), skipped", line,
                       TEXT_MAX_LINE, bytes);
        t->broken = 1;
        return;
    }
    rowsrc_skipped(&t->base, line, "line longer than %d bytes (%zu), skipped", TEXT_MAX_LINE,
                   bytes);
}

/* Hot path: a one-line record (nearly all of them) is cited from the decoded line in
 * place; only records spanning lines are copied into t->raw. No allocation per row
 * once the buffers have grown. */
static int csv_next(rowsrc_t *rs, row_t *row)
{
    textrows_t *t = (textrows_t *)rs;
    size_t len;
    long no;
    const char *cline;
    reset_record(t);
    while ((cline = textsrc_line(t->ts, &len, &no)) != NULL) {
        char *line = (char *)cline; /* our own decoded buffer, writable */
        if (t->broken) {
            csv_fini(&t->csv, NULL, NULL, NULL);
            reset_record(t);
            t->broken = 0;
        }
        int bad = textsrc_line_bad(t->ts);
        t->damaged = t->pending ? t->damaged | bad : bad;
        if (!t->pending) {
            t->first_line = no;
            int rc = split_plain(t, line, len, row);
            if (rc > 0) {
                progress_row();
                return 1;
            }
            reset_record(t);
            if (rc == 0)
                continue; /* blank, or only empty cells: skipped, as libcsv's would be */
        }
        if (!t->pending)
            t->first_line = no;
        t->pending++;
        line[len] = '\n'; /* the line's end, fed with it in one call */
        csv_parse(&t->csv, line, len + 1, on_field, on_record, t);
        line[len] = 0;
        if (t->record_done) {
            const char *raw = line;
            if (t->pending > 1) {
                sb_addc(&t->raw, '\n');
                sb_addn(&t->raw, line, len);
                raw = t->raw.p;
            }
            if (build_row(t, row, raw)) {
                progress_row();
                return 1;
            }
            reset_record(t);
        } else if (t->pending == 1 && !t->offsets.n && strspn(line, " \t") == len) {
            reset_record(t); /* a blank line: skipped, but counted */
        } else {
            /* The record goes on: keep this line, the next call may move the buffer. */
            if (t->pending > 1)
                sb_addc(&t->raw, '\n');
            sb_addn(&t->raw, line, len);
            if (t->raw.n > TEXT_MAX_LINE)
                skip_record(t);
        }
    }
    if (t->broken) {
        csv_fini(&t->csv, NULL, NULL, NULL);
        reset_record(t);
        t->broken = 0;
    }
    if (t->pending) {
        /* A quote still open at the end swallowed the lines after it: say so (reported
         * once the parser has the row), never lose them silently. */
        rs->err_line = t->first_line;
        snprintf(rs->err, sizeof rs->err,
                 "a quote opened here never closes; %d line(s) to the end of the file were read "
                 "as one row",
                 t->pending);
        csv_fini(&t->csv, on_field, on_record, t);
        if (t->offsets.n && build_row(t, row, t->raw.p)) {
            t->pending = 0;
            return 1;
        }
    }
    if (textsrc_error(t->ts)) {
        snprintf(rs->err, sizeof rs->err, "read error");
        return -1;
    }
    return 0;
}

/* textsrc_on_long of the line source (contract text). */
static void on_long_prose(void *ctx, long line, size_t bytes)
{
    rowsrc_skipped(ctx, line, "line longer than %d bytes (%zu), skipped", TEXT_MAX_LINE, bytes);
}

static int lines_next(rowsrc_t *rs, row_t *row)
{
    textrows_t *t = (textrows_t *)rs;
    size_t len;
    long no;
    const char *line;
    while ((line = textsrc_line(t->ts, &len, &no)) != NULL) {
        sb_clear(&t->raw);
        sb_addn(&t->raw, line, len);
        sb_clear(&t->cellbuf);
        sb_addn(&t->cellbuf, line, len);
        str_trim(t->cellbuf.p);
        if (!*t->cellbuf.p)
            continue;
        t->cells.n = t->flags.n = 0;
        VEC_PUSH(t->cells, t->cellbuf.p);
        VEC_PUSH(t->flags, 0);
        row->cells = t->cells.items;
        row->flags = t->flags.items;
        row->n = 1;
        row->line = no;
        row->raw = t->raw.p;
        row->damaged = textsrc_line_bad(t->ts);
        return 1;
    }
    return textsrc_error(t->ts) ? -1 : 0;
}

static void text_close(rowsrc_t *rs)
{
    textrows_t *t = (textrows_t *)rs;
    textsrc_close(t->ts);
    csv_free(&t->csv);
    sb_free(&t->cellbuf);
    sb_free(&t->raw);
    VEC_FREE(t->offsets);
    VEC_FREE(t->cells);
    VEC_FREE(t->flags);
    free(t);
}

static unsigned char delim_of(int utf16, int tabs, int commas)
{
    return utf16 || (tabs && !commas) ? '\t' : ',';
}

/* The delimiter decided from the first 60 lines already decoded in ts, without
 * consuming them; 0 when they are not all in the buffer yet. A line ends as for
 * textsrc_line: LF, CRLF or CR. */
static unsigned char peek_delim(textsrc_t *ts)
{
    int tabs = 0, commas = 0, utf16 = str_starts(textsrc_encoding(ts), "UTF-16");
    const char *p = ts->dec.p ? ts->dec.p + ts->pos : "", *end = p + (ts->dec.n - ts->pos);
    const char *lf = NULL; /* the next LF at or after p (end when none): found once */
    for (int i = 0; i < 60 && p < end; i++) {
        if ((!lf || lf < p) && !(lf = memchr(p, '\n', (size_t)(end - p))))
            lf = end;
        const char *cr = memchr(p, '\r', (size_t)(lf - p));
        const char *e = cr ? cr : lf;
        if (e == end && !ts->eof)
            return 0; /* a line cut by the buffer: ask textsrc_line */
        tabs += memchr(p, '\t', (size_t)(e - p)) != NULL;
        commas += memchr(p, ',', (size_t)(e - p)) != NULL;
        p = e == end ? end : e + 1 + (cr && cr + 1 == lf);
    }
    if (p >= end && !ts->eof)
        return 0; /* fewer than 60 lines decoded so far */
    return delim_of(utf16, tabs, commas);
}

/* Tab-separated for UTF-16 text and when the first 60 lines hold tabs
 * but no comma. */
static unsigned char choose_delim(const blob_t *b, char *err, size_t errlen)
{
    textsrc_t *ts = textsrc_open_blob(b, NULL, err, errlen);
    if (!ts)
        return ',';
    int tabs = 0, commas = 0, utf16 = str_starts(textsrc_encoding(ts), "UTF-16");
    size_t len;
    long no;
    const char *line;
    for (int i = 0; i < 60 && (line = textsrc_line(ts, &len, &no)) != NULL; i++) {
        tabs += memchr(line, '\t', len) != NULL;
        commas += memchr(line, ',', len) != NULL;
    }
    textsrc_close(ts);
    return delim_of(utf16, tabs, commas);
}

static int space_only(unsigned char c)
{
    return c == ' ';
}

/* The text container's one table: the whole file. */
static rowsrc_t *text_open(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen)
{
    if (table > 0) {
        err[0] = 0; /* a text file is one table */
        return NULL;
    }
    textsrc_t *ts = textsrc_open_blob(b, NULL, err, errlen);
    if (!ts)
        return NULL;
    unsigned char delim = ',';
    if (mode == RS_CELLS) {
        /* Decode until the first 60 lines are in (they are not yet when the encoding was
         * known from detection), without consuming them. */
        while ((delim = peek_delim(ts)) == 0 && !ts->eof && ts->dec.n - ts->pos < SNIFF_BYTES)
            fill(ts);
        if (delim == 0)
            delim = choose_delim(b, err, errlen); /* very long first lines: read them */
    }
    textrows_t *t = xcalloc(1, sizeof *t);
    t->ts = ts;
    t->mode = mode;
    t->base.container = &container_text;
    snprintf(t->base.encoding, sizeof t->base.encoding, "%s", textsrc_encoding(ts));
    snprintf(t->base.label, sizeof t->base.label, "%s",
             mode == RS_LINES ? "text"
             : delim == '\t'  ? "tsv"
                              : "csv");
    t->base.delim = mode == RS_CELLS ? (char)delim : 0;
    t->base.next = mode == RS_CELLS ? csv_next : lines_next;
    t->base.close = text_close;
    if (mode == RS_CELLS)
        textsrc_on_long(ts, on_long_line, t);
    else
        textsrc_on_long(ts, on_long_prose, &t->base);
    csv_init(&t->csv, 0);
    csv_set_blk_size(&t->csv, 1 << 16); /* the default 128-byte growth is quadratic on huge cells */
    csv_set_delim(&t->csv, delim);
    t->delim = (char)delim;
    if (delim == '\t')
        csv_set_space_func(&t->csv, space_only);
    return &t->base;
}

/* Whatever no other container claimed (containers[] ends with it). */
static int text_sniff(const blob_t *b, const unsigned char *head, size_t n, char *why,
                      size_t whylen)
{
    (void)b, (void)head, (void)n, (void)why, (void)whylen;
    return 1;
}

const container_t container_text = {"text", text_sniff, text_open, NULL, 1};

struct rowfix {
    sbuf_t raw;
    VEC(char *) cells;
};

static void rowfix_clear(struct rowfix *f)
{
    for (size_t i = 0; i < f->cells.n; i++)
        free(f->cells.items[i]);
    f->cells.n = 0;
    sb_clear(&f->raw);
}

static int row_valid(const row_t *row)
{
    if (row->raw && !utf8_valid(row->raw, strlen(row->raw)))
        return 0;
    for (int i = 0; i < row->n; i++)
        if (row->cells[i] && !utf8_valid(row->cells[i], strlen(row->cells[i])))
            return 0;
    return 1;
}

void rowsrc_check_utf8(rowsrc_t *rs, row_t *row)
{
    if (rs->container == &container_text || row_valid(row))
        return;
    struct rowfix *f = rs->fix ? rs->fix : (rs->fix = xcalloc(1, sizeof *rs->fix));
    rowfix_clear(f);
    for (int i = 0; i < row->n; i++) {
        sbuf_t c = {0};
        sb_add_utf8_repaired(&c, row->cells[i] ? row->cells[i] : "");
        VEC_PUSH(f->cells, sb_take(&c));
    }
    row->cells = f->cells.items; /* the parser's own array is left as it was */
    if (row->raw) {
        sb_add_utf8_repaired(&f->raw, row->raw);
        row->raw = f->raw.p;
    }
    row->damaged = 1;
}

void rowsrc_close(rowsrc_t *rs)
{
    if (!rs)
        return;
    void *owned = rs->owned;
    struct rowfix *fix = rs->fix;
    rs->close(rs);
    free(owned);
    if (fix) {
        rowfix_clear(fix);
        VEC_FREE(fix->cells);
        sb_free(&fix->raw);
        free(fix);
    }
}

const char *rowsrc_charset(const rowsrc_t *rs)
{
    if (!strcmp(rs->encoding, "GB18030"))
        return "GBK"; /* what users call it; GB18030 is the superset decoded */
    if (str_starts(rs->encoding, "UTF-16"))
        return "UTF-16";
    return "UTF-8"; /* UTF-8 text, and the XML of a workbook */
}

void rowsrc_note_damage(rowsrc_t *rs, const row_t *row)
{
    if (++rs->damaged <= DAMAGE_LISTED && rs->report)
        diag(rs->report, row->line, "invalid %s sequence", rowsrc_charset(rs));
}

void rowsrc_skipped(rowsrc_t *rs, long line, const char *fmt, ...)
{
    if (++rs->oversize > DAMAGE_LISTED || !rs->report)
        return;
    va_list ap;
    va_start(ap, fmt);
    vdiag(rs->report, line, fmt, ap);
    va_end(ap);
}

const char *rowsrc_join(sbuf_t *out, char *const *cells, int n)
{
    sb_clear(out);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_addc(out, '\t');
        size_t from = out->n;
        sb_add(out, cells[i]);
        for (size_t k = from; k < out->n; k++)
            if (out->p[k] == '\t' || out->p[k] == '\n' || out->p[k] == '\r')
                out->p[k] = ' ';
    }
    sb_reserve(out, 0);
    out->p[out->n] = 0;
    return out->p;
}
