/* Regressions for bugs found by the fuzzers (tests/fuzz/) and the hostile-input work. */
#include "model.h"
#include "rowsrc.h"
#include "terms.h"
#include "unit.h"
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* fuzz_values: 15 digits times GiB overflowed int64 (UBSan, src/dates.c). */
TEST(hostile_volume_overflow)
{
    CHECK(volume_parse("111111111111113G", 0) == -1);
    CHECK(volume_parse("21221111112122.521221112G", 0) == -1);
    CHECK(volume_parse("999999999999999", 1 << 30) == -1);
    CHECK(volume_parse("1.5MB", 0) == 1572864);
}

static char *write_tmp(const char *data, size_t n)
{
    char *path = unit_tmp_template("billaudit-unit");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, data, n) != (ssize_t)n) {
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

/* A GBK line inside a UTF-8 file: read as UTF-8 with U+FFFD, not the whole file as GB18030. */
TEST(hostile_mostly_utf8)
{
    static const char text[] = "账期,费用类别,费用项目,金额\n2025-04,套餐及固定费,月基本费,58.00\n"
                               "2025-04,\xb2\xca\xc1\xe5,5.00\n";
    char *path = write_tmp(text, sizeof text - 1);
    CHECK(path != NULL);
    char err[256];
    rowsrc_t *rs = path ? rowsrc_open(path, RS_CELLS, err, sizeof err) : NULL;
    CHECK(rs != NULL);
    if (rs) {
        CHECK_STR(rs->encoding, "UTF-8");
        row_t r;
        CHECK(rowsrc_next(rs, &r) == 1 && !strcmp(r.cells[0], "账期"));
        rowsrc_close(rs);
    }
    if (path)
        unlink(path), free(path);
}

/* A quote that never closes swallows the lines after it: the row source says so. */
TEST(hostile_unbalanced_quote_reported)
{
    static const char text[] = "a,b\n1,\"x\n2,y\n3,z\n";
    char *path = write_tmp(text, sizeof text - 1);
    char err[256];
    rowsrc_t *rs = path ? rowsrc_open(path, RS_CELLS, err, sizeof err) : NULL;
    CHECK(rs != NULL);
    if (rs) {
        row_t r;
        int n = 0;
        while (rowsrc_next(rs, &r) == 1)
            n++;
        CHECK(n == 2);
        CHECK(strstr(rs->err, "a quote opened here never closes") != NULL);
        CHECK_INT(rs->err_line, 2);
        rowsrc_close(rs);
    }
    if (path)
        unlink(path), free(path);
}

/* A pathological pattern on a long clause hits the PCRE2 limits: reported, not fatal. */
TEST(hostile_term_limit_reported)
{
    static const char cat[] =
        "term_type: final-interpretation\nseverity: medium\nbasis: CC-498\ntitle: t\n"
        "explanation: e\nremedy: r\n\nid: X-01\npattern: (?:a|aa)+(?:a|aa)+$\n";
    const char *names[] = {"pathological.txt"};
    const char *texts[] = {cat};
    char err[256] = "";
    terms_t *t = terms_load(names, texts, 1, err, sizeof err);
    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "terms_load: %s\n", err);
        return;
    }
    terms_set_limits(t, 10000, 100);
    char clause[4096];
    memset(clause, 'a', 4000);
    strcpy(clause + 4000, "b。");
    term_hit_t hit;
    int type = terms_classify_text(t, clause, &hit);
    CHECK(type < 0);
    CHECK(hit.limit_hit == 1);
    terms_free(t);
}
