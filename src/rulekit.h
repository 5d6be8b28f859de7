/* What the bill rules share: services as rules see them, monthly sums of linked
 * lines, the one-claim-per-fen precedence checks,
 * profile evidence. */
#ifndef BILLAUDIT_RULEKIT_H
#define BILLAUDIT_RULEKIT_H
#include "audit.h"

/* A service as the rules see it: an account service, or a link without one. */
typedef struct {
    int link;             /* value of bill_line_t.service */
    const service_t *svc; /* NULL for LINK_PLAN_ABSENT / LINK_NONE */
    int mobile;           /* the plan (the number itself) */
    const char *name;
} rsvc_t;

/* Every service a bill line can link to; returns the count (fills at most max). */
int rk_services(const audit_t *a, rsvc_t *out, int max);
/* Months that have counting bill lines, ascending; returns the count. */
int rk_months(const audit_t *a, ym_t *out, int max);

/* Sum of S's counting lines of class cls in month m (cls = CL_NCLASSES: any class but
 * penalty). Adds them as evidence to f when f is not NULL. */
fen_t rk_sum(const audit_t *a, int link, bill_class_t cls, ym_t m, finding_t *f);
/* Sum of every counting line of class cls in month m whatever the service. */
fen_t rk_class_sum(const audit_t *a, bill_class_t cls, ym_t m, finding_t *f);

/* Month after the month of S's cancellation? */
int rk_after_cancel(const rsvc_t *s, ym_t m);
/* Month after the plan's cancellation: every non-penalty line is post-cancellation's. */
int rk_plan_cancelled(const audit_t *a, ym_t m);
/* The suspension of S that contains all of m, or NULL. */
const suspension_t *rk_suspension(const audit_t *a, const rsvc_t *s, ym_t m);

/* Adds the profile line holding "key": "value" (or just key) as evidence. */
void rk_profile_evidence(const audit_t *a, finding_t *f, const char *key, const char *value);
/* The same, within the profile entry of service s. */
void rk_service_evidence(const audit_t *a, finding_t *f, const rsvc_t *s, const char *key,
                         const char *value);
/* Sets title, remedy and the explanation: the facts, then the legal statement key of
 * rules/data/statements.tsv (copied, owned). */
void rk_texts(finding_t *f, const char *title, const char *facts, const char *key,
              const char *remedy);
/* The facts part of an explanation (the statement removed). Owned. */
char *rk_facts(const finding_t *f);
/* Supporting lines of the operator's own records (finding_support): */
/* penalty lines linked to S (they show the operator processed the cancellation); */
void rk_penalty_support(const audit_t *a, finding_t *f, const rsvc_t *s);
/* S's recurring charge billed at its contracted fee in another month (first and last); */
void rk_fee_support(const audit_t *a, finding_t *f, const rsvc_t *s, ym_t except);
/* contract clauses naming S's monthly fee or its term's last day. */
void rk_contract_support(const audit_t *a, finding_t *f, const rsvc_t *s, int fee, int term);
/* What the profile says of S's cancellation, as the user's statement. */
void rk_cancel_statement(finding_t *f, const rsvc_t *s);
/* The conditions of unused-period for S in m (precedence included); *charge = the
 * recurring charge. */
int rk_unused(const audit_t *a, const rsvc_t *s, ym_t m, fen_t *charge);
/* Calls fn for every service (sv[k] of the n services) and every billed month. */
typedef void (*rk_month_fn)(audit_t *a, const rsvc_t *sv, int n, int k, ym_t m);
void rk_each_service_month(audit_t *a, rk_month_fn fn);
#endif
