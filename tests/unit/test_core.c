/* Unit tests of the model: money, dates, durations, volumes, encodings, registries. */
#include "audit.h"
#include "parser.h"
#include "rowsrc.h"
#include "rule.h"
#include "unit.h"
#include <stdlib.h>

static fen_t fen(const char *s, int *rc)
{
    fen_t v = -777;
    const char *why;
    *rc = money_parse(s, &v, &why);
    return v;
}

TEST(money_accepts_every_notation)
{
    int rc;
    CHECK_INT(fen("58", &rc), 5800);
    CHECK_INT(fen("58.0", &rc), 5800);
    CHECK_INT(fen("58.00", &rc), 5800);
    CHECK_INT(fen("-5.00", &rc), -500);
    CHECK_INT(fen("-0.5", &rc), -50);
    CHECK_INT(fen("\xE2\x88\x92"
                  "5",
                  &rc),
              -500);
    CHECK_INT(fen("\xC2\xA5"
                  "58.00",
                  &rc),
              5800);
    CHECK_INT(fen("\xEF\xBF\xA5"
                  "58.00",
                  &rc),
              5800);
    CHECK_INT(fen("\xC2\xA5"
                  "1,234.50",
                  &rc),
              123450);
    CHECK_INT(fen("58.00\xE5\x85\x83", &rc), 5800);
    CHECK_INT(fen("RMB 58", &rc), 5800);
    CHECK_INT(fen(" 1,020.00 ", &rc), 102000);
    CHECK_INT(fen("58.000", &rc), 5800);
    CHECK_INT(rc, MONEY_OK);
}

TEST(money_rejects_bad_text)
{
    int rc;
    const char *bad[] = {"1.234",   "12,3x", "1e9", "NaN", "--5", "1,23",
                         "12,3456", "abc",   ".",   "5-",  NULL};
    for (int i = 0; bad[i]; i++) {
        fen(bad[i], &rc);
        if (rc != MONEY_BAD)
            fprintf(stderr, "accepted \"%s\"\n", bad[i]);
        CHECK_INT(rc, MONEY_BAD);
    }
    const char *empty[] = {"", "-", "--", "/", "  ", NULL};
    for (int i = 0; empty[i]; i++) {
        fen(empty[i], &rc);
        CHECK_INT(rc, MONEY_EMPTY);
    }
}

TEST(money_rounds_xlsx_numbers)
{
    fen_t v;
    const char *why;
    CHECK_INT(money_parse_round("29.995", &v, &why), MONEY_OK);
    CHECK_INT(v, 3000);
    CHECK_INT(money_parse_round("0.00499999", &v, &why), MONEY_OK);
    CHECK_INT(v, 0);
    CHECK_INT(money_parse_round("-5.005", &v, &why), MONEY_OK);
    CHECK_INT(v, -501);
    char buf[32];
    CHECK_STR(money_fmt(-501, buf), "-5.01");
    CHECK_STR(money_fmt(123450, buf), "1234.50");
}

static ts_t ts(const char *s)
{
    dt_t t;
    if (dt_parse(s, &t) != 0 || !t.has_year)
        return NO_TS;
    return dt_ts(&t);
}

TEST(dates_in_every_layout)
{
    ts_t want = ts("2025-03-08 09:41:27");
    CHECK(want != NO_TS);
    CHECK_INT(ts("2025/03/08 09:41:27"), want);
    CHECK_INT(ts("2025-03-08T09:41:27"), want);
    CHECK_INT(ts("20250308094127"), want);
    CHECK_INT(ts("2025\xE5\xB9\xB4"
                 "3\xE6\x9C\x88"
                 "8\xE6\x97\xA5 9\xE6\x97\xB6"
                 "41\xE5\x88\x86"
                 "27\xE7\xA7\x92"),
              want);
    CHECK_INT(ts("2025/3/8 9:41"), want - 27);
    CHECK_INT(ts("2025-03-08"), want - (9 * 3600 + 41 * 60 + 27));
    CHECK_INT(ts("2024-02-30"), NO_TS);
    CHECK_INT(ts("2023-02-29"), NO_TS);
    CHECK_INT(ts("2024-02-29") != NO_TS, 1);
    CHECK_INT(ts("hello"), NO_TS);
    /* out-of-range times are refused, never carried into the next day or month */
    CHECK_INT(ts("2025-01-31 23:59:60"), NO_TS);
    CHECK_INT(ts("2025-01-31 23:60:00"), NO_TS);
    CHECK_INT(ts("2025-01-31 24:00:00"), NO_TS);
    CHECK_INT(ts("20250131235960"), NO_TS);
    CHECK_INT(ts("2025-01-31 23:59:59") != NO_TS, 1);
    char buf[24];
    CHECK_STR(ts_fmt(want, buf), "2025-03-08 09:41:27");
}

TEST(yearless_dates_take_the_period_year)
{
    dt_t t;
    CHECK_INT(dt_parse("03-08 09:41:27", &t), 0);
    CHECK_INT(t.has_year, 0);
    day_t from = days_from_civil(2024, 12, 1), to = days_from_civil(2025, 3, 31);
    CHECK_INT(dt_infer_year(&t, from, to), 0);
    CHECK_INT(t.y, 2025);
    CHECK_INT(dt_parse("12-20 10:00:00", &t), 0);
    CHECK_INT(dt_infer_year(&t, from, to), 0);
    CHECK_INT(t.y, 2024);
    /* previous month's end before a query starting on the 1st */
    CHECK_INT(dt_parse("11-30 23:59:00", &t), 0);
    CHECK_INT(dt_infer_year(&t, from, to), 0);
    CHECK_INT(t.y, 2024);
    CHECK_INT(dt_parse("06-30 23:59:00", &t), 0);
    CHECK_INT(dt_infer_year(&t, from, to), -1);
}

TEST(month_arithmetic_follows_cc202)
{
    char buf[16];
    CHECK_STR(day_fmt(day_add_months(days_from_civil(2024, 10, 31), 5), buf), "2025-03-31");
    CHECK_STR(day_fmt(day_add_months(days_from_civil(2024, 9, 30), 5), buf), "2025-02-28");
    CHECK_STR(day_fmt(day_add_months(days_from_civil(2024, 6, 1), 5), buf), "2024-11-01");
    CHECK_STR(ym_fmt(ym_of_day(days_from_civil(2023, 12, 31)), buf), "2023-12");
}

TEST(durations_and_volumes)
{
    CHECK_INT(duration_parse("1:02:03", 0), 3723);
    CHECK_INT(duration_parse("2:05", 0), 125);
    CHECK_INT(duration_parse("62", 0), 62);
    CHECK_INT(duration_parse("1:75", 0), -1);
    CHECK_INT(duration_parse("1:60:00", 0), -1);
    CHECK_INT(duration_parse("62\xE7\xA7\x92", 0), 62);
    CHECK_INT(duration_parse("3\xE5\x88\x86"
                             "12\xE7\xA7\x92",
                             0),
              192);
    CHECK_INT(duration_parse("1\xE5\xB0\x8F\xE6\x97\xB6"
                             "2\xE5\x88\x86"
                             "3\xE7\xA7\x92",
                             0),
              3723);
    CHECK_INT(duration_parse("14\xE5\xA4\xA9"
                             "4\xE5\xB0\x8F\xE6\x97\xB6"
                             "12\xE5\x88\x86"
                             "33\xE7\xA7\x92",
                             0),
              1224753);
    CHECK_INT(duration_parse("3", 1), 180);
    CHECK_INT(duration_parse("abc", 0), -1);
    CHECK_INT(volume_parse("836KB", 0), 836 * 1024);
    CHECK_INT(volume_parse("0.5M", 0), 512 * 1024);
    CHECK_INT(volume_parse("1GB200MB", 0), 1073741824LL + 200 * 1048576LL);
    CHECK_INT(volume_parse("2048", 1024), 2048 * 1024);
    CHECK_INT(volume_parse("2048", 0), -2);
}

TEST(date_ranges_in_preamble_values)
{
    day_t f, t;
    char a[16], b[16];
    CHECK_INT(date_range_scan("2025-04-01\xE8\x87\xB3"
                              "2025-05-31",
                              &f, &t),
              2);
    CHECK_STR(day_fmt(f, a), "2025-04-01");
    CHECK_STR(day_fmt(t, b), "2025-05-31");
    CHECK_INT(date_range_scan("[2025-03-01 00:00:00] x [2025-03-31 23:59:59]", &f, &t), 2);
    CHECK_STR(day_fmt(t, b), "2025-03-31");
    CHECK_INT(date_range_scan("2023/03/01-2023/12/31", &f, &t), 2);
    CHECK_STR(day_fmt(f, a), "2023-03-01");
    CHECK_STR(day_fmt(t, b), "2023-12-31");
    CHECK_INT(date_range_scan("202504", &f, &t), 1);
    CHECK_STR(day_fmt(t, b), "2025-04-30");
    CHECK_INT(date_range_scan("2025\xE5\xB9\xB4"
                              "4\xE6\x9C\x88",
                              &f, &t),
              1);
    CHECK_STR(day_fmt(f, a), "2025-04-01");
}

/* Reads every row of a file into one string "cell|cell\n...". */
static char *rows_of(const char *path, char *enc, size_t enclen)
{
    char err[256];
    rowsrc_t *rs = rowsrc_open(path, RS_CELLS, err, sizeof err);
    if (!rs)
        return NULL;
    snprintf(enc, enclen, "%s", rs->encoding);
    sbuf_t b = {0};
    row_t r;
    while (rowsrc_next(rs, &r) == 1) {
        sb_addf(&b, "%ld:", r.line);
        for (int i = 0; i < r.n; i++)
            sb_addf(&b, "%s%s", i ? "|" : "", r.cells[i]);
        sb_addc(&b, '\n');
    }
    rowsrc_close(rs);
    return sb_take(&b);
}

TEST(gbk_and_utf8_read_the_same)
{
    char e1[32], e2[32];
    char *u = rows_of("tests/data/enc/bill-utf8.csv", e1, sizeof e1);
    char *g = rows_of("tests/data/enc/bill-gbk.csv", e2, sizeof e2);
    CHECK(u && g);
    if (u && g)
        CHECK_STR(g, u);
    CHECK_STR(e1, "UTF-8");
    CHECK_STR(e2, "GB18030");
    free(u), free(g);
}

TEST(csv_quotes_tabs_and_multiline)
{
    const char *path = "build/unit-csv.csv";
    FILE *f = fopen(path, "wb");
    fputs("\xEF\xBB\xBF"
          "a,b,c\r\n\"x, y\",\"4200001234\"\t,z\r\n\r\n\"multi\nline\",2,\r\n",
          f);
    fclose(f);
    char enc[32];
    char *s = rows_of(path, enc, sizeof enc);
    CHECK_STR(enc, "UTF-8 BOM");
    CHECK_STR(s, "1:a|b|c\n2:x, y|4200001234|z\n4:multi\nline|2\n");
    free(s);
}

TEST(registries_have_unique_ids_and_known_laws)
{
    for (int i = 0; rules[i]; i++) {
        for (int k = 0; k < i; k++)
            CHECK(strcmp(rules[i]->id, rules[k]->id) != 0);
        for (int k = 0; rules[i]->basis && rules[i]->basis[k]; k++) {
            if (!law_find(rules[i]->basis[k]))
                fprintf(stderr, "rule %s cites unknown law %s\n", rules[i]->id, rules[i]->basis[k]);
            CHECK(law_find(rules[i]->basis[k]) != NULL);
        }
    }
    for (int i = 0; parsers[i]; i++)
        for (int k = 0; k < i; k++)
            CHECK(strcmp(parsers[i]->id, parsers[k]->id) != 0);
}

TEST(masked_numbers_match_the_account)
{
    account_t a;
    memset(&a, 0, sizeof a);
    a.number = "13912345678";
    CHECK(account_number_matches(&a, "139****5678"));
    CHECK(account_number_matches(&a, "13912345678"));
    CHECK(!account_number_matches(&a, "139****5679"));
    CHECK(!account_number_matches(&a, "13800138000"));
    CHECK(account_number_matches(&a, ""));
}
