/* Format detection: every parser scores the first rows of the content; the
 * file name never decides. */
#include "parser.h"
#include "container.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *known_formats(void)
{
    static char buf[512];
    if (!buf[0]) {
        size_t n = 0;
        for (int i = 0; parsers[i] && n < sizeof buf - 64; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "", parsers[i]->id);
    }
    return buf;
}

/* A sniffed row as one allocation (its cell pointers, then the texts, then the flags):
 * sixty rows are copied for every table tried. */
static void row_copy(row_t *dst, const row_t *src)
{
    const char *raw = src->raw ? src->raw : "";
    size_t n = (size_t)src->n, text = strlen(raw) + 1;
    for (size_t i = 0; i < n; i++)
        text += strlen(src->cells[i]) + 1;
    char **cells = xmalloc((n + 1) * sizeof *cells + text + n + 1);
    char *p = (char *)(cells + n + 1);
    dst->n = src->n;
    dst->line = src->line;
    dst->damaged = src->damaged;
    dst->cells = cells;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(src->cells[i]) + 1;
        cells[i] = memcpy(p, src->cells[i], len);
        p += len;
    }
    cells[n] = NULL;
    dst->raw = memcpy(p, raw, strlen(raw) + 1);
    p += strlen(raw) + 1;
    dst->flags = (unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        dst->flags[i] = src->flags ? src->flags[i] : 0;
    dst->flags[n] = 0;
}

static void sniff_free(sniff_t *s)
{
    if (s->heads_free)
        s->heads_free(s->heads);
    s->heads = NULL;
    for (int i = 0; i < s->nrows; i++)
        free(s->rows[i].cells); /* the row's one allocation */
    s->nrows = 0;
}

size_t sniff_row_bytes(const row_t *r)
{
    size_t n = r->raw ? strlen(r->raw) : 0;
    for (int i = 0; i < r->n; i++)
        n += r->cells[i] ? strlen(r->cells[i]) : 0;
    return n;
}

/* Copies the first rows, SNIFF_ROWS of them or SNIFF_MAX_BYTES; -1 when the reader failed
 * before giving any (err set). */
static int sniff_load(sniff_t *s, rowsrc_t *rs)
{
    static unsigned long serials;
    row_t r;
    int rc = 0;
    size_t bytes = 0;
    s->serial = ++serials;
    while (s->nrows < SNIFF_ROWS && bytes < SNIFF_MAX_BYTES && (rc = rowsrc_next(rs, &r)) == 1) {
        bytes += sniff_row_bytes(&r);
        row_copy(&s->rows[s->nrows++], &r);
    }
    return rc < 0 ? -1 : s->nrows;
}

/* Scores every parser on the sniffed rows; the best wins, registry order breaks ties. */
static void score_all(const sniff_t *s, detect_t *d, sbuf_t *scores)
{
    for (int i = 0; parsers[i]; i++) {
        char why[200] = "";
        int score = parsers[i]->sniff(s, why, sizeof why);
        if (scores)
            sb_addf(scores, "%s: %-20s score %3d%s%s\n", name_shown(s->path), parsers[i]->id, score,
                    why[0] ? "  " : "", why);
        if (score > d->score) {
            d->score = score;
            d->parser = parsers[i];
        }
    }
}

/* Fewer than two of a format's columns on one row is no evidence: a 金额 or 时间
 * column alone is in every table. */
#define NEAR_MIN 2

void near_reason(char *why, size_t whylen, const char *what, const char *found, const char *missing)
{
    if (whylen < 8)
        return;
    char *text = xasprintf("looks like %s (%s found) but has %s", what, found, missing);
    size_t n = strlen(text);
    if (n >= whylen) {
        n = utf8_valid_prefix((const unsigned char *)text, whylen - 4); /* room for "…" */
        strcpy(text + n, "…");
        n += strlen("…");
    }
    memcpy(why, text, n);
    why[n] = 0;
    free(text);
}

/* When no parser took the rows: the format they come closest to, by its near count. */
static void near_all(const sniff_t *s, detect_t *d)
{
    for (int i = 0; parsers[i]; i++) {
        char why[sizeof d->reason] = "";
        int n = parsers[i]->near ? parsers[i]->near(s, why, sizeof why) : 0;
        if (n >= NEAR_MIN && n > d->near) {
            d->near = n;
            snprintf(d->reason, sizeof d->reason, "%s", why);
        }
    }
}

rowsrc_t *detect_open_blob(const blob_t *b, const detect_t *d, rs_mode_t mode, char *err,
                           size_t errlen)
{
    if (!d->container || !d->container->open) {
        snprintf(err, errlen, "%s", d->reason[0] ? d->reason : "not a file of rows");
        return NULL;
    }
    if (mode == RS_LINES && !d->container->prose) {
        snprintf(err, errlen, "not a text file");
        return NULL;
    }
    return d->container->open(b, mode == RS_CELLS ? d->sheet : 0, mode, err, errlen);
}

rowsrc_t *detect_open(const char *path, const detect_t *d, rs_mode_t mode, char *err, size_t errlen)
{
    blob_t b = blob_file(path);
    return detect_open_blob(&b, d, mode, err, errlen);
}

/* Scores one table (sheet) of the input; 1 when a parser took it, 0 when none did, -1
 * on a reader error or past the last table (err ""). */
static int detect_one(const blob_t *b, detect_t *d, int table, sbuf_t *scores, char *err,
                      size_t errlen)
{
    d->sheet = table;
    rowsrc_t *rs = detect_open_blob(b, d, RS_CELLS, err, errlen);
    if (!rs)
        return -1;
    snprintf(d->encoding, sizeof d->encoding, "%s", rs->encoding);
    snprintf(d->label, sizeof d->label, "%s", rs->label);
    sniff_t *s = xcalloc(1, sizeof *s);
    s->path = b->name;
    s->container = d->container;
    int rc = sniff_load(s, rs);
    if (rc < 0)
        snprintf(err, errlen, "%s", rs->err);
    rowsrc_close(rs);
    score_all(s, d, scores);
    if (!d->parser)
        near_all(s, d);
    sniff_free(s);
    free(s);
    return d->parser ? 1 : rc < 0 ? -1 : 0;
}

/* A workbook (or a page of tables) is tried table by table: the first whose content
 * matches. */
#define MAX_TABLES 64

int detect_blob(const blob_t *b, detect_t *d, sbuf_t *scores)
{
    memset(d, 0, sizeof *d);
    d->container = container_of(b, d->reason, sizeof d->reason);
    if (!d->container->open) {
        if (d->container->members)
            snprintf(d->reason, sizeof d->reason, "an archive");
        return -1;
    }
    d->reason[0] = 0;
    char err[256] = "";
    int rc = 0;
    for (int i = 0; i < MAX_TABLES; i++) {
        err[0] = 0;
        rc = detect_one(b, d, i, scores, err, sizeof err);
        if (rc == 1)
            return 0;
        if (rc < 0)
            break; /* a reader error, or past the last table */
    }
    if (rc < 0 && err[0])
        snprintf(d->reason, sizeof d->reason, "%s", err);
    else if (!d->near)
        snprintf(d->reason, sizeof d->reason, "unrecognised format");
    return -1;
}

int detect_file(const char *path, detect_t *d, sbuf_t *scores)
{
    blob_t b = blob_file(path);
    return detect_blob(&b, d, scores);
}
