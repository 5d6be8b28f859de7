/* The charts of the HTML report (src/report_html.c): a month-by-month chart per service
 * (src/charts.c) and the payments timeline (src/charts_pay.c), inline SVG drawn by
 * src/svg.c from the audit's aggregates. Each adds its keys to the page's template
 * context; the words they draw are in src/templates/chart-labels.txt. */
#ifndef BILLAUDIT_CHARTS_H
#define BILLAUDIT_CHARTS_H
#include "audit.h"
#include "template.h"

/* Adds "charts" (one item per service with bills: id, title, desc, svg, legend, notes,
 * cols, rows) and axis_per, axis_quarters, axis_years, axis_range, axis_months. */
void charts_services(const audit_t *a, tctx_t *root);
/* Adds "payments" (flag), pay_title, pay_desc, pay_svg, pay_count, pay_missing,
 * cred_count and the list "pay_rows". */
void charts_payments(const audit_t *a, tctx_t *root);

/* ---- shared by both ---- */
#define CW 960.0 /* chart width (viewBox units; the page scales it) */
#define ML 100.0 /* left margin: amounts, lane names */
#define MR 20.0
#define ROWH 16.0 /* one row of labels above a plot */
#define EVROWS 5  /* at most this many rows of such labels */
#define FONT 11.0 /* the stylesheet's chart font size */

/* The word for key in chart-labels.txt (the key itself when missing). */
const char *chart_word(const char *key);
/* The template chart-labels.txt[key] rendered with c: one line (caller frees). */
char *chart_sentence(const char *key, const tctx_t *c);
/* "30" for 30.00, "12.30" otherwise, into buf (32 bytes). */
char *chart_yuan(fen_t v, char *buf);
/* Greedy rows for labels that must not overlap: the first row whose last label ends
 * before x0 (ends[] holds each row's end; max rows). Returns the row. */
int chart_pick_row(double *ends, int max, double x0, double x1);
int chart_floor_mod(int v, int m);
/* a + b, checked (fen_add): an overflowed sum stays at its bound, never wraps. */
fen_t chart_add(fen_t a, fen_t b);

#endif
