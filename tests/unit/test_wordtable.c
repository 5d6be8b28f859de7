#include "unit.h"
#include "wordtable.h"

static void word(wordtable *t, const char *s, double x0, double y0, double x1, int page)
{
    wt_word w = {s, x0, y0, x1, y0 + 10, page, -1};
    wt_add(t, &w);
}

static void header(wordtable *t, double y, int page)
{
    word(t, "时间", 10, y, 40, page);
    word(t, "单号", 100, y, 130, page);
    word(t, "金额", 200, y, 230, page);
}

TEST(wordtable_rows_wraps_and_repeated_header)
{
    wordtable *t = wt_new();
    word(t, "户名：张三", 10, 0, 80, 1);
    header(t, 20, 1);
    word(t, "100", 200, 40, 220, 1); /* out of order on purpose */
    word(t, "2024-01-05", 10, 40, 60, 1);
    word(t, "42000123", 100, 40, 150, 1);
    word(t, "12:30:00", 10, 52, 50, 1);
    word(t, "4567", 100, 52, 120, 1);
    wt_end_page(t);
    header(t, 20, 2);
    word(t, "2024-01-06", 10, 40, 60, 2);
    word(t, "9", 100, 40, 110, 2);
    word(t, "5.00", 200, 40, 230, 2);
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 4);
    const wt_row *r = wt_row_at(t, 0);
    CHECK_INT(r->ncells, 1);
    CHECK_STR(r->cells[0], "户名：张三");
    r = wt_row_at(t, 1);
    CHECK_INT(r->ncells, 3);
    CHECK_STR(r->cells[1], "单号");
    r = wt_row_at(t, 2);
    CHECK_STR(r->cells[0], "2024-01-05 12:30:00");
    CHECK_STR(r->cells[1], "420001234567");
    CHECK_STR(r->cells[2], "100");
    CHECK_INT(r->page, 1);
    CHECK_INT(r->line, 3);
    r = wt_row_at(t, 3);
    CHECK_STR(r->cells[0], "2024-01-06");
    CHECK_STR(r->cells[2], "5.00");
    CHECK_INT(r->page, 2);
    CHECK_INT(r->line, 1);
    wt_free(t);
}

TEST(wordtable_confidence_is_the_lowest)
{
    wordtable *t = wt_new();
    wt_word a = {"甲", 0, 0, 10, 10, 1, 90}, b = {"乙", 50, 0, 60, 10, 1, 40};
    wt_add(t, &a);
    wt_add(t, &b);
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 1);
    CHECK_INT(wt_row_at(t, 0)->conf, 40);
    CHECK_INT(wt_row_at(t, 0)->ncells, 2);
    wt_free(t);
}
