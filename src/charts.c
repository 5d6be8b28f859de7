/* The month-by-month chart of each service: what the bills charged (bars by class),
 * the part in dispute, what the usage logs hold (a lane per log kind), cancellation,
 * suspension and contract end on the axis. Past three years of bills the bars are
 * quarters, past ten years years, so ten years stay readable on one A4 width. */
#include "charts.h"
#include "data.h"
#include "docctx.h"
#include "rulekit.h"
#include "svg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- words ---- */

typedef struct {
    char *key, *text;
} label_t;
static VEC(label_t) labels;
static int labels_loaded;

static void label_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n >= 2) {
        label_t l = {xstrdup(f[0]), xstrdup(f[1])};
        VEC_PUSH(labels, l);
    }
}

const char *chart_word(const char *key)
{
    if (!labels_loaded) {
        data_tsv_each("src/templates/chart-labels.txt", label_row, NULL);
        labels_loaded = 1;
    }
    for (size_t i = 0; i < labels.n; i++)
        if (!strcmp(labels.items[i].key, key))
            return labels.items[i].text;
    return key; /* a missing word shows its key: visible in review, never a crash */
}

char *chart_sentence(const char *key, const tctx_t *c)
{
    const char *t = chart_word(key);
    sbuf_t b = {0};
    char err[256];
    if (tmpl_render(key, t, strlen(t), c, TMPL_TEXT, &b, NULL, NULL, err, sizeof err) != 0) {
        sb_free(&b);
        return xstrdup(t);
    }
    return sb_take(&b);
}

char *chart_yuan(fen_t v, char *buf)
{
    money_fmt(v, buf);
    size_t n = strlen(buf);
    if (n > 3 && !strcmp(buf + n - 3, ".00"))
        buf[n - 3] = 0;
    return buf;
}

static char *months_text(ym_t lo, ym_t hi)
{
    char x[16], y[16];
    if (lo == hi)
        return xstrdup(ym_fmt(lo, x));
    return xasprintf("%s 至 %s", ym_fmt(lo, x), ym_fmt(hi, y));
}

fen_t chart_add(fen_t a, fen_t b)
{
    fen_add(&a, b); /* held at its bound, and it stays there: labelled "out of range" */
    return a;
}

int chart_pick_row(double *ends, int max, double x0, double x1)
{
    for (int r = 0; r < max; r++)
        if (ends[r] < x0) {
            ends[r] = x1 + 6;
            return r;
        }
    ends[max - 1] = x1 + 6;
    return max - 1;
}

/* ---- the time axis of the service charts: months, or quarters/years past 3/10 years ---- */

typedef struct {
    ym_t lo, hi; /* first and last month with bills (within --since/--until) */
    ym_t first;  /* first month of bucket 0 */
    int per, n;  /* months per bucket, buckets */
} axis_t;

int chart_floor_mod(int v, int m)
{
    int r = v % m;
    return r < 0 ? r + m : r;
}

static int axis_make(const audit_t *a, axis_t *ax)
{
    ym_t lo = NO_YM, hi = NO_YM;
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        if (b->excluded || b->period == NO_YM || (a->since != NO_YM && b->period < a->since) ||
            (a->until != NO_YM && b->period > a->until))
            continue;
        if (lo == NO_YM || b->period < lo)
            lo = b->period;
        if (hi == NO_YM || b->period > hi)
            hi = b->period;
    }
    if (lo == NO_YM)
        return 0;
    long span = (long)hi - lo + 1;
    ax->lo = lo, ax->hi = hi;
    if (span <= 36)
        ax->per = 1;
    else if (span <= 120)
        ax->per = 3;
    else
        ax->per = 12 * (int)((span + 12 * 40 - 1) / (12 * 40)); /* at most about 40 bars */
    ax->first = lo - chart_floor_mod(lo, ax->per);
    ax->n = (int)((hi - ax->first) / ax->per + 1);
    return 1;
}

static int bucket_of(const axis_t *ax, ym_t m)
{
    if (m == NO_YM || m < ax->lo || m > ax->hi)
        return -1;
    return (m - ax->first) / ax->per;
}

/* Months of bucket k that lie within the bills' range. */
static void bucket_months(const axis_t *ax, int k, ym_t *from, ym_t *to)
{
    ym_t f = ax->first + k * ax->per, t = f + ax->per - 1;
    *from = f < ax->lo ? ax->lo : f;
    *to = t > ax->hi ? ax->hi : t;
}

static void bucket_name(const axis_t *ax, int k, char *buf, size_t len)
{
    ym_t f = ax->first + k * ax->per;
    if (ax->per == 1)
        ym_fmt(f, buf);
    else if (ax->per == 3)
        snprintf(buf, len, "%d Q%d", ym_year(f), (ym_month(f) - 1) / 3 + 1);
    else if (ax->per == 12)
        snprintf(buf, len, "%d", ym_year(f));
    else
        snprintf(buf, len, "%d–%d", ym_year(f), ym_year(f) + ax->per / 12 - 1);
}

static const char *unit_word(const axis_t *ax)
{
    return chart_word(ax->per == 1    ? "unit-1"
                      : ax->per == 3  ? "unit-3"
                      : ax->per == 12 ? "unit-12"
                                      : "unit-n");
}

/* ---- geometry ---- */

#define PH 170.0   /* height of the bar plot */
#define LANEH 34.0 /* one usage lane */

static double slot_w(const axis_t *ax)
{
    return (CW - ML - MR) / ax->n;
}

static double x_bucket(const axis_t *ax, int k)
{
    return ML + k * slot_w(ax);
}

/* x of day d; *where: -1 before the axis, 1 after it, 0 on it. */
static double x_day(const axis_t *ax, day_t d, int *where)
{
    ym_t m = ym_of_day(d), end = ax->first + ax->n * ax->per;
    if (m < ax->first) {
        *where = -1;
        return ML;
    }
    if (m >= end) {
        *where = 1;
        return CW - MR;
    }
    *where = 0;
    int k = (m - ax->first) / ax->per;
    day_t b0 = ym_first_day(ax->first + k * ax->per),
          b1 = ym_first_day(ax->first + (k + 1) * ax->per);
    return x_bucket(ax, k) + slot_w(ax) * (double)(d - b0) / (double)(b1 - b0);
}

/* ---- one chart per service ---- */

enum { G_FEE, G_USAGE, G_VAS, G_PENALTY, G_OTHER, NGROUPS };
static const char *const group_keys[NGROUPS] = {"g-fee", "g-usage", "g-vas", "g-penalty",
                                                "g-other"};

static int group_of(bill_class_t c)
{
    switch (c) {
    case CL_RECURRING:
        return G_FEE;
    case CL_VOICE:
    case CL_DATA:
    case CL_SMS:
        return G_USAGE;
    case CL_VAS:
    case CL_THIRDPARTY:
        return G_VAS;
    case CL_PENALTY:
        return G_PENALTY;
    default:
        return G_OTHER;
    }
}

typedef struct {
    fen_t seg[NGROUPS];
    fen_t net, disputed;
    long lines;
    VEC(size_t) finds; /* findings of this chart in this bucket */
} cbin_t;

typedef struct {
    rsvc_t s;
    cbin_t *bins;
    long lines;
    ukind_t kinds[3];
    int nkinds;
} chart_t;

typedef struct {
    day_t from, to;  /* to: NO_DAY for a single day */
    const char *key; /* ev-cancel, ev-end, ev-suspend */
} event_t;

static const char *const kind_keys[U_NKINDS] = {"voice", "data", "sms", "vas", "broadband"};

/* A usage lane's data for bucket k. */
typedef struct {
    long count;
    int months, covered; /* months of the bucket, those the logs cover whole */
} ubin_t;

static ubin_t usage_bin(const audit_t *a, const axis_t *ax, ukind_t k, int b)
{
    ubin_t u = {0, 0, 0};
    ym_t from, to;
    bucket_months(ax, b, &from, &to);
    for (ym_t m = from; m <= to; m++) {
        u.months++;
        u.count += usage_count(a, k, m, NULL);
        u.covered += usage_covered(a, k, m);
    }
    return u;
}

/* Was a log of kind k read at all (or is coverage declared in the profile)? */
static int kind_present(const audit_t *a, ukind_t k)
{
    if (a->acct.coverage_from != NO_YM)
        return 1;
    for (size_t i = 0; i < a->sources.n; i++)
        if (a->sources.items[i].ukind == (int)k)
            return 1;
    return 0;
}

/* Bill lines by (source, line), to find which service a finding's evidence charges. */
typedef struct {
    int src;
    long line;
    int link;
} lref_t;

static int lref_cmp(const void *x, const void *y)
{
    const lref_t *a = x, *b = y;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static lref_t *lref_index(const audit_t *a)
{
    lref_t *r = xcalloc(a->bills.n + 1, sizeof *r);
    for (size_t i = 0; i < a->bills.n; i++)
        r[i] = (lref_t){a->bills.items[i].prov.src, a->bills.items[i].prov.line,
                        a->bills.items[i].service};
    if (a->bills.n)
        qsort(r, a->bills.n, sizeof *r, lref_cmp);
    return r;
}

/* Does finding f cite a bill line of service link? */
static int finding_charges(const audit_t *a, const lref_t *idx, const finding_t *f, int link)
{
    for (size_t i = 0; i < f->evidence.n; i++) {
        lref_t key = {f->evidence.items[i].src, f->evidence.items[i].line, 0};
        const lref_t *hit =
            a->bills.n ? bsearch(&key, idx, a->bills.n, sizeof *idx, lref_cmp) : NULL;
        if (!hit)
            continue;
        /* Neighbours with the same (src, line) (a workbook row read twice) count too. */
        const lref_t *lo = hit, *hi = hit, *end = idx + a->bills.n;
        while (lo > idx && !lref_cmp(lo - 1, &key))
            lo--;
        while (hi + 1 < end && !lref_cmp(hi + 1, &key))
            hi++;
        for (const lref_t *p = lo; p <= hi; p++)
            if (p->link == link)
                return 1;
    }
    return 0;
}

static void chart_fill(const audit_t *a, const axis_t *ax, const lref_t *idx, chart_t *c)
{
    c->bins = xcalloc((size_t)ax->n, sizeof *c->bins);
    for (size_t i = 0; i < a->bills.n; i++) {
        const bill_line_t *b = &a->bills.items[i];
        int k = bucket_of(ax, b->period);
        if (!bill_counts(b) || b->service != c->s.link || k < 0)
            continue;
        cbin_t *bin = &c->bins[k];
        bin->seg[group_of(b->cls)] = chart_add(bin->seg[group_of(b->cls)], b->amount);
        bin->net = chart_add(bin->net, b->amount);
        bin->lines++;
        c->lines++;
    }
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        int k = bucket_of(ax, f->period);
        if (k < 0 || !finding_charges(a, idx, f, c->s.link))
            continue;
        c->bins[k].disputed = chart_add(c->bins[k].disputed, f->amount);
        VEC_PUSH(c->bins[k].finds, i);
    }
    if (c->s.mobile) {
        static const ukind_t mobile[] = {U_VOICE, U_DATA, U_SMS};
        for (int i = 0; i < 3; i++)
            c->kinds[c->nkinds++] = mobile[i];
    } else {
        c->kinds[c->nkinds++] = c->s.link == LINK_VAS ? U_VAS : U_BROADBAND;
    }
}

static void chart_free(chart_t *c, const axis_t *ax)
{
    for (int k = 0; c->bins && k < ax->n; k++)
        VEC_FREE(c->bins[k].finds);
    free(c->bins);
}

static int suspension_applies(const suspension_t *sp, const rsvc_t *s)
{
    if (!sp->service || !*sp->service)
        return s->mobile;
    if (!s->svc)
        return 0;
    char *x = str_fold(sp->service), *y = str_fold(s->svc->name);
    int yes = !strcmp(x, y) || (*x && *y && (strstr(x, y) || strstr(y, x)));
    free(x), free(y);
    return yes;
}

static int event_cmp(const void *x, const void *y)
{
    const event_t *a = x, *b = y;
    return a->from < b->from ? -1 : a->from > b->from;
}

static int chart_events(const audit_t *a, const chart_t *c, event_t *ev, int max)
{
    int n = 0;
    if (c->s.svc && c->s.svc->cancelled != NO_DAY && n < max)
        ev[n++] = (event_t){c->s.svc->cancelled, NO_DAY, "ev-cancel"};
    if (c->s.svc && c->s.svc->end != NO_DAY && n < max)
        ev[n++] = (event_t){c->s.svc->end, NO_DAY, "ev-end"};
    for (size_t i = 0; i < a->acct.suspensions.n && n < max; i++) {
        const suspension_t *sp = &a->acct.suspensions.items[i];
        if (sp->from != NO_DAY && suspension_applies(sp, &c->s))
            ev[n++] = (event_t){sp->from, sp->to, "ev-suspend"};
    }
    qsort(ev, (size_t)n, sizeof *ev, event_cmp);
    return n;
}

static char *event_text(const event_t *e, int where)
{
    char f[16], t[16];
    char *s = e->to != NO_DAY ? xasprintf("%s %s 至 %s", chart_word(e->key), day_fmt(e->from, f),
                                          day_fmt(e->to, t))
                              : xasprintf("%s %s", chart_word(e->key), day_fmt(e->from, f));
    if (!where)
        return s;
    char *r = where < 0 ? xasprintf("← %s", s) : xasprintf("%s →", s);
    free(s);
    return r;
}

#define MAXEV 16

typedef struct {
    const audit_t *a;
    const axis_t *ax;
    const char *id;
    sbuf_t *o;
    double top, y1; /* plot top and bottom */
} draw_t;

/* Event rows above the plot; returns the number of rows used. */
static int draw_event_labels(draw_t *d, const event_t *ev, int n, int only_count)
{
    double ends[EVROWS];
    for (int r = 0; r < EVROWS; r++)
        ends[r] = -1e9;
    int rows = 0;
    for (int i = 0; i < n; i++) {
        int where;
        double x = x_day(d->ax, ev[i].from, &where);
        char *t = event_text(&ev[i], where);
        double w = svg_text_width(t, FONT);
        int end_anchor = where > 0 || x + 3 + w > CW - 2;
        double x0 = end_anchor ? x - 3 - w : x + 3;
        int r = chart_pick_row(ends, EVROWS, x0, x0 + w);
        if (r + 1 > rows)
            rows = r + 1;
        if (!only_count) {
            double y = 8 + (r + 1) * ROWH - 4;
            const char *cls = !strcmp(ev[i].key, "ev-cancel") ? "ev ev-cancel"
                              : !strcmp(ev[i].key, "ev-end")  ? "ev ev-end"
                                                              : "ev ev-suspend";
            svg_text(d->o, end_anchor ? x - 3 : x + 3, y, end_anchor ? "end" : "start", cls, t);
            if (!where)
                svg_line(d->o, x, y + 3, x, d->y1, cls);
        }
        free(t);
    }
    return rows;
}

static void draw_suspensions(draw_t *d, const event_t *ev, int n)
{
    for (int i = 0; i < n; i++) {
        if (ev[i].to == NO_DAY)
            continue;
        int w0, w1;
        double x0 = x_day(d->ax, ev[i].from, &w0), x1 = x_day(d->ax, ev[i].to + 1, &w1);
        if (w0 > 0 || w1 < 0)
            continue; /* wholly off the axis: the label says where */
        svg_rect(d->o, x0, d->top, x1 - x0, PH, "susp");
    }
}

static fen_t chart_max(const chart_t *c, const axis_t *ax)
{
    fen_t max = 0;
    for (int k = 0; k < ax->n; k++) {
        fen_t s = 0;
        for (int g = 0; g < NGROUPS; g++)
            s = chart_add(s, c->bins[k].seg[g] > 0 ? c->bins[k].seg[g] : 0);
        if (s > max)
            max = s;
    }
    return max;
}

static void draw_grid(draw_t *d, fen_t ymax, fen_t step)
{
    char b[32];
    for (fen_t v = 0; v <= ymax; v += step) {
        double y = d->y1 - PH * (double)v / (double)ymax;
        svg_line(d->o, ML, y, CW - MR, y, v ? "grid" : "axis");
        chart_yuan(v, b);
        if (v + step > ymax)
            strcat(b, " 元");
        svg_text(d->o, ML - 6, y + 4, "end", "tick", b);
    }
}

/* Backgrounds first: disputed buckets, buckets without any bill. */
static void draw_backgrounds(draw_t *d, const chart_t *c, const char *has_bill)
{
    const axis_t *ax = d->ax;
    double slot = slot_w(ax);
    char *hatch = xasprintf("%s-nobill", d->id);
    for (int k = 0; k < ax->n; k++) {
        double x = x_bucket(ax, k);
        if (c->bins[k].finds.n)
            svg_rect(d->o, x, d->top, slot, PH, "hl");
        else if (!has_bill[k])
            svg_rect_fill(d->o, x + 1, d->top, slot - 2, PH, "nobill", hatch);
    }
    free(hatch);
}

static void draw_bars(draw_t *d, const chart_t *c, fen_t ymax)
{
    const axis_t *ax = d->ax;
    double slot = slot_w(ax), bw = slot * 0.62 > 44 ? 44 : slot * 0.62;
    char *dhatch = xasprintf("%s-disputed", d->id);
    for (int k = 0; k < ax->n; k++) {
        const cbin_t *bin = &c->bins[k];
        double x = x_bucket(ax, k) + (slot - bw) / 2, y = d->y1;
        for (int g = 0; g < NGROUPS; g++) {
            if (bin->seg[g] <= 0)
                continue;
            double h = PH * (double)bin->seg[g] / (double)ymax;
            if (h > y - d->top)
                h = y - d->top; /* only when absurd amounts capped the axis */
            char cls[16];
            snprintf(cls, sizeof cls, "g%d", g);
            svg_rect(d->o, x, y - h, bw, h, cls);
            y -= h;
        }
        /* The disputed part of the charge, from the top of the bar down. */
        fen_t stack = 0;
        for (int g = 0; g < NGROUPS; g++)
            stack = chart_add(stack, bin->seg[g] > 0 ? bin->seg[g] : 0);
        fen_t dis = bin->disputed < stack ? bin->disputed : stack;
        if (dis > 0) {
            double h = PH * (double)dis / (double)ymax;
            if (h > d->y1 - y)
                h = d->y1 - y;
            svg_rect_fill(d->o, x, y, bw, h, "dispbar", dhatch);
        }
        if (!bin->lines)
            continue;
        char b[32];
        chart_yuan(bin->net, b);
        if (svg_text_width(b, FONT) <= slot - 2)
            svg_text(d->o, x + bw / 2, y - 4, "middle", bin->finds.n ? "val dis" : "val", b);
    }
    free(dhatch);
}

/* Month/quarter/year labels under the plot: two rows when the bucket is narrow. */
static void draw_x_labels(draw_t *d)
{
    const axis_t *ax = d->ax;
    double slot = slot_w(ax), y = d->y1 + 15;
    int wide = slot >= 56;
    double last_end = -1e9;
    for (int k = 0; k < ax->n; k++) {
        ym_t f = ax->first + k * ax->per;
        char b[32], yr[16];
        double cx = x_bucket(ax, k) + slot / 2;
        if (wide || ax->per >= 12) {
            bucket_name(ax, k, b, sizeof b);
        } else if (ax->per == 1) {
            snprintf(b, sizeof b, "%d", ym_month(f));
        } else {
            snprintf(b, sizeof b, "Q%d", (ym_month(f) - 1) / 3 + 1);
        }
        double w = svg_text_width(b, FONT);
        if (cx - w / 2 > last_end) {
            svg_text(d->o, cx, y, "middle", "tick", b);
            last_end = cx + w / 2 + 3;
        }
        if (!wide && ax->per < 12 && (k == 0 || ym_month(f) == 1)) {
            snprintf(yr, sizeof yr, "%d", ym_year(f));
            svg_text(d->o, x_bucket(ax, k) + 2, y + 14, "start", "tick year", yr);
            if (k)
                svg_line(d->o, x_bucket(ax, k), d->y1, x_bucket(ax, k), y + 16, "yearsep");
        }
    }
}

/* One usage lane: a line through the months the logs cover, a 0 where they cover a whole
 * month without any record (red when the service was charged for it: the point of the
 * chart), a grey dash where there is no log to tell. */
static void draw_lane(draw_t *d, const chart_t *c, ukind_t kind, double ly)
{
    const axis_t *ax = d->ax;
    double slot = slot_w(ax), base = ly + LANEH - 9, span = LANEH - 20;
    char key[32];
    snprintf(key, sizeof key, "lane-%s", kind_keys[kind]);
    svg_text(d->o, ML - 6, base - 2, "end", "lane", chart_word(key));
    svg_line(d->o, ML, base, CW - MR, base, "lanebase");
    ubin_t *u = xcalloc((size_t)ax->n, sizeof *u);
    long max = 1;
    for (int k = 0; k < ax->n; k++) {
        u[k] = usage_bin(d->a, ax, kind, k);
        if (u[k].count > max)
            max = u[k].count;
    }
    double *xs = xcalloc((size_t)ax->n, sizeof *xs), *ys = xcalloc((size_t)ax->n, sizeof *ys);
    int run = 0;
    for (int k = 0; k <= ax->n; k++) {
        int full = k < ax->n && u[k].months && u[k].covered == u[k].months;
        if (full) {
            xs[run] = x_bucket(ax, k) + slot / 2;
            ys[run] = base - span * (double)u[k].count / (double)max;
            run++;
        } else {
            svg_polyline(d->o, xs, ys, run, "uline");
            run = 0;
        }
    }
    for (int k = 0; k < ax->n; k++) {
        double cx = x_bucket(ax, k) + slot / 2, cy = base - span * (double)u[k].count / (double)max;
        int full = u[k].months && u[k].covered == u[k].months;
        char b[24];
        snprintf(b, sizeof b, "%ld", u[k].count);
        if (!u[k].months)
            continue;
        if (full && u[k].count == 0) {
            int charged = c->bins[k].net > 0;
            svg_circle(d->o, cx, base, 3.5, charged ? "u0" : "u");
            svg_text(d->o, cx, base - 6, "middle", charged ? "ulabel zero" : "ulabel", "0");
            continue;
        }
        if (!u[k].covered && !u[k].count) {
            svg_line(d->o, cx - 4, base, cx + 4, base, "unone");
            continue;
        }
        svg_circle(d->o, cx, cy, 3, full ? "u" : "upart");
        if (svg_text_width(b, FONT - 1) <= slot - 2)
            svg_text(d->o, cx, cy - 5, "middle", "ulabel", b);
    }
    free(xs), free(ys), free(u);
}

static char *chart_svg(const audit_t *a, const axis_t *ax, const chart_t *c, const char *id,
                       const char *has_bill, const char *title, const char *desc)
{
    event_t ev[MAXEV];
    int nev = chart_events(a, c, ev, MAXEV);
    sbuf_t o = {0};
    draw_t d = {a, ax, id, &o, 0, 0};
    int rows = draw_event_labels(&d, ev, nev, 1);
    d.top = 12 + rows * ROWH;
    d.y1 = d.top + PH;
    int lanes = 0;
    for (int i = 0; i < c->nkinds; i++)
        lanes += kind_present(a, c->kinds[i]);
    double h = d.y1 + 36 + lanes * LANEH + 6;
    svg_open(&o, id, CW, h, title, desc);
    char *hatch = xasprintf("%s-nobill", id);
    svg_hatch(&o, hatch, "hatch");
    free(hatch);
    hatch = xasprintf("%s-disputed", id);
    svg_hatch(&o, hatch, "dhatch");
    free(hatch);
    fen_t max = chart_max(c, ax);
    if (max > INT64_MAX / 4)
        max = INT64_MAX / 4; /* absurd amounts: the axis arithmetic below must not overflow */
    fen_t step = svg_nice_step(max > 0 ? max : 1000, 4);
    if (step < 100)
        step = 100; /* whole yuan on the axis */
    fen_t ymax = max > 0 ? (max + step - 1) / step * step : step;
    draw_backgrounds(&d, c, has_bill);
    draw_suspensions(&d, ev, nev);
    draw_grid(&d, ymax, step);
    draw_bars(&d, c, ymax);
    draw_x_labels(&d);
    draw_event_labels(&d, ev, nev, 0);
    double ly = d.y1 + 36;
    for (int i = 0; i < c->nkinds; i++)
        if (kind_present(a, c->kinds[i])) {
            draw_lane(&d, c, c->kinds[i], ly);
            ly += LANEH;
        }
    svg_close(&o);
    return sb_take(&o);
}

/* ---- the chart's words: title, one-sentence summary, legend, data table ---- */

static void summary_lanes(const audit_t *a, const axis_t *ax, const chart_t *c, tctx_t *t)
{
    tctx_list(t, "lanes");
    for (int i = 0; i < c->nkinds; i++) {
        ukind_t k = c->kinds[i];
        if (!kind_present(a, k))
            continue;
        long covered = 0, zero = 0;
        for (ym_t m = ax->lo; m <= ax->hi; m++)
            if (usage_covered(a, k, m)) {
                covered++;
                zero += usage_count(a, k, m, NULL) == 0 && c->bins[bucket_of(ax, m)].net > 0;
            }
        char key[32];
        snprintf(key, sizeof key, "log-%s", kind_keys[k]);
        tctx_t *l = tctx_add(t, "lanes");
        tctx_set(l, "log", chart_word(key));
        tctx_setf(l, "covered", "%ld", covered);
        tctx_setf(l, "zero", "%ld", zero);
    }
}

static void chart_words(const audit_t *a, const axis_t *ax, const chart_t *c, char **title,
                        char **desc)
{
    tctx_t *t = tctx_new();
    char *range = months_text(ax->lo, ax->hi);
    fen_t charged = 0, disputed = 0;
    long nd = 0;
    sbuf_t list = {0};
    for (int k = 0; k < ax->n; k++)
        charged = chart_add(charged, c->bins[k].net);
    for (int k = 0; k < ax->n; k++) {
        if (!c->bins[k].finds.n)
            continue;
        /* Runs of disputed buckets as "from 至 to": ten years of them stay one line. */
        int last = k;
        while (last + 1 < ax->n && c->bins[last + 1].finds.n)
            last++;
        char b[32];
        bucket_name(ax, k, b, sizeof b);
        sb_add(&list, list.n ? "、" : "");
        sb_add(&list, b);
        if (last > k) {
            bucket_name(ax, last, b, sizeof b);
            sb_addf(&list, " 至 %s", b);
        }
        for (; k <= last; k++, nd++)
            disputed = chart_add(disputed, c->bins[k].disputed);
        k = last;
    }
    tctx_set(t, "name", c->s.name);
    tctx_set(t, "range", range);
    tctx_set(t, "unit", unit_word(ax));
    doc_set_money(t, "charged", charged);
    doc_set_money(t, "disputed", disputed);
    tctx_setf(t, "disputed_count", "%ld", nd);
    char *l = sb_take(&list);
    tctx_set(t, "disputed_list", l);
    free(l);
    summary_lanes(a, ax, c, t);
    event_t ev[MAXEV];
    int nev = chart_events(a, c, ev, MAXEV);
    tctx_list(t, "events");
    for (int i = 0; i < nev; i++) {
        tctx_t *e = tctx_add(t, "events");
        char f[16], to[16];
        tctx_set(e, "what", chart_word(ev[i].key));
        if (ev[i].to != NO_DAY)
            tctx_setf(e, "date", "%s 至 %s ", day_fmt(ev[i].from, f), day_fmt(ev[i].to, to));
        else
            tctx_setf(e, "date", "%s ", day_fmt(ev[i].from, f));
    }
    *title = chart_sentence("title-service", t);
    *desc = chart_sentence("desc-service", t);
    free(range);
    tctx_free(t);
}

static void legend_item(tctx_t *c, const char *cls, const char *text)
{
    tctx_t *l = tctx_add(c, "legend");
    tctx_set(l, "cls", cls);
    tctx_set(l, "text", text);
}

static void chart_legend(const audit_t *a, const axis_t *ax, const chart_t *c, const char *has_bill,
                         tctx_t *item)
{
    tctx_list(item, "legend");
    for (int g = 0; g < NGROUPS; g++) {
        int any = 0;
        for (int k = 0; k < ax->n && !any; k++)
            any = c->bins[k].seg[g] > 0;
        if (any) {
            char cls[16];
            snprintf(cls, sizeof cls, "g%d", g);
            legend_item(item, cls, chart_word(group_keys[g]));
        }
    }
    int hl = 0, nobill = 0;
    for (int k = 0; k < ax->n; k++)
        hl |= c->bins[k].finds.n > 0, nobill |= !has_bill[k];
    if (hl) {
        legend_item(item, "hl", chart_word("leg-hl"));
        legend_item(item, "dispbar", chart_word("leg-dispbar"));
    }
    if (nobill)
        legend_item(item, "nobill", chart_word("leg-nobill"));
    event_t ev[MAXEV];
    int nev = chart_events(a, c, ev, MAXEV), susp = 0;
    for (int i = 0; i < nev; i++)
        susp |= ev[i].to != NO_DAY;
    if (susp)
        legend_item(item, "susp", chart_word("leg-susp"));
    int lanes = 0;
    for (int i = 0; i < c->nkinds; i++)
        lanes += kind_present(a, c->kinds[i]);
    if (lanes) {
        legend_item(item, "u", chart_word("leg-u"));
        legend_item(item, "u0", chart_word("leg-u0"));
        legend_item(item, "unone", chart_word("leg-unone"));
    }
    tctx_list(item, "notes");
    for (int i = 0; i < c->nkinds; i++)
        if (!kind_present(a, c->kinds[i])) {
            tctx_t *t = tctx_new();
            char key[32];
            snprintf(key, sizeof key, "log-%s", kind_keys[c->kinds[i]]);
            tctx_set(t, "log", chart_word(key));
            char *s = chart_sentence("note-nolog", t);
            tctx_set(tctx_add(item, "notes"), "text", s);
            free(s);
            tctx_free(t);
        }
}

static void chart_table(const audit_t *a, const axis_t *ax, const chart_t *c, tctx_t *item)
{
    tctx_list(item, "cols");
    for (int i = 0; i < c->nkinds; i++)
        if (kind_present(a, c->kinds[i])) {
            char key[32];
            snprintf(key, sizeof key, "lane-%s", kind_keys[c->kinds[i]]);
            tctx_set(tctx_add(item, "cols"), "name", chart_word(key));
        }
    tctx_list(item, "rows");
    for (int k = 0; k < ax->n; k++) {
        const cbin_t *bin = &c->bins[k];
        tctx_t *r = tctx_add(item, "rows");
        char b[32];
        bucket_name(ax, k, b, sizeof b);
        tctx_set(r, "label", b);
        tctx_set(r, "billed", bin->lines ? "1" : "");
        doc_set_money(r, "charged", bin->net);
        doc_set_money(r, "disputed", bin->disputed);
        tctx_list(r, "finds");
        for (size_t i = 0; i < bin->finds.n; i++)
            tctx_set(tctx_add(r, "finds"), "id", a->findings.items[bin->finds.items[i]].id);
        tctx_list(r, "cells");
        for (int i = 0; i < c->nkinds; i++) {
            if (!kind_present(a, c->kinds[i]))
                continue;
            ubin_t u = usage_bin(a, ax, c->kinds[i], k);
            tctx_t *cell = tctx_add(r, "cells");
            tctx_setf(cell, "count", "%ld", u.count);
            tctx_set(cell, "full", u.months && u.covered == u.months ? "1" : "");
            tctx_set(cell, "none", !u.covered && !u.count ? "1" : "");
            tctx_set(cell, "zero",
                     u.months && u.covered == u.months && !u.count && bin->net > 0 ? "1" : "");
        }
    }
}

void charts_services(const audit_t *a, tctx_t *root)
{
    tctx_list(root, "charts");
    axis_t ax;
    if (!axis_make(a, &ax))
        return;
    tctx_setf(root, "axis_per", "%d", ax.per);
    tctx_set(root, "axis_quarters", ax.per == 3 ? "1" : "");
    tctx_set(root, "axis_years", ax.per >= 12 ? "1" : "");
    char *range = months_text(ax.lo, ax.hi);
    tctx_set(root, "axis_range", range);
    free(range);
    tctx_setf(root, "axis_months", "%d", ax.hi - ax.lo + 1);
    char *has_bill = xcalloc((size_t)ax.n, 1);
    for (size_t i = 0; i < a->bills.n; i++) {
        int k = bucket_of(&ax, a->bills.items[i].period);
        if (k >= 0 && !a->bills.items[i].excluded)
            has_bill[k] = 1;
    }
    rsvc_t sv[66];
    int n = rk_services(a, sv, 64);
    sv[n++] = (rsvc_t){LINK_VAS, NULL, 0, chart_word("name-vas")};
    lref_t *idx = lref_index(a);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        chart_t c = {sv[i], NULL, 0, {0}, 0};
        chart_fill(a, &ax, idx, &c);
        if (c.lines) {
            char *id = xasprintf("chart-%d", ++shown), *title, *desc;
            chart_words(a, &ax, &c, &title, &desc);
            char *svg = chart_svg(a, &ax, &c, id, has_bill, title, desc);
            tctx_t *item = tctx_add(root, "charts");
            tctx_set(item, "id", id);
            tctx_set(item, "title", title);
            tctx_set(item, "desc", desc);
            tctx_set(item, "svg", svg);
            chart_legend(a, &ax, &c, has_bill, item);
            chart_table(a, &ax, &c, item);
            free(id), free(title), free(desc), free(svg);
        }
        chart_free(&c, &ax);
    }
    free(idx);
    free(has_bill);
}
