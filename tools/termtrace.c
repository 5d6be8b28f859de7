/* termtrace: for catalogue work. Splits UTF-8 contract text files as `terms` does and
 * prints, per clause that fires, its first line, the type reported, the catalogue entry
 * that fired and every other type whose entries also fire (precedence ignored):
 *   FILE<TAB>LINE<TAB>TYPE<TAB>ENTRY<TAB>ALSO<TAB>CLAUSE (first 60 characters)
 * Parties are swapped when the preamble says so, as the rule does.
 *   termtrace [-c DIR] [-t] FILE...
 * -c DIR reads the catalogue from DIR (rules/terms) instead of the embedded copy, so that
 * an edit is tried without a rebuild; -t runs the catalogue's match:/no-match: examples;
 * -s TSV scores a labelled set ("expected<TAB>clause", - for fair, # comments) as the unit
 * tests do, printing every miss and false alarm, then tp/fp/fn and F1 per term_type. */
#include "terms.h"
#include "util.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *path;
    const terms_t *t;
    int swap;
} trace_t;

static void on_clause(void *ctx, long line, const char *first, const char *text, const char *label)
{
    (void)first, (void)label;
    trace_t *tr = ctx;
    char *prep = terms_prepare(text, tr->swap);
    term_hit_t h;
    if (terms_classify(tr->t, prep, &h) >= 0) {
        sbuf_t also = {0};
        for (int k = 0; k < TERM_NTYPES; k++)
            if (k != h.type && terms_type_fires(tr->t, k, prep, NULL)) {
                sb_add(&also, also.n ? "," : "");
                sb_add(&also, term_type_names[k]);
            }
        printf("%s\t%ld\t%s\t%s\t%s\t%.180s\n", tr->path, line, term_type_names[h.type], h.entry_id,
               also.n ? also.p : "-", text);
        sb_free(&also);
    }
    free(prep);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf_t b = {0};
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&b, buf, k);
    fclose(f);
    return sb_take(&b);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The catalogue files of dir in name order, as the build embeds them. */
static terms_t *load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (str_ends(e->d_name, ".txt") && strcmp(e->d_name, "_t2s.txt"))
            VEC_PUSH(names, xasprintf("%s/%s", dir, e->d_name));
    closedir(d);
    qsort(names.items, names.n, sizeof *names.items, name_cmp);
    const char **texts = xcalloc(names.n + 1, sizeof *texts);
    for (size_t i = 0; i < names.n; i++)
        texts[i] = slurp(names.items[i]);
    char err[1024];
    terms_t *t = terms_load((const char *const *)names.items, texts, (int)names.n, err, sizeof err);
    if (!t)
        fprintf(stderr, "termtrace: %s\n", err);
    for (size_t i = 0; i < names.n; i++)
        free((char *)texts[i]), free(names.items[i]);
    free(texts);
    VEC_FREE(names);
    return t;
}

typedef struct {
    int tp[TERM_NTYPES], fp[TERM_NTYPES], fn[TERM_NTYPES];
} tally_t;

static double f1_of(int tp, int fp, int fn)
{
    return tp + fp + fn ? 2.0 * tp / (2.0 * tp + fp + fn) : 1.0;
}

/* Counts one labelled clause: want and got are type indices or -1 (fair). */
static void tally_one(tally_t *ta, int want, int got)
{
    if (want >= 0 && want == got) {
        ta->tp[want]++;
        return;
    }
    if (got >= 0)
        ta->fp[got]++;
    if (want >= 0)
        ta->fn[want]++;
}

static void print_tally(const char *path, const tally_t *ta)
{
    int tp = 0, fp = 0, fn = 0;
    for (int k = 0; k < TERM_NTYPES; k++) {
        tp += ta->tp[k], fp += ta->fp[k], fn += ta->fn[k];
        if (ta->tp[k] + ta->fp[k] + ta->fn[k])
            printf("  %-26s %d/%d/%d  F1=%.3f\n", term_type_names[k], ta->tp[k], ta->fp[k],
                   ta->fn[k], f1_of(ta->tp[k], ta->fp[k], ta->fn[k]));
    }
    printf("%s: typed F1 = %.3f (P=%.3f, R=%.3f, tp/fp/fn %d/%d/%d)\n", path, f1_of(tp, fp, fn),
           tp + fp ? (double)tp / (tp + fp) : 1.0, tp + fn ? (double)tp / (tp + fn) : 1.0, tp, fp,
           fn);
}

/* Scores the labelled set at path; returns 0, or 1 when it cannot be read. */
static int score_tsv(const terms_t *t, const char *path)
{
    char *text = slurp(path);
    if (!text) {
        fprintf(stderr, "%s: cannot read\n", path);
        return 1;
    }
    tally_t ta = {0};
    long lineno = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        line[strcspn(line, "\r")] = 0;
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = 0;
        term_hit_t h;
        int want = strcmp(line, "-") ? term_type_index(line) : -1;
        int got = terms_classify_text(t, tab + 1, &h);
        if (want != got)
            printf("%s:%ld: want %s, got %s (%s): %s\n", path, lineno,
                   want >= 0 ? term_type_names[want] : "-", got >= 0 ? term_type_names[got] : "-",
                   got >= 0 ? h.entry_id : "", tab + 1);
        tally_one(&ta, want, got);
    }
    free(text);
    print_tally(path, &ta);
    return 0;
}

int main(int argc, char **argv)
{
    const terms_t *t = NULL;
    int i = 1, selftest = 0;
    const char *tsv = NULL;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-c") && i + 1 < argc)
            t = load_dir(argv[++i]);
        else if (!strcmp(argv[i], "-t"))
            selftest = 1;
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            tsv = argv[++i];
    }
    if (!t)
        t = terms_default();
    if (!t)
        return 2;
    if (selftest) {
        sbuf_t rep = {0};
        int failures = terms_selftest(t, &rep);
        fputs(rep.p ? rep.p : "", stdout);
        printf("selftest: %d failure(s)\n", failures);
        sb_free(&rep);
    }
    if (tsv && score_tsv(t, tsv))
        return 2;
    for (; i < argc; i++) {
        char *text = slurp(argv[i]);
        if (!text) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            continue;
        }
        char *norm = terms_normalise(text);
        trace_t tr = {argv[i], t, terms_parties_reversed(norm)};
        free(norm);
        terms_split_text(text, on_clause, &tr);
        free(text);
    }
    return 0;
}
