/* -f md (src/templates/report-md.txt). The HTML report is src/report_html.c. */
#include "report.h"

int report_md(const audit_t *a, sbuf_t *out)
{
    return report_template(a, "src/templates/report-md.txt", 1, out);
}
