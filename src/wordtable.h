/* Words with boxes -> rows of cells: the layout reading shared by the PDF
 * container and the screenshot (OCR) container. Independent of poppler and
 * Tesseract: callers feed words page by page, then take rows.
 *
 * Rows are lines by baseline (words whose vertical extents overlap); the
 * first line with at least WT_MIN_COLS separated words is the header, and its
 * cells' x-extents define the columns (a word goes to the column it overlaps
 * most; a column runs from its header cell to just before the next one). The
 * header also names the key column: the first whose name holds
 * 时间/日期/账期/月份, else 金额 or (元). A later line starts a record when its key
 * cell holds a date (an amount); any other line continues the row above — a
 * wrapped cell: a 交易单号 broken mid-number, a time under its date — when it sits
 * closer under the row than rows sit apart (< 0.4 line height) or leaves the
 * first column empty; else (a 合计 line) it is a row of its own. Without a key
 * column a line continues when its first column is empty or it fills under half
 * the columns. Words on one line join with a space when a gap shows one; wrapped
 * pieces join without one between CJK or digits.
 * Dropped, never rows: page furniture (第N页/共M页 and its variants; a line that
 * repeats, digits aside, a preamble line of the first page: a running title),
 * a line repeating the header (header repeated on a later page), and from a line
 * starting 说明：after the header on, the closing notes. Lines before the header
 * come out as rows of their own word groups (the preamble). Rows are numbered per
 * page (1-based) in the order they come out. */
#ifndef BILLAUDIT_WORDTABLE_H
#define BILLAUDIT_WORDTABLE_H
#include <stddef.h>

#define WT_MIN_COLS 3

typedef struct {
    const char *text;      /* UTF-8, copied by wt_add */
    double x0, y0, x1, y1; /* box, y growing downwards, page units */
    int page;              /* 1-based */
    int conf;              /* 0-100 OCR confidence, -1 when not known (a text layer) */
} wt_word;

typedef struct {
    char **cells; /* ncells NUL-terminated strings, owned by the table */
    size_t ncells;
    int page; /* page of the row's first line */
    int line; /* 1-based row number on that page */
    int conf; /* lowest word confidence in the row, -1 when not known */
} wt_row;

typedef struct wordtable wordtable;

wordtable *wt_new(void);
void wt_add(wordtable *t, const wt_word *w);
/* Lays out the words added since the last call (one page); rows become
 * available from wt_row_at. */
void wt_end_page(wordtable *t);
/* Prose instead of a table (a contract): each line is one row of one cell, its words
 * joined with a space where a gap shows one; page numbers are dropped. Call first. */
void wt_set_prose(wordtable *t);
/* Words added since the last wt_end_page (a caller bounds a page by it). */
size_t wt_npending(const wordtable *t);
size_t wt_nrows(const wordtable *t);
const wt_row *wt_row_at(const wordtable *t, size_t i);
/* Frees the rows taken so far (streaming: keeps memory flat per page). */
void wt_drop_rows(wordtable *t);
void wt_free(wordtable *t);

#endif
