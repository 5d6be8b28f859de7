/* usage-vas: the operator's value-added and third-party (代收费) deductions,
 * formats.md §5.1. Evidence for bill lines, never usage of a service. */
#include "layout.h"

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_VAS, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_VAS, "a value-added service log", why, whylen);
}

static void vas_row(lreader_t *R, const row_t *r)
{
    usage_t u = {.kind = U_VAS, .end = NO_TS};
    if (lr_time(R, r, "time", "deduction time", &u.start) < 0)
        return;
    u.name = lr_get(R, r, "name");
    if (!*u.name) {
        parse_reject(R->p, r, "no service name (业务名称)");
        return;
    }
    if (lr_money(R, r, "fee", "fee", &u.fee) < 0)
        return;
    u.provider = lr_get(R, r, "provider");
    lr_usage(R, r, &u, NULL);
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_VAS, vas_row);
}

const parser_t parser_usage_vas = {
    "usage-vas", "value-added / third-party deductions (增值业务扣费记录)", RS_CELLS, sniff, parse,
    near,
};
