/* PDF with a text layer through poppler's GLib interface: the
 * words of each page with their boxes go to src/wordtable.c, which makes rows of cells
 * (rows by baseline, cells by the header's columns, wrapped cells rejoined, page
 * furniture and the closing 说明 text dropped); prose (a contract) comes out line by line
 * from the same layout (lines by baseline, page numbers dropped).
 * A row's line is its page and its number on the page (line_paged: "p3:12").
 *
 * Refused, never guessed: a document with no text on a page that has images (a scan),
 * one that needs a password to open, one poppler cannot parse. Limits against hostile
 * input: the pages read, the characters of one page and of the whole document (a page
 * of 10^6 tiny glyphs, 4·10^4 pages sharing one content stream); past one, reading stops
 * with a message naming the limit. */
#include "container.h"
#include "rowsrc.h"
#include "util.h"
#include "wordtable.h"
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- limits ---- */
#define PDF_MAX_BYTES (256UL << 20) /* a member held in memory */
#define PDF_MAX_PAGES 30000 /* a 1 M-row 详单 at 40 rows a page is 25 000 pages */
#define PDF_MAX_PAGE_CHARS 60000  /* a dense 详单 page at 6 pt holds under 20 000 */
#define PDF_MAX_CHARS (80L << 20) /* the whole document: ~2 M table rows */

typedef struct {
    rowsrc_t rs; /* first: the rowsrc_t interface */
    PopplerDocument *doc;
    GBytes *bytes;
    rs_mode_t mode;
    int npages, page;  /* page: the next to read, 0-based */
    PopplerPage *held; /* the first page with text, opened by text_layer: its text is made
                          once (poppler builds a page's text at each new page object) */
    int held_at;
    long chars; /* characters read so far */
    wordtable *wt;
    size_t row; /* next row of wt to give */
    char **cells;
    int ncap;
    sbuf_t raw;
} pdf_t;

/* poppler reports damaged objects on the "Poppler" log domain; the reader says what
 * matters once, in the error it returns. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain, (void)level, (void)msg, (void)data;
}

static void pdf_close(rowsrc_t *rs)
{
    pdf_t *p = (pdf_t *)rs;
    wt_free(p->wt);
    free(p->cells);
    sb_free(&p->raw);
    if (p->held)
        g_object_unref(p->held);
    if (p->doc)
        g_object_unref(p->doc);
    if (p->bytes)
        g_bytes_unref(p->bytes);
    free(p);
}

static int fail(pdf_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(pdf_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->rs.err, sizeof p->rs.err, fmt, ap);
    va_end(ap);
    return -1;
}

static int has_images(PopplerPage *pg)
{
    GList *m = poppler_page_get_image_mapping(pg);
    int any = m != NULL;
    poppler_page_free_image_mapping(m);
    return any;
}

static int is_space(gunichar c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000;
}

/* The words of a page: runs of characters between white space, each with the union of
 * its characters' boxes (poppler gives one box per character of the page text). */
static void page_words(pdf_t *p, const char *text, const PopplerRectangle *r, guint n, int page)
{
    sbuf_t w = {0};
    wt_word cur = {NULL, 0, 0, 0, 0, page, -1};
    const char *s = text;
    for (guint i = 0; i <= n && s; i++) {
        gunichar c = i < n && *s ? g_utf8_get_char(s) : ' ';
        const char *next = i < n && *s ? g_utf8_next_char(s) : NULL;
        /* a gap, or a jump back or down, inside a run: poppler put two cells together */
        double h = cur.y1 - cur.y0;
        int apart = w.n && i < n &&
                    (r[i].x1 > cur.x1 + 0.3 * h || r[i].x1 < cur.x0 || r[i].y1 > cur.y1 + h);
        if ((is_space(c) || apart) && w.n) {
            cur.text = w.p;
            wt_add(p->wt, &cur);
            sb_clear(&w);
        }
        if (!is_space(c) && i < n) {
            if (!w.n)
                cur.x0 = r[i].x1 < r[i].x2 ? r[i].x1 : r[i].x2, cur.y0 = r[i].y1, cur.x1 = cur.x0,
                cur.y1 = r[i].y2;
            sb_addn(&w, s, (size_t)(next - s));
            cur.x1 = r[i].x2 > cur.x1 ? r[i].x2 : cur.x1;
            cur.y0 = r[i].y1 < cur.y0 ? r[i].y1 : cur.y0;
            cur.y1 = r[i].y2 > cur.y1 ? r[i].y2 : cur.y1;
        }
        s = next;
    }
    sb_free(&w);
}

/* The text of page i and the boxes of its characters, within the limits; 0 when the page
 * has no text (then -1 if it is a scan), -1 on a limit with the message set. */
static int page_text(pdf_t *p, PopplerPage *pg, char **text, PopplerRectangle **r, guint *n)
{
    *text = NULL, *r = NULL, *n = 0;
    if (!poppler_page_get_text_layout(pg, r, n) || *n == 0) {
        g_free(*r);
        *r = NULL;
        if (has_images(pg))
            return fail(p, "page %d has no text layer (a scan); not read from there", p->page + 1);
        return 0;
    }
    if (*n > PDF_MAX_PAGE_CHARS || p->chars + *n > PDF_MAX_CHARS) {
        g_free(*r);
        *r = NULL;
        return *n > PDF_MAX_PAGE_CHARS
                   ? fail(p, "page %d holds over %d characters (a bomb?); not read from there",
                          p->page + 1, PDF_MAX_PAGE_CHARS)
                   : fail(p,
                          "page %d: the document holds over %ld characters (a bomb?); not "
                          "read from there",
                          p->page + 1, PDF_MAX_CHARS);
    }
    p->chars += *n;
    *text = poppler_page_get_text(pg);
    if (!*text || g_utf8_strlen(*text, -1) < (glong)*n) {
        g_free(*text), g_free(*r);
        *text = NULL, *r = NULL;
        return fail(p, "page %d: its text and its layout disagree; not read", p->page + 1);
    }
    return 1;
}

/* Reads the next page into the word table. 1 = read, 0 = no page left. */
static int next_page(pdf_t *p)
{
    if (p->page >= p->npages)
        return 0;
    if (p->page >= PDF_MAX_PAGES)
        return fail(p, "over %d pages; the rest not read", PDF_MAX_PAGES);
    PopplerPage *pg = p->held && p->held_at == p->page ? g_object_ref(p->held)
                                                       : poppler_document_get_page(p->doc, p->page);
    if (!pg)
        return fail(p, "page %d cannot be read (a damaged file?)", p->page + 1);
    char *text;
    PopplerRectangle *r;
    guint n;
    int rc = page_text(p, pg, &text, &r, &n);
    if (rc > 0) {
        page_words(p, text, r, n, p->page + 1);
        wt_end_page(p->wt);
    }
    g_free(text), g_free(r);
    g_object_unref(pg);
    if (p->held && p->held_at == p->page) {
        g_object_unref(p->held);
        p->held = NULL;
    }
    p->page++;
    return rc < 0 ? -1 : 1;
}

static void give(pdf_t *p, row_t *row, char **cells, int n, int page, long line)
{
    int last = 0;
    for (int i = 0; i < n; i++)
        if (cells[i][0])
            last = i + 1;
    row->cells = cells;
    row->flags = NULL;
    row->n = last;
    row->line = line_paged(page, line);
    row->raw = rowsrc_join(&p->raw, cells, last);
}

static int pdf_next(rowsrc_t *rs, row_t *row)
{
    pdf_t *p = (pdf_t *)rs;
    for (;;) {
        if (p->row < wt_nrows(p->wt)) {
            const wt_row *r = wt_row_at(p->wt, p->row++);
            if (r->ncells > (size_t)p->ncap) {
                p->ncap = (int)r->ncells;
                p->cells = xrealloc(p->cells, (size_t)p->ncap * sizeof *p->cells);
            }
            memcpy(p->cells, r->cells, r->ncells * sizeof *p->cells);
            give(p, row, p->cells, (int)r->ncells, r->page, r->line);
            if (row->n)
                return 1;
            continue;
        }
        wt_drop_rows(p->wt);
        p->row = 0;
        int rc = next_page(p);
        if (rc <= 0)
            return rc;
    }
}

/* Opens the document: b's bytes, or its file. NULL with the reason. */
static PopplerDocument *open_doc(pdf_t *p, const blob_t *b, char *err, size_t errlen)
{
    GError *ge = NULL;
    PopplerDocument *doc = NULL;
    if (b->data) {
        p->bytes = g_bytes_new_static(b->data, b->len);
        doc = poppler_document_new_from_bytes(p->bytes, NULL, &ge);
    } else {
        int fd = blob_open_file(b->path, err, errlen);
        if (fd < 0)
            return NULL;
        doc = poppler_document_new_from_fd(fd, NULL, &ge); /* takes fd */
    }
    if (!doc) {
        if (ge && ge->domain == POPPLER_ERROR && ge->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(err, errlen, "an encrypted PDF that needs a password to open; not read");
        else
            snprintf(err, errlen, "not a readable PDF (damaged or truncated?); not read");
    }
    if (ge)
        g_error_free(ge);
    return doc;
}

/* The first page that has text decides: none, and images on a page: a scan. */
static int text_layer(pdf_t *p, char *err, size_t errlen)
{
    int scan = 0;
    for (int i = 0; i < p->npages && i < PDF_MAX_PAGES; i++) {
        PopplerPage *pg = poppler_document_get_page(p->doc, i);
        if (!pg)
            continue;
        char *t = poppler_page_get_text(pg);
        int text = t && *t && strspn(t, " \t\r\n") < strlen(t);
        if (!text)
            scan = scan || has_images(pg);
        g_free(t);
        if (text) {
            p->held = pg, p->held_at = i;
            return 1;
        }
        g_object_unref(pg);
        if (scan)
            break;
    }
    snprintf(err, errlen, "%s",
             scan ? "no text layer (a scan); not read" : "no text in the PDF; not read");
    return 0;
}

static rowsrc_t *pdf_open(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen)
{
    err[0] = 0;
    if (table > 0)
        return NULL; /* one table per document: err "" ends the search */
    if (b->data && b->len > PDF_MAX_BYTES) {
        snprintf(err, errlen, "over the %lu MiB this container reads", PDF_MAX_BYTES >> 20);
        return NULL;
    }
    static int quieted;
    if (!quieted++)
        g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet, NULL);
    pdf_t *p = xcalloc(1, sizeof *p);
    p->rs.next = pdf_next;
    p->rs.close = pdf_close;
    p->rs.container = &container_pdf;
    p->mode = mode;
    snprintf(p->rs.encoding, sizeof p->rs.encoding, "PDF");
    p->doc = open_doc(p, b, err, errlen);
    if (!p->doc)
        goto fail;
    p->npages = poppler_document_get_n_pages(p->doc);
    snprintf(p->rs.label, sizeof p->rs.label, "pdf p1–%d", p->npages);
    if (p->npages <= 0) {
        snprintf(err, errlen, "a PDF without pages; not read");
        goto fail;
    }
    if (!text_layer(p, err, errlen))
        goto fail;
    p->wt = wt_new();
    if (mode == RS_LINES)
        wt_set_prose(p->wt); /* a contract: its lines, read in the same layout */
    return &p->rs;
fail:
    pdf_close(&p->rs);
    return NULL;
}

static int pdf_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b, (void)why, (void)whylen;
    return n >= 5 && !memcmp(h, "%PDF-", 5);
}

const container_t container_pdf = {"pdf", pdf_sniff, pdf_open, NULL, 1};
