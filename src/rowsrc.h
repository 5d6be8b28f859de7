/* A row source: rows of cells with their line (CSV) or sheet-row (XLSX)
 * number, whatever the container. Parsers read only this interface. */
#ifndef BILLAUDIT_ROWSRC_H
#define BILLAUDIT_ROWSRC_H
#include "util.h"
#include <stddef.h>

/* The container that yields the rows (src/container.h). */
typedef struct container container_t;

enum { CELL_NUM = 1, CELL_DATE = 2 };

typedef struct {
    char **cells; /* trimmed UTF-8; "" for absent cells */
    unsigned char
        *flags; /* CELL_NUM: XLSX number (money rounds half-up); CELL_DATE: converted serial */
    int n;      /* number of cells, trailing empty cells dropped */
    long line;  /* first physical line (CSV) or sheet/table row number (1-based) */
    /* The citation: the raw line(s) decoded to UTF-8, without BOM/EOL; from a table of
     * another container (XLSX, .xls, HTML, ...) the cells joined with tabs (rowsrc_join). */
    const char *raw;
    /* 1 when the row's bytes held sequences invalid in its encoding: the text shows U+FFFD
     * where they were, so cells and citation are damaged (the file keeps the bytes). */
    int damaged;
} row_t;

typedef struct rowsrc rowsrc_t;
struct rowsrc {
    /* 1 = a row, 0 = end, -1 = error (message in err). Blank rows are skipped. */
    int (*next)(rowsrc_t *rs, row_t *row);
    void (*close)(rowsrc_t *rs);
    const container_t *container;
    char encoding[32]; /* "UTF-8", "UTF-8 BOM", "GB18030", "UTF-16LE", "XLSX" */
    char label[48];    /* what detect shows: "csv", "tsv", "text", "xlsx", "xls", ... */
    /* How raw relates to the cells: the CSV delimiter (',' or '\t') when raw is the record
     * as written; 0 when raw is the cells joined with tabs, or a line of prose. Finding ids
     * hash the cells, so that they do not depend on the container. */
    char delim;
    char err[256];
    long err_line; /* the line err is about, 0 when none */
    char *sheet;   /* workbooks: name of the sheet being read */
    void *owned;   /* bytes in memory the rows are read from (an archive member), freed last */
    /* Set by the loader: damaged rows are then reported as "report:line: invalid GBK
     * sequence", the first DAMAGE_LISTED of them; all are counted in damaged. */
    const char *report;
    long damaged;
    struct rowfix *fix; /* rows repaired by rowsrc_check_utf8, owned */
    /* Lines (records, rows) too long to hold, read past and not returned: each counted
     * here (the loader adds them to the source's rejected rows) and, when report is set,
     * reported at its line, the first DAMAGE_LISTED of them (rowsrc_skipped). */
    long oversize;
};

#define DAMAGE_LISTED 20
/* The longest physical line (or CSV record, or table cell) a row source holds, in bytes
 * of UTF-8: a longer one is skipped and reported, never held whole (doc/formats.md). */
#define TEXT_MAX_LINE (1 << 20)

typedef enum { RS_CELLS, RS_LINES } rs_mode_t;

/* Opens the file path through the container registry (src/container.h), its first table.
 * RS_CELLS: table rows; RS_LINES: each physical text line is one row of one cell
 * (contract text). NULL with a message in err on failure. */
rowsrc_t *rowsrc_open(const char *path, rs_mode_t mode, char *err, size_t errlen);
/* The container of the file path (src/container.h); the reason in why when it is one
 * that is recognised only to be refused. */
const container_t *container_sniff(const char *path, char *why, size_t whylen);
/* A row of a container that decodes nothing itself (a workbook's XML, a PDF's text, an
 * HTML table): text that is not valid UTF-8 despite its parser is repaired here, each stray
 * byte U+FFFD, and the row marked damaged, so that no path reaches a report or a JSON
 * document with it. The text container's decoder does that itself. */
void rowsrc_check_utf8(rowsrc_t *rs, row_t *row);
/* Counts a damaged row, and reports it when rs->report is set. */
void rowsrc_note_damage(rowsrc_t *rs, const row_t *row);
/* Counts a row read past as too long (rs->oversize), and reports it when rs->report is set:
 * "report:line: <fmt>". */
void rowsrc_skipped(rowsrc_t *rs, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The encoding as the user knows it, for messages: "GBK", "UTF-8", "UTF-16". */
const char *rowsrc_charset(const rowsrc_t *rs);
static inline int rowsrc_next(rowsrc_t *rs, row_t *row)
{
    row->damaged = 0;
    int rc = rs->next(rs, row);
    if (rc == 1)
        rowsrc_check_utf8(rs, row);
    if (rc == 1 && row->damaged)
        rowsrc_note_damage(rs, row);
    return rc;
}
void rowsrc_close(rowsrc_t *rs);
/* A table row's citation: cells[0..n) joined with tabs into out (cleared first), each
 * cell's own tabs and line ends written as spaces. Returns out->p. */
const char *rowsrc_join(sbuf_t *out, char *const *cells, int n);

/* Text decoding (UTF-8, UTF-16, GB18030), used by the CSV and line sources. */
typedef struct textsrc textsrc_t;
textsrc_t *textsrc_open(const char *path, char *err, size_t errlen);
struct blob;
/* The same for any input (a file, or bytes in memory); enc forces an encoding ("UTF-8",
 * "GB18030", ...: an HTML page's meta charset) instead of the guess, NULL to guess. */
textsrc_t *textsrc_open_blob(const struct blob *b, const char *enc, char *err, size_t errlen);
/* Next physical line, decoded to UTF-8 without EOL/BOM; NULL at end. *lineno is 1-based. */
const char *textsrc_line(textsrc_t *ts, size_t *len, long *lineno);
const char *textsrc_encoding(const textsrc_t *ts);
int textsrc_error(const textsrc_t *ts); /* nonzero when a read error happened */
/* Nonzero when the last line returned held bytes that do not decode (shown as U+FFFD). */
int textsrc_line_bad(const textsrc_t *ts);
/* Lines longer than TEXT_MAX_LINE are read past in bounded chunks and never returned; fn
 * (when set) is told the number and length of each. */
void textsrc_on_long(textsrc_t *ts, void (*fn)(void *ctx, long line, size_t bytes), void *ctx);
/* Instead: a line longer than piece bytes is returned in pieces of at most piece bytes (cut
 * at character boundaries; an HTML page on one line), textsrc_line_cut saying which piece
 * the next one continues (the pieces share a line number). */
void textsrc_pieces(textsrc_t *ts, size_t piece);
int textsrc_line_cut(const textsrc_t *ts);
void textsrc_close(textsrc_t *ts);

/* XLSX row source (src/xlsx.c), for the file path: tests and tools; the loader goes
 * through the registry. */
rowsrc_t *xlsx_open(const char *path, char *err, size_t errlen);
/* The index-th non-hidden worksheet (0 = the first, what xlsx_open reads), in workbook
 * order; NULL with a message in err when past the end or on error. */
rowsrc_t *xlsx_open_sheet(const char *path, int index, char *err, size_t errlen);

#endif
