/* usage-voice: the operator's itemised calls (通话详单), formats.md §5.1.
 * Every call is usage, incoming ones included; the fee feeds usage-mismatch. */
#include "layout.h"

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_VOICE, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_VOICE, "a call log", why, whylen);
}

static void voice_row(lreader_t *R, const row_t *r)
{
    usage_t u = {.kind = U_VOICE, .end = NO_TS};
    int has_secs;
    if (lr_time(R, r, "start", "start time", &u.start) < 0 ||
        (has_secs = lr_duration(R, r, "duration", &u.seconds)) < 0 || lr_fee(R, r, &u.fee) < 0)
        return;
    u.has_seconds = has_secs == 1;
    lr_usage(R, r, &u, "direction");
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_VOICE, voice_row);
}

const parser_t parser_usage_voice = {
    "usage-voice", "operator call records (通话详单)", RS_CELLS, sniff, parse, near,
};
