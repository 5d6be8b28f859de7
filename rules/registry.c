/* The rule registry: one line per rule. */
#include "rule.h"
#include <string.h>

extern const rule_t rule_duplicate_charge, rule_post_cancellation, rule_suspended_period,
    rule_unused_period, rule_price_mismatch, rule_unsubscribed_service, rule_usage_mismatch,
    rule_excessive_penalty;
extern const rule_t rule_payment_not_credited;
extern const rule_t rule_unfair_term;

const rule_t *const rules[] = {
    &rule_duplicate_charge,
    &rule_post_cancellation,
    &rule_suspended_period,
    &rule_unused_period,
    &rule_price_mismatch,
    &rule_unsubscribed_service,
    &rule_usage_mismatch,
    &rule_excessive_penalty,
    &rule_payment_not_credited,
    &rule_unfair_term,
    NULL,
};

const rule_t *rule_find(const char *id)
{
    for (int i = 0; rules[i]; i++)
        if (strcmp(rules[i]->id, id) == 0)
            return rules[i];
    return NULL;
}
