/* The law table: rules/data/laws.tsv, loaded once. */
#include "data.h"
#include "rule.h"
#include <stdlib.h>
#include <string.h>

static VEC(law_t) laws;

static void law_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n < 4)
        return;
    law_t l = {xstrdup(f[0]), xstrdup(f[1]), xstrdup(f[2]), xstrdup(f[3])};
    VEC_PUSH(laws, l);
}

static void load(void)
{
    if (!laws.n)
        data_tsv_each("rules/data/laws.tsv", law_row, NULL);
}

const law_t *law_find(const char *id)
{
    load();
    for (size_t i = 0; i < laws.n; i++)
        if (!strcmp(laws.items[i].id, id))
            return &laws.items[i];
    return NULL;
}

void laws_each(void (*fn)(const law_t *, void *), void *ctx)
{
    load();
    for (size_t i = 0; i < laws.n; i++)
        fn(&laws.items[i], ctx);
}
