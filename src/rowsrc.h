/* A row source: rows of cells with their line (CSV) or sheet-row (XLSX)
 * number, whatever the container. Parsers read only this interface. */
#ifndef BILLAUDIT_ROWSRC_H
#define BILLAUDIT_ROWSRC_H
#include <stddef.h>

typedef enum {
    CT_TEXT, /* CSV / TSV / plain text, any supported encoding */
    CT_XLSX,
    CT_XLS,     /* legacy OLE2: recognised only to be reported */
    CT_HTMLXLS, /* HTML or SpreadsheetML saved as .xls: reported */
    CT_BINARY,  /* NUL bytes or undecodable: not a text format (JPEG, PDF, ...) */
    CT_EMPTY
} container_t;

enum { CELL_NUM = 1, CELL_DATE = 2 };

typedef struct {
    char **cells; /* trimmed UTF-8; "" for absent cells */
    unsigned char
        *flags; /* CELL_NUM: XLSX number (money rounds half-up); CELL_DATE: converted serial */
    int n;      /* number of cells, trailing empty cells dropped */
    long line;  /* first physical line (CSV) or sheet row number (XLSX) */
    const char
        *raw; /* the raw line(s) decoded to UTF-8, without BOM/EOL; XLSX: cells joined by ',' */
} row_t;

typedef struct rowsrc rowsrc_t;
struct rowsrc {
    /* 1 = a row, 0 = end, -1 = error (message in err). Blank rows are skipped. */
    int (*next)(rowsrc_t *rs, row_t *row);
    void (*close)(rowsrc_t *rs);
    container_t container;
    char encoding[32]; /* "UTF-8", "UTF-8 BOM", "GB18030", "UTF-16LE", "XLSX" */
    char err[256];
    long err_line; /* the line err is about, 0 when none */
    char *sheet;   /* XLSX: name of the sheet being read */
};

typedef enum { RS_CELLS, RS_LINES } rs_mode_t;

/* Sniffs the container by magic bytes (formats.md §1.1). */
container_t container_sniff(const char *path, char *why, size_t whylen);

/* Opens path. RS_CELLS: CSV/TSV or XLSX rows; RS_LINES: each physical text line is one
 * row of one cell (contract text). NULL with a message in err on failure. */
rowsrc_t *rowsrc_open(const char *path, rs_mode_t mode, char *err, size_t errlen);
static inline int rowsrc_next(rowsrc_t *rs, row_t *row)
{
    return rs->next(rs, row);
}
void rowsrc_close(rowsrc_t *rs);

/* Text decoding (formats.md §1.2), used by the CSV and line sources. */
typedef struct textsrc textsrc_t;
textsrc_t *textsrc_open(const char *path, char *err, size_t errlen);
/* Next physical line, decoded to UTF-8 without EOL/BOM; NULL at end. *lineno is 1-based. */
const char *textsrc_line(textsrc_t *ts, size_t *len, long *lineno);
const char *textsrc_encoding(const textsrc_t *ts);
int textsrc_error(const textsrc_t *ts); /* nonzero when a read error happened */
void textsrc_close(textsrc_t *ts);

/* XLSX row source (src/xlsx.c). */
rowsrc_t *xlsx_open(const char *path, char *err, size_t errlen);
/* The index-th non-hidden worksheet (0 = the first, what xlsx_open reads), in workbook
 * order; NULL with a message in err when past the end or on error. */
rowsrc_t *xlsx_open_sheet(const char *path, int index, char *err, size_t errlen);

#endif
