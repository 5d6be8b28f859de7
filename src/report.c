/* Report dispatch and the plain-text report (src/templates/report-text.txt). */
#include "report.h"
#include "docctx.h"
#include <errno.h>
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

/* Where report_write sends a report as it is rendered: the renderers hand their buffer
 * over between findings (sb_stream_point), so that memory does not grow with the
 * output. */
typedef struct {
    atomic_out_t *file; /* NULL: standard output */
    int failed;         /* a write to standard output failed */
} stream_t;

static void stream_put(void *ctx, const char *p, size_t n)
{
    stream_t *st = ctx;
    if (st->file)
        atomic_add(st->file, p, n);
    else if (n && fwrite(p, 1, n, stdout) != n)
        st->failed = 1;
}

int report_write(const audit_t *a, const char *fmt, const char *path)
{
    if (report_format_check(fmt) != 0)
        return -1;
    int to_file = path && strcmp(path, "-") != 0;
    atomic_out_t file;
    stream_t st = {to_file ? &file : NULL, 0};
    if (to_file && output_refused(path))
        return -1;
    if (to_file && atomic_begin(&file, path) != 0) {
        write_error(path);
        return -1;
    }
    sbuf_t out = {0};
    sb_stream_set(&out, stream_put, &st);
    int rc = report_render(a, fmt, &out);
    sb_stream_set(NULL, NULL, NULL);
    if (rc == 0)
        stream_put(&st, out.p ? out.p : "", out.n);
    sb_free(&out);
    if (!to_file) {
        fflush(stdout);
        return rc == 0 && !st.failed ? 0 : -1;
    }
    if (rc != 0 && !file.err)
        file.err = ECANCELED; /* nothing to rename into place: only remove the temporary */
    if (atomic_end(&file) != 0) {
        if (rc == 0)
            write_error(path);
        return -1;
    }
    return 0;
}
