/* -f md and -f html: placeholders until the evidence and HTML issues land
 * (they render the text report inside a code block / <pre>). */
#include "report.h"
#include <string.h>

static int report_text_wrapped(const audit_t *a, sbuf_t *out, const char *open, const char *close,
                               int escape)
{
    sbuf_t t = {0};
    if (report_render(a, "text", &t) != 0)
        return -1;
    sb_add(out, open);
    for (size_t i = 0; i < t.n; i++) {
        char c = t.p[i];
        if (escape && c == '<')
            sb_add(out, "&lt;");
        else if (escape && c == '>')
            sb_add(out, "&gt;");
        else if (escape && c == '&')
            sb_add(out, "&amp;");
        else
            sb_addc(out, c);
    }
    sb_add(out, close);
    sb_free(&t);
    return 0;
}

int report_md(const audit_t *a, sbuf_t *out)
{
    return report_text_wrapped(a, out, "# billaudit report\n\n```\n", "```\n", 0);
}

int report_html(const audit_t *a, sbuf_t *out)
{
    return report_text_wrapped(
        a, out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>billaudit "
        "report</title></head><body><pre>\n",
        "</pre></body></html>\n", 1);
}
