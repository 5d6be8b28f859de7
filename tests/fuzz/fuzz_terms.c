/* The term path (terms.md): the normaliser, the clause splitter, party detection, the
 * preparation and the embedded catalogue on every clause the splitter yields. */
#include "fuzz_common.h"
#include "terms.h"

static const terms_t *cat;

static void on_clause(void *ctx, long line, const char *first, const char *text, const char *label)
{
    (void)line, (void)first, (void)label;
    int *nclauses = ctx;
    if ((*nclauses)++ > 200)
        return;
    char *prep = terms_prepare(text, *nclauses & 1);
    term_hit_t hit;
    if (cat)
        terms_classify(cat, prep, &hit);
    free(prep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    if (!cat)
        cat = terms_default();
    char *s = fuzz_str(data, size);
    char *norm = terms_normalise(s);
    terms_parties_reversed(norm);
    free(norm);
    free(terms_fold_line(s));
    size_t lead, label;
    terms_clause_start(s, &lead, &label);
    terms_page_marker(s);
    int n = 0;
    terms_split_text(s, on_clause, &n);
    if (cat && size < 4096) {
        term_hit_t hit;
        terms_classify_text(cat, s, &hit);
    }
    free(s);
    return 0;
}
