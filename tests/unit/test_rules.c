/* Bill-line classes and links of spec §4.1 through the public API (audit_prepare),
 * and the precedence of the recurring-charge rules on a hand-built audit.
 * rules_every_table_line_classifies walks rules/data/bill-classes.tsv itself: a new
 * operator fee name is one table line, and this test then checks that line too. */
#include "audit.h"
#include "data.h"
#include "rule.h"
#include "unit.h"
#include <stdlib.h>

static void setup(audit_t *a)
{
    audit_init(a);
    a->acct.loaded = 1;
    a->acct.number = xstrdup("13912345678");
    a->acct.operator_id = xstrdup("china-mobile");
    source_t s;
    memset(&s, 0, sizeof s);
    s.path = xstrdup("bill.csv");
    s.format = "operator-bill";
    s.from = s.to = s.bill_from = s.bill_to = NO_YM;
    s.decl_from = s.decl_to = s.exported = NO_DAY;
    s.duplicate_of = -1;
    s.ukind = -1;
    VEC_PUSH(a->sources, s);
}

static int add_service(audit_t *a, const char *name, svc_kind_t kind, const char *fee)
{
    service_t s;
    memset(&s, 0, sizeof s);
    s.name = xstrdup(name);
    s.kind = kind;
    s.start = s.end = s.cancelled = NO_DAY;
    if (fee) {
        s.has_fee = 1;
        money_parse(fee, &s.monthly_fee, NULL);
    }
    s.field = xstrdup("account.services");
    VEC_PUSH(a->acct.services, s);
    if (kind == SVC_MOBILE && a->acct.plan < 0)
        a->acct.plan = (int)a->acct.services.n - 1;
    return (int)a->acct.services.n - 1;
}

/* Returns the index of the new line (its period is 2025-03). */
static size_t add_line(audit_t *a, const char *category, const char *item, const char *amount)
{
    bill_line_t b;
    memset(&b, 0, sizeof b);
    b.period = ym_make(2025, 3);
    b.category = strpool_intern(&a->strings, category); /* the audit frees record strings */
    b.item = strpool_intern(&a->strings, item);
    money_parse(amount, &b.amount, NULL);
    char *raw = xasprintf("2025-03,%s,%s,%s", category, item, amount);
    b.prov = (prov_t){0, (long)a->bills.n + 2, strpool_copy(&a->strings, raw), 0};
    free(raw);
    VEC_PUSH(a->bills, b);
    return a->bills.n - 1;
}

static bill_class_t class_of(const char *category, const char *item)
{
    audit_t a;
    setup(&a);
    add_line(&a, category, item, "10.00");
    audit_prepare(&a);
    bill_class_t c = a.bills.items[0].cls;
    audit_free(&a);
    return c;
}

/* ---- the table, read the way a maintainer reads it ---- */

typedef struct {
    char cls[16], where[16], kw[96];
} kwrow_t;
typedef struct {
    kwrow_t rows[512];
    int n;
} table_t;

static void table_row(void *ctx, char **f, int n, int lineno)
{
    table_t *t = ctx;
    (void)lineno;
    if (n < 3 || t->n >= 512)
        return;
    kwrow_t *r = &t->rows[t->n++];
    snprintf(r->cls, sizeof r->cls, "%s", f[0]);
    snprintf(r->where, sizeof r->where, "%s", f[1]);
    snprintf(r->kw, sizeof r->kw, "%s", f[2]);
}

/* The class the table gives text in field where: the first row (file order) of that
 * field whose keyword the text contains. */
static int expected_class(const table_t *t, const char *where, const char *text, bill_class_t *out)
{
    for (int i = 0; i < t->n; i++) {
        const kwrow_t *r = &t->rows[i];
        if (strcmp(r->where, where) || !strcmp(r->cls, "penalty") || !bill_class_named(r->cls, out))
            continue;
        if (strstr(text, r->kw))
            return 1;
    }
    return 0;
}

TEST(rules_every_table_line_classifies)
{
    table_t *t = calloc(1, sizeof *t);
    CHECK(data_tsv_each("rules/data/bill-classes.tsv", table_row, t) > 20);
    int checked = 0;
    for (int i = 0; i < t->n; i++) {
        const kwrow_t *r = &t->rows[i];
        bill_class_t want, got;
        if (!strcmp(r->cls, "penalty")) {
            /* Penalty words override whatever category the line is printed under. */
            got = class_of("套餐及固定费", r->kw);
            CHECK_INT(got, CL_PENALTY);
            checked++;
        } else if (!strcmp(r->where, "category") && expected_class(t, "category", r->kw, &want)) {
            got = class_of(r->kw, "某项费用");
            if (got != want)
                fprintf(stderr, "category %s\n", r->kw);
            CHECK_INT(got, want);
            checked++;
        } else if (!strcmp(r->where, "item") && expected_class(t, "item", r->kw, &want)) {
            got = class_of("", r->kw); /* no category: the item's keywords decide */
            if (got != want)
                fprintf(stderr, "item %s\n", r->kw);
            CHECK_INT(got, want);
            checked++;
        }
    }
    CHECK(checked > 40);
    free(t);
}

TEST(rules_table_names_of_each_operator)
{
    /* Category names of China Mobile, Unicom and Telecom bills (formats.md §5.0). */
    CHECK_INT(class_of("套餐及固定费", "包月使用费"), CL_RECURRING);
    CHECK_INT(class_of("月固定费", "沃派套餐"), CL_RECURRING);
    CHECK_INT(class_of("基本月租", "基本月租费"), CL_RECURRING);
    CHECK_INT(class_of("月基本费", "天翼套餐"), CL_RECURRING);
    CHECK_INT(class_of("语音通信费", "国内通话费"), CL_VOICE);
    CHECK_INT(class_of("语音通话费", "本地通话费"), CL_VOICE);
    CHECK_INT(class_of("上网及数据通信费", "国内流量费"), CL_DATA);
    CHECK_INT(class_of("短信通信费", "点对点短信"), CL_SMS);
    CHECK_INT(class_of("短信彩信费", "国内短信费"), CL_SMS);
    CHECK_INT(class_of("增值业务费", "彩铃"), CL_VAS);
    CHECK_INT(class_of("综合信息服务费", "天翼阅读"), CL_VAS);
    CHECK_INT(class_of("代收费（信息费）", "游戏点卡"), CL_THIRDPARTY);
    CHECK_INT(class_of("特服费", "某某资讯"), CL_THIRDPARTY);
    /* Discount pools name no class: a −5.00 there offsets nothing a rule measures. */
    CHECK_INT(class_of("优惠减免", "套餐费优惠"), CL_OTHER);
    CHECK_INT(class_of("本月通讯费优惠", "通话费优惠"), CL_OTHER);
    CHECK_INT(class_of("业务费用减免", "套餐减免"), CL_OTHER);
    /* Penalty words override the category. */
    CHECK_INT(class_of("其他费用", "宽带提前解约违约金"), CL_PENALTY);
    CHECK_INT(class_of("套餐及固定费", "提前解约费"), CL_PENALTY);
    /* Without a category the item decides; usage words before 套餐. */
    CHECK_INT(class_of("", "套餐外语音通话费"), CL_VOICE);
    CHECK_INT(class_of("", "套餐外流量费"), CL_DATA);
    CHECK_INT(class_of("", "5G畅享套餐"), CL_RECURRING);
    CHECK_INT(class_of("", "光纤宽带"), CL_OTHER); /* a broadband word only links */
    CHECK_INT(class_of("", "补卡费"), CL_OTHER);
}

TEST(rules_links_and_discounts)
{
    audit_t a;
    setup(&a);
    int plan = add_service(&a, "5G畅享套餐58元", SVC_MOBILE, "58.00");
    int bb = add_service(&a, "家庭宽带200M", SVC_BROADBAND, "50.00");
    a.acct.has_subscriptions = 1;
    VEC_PUSH(a.acct.subscriptions, xstrdup("来电 显示"));
    size_t l_plan = add_line(&a, "套餐及固定费", "5G畅享套餐58元月基本费", "58.00");
    size_t l_bb = add_line(&a, "套餐及固定费", "家庭宽带200M月使用费", "50.00");
    size_t l_name = add_line(&a, "月固定费", "家庭宽带２００M", "50.00"); /* full width */
    size_t l_vas = add_line(&a, "套餐及固定费", "来电显示功能费", "5.00");
    size_t l_disc = add_line(&a, "套餐及固定费", "光纤优惠", "-10.00");
    size_t l_pool = add_line(&a, "优惠减免", "宽带费减免", "-5.00");
    size_t l_pen = add_line(&a, "其他费用", "宽带提前解约违约金", "300.00");
    size_t l_pen2 = add_line(&a, "其他费用", "提前解约违约金", "100.00");
    size_t l_voice = add_line(&a, "语音通信费", "国内通话费", "3.00");
    audit_prepare(&a);
    CHECK_INT(a.bills.items[l_plan].service, plan);
    CHECK_INT(a.bills.items[l_bb].service, bb);
    CHECK_INT(a.bills.items[l_name].service, bb);
    CHECK_INT(a.bills.items[l_vas].service, LINK_VAS);
    CHECK_INT(a.bills.items[l_disc].service, bb);
    CHECK_INT(a.bills.items[l_disc].cls, CL_RECURRING);
    CHECK_INT(a.bills.items[l_pool].service, bb);
    CHECK_INT(a.bills.items[l_pool].cls, CL_OTHER);
    CHECK_INT(a.bills.items[l_pen].service, bb);
    CHECK_INT(a.bills.items[l_pen2].service, plan);
    CHECK_INT(a.bills.items[l_voice].cls, CL_VOICE);
    audit_free(&a);
}

extern const rule_t rule_price_mismatch, rule_unused_period, rule_post_cancellation;

/* After the number's cancellation, post-cancellation claims every non-penalty line:
 * the broadband's price is not judged again by price-mismatch. */
TEST(rules_plan_cancellation_claims_broadband)
{
    audit_t a;
    setup(&a);
    int plan = add_service(&a, "5G畅享套餐58元", SVC_MOBILE, "58.00");
    add_service(&a, "家庭宽带200M", SVC_BROADBAND, "50.00");
    a.acct.services.items[plan].cancelled = days_from_civil(2025, 2, 10);
    add_line(&a, "套餐及固定费", "5G畅享套餐58元月基本费", "58.00");
    add_line(&a, "套餐及固定费", "家庭宽带200M月使用费", "80.00");
    add_line(&a, "其他费用", "提前解约违约金", "100.00");
    audit_prepare(&a);
    rule_price_mismatch.run(&a);
    rule_unused_period.run(&a);
    CHECK_INT(a.findings.n, 0);
    rule_post_cancellation.run(&a);
    CHECK_INT(a.findings.n, 1);
    if (a.findings.n)
        CHECK_INT(a.findings.items[0].amount, 13800);
    audit_free(&a);
}
