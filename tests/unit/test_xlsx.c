/* XLSX row source: the example workbooks and the fixtures of tests/data/xlsx
 * (made by tests/data/xlsx/make_fixtures.py). Paths are relative to the repo root. */
#include "container.h"
#include "rowsrc.h"
#include "unit.h"
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#define FIX "tests/data/xlsx/"
#define MAXROWS 512
#define MAXCELLS 16

typedef struct {
    long line;
    int n;
    char *raw;
    char *cells[MAXCELLS];
    unsigned char flags[MAXCELLS];
} saved_t;

typedef struct {
    saved_t rows[MAXROWS];
    int count;
    int rc;        /* last next(): 0 end, -1 error; -2 = open failed */
    char err[256]; /* open error or rs->err */
    char sheet[64];
} book_t;

/* Reads the index-th visible sheet of path, copying rows (they live until the next next()). */
static book_t *read_book(const char *path, int index)
{
    book_t *b = calloc(1, sizeof *b);
    rowsrc_t *rs = xlsx_open_sheet(path, index, b->err, sizeof b->err);
    if (!rs) {
        b->rc = -2;
        return b;
    }
    snprintf(b->sheet, sizeof b->sheet, "%s", rs->sheet ? rs->sheet : "");
    row_t r;
    while ((b->rc = rowsrc_next(rs, &r)) == 1) {
        if (b->count == MAXROWS)
            continue;
        saved_t *s = &b->rows[b->count++];
        s->line = r.line;
        s->n = r.n;
        s->raw = strdup(r.raw);
        for (int i = 0; i < r.n && i < MAXCELLS; i++) {
            s->cells[i] = strdup(r.cells[i]);
            s->flags[i] = r.flags[i];
        }
    }
    if (b->rc < 0)
        snprintf(b->err, sizeof b->err, "%s", rs->err);
    rs->close(rs);
    return b;
}

static void free_book(book_t *b)
{
    for (int i = 0; i < b->count; i++) {
        free(b->rows[i].raw);
        for (int k = 0; k < MAXCELLS; k++)
            free(b->rows[i].cells[k]);
    }
    free(b);
}

static const saved_t *row_at(const book_t *b, long line)
{
    for (int i = 0; i < b->count; i++)
        if (b->rows[i].line == line)
            return &b->rows[i];
    return NULL;
}

/* Cell text (1-based column), "" when absent: never NULL, so CHECK_STR reads well. */
static const char *cell(const book_t *b, long line, int col)
{
    const saved_t *r = row_at(b, line);
    return r && col <= r->n && col <= MAXCELLS && r->cells[col - 1] ? r->cells[col - 1] : "";
}

static int flag(const book_t *b, long line, int col)
{
    const saved_t *r = row_at(b, line);
    return r && col <= r->n && col <= MAXCELLS ? r->flags[col - 1] : -1;
}

TEST(xlsx_wechat_w3)
{
    book_t *b = read_book("tests/cases/wallet-examples/inputs/wechat-pay.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(b->sheet, "Sheet1");
    CHECK_STR(cell(b, 1, 1), "微信支付账单明细");
    CHECK(row_at(b, 6) == NULL); /* preamble blanks have no <row> */
    CHECK(row_at(b, 16) == NULL);
    CHECK_STR(cell(b, 17, 1), "----------------------微信支付账单明细列表--------------------");
    const saved_t *h = row_at(b, 18);
    CHECK(h != NULL);
    CHECK_INT(h ? h->n : 0, 11);
    CHECK_STR(cell(b, 18, 1), "交易时间");
    CHECK_STR(cell(b, 18, 11), "备注");
    CHECK_STR(cell(b, 19, 1), "2025-05-18 20:15:09"); /* 45795.84385416667 */
    CHECK_INT(flag(b, 19, 1), CELL_DATE);
    CHECK_STR(cell(b, 19, 6), "100");
    CHECK_INT(flag(b, 19, 6), CELL_NUM);
    CHECK_INT(flag(b, 19, 2), 0);
    CHECK_STR(cell(b, 19, 9), "4200002745202505182015090001");
    CHECK_STR(cell(b, 21, 1), "2025-05-03 10:00:00"); /* 45780.416666666664 */
    CHECK_STR(row_at(b, 20) ? row_at(b, 20)->raw : "",
              "2025-05-10 12:01:44,扫二维码付款,兰州拉面(珠江路店),/,支出,18,零钱,已转账,"
              "1000050001202505101201440002,/,/");
    CHECK_INT(b->count, 19);
    free_book(b);
}

TEST(xlsx_wechat_rowsrc_fields)
{
    char err[256];
    rowsrc_t *rs = xlsx_open("tests/cases/wallet-examples/inputs/wechat-pay.xlsx", err, sizeof err);
    CHECK(rs != NULL);
    if (!rs)
        return;
    CHECK(rs->container == &container_xlsx);
    CHECK_STR(rs->encoding, "XLSX");
    row_t r;
    CHECK_INT(rowsrc_next(rs, &r), 1);
    CHECK_INT(r.line, 1);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.raw, "微信支付账单明细");
    rs->close(rs);
}

TEST(xlsx_example_case)
{
    book_t *b = read_book("tests/data/example-case/inputs/download(3).xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(cell(b, 5, 4), "金额(元)");
    CHECK_STR(cell(b, 6, 3), "套餐月基本费（5G融合套餐19元）");
    CHECK_STR(cell(b, 6, 4), "19.00"); /* the decimal text as stored */
    CHECK_INT(flag(b, 6, 4), CELL_NUM);
    CHECK_STR(cell(b, 12, 2), "合计");
    CHECK_STR(cell(b, 12, 3), ""); /* absent C12 */
    CHECK_STR(cell(b, 12, 4), "69.00");
    free_book(b);

    b = read_book("tests/data/example-case/inputs/增值业务扣费记录.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(cell(b, 3, 1), "扣费时间");
    CHECK_STR(cell(b, 4, 1), "2023-03-01 14:44:46");
    CHECK_INT(flag(b, 4, 1), 0); /* a text date, not a serial */
    CHECK_STR(cell(b, 4, 4), "3.00");
    CHECK_INT(flag(b, 4, 4), CELL_NUM);
    CHECK_STR(cell(b, 22, 2), "天翼云盘会员");
    CHECK_INT(b->count, 24);
    free_book(b);
}

TEST(xlsx_inline_strings)
{
    book_t *b = read_book(FIX "inline.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(b->sheet, "明细");
    CHECK_STR(cell(b, 2, 1), "");
    CHECK_STR(cell(b, 2, 2), "名称");   /* trimmed of space, NBSP and U+3000 */
    CHECK_STR(cell(b, 2, 4), "富文本"); /* runs joined, <rPh> skipped */
    CHECK_STR(cell(b, 2, 5), "公式值"); /* t="str": the value, not the formula */
    CHECK_STR(cell(b, 2, 6), "TRUE");
    CHECK_STR(cell(b, 2, 7), "#DIV/0!"); /* t="e": kept, so a parser rejects it */
    CHECK_STR(cell(b, 2, 8), "12.345");
    CHECK_INT(flag(b, 2, 8), CELL_NUM);
    CHECK_INT(row_at(b, 2) ? row_at(b, 2)->n : 0, 8); /* blank I2 dropped */
    CHECK_STR(row_at(b, 2) ? row_at(b, 2)->raw : "", ",名称,,富文本,公式值,TRUE,#DIV/0!,12.345");
    CHECK_STR(cell(b, 3, 1), "a\rb");                 /* _x000D_ */
    CHECK_INT(row_at(b, 3) ? row_at(b, 3)->n : 0, 1); /* XFE3 is past the last column */
    CHECK(row_at(b, 4) == NULL);                      /* empty rows are skipped */
    CHECK(row_at(b, 5) == NULL);
    CHECK(row_at(b, 1048577) == NULL);
    CHECK_STR(cell(b, 7, 1), "合并");
    CHECK_INT(b->count, 3);
    free_book(b);
}

TEST(xlsx_shared_strings)
{
    book_t *b = read_book(FIX "richtext.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(cell(b, 1, 1), "普通");
    CHECK_STR(cell(b, 1, 2), "加粗");                       /* runs joined, phonetic run skipped */
    CHECK_STR(cell(b, 1, 3), "(shared string 99 missing)"); /* past the table: said */
    CHECK_STR(cell(b, 1, 4), "(shared string -1 missing)");
    CHECK_STR(cell(b, 1, 5), "x_x000D_y");                 /* _x005F_ escapes the underscore */
    CHECK_STR(cell(b, 1, 6), "(shared string x missing)"); /* not a number */
    CHECK_INT(row_at(b, 1) ? row_at(b, 1)->n : 0, 6);
    free_book(b);
}

TEST(xlsx_date_formats)
{
    book_t *b = read_book(FIX "formats.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(cell(b, 1, 1), "2025-05-18 20:15:09"); /* built-in 14 keeps the serial's time */
    CHECK_INT(flag(b, 1, 1), CELL_DATE);
    CHECK_STR(cell(b, 1, 13), "45795"); /* style 0: General */
    CHECK_INT(flag(b, 1, 13), CELL_NUM);
    CHECK_STR(cell(b, 1, 2), "2025-05-18 00:00:00"); /* built-in 14 */
    CHECK_INT(flag(b, 1, 2), CELL_DATE);
    CHECK_STR(cell(b, 1, 3), "2025-05-18 12:00:00"); /* built-in 22 */
    CHECK_STR(cell(b, 1, 4), "2025-05-18 00:00:00"); /* yyyy"年"m"月"d"日" */
    CHECK_STR(cell(b, 1, 5), "25:02:00");            /* [h]:mm:ss, elapsed */
    CHECK_STR(cell(b, 1, 6), "100.005");             /* "¥"#,##0.00 is no date */
    CHECK_INT(flag(b, 1, 6), CELL_NUM);
    CHECK_STR(cell(b, 1, 7), "-3.5");                /* [Red]\-0.00: brackets and escapes skipped */
    CHECK_STR(cell(b, 1, 8), "2025-05-19 00:00:00"); /* rounded to the second */
    CHECK_STR(cell(b, 1, 9), "09:41:29");            /* h:mm:ss, time of day */
    CHECK_INT(flag(b, 1, 9), CELL_DATE);
    CHECK_STR(cell(b, 1, 10), "45795"); /* "days" 0: letters inside quotes */
    CHECK_INT(flag(b, 1, 10), CELL_NUM);
    CHECK_STR(cell(b, 1, 11), "12:00:00"); /* built-in 46 */
    CHECK_STR(cell(b, 1, 12), "-1");       /* a negative serial stays a number */
    CHECK_INT(flag(b, 1, 12), CELL_NUM);
    free_book(b);

    b = read_book(FIX "date1904.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(cell(b, 1, 2), "2029-05-19 00:00:00"); /* days since 1904-01-01 */
    CHECK_STR(cell(b, 1, 3), "2029-05-19 12:00:00");
    free_book(b);
}

TEST(xlsx_hidden_sheets)
{
    book_t *b = read_book(FIX "hidden.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(b->sheet, "第二");
    CHECK_STR(cell(b, 1, 1), "second");
    free_book(b);
    b = read_book(FIX "hidden.xlsx", 1); /* veryHidden skipped; ./ and ../ in the target */
    CHECK_INT(b->rc, 0);
    CHECK_STR(b->sheet, "第四");
    CHECK_STR(cell(b, 1, 1), "fourth");
    free_book(b);
    b = read_book(FIX "hidden.xlsx", 2);
    CHECK_INT(b->rc, -2);
    free_book(b);
}

TEST(xlsx_prefixed_and_unclosed)
{
    book_t *b = read_book(FIX "prefixed.xlsx", 0);
    CHECK_INT(b->rc, 0);
    CHECK_STR(cell(b, 3, 2), "前缀");
    CHECK_STR(cell(b, 3, 3), "7");
    free_book(b);
    b = read_book(FIX "unclosed.xlsx", 0); /* cut inside a cell: rows so far, then the end */
    CHECK_INT(b->rc, 0);
    CHECK_INT(b->count, 2);
    CHECK_STR(cell(b, 2, 1), "two");
    free_book(b);
}

/* A row whose inline or shared string is over 256 KiB is not held cut: it is skipped and
 * counted (the loader reports it and adds it to the rejected rows). */
TEST(xlsx_long_cells)
{
    char err[256] = "";
    rowsrc_t *rs = xlsx_open_sheet(FIX "longcell.xlsx", 0, err, sizeof err);
    CHECK(rs != NULL);
    if (!rs)
        return;
    row_t r;
    CHECK_INT(rowsrc_next(rs, &r), 0);
    CHECK_INT(rs->oversize, 1);
    rs->close(rs);
}

TEST(xlsx_hostile)
{
    book_t *b = read_book(FIX "laughs.xlsx", 0);
    CHECK_INT(b->rc, -1);
    CHECK(strstr(b->err, "DOCTYPE") != NULL);
    CHECK_INT(b->count, 0);
    free_book(b);

    b = read_book(FIX "laughs-sst.xlsx", 0);
    CHECK_INT(b->rc, -2);
    CHECK(strstr(b->err, "xl/sharedStrings.xml: DOCTYPE") != NULL);
    free_book(b);

    b = read_book(FIX "bomb.xlsx", 0);
    CHECK_INT(b->rc, -1);
    CHECK_STR(b->err, "xl/worksheets/sheet1.xml: entry expands past 200:1 (zip bomb?)");
    CHECK_STR(cell(b, 1, 1), "before the bomb");
    free_book(b);

    b = read_book(FIX "huge.xlsx", 0); /* declares 5 GiB: refused before inflating */
    CHECK_INT(b->rc, -2);
    CHECK(strstr(b->err, "over the 4 GiB limit") != NULL);
    free_book(b);

    b = read_book(FIX "malformed.xlsx", 0);
    CHECK_INT(b->rc, -1);
    CHECK(strstr(b->err, "XML error") != NULL);
    CHECK_INT(b->count, 1);
    free_book(b);
}

TEST(xlsx_broken_archives)
{
    book_t *b = read_book(FIX "truncated.xlsx", 0);
    CHECK_INT(b->rc, -2);
    CHECK(strstr(b->err, "not a readable ZIP archive") != NULL);
    free_book(b);

    b = read_book(FIX "corrupt.xlsx", 0); /* damaged deflate data: an error, whatever it is */
    CHECK_INT(b->rc, -1);
    CHECK(strstr(b->err, "xl/worksheets/sheet1.xml") == b->err);
    free_book(b);

    b = read_book(FIX "crc.xlsx", 0); /* detected at the end of the member */
    CHECK_INT(b->rc, -1);
    CHECK(strstr(b->err, "CRC") != NULL);
    free_book(b);

    b = read_book(FIX "notxlsx.zip", 0);
    CHECK_INT(b->rc, -2);
    CHECK(strstr(b->err, "unzip it first") != NULL);
    free_book(b);

    b = read_book(FIX "make_fixtures.py", 0);
    CHECK_INT(b->rc, -2);
    free_book(b);

    b = read_book(FIX "no-such-file.xlsx", 0);
    CHECK_INT(b->rc, -2);
    CHECK(b->err[0] != '\0');
    free_book(b);
}

/* 10001 empty members: too many to be a workbook (made here, not kept as a 1 MB fixture). */
TEST(xlsx_too_many_entries)
{
    char path[256];
    char *tmpl = unit_tmp_template("billaudit-xlsx");
    snprintf(path, sizeof path, "%s", tmpl);
    free(tmpl);
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    zip_t *za = zip_open(path, ZIP_TRUNCATE, NULL);
    CHECK(za != NULL);
    for (int i = 0; za && i < 10001; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%05d", i);
        zip_source_t *src = zip_source_buffer(za, NULL, 0, 0);
        if (zip_file_add(za, name, src, 0) < 0)
            zip_source_free(src);
    }
    CHECK(za && zip_close(za) == 0);
    book_t *b = read_book(path, 0);
    CHECK_INT(b->rc, -2);
    CHECK(strstr(b->err, "10001 entries, over the limit of 10000") != NULL);
    free_book(b);
    unlink(path);
}
