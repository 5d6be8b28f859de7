/* usage-sms: the operator's itemised messages (短彩信详单), formats.md §5.1.
 * Received messages are usage too. */
#include "layout.h"

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_SMS, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_SMS, "an SMS log", why, whylen);
}

static void sms_row(lreader_t *R, const row_t *r)
{
    usage_t u = {.kind = U_SMS, .end = NO_TS};
    if (lr_time(R, r, "start", "start time", &u.start) < 0 || lr_fee(R, r, &u.fee) < 0)
        return;
    lr_usage(R, r, &u, "direction");
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_SMS, sms_row);
}

const parser_t parser_usage_sms = {
    "usage-sms", "operator message records (短彩信详单)", RS_CELLS, sniff, parse, near,
};
