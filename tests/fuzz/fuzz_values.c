/* Money, date-time, duration and volume parsing (formats.md §1.6, spec §2): every
 * parser on the same text, with invariants checked, not just "no crash". */
#include "fuzz_common.h"
#include "model.h"

static void check_money(const char *s)
{
    fen_t v = 0, r = 0;
    const char *why = NULL;
    money_rc rc = money_parse(s, &v, &why);
    if (rc == MONEY_BAD && !why)
        abort(); /* a refusal must say why */
    if (rc == MONEY_OK && (v > FEN_MAX || v < -FEN_MAX))
        abort(); /* an amount past the bound must be out of range */
    if (rc == MONEY_OK) {
        /* The checked sum of a bounded amount with itself fits; at INT64_MAX it never does. */
        fen_t acc = v, big = INT64_MAX - 1;
        if (fen_add(&acc, v) != 0 || acc != 2 * v || (v > 0 && fen_add(&big, v) == 0))
            abort();
        /* What money_fmt prints parses back to the same value. */
        char buf[40];
        fen_t back = 0;
        if (money_parse(money_fmt(v, buf), &back, &why) != MONEY_OK || back != v)
            abort();
        /* Rounding half-up agrees with the exact parse when the exact parse succeeds. */
        if (money_parse_round(s, &r, &why) != MONEY_OK || r != v)
            abort();
    } else {
        money_parse_round(s, &r, &why);
    }
}

static void check_dates(const char *s)
{
    dt_t t;
    if (dt_parse(s, &t) == 0) {
        if (t.m < 1 || t.m > 12 || t.d < 1 || t.d > 31 || t.hh < 0 || t.hh > 24 || t.mi < 0 ||
            t.mi > 59 || t.ss < 0 || t.ss > 60)
            abort(); /* accepted an impossible date */
        if (t.has_year) {
            ts_t ts = dt_ts(&t);
            char buf[32];
            ts_fmt(ts, buf);
            day_fmt(ts_day(ts), buf);
        } else {
            dt_infer_year(&t, days_from_civil(2024, 1, 1), days_from_civil(2024, 12, 31));
        }
    }
    for (int d1904 = 0; d1904 < 2; d1904++)
        if (dt_from_serial(s, d1904, &t) == 0 && (t.m < 1 || t.m > 12 || t.d < 1 || t.d > 31))
            abort();
    day_t from, to;
    date_range_scan(s, &from, &to);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fuzz_str(data, size);
    check_money(s);
    check_dates(s);
    duration_parse(s, 0);
    duration_parse(s, 1);
    volume_parse(s, 0);
    volume_parse(s, 1);
    volume_parse(s, 1024);
    volume_parse(s, 1 << 20);
    free(s);
    return 0;
}
