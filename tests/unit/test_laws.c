/* Every citation billaudit prints is a VERIFIED entry of domain.md, quoted exactly. */
#include "rule.h"
#include "unit.h"
#include <stdlib.h>

static void check_law(const law_t *l, void *ctx)
{
    const char *doc = ((const char **)ctx)[0];
    int *failed = ((int **)ctx)[1];
    char *needle = xasprintf("**%s** %s — %s", l->id, l->article, l->text);
    /* The Supreme Court entries carry the law's name inside the article text; CC-201/202
     * share one entry, each article followed by a colon. */
    char *alt = xasprintf("%s — %s", l->article, l->text);
    char *pair = xasprintf("%s：%s", l->article, l->text);
    int paired =
        strstr(doc, pair) && (!strncmp(l->id, "CC-201", 6) || !strncmp(l->id, "CC-202", 6));
    free(pair);
    if (!strstr(doc, needle) && !strstr(doc, alt) && !paired) {
        fprintf(stderr, "law %s is not quoted exactly from domain.md\n", l->id);
        (*failed)++;
    }
    free(needle), free(alt);
}

TEST(law_table_quotes_domain_md_exactly)
{
    char *doc = unit_slurp("tests/data/domain.md");
    CHECK(doc != NULL);
    if (!doc)
        return;
    const void *ctx[2] = {doc, unit_failed};
    laws_each(check_law, ctx);
    CHECK(law_find("CC-565") != NULL);
    CHECK(law_find("CPL-55") == NULL); /* never cited automatically */
    free(doc);
}
