/* Reports of an audit: json (schema billaudit/findings/v1), text, md, html. */
#ifndef BILLAUDIT_REPORT_H
#define BILLAUDIT_REPORT_H
#include "audit.h"

/* Renders the report in format fmt ("json", "text", "md", "html") into out. 0 on success. */
int report_render(const audit_t *a, const char *fmt, sbuf_t *out);
/* 0 when fmt names a report format; otherwise says so on stderr and returns -1. */
int report_format_check(const char *fmt);
/* Renders and writes to path (atomically) or to stdout when path is NULL or "-", as it is
 * rendered: the report is never held whole (sb_stream_point). */
int report_write(const audit_t *a, const char *fmt, const char *path);
/* Renders an embedded report template (src/templates/report-*.txt) with the context of
 * src/docctx.c, for "today" as billaudit_today() gives it. markdown: escape values. */
int report_template(const audit_t *a, const char *file, int markdown, sbuf_t *out);
/* Masks a number for display: 13800138000 -> 138****8000. */
char *mask_number(const char *num);
#endif
