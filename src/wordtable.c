/* Layout reading of words with boxes into rows of cells (see wordtable.h). */
#include "wordtable.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *text;
    double x0, y0, x1, y1;
    int page, conf;
} word;

typedef struct {
    double x0, x1;
} column;

struct wordtable {
    word *w;
    size_t nw, capw;
    column *cols;
    size_t ncols;
    char *header; /* header cells joined by tabs, to drop repeats */
    wt_row *rows;
    size_t nrows, caprows;
    int line_on_page;
    int last_page;
};

wordtable *wt_new(void)
{
    wordtable *t = xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    return t;
}

void wt_add(wordtable *t, const wt_word *in)
{
    if (t->nw == t->capw) {
        t->capw = t->capw ? 2 * t->capw : 64;
        t->w = xrealloc(t->w, t->capw * sizeof *t->w);
    }
    word *w = &t->w[t->nw++];
    w->text = xstrdup(in->text ? in->text : "");
    w->x0 = in->x0, w->y0 = in->y0, w->x1 = in->x1, w->y1 = in->y1;
    w->page = in->page, w->conf = in->conf;
}

static int by_top(const void *a, const void *b)
{
    const word *p = a, *q = b;
    double d = (p->y0 + p->y1) - (q->y0 + q->y1);
    return d < 0 ? -1 : d > 0;
}

static int by_left(const void *a, const void *b)
{
    const word *p = a, *q = b;
    return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

/* Words whose vertical middle lies inside the line's extent share a baseline. */
static size_t line_end(const word *w, size_t from, size_t n)
{
    double top = w[from].y0, bot = w[from].y1;
    size_t i = from + 1;
    while (i < n) {
        double mid = (w[i].y0 + w[i].y1) / 2;
        if (mid < top || mid > bot)
            break;
        i++;
    }
    return i;
}

/* Two neighbouring words belong to one group when the gap is under a glyph height. */
static int same_group(const word *a, const word *b)
{
    double h = a->y1 - a->y0;
    return b->x0 - a->x1 < (h > 0 ? h : 1);
}

static void push_row(wordtable *t, char **cells, size_t n, int page, int conf)
{
    if (t->nrows == t->caprows) {
        t->caprows = t->caprows ? 2 * t->caprows : 64;
        t->rows = xrealloc(t->rows, t->caprows * sizeof *t->rows);
    }
    wt_row *r = &t->rows[t->nrows++];
    r->cells = cells, r->ncells = n, r->page = page, r->conf = conf;
    r->line = ++t->line_on_page;
}

static void append(char **cell, const char *s, int space)
{
    size_t a = strlen(*cell), b = strlen(s);
    *cell = xrealloc(*cell, a + b + 2);
    if (a && space)
        (*cell)[a++] = ' ';
    memcpy(*cell + a, s, b + 1);
}

/* CJK and digits rejoin without a space (a number broken mid-way); Latin words with one. */
static int needs_space(const char *prev, const char *next)
{
    size_t n = strlen(prev);
    if (!n || !*next)
        return 0;
    unsigned char p = (unsigned char)prev[n - 1], q = (unsigned char)next[0];
    if (strchr(next, ':') && !strchr(prev, ':'))
        return 1; /* a time under its date */
    return p < 0x80 && q < 0x80 && ((p >= 'A' && p <= 'z') || (q >= 'A' && q <= 'z'));
}

static int min_conf(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* Groups of one line: cells of adjacent words. */
static size_t groups(const word *w, size_t n, char ***out, column **ext, int *conf)
{
    char **cells = NULL;
    column *cx = NULL;
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        *conf = min_conf(*conf, w[i].conf);
        if (i && same_group(&w[i - 1], &w[i])) {
            append(&cells[g - 1], w[i].text, needs_space(cells[g - 1], w[i].text));
            cx[g - 1].x1 = w[i].x1;
            continue;
        }
        cells = xrealloc(cells, (g + 1) * sizeof *cells);
        cx = xrealloc(cx, (g + 1) * sizeof *cx);
        cells[g] = xstrdup(w[i].text);
        cx[g].x0 = w[i].x0, cx[g].x1 = w[i].x1;
        g++;
    }
    *out = cells;
    *ext = cx;
    return g;
}

static char *joined(char **cells, size_t n)
{
    sbuf_t b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&b, '\t');
        sb_add(&b, cells[i]);
    }
    return sb_take(&b);
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* The column a word falls in: the one its middle lies in, else the nearest. */
static size_t column_of(const wordtable *t, const word *w)
{
    double mid = (w->x0 + w->x1) / 2, best = 1e300;
    size_t k = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        double lo = c ? (t->cols[c - 1].x1 + t->cols[c].x0) / 2 : -1e300;
        double hi = c + 1 < t->ncols ? (t->cols[c].x1 + t->cols[c + 1].x0) / 2 : 1e300;
        if (mid >= lo && mid < hi)
            return c;
        double d = mid < t->cols[c].x0 ? t->cols[c].x0 - mid : mid - t->cols[c].x1;
        if (d < best)
            best = d, k = c;
    }
    return k;
}

static size_t filled(char **cells, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += cells[i][0] != 0;
    return k;
}

/* A line continues the row above (wrapped cells) when its first column is empty, it fills
 * under half the columns, or it sits closer under the row than rows sit apart (tight). */
static void table_line(wordtable *t, const word *w, size_t n, int page, int tight)
{
    char **cells = xmalloc(t->ncols * sizeof *cells);
    int conf = -1;
    for (size_t c = 0; c < t->ncols; c++)
        cells[c] = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        size_t c = column_of(t, &w[i]);
        append(&cells[c], w[i].text, needs_space(cells[c], w[i].text));
        conf = min_conf(conf, w[i].conf);
    }
    char *j = joined(cells, t->ncols);
    int repeat = strcmp(j, t->header) == 0;
    free(j);
    wt_row *prev = t->nrows ? &t->rows[t->nrows - 1] : NULL;
    if (repeat) {
        free_cells(cells, t->ncols);
    } else if ((tight || !cells[0][0] || 2 * filled(cells, t->ncols) < t->ncols) && prev &&
               prev->ncells == t->ncols && prev->page == page) {
        for (size_t c = 0; c < t->ncols; c++)
            append(&prev->cells[c], cells[c], needs_space(prev->cells[c], cells[c]));
        prev->conf = min_conf(prev->conf, conf);
        free_cells(cells, t->ncols);
    } else {
        push_row(t, cells, t->ncols, page, conf);
    }
}

static void lay_out_line(wordtable *t, word *w, size_t n, int page, int tight)
{
    qsort(w, n, sizeof *w, by_left);
    if (t->ncols) {
        table_line(t, w, n, page, tight);
        return;
    }
    char **cells;
    column *cx;
    int conf = -1;
    size_t g = groups(w, n, &cells, &cx, &conf);
    if (g >= WT_MIN_COLS) {
        t->cols = cx;
        t->ncols = g;
        t->header = joined(cells, g);
    } else {
        free(cx);
    }
    push_row(t, cells, g, page, conf);
}

void wt_end_page(wordtable *t)
{
    if (!t->nw)
        return;
    int page = t->w[0].page;
    if (page != t->last_page)
        t->line_on_page = 0, t->last_page = page;
    qsort(t->w, t->nw, sizeof *t->w, by_top);
    double prev_bot = -1e300;
    for (size_t i = 0; i < t->nw;) {
        size_t e = line_end(t->w, i, t->nw);
        double top = t->w[i].y0, h = t->w[i].y1 - t->w[i].y0, bot = t->w[i].y1;
        for (size_t k = i; k < e; k++)
            bot = t->w[k].y1 > bot ? t->w[k].y1 : bot;
        lay_out_line(t, t->w + i, e - i, page, top - prev_bot < 0.4 * h);
        prev_bot = bot;
        i = e;
    }
    for (size_t i = 0; i < t->nw; i++)
        free(t->w[i].text);
    t->nw = 0;
}

size_t wt_nrows(const wordtable *t)
{
    return t->nrows;
}

const wt_row *wt_row_at(const wordtable *t, size_t i)
{
    return i < t->nrows ? &t->rows[i] : NULL;
}

void wt_drop_rows(wordtable *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        free_cells(t->rows[i].cells, t->rows[i].ncells);
    t->nrows = 0;
}

void wt_free(wordtable *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nw; i++)
        free(t->w[i].text);
    wt_drop_rows(t);
    free(t->w);
    free(t->rows);
    free(t->cols);
    free(t->header);
    free(t);
}
