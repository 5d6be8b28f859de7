/* Contract text (formats.md §7): a service agreement copied or extracted into
 * plain text. Each physical line is a row; the splitter of src/terms.c joins
 * them into clauses by their numbering and drops page furniture. */
#include "container.h"
#include "parser.h"
#include "terms.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Words of formats.md §7's signature, matched on the folded line (so 協議 counts). */
static const char *const contract_words[] = {"协议", "合同", "甲方", "乙方", "条款", "规则", "须知",
                                             "细则", "说明", "承诺", "用户", "客户", "您"};

static int has_contract_word(const char *folded)
{
    for (size_t i = 0; i < sizeof contract_words / sizeof *contract_words; i++)
        if (strstr(folded, contract_words[i]))
            return 1;
    return 0;
}

/* Delimited cells on a physical line: a TAB makes it a table row outright;
 * otherwise the number of ASCII commas, compared across lines below. */
#define MAX_COMMAS 64

static int commas_of(const char *line)
{
    /* A sentence end makes the line prose whatever its commas: table cells
     * (amounts, dates, names) do not end in 。 or ；. */
    if (strstr(line, "。") || strstr(line, "；"))
        return 0;
    int commas = 0;
    for (const char *p = line; *p; p++) {
        if (*p == '\t')
            return -1;
        commas += *p == ',';
    }
    return commas > MAX_COMMAS ? MAX_COMMAS : commas;
}

typedef struct {
    int lines, numbered, words, tabs;
    int by_commas[MAX_COMMAS + 1]; /* lines per comma count */
} sniff_count_t;

static void count_line(sniff_count_t *c, const char *line)
{
    char *folded = terms_fold_line(line);
    int numbered = terms_clause_start_folded(line, folded, NULL, NULL);
    char *trimmed = str_trim(folded);
    if (*trimmed) {
        c->lines++;
        c->numbered += numbered;
        c->words += has_contract_word(trimmed);
        int commas = commas_of(line);
        if (commas < 0)
            c->tabs++;
        else
            c->by_commas[commas]++;
    }
    free(folded);
}

/* formats.md §7: a table has the same number of delimited cells on most lines;
 * prose copied from a web page has ASCII commas too, but as many as its
 * sentences need, different from line to line. */
static int looks_tabular(const sniff_count_t *c)
{
    if (c->tabs * 2 >= c->lines)
        return 1;
    for (int n = 1; n <= MAX_COMMAS; n++)
        if (c->by_commas[n] * 2 >= c->lines && c->by_commas[n] >= 2)
            return 1;
    return 0;
}

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    if (!s->container || !s->container->prose)
        return 0;
    sniff_count_t c = {0};
    for (int i = 0; i < s->nrows; i++) {
        /* A sniffed row may hold several physical lines (a quote opened a CSV field). */
        char *raw = xstrdup(s->rows[i].raw ? s->rows[i].raw : "");
        for (char *line = raw, *next; line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = 0;
            count_line(&c, line);
        }
        free(raw);
    }
    if (c.lines == 0 || looks_tabular(&c))
        return 0;
    if (c.numbered < 2 || c.words == 0)
        return 0;
    snprintf(why, whylen, "%d clause-numbered lines and a contract word", c.numbered);
    return 40;
}

/* The lines read that held undecodable bytes, not yet given to a clause (bounded: past
 * the bound a clause is known damaged by its U+FFFD alone). */
#define MAX_BAD_LINES 4096
typedef struct {
    parse_t *p;
    VEC(long) bad;
    int overflow; /* more were met than kept */
} ctparse_t;

/* A clause is damaged when a damaged line read since its first line is in its text: the
 * splitter emits a clause once the line after it is read, which may be that line. */
static void emit(void *ctx, long line, const char *first_line, const char *text, const char *label)
{
    ctparse_t *c = ctx;
    size_t keep = 0;
    for (size_t i = 0; i < c->bad.n; i++)
        if (c->bad.items[i] >= line)
            c->bad.items[keep++] = c->bad.items[i];
    c->bad.n = keep;
    int damaged = (keep || c->overflow) && text && strstr(text, "\xEF\xBF\xBD");
    parse_clause(c->p, line, first_line, text, label, damaged);
}

static int parse(parse_t *p)
{
    splitter_t sp;
    ctparse_t c = {p, {0}, 0};
    splitter_init(&sp, emit, &c);
    row_t r;
    int rc;
    while ((rc = rowsrc_next(p->rows, &r)) == 1) {
        if (r.damaged && c.bad.n < MAX_BAD_LINES)
            VEC_PUSH(c.bad, r.line);
        else if (r.damaged)
            c.overflow = 1;
        splitter_line(&sp, r.line, r.raw ? r.raw : (r.n ? r.cells[0] : ""));
    }
    splitter_finish(&sp);
    VEC_FREE(c.bad);
    if (rc < 0) {
        diag(p->path, 0, "%s", p->rows->err[0] ? p->rows->err : "read error");
        return -1;
    }
    return 0;
}

const parser_t parser_contract_text = {
    "contract-text",
    "service agreement text (入网服务协议, 宽带业务协议 …): clauses for unfair-term",
    RS_LINES,
    sniff,
    parse,
    NULL, /* prose has no columns to miss */
};
