/* billaudit init: what the downloaded files say about the account profile
 * (doc/profile.md): the facts, where each comes from, and where the files disagree. The
 * questions and the command line are in src/cmd_init.c. */
#ifndef BILLAUDIT_INIT_H
#define BILLAUDIT_INIT_H
#include "audit.h"
#include <cjson/cJSON.h>
#include <stdio.h>

/* One value seen in the files, how often, and the first line that shows it. */
typedef struct {
    char *value;
    int count;
    char *source; /* "path:line" (or "path" when the line is not known) */
} ivote_t;
typedef VEC(ivote_t) ivotes_t;

/* A fact of the profile: the value chosen (the most frequent), NULL when unknown;
 * conflict when the files name more than one. */
typedef struct {
    ivotes_t seen; /* most frequent first */
    char *value;   /* owned; may be replaced by an answer */
    char *source;  /* evidence of value, NULL when answered differently */
} ifact_t;

/* One monthly charge a service was billed, the months billed so, the first line. */
typedef struct {
    fen_t fee;
    int months;
    ym_t first;
    char *source;
    char *month_list; /* "2023-07, 2023-08" */
} ifee_t;

typedef struct {
    char *name, *name_source;
    svc_kind_t kind;
    VEC(ifee_t) fees; /* distinct monthly charges, most months first */
    int has_fee;
    fen_t fee;
    char *fee_source; /* NULL when the fee was answered and is not a billed one */
    ym_t first, last; /* months billed */
    int months;
    char *first_source;
    ym_t penalty_month; /* NO_YM when no penalty line links to the service */
    fen_t penalty;
    char *penalty_source;
    day_t start, end, cancelled; /* NO_DAY when unknown */
    char *start_source;
    /* How the cancellation was requested (answered) and the 宽带账号 (a broadband log's
     * preamble, else answered): the letters cite them. */
    char *cancel_channel, *cancel_reference;
    char *account, *account_source;
} isvc_t;

/* A value-added service, third-party charge or fixed function fee billed: a candidate
 * for subscriptions. */
typedef struct {
    char *name, *key, *source;
    fen_t usual;
    int months;
    int recurring; /* a fixed monthly fee line (功能费), not a 增值业务/代收费 line */
    int agreed;    /* 1 agreed, 0 not, -1 unknown */
} ivas_t;

typedef struct {
    int svc; /* -1 the plan, else index into broadband */
    day_t from, to;
    int has_allowed;
    fen_t allowed;
} isusp_t;

/* A usage log that declares no query period: its months cannot count as covered
 * unless the user says the log is complete. */
typedef struct {
    char *path;
    ukind_t kind;
    ym_t from, to;
} iundecl_t;

typedef struct {
    ifact_t operator_id, number, holder;
    char *province, *address, *postcode, *phone; /* answered */
    int has_plan;
    isvc_t plan;
    VEC(isvc_t) broadband;
    VEC(ivas_t) vas;
    int subs_known; /* the user said which services were agreed to */
    VEC(isusp_t) suspensions;
    ym_t bill_from, bill_to;
    int bill_months;
    int files; /* inputs used */
    VEC(iundecl_t) undeclared;
    ym_t cov_from, cov_to; /* usage_coverage answered, NO_YM when not */
    /* The respondent (a contract's preamble, its address answered) and a complaint already
     * made to the operator (answered): what the appeal needs (AP-12(二), AP-13). */
    char *respondent, *respondent_source, *respondent_address;
    day_t op_date, op_reply_date; /* NO_DAY: none */
    char *op_channel, *op_reference, *op_reply;
} draft_t;

/* Infers everything the loaded and prepared audit (no profile) tells. */
void draft_infer(draft_t *d, const audit_t *a);
/* Only the identity (operator_id, number, holder) of a zeroed draft: what the preambles and
 * the top-up payees say. The letters take it when the profile does not say. */
void draft_identity(draft_t *d, const audit_t *a);
void draft_free(draft_t *d);
/* On a terminal: asks what the files cannot tell or where they disagree (init_ask.c).
 * 0 when every question was answered, -1 when the input ended first. */
int draft_ask(draft_t *d, FILE *in, FILE *out);
/* The profile as JSON (doc/profile.md), unknown fields left out, "_source" last. */
cJSON *draft_json(const draft_t *d);

/* "套餐月基本费（5G融合套餐19元）" -> "5G融合套餐19元", "电信光宽带200M月租费" ->
 * "电信光宽带200M" (table rules/data/profile-names.tsv). Owned result. */
char *init_clean_name(const char *item);
/* "china-telecom" -> "中国电信" and back ("电信", "中国电信", "china-telecom"); NULL if none. */
const char *init_operator_label(const char *id);
const char *init_operator_id(const char *text);
/* Does the fact have more than one value in the files? */
static inline int ifact_conflict(const ifact_t *f)
{
    return f->seen.n > 1;
}
/* Sets a fact to an answer: keeps the evidence when the answer is a value seen. */
void ifact_set(ifact_t *f, const char *value);
/* Sets a service's fee: keeps the evidence when the fee is one billed. */
void isvc_set_fee(isvc_t *s, int has, fen_t fee);

#endif
