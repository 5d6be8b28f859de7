/* Reports and letters: the template engine, deadline arithmetic (domain.md §3) and the
 * redaction masks. */
#include "bundle_names.h"
#include "deadline.h"
#include "redact.h"
#include "template.h"
#include "unit.h"
#include <stdlib.h>
#include <string.h>

/* Renders text against c; returns the output (caller frees) or NULL on a template error. */
static char *render(const char *text, const tctx_t *c, tmpl_mode_t mode)
{
    sbuf_t out = {0};
    char err[256];
    if (tmpl_render("t", text, strlen(text), c, mode, &out, NULL, NULL, err, sizeof err) != 0) {
        sb_free(&out);
        return NULL;
    }
    return sb_take(&out);
}

static void blank_count(void *ud, const char *key, const char *label)
{
    (void)key, (void)label;
    (*(int *)ud)++;
}

/* A lazy list: item i says its number; how many were built and freed is counted. */
typedef struct {
    int built, freed;
} lazy_count_t;

static tctx_t *lazy_item(const void *arg, size_t i)
{
    lazy_count_t *n = (lazy_count_t *)arg;
    n->built++;
    tctx_t *c = tctx_new();
    tctx_setf(c, "v", "v%zu", i);
    return c;
}

static void lazy_done(void *arg)
{
    ((lazy_count_t *)arg)->freed++;
}

TEST(template_lazy_list_renders_like_a_list)
{
    const char *t = "{{#xs}}{{@index}}={{v}}{{^@last}},{{/@last}}{{/xs}}{{^ys}}none{{/ys}}";
    lazy_count_t xs = {0, 0}, ys = {0, 0};
    tctx_t *c = tctx_new();
    tctx_list_lazy(c, "xs", 3, lazy_item, &xs, lazy_done);
    tctx_list_lazy(c, "ys", 0, lazy_item, &ys, lazy_done);
    CHECK_INT((int)tctx_count(c, "xs"), 3);
    CHECK_INT(xs.built, 0); /* nothing built before it is rendered */
    char *out = render(t, c, TMPL_TEXT);
    CHECK_STR(out, "1=v0,2=v1,3=v2none");
    CHECK_INT(xs.built, 3);
    CHECK_INT(ys.built, 0);
    free(out);
    out = render(t, c, TMPL_TEXT); /* rendered twice: built again, the same */
    CHECK_STR(out, "1=v0,2=v1,3=v2none");
    free(out);
    tctx_free(c);
    CHECK_INT(xs.freed, 1);
    CHECK_INT(ys.freed, 1);
}

TEST(template_values_sections_and_lists)
{
    tctx_t *c = tctx_new();
    tctx_set(c, "name", "李明");
    tctx_set(c, "zero", "0");
    for (int i = 1; i <= 3; i++)
        tctx_setf(tctx_add(c, "items"), "v", "%d", i);
    tctx_list(c, "none");
    char *s =
        render("{{name}}|{{#zero}}Z{{/zero}}{{^zero}}nz{{/zero}}|{{#items}}{{v}}{{^@last}},{{/"
               "@last}}{{/items}}"
               "|{{^none}}empty{{/none}}|{{#items}}{{#@first}}[{{name}}]{{/@first}}{{/items}}",
               c, TMPL_TEXT);
    CHECK_STR(s, "李明|nz|1,2,3|empty|[李明]");
    free(s);
    tctx_free(c);
}

TEST(template_standalone_tag_lines_vanish)
{
    tctx_t *c = tctx_new();
    tctx_set(c, "on", "1");
    char *s = render("a\n  {{#on}}\nb\n  {{/on}}\n{{! note }}\nc\n", c, TMPL_TEXT);
    CHECK_STR(s, "a\nb\nc\n");
    free(s);
    tctx_free(c);
}

TEST(template_blanks_are_marked_and_reported)
{
    tctx_t *c = tctx_new();
    tctx_set(c, "empty", "");
    sbuf_t out = {0};
    char err[128];
    int blanks = 0;
    const char *t = "{{missing|联系地址}}/{{empty|邮政编码}}";
    CHECK(tmpl_render("t", t, strlen(t), c, TMPL_TEXT, &out, blank_count, &blanks, err,
                      sizeof err) == 0);
    CHECK_STR(out.p, "【请填写：联系地址】/【请填写：邮政编码】");
    CHECK_INT(blanks, 2);
    sb_free(&out);
    tctx_free(c);
}

TEST(template_padding_counts_cjk_twice)
{
    tctx_t *c = tctx_new();
    tctx_set(c, "a", "重复");
    tctx_set(c, "n", "5.00");
    char *s = render("[{{a:-6}}][{{n:>6}}]", c, TMPL_TEXT);
    CHECK_STR(s, "[重复  ][  5.00]");
    free(s);
    CHECK_INT(display_width("a重b"), 4);
    tctx_free(c);
}

TEST(template_errors_name_the_line)
{
    tctx_t *c = tctx_new();
    sbuf_t out = {0};
    char err[128];
    const char *t = "x\n{{#a}}\n";
    CHECK(tmpl_render("t.txt", t, strlen(t), c, TMPL_TEXT, &out, NULL, NULL, err, sizeof err) != 0);
    CHECK(strstr(err, "t.txt:2:") != NULL);
    const char *u = "{{/b}}";
    CHECK(tmpl_render("t.txt", u, strlen(u), c, TMPL_TEXT, &out, NULL, NULL, err, sizeof err) != 0);
    const char *v = "{{a";
    CHECK(tmpl_render("t.txt", v, strlen(v), c, TMPL_TEXT, &out, NULL, NULL, err, sizeof err) != 0);
    sb_free(&out);
    tctx_free(c);
}

TEST(markdown_escapes_and_code_spans)
{
    tctx_t *c = tctx_new();
    tctx_set(c, "cell", "a|b *c* 186****5678");
    char *s = render("| {{cell}} | {{&cell}} |", c, TMPL_MD);
    CHECK_STR(s, "| a\\|b \\*c\\* 186\\*\\*\\*\\*5678 | a|b *c* 186****5678 |");
    free(s);
    tctx_free(c);
    sbuf_t b = {0};
    md_code(&b, "x`y");
    CHECK_STR(b.p, "``x`y``");
    sb_clear(&b);
    md_code(&b, "`start");
    CHECK_STR(b.p, "`` `start ``");
    sb_free(&b);
}

static day_t D(int y, int m, int d)
{
    return days_from_civil(y, m, d);
}

TEST(deadline_five_months_month_end)
{
    /* domain.md §3.2 examples */
    CHECK_INT(day_add_months(D(2024, 6, 1), 5), D(2024, 11, 1));
    CHECK_INT(day_add_months(D(2024, 9, 30), 5), D(2025, 2, 28));
    CHECK_INT(day_add_months(D(2024, 10, 31), 5), D(2025, 3, 31));
    /* §3.4: three years from 29 Feb ends on 28 Feb */
    CHECK_INT(day_add_months(D(2024, 2, 29), 36), D(2027, 2, 28));
}

TEST(deadline_operator_wait_is_c_plus_16)
{
    complaint_t c;
    memset(&c, 0, sizeof c);
    c.date = D(2025, 6, 3);
    c.reply_date = NO_DAY;
    CHECK_INT(appeal_from(&c), D(2025, 6, 19));
    CHECK(!complaint_answered(&c));
    c.reply_date = D(2025, 6, 5);
    CHECK_INT(appeal_from(&c), D(2025, 6, 5));
    c.reply_date = NO_DAY;
    c.reply = "不予退费";
    CHECK(complaint_answered(&c));
    CHECK_INT(appeal_from(&c), NO_DAY); /* answered, date unknown: at once */
}

TEST(deadline_today_from_environment)
{
    day_t d;
    CHECK(day_parse("2025-02-28", &d) == 0 && d == D(2025, 2, 28));
    CHECK(day_parse("2025-02-29", &d) != 0);
    CHECK(day_parse("2025-2-28x", &d) != 0);
    setenv("BILLAUDIT_TODAY", "2024-10-31", 1);
    CHECK_INT(billaudit_today(), D(2024, 10, 31));
    unsetenv("BILLAUDIT_TODAY");
}

TEST(redaction_masks)
{
    char *s = mask_name("李明");
    CHECK_STR(s, "李*");
    free(s);
    s = mask_name("欧阳娜娜");
    CHECK_STR(s, "欧***");
    free(s);
    s = mask_address("北京市朝阳区望京街道示例路8号3单元502室");
    CHECK_STR(s, "北京市朝阳区****");
    free(s);
    s = mask_address("江苏省苏州市昆山市前进路1号");
    CHECK_STR(s, "江苏省苏州市昆山市****");
    free(s);
}

TEST(redaction_of_text)
{
    audit_t a;
    audit_init(&a);
    a.acct.holder_name = xstrdup("李明");
    a.acct.holder_address = xstrdup("北京市朝阳区望京街道示例路8号3单元502室");
    redactor_t *r = redactor_new(&a);
    CHECK(r != NULL);
    if (r) {
        const char *in = "李明 18612345678 +86 139-1234-5678 宽带账号：010-88881234 "
                         "身份证11010519491231002X 地址：北京市朝阳区望京街道示例路8号3单元502室 "
                         "另一处：海淀区中关村大街27号 "
                         "sha 4246e949f14b10f2a13912345678b 单号4200002588202503182105440002";
        size_t n;
        char *out = redact(r, in, strlen(in), &n);
        CHECK_STR(out, "李* 186****5678 139****5678 宽带账号：010-****1234 "
                       "身份证110***********002X 地址：北京市朝阳区**** "
                       "另一处：**** "
                       "sha 4246e949f14b10f2a13912345678b 单号420****0002");
        free(out);
        redactor_free(r);
    }
    audit_free(&a);
}

/* Any person's data, not only the profile's: an ID number with a wrong check digit, and a
 * name after a label (the label words of src/templates/redact.txt). */
TEST(redaction_without_profile)
{
    audit_t a;
    audit_init(&a);
    redactor_t *r = redactor_new(&a);
    CHECK(r != NULL);
    static const char *const cases[][2] = {
        {"身份证号：110105194912310021（校验位错）", "身份证号：110***********0021（校验位错）"},
        {"证件 99999999999999999x 号", "证件 999***********999x 号"},
        {"甲方（用户）：王小红\n乙方：中国联合网络通信有限公司北京市分公司",
         "甲方（用户）：王**\n乙方：中国联合网络通信有限公司北京市分公司"},
        {"客户姓名：张三　手机号码：139****5678", "客户姓名：张*　手机号码：139****5678"},
        {"机主: 欧阳娜娜,户名：赵六;姓名：阿依·买买提", "机主: 欧***,户名：赵*;姓名：阿*****"},
        {"乙方：中国移动 甲方：用户 乙方应当在三日内答复",
         "乙方：中国移动 甲方：用户 乙方应当在三日内答复"},
        /* transaction and order numbers are identifiers (issue 21); a SHA-256 is none */
        {"订单号 4200002588202503182105440002 商户单号WX202503182105442222",
         "订单号 420****0002 商户单号WX2****2222"},
        {"sha256 55b1116a661476eb7c92199868c91343a9e33a5596f1b506f3113c20d81a156e",
         "sha256 55b1116a661476eb7c92199868c91343a9e33a5596f1b506f3113c20d81a156e"},
        {"姓名：李*", "姓名：李*"},
        {"微信昵称：[小猫咪],,,", "微信昵称：[小**],,,"},
        {"工单号：GD20250902-1234；邮编：510000", "工单号：GD2****1234；邮编：51****"},
        {"护照号码 E12345678，卡号6222020200112233445", "护照号码 E1****78，卡号622****3445"},
        {"支付宝账户：li.ming@example.com", "支付宝账户：l***@example.com"},
        {"对方号码 01088881234 与 010-62345678", "对方号码 01****34 与 010-****5678"},
        {"宽带账号：bj8888abc@adsl", "宽带账号：b***@adsl"},
    };
    for (size_t i = 0; r && i < sizeof cases / sizeof *cases; i++) {
        size_t n;
        char *out = redact(r, cases[i][0], strlen(cases[i][0]), &n);
        CHECK_STR(out, cases[i][1]);
        free(out);
    }
    redactor_free(r);
    audit_free(&a);
}

/* Bundle names: by name, relative to the inputs' common directory, never absolute. */
TEST(bundle_names)
{
    static const char *const abs[][2] = {
        {"/a/./b/../c", "/a/c"}, {"/..", ""}, {"//x//y/", "/x/y"}, {"/a/b/../../..", ""}};
    for (size_t i = 0; i < sizeof abs / sizeof *abs; i++) {
        char *s = bn_abs_path(abs[i][0]);
        CHECK_STR(s, abs[i][1]);
        free(s);
    }
    audit_t a;
    audit_init(&a);
    const char *paths[] = {"/home/liming/bills/2025/a.csv", "/home/liming/bills/b.csv",
                           "/home/liming/bills/../bills/2025/a.csv"};
    for (int i = 0; i < 3; i++) {
        source_t src = {0};
        src.path = xstrdup(paths[i]);
        VEC_PUSH(a.sources, src);
    }
    a.account_path = "/etc/elsewhere/b.csv";
    bnames_t m;
    bnames_build(&m, &a, NULL);
    CHECK_STR(bnames_get(&m, paths[0]), "2025/a.csv");
    CHECK_STR(bnames_get(&m, paths[1]), "b.csv");
    CHECK_STR(bnames_get(&m, paths[2]), "2025/a.csv.2");  /* the same file by another path */
    CHECK_STR(bnames_get(&m, a.account_path), "b.csv.2"); /* apart: its file name */
    CHECK(bnames_find(&m, a.account_path)->apart);
    char *w = bnames_rewrite(&m, "identical to /home/liming/bills/b.csv; counted once");
    CHECK_STR(w, "identical to b.csv; counted once");
    free(w);
    bnames_free(&m);
    a.account_path = NULL;
    audit_free(&a);
}
