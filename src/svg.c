/* The SVG writer of svg.h. */
#include "svg.h"
#include "template.h"
#include <stdio.h>
#include <string.h>

void svg_num(sbuf_t *o, double v)
{
    if (!(v > -1e15 && v < 1e15)) /* NaN, infinities, absurd values: the cast below would be UB */
        v = 0;
    long long t = (long long)(v * 10 + (v < 0 ? -0.5 : 0.5));
    if (t < 0) {
        sb_addc(o, '-');
        t = -t;
    }
    sb_addf(o, "%lld", t / 10);
    if (t % 10)
        sb_addf(o, ".%lld", t % 10);
}

static void attr_num(sbuf_t *o, const char *name, double v)
{
    sb_addf(o, " %s=\"", name);
    svg_num(o, v);
    sb_addc(o, '"');
}

static void attr_class(sbuf_t *o, const char *cls)
{
    if (cls && *cls) {
        sb_add(o, " class=\"");
        html_escape(o, cls);
        sb_addc(o, '"');
    }
}

void svg_open(sbuf_t *o, const char *id, double w, double h, const char *title, const char *desc)
{
    /* No xmlns: inline SVG in HTML does not need it, and the page holds no URL at all.
     * The accessible name is aria-label (title and summary in one); <title> and <desc>
     * carry the same for SVG viewers and tooltips. */
    sb_add(o, "<svg role=\"img\" id=\"");
    html_escape(o, id);
    sb_add(o, "\" viewBox=\"0 0 ");
    svg_num(o, w);
    sb_addc(o, ' ');
    svg_num(o, h);
    sb_add(o, "\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"");
    html_escape(o, title);
    sb_add(o, "。");
    html_escape(o, desc);
    sb_add(o, "\">\n<title>");
    html_escape(o, title);
    sb_add(o, "</title>\n<desc>");
    html_escape(o, desc);
    sb_add(o, "</desc>\n");
}

void svg_close(sbuf_t *o)
{
    sb_add(o, "</svg>\n");
}

void svg_hatch(sbuf_t *o, const char *id, const char *cls)
{
    sb_add(o, "<defs><pattern id=\"");
    html_escape(o, id);
    sb_add(o, "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
              "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"");
    attr_class(o, cls);
    sb_add(o, "/></pattern></defs>\n");
}

void svg_rect(sbuf_t *o, double x, double y, double w, double h, const char *cls)
{
    svg_rect_fill(o, x, y, w, h, cls, NULL);
}

void svg_rect_fill(sbuf_t *o, double x, double y, double w, double h, const char *cls,
                   const char *pattern_id)
{
    if (w < 0)
        x += w, w = -w;
    if (h < 0)
        y += h, h = -h;
    sb_add(o, "<rect");
    attr_num(o, "x", x);
    attr_num(o, "y", y);
    attr_num(o, "width", w);
    attr_num(o, "height", h);
    attr_class(o, cls);
    if (pattern_id) {
        sb_add(o, " fill=\"url(#");
        html_escape(o, pattern_id);
        sb_add(o, ")\"");
    }
    sb_add(o, "/>\n");
}

void svg_line(sbuf_t *o, double x1, double y1, double x2, double y2, const char *cls)
{
    sb_add(o, "<line");
    attr_num(o, "x1", x1);
    attr_num(o, "y1", y1);
    attr_num(o, "x2", x2);
    attr_num(o, "y2", y2);
    attr_class(o, cls);
    sb_add(o, "/>\n");
}

void svg_circle(sbuf_t *o, double cx, double cy, double r, const char *cls)
{
    sb_add(o, "<circle");
    attr_num(o, "cx", cx);
    attr_num(o, "cy", cy);
    attr_num(o, "r", r);
    attr_class(o, cls);
    sb_add(o, "/>\n");
}

void svg_cross(sbuf_t *o, double cx, double cy, double r, const char *cls)
{
    sb_add(o, "<path d=\"M");
    svg_num(o, cx - r);
    sb_addc(o, ' ');
    svg_num(o, cy - r);
    sb_add(o, "L");
    svg_num(o, cx + r);
    sb_addc(o, ' ');
    svg_num(o, cy + r);
    sb_add(o, "M");
    svg_num(o, cx - r);
    sb_addc(o, ' ');
    svg_num(o, cy + r);
    sb_add(o, "L");
    svg_num(o, cx + r);
    sb_addc(o, ' ');
    svg_num(o, cy - r);
    sb_addc(o, '"');
    attr_class(o, cls);
    sb_add(o, "/>\n");
}

void svg_polyline(sbuf_t *o, const double *xs, const double *ys, int n, const char *cls)
{
    if (n < 2)
        return;
    sb_add(o, "<polyline points=\"");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_addc(o, ' ');
        svg_num(o, xs[i]);
        sb_addc(o, ',');
        svg_num(o, ys[i]);
    }
    sb_addc(o, '"');
    attr_class(o, cls);
    sb_add(o, "/>\n");
}

void svg_text(sbuf_t *o, double x, double y, const char *anchor, const char *cls, const char *text)
{
    sb_add(o, "<text");
    attr_num(o, "x", x);
    attr_num(o, "y", y);
    if (anchor && strcmp(anchor, "start"))
        sb_addf(o, " text-anchor=\"%s\"", !strcmp(anchor, "end") ? "end" : "middle");
    attr_class(o, cls);
    sb_addc(o, '>');
    html_escape(o, text ? text : "");
    sb_add(o, "</text>\n");
}

int64_t svg_nice_step(int64_t max, int ticks)
{
    if (max <= 0 || ticks < 1)
        return 1;
    int64_t raw = max / ticks + (max % ticks != 0), p = 1;
    while (p <= INT64_MAX / 10 && p * 10 <= raw)
        p *= 10;
    static const int mult[] = {1, 2, 5, 10};
    for (int i = 0; i < 4; i++)
        if (p * mult[i] >= raw && (i < 3 || p <= INT64_MAX / 10))
            return p * mult[i];
    return p;
}

double svg_text_width(const char *s, double px)
{
    double w = 0;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u < 0x80)
            w += 0.6;
        else if ((*u & 0xC0) != 0x80)
            w += *u >= 0xE0 ? 1.0 : 0.6; /* 3- and 4-byte sequences: CJK, full width */
    }
    return w * px;
}
