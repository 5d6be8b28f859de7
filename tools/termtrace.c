/* termtrace: for catalogue work. Splits UTF-8 contract text files as `terms` does and
 * prints, per clause that fires, its first line, the type reported, the catalogue entry
 * that fired and every other type whose entries also fire (precedence ignored):
 *   FILE<TAB>LINE<TAB>TYPE<TAB>ENTRY<TAB>ALSO<TAB>CLAUSE (first 60 characters)
 * Parties are swapped when the preamble says so, as the rule does.
 *   termtrace [-c DIR] [-t] FILE...
 * -c DIR reads the catalogue from DIR (rules/terms) instead of the embedded copy, so that
 * an edit is tried without a rebuild; -t runs the catalogue's match:/no-match: examples. */
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

int main(int argc, char **argv)
{
    const terms_t *t = NULL;
    int i = 1, selftest = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-c") && i + 1 < argc)
            t = load_dir(argv[++i]);
        else if (!strcmp(argv[i], "-t"))
            selftest = 1;
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
