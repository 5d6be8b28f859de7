/* The respondent a contract names: the operator's company in its preamble ("乙方：中国联合网
 * 络通信有限公司北京市分公司"), which an appeal must name (AP-12(二)); and the warning when
 * it is another operator than the profile's. */
#ifndef BILLAUDIT_PARTIES_H
#define BILLAUDIT_PARTIES_H
#include "audit.h"

typedef struct {
    char *name;              /* the company as written, NULL when none was found */
    const char *operator_id; /* china-mobile | china-telecom | china-unicom, NULL: another */
    int src;                 /* the contract it is named in */
    long line;
} party_t;

/* The operator's company named in the preamble of the first contract text that names one
 * (a template's blank "____分公司" is none), as parties_check recorded it. 0 when found. */
int contract_party(const audit_t *a, party_t *out);
void party_free(party_t *p);
/* The operator a company name belongs to ("中国联合网络通信…" -> china-unicom), NULL. */
const char *party_operator(const char *name);
/* Records the first contract party in the audit (party_name …) and warns (audit warnings)
 * for every contract whose operator is not the profile's. */
void parties_check(audit_t *a);

#endif
