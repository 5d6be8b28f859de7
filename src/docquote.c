/* An unfair clause quoted whole (every wrapped line, joined), with the sentence that made it
 * unfair apart so that each document can mark it (【】 in text, ** in Markdown, <mark> in
 * HTML). The cue is the first sentence on which the finding's term type fires alone. */
#include "docctx.h"
#include "terms.h"
#include <stdlib.h>
#include <string.h>

const clause_t *doc_clause_at(const audit_t *a, const prov_t *p)
{
    for (size_t i = 0; i < a->clauses.n; i++)
        if (a->clauses.items[i].prov.src == p->src && a->clauses.items[i].prov.line == p->line)
            return &a->clauses.items[i];
    return NULL;
}

/* Length of the sentence starting at s: up to and including its end mark. */
static size_t sentence_len(const char *s)
{
    static const char *const ends[] = {"。", "；", "！", "？", ";", "!", "?"};
    for (size_t i = 0; s[i]; i++)
        for (size_t k = 0; k < sizeof ends / sizeof *ends; k++) {
            size_t n = strlen(ends[k]);
            if (!strncmp(s + i, ends[k], n))
                return i + n;
        }
    return strlen(s);
}

static int fires(const terms_t *t, int type, const char *sentence)
{
    for (int swap = 0; swap < 2; swap++) {
        char *prep = terms_prepare(sentence, swap);
        int yes = terms_type_fires(t, type, prep, NULL);
        free(prep);
        if (yes)
            return 1;
    }
    return 0;
}

void doc_clause_quote(const doc_t *d, tctx_t *c, const finding_t *f)
{
    const clause_t *cl = f->evidence.n ? doc_clause_at(d->a, &f->evidence.items[0]) : NULL;
    const char *text = cl && cl->text && *cl->text                  ? cl->text
                       : f->evidence.n && f->evidence.items[0].text ? f->evidence.items[0].text
                                                                    : "";
    const terms_t *t = terms_default();
    int type = term_type_index(f->term_type);
    size_t at = 0, n = strlen(text), cue = 0, cue_len = 0;
    while (t && type >= 0 && at < n && !cue_len) {
        size_t len = sentence_len(text + at);
        char *sentence = xstrndup(text + at, len);
        if (fires(t, type, sentence))
            cue = at, cue_len = len;
        free(sentence);
        at += len;
    }
    if (cue_len >= n)
        cue_len = 0; /* the whole clause: quoted plainly */
    char *pre = xstrndup(text, cue_len ? cue : n);
    char *mid = xstrndup(text + cue, cue_len);
    tctx_set(c, "quote_pre", pre);
    tctx_set(c, "quote_cue", mid);
    tctx_set(c, "quote_post", cue_len ? text + cue + cue_len : "");
    /* A one-sentence clause is its own cue: nothing to mark apart. */
    tctx_set(c, "quote_marked", cue_len && cue_len < n ? "1" : "");
    free(pre), free(mid);
}
