/* Unit tests of the money bounds: amounts read from text stop at 10^12 yuan, and the
 * checked sums and products never wrap (a wrapped sum once printed a negative total). */
#include "model.h"
#include "unit.h"
#include <stdint.h>

TEST(money_caps_amounts_at_a_trillion_yuan)
{
    fen_t v = 0;
    const char *why = NULL;
    CHECK_INT(money_parse("1000000000000.00", &v, &why), MONEY_OK);
    CHECK_INT(v, FEN_MAX);
    CHECK_INT(money_parse("-1,000,000,000,000", &v, &why), MONEY_OK);
    CHECK_INT(v, -FEN_MAX);
    CHECK_INT(money_parse("999999999999.99", &v, &why), MONEY_OK);
    CHECK_INT(v, FEN_MAX - 1);
    const char *past[] = {"1000000000000.01",        "-1000000000000.01",
                          "9223372036854775.80",     "92233720368547758.07",
                          "99999999999999999999999", "¥10000000000000",
                          "1,000,000,000,000.01",    NULL};
    for (int i = 0; past[i]; i++) {
        v = 777;
        why = NULL;
        CHECK_INT(money_parse(past[i], &v, &why), MONEY_RANGE);
        CHECK_STR(why, "out of range");
        CHECK_INT(v, 777); /* nothing stored */
    }
    CHECK_INT(money_parse_round("1000000000000.004", &v, &why), MONEY_OK);
    CHECK_INT(v, FEN_MAX);
    CHECK_INT(money_parse_round("1000000000000.005", &v, &why), MONEY_RANGE);
    /* A spreadsheet's number cell past 10^15 comes in exponent form. */
    CHECK_INT(money_parse_round("9.2233720368547758E+18", &v, &why), MONEY_RANGE);
    CHECK_INT(money_parse_round("-1e+20", &v, &why), MONEY_RANGE);
    CHECK_INT(money_parse_round("1e+3", &v, &why), MONEY_BAD); /* small: still no amount */
    CHECK_INT(money_parse("1e+20", &v, &why), MONEY_BAD);      /* text cells: not a number */
}

TEST(fen_add_is_checked_and_sticky)
{
    fen_t acc = 0;
    CHECK_INT(fen_add(&acc, FEN_MAX), 0);
    CHECK_INT(fen_add(&acc, -5), 0);
    CHECK_INT(acc, FEN_MAX - 5);
    acc = INT64_MAX - 1;
    CHECK_INT(fen_add(&acc, 2), -1);
    CHECK_INT(acc, INT64_MAX);
    CHECK(fen_overflowed(acc));
    CHECK_INT(fen_add(&acc, -FEN_MAX), -1); /* an overflowed sum never comes back in range */
    CHECK_INT(acc, INT64_MAX);
    acc = INT64_MAX - 1;
    CHECK_INT(fen_add(&acc, 1), -1); /* reaching a bound is overflowing: the bounds are marks */
    CHECK(fen_overflowed(acc));
    acc = INT64_MIN + 1;
    CHECK_INT(fen_add(&acc, -2), -1);
    CHECK_INT(acc, INT64_MIN);
    CHECK(fen_overflowed(acc));
    /* Twelve lines of 9223372036854775.80 (the sum once wrapped negative). */
    acc = 0;
    int failed = 0;
    for (int i = 0; i < 12; i++)
        failed |= fen_add(&acc, 922337203685477580LL) < 0;
    CHECK(failed);
    CHECK_INT(acc, INT64_MAX);
    /* 92234 lines at the cap overflow int64; 92233 do not. */
    acc = 0;
    for (int i = 0; i < 92233; i++)
        CHECK_INT(fen_add(&acc, FEN_MAX) == 0 ? 0 : i + 1, 0);
    CHECK_INT(acc, 9223300000000000000LL);
    CHECK_INT(fen_add(&acc, FEN_MAX), -1);
    CHECK(!fen_overflowed(0) && !fen_overflowed(FEN_MAX) && !fen_overflowed(-FEN_MAX));
}

TEST(fen_sub_and_mul_are_checked)
{
    fen_t v = 5800;
    CHECK_INT(fen_sub(&v, 5900), 0);
    CHECK_INT(v, -100);
    v = INT64_MIN + 10;
    CHECK_INT(fen_sub(&v, 11), -1);
    CHECK_INT(v, INT64_MIN);
    v = 100;
    CHECK_INT(fen_sub(&v, INT64_MAX), -1); /* minus an overflowed sum: overflowed too */
    CHECK(fen_overflowed(v));
    v = 100;
    CHECK_INT(fen_sub(&v, INT64_MIN), -1);
    CHECK_INT(v, INT64_MAX);
    fen_t out;
    CHECK_INT(fen_mul(&out, FEN_MAX, 92233), 0);
    CHECK_INT(out, 9223300000000000000LL);
    CHECK_INT(fen_mul(&out, FEN_MAX, 92234), -1);
    CHECK_INT(out, INT64_MAX);
    CHECK_INT(fen_mul(&out, -FEN_MAX, 92234), -1);
    CHECK_INT(out, INT64_MIN);
    CHECK_INT(fen_mul(&out, -FEN_MAX, -92234), -1);
    CHECK_INT(out, INT64_MAX);
    CHECK_INT(fen_mul(&out, INT64_MAX, 1), -1); /* an overflowed operand stays overflowed */
    CHECK_INT(fen_mul(&out, 5000, 0), 0);
    CHECK_INT(out, 0);
}

TEST(money_fmt_never_prints_an_overflowed_sum)
{
    char buf[32];
    CHECK_STR(money_fmt(INT64_MAX, buf), "out of range");
    CHECK_STR(money_fmt(INT64_MIN, buf), "out of range");
    CHECK_STR(money_fmt(INT64_MAX - 1, buf), "92233720368547758.06");
    CHECK_STR(money_fmt(INT64_MIN + 1, buf), "-92233720368547758.07");
    CHECK_STR(money_fmt(FEN_MAX, buf), "1000000000000.00");
}
