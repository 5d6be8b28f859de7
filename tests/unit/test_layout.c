/* The operator layout engine (parsers/layout.c): header normalisation,
 * preamble keys, declared periods, summary words, kind detection order,
 * aliases as data, and whole files through the registry (inheritance,
 * sub-headings, totals, year-less dates, units, export cut). */
#include "../../parsers/layout.h"
#include "data.h"
#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ---- */

/* A row of cells split at '|' (no quoting needed in tests). */
static row_t mkrow(const char *spec, long line)
{
    row_t r = {0};
    char *copy = xstrdup(spec);
    r.cells = xcalloc(strlen(spec) + 2, sizeof *r.cells);
    r.flags = xcalloc(strlen(spec) + 2, 1);
    for (char *tok = copy, *bar; tok; tok = bar) {
        bar = strchr(tok, '|');
        if (bar)
            *bar++ = 0;
        r.cells[r.n++] = xstrdup(tok);
    }
    while (r.n && !r.cells[r.n - 1][0])
        free(r.cells[--r.n]);
    free(copy);
    r.line = line;
    r.raw = xstrdup(spec);
    return r;
}

/* Kind detected for rows given as one string per row. */
static int detect_of(const char *const *specs)
{
    row_t rows[16] = {{0}};
    int n = 0;
    for (; specs[n] && n < 16; n++)
        rows[n] = mkrow(specs[n], n + 1);
    int header = -1;
    int k = layout_detect(rows, n, &header);
    for (int i = 0; i < n; i++)
        lrow_free(&rows[i]);
    return k;
}

static void pre_of(lpre_t *pre, const char *const *specs)
{
    lpre_init(pre);
    for (int i = 0; specs[i]; i++) {
        row_t r = mkrow(specs[i], i + 1);
        lpre_row(pre, &r);
        lrow_free(&r);
    }
}

static day_t D(int y, int m, int d)
{
    return days_from_civil(y, m, d);
}

static char tmpdir[64];

__attribute__((destructor)) static void remove_tmpdir(void)
{
    if (tmpdir[0])
        rmdir(tmpdir);
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[160];
    if (!tmpdir[0]) {
        char *t = unit_tmp_template("billaudit-layout");
        snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "");
        free(t);
        if (!mkdtemp(tmpdir))
            return NULL;
    }
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads one file into a fresh audit (account number optional). */
static void load(audit_t *a, const char *name, const char *text, const char *number)
{
    audit_init(a);
    if (number)
        a->acct.number = xstrdup(number);
    char *path = xstrdup(write_tmp(name, text));
    audit_load(a, &path, 1);
    unlink(path);
    free(path);
}

typedef struct {
    long count[U_NKINDS];
    fen_t fee;
    day_t day; /* when set: count on that day */
    long on_day;
} usage_sum_t;

static int sum_usage(void *ctx, const usage_day_t *u)
{
    usage_sum_t *s = ctx;
    s->count[u->kind] += u->count;
    s->fee += u->fee;
    if (u->day == s->day)
        s->on_day += u->count;
    return 0;
}

static int has_warning(const audit_t *a, const char *needle)
{
    for (size_t i = 0; i < a->warnings.n; i++)
        if (strstr(a->warnings.items[i].message, needle))
            return 1;
    return 0;
}

/* ---- header cells ---- */

TEST(layout_norm_header)
{
    char unit[16];
    char *n = layout_norm_header(" 金额（元） ", unit, sizeof unit);
    CHECK_STR(n, "金额");
    CHECK_STR(unit, "元");
    free(n);
    n = layout_norm_header("通话 时长 (秒)", unit, sizeof unit);
    CHECK_STR(n, "通话时长");
    CHECK_STR(unit, "秒");
    free(n);
    n = layout_norm_header("流量(KB)", unit, sizeof unit);
    CHECK_STR(n, "流量");
    CHECK_STR(unit, "kb");
    free(n);
    n = layout_norm_header("时长（分钟）", unit, sizeof unit);
    CHECK_STR(n, "时长");
    CHECK_STR(unit, "分钟");
    free(n);
    /* Parentheses that are not a unit stay part of the name. */
    n = layout_norm_header("国内（不含港澳台）话费", unit, sizeof unit);
    CHECK_STR(n, "国内(不含港澳台)话费");
    CHECK_STR(unit, "");
    free(n);
    n = layout_norm_header("备注(其他)", unit, sizeof unit);
    CHECK_STR(n, "备注(其他)");
    free(n);
    n = layout_norm_header("ＩＰ地址", unit, sizeof unit);
    CHECK_STR(n, "ip地址");
    free(n);
    n = layout_norm_header("", unit, sizeof unit);
    CHECK_STR(n, "");
    free(n);
}

/* ---- preamble ---- */

TEST(layout_preamble_keys)
{
    lpre_t pre;
    const char *const a[] = {"中国移动通话详单", "客户姓名：王小明　手机号码：13912345678",
                             "查询时段：2025-04-01至2025-05-31", NULL};
    pre_of(&pre, a);
    CHECK_STR(pre.holder, "王小明");
    CHECK_STR(pre.number, "13912345678");
    CHECK_STR(pre.operator_name, "中国移动");
    CHECK_INT(pre.period_from, D(2025, 4, 1));
    CHECK_INT(pre.period_to, D(2025, 5, 31));
    CHECK_INT(pre.period_row.line, 3);
    CHECK(!pre.broadband_key && !pre.broadband_title);
    lpre_free(&pre);

    /* ASCII colons, pairs split by 2+ spaces, [..] values, a key in one cell and
     * its value in the next, trailing commas. */
    const char *const b[] = {"客户名称:赵丽  号码:[19921511404]",
                             "起始时间：[2025-03-01 00:00:00]    终止时间：[2025-03-31 23:59:59]",
                             "导出时间：|2025-04-02 10:00:00", "账期：2025-03,,,", NULL};
    pre_of(&pre, b);
    CHECK_STR(pre.holder, "赵丽");
    CHECK_STR(pre.number, "19921511404");
    CHECK_INT(pre.start_key, D(2025, 3, 1));
    CHECK_INT(pre.end_key, D(2025, 3, 31));
    CHECK_INT(pre.exported, D(2025, 4, 2));
    CHECK_INT(pre.month_from, D(2025, 3, 1));
    CHECK_INT(pre.month_to, D(2025, 3, 31));
    lpre_free(&pre);

    /* One space between pairs still splits when the next key is known. */
    const char *const c[] = {"家庭宽带上网记录", "户名：李四 宽带账号：02588881234", NULL};
    pre_of(&pre, c);
    CHECK_STR(pre.holder, "李四");
    CHECK_STR(pre.number, "02588881234");
    CHECK(pre.broadband_key && pre.broadband_title);
    lpre_free(&pre);
}

TEST(layout_declared_period)
{
    lpre_t pre;
    day_t f, t;
    const row_t *row;
    /* Two dates = the range; the declaring line is the evidence. */
    const char *const a[] = {"title", "当前查询时间：2025-04-01 至 2025-04-30", NULL};
    pre_of(&pre, a);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(f, D(2025, 4, 1));
    CHECK_INT(t, D(2025, 4, 30));
    CHECK_INT(row->line, 2);
    lpre_free(&pre);

    /* A lone month on a log = the whole month; on a bill it declares no period. */
    const char *const b[] = {"查询月份：2025年4月", NULL};
    pre_of(&pre, b);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(f, D(2025, 4, 1));
    CHECK_INT(t, D(2025, 4, 30));
    CHECK(!lpre_declared(&pre, 1, &f, &t, &row));
    lpre_free(&pre);

    /* Two month tokens cover both months in full. */
    const char *const c[] = {"账期：202503-202504", NULL};
    pre_of(&pre, c);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(f, D(2025, 3, 1));
    CHECK_INT(t, D(2025, 4, 30));
    lpre_free(&pre);

    /* An export on the 20th cuts the period to the 19th. */
    const char *const d[] = {"查询时段：2025-04-01至2025-04-30", "导出时间：2025-04-20 08:00:00",
                             NULL};
    pre_of(&pre, d);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(t, D(2025, 4, 19));
    lpre_free(&pre);

    /* An export after the end cuts nothing; one on the end day cuts that day. */
    const char *const e[] = {"查询时段：2025-04-01至2025-04-30", "生成时间：2025-05-02", NULL};
    pre_of(&pre, e);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(t, D(2025, 4, 30));
    lpre_free(&pre);
    const char *const e2[] = {"查询时段：2025-04-01至2025-04-30", "打印时间：2025-04-30", NULL};
    pre_of(&pre, e2);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(t, D(2025, 4, 29));
    lpre_free(&pre);

    /* A lone query timestamp does not beat a real range. */
    const char *const g[] = {"查询时间：2025-06-02 10:11:12", "查询时段：2025-05-01至2025-05-31",
                             NULL};
    pre_of(&pre, g);
    CHECK(lpre_declared(&pre, 0, &f, &t, &row));
    CHECK_INT(f, D(2025, 5, 1));
    CHECK_INT(t, D(2025, 5, 31));
    lpre_free(&pre);

    /* No period line: nothing declared. */
    const char *const h[] = {"手机号码：13912345678", NULL};
    pre_of(&pre, h);
    CHECK(!lpre_declared(&pre, 0, &f, &t, &row));
    lpre_free(&pre);
}

TEST(layout_summary_words)
{
    CHECK_INT(layout_summary_word("合计"), 2);
    CHECK_INT(layout_summary_word("合 计"), 2);
    CHECK_INT(layout_summary_word("小计"), 1);
    CHECK_INT(layout_summary_word("本期费用合计"), 2);
    CHECK_INT(layout_summary_word("实际应缴合计"), 2);
    CHECK_INT(layout_summary_word("详单总数：12 条"), 2);
    CHECK_INT(layout_summary_word("共12条"), 2);
    CHECK_INT(layout_summary_word("共 3 笔"), 2);
    CHECK_INT(layout_summary_word("共享流量包"), 0);
    CHECK_INT(layout_summary_word("合约优惠减免"), 0);
    CHECK_INT(layout_summary_word("2025-04"), 0);
    CHECK_INT(layout_summary_word(""), 0);
}

/* ---- kind detection (formats.md §5.1 order) ---- */

TEST(layout_detect_order)
{
    const char *const pay[] = {"缴费记录", "缴费时间|缴费金额(元)|缴费方式|缴费渠道|状态", NULL};
    CHECK_INT(detect_of(pay), LK_PAYMENTS);
    const char *const bb[] = {"上线时间|下线时间|上网时长|上行流量|下行流量", NULL};
    CHECK_INT(detect_of(bb), LK_BROADBAND);
    /* 开始时间 + 时长 + 流量 is data, unless a title or key says 宽带. */
    const char *const data[] = {"开始时间|时长|流量", NULL};
    CHECK_INT(detect_of(data), LK_DATA);
    const char *const bbt[] = {"家庭宽带上网记录", "开始时间|时长|流量", NULL};
    CHECK_INT(detect_of(bbt), LK_BROADBAND);
    const char *const bbk[] = {"上网账号：02588881234", "开始时间|时长|流量", NULL};
    CHECK_INT(detect_of(bbk), LK_BROADBAND);
    const char *const voice[] = {"起始时间|通信地点|通信方式|对方号码|通信时长|实收通信费(元)",
                                 NULL};
    CHECK_INT(detect_of(voice), LK_VOICE);
    /* A voice-looking header with a 流量 column is data (data comes first). */
    const char *const vd[] = {"起始时间|对方号码|通话时长|流量", NULL};
    CHECK_INT(detect_of(vd), LK_DATA);
    const char *const pair[] = {"通话日期|通话时间|对方号码|通话时长", NULL};
    CHECK_INT(detect_of(pair), LK_VOICE);
    const char *const sms[] = {"起始时间|通信地点|对方号码|通信方式|信息类型|通信费", NULL};
    CHECK_INT(detect_of(sms), LK_SMS);
    const char *const vas[] = {"扣费时间|业务名称|服务提供商|费用(元)", NULL};
    CHECK_INT(detect_of(vas), LK_VAS);
    const char *const vas2[] = {"日期|时间|业务名称|金额", NULL};
    CHECK_INT(detect_of(vas2), LK_VAS);
    const char *const bill[] = {"账期|费用类别|费用项目|金额(元)|备注", NULL};
    CHECK_INT(detect_of(bill), LK_BILL);
    /* A bill needs its month: a column or a preamble key. */
    const char *const nomonth[] = {"费用类别|费用项目|金额", NULL};
    CHECK_INT(detect_of(nomonth), LK_NONE);
    const char *const keymonth[] = {"账期：2025年4月", "费用类别|费用项目|金额", NULL};
    CHECK_INT(detect_of(keymonth), LK_BILL);
    /* Wallet exports are none of these. */
    const char *const wx[] = {"交易时间|交易类型|交易对方|商品|收/支|金额(元)|支付方式|当前状态",
                              NULL};
    CHECK_INT(detect_of(wx), LK_NONE);
    const char *const ali[] = {"交易时间|交易分类|交易对方|对方账号|商品说明|收/支|金额", NULL};
    CHECK_INT(detect_of(ali), LK_NONE);
    /* The header is the first qualifying row among the first 60. */
    const char *const late[] = {"a|b", "c|d", "起始时间|对方号码|通话时长", NULL};
    int header = -1;
    row_t rows[3];
    for (int i = 0; i < 3; i++)
        rows[i] = mkrow(late[i], i + 1);
    CHECK_INT(layout_detect(rows, 3, &header), LK_VOICE);
    CHECK_INT(header, 2);
    for (int i = 0; i < 3; i++)
        lrow_free(&rows[i]);
}

/* A new column alias is one data line. */
TEST(layout_alias_is_data)
{
    const char *const hdr[] = {"起始时间|被叫号码|通话时长", NULL};
    CHECK_INT(detect_of(hdr), LK_NONE);
    const data_file_t *f = data_find("parsers/data/columns.tsv");
    CHECK(f != NULL);
    if (!f)
        return;
    char *cols = xasprintf("%.*s\nusage-voice\tpeer\t被叫号码\n", (int)f->len, f->data);
    CHECK_INT(layout_set_tables(cols, NULL, NULL), 0);
    CHECK_INT(detect_of(hdr), LK_VOICE);
    free(cols);
    /* A malformed line is refused (and named), not ignored silently. */
    CHECK_INT(layout_set_tables("usage-voice\tpeer\n", NULL, NULL), -1);
    CHECK_INT(layout_set_tables(NULL, NULL, NULL), 0);
    CHECK_INT(detect_of(hdr), LK_NONE);
}

/* ---- near misses ---- */

/* layout_near on rows given as one string per row. */
static int near_of(const char *const *specs, lkind_t k, char *why, size_t whylen)
{
    sniff_t *s = xcalloc(1, sizeof *s);
    for (; specs[s->nrows] && s->nrows < SNIFF_ROWS; s->nrows++)
        s->rows[s->nrows] = mkrow(specs[s->nrows], s->nrows + 1);
    why[0] = 0;
    int n = layout_near(s, k, "a call log", why, whylen);
    for (int i = 0; i < s->nrows; i++)
        lrow_free(&s->rows[i]);
    free(s);
    return n;
}

/* A header lacking a required column is named with what it has; the names it would
 * accept are the data's. */
TEST(layout_near_names_missing_column)
{
    char why[512];
    const char *const hdr[] = {"话单", "起始时间|通话时长|通信费", "2025-01-01 10:00:00|60|0",
                               NULL};
    CHECK_INT(near_of(hdr, LK_VOICE, why, sizeof why), 3);
    CHECK_STR(why, "looks like a call log (起始时间, 通话时长, 通信费 found) but has no 对方号码 "
                   "column (accepted names: 对方号码, 对端号码, 对方)");
    const data_file_t *f = data_find("parsers/data/columns.tsv");
    CHECK(f != NULL);
    if (!f)
        return;
    char *cols = xasprintf("%.*s\nusage-voice\tpeer\t被叫号码\n", (int)f->len, f->data);
    CHECK_INT(layout_set_tables(cols, NULL, NULL), 0);
    CHECK_INT(near_of(hdr, LK_VOICE, why, sizeof why), 3);
    CHECK(strstr(why, "对方, 被叫号码)") != NULL);
    free(cols);
    CHECK_INT(layout_set_tables(NULL, NULL, NULL), 0);
}

/* Weak evidence is no near miss (detect needs a count of 2): one field, half of a
 * date + time pair, a row that is mostly not column names, a row another layout's
 * column rules out. */
TEST(layout_near_needs_evidence)
{
    char why[512];
    const char *const one[] = {"起始时间|备注|x", NULL};
    CHECK_INT(near_of(one, LK_VOICE, why, sizeof why), 1);
    const char *const half[] = {"时刻|金额", NULL};
    CHECK_INT(near_of(half, LK_PAYMENTS, why, sizeof why), 1); /* 金额 alone */
    const char *const prose[] = {"起始时间|通话时长|are|words|in|a|sentence", NULL};
    CHECK_INT(near_of(prose, LK_VOICE, why, sizeof why), 0);
    const char *const voice[] = {"起始时间|通话时长|通信费", NULL};
    CHECK_INT(near_of(voice, LK_SMS, why, sizeof why), 0); /* 通话时长: not a message log */
    CHECK_STR(why, "");
}

/* A long reason is cut at a character boundary, with an ellipsis. */
TEST(near_reason_cuts_on_characters)
{
    char why[40];
    near_reason(why, sizeof why, "一张话费账单", "账期, 费用类别, 费用项目", "no 金额 column");
    CHECK(strlen(why) < sizeof why);
    CHECK_INT(utf8_valid_prefix((const unsigned char *)why, strlen(why)), strlen(why));
    CHECK(str_ends(why, "…"));
    CHECK(str_starts(why, "looks like 一张"));
}

/* ---- whole files through the registry ---- */

/* Family bill: 号码 sub-headings, merged category cells, category subtotal rows,
 * identical lines kept, the month from a single-month key, a malformed amount
 * rejected, declared totals checked. */
TEST(layout_bill_family)
{
    audit_t a;
    load(&a, "bill.csv",
         "\xEF\xBB\xBF中国联通 月账单\n"
         "账期：2025年4月\n"
         "费用类别,费用项目,金额(元),备注\n"
         "号码：13912345678\n"
         "套餐及固定费,,63.00,\n"
         ",月基本费,58.00,\n"
         ",来电显示,5.00,\n"
         ",来电显示,5.00,\n"
         "增值业务费,彩铃,12;3x,\n"
         "小计,,68.00,\n"
         "号码：13800001111\n"
         "套餐及固定费,月基本费,19.00,\n"
         "合计,,90.00,\n",
         "13912345678");
    CHECK_INT(a.sources.n, 1);
    if (a.sources.n != 1) {
        audit_free(&a);
        return;
    }
    source_t *s = &a.sources.items[0];
    CHECK_STR(s->format, "operator-bill");
    CHECK_INT(a.bills.n, 3);
    CHECK_INT(s->rejected, 1);
    CHECK_STR(s->operator_name, "中国联通");
    CHECK_INT(s->bill_from, ym_make(2025, 4));
    CHECK_INT(s->bill_to, ym_make(2025, 4));
    for (size_t i = 0; i < a.bills.n; i++) {
        CHECK_STR(a.bills.items[i].category, "套餐及固定费");
        CHECK_INT(a.bills.items[i].period, ym_make(2025, 4));
        CHECK_STR(a.bills.items[i].number, "13912345678");
    }
    if (a.bills.n == 3) {
        CHECK_STR(a.bills.items[1].item, "来电显示");
        CHECK_STR(a.bills.items[2].item, "来电显示");
        CHECK_INT(a.bills.items[2].prov.line, 8);
    }
    /* 小计 68.00 = 58 + 5 + 5 (the rejected row is not summed); the 合计 90.00
     * (68 + 19 = 87 summed) does not match: a warning, no rejection. */
    CHECK(has_warning(&a, "declared total 90.00"));
    CHECK(!has_warning(&a, "68.00"));
    audit_free(&a);
}

/* Voice: date+time columns, year-less dates across New Year, a minutes unit,
 * fee components, 被叫 as incoming, a 合计 row that matches. */
TEST(layout_voice_new_year)
{
    audit_t a;
    load(&a, "voice.csv",
         "通话详单\n"
         "手机号码：13912345678\n"
         "查询时段：2024-12-01至2025-01-31\n"
         "通话日期,通话时间,对方号码,呼叫类型,时长(分钟),基本话费,长途话费\n"
         "12-31,23:59:00,13800001111,主叫,3,0.10,0.20\n"
         "01-01,00:01:00,13800001111,被叫,2,,\n"
         "11-30,10:00:00,13800001111,主叫,1,0.00,0.00\n"
         "02-15,10:00:00,13800001111,主叫,1,0.00,0.00\n"
         "合计,,,,,,0.30\n",
         NULL);
    CHECK_INT(a.sources.n, 1);
    if (a.sources.n != 1) {
        audit_free(&a);
        return;
    }
    source_t *s = &a.sources.items[0];
    CHECK_STR(s->format, "usage-voice");
    /* 11-30 lies within 31 days before the period: kept (warned); 02-15 has no year. */
    CHECK_INT(s->records, 3);
    CHECK_INT(s->rejected, 1);
    CHECK_INT(s->decl_from, D(2024, 12, 1));
    CHECK_INT(s->decl_to, D(2025, 1, 31));
    CHECK_INT(s->decl.line, 3);
    CHECK_INT(s->ukind, U_VOICE);
    usage_sum_t u = {.day = D(2024, 12, 31)};
    usage_each(&a, sum_usage, &u);
    CHECK_INT(u.count[U_VOICE], 3);
    CHECK_INT(u.on_day, 1);
    CHECK_INT(u.fee, 30);
    u = (usage_sum_t){.day = D(2025, 1, 1)};
    usage_each(&a, sum_usage, &u);
    CHECK_INT(u.on_day, 1);
    CHECK(has_warning(&a, "outside the declared period"));
    CHECK(!has_warning(&a, "declared total"));
    audit_free(&a);
}

/* Data: a KB unit in the header, the export cut, another number's rows ignored. */
TEST(layout_data_units_export)
{
    audit_t a;
    load(&a, "data.csv",
         "上网详单\n"
         "查询时段：2025-04-01 至 2025-04-30  导出时间：2025-04-20 09:00:00\n"
         "号码,起始时间,流量(KB),总时长,通信费\n"
         "13912345678,2025-04-02 07:58:10,2048,00:35:10,\n"
         ",2025-04-03 07:58:10,1.5MB,10分,0.50\n"
         "13800001111,2025-04-04 07:58:10,100,00:01:00,9.00\n"
         "13912345678,2025-04-05 07:58:10,12x,00:01:00,0\n",
         "13912345678");
    CHECK_INT(a.sources.n, 1);
    if (a.sources.n != 1) {
        audit_free(&a);
        return;
    }
    source_t *s = &a.sources.items[0];
    CHECK_STR(s->format, "usage-data");
    CHECK_INT(s->decl_to, D(2025, 4, 19));
    CHECK_INT(s->exported, D(2025, 4, 20));
    CHECK_INT(s->rejected, 1);
    usage_sum_t u = {.day = D(2025, 4, 4)};
    usage_each(&a, sum_usage, &u);
    CHECK_INT(u.count[U_DATA], 2); /* the blank 号码 inherits 13912345678 */
    CHECK_INT(u.on_day, 0);        /* 13800001111's session is not this account's */
    CHECK_INT(u.fee, 50);
    audit_free(&a);
}

/* Broadband: the end from the duration, a session spanning months, GBK text. */
TEST(layout_broadband_duration)
{
    audit_t a;
    /* "宽带账号：1234567,\n上线时间,上网时长\n" partly in GBK bytes. */
    load(&a, "bb.csv",
         "\xBF\xED\xB4\xF8\xD5\xCB\xBA\xC5\xA3\xBA"
         "02588881234\n"                                                       /* 宽带账号： */
         "\xC9\xCF\xCF\xDF\xCA\xB1\xBC\xE4,\xC9\xCF\xCD\xF8\xCA\xB1\xB3\xA4\n" /* 上线时间,上网时长
                                                                                */
         "2025-03-31 22:00:00,1\xCC\xEC"
         "3\xD0\xA1\xCA\xB1\n" /* 1天3小时 */
         /* a 宽带账号 line mid-file is no number sub-heading: it excludes nothing */
         "\xBF\xED\xB4\xF8\xD5\xCB\xBA\xC5\xA3\xBA"
         "02588881234\n"
         "2025-04-10 08:00:00,60\n",
         "13912345678");
    CHECK_INT(a.sources.n, 1);
    if (a.sources.n != 1) {
        audit_free(&a);
        return;
    }
    source_t *s = &a.sources.items[0];
    CHECK_STR(s->format, "broadband-sessions");
    CHECK_STR(s->number, "02588881234");
    CHECK_INT(s->records, 2);
    usage_sum_t u = {.day = D(2025, 4, 2)};
    usage_each(&a, sum_usage, &u);
    CHECK_INT(u.on_day, 1); /* 03-31 22:00 + 27 h = 04-02 01:00 */
    u = (usage_sum_t){.day = D(2025, 4, 10)};
    usage_each(&a, sum_usage, &u);
    CHECK_INT(u.on_day, 1);
    CHECK_INT(s->decl_from, NO_DAY);
    audit_free(&a);
}

/* A bare mobile number alone on a row is a sub-heading; lines after another
 * number's heading are not the account's. */
TEST(layout_bare_number_heading)
{
    audit_t a;
    load(&a, "family.csv",
         "账期,费用类别,费用项目,金额\n"
         "13800001111\n"
         "2025-04,套餐及固定费,副卡月租,10.00\n"
         "139****5678\n"
         "2025-04,套餐及固定费,月基本费,58.00\n",
         "13912345678");
    CHECK_INT(a.bills.n, 1);
    if (a.bills.n == 1)
        CHECK_STR(a.bills.items[0].item, "月基本费");
    audit_free(&a);
}
