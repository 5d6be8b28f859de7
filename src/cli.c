#include "cli.h"
#include "audit.h"
#include "deadline.h"
#include "parties.h"
#include "rule.h"
#include "terms.h"
#include "zipio.h"
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void opts_usage(FILE *f, const char *usage, const opt_t *opts)
{
    const char *sp = strchr(usage, ' ');
    int cmdlen = sp ? (int)(sp - usage) : (int)strlen(usage);
    fprintf(f, "usage: billaudit %.*s", cmdlen, usage);
    for (int i = 0; opts[i].longname; i++) {
        const char *arg = opts[i].type == OPT_STR && opts[i].arg ? opts[i].arg : NULL;
        if (opts[i].shortname)
            fprintf(f, " [-%c%s%s]", opts[i].shortname, arg ? " " : "", arg ? arg : "");
        else
            fprintf(f, " [--%s%s%s]", opts[i].longname, arg ? " " : "", arg ? arg : "");
    }
    fprintf(f, " [--as-of YYYY-MM-DD] [--password-file FILE]"); /* every command (opts_parse) */
    fprintf(f, "%s\n", sp ? sp : "");
}

void opts_help(const char *usage, const char *summary, const opt_t *opts)
{
    opts_usage(stdout, usage, opts);
    printf("\n%s\n\noptions:\n", summary);
    for (int i = 0; opts[i].longname; i++) {
        char left[64];
        if (opts[i].shortname)
            snprintf(left, sizeof left, "-%c, --%s%s%s", opts[i].shortname, opts[i].longname,
                     opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", opts[i].longname, opts[i].arg ? " " : "",
                     opts[i].arg ? opts[i].arg : "");
        printf("  %-28s %s\n", left, opts[i].help);
    }
    printf("  %-28s %s\n", "    --as-of YYYY-MM-DD",
           "compute deadlines, letters and the report as of that day (default: today)");
    printf("  %-28s %s\n", "    --password-file FILE",
           "passwords of encrypted archives, one per line");
    printf("  %-28s %s\n", "-h, --help", "show this help");
    /* The reference a user has: the repository's doc/ and the man page. */
    printf("\nReference: doc/ (formats.md, profile.md, findings.md, unfair-clauses.md,\n"
           "exit-status.md) and 'man billaudit'.\n");
}

/* Common to every command that reads inputs (encrypted archives, src/zip.c). */
#define OPT_PASSWORD_FILE 255
/* Common to every command: the day "today" is (src/deadline.c). */
#define OPT_AS_OF 254

/* --as-of D: a real calendar day, else a usage error (exit 2). */
int cli_as_of(const char *cmd, const char *value)
{
    if (billaudit_set_as_of(value) == 0)
        return 0;
    fprintf(stderr, "billaudit%s%s: --as-of \"%s\" is not a date like 2025-07-20\n",
            *cmd ? " " : "", cmd, diag_quote(value));
    return -1;
}

int opts_parse(const char *usage, const char *summary, const opt_t *opts, int argc, char **argv)
{
    struct option lo[64];
    char so[160] = "+h";
    int n = 0;
    size_t sl = 2;
    for (; opts[n].longname && n < 60; n++) {
        lo[n] = (struct option){opts[n].longname,
                                opts[n].type == OPT_STR ? required_argument : no_argument, NULL,
                                opts[n].shortname ? opts[n].shortname : 256 + n};
        if (opts[n].shortname && sl < sizeof so - 3) {
            so[sl++] = opts[n].shortname;
            if (opts[n].type == OPT_STR)
                so[sl++] = ':';
        }
    }
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n++] = (struct option){"password-file", required_argument, NULL, OPT_PASSWORD_FILE};
    lo[n++] = (struct option){"as-of", required_argument, NULL, OPT_AS_OF};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    so[sl] = 0;
    /* '+' off: operands and options may be mixed (billaudit audit dir -f json). */
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, so + 1, lo, NULL)) != -1) {
        if (c == 'h') {
            opts_help(usage, summary, opts);
            return -2;
        }
        if (c == OPT_PASSWORD_FILE) {
            zip_password_file(optarg); /* the file's name only: it is read when needed */
            continue;
        }
        if (c == OPT_AS_OF) {
            if (cli_as_of(argv[0], optarg) != 0) {
                opts_usage(stderr, usage, opts);
                return -1;
            }
            continue;
        }
        int k;
        for (k = 0; opts[k].longname; k++)
            if ((opts[k].shortname && c == opts[k].shortname) || c == 256 + k)
                break;
        if (c == '?' || c == ':' || !opts[k].longname) {
            fprintf(stderr, "billaudit %s: bad option or missing value: %s\n", argv[0],
                    argv[optind - 1]);
            opts_usage(stderr, usage, opts);
            return -1;
        }
        if (opts[k].type == OPT_FLAG)
            *(int *)opts[k].dest = 1;
        else
            *(const char **)opts[k].dest = optarg;
    }
    return optind;
}

int cli_month(const char *s, int *out)
{
    int y, m;
    char extra;
    if (!s || sscanf(s, "%d-%d%c", &y, &m, &extra) != 2 || y < 1900 || y > 2200 || m < 1 || m > 12)
        return -1;
    *out = ym_make(y, m);
    return 0;
}

static void run_rules(audit_t *a, const char *only)
{
    for (int i = 0; rules[i]; i++) {
        if (only && strcmp(rules[i]->id, only))
            continue;
        const char *needs = rules[i]->needs ? rules[i]->needs(a) : NULL;
        if (needs) {
            struct rule_skip s = {rules[i]->id, needs};
            VEC_PUSH(a->rules_skipped, s);
            continue;
        }
        rules[i]->run(a);
    }
    findings_finish(a);
    parties_check(a); /* a contract of another operator than the profile's is no evidence */
}

static void *catalogue_main(void *arg)
{
    (void)arg;
    terms_default();
    return NULL;
}

/* Compiling the term catalogue is a tenth of a long contract's scan: it is done on the
 * second core while the inputs are read. The fold table, which the reading uses too, is
 * built first so that the two threads only ever read it. */
static int catalogue_start(pthread_t *th, const char *only_rule)
{
    if (only_rule && strcmp(only_rule, "unfair-term"))
        return 0;
    terms_fold_cp('a');
    return pthread_create(th, NULL, catalogue_main, NULL) == 0;
}

int cli_run_audit(audit_t *a, const char *account, char **paths, int npaths, const char *only_rule)
{
    if (account) {
        char msg[512];
        if (account_load(&a->acct, account, msg, sizeof msg) != 0) {
            fprintf(stderr, "%s\n", msg);
            return 2;
        }
        a->account_path = (char *)account;
        protect_file(account);
        if (sha256_file(account, a->account_sha256) != 0)
            a->account_sha256[0] = 0;
    }
    if (npaths == 0) {
        fprintf(stderr, "billaudit: no input files or directories given\n");
        return 2;
    }
    pthread_t th;
    int compiling = catalogue_start(&th, only_rule);
    audit_load(a, paths, npaths);
    if (compiling)
        pthread_join(th, NULL);
    if (a->bad_input || a->fatal)
        return 2;
    audit_prepare(a);
    run_rules(a, only_rule);
    return 0;
}
