/* billaudit detect: what each input is, as billaudit reads it. */
#include "audit.h"
#include "cli.h"
#include "parser.h"
#include <stdio.h>
#include <stdlib.h>

static const char usage[] = "detect PATH...";
static const char summary[] =
    "Prints, per file: the format chosen from its content, the encoding, the records read and\n"
    "rejected, the months covered and the usage coverage it declares. --records also lists\n"
    "every normalised record with its line number; --verbose shows each parser's score.";

/* Months wholly inside the source's declared period. */
static void print_coverage(const source_t *s)
{
    if (s->ukind < 0 && !str_eq(s->format, "operator-payments"))
        return;
    if (s->decl_from == NO_DAY) {
        printf(", covers: none declared");
        return;
    }
    ym_t lo = ym_of_day(s->decl_from), hi = ym_of_day(s->decl_to);
    if (ym_first_day(lo) < s->decl_from)
        lo++;
    if (ym_last_day(hi) > s->decl_to)
        hi--;
    char a[16], b[16], d0[16], d1[16];
    printf(", declared %s..%s", day_fmt(s->decl_from, d0), day_fmt(s->decl_to, d1));
    if (lo > hi)
        printf(", covers: no whole month");
    else
        printf(", covers %s..%s", ym_fmt(lo, a), ym_fmt(hi, b));
}

static void print_source(const source_t *s)
{
    char a[16], b[16];
    printf("%s: ", s->path);
    if (s->archive)
        printf("%s, ", s->label); /* how the member was stored: zip, zip(aes), ... */
    printf("%s, %s, %ld records, %ld rejected", s->format, s->encoding, s->records, s->rejected);
    if (s->from != NO_YM)
        printf(", period %s..%s", ym_fmt(s->from, a), ym_fmt(s->to, b));
    print_coverage(s);
    if (s->duplicate_of >= 0)
        printf(", identical to an earlier file (counted once)");
    printf("\n");
}

/* What has been printed so far; records and scores of the file being read. */
typedef struct {
    size_t sources, skipped;
    sbuf_t dump, scores;
} shown_t;

/* Prints what the last input added, file by file: its line (or why it was skipped),
 * then its parser scores and its records, so a directory reads like its files one
 * after another. Scores go to stderr as diagnostics do; stdout is flushed first so
 * that both stay in order on one terminal. */
static void show_new(audit_t *a, const input_t *in, void *ctx)
{
    (void)in;
    shown_t *sh = ctx;
    for (; sh->sources < a->sources.n; sh->sources++)
        print_source(&a->sources.items[sh->sources]);
    for (; sh->skipped < a->skipped.n; sh->skipped++)
        printf("%s: skipped: %s\n", a->skipped.items[sh->skipped].path,
               a->skipped.items[sh->skipped].reason);
    if (sh->scores.n) {
        fflush(stdout);
        fputs(sh->scores.p, stderr);
        sb_clear(&sh->scores);
    }
    if (sh->dump.n) {
        fputs(sh->dump.p, stdout);
        sb_clear(&sh->dump);
    }
}

/* One PATH: a directory is expanded by the walker the audit uses. */
static int detect_path(audit_t *a, char *path, shown_t *sh)
{
    inputs_t in = {0};
    audit_inputs(a, &path, 1, &in);
    show_new(a, NULL, sh); /* entries of a directory that could not be read */
    int rc = audit_load_inputs(a, &in, show_new, sh);
    inputs_free(&in);
    a->bad_input = 0;
    return rc;
}

int cmd_detect(int argc, char **argv)
{
    int records = 0, verbose = 0;
    const opt_t opts[] = {
        {'r', "records", NULL, "list every normalised record", OPT_FLAG, &records},
        {'v', "verbose", NULL, "show why each parser scored each file as it did", OPT_FLAG,
         &verbose},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (first >= argc) {
        fprintf(stderr, "billaudit detect: no input given\n");
        opts_usage(stderr, usage, opts);
        return 2;
    }
    audit_t a;
    audit_init(&a);
    shown_t sh = {0};
    a.dump = records ? &sh.dump : NULL;
    a.scores = verbose ? &sh.scores : NULL;
    int rc = 0;
    for (int i = first; i < argc; i++)
        if (detect_path(&a, argv[i], &sh) != 0)
            rc = 2;
    sb_free(&sh.dump);
    sb_free(&sh.scores);
    audit_free(&a);
    return rc;
}
