/* Format detection: every parser scores the first rows of the content; the
 * file name never decides. */
#include "parser.h"
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

static void row_copy(row_t *dst, const row_t *src)
{
    dst->n = src->n;
    dst->line = src->line;
    dst->raw = xstrdup(src->raw ? src->raw : "");
    dst->cells = xcalloc((size_t)src->n + 1, sizeof *dst->cells);
    dst->flags = xcalloc((size_t)src->n + 1, 1);
    for (int i = 0; i < src->n; i++) {
        dst->cells[i] = xstrdup(src->cells[i]);
        dst->flags[i] = src->flags ? src->flags[i] : 0;
    }
}

static void sniff_free(sniff_t *s)
{
    for (int i = 0; i < s->nrows; i++) {
        for (int k = 0; k < s->rows[i].n; k++)
            free(s->rows[i].cells[k]);
        free(s->rows[i].cells);
        free(s->rows[i].flags);
        free((char *)s->rows[i].raw);
    }
    s->nrows = 0;
}

static int sniff_load(sniff_t *s, rowsrc_t *rs)
{
    row_t r;
    int rc;
    while (s->nrows < SNIFF_ROWS && (rc = rowsrc_next(rs, &r)) == 1)
        row_copy(&s->rows[s->nrows++], &r);
    return s->nrows;
}

/* Scores every parser on the sniffed rows; the best wins, registry order breaks ties. */
static void score_all(const sniff_t *s, detect_t *d, int verbose)
{
    for (int i = 0; parsers[i]; i++) {
        char why[200] = "";
        int score = parsers[i]->sniff(s, why, sizeof why);
        if (verbose)
            fprintf(stderr, "%s: %-20s score %3d%s%s\n", s->path, parsers[i]->id, score,
                    why[0] ? "  " : "", why);
        if (score > d->score) {
            d->score = score;
            d->parser = parsers[i];
        }
    }
}

int detect_file(const char *path, detect_t *d, int verbose)
{
    memset(d, 0, sizeof *d);
    d->container = container_sniff(path, d->reason, sizeof d->reason);
    if (d->container != CT_TEXT && d->container != CT_XLSX)
        return -1;
    char err[256] = "";
    rowsrc_t *rs = rowsrc_open(path, RS_CELLS, err, sizeof err);
    if (!rs) {
        snprintf(d->reason, sizeof d->reason, "%s", err);
        return -1;
    }
    snprintf(d->encoding, sizeof d->encoding, "%s", rs->encoding);
    sniff_t *s = xcalloc(1, sizeof *s);
    s->path = path;
    s->container = d->container;
    sniff_load(s, rs);
    rowsrc_close(rs);
    score_all(s, d, verbose);
    sniff_free(s);
    free(s);
    if (!d->parser) {
        snprintf(d->reason, sizeof d->reason, "unrecognised format");
        return -1;
    }
    return 0;
}
