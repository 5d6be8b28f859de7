/* -f md (src/templates/report-md.txt), and -f html: a placeholder until the HTML issue
 * lands (it renders the text report inside <pre>). */
#include "report.h"
#include <string.h>

int report_md(const audit_t *a, sbuf_t *out)
{
    return report_template(a, "src/templates/report-md.txt", 1, out);
}

int report_html(const audit_t *a, sbuf_t *out)
{
    sbuf_t t = {0};
    if (report_render(a, "text", &t) != 0) {
        sb_free(&t);
        return -1;
    }
    sb_add(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>billaudit "
                "report</title></head><body><pre>\n");
    for (size_t i = 0; i < t.n; i++) {
        char c = t.p[i];
        if (c == '<')
            sb_add(out, "&lt;");
        else if (c == '>')
            sb_add(out, "&gt;");
        else if (c == '&')
            sb_add(out, "&amp;");
        else
            sb_addc(out, c);
    }
    sb_add(out, "</pre></body></html>\n");
    sb_free(&t);
    return 0;
}
