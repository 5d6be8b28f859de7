/* billaudit audit: every rule on every input. */
#include "audit.h"
#include "cli.h"
#include "progress.h"
#include "report.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "audit PATH...";
static const char summary[] =
    "Reads bills, itemised usage, wallet and operator payment records and contract text\n"
    "(files, or directories scanned recursively), runs every rule and reports the findings\n"
    "with their evidence. Exit status: 0 no findings, 1 findings, 2 error.";

int cmd_audit(int argc, char **argv)
{
    const char *account = NULL, *fmt = NULL, *out = NULL, *since = NULL, *until = NULL;
    int strict = 0, progress = 0;
    const opt_t opts[] = {
        {'a', "account", "FILE",
         "account profile (doc/profile.md); rules that need it are skipped without it", OPT_STR,
         &account},
        {'f', "format", "FMT", "text, md, json or html (default: text)", OPT_STR, &fmt},
        {'o', "output", "FILE", "write the report to FILE (atomically) instead of stdout", OPT_STR,
         &out},
        {0, "since", "YYYY-MM", "report only months from this one on", OPT_STR, &since},
        {0, "until", "YYYY-MM", "report only months up to this one", OPT_STR, &until},
        {0, "strict", NULL, "any rejected row is fatal (exit 2)", OPT_FLAG, &strict},
        {0, "progress", NULL,
         "a progress line on stderr when it is a terminal (automatic over 50 MB)", OPT_FLAG,
         &progress},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (fmt && report_format_check(fmt) != 0)
        return 2; /* before the audit, which may take a while */
    audit_t a;
    audit_init(&a);
    a.strict = strict;
    progress_enable(progress ? PROGRESS_ON : PROGRESS_AUTO);
    if ((since && cli_month(since, &a.since)) || (until && cli_month(until, &a.until))) {
        fprintf(stderr, "billaudit audit: --since/--until take a month like 2024-06\n");
        audit_free(&a);
        return 2;
    }
    int rc = cli_run_audit(&a, account, argv + first, argc - first, NULL);
    if (rc == 0) {
        if (report_write(&a, fmt ? fmt : "text", out) != 0)
            rc = 2;
        else
            rc = a.findings.n ? 1 : 0;
        if (!account && a.rules_skipped.n)
            fprintf(stderr,
                    "billaudit: %zu rule(s) skipped for lack of an account profile: "
                    "'billaudit init PATH...' drafts one, then add -a account.json\n",
                    a.rules_skipped.n);
    }
    audit_free(&a);
    return rc;
}
