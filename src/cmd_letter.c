/* billaudit letter: a complaint letter to the operator, the MIIT appeal body or 12315. */
#include "audit.h"
#include "cli.h"
#include "deadline.h"
#include "letter.h"
#include <stdio.h>
#include <string.h>

static const char usage[] = "letter PATH...";
static const char summary[] =
    "Writes a complete complaint letter in Chinese from the findings: to the operator (step 1),\n"
    "to the telecom user appeal body of the MIIT (12300; after the operator had 15 days), or to\n"
    "12315. Profile fields that are missing print as 【请填写：…】 and are listed on stderr, with\n"
    "the deadline warnings. The date is today in China ($BILLAUDIT_TODAY=YYYY-MM-DD overrides).\n"
    "A letter is written only when it can be filed today: the MIIT appeal needs a finding inside\n"
    "its five-month window, an operator complaint on record and its 15 days passed (or a reply);\n"
    "12315 a finding inside its three years. Otherwise letter exits 2 with the reason and the\n"
    "first date it becomes possible; --draft writes it anyway, marked 草稿，不可提交 on every\n"
    "page, without a signature block.\n"
    "Without a profile, the number, operator and holder are taken from the files' preambles\n"
    "(as 'billaudit init' reads them). With no findings no letter is written (a note on stderr).\n"
    "Exit status: 0 no findings, 1 findings (letter written), 2 error or not fileable.";

/* Renders and writes the letter: 1 (findings) on success, 2 on error. */
static int write_letter(audit_t *a, const char *type, int draft, int profile, const char *out)
{
    if (!profile)
        fprintf(stderr, "billaudit letter: no account profile (-a): the number, operator and "
                        "holder come from the files where they say; the rest is left blank\n");
    letter_identity(a, "billaudit letter");
    day_t today = billaudit_today();
    letter_gate_t g;
    letter_gate(a, type, today, &g);
    if (!g.fileable && !draft) {
        fprintf(stderr,
                "billaudit letter -t %s: not written: %s; --draft writes it anyway, marked "
                "草稿，不可提交\n",
                type, g.reason);
        return 2;
    }
    if (!g.fileable)
        fprintf(stderr, "billaudit letter -t %s: a draft (草稿，不可提交): %s\n", type, g.reason);
    sbuf_t text = {0};
    int rc = 1;
    char who[64];
    snprintf(who, sizeof who, "billaudit letter -t %s", type);
    if (letter_render(a, type, today, draft || !g.fileable, who, &text) != 0) {
        rc = 2;
    } else if (!out || !strcmp(out, "-")) {
        if (fwrite(text.p ? text.p : "", 1, text.n, stdout) != text.n)
            rc = 2;
    } else if (output_refused(out)) {
        rc = 2;
    } else if (write_file_atomic(out, text.p ? text.p : "", text.n) != 0) {
        write_error(out);
        rc = 2;
    }
    sb_free(&text);
    return rc;
}

int cmd_letter(int argc, char **argv)
{
    const char *type = NULL, *account = NULL, *out = NULL;
    int draft = 0;
    const opt_t opts[] = {
        {'t', "to", "TYPE", "operator, miit or 12315", OPT_STR, &type},
        {0, "draft", NULL, "write the letter even when it cannot be filed, marked 草稿，不可提交",
         OPT_FLAG, &draft},
        {'a', "account", "FILE",
         "account profile (doc/profile.md): holder, operator, complaints made", OPT_STR, &account},
        {'o', "output", "FILE", "write the letter to FILE (atomically) instead of stdout", OPT_STR,
         &out},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (!letter_known(type)) {
        fprintf(stderr, "billaudit letter: -t must be operator, miit or 12315\n");
        opts_usage(stderr, usage, opts);
        return 2;
    }
    audit_t a;
    audit_init(&a);
    int rc = cli_run_audit(&a, account, argv + first, argc - first, NULL);
    if (rc == 0 && !a.findings.n) /* a complaint about nothing helps no one */
        fprintf(stderr, "billaudit letter: no findings: no letter written\n");
    else if (rc == 0)
        rc = write_letter(&a, type, draft, account != NULL, out);
    audit_free(&a);
    return rc;
}
