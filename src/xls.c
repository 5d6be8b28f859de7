/* Legacy BIFF8 .xls (doc/formats.md, "xls") through FreeXL: the cells of a worksheet as rows,
 * like XLSX's. FreeXL decodes shared strings and dates (1900 and 1904 date systems)
 * itself; a merged range holds its value in the top-left cell only, as in XLSX. FreeXL
 * reads only files: a workbook held in memory (an archive member) is written to a
 * private temporary file first, removed at once after opening. */
#include "container.h"
#include "rowsrc.h"
#include "util.h"
#include <freexl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- limits ---- */
#define XLS_MAX_BYTES (256UL << 20) /* a member copied to a temporary file */
#define XLS_MAX_COLS 256            /* BIFF8's own limit (column IV) */
#define XLS_MAX_ROWS 65536          /* BIFF8's own limit */

typedef struct {
    rowsrc_t rs; /* first: the rowsrc_t interface */
    const void *h;
    unsigned int rows, row;
    unsigned short cols;
    char **cells;
    unsigned char *flags;
    sbuf_t raw;
} xls_t;

static void free_cells(xls_t *x)
{
    for (int i = 0; x->cells && i < x->cols; i++) {
        free(x->cells[i]);
        x->cells[i] = NULL;
    }
}

static void xls_close(rowsrc_t *rs)
{
    xls_t *x = (xls_t *)rs;
    free_cells(x);
    free(x->cells);
    free(x->flags);
    sb_free(&x->raw);
    if (x->h)
        freexl_close(x->h);
    free(x->rs.sheet);
    free(x);
}

/* A number as its shortest text that reads back the same ("5", "0.1", "12.5"). */
static void number_text(double v, char *out, size_t outlen)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, outlen, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* One cell's text and flags, as the XLSX reader gives them. */
static char *cell_text(const FreeXL_CellValue *v, unsigned char *flag)
{
    char tmp[64];
    *flag = 0;
    switch (v->type) {
    case FREEXL_CELL_INT:
        *flag = CELL_NUM;
        return xasprintf("%d", v->value.int_value);
    case FREEXL_CELL_DOUBLE:
        if (!isfinite(v->value.double_value))
            return xstrdup("");
        *flag = CELL_NUM;
        number_text(v->value.double_value, tmp, sizeof tmp);
        return xstrdup(tmp);
    case FREEXL_CELL_DATE: /* a date-styled serial: XLSX shows it with its midnight */
        *flag = CELL_DATE;
        return xasprintf("%s 00:00:00", v->value.text_value);
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        *flag = CELL_DATE;
        return xstrdup(v->value.text_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
        return xstrdup(v->value.text_value ? v->value.text_value : "");
    default:
        return xstrdup("");
    }
}

static char *trimmed(char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    memmove(s, s + i, n - i);
    s[n - i] = 0;
    return s;
}

static int xls_next(rowsrc_t *rs, row_t *row)
{
    xls_t *x = (xls_t *)rs;
    while (x->row < x->rows) {
        unsigned int r = x->row++;
        free_cells(x);
        int n = 0;
        for (unsigned short c = 0; c < x->cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(x->h, r, c, &v) != FREEXL_OK)
                v.type = FREEXL_CELL_NULL;
            x->cells[c] = trimmed(cell_text(&v, &x->flags[c]));
            if (x->cells[c][0])
                n = c + 1;
        }
        if (n == 0)
            continue; /* blank rows are skipped */
        row->cells = x->cells;
        row->flags = x->flags;
        row->n = n;
        row->line = (long)r + 1;
        row->raw = rowsrc_join(&x->raw, x->cells, n);
        return 1;
    }
    return 0;
}

/* FreeXL opens a path: b's file, or its bytes written to a private temporary file. */
static int open_handle(const blob_t *b, const void **h)
{
    if (!b->data)
        return freexl_open(b->path, h);
    char *tmpl = tmp_private("billaudit-xls-");
    int fd = mkstemp(tmpl), rc = FREEXL_FILE_NOT_FOUND;
    if (fd >= 0) {
        size_t off = 0;
        ssize_t w = 0;
        while (off < b->len && (w = write(fd, b->data + off, b->len - off)) > 0)
            off += (size_t)w;
        close(fd);
        rc = off == b->len ? freexl_open(tmpl, h) : FREEXL_FILE_NOT_FOUND;
        unlink(tmpl);
    }
    free(tmpl);
    return rc;
}

static const char *freexl_why(int rc)
{
    switch (rc) {
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
        return "a broken sector chain (truncated or damaged file?)";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "no workbook stream (a Word or other Office file?)";
    case FREEXL_INSUFFICIENT_MEMORY:
        return "too large to read";
    default:
        return "a damaged workbook (truncated or corrupt?)";
    }
}

static rowsrc_t *xls_open(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen)
{
    err[0] = 0;
    if (mode != RS_CELLS) {
        snprintf(err, errlen, "not a text file");
        return NULL;
    }
    if (b->data && b->len > XLS_MAX_BYTES) {
        snprintf(err, errlen, "over the %lu MiB this container reads", XLS_MAX_BYTES >> 20);
        return NULL;
    }
    xls_t *x = xcalloc(1, sizeof *x);
    x->rs.next = xls_next;
    x->rs.close = xls_close;
    x->rs.container = &container_xls;
    snprintf(x->rs.encoding, sizeof x->rs.encoding, "XLS");
    snprintf(x->rs.label, sizeof x->rs.label, "xls");
    int rc = open_handle(b, &x->h);
    unsigned int sheets = 0;
    if (rc != FREEXL_OK) {
        snprintf(err, errlen, "cannot read the legacy .xls: %s", freexl_why(rc));
        goto fail;
    }
    if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK ||
        (unsigned)table >= sheets)
        goto fail; /* past the last sheet: err "" ends the search */
    const char *name = NULL;
    if (freexl_select_active_worksheet(x->h, (unsigned short)table) != FREEXL_OK ||
        freexl_worksheet_dimensions(x->h, &x->rows, &x->cols) != FREEXL_OK) {
        snprintf(err, errlen, "cannot read sheet #%d of the legacy .xls", table + 1);
        goto fail;
    }
    if (freexl_get_worksheet_name(x->h, (unsigned short)table, &name) == FREEXL_OK && name)
        x->rs.sheet = xstrdup(name);
    if (x->cols > XLS_MAX_COLS || x->rows > XLS_MAX_ROWS) {
        snprintf(err, errlen, "sheet #%d declares %u rows and %u columns, past BIFF8's limits",
                 table + 1, x->rows, (unsigned)x->cols);
        goto fail;
    }
    x->cells = xcalloc(x->cols ? x->cols : 1, sizeof *x->cells);
    x->flags = xcalloc(x->cols ? x->cols : 1, 1);
    return &x->rs;
fail:
    xls_close(&x->rs);
    return NULL;
}

static int xls_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b, (void)why, (void)whylen;
    return n >= 8 && !memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

const container_t container_xls = {"xls", xls_sniff, xls_open, NULL, 0};
