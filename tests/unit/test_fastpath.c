/* The hot-path shortcuts of issue 12 give exactly what the general paths give: quote-free
 * CSV lines split without libcsv, the read-ahead thread, the UTF-8 check, the ISO
 * date-time and plain-amount readers. */
#include "model.h"
#include "rowsrc.h"
#include "unit.h"
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char *tmp_file(const char *data, size_t n)
{
    char *path = unit_tmp_template("billaudit-fast");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, data, n) != (ssize_t)n) {
        if (fd >= 0)
            close(fd);
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

/* All rows of a CSV text as "line|raw|cell;cell;..." lines. */
static char *rows_of(const char *text, size_t n)
{
    char *path = tmp_file(text, n);
    if (!path)
        return NULL;
    char err[256];
    rowsrc_t *rs = rowsrc_open(path, RS_CELLS, err, sizeof err);
    sbuf_t out = {0};
    row_t r;
    while (rs && rowsrc_next(rs, &r) == 1) {
        sb_addf(&out, "%ld|%s|", r.line, r.raw);
        for (int i = 0; i < r.n; i++)
            sb_addf(&out, "%s%s", i ? ";" : "", r.cells[i]);
        sb_addc(&out, '\n');
    }
    rowsrc_close(rs);
    unlink(path);
    free(path);
    return sb_take(&out);
}

TEST(fastpath_plain_lines_as_libcsv)
{
    /* Plain lines, a trailing delimiter, blank and blank-cell lines (skipped but counted),
     * a CR alone (a line end, as in old Mac text), padding (ASCII, NBSP, U+3000), a quoted
     * field spanning lines between plain ones, CRLF ends (one line end each). */
    static const char text[] = "a,b,c\r\n"
                               "1, 2 ,3,\r\n"
                               "\r\n"
                               "   \n"
                               ",,\n"
                               "x\ry,\xC2\xA0z\xE3\x80\x80,w\n"
                               "q,\"multi\nline\",e\n"
                               "after,\"quoted \"\"x\"\"\",3\n"
                               "abcdefghijkl\"m\",2\n"
                               "abcdefghij\rk,0123456789abcdef,\n"
                               "last,1";
    char *got = rows_of(text, sizeof text - 1);
    CHECK_STR(got, "1|a,b,c|a;b;c\n"
                   "2|1, 2 ,3,|1;2;3\n"
                   "6|x|x\n"
                   "7|y,\xC2\xA0z\xE3\x80\x80,w|y;z;w\n"
                   "8|q,\"multi\nline\",e|q;multi\nline;e\n"
                   "10|after,\"quoted \"\"x\"\"\",3|after;quoted \"x\";3\n"
                   "11|abcdefghijkl\"m\",2|abcdefghijkl\"m\";2\n"
                   "12|abcdefghij|abcdefghij\n"
                   "13|k,0123456789abcdef,|k;0123456789abcdef\n"
                   "14|last,1|last;1\n");
    free(got);
}

TEST(fastpath_cr_line_ends)
{
    /* CR alone, CRLF and LF mixed; a CR that ends the file; a CR inside a quoted field
     * ends its physical line (the cell holds a line break). */
    static const char text[] = "a,b\r1,2\r\n3,4\r\r5,\"x\ry\"\r6,7\r";
    char *got = rows_of(text, sizeof text - 1);
    CHECK_STR(got, "1|a,b|a;b\n"
                   "2|1,2|1;2\n"
                   "3|3,4|3;4\n"
                   "5|5,\"x\ny\"|5;x\ny\n"
                   "7|6,7|6;7\n");
    free(got);
}

TEST(fastpath_tab_separated)
{
    static const char text[] = "a\tb\n 1 \t 2\n\t\n3\t\"4\"\n";
    char *got = rows_of(text, sizeof text - 1);
    CHECK_STR(got, "1|a\tb|a;b\n2| 1 \t 2|1;2\n4|3\t\"4\"|3;4\n");
    free(got);
}

/* A file past the read-ahead threshold, in UTF-8 (with a stray byte far past the sniff
 * window) and in GB18030: every row, in order, with the right text. */
static void big_file_rows(int *unit_failed, int gbk)
{
    sbuf_t b = {0};
    sb_add(&b, gbk ? "\xC6\xF0\xCA\xBC\xCA\xB1\xBC\xE4,n\n" : "起始时间,n\n"); /* 起始时间 */
    long rows = 60000;
    for (long i = 1; i <= rows; i++) {
        sb_addf(&b, "2025-04-03 08:15:22,%ld,%s\n", i,
                gbk ? "\xBD\xAD\xCB\xD5\xC4\xCF\xBE\xA9" : "江苏南京"); /* 江苏南京 */
        if (!gbk && i == 50000)
            sb_add(&b, "stray,\xFF\n");
    }
    char *path = tmp_file(b.p, b.n);
    CHECK(path != NULL && b.n > (3u << 19)); /* past the sniff window and the thread threshold */
    char err[256];
    rowsrc_t *rs = path ? rowsrc_open(path, RS_CELLS, err, sizeof err) : NULL;
    CHECK(rs != NULL);
    long n = 0, bad = 0, stray = 0;
    row_t r;
    while (rs && rowsrc_next(rs, &r) == 1) {
        n++;
        if (n == 1)
            continue;
        if (r.n == 2 && !strcmp(r.cells[0], "stray")) {
            stray += !strcmp(r.cells[1], "\xEF\xBF\xBD");
            continue;
        }
        long want = n - 1 - stray;
        if (r.n != 3 || atol(r.cells[1]) != want || strcmp(r.cells[2], "江苏南京") != 0 ||
            r.line != n)
            bad++;
    }
    CHECK_INT(n, rows + 1 + (gbk ? 0 : 1));
    CHECK_INT(bad, 0);
    CHECK_INT(stray, gbk ? 0 : 1);
    if (rs)
        CHECK_STR(rs->encoding, gbk ? "GB18030" : "UTF-8");
    rowsrc_close(rs);
    if (path)
        unlink(path), free(path);
    sb_free(&b);
}

TEST(fastpath_read_ahead_utf8)
{
    big_file_rows(unit_failed, 0);
}

TEST(fastpath_read_ahead_gb18030)
{
    big_file_rows(unit_failed, 1);
}

/* A file past the read-ahead threshold whose line ends cycle through LF, CRLF and CR,
 * with a CR as the last byte of the first read (the sniff window): with an LF as the
 * first byte of the next read it is one CRLF, else a line end of its own. */
static void mixed_ends_rows(int *unit_failed, int cr_alone)
{
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    sbuf_t b = {0};
    sb_add(&b, "起始时间,n\n");
    long rows = 60000, at_boundary = 0;
    for (long i = 1; i <= rows; i++) {
        sb_addf(&b, "2025-04-03 08:15:22,%ld", i);
        if (!at_boundary && b.n + 40 > 262144) { /* pad so that the line's CR is byte 262143 */
            while (b.n < 262143)
                sb_addc(&b, ' ');
            sb_add(&b, cr_alone ? "\r" : "\r\n");
            at_boundary = i;
            continue;
        }
        sb_add(&b, ends[i % 3]);
    }
    char *path = tmp_file(b.p, b.n);
    char err[256];
    rowsrc_t *rs = path ? rowsrc_open(path, RS_CELLS, err, sizeof err) : NULL;
    CHECK(rs != NULL && at_boundary > 0);
    long n = 0, bad = 0;
    row_t r;
    while (rs && rowsrc_next(rs, &r) == 1)
        if (++n > 1 && (r.n != 2 || atol(r.cells[1]) != n - 1 || r.line != n))
            bad++;
    CHECK_INT(n, rows + 1);
    CHECK_INT(bad, 0);
    rowsrc_close(rs);
    if (path)
        unlink(path);
    free(path);
    sb_free(&b);
}

TEST(fastpath_read_ahead_mixed_line_ends)
{
    mixed_ends_rows(unit_failed, 0);
    mixed_ends_rows(unit_failed, 1);
}

TEST(fastpath_utf8_valid_prefix)
{
    const unsigned char ok[] = "abcdefghijklmnopqrstuvwxyz 江苏南京 \xC2\xA9 \xF0\x9F\x98\x80 end";
    CHECK_INT(utf8_valid_prefix(ok, sizeof ok - 1), sizeof ok - 1);
    CHECK_INT(utf8_valid_prefix((const unsigned char *)"ab\xE0\x80\x80", 5), 2); /* overlong */
    CHECK_INT(utf8_valid_prefix((const unsigned char *)"ab\xED\xA0\x80", 5), 2); /* surrogate */
    CHECK_INT(utf8_valid_prefix((const unsigned char *)"ab\xE6\xB1", 4), 2);     /* cut */
    CHECK_INT(utf8_valid_prefix((const unsigned char *)"ab\xE6\x41\x80", 5), 2); /* bad tail */
    CHECK_INT(utf8_valid_prefix((const unsigned char *)"0123456789abcdefghij\xFF", 21), 20);
    CHECK_INT(utf8_valid_prefix((const unsigned char *)"\xEF\xBF\xBD\xF4\x90\x80\x80", 7), 3);
}

TEST(fastpath_iso_date_time)
{
    dt_t t;
    CHECK(dt_parse("2019-01-02 03:04:05", &t) == 0);
    CHECK(t.y == 2019 && t.m == 1 && t.d == 2 && t.hh == 3 && t.mi == 4 && t.ss == 5);
    CHECK(t.has_year && t.has_time);
    CHECK(dt_parse("2019/12/31 23:59:59", &t) == 0 && t.m == 12 && t.d == 31 && t.ss == 59);
    CHECK(dt_parse("2019-02-29 00:00:00", &t) == -1);
    CHECK(dt_parse("2020-02-29 00:00:00", &t) == 0 && t.d == 29);
    CHECK(dt_parse("2019-01-02 24:00:00", &t) == -1);
    CHECK(dt_parse("2019-13-02 00:00:00", &t) == -1);
    CHECK(dt_parse(" 2019-01-02 03:04:05 ", &t) == 0 && t.ss == 5); /* the general path */
    CHECK(dt_parse("2019-01-02 03:04:05.000", &t) == 0 && t.ss == 5);
    CHECK(dt_parse("2019-01-02 3:04:05", &t) == 0 && t.hh == 3);
}

TEST(fastpath_plain_amounts)
{
    fen_t v = -1;
    CHECK(money_parse("0.00", &v, NULL) == MONEY_OK && v == 0);
    CHECK(money_parse("12.3", &v, NULL) == MONEY_OK && v == 1230);
    CHECK(money_parse("-5", &v, NULL) == MONEY_OK && v == -500);
    CHECK(money_parse("12.", &v, NULL) == MONEY_OK && v == 1200);
    CHECK(money_parse("58.000", &v, NULL) == MONEY_OK && v == 5800);
    CHECK(money_parse("58.001", &v, NULL) == MONEY_BAD);
    CHECK(money_parse_round("58.005", &v, NULL) == MONEY_OK && v == 5801);
    CHECK(money_parse(".5", &v, NULL) == MONEY_OK && v == 50);
    CHECK(money_parse("-", &v, NULL) == MONEY_EMPTY);
    CHECK(money_parse("", &v, NULL) == MONEY_EMPTY);
    CHECK(money_parse("999999999999", &v, NULL) == MONEY_OK && v == 99999999999900LL);
    CHECK(money_parse("999999999999999", &v, NULL) == MONEY_RANGE); /* past 10^12 yuan */
    CHECK(money_parse("1,234.50", &v, NULL) == MONEY_OK && v == 123450);
}
