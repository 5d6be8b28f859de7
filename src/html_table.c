/* HTML tables: a web page saved by a browser, or an HTML table a web
 * back end serves as an .xls. Each <table> of the page, in document order, is one table of
 * the container; detection tries them in turn, so the first whose header matches a
 * signature is read. Cells are placed like merged cells: a cell with rowspan/colspan
 * holds its text in its top-left position only, the positions it covers stay empty.
 * <br> and block elements are a space, runs of white space one space, entities decoded
 * (libxml2's HTML parser). A row's line is its row number in the table (1-based, the
 * header included).
 *
 * The page is decoded to UTF-8 first (the <meta charset> / http-equiv name, else the
 * bytes, as any text: rowsrc.c) and fed to libxml2's push parser chunk by chunk as the
 * rows are read: memory is bounded by the chunk and the table's width, not by the file.
 *
 * Limits against hostile pages: elements nested deeper than HTML_MAX_DEPTH, a table wider
 * than HTML_MAX_COLS, a cell longer than HTML_MAX_CELL and a file over HTML_MAX_BYTES are
 * refused with a message (never cut short silently). */
#include "container.h"
#include "rowsrc.h"
#include "util.h"
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- limits ---- */
#define HTML_MAX_BYTES (256UL << 20) /* a page: re-parsed once per table tried */
#define HTML_MAX_DEPTH 4096          /* elements open at once */
#define HTML_MAX_COLS 1024           /* positions in one row, spans included */
#define HTML_MAX_COLSPAN 1000        /* HTML's own limits on the attributes */
#define HTML_MAX_ROWSPAN 65534
#define HTML_MAX_CELL (1UL << 20) /* bytes of text in one cell */
#define HTML_CHUNK (64 << 10)     /* bytes fed to the parser at once */
#define HTML_PRESCAN (64 << 10)   /* bytes searched for the meta charset */

typedef struct {
    int col;
    size_t off; /* its text in html_t.text */
} hcell_t;

typedef struct {
    long line;
    size_t first, n; /* its cells in html_t.qcells */
} hrow_t;

typedef struct {
    rowsrc_t rs; /* first: the rowsrc_t interface */
    textsrc_t *ts;
    int saw_bad; /* a line of the page held undecodable bytes */
    htmlParserCtxtPtr ctxt;
    int target;  /* the table wanted (0-based, document order) */
    int tables;  /* <table> start tags seen */
    int open;    /* tables open now */
    int level;   /* open tables when the target started; 0 before */
    int depth;   /* elements open now */
    int ended;   /* the target table closed, or the page ended */
    int fed_all; /* the whole page went to the parser */
    int in_row, in_cell, space;
    long line; /* rows of the target table so far */
    int col;   /* the next free position of the row being read */
    int cell_col, cell_cols, cell_rows;
    long until[HTML_MAX_COLS]; /* per position: the last row a rowspan above covers */
    sbuf_t cell;               /* the text of the cell being read */
    size_t row_first;          /* the cells of the row being read start here in qcells */
    VEC(hcell_t) qcells;       /* cells of the finished rows not yet returned */
    VEC(hrow_t) qrows;
    size_t qpos;
    sbuf_t text; /* their texts, NUL-separated */
    char **cells;
    char blank[1];
    sbuf_t raw, feed;
} html_t;

static void stop(html_t *h, const char *fmt, long a)
{
    if (!h->rs.err[0])
        snprintf(h->rs.err, sizeof h->rs.err, fmt, a);
    h->ended = 1;
    xmlStopParser(h->ctxt);
}

static int attr_int(const xmlChar **atts, const char *name, int lo, int hi)
{
    for (int i = 0; atts && atts[i]; i += 2)
        if (!strcasecmp((const char *)atts[i], name) && atts[i + 1]) {
            long v = strtol((const char *)atts[i + 1], NULL, 10);
            return v < lo ? lo : v > hi ? hi : (int)v; /* rowspan="0": as 1 */
        }
    return lo;
}

/* ---- the target table's rows and cells ---- */

static void cell_end(html_t *h)
{
    if (!h->in_cell)
        return;
    h->in_cell = 0;
    sb_addc(&h->cell, 0);
    str_trim(h->cell.p);
    if (h->cell.p[0]) {
        hcell_t c = {h->cell_col, h->text.n};
        sb_addn(&h->text, h->cell.p, strlen(h->cell.p) + 1);
        VEC_PUSH(h->qcells, c);
    }
    sb_clear(&h->cell);
}

static void row_end(html_t *h)
{
    cell_end(h);
    if (!h->in_row)
        return;
    h->in_row = 0;
    size_t n = h->qcells.n - h->row_first;
    if (n) { /* blank rows are skipped, but counted */
        hrow_t r = {h->line, h->row_first, n};
        VEC_PUSH(h->qrows, r);
    }
}

static void row_start(html_t *h)
{
    row_end(h);
    h->in_row = 1;
    h->line++;
    h->col = 0;
    h->row_first = h->qcells.n;
}

static void cell_start(html_t *h, const xmlChar **atts)
{
    if (!h->in_row)
        row_start(h); /* a <td> straight in the table: a row of its own */
    cell_end(h);
    while (h->col < HTML_MAX_COLS && h->until[h->col] >= h->line)
        h->col++; /* covered by a rowspan from above */
    h->cell_cols = attr_int(atts, "colspan", 1, HTML_MAX_COLSPAN);
    h->cell_rows = attr_int(atts, "rowspan", 1, HTML_MAX_ROWSPAN);
    if (h->col + h->cell_cols > HTML_MAX_COLS) {
        stop(h, "row %ld is wider than the 1024 columns read", h->line);
        return;
    }
    h->cell_col = h->col;
    for (int c = h->col; c < h->col + h->cell_cols; c++)
        h->until[c] = h->line + h->cell_rows - 1;
    h->col += h->cell_cols;
    h->in_cell = 1;
    h->space = 0;
}

/* ---- SAX callbacks ---- */

static int is_name(const xmlChar *name, const char *s)
{
    return !strcasecmp((const char *)name, s);
}

/* Elements whose start or end separates words in a cell. */
static int breaks_words(const xmlChar *name)
{
    static const char *const names[] = {"br", "p",  "div", "li", "tr", "hr", "h1", "h2", "h3",
                                        "h4", "h5", "h6",  "ul", "ol", "dd", "dt", "pre"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (is_name(name, names[i]))
            return 1;
    return 0;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    html_t *h = ctx;
    if (h->ended)
        return;
    if (++h->depth > HTML_MAX_DEPTH) {
        stop(h, "elements nested more than %ld deep: not read", HTML_MAX_DEPTH);
        return;
    }
    if (is_name(name, "table")) {
        h->open++;
        if (h->tables++ == h->target)
            h->level = h->open;
        return;
    }
    if (!h->level || h->open != h->level) {
        if (h->in_cell && breaks_words(name))
            h->space = 1;
        return;
    }
    if (is_name(name, "tr"))
        row_start(h);
    else if (is_name(name, "td") || is_name(name, "th"))
        cell_start(h, atts);
    else if (h->in_cell && breaks_words(name))
        h->space = 1;
}

static void on_end(void *ctx, const xmlChar *name)
{
    html_t *h = ctx;
    if (h->ended)
        return;
    h->depth--;
    int here = h->level && h->open == h->level;
    if (is_name(name, "table")) {
        if (here) {
            row_end(h);
            h->ended = 1;
            xmlStopParser(h->ctxt); /* the rest of the page is not this table */
        }
        if (h->open > 0)
            h->open--;
        return;
    }
    if (!here) {
        if (h->in_cell && breaks_words(name))
            h->space = 1;
        return;
    }
    if (is_name(name, "tr"))
        row_end(h);
    else if (is_name(name, "td") || is_name(name, "th"))
        cell_end(h);
    else if (h->in_cell && breaks_words(name))
        h->space = 1;
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    html_t *h = ctx;
    if (h->ended || !h->in_cell || h->open != h->level)
        return; /* text outside the target's cells, or in a table nested in one */
    for (int i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            h->space = 1;
            continue;
        }
        if (h->space && h->cell.n)
            sb_addc(&h->cell, ' ');
        h->space = 0;
        sb_addc(&h->cell, (char)c);
    }
    if (h->cell.n > HTML_MAX_CELL)
        stop(h, "a cell of row %ld holds more than 1 MiB of text: not read", h->line);
}

static void on_nothing(void *ctx, const xmlChar *s, int len)
{
    (void)ctx, (void)s, (void)len; /* <script> and <style> content */
}

static void on_end_document(void *ctx)
{
    html_t *h = ctx;
    if (h->level && !h->ended)
        row_end(h); /* a table the page ended inside */
    h->ended = 1;
}

/* ---- feeding ---- */

/* Feeds the next chunk of the decoded page; 0 when all of it is in. */
static int feed(html_t *h)
{
    if (h->fed_all)
        return 0;
    sb_clear(&h->feed);
    const char *line;
    size_t len;
    long no;
    while (h->feed.n < HTML_CHUNK && (line = textsrc_line(h->ts, &len, &no)) != NULL) {
        sb_addn(&h->feed, line, len);
        if (!textsrc_line_cut(h->ts)) /* a page on one line comes in pieces */
            sb_addc(&h->feed, '\n');
        h->saw_bad |= textsrc_line_bad(h->ts);
    }
    int last = h->feed.n < HTML_CHUNK;
    if (last && textsrc_error(h->ts) && !h->rs.err[0])
        snprintf(h->rs.err, sizeof h->rs.err, "read error");
    htmlParseChunk(h->ctxt, h->feed.p ? h->feed.p : "", (int)h->feed.n, last);
    h->fed_all = last;
    if (last)
        on_end_document(h);
    return 1;
}

/* Feeds until a row is waiting or the table has ended. */
static void feed_until_row(html_t *h)
{
    if (h->qpos == h->qrows.n) {
        h->qpos = h->qrows.n = h->qcells.n = h->row_first = 0;
        sb_clear(&h->text);
    }
    while (h->qpos == h->qrows.n && !h->ended && feed(h))
        ;
}

static int html_next(rowsrc_t *rs, row_t *row)
{
    html_t *h = (html_t *)rs;
    feed_until_row(h);
    if (h->qpos == h->qrows.n)
        return h->rs.err[0] ? -1 : 0;
    const hrow_t *r = &h->qrows.items[h->qpos++];
    int n = h->qcells.items[r->first + r->n - 1].col + 1;
    for (int c = 0; c < n; c++)
        h->cells[c] = h->blank;
    for (size_t i = 0; i < r->n; i++) {
        const hcell_t *c = &h->qcells.items[r->first + i];
        h->cells[c->col] = h->text.p + c->off;
    }
    row->cells = h->cells;
    row->flags = NULL;
    row->n = n;
    row->line = r->line;
    row->raw = rowsrc_join(&h->raw, h->cells, n);
    /* Markup spans lines, so a row's lines are not known: a U+FFFD in a page that had
     * undecodable bytes is taken for one of them. */
    row->damaged = h->saw_bad && strstr(row->raw, "\xEF\xBF\xBD");
    return 1;
}

static void html_close(rowsrc_t *rs)
{
    html_t *h = (html_t *)rs;
    if (h->ctxt)
        htmlFreeParserCtxt(h->ctxt);
    if (h->ts)
        textsrc_close(h->ts);
    free(h->qcells.items);
    free(h->qrows.items);
    free(h->cells);
    sb_free(&h->cell);
    sb_free(&h->text);
    sb_free(&h->raw);
    sb_free(&h->feed);
    free(h);
}

/* ---- encoding ---- */

/* The first place lit (lower case) occurs in [p, end), ASCII case ignored; NULL if none. */
static const unsigned char *find_ci(const unsigned char *p, const unsigned char *end,
                                    const char *lit)
{
    size_t m = strlen(lit);
    for (; p + m <= end; p++)
        if ((*p | 0x20) == (unsigned char)lit[0] && !strncasecmp((const char *)p, lit, m))
            return p;
    return NULL;
}

static int charset_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-' ||
           c == '_';
}

/* The charset a <meta> tag in the first bytes names ("gb2312", "utf-8"), into out; 0 if
 * none: <meta charset="..."> and <meta http-equiv="Content-Type" content="...; charset=...">. */
static int meta_charset(const unsigned char *p, size_t n, char *out, size_t outlen)
{
    const unsigned char *end = p + n, *m = p;
    while ((m = find_ci(m, end, "<meta")) != NULL) {
        const unsigned char *gt = memchr(m, '>', (size_t)(end - m));
        const unsigned char *tag_end = gt ? gt : end;
        const unsigned char *c = find_ci(m, tag_end, "charset");
        if (c) {
            c += 7;
            while (c < tag_end && (*c == ' ' || *c == '=' || *c == '"' || *c == '\''))
                c++;
            size_t k = 0;
            while (c < tag_end && k + 1 < outlen && charset_char(*c))
                out[k++] = (char)*c++;
            out[k] = 0;
            if (k)
                return 1;
        }
        m = tag_end;
    }
    return 0;
}

/* ---- the container ---- */

static htmlParserCtxtPtr parser_for(html_t *h, const char *name)
{
    static htmlSAXHandler sax;
    if (!sax.startElement) {
        sax.startElement = on_start;
        sax.endElement = on_end;
        sax.characters = on_text;
        sax.ignorableWhitespace = on_text;
        sax.cdataBlock = on_nothing;
    }
    htmlParserCtxtPtr ctxt =
        htmlCreatePushParserCtxt(&sax, h, NULL, 0, name, XML_CHAR_ENCODING_UTF8);
    if (ctxt)
        htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                     HTML_PARSE_IGNORE_ENC | HTML_PARSE_NOIMPLIED);
    return ctxt;
}

static rowsrc_t *html_open(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen)
{
    err[0] = 0;
    if (mode != RS_CELLS) {
        snprintf(err, errlen, "not a text file");
        return NULL;
    }
    if (blob_size(b) > (long)HTML_MAX_BYTES) {
        snprintf(err, errlen, "over the %lu MiB this container reads", HTML_MAX_BYTES >> 20);
        return NULL;
    }
    unsigned char *head = xmalloc(HTML_PRESCAN);
    long n = blob_head(b, head, HTML_PRESCAN, err, errlen);
    char charset[32] = "";
    int named = n > 0 && meta_charset(head, (size_t)n, charset, sizeof charset);
    free(head);
    if (n < 0)
        return NULL;
    html_t *h = xcalloc(1, sizeof *h);
    h->rs.next = html_next;
    h->rs.close = html_close;
    h->rs.container = &container_html_table;
    snprintf(h->rs.label, sizeof h->rs.label, "html-table");
    h->target = table;
    h->cells = xcalloc(HTML_MAX_COLS, sizeof *h->cells);
    h->ts = textsrc_open_blob(b, named ? charset : NULL, err, errlen);
    if (!h->ts || !(h->ctxt = parser_for(h, b->name))) {
        if (h->ts)
            snprintf(err, errlen, "cannot start the HTML parser");
        html_close(&h->rs);
        return NULL;
    }
    textsrc_pieces(h->ts, HTML_CHUNK); /* markup, not lines: no line is too long */
    snprintf(h->rs.encoding, sizeof h->rs.encoding, "%s", textsrc_encoding(h->ts));
    while (!h->level && !h->ended && feed(h))
        ; /* up to the target table's start */
    if (h->rs.err[0] || !h->level) {
        /* "" past the last table ends the search */
        snprintf(err, errlen, "%s",
                 h->rs.err[0] ? h->rs.err
                 : table      ? ""
                              : "a page without a table");
        html_close(&h->rs);
        return NULL;
    }
    return &h->rs;
}

/* The first markup after a byte-order mark, white space, comments (a browser's "saved
 * from url") and an XML declaration (XHTML). */
static const unsigned char *first_tag(const unsigned char *h, size_t n)
{
    const unsigned char *p = h, *end = h + n;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        const unsigned char *close = NULL;
        if (end - p >= 4 && !memcmp(p, "<!--", 4))
            close = memmem(p, (size_t)(end - p), "-->", 3);
        else if (end - p >= 5 && !strncasecmp((const char *)p, "<?xml", 5))
            close = memmem(p, (size_t)(end - p), "?>", 2);
        if (!close)
            return p;
        p = close + (*close == '-' ? 3 : 2);
    }
}

static int html_like(const unsigned char *h, size_t n)
{
    static const char *const starts[] = {"<html", "<table", "<!doctype html", "<head",
                                         "<meta", "<body",  "<title"};
    const unsigned char *p = first_tag(h, n), *end = h + n;
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
        if ((size_t)(end - p) >= strlen(starts[i]) &&
            !strncasecmp((const char *)p, starts[i], strlen(starts[i])))
            return 1;
    return 0;
}

static int html_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b, (void)why, (void)whylen;
    return html_like(h, n);
}

const container_t container_html_table = {"html-table", html_sniff, html_open, NULL, 0};
