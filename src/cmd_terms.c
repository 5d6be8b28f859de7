/* billaudit terms: only the unfair-term check, only on the files given. */
#include "audit.h"
#include "cli.h"
#include "report.h"
#include <stdio.h>
#include <string.h>

static const char usage[] = "terms FILE...";
static const char summary[] =
    "Reads contract text (service agreements, plan rules) and reports the clauses that\n"
    "match a type of unfair standard clause (doc/unfair-clauses.md), each with its first\n"
    "line, the law it conflicts with and what to do. Exit status: 0 no findings,\n"
    "1 findings, 2 error.";

/* Another kind of file holds no clauses: saying "no unfair terms" of it would be a false
 * all-clear. */
static int has_contract(const audit_t *a)
{
    for (size_t i = 0; i < a->sources.n; i++)
        if (a->sources.items[i].format && !strcmp(a->sources.items[i].format, "contract-text"))
            return 1;
    fprintf(stderr, "billaudit terms: none of the inputs is contract text (an agreement or plan "
                    "rules as plain text); `billaudit detect FILE` says what a file was read as\n");
    return 0;
}

int cmd_terms(int argc, char **argv)
{
    const char *fmt = NULL, *out = NULL;
    const opt_t opts[] = {
        {'f', "format", "FMT", "text, md or json (default: text)", OPT_STR, &fmt},
        {'o', "output", "FILE", "write the report to FILE (atomically) instead of stdout", OPT_STR,
         &out},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (fmt && strcmp(fmt, "text") && strcmp(fmt, "md") && strcmp(fmt, "json")) {
        fprintf(stderr, "billaudit terms: -f takes text, md or json, not \"%s\"\n",
                diag_quote(fmt));
        opts_usage(stderr, usage, opts);
        return 2;
    }
    audit_t a;
    audit_init(&a);
    a.terms_only = 1;
    int rc = cli_run_audit(&a, NULL, argv + first, argc - first, "unfair-term");
    if (rc == 0 && !has_contract(&a))
        rc = 2;
    if (rc == 0) {
        if (report_write(&a, fmt ? fmt : "text", out) != 0)
            rc = 2;
        else
            rc = a.findings.n ? 1 : 0;
    }
    audit_free(&a);
    return rc;
}
