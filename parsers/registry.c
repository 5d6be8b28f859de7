/* The parser registry: one line per input format. Order breaks ties between
 * equal sniff scores (formats.md §5.1 kind order). */
#include "parser.h"

extern const parser_t parser_broadband_sessions;
extern const parser_t parser_usage_data;
extern const parser_t parser_usage_voice;
extern const parser_t parser_usage_sms;
extern const parser_t parser_usage_vas;
extern const parser_t parser_operator_bill;
extern const parser_t parser_operator_payments, parser_wechat_pay, parser_alipay;
extern const parser_t parser_contract_text;

const parser_t *const parsers[] = {
    &parser_operator_payments,
    &parser_broadband_sessions,
    &parser_usage_data,
    &parser_usage_voice,
    &parser_usage_sms,
    &parser_usage_vas,
    &parser_operator_bill,
    &parser_wechat_pay,
    &parser_alipay,
    &parser_contract_text,
    NULL,
};
