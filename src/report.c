/* Report dispatch and the plain-text report (src/templates/report-text.txt). */
#include "report.h"
#include "docctx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int report_json(const audit_t *a, sbuf_t *out);
int report_md(const audit_t *a, sbuf_t *out);
int report_html(const audit_t *a, sbuf_t *out);

int report_template(const audit_t *a, const char *file, int markdown, sbuf_t *out)
{
    doc_t d;
    doc_init(&d, a, billaudit_today());
    int rc = tmpl_render_file(file, d.root, markdown ? TMPL_MD : TMPL_TEXT, out, NULL, NULL);
    doc_free(&d);
    return rc;
}

static int report_text(const audit_t *a, sbuf_t *o)
{
    return report_template(a, "src/templates/report-text.txt", 0, o);
}

static const struct {
    const char *name;
    int (*render)(const audit_t *, sbuf_t *);
} formats[] = {
    {"json", report_json}, {"text", report_text}, {"md", report_md},
    {"html", report_html}, {NULL, NULL},
};

int report_render(const audit_t *a, const char *fmt, sbuf_t *out)
{
    for (int i = 0; formats[i].name; i++)
        if (!strcmp(formats[i].name, fmt))
            return formats[i].render(a, out);
    return -1;
}

int report_format_check(const char *fmt)
{
    for (int i = 0; formats[i].name; i++)
        if (!strcmp(formats[i].name, fmt))
            return 0;
    fprintf(stderr, "billaudit: unknown format \"%s\" (json, text, md, html)\n", diag_quote(fmt));
    return -1;
}

int report_write(const audit_t *a, const char *fmt, const char *path)
{
    if (report_format_check(fmt) != 0)
        return -1;
    sbuf_t out = {0};
    if (report_render(a, fmt, &out) != 0) {
        sb_free(&out);
        return -1;
    }
    int rc = 0;
    if (!path || !strcmp(path, "-")) {
        rc = fwrite(out.p ? out.p : "", 1, out.n, stdout) == out.n ? 0 : -1;
        fflush(stdout);
    } else if (output_refused(path)) {
        rc = -1;
    } else if (write_file_atomic(path, out.p ? out.p : "", out.n) != 0) {
        write_error(path);
        rc = -1;
    }
    sb_free(&out);
    return rc;
}
