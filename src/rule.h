/* The rule registry: each rule is one file in rules/ and one row in rules/registry.c. */
#ifndef BILLAUDIT_RULE_H
#define BILLAUDIT_RULE_H
#include "audit.h"

typedef struct {
    const char *id;
    const char *category;
    const char *severity;
    const char *summary;      /* one line for `billaudit rules` */
    const char *const *basis; /* law ids (rules/data/laws.tsv), NULL-terminated */
    /* NULL when the rule can run; else what it needs, e.g. "account.subscriptions". */
    const char *(*needs)(const audit_t *a);
    void (*run)(audit_t *a);
} rule_t;

extern const rule_t *const rules[];
const rule_t *rule_find(const char *id);

/* Law table (rules/data/laws.tsv): only texts verified against the
 * official publication. */
typedef struct {
    const char *id, *law, *article, *text;
} law_t;
const law_t *law_find(const char *id);
void laws_each(void (*fn)(const law_t *, void *), void *ctx);
/* "《民法典》" for "《中华人民共和国民法典》" (src/templates/law-short.txt). */
const char *law_short_name(const char *law);
/* "《民法典》第五百六十五条第一款（前两句）"; NULL for an id not in the table. Owned. */
char *law_cite(const char *id);

/* Legal statements (rules/data/statements.tsv): each printed legal sentence and the VERIFIED
 * texts it rests on. */
typedef struct {
    const char *law, *text; /* a fragment of the statement that is a fragment of law's text */
} stmt_quote_t;
typedef struct {
    const char *key;
    const char *const *laws; /* the ids it cites, NULL-terminated */
    const char *text;        /* "=" for term:TYPE: the catalogue's explanation of TYPE */
    stmt_quote_t *quotes;    /* terminated by {NULL, NULL}; NULL when none */
    int line;                /* in the table, for messages */
} statement_t;
const statement_t *statement_find(const char *key);
void statements_each(void (*fn)(const statement_t *, void *), void *ctx);
/* The statement followed by its citations: "……，合同自通知到达对方时解除（《民法典》第五百
 * 六十五条第一款（前两句）；…）。" ("" for an unknown key). Owned. */
char *statement_cited(const char *key);
/* Does the statement cite law id? */
int statement_quotes_law(const statement_t *s, const char *law);
/* May an unfair-term finding on this clause cite law (the table's when rows)? */
int statement_law_applies(const char *law, const char *clause);
/* Is law cited by every money finding (the table's route rows)? */
int law_is_route(const char *id);

#endif
