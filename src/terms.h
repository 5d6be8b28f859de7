/* Unfair contract terms (doc/unfair-clauses.md): the normaliser, the clause splitter and
 * the catalogue of PCRE2 patterns kept as data in rules/terms/ files.
 *
 * Matching runs on a prepared copy of a clause: normalised (below),
 * parties swapped when the preamble names the operator 甲方, and a '\n'
 * after every sentence end (。 ; ! ?) so that `.` never crosses a sentence
 * and ^/$ (multiline) anchor at sentence edges. */
#ifndef BILLAUDIT_TERMS_H
#define BILLAUDIT_TERMS_H
#include "util.h"
#include <stddef.h>
#include <stdint.h>

/* The twelve term types, in precedence order: index 0 wins
 * (doc/unfair-clauses.md lists them in this order). */
#define TERM_NTYPES 12
extern const char *const term_type_names[TERM_NTYPES];
int term_type_index(const char *name); /* -1 when unknown */

/* ---- normalisation ---- */
/* One code point folded: width, variants, quotes, ASCII case, traditional -> simplified.
 * Spaces (U+3000, NBSP, TAB) and invisible characters become ' '. */
uint32_t terms_fold_cp(uint32_t cp);
/* Folds every character one for one (same number of characters): for numbering and sniffing. */
char *terms_fold_line(const char *s);
/* The normaliser: fold, drop invisible characters, drop spaces unless between two ASCII
 * letters/digits (runs become one space), trim. Invalid UTF-8 becomes U+FFFD. */
char *terms_normalise(const char *s);

/* ---- clause splitting ---- */
/* Does the line start a clause by its numbering? *label_chars gets the number of
 * characters of the number, after leading blanks (*lead_chars). */
int terms_clause_start(const char *line, size_t *lead_chars, size_t *label_chars);
/* The same when the caller has folded the line already (terms_fold_line). */
int terms_clause_start_folded(const char *line, const char *folded, size_t *lead_chars,
                              size_t *label_chars);
/* Is the (raw) line only a page marker (第 1 页 共 2 页, - 3 -, 3/8, Page 3 of 8)? */
int terms_page_marker(const char *line);

typedef void (*clause_fn)(void *ctx, long line, const char *first_line, const char *text,
                          const char *label);
typedef struct {
    clause_fn fn;
    void *ctx;
    char *title;    /* normalised first line: a running title repeats it */
    int open;       /* a clause is being collected */
    long line;      /* its first line */
    char *first;    /* its first line, original text */
    char *label;    /* its number as printed */
    sbuf_t text;    /* its lines joined */
    int last_ascii; /* the joined text ends with an ASCII letter or digit */
} splitter_t;
void splitter_init(splitter_t *s, clause_fn fn, void *ctx);
/* Feeds one physical line (without EOL) and its 1-based number. Blank lines are ignored. */
void splitter_line(splitter_t *s, long lineno, const char *raw);
/* Emits the last clause and frees the splitter's memory. */
void splitter_finish(splitter_t *s);
/* Splits a whole text (LF or CRLF, optional BOM): for tests and tools. */
void terms_split_text(const char *text, clause_fn fn, void *ctx);

/* ---- parties ---- */
/* 1 when a preamble (normalised) makes 甲方 the operator and 乙方 the customer. */
int terms_parties_reversed(const char *norm);
/* Prepared text for matching (see the top of this file); caller frees. */
char *terms_prepare(const char *raw, int swap_parties);

/* ---- the catalogue ---- */
typedef struct terms terms_t;

typedef struct {
    int type;                                 /* index into term_type_names, -1 when none */
    const char *entry_id;                     /* catalogue entry that fired */
    const char *severity;                     /* "high" | "medium" | "low" */
    const char *const *basis;                 /* law ids, NULL-terminated */
    const char *title, *explanation, *remedy; /* of the type */
    int limit_hit;                            /* a match or depth limit was hit while scanning */
} term_hit_t;

/* The catalogue embedded in the binary (rules/terms/ files), loaded and compiled once.
 * NULL when it is broken (the reason is printed once). */
const terms_t *terms_default(void);
/* Replaces the catalogue terms_default returns (tests); returns the previous one. */
const terms_t *terms_swap_default(const terms_t *t);
/* A catalogue from texts: names[i] is used in messages. NULL with err on error. */
terms_t *terms_load(const char *const *names, const char *const *texts, int n, char *err,
                    size_t errlen);
void terms_free(terms_t *t);
/* Match and depth limits for every pattern (defaults: TERMS_MATCH_LIMIT, TERMS_DEPTH_LIMIT). */
#define TERMS_MATCH_LIMIT 2000000u
#define TERMS_DEPTH_LIMIT 2000u
void terms_set_limits(terms_t *t, uint32_t match_limit, uint32_t depth_limit);
size_t terms_entry_count(const terms_t *t);

/* Classifies a prepared clause: the first type in precedence order that fires. Returns
 * hit->type. */
int terms_classify(const terms_t *t, const char *prepared, term_hit_t *hit);
/* The same catalogue with its own match state, so that another thread can classify
 * beside t (terms_classify is not reentrant on one terms_t). NULL when out of memory. */
terms_t *terms_worker(const terms_t *t);
void terms_worker_free(terms_t *w);
/* Classifies raw clause text (normalises and prepares it first, parties not swapped). */
int terms_classify_text(const terms_t *t, const char *raw, term_hit_t *hit);
/* Does the given type fire on a prepared clause (precedence ignored)? */
int terms_type_fires(const terms_t *t, int type, const char *prepared, int *limit_hit);

/* Checks every match:/no-match: example of every entry and the law ids. Failures are
 * described in report (one line each). Returns the number of failures. */
int terms_selftest(const terms_t *t, sbuf_t *report);

#endif
