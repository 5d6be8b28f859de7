/* billaudit detect: what each input is, as billaudit reads it. */
#include "audit.h"
#include "cli.h"
#include "parser.h"
#include <stdio.h>
#include <stdlib.h>

static const char usage[] = "detect [--records] [--verbose] PATH...";
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
    printf("%s: %s, %s, %ld records, %ld rejected", s->path, s->format, s->encoding, s->records,
           s->rejected);
    if (s->from != NO_YM)
        printf(", period %s..%s", ym_fmt(s->from, a), ym_fmt(s->to, b));
    print_coverage(s);
    if (s->duplicate_of >= 0)
        printf(", identical to an earlier file (counted once)");
    printf("\n");
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
        fprintf(stderr, "billaudit detect: no input given\nusage: billaudit %s\n", usage);
        return 2;
    }
    if (verbose)
        for (int i = first; i < argc; i++) {
            detect_t d;
            detect_file(argv[i], &d, 1);
        }
    audit_t a;
    audit_init(&a);
    sbuf_t dump = {0};
    int rc = 0;
    for (int i = first; i < argc; i++) {
        size_t before = a.sources.n, skipped = a.skipped.n;
        a.dump = records ? &dump : NULL;
        sb_clear(&dump);
        if (audit_load(&a, &argv[i], 1) != 0)
            rc = 2;
        for (size_t k = before; k < a.sources.n; k++)
            print_source(&a.sources.items[k]);
        if (records && dump.n)
            fputs(dump.p, stdout);
        for (size_t k = skipped; k < a.skipped.n; k++)
            printf("%s: skipped: %s\n", a.skipped.items[k].path, a.skipped.items[k].reason);
        a.bad_input = 0;
    }
    sb_free(&dump);
    audit_free(&a);
    return rc;
}
