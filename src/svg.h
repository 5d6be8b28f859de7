/* A small SVG writer for the charts of the HTML report: inline <svg> elements styled by
 * the page's own stylesheet (class names), coordinates in viewBox units. No scripts, no
 * external references. Numbers are written with one decimal by integer arithmetic, so
 * the output does not depend on the C locale. */
#ifndef BILLAUDIT_SVG_H
#define BILLAUDIT_SVG_H
#include "util.h"

/* Opens <svg role="img" id="<id>"> of width w and height h (viewBox units): aria-label
 * "title。desc", and the same in <title> and <desc> (escaped). */
void svg_open(sbuf_t *o, const char *id, double w, double h, const char *title, const char *desc);
void svg_close(sbuf_t *o);

/* A diagonal hatch pattern "<id>" for fills (url(#id) is a same-document reference). */
void svg_hatch(sbuf_t *o, const char *id, const char *cls);

/* Shapes; cls is a class name of the page stylesheet (NULL for none). */
void svg_rect(sbuf_t *o, double x, double y, double w, double h, const char *cls);
void svg_rect_fill(sbuf_t *o, double x, double y, double w, double h, const char *cls,
                   const char *pattern_id);
void svg_line(sbuf_t *o, double x1, double y1, double x2, double y2, const char *cls);
void svg_circle(sbuf_t *o, double cx, double cy, double r, const char *cls);
/* An "x" mark of half-size r centred at (cx, cy). */
void svg_cross(sbuf_t *o, double cx, double cy, double r, const char *cls);
/* A polyline through n points. */
void svg_polyline(sbuf_t *o, const double *xs, const double *ys, int n, const char *cls);
/* Text (escaped); anchor is "start", "middle" or "end". */
void svg_text(sbuf_t *o, double x, double y, const char *anchor, const char *cls, const char *text);

/* Writes v with at most one decimal ("12", "12.5", "-3"). */
void svg_num(sbuf_t *o, double v);

/* Round axis step for values up to max (> 0): 1, 2 or 5 times a power of ten, giving at
 * most about `ticks` intervals. */
int64_t svg_nice_step(int64_t max, int ticks);
/* Approximate width of text at font size px: CJK and full-width characters count one em,
 * others about 0.6 em. */
double svg_text_width(const char *s, double px);

#endif
