/* XML Spreadsheet 2003 (doc/formats.md, "xml2003"): the XML workbook Excel 2003 saves and
 * web back ends serve named .xls. Each <Worksheet> is one table of the container, in
 * document order; detection tries them in turn. Cells are placed as the format places
 * them: <Row ss:Index> gives the row number (else the one after the last), <Cell
 * ss:Index> the column (else the one after the last cell, skipping what a merge covers);
 * ss:MergeAcross / ss:MergeDown make a merged range whose value stays in its top-left
 * cell only, as in XLSX. <Data ss:Type="Number"> is a number cell, "DateTime" a date
 * ("2025-03-08T09:41:27.000" -> "2025-03-08 09:41:27"), "Error" empty. A row's line is its
 * row number (1-based, the header included).
 *
 * The file is decoded to UTF-8 as any text (rowsrc.c: the encoding named in the XML
 * declaration when it is a Chinese one, else the bytes) and fed to expat (namespaces on:
 * the prefix a writer chose does not matter) chunk by chunk as rows are read: memory is
 * bounded by the chunk and a row, not by the file.
 *
 * Limits against hostile input: a DOCTYPE or entity declaration (entity bombs), elements
 * nested deeper than X3_MAX_DEPTH, a row wider than X3_MAX_COLS, a cell longer than
 * X3_MAX_CELL, a file over X3_MAX_BYTES: refused with a message, never cut silently. */
#include "container.h"
#include "rowsrc.h"
#include "util.h"
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- limits ---- */
#define X3_MAX_BYTES (256UL << 20) /* a file: re-read once per worksheet tried */
#define X3_MAX_DEPTH 256           /* the format nests about 8 deep */
#define X3_MAX_COLS 16384          /* Excel's own limit (column XFD) */
#define X3_MAX_ROW 1048576L        /* Excel's own limit */
#define X3_MAX_CELL (1UL << 20)    /* bytes of text in one cell */
#define X3_CHUNK (64 << 10)        /* bytes fed to the parser at once */

#define X3_NS "urn:schemas-microsoft-com:office:spreadsheet"

typedef struct {
    int col, n; /* a MergeDown: the columns [col, col + n) ... */
    long until; /* ... covered down to this row */
} x3merge_t;

typedef struct {
    int col;
    unsigned char flag;
    size_t off; /* its text in x3_t.text */
} x3cell_t;

typedef struct {
    long line;
    size_t first, n; /* its cells in x3_t.qcells */
} x3row_t;

typedef struct {
    rowsrc_t rs; /* first: the rowsrc_t interface */
    textsrc_t *ts;
    XML_Parser p;
    int target, sheets; /* the worksheet wanted (0-based); <Worksheet>s seen */
    int in_sheet;       /* inside the target worksheet */
    int ended, fed_all, depth, saw_bad;
    int in_row, in_data;
    long line;       /* the row being read */
    int col;         /* the next column of the row (0-based) */
    int cell_col;    /* the cell being read */
    int cell_across; /* its MergeAcross */
    unsigned char cell_flag;
    VEC(x3merge_t) merges; /* MergeDown ranges still covering rows below */
    sbuf_t cell;
    size_t row_first;
    VEC(x3cell_t) qcells; /* cells of the finished rows not yet returned */
    VEC(x3row_t) qrows;
    size_t qpos;
    sbuf_t text; /* their texts, NUL-separated */
    char **cells;
    unsigned char *flags;
    int ncap;
    char blank[1];
    sbuf_t raw, feed;
} x3_t;

static void stop(x3_t *x, const char *fmt, long a)
{
    if (!x->rs.err[0])
        snprintf(x->rs.err, sizeof x->rs.err, fmt, a);
    x->ended = 1;
    XML_StopParser(x->p, XML_FALSE);
}

/* The local name of a name in the spreadsheet namespace ("urn:...spreadsheet|Row" ->
 * "Row"), NULL for one in another namespace (HTML markup inside a rich-text cell). */
static const char *local(const XML_Char *name)
{
    size_t n = strlen(X3_NS);
    return !strncmp(name, X3_NS, n) && name[n] == '|' ? name + n + 1 : NULL;
}

/* The integer value of attribute ss:NAME, or dflt when absent; clamped to [lo, hi]. */
static long attr_long(const XML_Char **atts, const char *name, long dflt, long lo, long hi)
{
    for (int i = 0; atts[i]; i += 2) {
        const char *l = local(atts[i]);
        if (l && !strcmp(l, name)) {
            long v = strtol(atts[i + 1], NULL, 10);
            return v < lo ? lo : v > hi ? hi : v;
        }
    }
    return dflt;
}

static const char *attr_str(const XML_Char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2) {
        const char *l = local(atts[i]);
        if (l && !strcmp(l, name))
            return atts[i + 1];
    }
    return NULL;
}

/* ---- rows and cells of the target worksheet ---- */

/* Column c of the current row is covered by a MergeDown from a row above. */
static int covered(const x3_t *x, int c)
{
    for (size_t i = 0; i < x->merges.n; i++) {
        const x3merge_t *m = &x->merges.items[i];
        if (m->until >= x->line && c >= m->col && c < m->col + m->n)
            return 1;
    }
    return 0;
}

static void row_start(x3_t *x, const XML_Char **atts)
{
    x->in_row = 1;
    x->line = attr_long(atts, "Index", x->line + 1, x->line + 1, X3_MAX_ROW);
    x->col = 0;
    x->row_first = x->qcells.n;
    size_t k = 0; /* merges ended above this row are dropped */
    for (size_t i = 0; i < x->merges.n; i++)
        if (x->merges.items[i].until >= x->line)
            x->merges.items[k++] = x->merges.items[i];
    x->merges.n = k;
}

static void row_end(x3_t *x)
{
    if (!x->in_row)
        return;
    x->in_row = 0;
    size_t n = x->qcells.n - x->row_first;
    if (n) { /* blank rows are skipped */
        x3row_t r = {x->line, x->row_first, n};
        VEC_PUSH(x->qrows, r);
    }
}

static void cell_start(x3_t *x, const XML_Char **atts)
{
    long idx = attr_long(atts, "Index", 0, 0, X3_MAX_COLS + 1);
    if (idx > 0)
        x->col = (int)idx - 1;
    else
        while (x->col < X3_MAX_COLS && covered(x, x->col))
            x->col++;
    long across = attr_long(atts, "MergeAcross", 0, 0, X3_MAX_COLS);
    long down = attr_long(atts, "MergeDown", 0, 0, X3_MAX_ROW);
    if (x->col + across >= X3_MAX_COLS) {
        stop(x, "row %ld is wider than the 16384 columns a sheet has", x->line);
        return;
    }
    if (down > 0) {
        x3merge_t m = {x->col, (int)across + 1, x->line + down};
        VEC_PUSH(x->merges, m);
    }
    x->cell_col = x->col;
    x->cell_across = (int)across;
    x->cell_flag = 0;
    sb_clear(&x->cell);
}

/* "2025-03-08T09:41:27.000" as the other workbooks give a date cell. */
static void datetime_text(sbuf_t *s)
{
    char *t = strchr(s->p, 'T');
    if (t)
        *t = ' ';
    char *dot = strchr(s->p, '.');
    if (dot && t && dot > t) {
        *dot = 0;
        s->n = (size_t)(dot - s->p);
    }
}

static void cell_end(x3_t *x)
{
    sb_addc(&x->cell, 0);
    x->cell.n--;
    if (x->cell_flag == CELL_DATE)
        datetime_text(&x->cell);
    str_trim(x->cell.p);
    if (x->cell.p[0]) {
        x3cell_t c = {x->cell_col, x->cell_flag, x->text.n};
        sb_addn(&x->text, x->cell.p, strlen(x->cell.p) + 1);
        VEC_PUSH(x->qcells, c);
    }
    x->col = x->cell_col + x->cell_across + 1;
}

static void data_start(x3_t *x, const XML_Char **atts)
{
    const char *type = attr_str(atts, "Type");
    x->in_data = 1;
    if (!type)
        return;
    if (!strcmp(type, "Number"))
        x->cell_flag = CELL_NUM;
    else if (!strcmp(type, "DateTime"))
        x->cell_flag = CELL_DATE;
    else if (!strcmp(type, "Error"))
        x->in_data = 0; /* "#N/A": an empty cell */
}

/* ---- expat callbacks ---- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    x3_t *x = ud;
    if (x->ended)
        return;
    if (++x->depth > X3_MAX_DEPTH) {
        stop(x, "elements nested more than %ld deep: not read", X3_MAX_DEPTH);
        return;
    }
    const char *l = local(name);
    if (!l)
        return; /* rich-text markup inside <ss:Data>: its text is the cell's */
    if (!strcmp(l, "Worksheet")) {
        if (x->sheets++ == x->target) {
            x->in_sheet = 1;
            const char *n = attr_str(atts, "Name");
            x->rs.sheet = xstrdup(n ? n : "");
        }
    } else if (!x->in_sheet) {
        return;
    } else if (!strcmp(l, "Row")) {
        row_start(x, atts);
    } else if (!strcmp(l, "Cell") && x->in_row) {
        cell_start(x, atts);
    } else if (!strcmp(l, "Data") && x->in_row) {
        data_start(x, atts);
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    x3_t *x = ud;
    if (x->ended)
        return;
    x->depth--;
    const char *l = local(name);
    if (!l || !x->in_sheet)
        return;
    if (!strcmp(l, "Worksheet")) {
        row_end(x);
        x->ended = 1;
        XML_StopParser(x->p, XML_FALSE); /* the rest of the file is other sheets */
    } else if (!strcmp(l, "Row")) {
        row_end(x);
    } else if (!strcmp(l, "Cell") && x->in_row) {
        cell_end(x);
    } else if (!strcmp(l, "Data")) {
        x->in_data = 0;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    x3_t *x = ud;
    if (x->ended || !x->in_data)
        return;
    sb_addn(&x->cell, s, (size_t)len);
    if (x->cell.n > X3_MAX_CELL)
        stop(x, "a cell of row %ld holds more than 1 MiB of text: not read", x->line);
}

/* No spreadsheet has a DTD: refusing any DOCTYPE refuses entity bombs. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    stop(ud, "a DOCTYPE in a spreadsheet (entity expansion not allowed): not read", 0);
}

/* ---- feeding ---- */

/* Feeds the next chunk of the decoded file; 0 when all of it is in. */
static int feed(x3_t *x)
{
    if (x->fed_all || x->ended)
        return 0;
    sb_clear(&x->feed);
    const char *line;
    size_t len;
    long no;
    while (x->feed.n < X3_CHUNK && (line = textsrc_line(x->ts, &len, &no)) != NULL) {
        sb_addn(&x->feed, line, len);
        if (!textsrc_line_cut(x->ts)) /* a file on one line comes in pieces */
            sb_addc(&x->feed, '\n');
        x->saw_bad |= textsrc_line_bad(x->ts);
    }
    int last = x->feed.n < X3_CHUNK;
    if (last && textsrc_error(x->ts) && !x->rs.err[0])
        snprintf(x->rs.err, sizeof x->rs.err, "read error");
    if (XML_Parse(x->p, x->feed.p ? x->feed.p : "", (int)x->feed.n, last) == XML_STATUS_ERROR &&
        !x->ended)
        snprintf(x->rs.err, sizeof x->rs.err, "not well-formed XML at line %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(x->p),
                 XML_ErrorString(XML_GetErrorCode(x->p)));
    if (x->rs.err[0])
        x->ended = 1;
    x->fed_all = last;
    if (last && x->in_sheet && !x->ended)
        row_end(x); /* a file cut inside the sheet: what was read */
    return 1;
}

static void feed_until_row(x3_t *x)
{
    if (x->qpos == x->qrows.n) {
        x->qpos = x->qrows.n = x->qcells.n = x->row_first = 0;
        sb_clear(&x->text);
    }
    while (x->qpos == x->qrows.n && !x->ended && !x->fed_all && feed(x))
        ;
}

static int x3_next(rowsrc_t *rs, row_t *row)
{
    x3_t *x = (x3_t *)rs;
    feed_until_row(x);
    if (x->qpos == x->qrows.n)
        return x->rs.err[0] ? -1 : 0;
    const x3row_t *r = &x->qrows.items[x->qpos++];
    int n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (x->qcells.items[r->first + i].col + 1 > n)
            n = x->qcells.items[r->first + i].col + 1;
    if (n > x->ncap) {
        x->ncap = n;
        x->cells = xrealloc(x->cells, (size_t)n * sizeof *x->cells);
        x->flags = xrealloc(x->flags, (size_t)n);
    }
    for (int c = 0; c < n; c++)
        x->cells[c] = x->blank, x->flags[c] = 0;
    for (size_t i = 0; i < r->n; i++) {
        const x3cell_t *c = &x->qcells.items[r->first + i];
        x->cells[c->col] = x->text.p + c->off;
        x->flags[c->col] = c->flag;
    }
    row->cells = x->cells;
    row->flags = x->flags;
    row->n = n;
    row->line = r->line;
    row->raw = rowsrc_join(&x->raw, x->cells, n);
    row->damaged = x->saw_bad && strstr(row->raw, "\xEF\xBF\xBD");
    return 1;
}

static void x3_close(rowsrc_t *rs)
{
    x3_t *x = (x3_t *)rs;
    if (x->p)
        XML_ParserFree(x->p);
    if (x->ts)
        textsrc_close(x->ts);
    free(x->merges.items);
    free(x->qcells.items);
    free(x->qrows.items);
    free(x->cells);
    free(x->flags);
    sb_free(&x->cell);
    sb_free(&x->text);
    sb_free(&x->raw);
    sb_free(&x->feed);
    free(x->rs.sheet);
    free(x);
}

/* ---- the container ---- */

/* The encoding the XML declaration names when it is a Chinese one ("GB2312", "GBK"),
 * into out; else 0, and the bytes decide (UTF-8, UTF-16). */
static int declared_gb(const unsigned char *h, size_t n, char *out, size_t outlen)
{
    const unsigned char *end = memchr(h, '>', n);
    const unsigned char *e = end ? memmem(h, (size_t)(end - h), "encoding=", 9) : NULL;
    if (!e || e + 10 >= end)
        return 0;
    e += 10; /* past the quote */
    size_t k = 0;
    while (e + k < end && k + 1 < outlen && e[k] != '"' && e[k] != '\'')
        k++;
    memcpy(out, e, k);
    out[k] = 0;
    return !strncasecmp(out, "gb", 2);
}

static XML_Parser parser_for(x3_t *x)
{
    XML_Parser p = XML_ParserCreateNS("UTF-8", '|'); /* the bytes fed are UTF-8 */
    if (!p)
        return NULL;
    XML_SetUserData(p, x);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    return p;
}

static rowsrc_t *x3_open(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen)
{
    err[0] = 0;
    if (mode != RS_CELLS) {
        snprintf(err, errlen, "not a text file");
        return NULL;
    }
    if (blob_size(b) > (long)X3_MAX_BYTES) {
        snprintf(err, errlen, "over the %lu MiB this container reads", X3_MAX_BYTES >> 20);
        return NULL;
    }
    unsigned char head[512];
    long n = blob_head(b, head, sizeof head, err, errlen);
    if (n < 0)
        return NULL;
    char enc[32] = "";
    int named = declared_gb(head, (size_t)n, enc, sizeof enc);
    x3_t *x = xcalloc(1, sizeof *x);
    x->rs.next = x3_next;
    x->rs.close = x3_close;
    x->rs.container = &container_xml2003;
    snprintf(x->rs.label, sizeof x->rs.label, "xml2003");
    x->target = table;
    x->ts = textsrc_open_blob(b, named ? enc : NULL, err, errlen);
    if (!x->ts || !(x->p = parser_for(x))) {
        if (x->ts)
            snprintf(err, errlen, "cannot start the XML parser");
        x3_close(&x->rs);
        return NULL;
    }
    textsrc_pieces(x->ts, X3_CHUNK); /* markup, not lines: no line is too long */
    snprintf(x->rs.encoding, sizeof x->rs.encoding, "%s", textsrc_encoding(x->ts));
    while (!x->in_sheet && !x->ended && feed(x))
        ; /* up to the target worksheet's start */
    if (x->rs.err[0] || !x->in_sheet) {
        /* "" past the last worksheet ends the search */
        snprintf(err, errlen, "%s",
                 x->rs.err[0] ? x->rs.err
                 : table      ? ""
                              : "an XML Spreadsheet without a worksheet");
        x3_close(&x->rs);
        return NULL;
    }
    return &x->rs;
}

/* <?xml at the start (after a byte-order mark) and the spreadsheet namespace in the
 * first bytes. UTF-16 files are read as text: their namespace is not found as bytes. */
static int x3_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b, (void)why, (void)whylen;
    const unsigned char *p = h;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3, n -= 3;
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++, n--;
    return n >= 5 && !memcmp(p, "<?xml", 5) && memmem(p, n, X3_NS, strlen(X3_NS));
}

const container_t container_xml2003 = {"xml2003", x3_sniff, x3_open, NULL, 0};
