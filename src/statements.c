/* The legal statements billaudit prints (rules/data/statements.tsv), each with the VERIFIED
 * texts it rests on, and the short citation of a law ("《民法典》第五百六十五条第一款"). Loaded
 * once; the wording lives in the table, so a statement is corrected without touching C. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "data.h"
#include "rule.h"
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *law;
    pcre2_code *re;
} when_t;

static VEC(statement_t) stmts;
static VEC(when_t) whens;
static VEC(char *) routes;
static VEC(char *) short_names; /* pairs: full name, short name */
static int loaded;

static const char **split_ids(const char *s)
{
    VEC(const char *) v = {0};
    char *copy = xstrdup(s), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        if (strcmp(t, "-"))
            VEC_PUSH(v, xstrdup(t));
    free(copy);
    VEC_PUSH(v, NULL);
    return v.items;
}

static statement_t *find_mut(const char *key)
{
    for (size_t i = 0; i < stmts.n; i++)
        if (!strcmp(stmts.items[i].key, key))
            return &stmts.items[i];
    return NULL;
}

static void add_quote(statement_t *s, const char *law, const char *text)
{
    size_t n = 0;
    while (s->quotes && s->quotes[n].law)
        n++;
    s->quotes = xrealloc(s->quotes, (n + 2) * sizeof *s->quotes);
    s->quotes[n] = (stmt_quote_t){xstrdup(law), xstrdup(text)};
    s->quotes[n + 1] = (stmt_quote_t){NULL, NULL};
}

static void add_when(const char *law, const char *pattern)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    if (!re) {
        fprintf(stderr, "rules/data/statements.tsv: bad pattern for %s\n", law);
        return;
    }
    when_t w = {xstrdup(law), re};
    VEC_PUSH(whens, w);
}

static void row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx;
    if (n >= 4 && !strcmp(f[0], "stmt")) {
        statement_t s = {xstrdup(f[1]), (const char *const *)split_ids(f[2]), xstrdup(f[3]), NULL,
                         lineno};
        VEC_PUSH(stmts, s);
    } else if (n >= 4 && !strcmp(f[0], "quote")) {
        statement_t *s = find_mut(f[1]);
        if (s)
            add_quote(s, f[2], f[3]);
        else
            fprintf(stderr, "rules/data/statements.tsv:%d: quote of unknown statement %s\n", lineno,
                    f[1]);
    } else if (n >= 3 && !strcmp(f[0], "when")) {
        add_when(f[1], f[2]);
    } else if (n >= 2 && !strcmp(f[0], "route")) {
        VEC_PUSH(routes, xstrdup(f[1]));
    }
}

static void short_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n >= 2) {
        VEC_PUSH(short_names, xstrdup(f[0]));
        VEC_PUSH(short_names, xstrdup(f[1]));
    }
}

static void load(void)
{
    if (loaded)
        return;
    loaded = 1;
    data_tsv_each("rules/data/statements.tsv", row, NULL);
    data_tsv_each("src/templates/law-short.txt", short_row, NULL);
}

const statement_t *statement_find(const char *key)
{
    load();
    return find_mut(key);
}

void statements_each(void (*fn)(const statement_t *, void *), void *ctx)
{
    load();
    for (size_t i = 0; i < stmts.n; i++)
        fn(&stmts.items[i], ctx);
}

int law_is_route(const char *id)
{
    load();
    for (size_t i = 0; i < routes.n; i++)
        if (!strcmp(routes.items[i], id))
            return 1;
    return 0;
}

int statement_law_applies(const char *law, const char *clause)
{
    load();
    for (size_t i = 0; i < whens.n; i++) {
        if (strcmp(whens.items[i].law, law))
            continue;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(whens.items[i].re, NULL);
        int rc = pcre2_match(whens.items[i].re, (PCRE2_SPTR)(clause ? clause : ""),
                             PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        return rc >= 0;
    }
    return 1;
}

int statement_quotes_law(const statement_t *s, const char *law)
{
    for (int i = 0; s && s->laws[i]; i++)
        if (!strcmp(s->laws[i], law))
            return 1;
    return 0;
}

const char *law_short_name(const char *law)
{
    load();
    for (size_t i = 0; i + 1 < short_names.n; i += 2)
        if (!strcmp(short_names.items[i], law))
            return short_names.items[i + 1];
    return law;
}

char *law_cite(const char *id)
{
    const law_t *l = law_find(id);
    if (!l)
        return NULL;
    return xasprintf("%s%s", law_short_name(l->law), l->article);
}

char *statement_cited(const char *key)
{
    const statement_t *s = statement_find(key);
    if (!s)
        return xstrdup("");
    sbuf_t b = {0};
    sb_add(&b, s->text);
    /* "……。" + "（《民法典》第五百六十五条第一款（前两句）；…）": the citation inside the sentence.
     */
    if (b.n >= 3 && !memcmp(b.p + b.n - 3, "。", 3))
        b.n -= 3, b.p[b.n] = 0;
    int any = 0;
    for (int i = 0; s->laws[i]; i++) {
        char *c = law_cite(s->laws[i]);
        if (!c)
            continue;
        sb_add(&b, any++ ? "；" : "（");
        sb_add(&b, c);
        free(c);
    }
    if (any)
        sb_add(&b, "）");
    sb_add(&b, "。");
    return sb_take(&b);
}
