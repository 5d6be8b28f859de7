/* Containers (doc/formats.md): what holds an input's rows — CSV/TSV text, XLSX, a ZIP
 * archive, legacy .xls, an HTML table, XML Spreadsheet 2003, PDF, a screenshot. They are
 * one table, containers[] in src/containers.c, tried in order: the first whose sniff
 * claims the bytes reads them. Parsers never learn which container their rows came from.
 *
 * Adding a container is one file and one line:
 *   1. src/<name>.c defines `const container_t container_<name> = {...}` (below);
 *   2. src/containers.c lists `&container_<name>` in containers[] where its magic bytes
 *      must be tried (before the catch-all text entry; a more specific magic first).
 * Nothing else switches on the container: detection, loading, archives and `detect`'s
 * label all go through the table.
 *
 * The contract of an entry:
 *  - sniff(b, head, n, why, whylen): head holds the first n bytes (n <= CONTAINER_HEAD;
 *    fewer only when the input is shorter). Returns 1 when the input is this container's.
 *    It may look further (b->data, or open b->path) when the magic bytes are shared, as
 *    XLSX and ZIP share PK\3\4. An entry without open and members only recognises, and
 *    refuses with the reason it wrote to why (a scan, an image not read, binary junk).
 *  - open(b, table, mode, err, errlen): the rows of the table-th table (0-based: the
 *    sheet, the HTML table, ...), in mode (RS_CELLS: tables; RS_LINES: lines of prose,
 *    which only containers with `prose` set provide). The rowsrc_t returned has its
 *    `container` set to the entry, `encoding` and `label` filled; each row's `line` is
 *    the number a person finds it under (text line, sheet row, table row), `raw` its
 *    citation: the text line itself, or for a table the cells joined with tabs
 *    (rowsrc_join). NULL with a message in err on failure; NULL with err "" when table
 *    (> 0) is past the last one, which ends the search for a matching table.
 *  - members(b, depth, each, ctx, err, errlen): for archives instead of open: calls each
 *    for every member that is an input, in archive order, with the member's bytes in
 *    memory and its name "archive.zip!path/in/archive.csv". Returns 0, or -1 with err
 *    when the archive as a whole cannot be read (the member calls made still count).
 *  - Bytes: every opener reads b->data/b->len when set (an archive member), else the
 *    file b->path; b->name is what messages and provenance show. Limits against hostile
 *    input (sizes, ratios, depth, counts) are the container's own, documented in its file.
 */
#ifndef BILLAUDIT_CONTAINER_H
#define BILLAUDIT_CONTAINER_H
#include "rowsrc.h"
#include <stddef.h>

#define CONTAINER_HEAD 8192 /* bytes a sniff sees */

/* An input's bytes: a file, or bytes in memory (an archive member). */
typedef struct blob {
    const char *name;          /* shown in messages: "bills/a.csv", "a.zip!2025/b.csv" */
    const char *path;          /* the file to read when data is NULL */
    const unsigned char *data; /* the bytes in memory, else NULL */
    size_t len;
} blob_t;

/* Called by an archive for each member: m holds its bytes (m->data), label says how it
 * was stored ("zip", "zip(aes)", "zip(zipcrypto)"). merr is set instead when this member
 * could not be extracted (m->data NULL): a bomb, a CRC error. */
typedef void (*member_fn)(void *ctx, const blob_t *m, const char *label, const char *merr);

struct container {
    const char *id; /* "text", "xlsx", "zip", "xls", "html-table", "xml2003", ... */
    int (*sniff)(const blob_t *b, const unsigned char *head, size_t n, char *why, size_t whylen);
    rowsrc_t *(*open)(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen);
    int (*members)(const blob_t *b, int depth, member_fn each, void *ctx, char *err, size_t errlen);
    int prose; /* RS_LINES works: its lines can be contract text */
};

extern const container_t *const containers[];
extern const container_t container_text, container_xlsx, container_zip, container_xls,
    container_html_table, container_xml2003, container_pdf;

/* The legacy .xls reader (src/xls.c) is this program run anew as `PROGRAM __xls-reader
 * PATH SHEET`: every program that may read a .xls (billaudit, the fuzz harnesses and their
 * replay driver) calls xls_reader_main first thing in main; it returns -1 when argv is not
 * that call, else never returns. */
#define XLS_READER_ARG "__xls-reader"
int xls_reader_main(int argc, char **argv);

/* The container of b (the first entry whose sniff claims it). Never NULL: when the input
 * cannot be read at all, or an entry recognises it only to refuse it, the entry is
 * returned with open and members NULL and the reason in why. */
const container_t *container_of(const blob_t *b, char *why, size_t whylen);
/* Opens a regular file for reading (no FIFO, device or directory); -1 with err. */
int blob_open_file(const char *path, char *err, size_t errlen);
/* Reads b's first bytes (up to cap) into buf; -1 with err when the file cannot be read. */
long blob_head(const blob_t *b, unsigned char *buf, size_t cap, char *err, size_t errlen);
/* The whole input (a copy, NUL-terminated), refused past max bytes. NULL with err. */
unsigned char *blob_load(const blob_t *b, size_t max, size_t *len, char *err, size_t errlen);
/* The input's size in bytes (0 when the file cannot be looked at: its reader says why). */
long blob_size(const blob_t *b);
/* A blob for a file. */
static inline blob_t blob_file(const char *path)
{
    return (blob_t){path, path, NULL, 0};
}

#endif
