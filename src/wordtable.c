/* Layout reading of words with boxes into rows of cells (see wordtable.h). */
#include "wordtable.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define MAX_FURNITURE 64 /* preamble lines remembered as possible running titles */

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
    double hh;    /* height of the header's words */
    char *header; /* header cells, normalised (furniture_key), to drop repeats */
    int key;      /* the column every record fills (date, else amount), -1 when none */
    int key_date; /* key holds dates (else amounts) */
    char *furniture[MAX_FURNITURE]; /* preamble lines, normalised: running titles */
    size_t nfurniture;
    int ended;        /* the closing 说明 text was met: nothing after it is a row */
    int after_header; /* the last row pushed is the header: nothing continues it */
    int prose;        /* lines of text, no table: each line one row of one cell */
    wt_row *rows;
    size_t nrows, caprows;
    int line_on_page;
    int last_page;
};

wordtable *wt_new(void)
{
    wordtable *t = xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    t->key = -1;
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

size_t wt_npending(const wordtable *t)
{
    return t->nw;
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

static double height(const word *w)
{
    double h = w->y1 - w->y0;
    return h > 0 ? h : 1;
}

/* Two neighbouring words belong to one group when the gap is under a glyph height. */
static int same_group(const word *a, const word *b)
{
    return b->x0 - a->x1 < height(a);
}

/* On one line, words further apart than a thin space were written with a space between:
 * "话费充值 186****5678" keeps it, characters set one by one (OCR) do not get one. */
static int gap_space(const word *a, const word *b)
{
    return b->x0 - a->x1 > 0.15 * height(a);
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

static int ascii_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A cell wrapped onto the next line: CJK and digits rejoin without a space (a number
 * broken mid-way), Latin words and a time under its date with one. */
static int needs_space(const char *prev, const char *next)
{
    size_t n = strlen(prev);
    if (!n || !*next)
        return 0;
    unsigned char p = (unsigned char)prev[n - 1], q = (unsigned char)next[0];
    if (strchr(next, ':') && !strchr(prev, ':'))
        return 1; /* a time under its date */
    return p < 0x80 && q < 0x80 && (ascii_letter(p) || ascii_letter(q));
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
            append(&cells[g - 1], w[i].text, gap_space(&w[i - 1], &w[i]));
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

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* ---- what a line says: furniture, the closing note, a record's key value ---- */

/* Text compared across pages: whitespace (U+3000 too) and digits removed, so that
 * "第2页" and "编号:0042" repeat as one line. */
static char *furniture_key(const word *w, size_t n)
{
    sbuf_t b = {0};
    for (size_t i = 0; i < n; i++)
        for (const char *p = w[i].text; *p; p++) {
            if (!strncmp(p, "\xE3\x80\x80", 3)) {
                p += 2;
                continue;
            }
            if (*p != ' ' && *p != '\t' && (*p < '0' || *p > '9'))
                sb_addc(&b, *p);
        }
    return b.p ? sb_take(&b) : xstrdup("");
}

/* 第N页/共M页, 第 N 页 共 M 页, 第N页 (digits already removed by furniture_key). */
static int page_number(const char *k)
{
    return !strcmp(k, "第页/共页") || !strcmp(k, "第页共页") || !strcmp(k, "第页，共页") ||
           !strcmp(k, "第页") || !strcmp(k, "第页／共页") || !strcmp(k, "/") ||
           !strcmp(k, "-页-") || !strcmp(k, "共页第页");
}

static int is_furniture(const wordtable *t, const char *k)
{
    if (page_number(k))
        return 1;
    for (size_t i = 0; i < t->nfurniture; i++)
        if (!strcmp(t->furniture[i], k))
            return 1;
    return 0;
}

static int closing_note(const char *first_word)
{
    return !strncmp(first_word, "说明：", strlen("说明：")) ||
           !strncmp(first_word, "说明:", strlen("说明:")) || !strcmp(first_word, "说明");
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digits(const char *s)
{
    size_t n = 0;
    while (digit(s[n]))
        n++;
    return n;
}

/* A date opens a cell: 2025-03-08, 2025/3/8, 2025年3月8日, 20250308…, 03-08 09:41. A time
 * alone (09:41:27, the second line of a wrapped date-time) is not one. */
static int dateish(const char *s)
{
    size_t n = digits(s);
    if (n == 4 && (s[4] == '-' || s[4] == '/' || s[4] == '.' || !strncmp(s + 4, "年", 3)))
        return digit(s[4 + (s[4] == '-' || s[4] == '/' || s[4] == '.' ? 1 : 3)]);
    if (n >= 8)
        return 1;
    if ((n == 1 || n == 2) && (s[n] == '-' || s[n] == '/'))
        return digits(s + n + 1) >= 1;
    return (n == 1 || n == 2) && !strncmp(s + n, "月", 3) && digit(s[n + 3]);
}

/* An amount: -5.00, ¥1,234.50, 58元. */
static int amountish(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    else if (!strncmp(s, "−", strlen("−")))
        s += strlen("−");
    if (!strncmp(s, "¥", strlen("¥")))
        s += strlen("¥");
    else if (!strncmp(s, "￥", strlen("￥")))
        s += strlen("￥");
    if (!digit(*s))
        return 0;
    while (digit(*s) || *s == ',')
        s++;
    if (*s == '.')
        for (s++; digit(*s); s++)
            ;
    return !*s || !strcmp(s, "元");
}

/* The column that tells a record's first line: the date or date-time
 * column where there is one, else the amount column. */
static void choose_key(wordtable *t, char **cells, size_t n)
{
    static const char *const dates[] = {"时间", "日期", "账期", "月份"};
    for (size_t c = 0; c < n; c++)
        for (size_t k = 0; k < sizeof dates / sizeof *dates; k++)
            if (strstr(cells[c], dates[k])) {
                t->key = (int)c, t->key_date = 1;
                return;
            }
    for (size_t c = 0; c < n; c++)
        if (strstr(cells[c], "金额") || strstr(cells[c], "(元)") || strstr(cells[c], "（元）")) {
            t->key = (int)c, t->key_date = 0;
            return;
        }
}

/* ---- cutting a line into the header's columns ---- */

/* Where column c ends: just before the next header cell starts (cells are left-aligned
 * under their header, so a long value runs right up to the next column). */
static double column_end(const wordtable *t, size_t c)
{
    if (c + 1 >= t->ncols)
        return 1e300;
    double gap = t->cols[c + 1].x0 - t->cols[c].x1;
    return t->cols[c + 1].x0 - (gap / 2 < t->hh ? gap / 2 : t->hh);
}

/* The column a word falls in: the one whose extent it overlaps most. */
static size_t column_of(const wordtable *t, const word *w)
{
    double best = -1;
    size_t k = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        double lo = c ? column_end(t, c - 1) : -1e300, hi = column_end(t, c);
        double a = w->x0 > lo ? w->x0 : lo, b = w->x1 < hi ? w->x1 : hi;
        double o = b - a;
        if (o <= 0 && w->x0 >= lo && w->x0 < hi)
            o = 0; /* a word of no width: where it starts */
        if (o > best)
            best = o, k = c;
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

/* Does this line start a record? Where the table has a key column: when that cell holds
 * a date (an amount); else when its first cell is filled and it fills half the columns. */
static int starts_record(const wordtable *t, char **cells)
{
    if (t->key >= 0) {
        const char *k = cells[t->key];
        return t->key_date ? dateish(k) : amountish(k);
    }
    return cells[0][0] && 2 * filled(cells, t->ncols) >= t->ncols;
}

/* A line continues the row above (wrapped cells) when it starts no record and either
 * sits closer under the row than rows sit apart (tight) or leaves the first column empty.
 * A line without a key value that stands apart (合计 under the records) is a row. */
static void table_line(wordtable *t, const word *w, size_t n, int page, int tight)
{
    char **cells = xmalloc(t->ncols * sizeof *cells);
    const word **last = xcalloc(t->ncols, sizeof *last);
    int conf = -1;
    for (size_t c = 0; c < t->ncols; c++)
        cells[c] = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        size_t c = column_of(t, &w[i]);
        append(&cells[c], w[i].text, last[c] && gap_space(last[c], &w[i]));
        last[c] = &w[i];
        conf = min_conf(conf, w[i].conf);
    }
    free(last);
    wt_row *prev = t->nrows ? &t->rows[t->nrows - 1] : NULL;
    int cont = prev && !t->after_header && prev->ncells == t->ncols && prev->page == page &&
               !starts_record(t, cells) &&
               (tight || !cells[0][0] || (t->key < 0 && 2 * filled(cells, t->ncols) < t->ncols));
    if (cont) {
        for (size_t c = 0; c < t->ncols; c++)
            append(&prev->cells[c], cells[c], needs_space(prev->cells[c], cells[c]));
        prev->conf = min_conf(prev->conf, conf);
        free_cells(cells, t->ncols);
    } else {
        push_row(t, cells, t->ncols, page, conf);
        t->after_header = 0;
    }
}

static void take_header(wordtable *t, char **cells, column *cx, size_t g, const word *w)
{
    t->cols = cx;
    t->ncols = g;
    t->hh = height(w);
    choose_key(t, cells, g);
}

void wt_set_prose(wordtable *t)
{
    t->prose = 1;
}

/* Prose: the line's words joined (a space where a gap shows one); page numbers dropped. */
static void prose_line(wordtable *t, const word *w, size_t n, int page)
{
    char *k = furniture_key(w, n);
    int drop = page_number(k);
    free(k);
    if (drop)
        return;
    char **cell = xmalloc(sizeof *cell);
    cell[0] = xstrdup("");
    for (size_t i = 0; i < n; i++)
        append(&cell[0], w[i].text, i && gap_space(&w[i - 1], &w[i]));
    push_row(t, cell, 1, page, -1);
}

static void lay_out_line(wordtable *t, word *w, size_t n, int page, int tight)
{
    qsort(w, n, sizeof *w, by_left);
    if (t->prose) {
        prose_line(t, w, n, page);
        return;
    }
    if (t->ended)
        return;
    char *k = furniture_key(w, n);
    if (t->ncols && closing_note(w[0].text))
        t->ended = 1;
    int drop = t->ended || is_furniture(t, k) || (t->header && !strcmp(k, t->header));
    if (drop) {
        free(k);
        return;
    }
    if (t->ncols) {
        free(k);
        table_line(t, w, n, page, tight);
        return;
    }
    char **cells;
    column *cx;
    int conf = -1;
    size_t g = groups(w, n, &cells, &cx, &conf);
    if (g >= WT_MIN_COLS) {
        take_header(t, cells, cx, g, w);
        t->header = k;
        t->after_header = 1;
    } else {
        free(cx);
        if (t->nfurniture < MAX_FURNITURE && *k)
            t->furniture[t->nfurniture++] = k;
        else
            free(k);
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
    for (size_t i = 0; i < t->nfurniture; i++)
        free(t->furniture[i]);
    free(t->w);
    free(t->rows);
    free(t->cols);
    free(t->header);
    free(t);
}
