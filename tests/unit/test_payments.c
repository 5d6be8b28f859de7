/* Payments: face values, numbers named in items, status words, ids,
 * de-duplication, refund links, and the payment-not-credited rule on a
 * hand-built audit. */
#include "payments.h"
#include "rule.h"
#include "unit.h"
#include <stdlib.h>

TEST(pay_face_value)
{
    fen_t v = 0;
    CHECK(pay_face_value("为139****5678充值50.00元", &v) && v == 5000);
    CHECK(pay_face_value("为155****1234交费20.00元", &v) && v == 2000);
    CHECK(pay_face_value("100元话费", &v) && v == 10000);
    CHECK(pay_face_value("50元", &v) && v == 5000);
    CHECK(pay_face_value("手机充值100元-199****1404", &v) && v == 10000);
    CHECK(pay_face_value("话费充值 １００元", &v) && v == 10000);
    CHECK(pay_face_value("充值 1,000.00 元", &v) && v == 100000);
    CHECK(pay_face_value("话费充值 ¥100", &v) && v == 10000);
    CHECK(pay_face_value("￥50.00话费", &v) && v == 5000);
    CHECK(pay_face_value("话费充值 ¥ 30 139****5678", &v) && v == 3000);
    CHECK(!pay_face_value("话费充值", &v));
    CHECK(!pay_face_value("话费充值 139****5678", &v));
    CHECK(!pay_face_value("手机充值 13912345678", &v));
    CHECK(!pay_face_value("", &v));
    CHECK(!pay_face_value(NULL, &v));
}

TEST(pay_number_check)
{
    const char *me = "13912345678";
    CHECK_INT(pay_number_check("话费充值 139****5678", me), NUM_MATCH);
    CHECK_INT(pay_number_check("为139****5678充值50.00元", me), NUM_MATCH);
    CHECK_INT(pay_number_check("手机充值 13912345678", me), NUM_MATCH);
    CHECK_INT(pay_number_check("尾号5678话费充值", me), NUM_MATCH);
    CHECK_INT(pay_number_check("话费充值5678", me), NUM_MATCH);
    CHECK_INT(pay_number_check("话费充值", me), NUM_NONE);
    CHECK_INT(pay_number_check("话费充值100元", me), NUM_NONE);
    CHECK_INT(pay_number_check("充值2025年3月", me), NUM_NONE);
    CHECK_INT(pay_number_check("为199****2515充值100.00元", "19921511404"), NUM_OTHER);
    CHECK_INT(pay_number_check("为199****1404充值100.00元", "19921511404"), NUM_MATCH);
    CHECK_INT(pay_number_check("手机充值 13800001111", me), NUM_OTHER);
    CHECK_INT(pay_number_check("尾号1111充值", me), NUM_OTHER);
    CHECK_INT(pay_number_check("订单CZ13800001111话费", me), NUM_NONE);
    CHECK_INT(pay_number_check("充值50元13912345678", me), NUM_MATCH);
    CHECK_INT(pay_number_check("充值50元13800001111", me), NUM_OTHER);
    CHECK_INT(pay_number_check("尾号：5678 充值", me), NUM_MATCH);
    CHECK_INT(pay_number_check("Y13912345678", me), NUM_NONE);
    CHECK_INT(pay_number_check("话费充值 ０２５８８８８１２３４", "02588881234"), NUM_MATCH);
    /* Without the account's number a named number cannot be checked. */
    CHECK_INT(pay_number_check("话费充值 139****5678", NULL), NUM_OTHER);
    CHECK_INT(pay_number_check("话费充值", NULL), NUM_NONE);
    CHECK(pay_number_matches("13912345678", "139****5678"));
    CHECK(!pay_number_matches("13912345678", "138****5678"));
    CHECK(pay_number_matches("+86 139 1234 5678", "13912345678"));
    CHECK(!pay_number_matches("13912345678", "***"));
}

TEST(pay_ids)
{
    CHECK(pay_id_usable("4200002588202503080941270003"));
    CHECK(pay_id_usable("2025041222001400001111222233_2025041300"));
    CHECK(!pay_id_usable("4.2E+27"));
    CHECK(!pay_id_usable("4.20000258820250E+27"));
    CHECK(!pay_id_usable("4200002588202500000000000000"));
    CHECK(!pay_id_usable("/"));
    CHECK(!pay_id_usable(""));
    CHECK(!pay_id_usable(NULL));
    char *id = pay_id_dup("4.2E+27");
    CHECK(id == NULL);
    id = pay_id_dup(" 123\t");
    CHECK_STR(id, "123");
    free(id);
}

TEST(pay_status_words)
{
    pay_state_t s = wechat_state("支出", "商户消费", "支付成功");
    CHECK(s.dir == DIR_OUT && s.status == PAY_COMPLETED && s.refunded == 0);
    s = wechat_state("支出", "转账", "对方已收钱");
    CHECK(s.status == PAY_COMPLETED);
    s = wechat_state("支出", "商户消费", "已全额退款");
    CHECK(s.status == PAY_CLOSED);
    s = wechat_state("支出", "商户消费", "已退款(¥2.00)");
    CHECK(s.status == PAY_COMPLETED && s.refunded == 200);
    s = wechat_state("支出", "商户消费", "已退款¥10.00");
    CHECK(s.status == PAY_COMPLETED && s.refunded == 1000);
    s = wechat_state("收入", "退款", "已退款");
    CHECK(s.status == PAY_REFUND && s.dir == DIR_IN);
    s = wechat_state("收入", "美团-退款", "已到账");
    CHECK(s.status == PAY_REFUND);
    s = wechat_state("/", "零钱提现", "提现已到账");
    CHECK(s.dir == DIR_NEUTRAL && s.status == PAY_OTHER);
    s = wechat_state("收入", "微信红包", "已存入零钱");
    CHECK(s.dir == DIR_IN && s.status == PAY_OTHER);

    s = alipay_state("支出", "充值缴费", "为139****5678充值50.00元", "交易成功", "2025");
    CHECK(s.dir == DIR_OUT && s.status == PAY_COMPLETED);
    s = alipay_state("支出", "充值缴费", "x", "等待确认收货", "1");
    CHECK(s.status == PAY_COMPLETED);
    s = alipay_state("支出", "充值缴费", "x", "交易关闭", "1");
    CHECK(s.status == PAY_CLOSED);
    s = alipay_state("不计收支", "退款", "退款-日用品", "退款成功", "1_2");
    CHECK(s.status == PAY_REFUND && s.dir == DIR_IN);
    s = alipay_state("收入", "其他", "退款-日用品", "交易成功", "1_2");
    CHECK(s.status == PAY_REFUND);
    s = alipay_state("不计收支", "投资理财", "余额宝", "交易成功", "9");
    CHECK(s.status == PAY_OTHER);
}

TEST(pay_header_norm)
{
    char b[64];
    pay_header_norm(" 金额（元） ", b, sizeof b);
    CHECK_STR(b, "金额");
    pay_header_norm("交易时间            ", b, sizeof b);
    CHECK_STR(b, "交易时间");
    pay_header_norm("收/付款方式", b, sizeof b);
    CHECK_STR(b, "收/付款方式");
}

TEST(pay_operator_and_topup)
{
    CHECK_STR(pay_operator_of("中国移动"), "china-mobile");
    CHECK_STR(pay_operator_of("中国移动通信集团江苏有限公司"), "china-mobile");
    CHECK_STR(pay_operator_of("中国联合网络通信有限公司广东省分公司"), "china-unicom");
    CHECK_STR(pay_operator_of("翼支付"), "china-telecom");
    CHECK_STR(pay_operator_of("jscmcc***@ChinaMobile.com"), "china-mobile");
    CHECK_STR(pay_operator_of("gdtelecom***@189.cn"), "china-telecom");
    CHECK(pay_operator_of("12306") == NULL);
    CHECK(pay_operator_of("瑞幸咖啡") == NULL);
    CHECK(pay_operator_of("/") == NULL);
    CHECK(pay_operator_of("1891234") == NULL);
    CHECK(pay_is_topup("话费充值"));
    CHECK(pay_is_topup("为139****5678充值50.00元"));
    CHECK(pay_is_topup("宽带缴费"));
    CHECK(!pay_is_topup("生椰拿铁"));
    CHECK(!pay_is_topup("/"));
}

/* ---- a hand-built audit ---- */

static int add_source(audit_t *a, const char *path, const char *format, day_t from, day_t to)
{
    source_t s;
    memset(&s, 0, sizeof s);
    s.path = xstrdup(path);
    s.format = format;
    s.from = s.to = s.bill_from = s.bill_to = NO_YM;
    s.decl_from = from;
    s.decl_to = to;
    s.exported = NO_DAY;
    s.duplicate_of = -1;
    s.ukind = -1;
    s.decl.src = (int)a->sources.n;
    if (from != NO_DAY) {
        s.decl.line = 2;
        s.decl.text = xstrdup("查询时段：…");
    }
    VEC_PUSH(a->sources, s);
    return (int)a->sources.n - 1;
}

static ts_t at(int y, int m, int d, int hh, int mi, int ss)
{
    return (ts_t)days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss;
}

static payment_t *add_pay(audit_t *a, int src, long line, ts_t t, fen_t amount, const char *party,
                          const char *item, const char *txid)
{
    payment_t p;
    memset(&p, 0, sizeof p);
    p.time = t;
    p.dir = DIR_OUT;
    p.status = PAY_COMPLETED;
    p.amount = amount;
    strpool_t *sp = &a->strings; /* the audit frees record strings */
    p.counterparty = strpool_intern(sp, party);
    p.account = strpool_intern(sp, "");
    p.item = strpool_intern(sp, item);
    p.method = strpool_intern(sp, "");
    p.txid = txid ? strpool_copy(sp, txid) : NULL;
    p.wallet = "alipay";
    char *raw = xasprintf("line %ld of %d", line, src);
    p.prov = (prov_t){src, line, strpool_copy(sp, raw), 0};
    free(raw);
    VEC_PUSH(a->payments, p);
    return &a->payments.items[a->payments.n - 1];
}

static void add_credit(audit_t *a, int src, long line, ts_t t, fen_t amount, const char *txid)
{
    credit_t c;
    memset(&c, 0, sizeof c);
    c.time = t;
    c.amount = amount;
    c.ok = 1;
    c.txid = txid ? strpool_copy(&a->strings, txid) : NULL;
    c.channel = strpool_intern(&a->strings, "");
    c.method = strpool_intern(&a->strings, "");
    char *raw = xasprintf("credit %ld", line);
    c.prov = (prov_t){src, line, strpool_copy(&a->strings, raw), 0};
    free(raw);
    VEC_PUSH(a->credits, c);
}

extern const rule_t rule_payment_not_credited;

static void setup(audit_t *a)
{
    audit_init(a);
    a->acct.loaded = 1;
    a->acct.number = xstrdup("13912345678");
    a->acct.operator_id = xstrdup("china-mobile");
}

TEST(pay_dedup_and_refunds)
{
    audit_t a;
    setup(&a);
    int w1 = add_source(&a, "a.csv", "alipay", NO_DAY, NO_DAY);
    int w2 = add_source(&a, "b.csv", "alipay", NO_DAY, NO_DAY);
    add_pay(&a, w1, 10, at(2025, 4, 20, 9, 15, 2), 4950, "中国移动", "充值50元", "111");
    add_pay(&a, w2, 11, at(2025, 4, 20, 9, 15, 2), 4950, "中国移动", "充值50元", "111");
    /* Excel re-save: the id mangled, the seconds lost. */
    add_pay(&a, w1, 12, at(2025, 4, 21, 10, 0, 27), 5000, "中国移动", "话费", "4200001");
    add_pay(&a, w2, 13, at(2025, 4, 21, 10, 0, 0), 5000, "中国移动 ", "话费", NULL);
    /* Two real top-ups in one file at the same minute stay two. */
    add_pay(&a, w1, 14, at(2025, 4, 22, 8, 0, 0), 1000, "中国移动", "话费", NULL);
    add_pay(&a, w1, 15, at(2025, 4, 22, 8, 0, 0), 1000, "中国移动", "话费", NULL);
    /* A partial refund row linked by id prefix. */
    add_pay(&a, w1, 16, at(2025, 4, 23, 8, 0, 0), 3000, "中国移动", "话费", "777");
    payment_t *r =
        add_pay(&a, w1, 17, at(2025, 4, 24, 8, 0, 0), 1000, "中国移动", "退款-话费", "777_01");
    r->status = PAY_REFUND;
    r->dir = DIR_IN;
    payments_prepare(&a);
    payments_prepare(&a); /* idempotent */
    CHECK(!a.payments.items[0].dup && a.payments.items[1].dup);
    CHECK(!a.payments.items[2].dup && a.payments.items[3].dup);
    CHECK(!a.payments.items[4].dup && !a.payments.items[5].dup);
    CHECK_INT(a.payments.items[6].refunded, 1000);
    fen_t owed = 0;
    CHECK(payment_is_topup_for_account(&a, &a.payments.items[6], &owed) && owed == 2000);
    CHECK(payment_is_topup_for_account(&a, &a.payments.items[0], &owed) && owed == 5000);
    CHECK(!payment_is_topup_for_account(&a, &a.payments.items[1], &owed));
    audit_free(&a);
}

TEST(pay_rule_matching)
{
    audit_t a;
    setup(&a);
    int h = add_source(&a, "h.csv", "operator-payments", days_from_civil(2025, 3, 1),
                       days_from_civil(2025, 5, 31));
    int w = add_source(&a, "w.csv", "wechat-pay", NO_DAY, NO_DAY);
    /* credited two days later: no finding */
    add_pay(&a, w, 1, at(2025, 3, 8, 9, 41, 27), 10000, "中国移动", "话费充值 139****5678", "a1");
    add_credit(&a, h, 5, at(2025, 3, 10, 8, 0, 0), 10000, NULL);
    /* paid 49.50, credited 50.00: no finding */
    add_pay(&a, w, 2, at(2025, 4, 20, 9, 15, 2), 4950, "中国移动", "为139****5678充值50.00元",
            "a2");
    add_credit(&a, h, 6, at(2025, 4, 20, 9, 15, 6), 5000, NULL);
    /* credited four days later: finding */
    add_pay(&a, w, 3, at(2025, 5, 1, 23, 59, 0), 3000, "中国移动", "话费充值", "a3");
    add_credit(&a, h, 7, at(2025, 5, 5, 0, 1, 0), 3000, NULL);
    /* another number: no finding */
    add_pay(&a, w, 4, at(2025, 5, 2, 9, 0, 0), 2000, "中国移动", "为138****0000充值20元", "a4");
    /* closed: no finding */
    payment_t *p = add_pay(&a, w, 5, at(2025, 5, 3, 9, 0, 0), 2500, "中国移动", "话费", "a5");
    p->status = PAY_CLOSED;
    /* window not covered (2025-05-30 .. 06-02): no finding */
    add_pay(&a, w, 6, at(2025, 5, 30, 9, 0, 0), 6000, "中国移动", "话费", "a6");
    /* a payment to another operator: not this account's */
    add_pay(&a, w, 7, at(2025, 5, 4, 9, 0, 0), 7000, "中国电信", "话费", "a7");
    /* two equal payments, one credit: one finding */
    add_pay(&a, w, 8, at(2025, 5, 10, 9, 0, 0), 1000, "中国移动", "话费", "a8");
    add_pay(&a, w, 9, at(2025, 5, 10, 9, 5, 0), 1000, "中国移动", "话费", "a9");
    add_credit(&a, h, 8, at(2025, 5, 11, 9, 0, 0), 1000, NULL);
    CHECK(rule_payment_not_credited.needs(&a) == NULL);
    rule_payment_not_credited.run(&a);
    CHECK_INT(a.findings.n, 2);
    if (a.findings.n == 2) {
        finding_t *f = &a.findings.items[0];
        CHECK_INT(f->amount, 3000);
        CHECK_INT(f->period, ym_make(2025, 5));
        CHECK_INT(f->evidence.n, 2);
        CHECK_INT(f->evidence.items[0].line, 3);
        CHECK_INT(f->evidence.items[1].line, 2); /* the declared period */
        f = &a.findings.items[1];
        CHECK_INT(f->amount, 1000);
        CHECK_INT(f->evidence.items[0].line, 9);
    }
    audit_free(&a);
}

TEST(pay_rule_needs_history)
{
    audit_t a;
    setup(&a);
    add_source(&a, "w.csv", "wechat-pay", NO_DAY, NO_DAY);
    CHECK(rule_payment_not_credited.needs(&a) != NULL);
    audit_free(&a);
}

TEST(pay_rule_coverage_from_records)
{
    audit_t a;
    setup(&a);
    int h = add_source(&a, "h.csv", "operator-payments", NO_DAY, NO_DAY);
    int w = add_source(&a, "w.csv", "alipay", NO_DAY, NO_DAY);
    add_credit(&a, h, 3, at(2025, 1, 1, 8, 0, 0), 5000, NULL);
    add_credit(&a, h, 4, at(2025, 1, 31, 8, 0, 0), 5000, NULL);
    add_pay(&a, w, 1, at(2025, 1, 10, 9, 0, 0), 2000, "中国移动", "话费", "b1");
    add_pay(&a, w, 2, at(2025, 1, 29, 9, 0, 0), 2000, "中国移动", "话费", "b2");
    rule_payment_not_credited.run(&a);
    CHECK_INT(a.findings.n, 1);
    if (a.findings.n == 1) {
        CHECK_INT(a.findings.items[0].evidence.n, 3); /* payment + first + last credit */
        CHECK_INT(a.findings.items[0].evidence.items[1].line, 3);
        CHECK_INT(a.findings.items[0].evidence.items[2].line, 4);
    }
    audit_free(&a);
}

TEST(pay_rule_reversal)
{
    audit_t a;
    setup(&a);
    int h = add_source(&a, "h.csv", "operator-payments", days_from_civil(2025, 6, 1),
                       days_from_civil(2025, 6, 30));
    int w = add_source(&a, "w.csv", "wechat-pay", NO_DAY, NO_DAY);
    add_pay(&a, w, 1, at(2025, 6, 10, 9, 0, 0), 10000, "中国移动", "话费充值", "c1");
    add_credit(&a, h, 5, at(2025, 6, 10, 9, 0, 5), 10000, NULL);
    add_credit(&a, h, 6, at(2025, 6, 11, 9, 0, 0), -10000, NULL); /* 冲正: taken back */
    rule_payment_not_credited.run(&a);
    CHECK_INT(a.findings.n, 1);
    audit_free(&a);
}
