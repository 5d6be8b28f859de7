/* usage-data: the operator's itemised mobile data sessions (上网详单),
 * formats.md §5.1. A session is usage whatever its volume (0KB included). */
#include "layout.h"

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_DATA, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_DATA, "a mobile data log", why, whylen);
}

static void data_row(lreader_t *R, const row_t *r)
{
    usage_t u = {.kind = U_DATA, .end = NO_TS};
    int has_bytes, has_secs;
    if (lr_time(R, r, "start", "start time", &u.start) < 0 ||
        (has_bytes = lr_volume(R, r, "volume", &u.bytes)) < 0 ||
        (has_secs = lr_duration(R, r, "duration", &u.seconds)) < 0 || lr_fee(R, r, &u.fee) < 0)
        return;
    u.has_bytes = has_bytes == 1;
    u.has_seconds = has_secs == 1;
    lr_usage(R, r, &u, NULL);
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_DATA, data_row);
}

const parser_t parser_usage_data = {
    "usage-data", "operator mobile data sessions (上网详单)", RS_CELLS, sniff, parse, near,
};
