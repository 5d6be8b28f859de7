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

/* Law table (rules/data/laws.tsv): VERIFIED entries of domain.md only. */
typedef struct {
    const char *id, *law, *article, *text;
} law_t;
const law_t *law_find(const char *id);
void laws_each(void (*fn)(const law_t *, void *), void *ctx);

#endif
