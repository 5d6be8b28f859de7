/* Collecting data problems for cron (see problems.h). */
#include "problems.h"
#include <stdlib.h>
#include <string.h>

/* text, the key the state keeps, is one line of valid UTF-8 that tells names apart: the
 * name as diagnostics show it (a GBK or damaged name escaped, never '?' for any byte, so
 * two such files are two problems). path stays the bytes it is: the JSON writer repairs it
 * and adds path_bytes. */
static void add(problems_t *p, const char *kind, const char *path, long line, const char *msg)
{
    problem_t x = {kind, xstrdup(path), line, text_one_line(msg), NULL};
    char at[48];
    x.text = line > 0 ? xasprintf("%s:%s: %s", name_shown(path), line_text(line, at, sizeof at),
                                  x.message)
                      : xasprintf("%s: %s", name_shown(path), x.message);
    VEC_PUSH(p->items, x);
}

static struct problem_count *count_of(problems_t *p, const char *path)
{
    /* Files are read one after another, so the last entry is nearly always the one. */
    for (size_t i = p->per_file.n; i-- > 0;)
        if (!strcmp(p->per_file.items[i].path, path))
            return &p->per_file.items[i];
    struct problem_count c = {xstrdup(path), 0, 0};
    VEC_PUSH(p->per_file, c);
    return &p->per_file.items[p->per_file.n - 1];
}

static void sink(void *ctx, const char *path, long line, const char *msg)
{
    problems_t *p = ctx;
    struct problem_count *c = count_of(p, path);
    if (c->kept >= PROBLEMS_PER_FILE) {
        c->dropped++;
        return;
    }
    c->kept++;
    add(p, "diagnostic", path, line, msg);
}

void problems_capture(problems_t *p)
{
    diag_sink_ctx = p;
    diag_sink = sink;
}

void problems_uncapture(void)
{
    diag_sink = NULL;
    diag_sink_ctx = NULL;
}

void problems_add_audit(problems_t *p, const audit_t *a)
{
    for (size_t i = 0; i < p->per_file.n; i++) {
        const struct problem_count *c = &p->per_file.items[i];
        if (!c->dropped)
            continue;
        char *msg = xasprintf("%ld more diagnostics not listed ('billaudit audit' shows them all)",
                              c->dropped);
        add(p, "diagnostic", c->path, 0, msg);
        free(msg);
    }
    for (size_t i = 0; i < a->skipped.n; i++) {
        const skip_t *s = &a->skipped.items[i];
        if (!strcmp(s->reason, SKIP_PROFILE)) /* the profile is an input, not a problem */
            continue;
        char *msg = xasprintf("skipped: %s", s->reason);
        add(p, "skipped", s->path, 0, msg);
        free(msg);
    }
    for (size_t i = 0; i < a->warnings.n; i++)
        add(p, "warning", a->warnings.items[i].source, 0, a->warnings.items[i].message);
}

void problems_free(problems_t *p)
{
    for (size_t i = 0; i < p->items.n; i++) {
        free(p->items.items[i].path);
        free(p->items.items[i].message);
        free(p->items.items[i].text);
    }
    for (size_t i = 0; i < p->per_file.n; i++)
        free(p->per_file.items[i].path);
    VEC_FREE(p->items);
    VEC_FREE(p->per_file);
}
