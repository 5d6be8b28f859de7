/* The template context shared by the text/Markdown reports and the letters: what an
 * audit found, arranged for people (groups, totals, deadlines, the laws cited once). */
#ifndef BILLAUDIT_DOCCTX_H
#define BILLAUDIT_DOCCTX_H
#include "deadline.h"
#include "exhibits.h"
#include "template.h"

typedef struct {
    const audit_t *a;
    day_t today;
    deadlines_t deadlines;
    exhibits_t exhibits;
    route_t miit, y3; /* MIIT appeal; 12315 and court (three years) */
    tctx_t *root;
} doc_t;

/* Builds d->root from the audit. Keys are documented in src/templates/report-text.txt. */
void doc_init(doc_t *d, const audit_t *a, day_t today);
void doc_free(doc_t *d);

/* Appends finding a->findings[i] as a new item of list key under parent. */
tctx_t *doc_add_finding(const doc_t *d, tctx_t *parent, const char *key, size_t i);
/* Is the MIIT fee-dispute window of f already closed today? */
int doc_expired(const doc_t *d, const finding_t *f);
/* Is f a money finding (it has a billing period)? */
int doc_is_money(const finding_t *f);
/* Is f's claim a demand (the charge is plainly not owed: a refund) rather than a request
 * (a reduction or waiver: excessive-penalty, unused-period)? src/templates/categories.txt. */
int doc_is_refund(const finding_t *f);
/* "重复收费" for duplicate-charge (src/templates/categories.txt). */
const char *doc_category_name(const char *cat);
/* Which inputs the findings cite (evidence or support): an array of a->sources.n flags
 * (caller frees); *profile is set when the account profile is cited too. */
char *doc_cited_sources(const audit_t *a, int *profile);
/* The file an evidence line cites (the profile when src < 0), as name_shown shows it. */
const char *doc_evidence_path(const audit_t *a, const prov_t *p);
/* The clause of an unfair-term finding quoted whole, its cue sentence apart: quote_pre,
 * quote_cue, quote_post (src/docquote.c). */
void doc_clause_quote(const doc_t *d, tctx_t *c, const finding_t *f);
/* The clause of contract text whose first line p cites, or NULL. */
const clause_t *doc_clause_at(const audit_t *a, const prov_t *p);
/* timeline: contract, cancellations, complaints and replies, disputed months, deadlines,
 * in date order (src/doctimeline.c). */
void doc_add_timeline(doc_t *d);
/* Sets key to a yuan amount ("12.50"). */
void doc_set_money(tctx_t *c, const char *key, fen_t v);
/* Sets key to "YYYY-MM-DD", or records it missing for NO_DAY. */
void doc_set_day(tctx_t *c, const char *key, day_t d);

#endif
