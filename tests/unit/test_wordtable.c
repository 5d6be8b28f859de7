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

/* A bill laid out as a PDF: a 合计 line with no date stands apart and is a row; a wrapped
 * item under its row is not; page numbers, a running title and the closing 说明 text are
 * dropped; a line's words keep the space a gap shows. */
TEST(wordtable_key_column_furniture_and_notes)
{
    wordtable *t = wt_new();
    word(t, "月账单", 10, 0, 40, 1);
    word(t, "账期", 10, 20, 30, 1);
    word(t, "费用项目", 60, 20, 100, 1);
    word(t, "金额(元)", 200, 20, 240, 1);
    word(t, "2025-01", 10, 40, 45, 1);
    word(t, "游戏点卡包月(某某网络科", 60, 40, 180, 1);
    word(t, "20.00", 200, 40, 225, 1);
    word(t, "技有限公司)", 60, 52, 110, 1); /* wrapped: 2 units under the row */
    word(t, "合计", 10, 70, 30, 1);         /* no date, stands apart: a row */
    word(t, "20.00", 200, 70, 225, 1);
    word(t, "第1页/共2页", 100, 300, 150, 1);
    wt_end_page(t);
    word(t, "月账单", 10, 0, 40, 2); /* the running title */
    word(t, "2025-02", 10, 40, 45, 2);
    word(t, "话费充值", 60, 40, 100, 2);
    word(t, "186****5678", 103, 40, 160, 2); /* a space's gap: "话费充值 186****5678" */
    word(t, "5.00", 200, 40, 220, 2);
    word(t, "说明：本清单仅供核对", 10, 80, 120, 2);
    word(t, "2025-03", 10, 100, 45, 2); /* after the closing notes: not a row */
    word(t, "第2页/共2页", 100, 300, 150, 2);
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 5);
    const wt_row *r = wt_row_at(t, 2);
    CHECK_STR(r->cells[1], "游戏点卡包月(某某网络科技有限公司)");
    CHECK_STR(r->cells[2], "20.00");
    r = wt_row_at(t, 3);
    CHECK_STR(r->cells[0], "合计");
    CHECK_STR(r->cells[2], "20.00");
    CHECK_INT(r->line, 4);
    r = wt_row_at(t, 4);
    CHECK_STR(r->cells[0], "2025-02");
    CHECK_STR(r->cells[1], "话费充值 186****5678");
    CHECK_INT(r->page, 2);
    CHECK_INT(r->line, 1);
    wt_free(t);
}

/* The WeChat proof's shape: the 交易单号 first, wrapped mid-number, and the time under the
 * date in the key column: the second line holds no date, so it continues the row, even
 * when rows are packed as tight as wrapped lines. */
TEST(wordtable_time_under_date_is_no_new_record)
{
    wordtable *t = wt_new();
    word(t, "交易单号", 10, 0, 50, 1);
    word(t, "交易时间", 100, 0, 140, 1);
    word(t, "金额(元)", 200, 0, 240, 1);
    for (int i = 0; i < 2; i++) {
        double y = 12 + 22 * i;
        word(t, i ? "4200009" : "4200001", 10, y, 50, 1);
        word(t, i ? "2025-03-09" : "2025-03-08", 100, y, 150, 1);
        word(t, "100.00", 200, y, 230, 1);
        word(t, "234567890", 10, y + 11, 55, 1);
        word(t, "09:41:27", 100, y + 11, 140, 1);
    }
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 3);
    CHECK_STR(wt_row_at(t, 1)->cells[0], "4200001234567890");
    CHECK_STR(wt_row_at(t, 1)->cells[1], "2025-03-08 09:41:27");
    CHECK_STR(wt_row_at(t, 2)->cells[0], "4200009234567890");
    CHECK_STR(wt_row_at(t, 2)->cells[1], "2025-03-09 09:41:27");
    wt_free(t);
}

/* A long value runs on past its narrow header towards the next column: it stays in its
 * own column (columns end just before the next header cell). */
TEST(wordtable_long_value_stays_in_its_column)
{
    wordtable *t = wt_new();
    word(t, "时间", 10, 0, 30, 1);
    word(t, "商品", 100, 0, 115, 1);
    word(t, "金额", 200, 0, 220, 1);
    word(t, "2025-01-05", 10, 20, 60, 1);
    word(t, "bjunicom***@chinaunicom.cn", 100, 20, 195, 1);
    word(t, "9.00", 200, 20, 220, 1);
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 2);
    CHECK_STR(wt_row_at(t, 1)->cells[1], "bjunicom***@chinaunicom.cn");
    CHECK_STR(wt_row_at(t, 1)->cells[2], "9.00");
    wt_free(t);
}

/* Prose (a contract): one row per line, the words joined where a gap shows a space, even
 * when the line has three groups far apart (no header is looked for); page numbers go. */
TEST(wordtable_prose_lines)
{
    wordtable *t = wt_new();
    wt_set_prose(t);
    word(t, "第一条", 10, 0, 40, 1);
    word(t, "服务内容", 52, 0, 90, 1);
    word(t, "甲方", 10, 14, 30, 1);
    word(t, "乙方", 100, 14, 120, 1);
    word(t, "丙方", 200, 14, 220, 1);
    word(t, "第 1 页 共 2 页", 100, 300, 160, 1);
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 2);
    CHECK_STR(wt_row_at(t, 0)->cells[0], "第一条 服务内容");
    CHECK_INT(wt_row_at(t, 1)->ncells, 1);
    CHECK_STR(wt_row_at(t, 1)->cells[0], "甲方 乙方 丙方");
    wt_free(t);
}

/* Rejoining a wrapped id: "_" is no letter, so "…0010" + "_1" joins without a space. */
TEST(wordtable_wrapped_id_underscore)
{
    wordtable *t = wt_new();
    word(t, "时间", 10, 0, 30, 1);
    word(t, "单号", 100, 0, 120, 1);
    word(t, "金额", 200, 0, 220, 1);
    word(t, "2025-05-20", 10, 20, 60, 1);
    word(t, "20250010", 100, 20, 150, 1);
    word(t, "5.00", 200, 20, 220, 1);
    word(t, "_1", 100, 32, 110, 1);
    wt_end_page(t);
    CHECK_INT(wt_nrows(t), 2);
    CHECK_STR(wt_row_at(t, 1)->cells[1], "20250010_1");
    wt_free(t);
}
