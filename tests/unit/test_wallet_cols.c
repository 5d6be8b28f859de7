/* Wallet header columns as data (parsers/wallet_cols.c, parsers/data/wallet-columns.tsv)
 * and the status words of rules/data/wallet-status.tsv. */
#include "../../parsers/wallet_cols.h"
#include "payments.h"
#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A row of cells split at '|'. */
static row_t wrow(const char *spec)
{
    row_t r = {0};
    char *copy = xstrdup(spec);
    r.cells = xcalloc(strlen(spec) + 2, sizeof *r.cells);
    for (char *tok = copy, *bar; tok; tok = bar) {
        bar = strchr(tok, '|');
        if (bar)
            *bar++ = 0;
        r.cells[r.n++] = xstrdup(tok);
    }
    free(copy);
    return r;
}

static void wrow_free(row_t *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->cells[i]);
    free(r->cells);
}

/* Payments read from an Alipay statement written to a temporary file. */
static size_t alipay_payments(const char *text, pay_status_t *first_status)
{
    char path[256];
    char *tmpl = unit_tmp_template("billaudit-wallet");
    snprintf(path, sizeof path, "%s", tmpl);
    free(tmpl);
    int fd = mkstemp(path);
    if (fd < 0)
        return (size_t)-1;
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    audit_t a;
    audit_init(&a);
    char *paths[] = {path};
    int saved = diag_quiet;
    diag_quiet = 1; /* "not recognised" is the expected outcome before the alias */
    if (ok)
        audit_load(&a, paths, 1);
    diag_quiet = saved;
    size_t n = a.payments.n;
    if (n)
        *first_status = a.payments.items[0].status;
    audit_free(&a);
    unlink(path);
    return n;
}

TEST(wallet_cols_find)
{
    wallet_cols_t c;
    row_t r = wrow(" 交易号 |交易创建时间|付款时间|交易对方|成功退款（元）|交易号");
    wallet_cols_find(&r, "alipay", &c);
    CHECK_INT(c.at[WF_TIME], 2); /* 付款时间, an alias of time */
    CHECK_INT(c.at[WF_CREATED], 1);
    CHECK_INT(c.at[WF_PARTY], 3);
    CHECK_INT(c.at[WF_TXID], 0);     /* the leftmost column naming the field */
    CHECK_INT(c.at[WF_REFUNDED], 4); /* the unit "(元)" is not part of the name */
    CHECK_INT(c.at[WF_STATUS], -1);
    static const wfield_t need[] = {WF_TIME, WF_PARTY}, more[] = {WF_TIME, WF_STATUS};
    CHECK(wallet_cols_all(&c, need, 2));
    CHECK(!wallet_cols_all(&c, more, 2));
    /* Aliases are per wallet: WeChat names the id 交易单号, not 交易号. */
    wallet_cols_find(&r, "wechat-pay", &c);
    CHECK_INT(c.at[WF_TIME], -1);
    CHECK_INT(c.at[WF_TXID], -1);
    CHECK_INT(c.at[WF_PARTY], 3);
    wrow_free(&r);
}

/* A new wallet column alias is one data line: a statement whose status column is
 * headed 状态 is not an Alipay statement until "alipay	status	状态" is added. */
TEST(wallet_alias_is_data)
{
    const char *csv = "交易时间,交易分类,交易对方,商品说明,收/支,金额,状态,交易订单号\n"
                      "2025-03-08 09:41:27,充值缴费,中国移动,话费充值,支出,50.00,交易成功,"
                      "2025030822001400001111222233\n";
    pay_status_t st = PAY_OTHER;
    CHECK_INT(alipay_payments(csv, &st), 0);
    CHECK_INT(wallet_cols_add_line("alipay\tstatus\t状态"), 0);
    CHECK_INT(alipay_payments(csv, &st), 1);
    CHECK_INT(st, PAY_COMPLETED);

    /* A malformed line is refused, a comment ignored; the embedded table comes back. */
    CHECK_INT(wallet_cols_add_line("alipay\tstatus"), -1);
    CHECK_INT(wallet_cols_add_line("alipay\tstate\t状态"), -1); /* no such field */
    CHECK_INT(wallet_cols_add_line("# alipay\tstatus\t状态态"), 0);
    wallet_cols_reset();
    CHECK_INT(alipay_payments(csv, &st), 0);
}

TEST(wallet_status_words)
{
    /* Exact, prefix ("已退款*"), suffix ("*-退款") and inside ("*已退还*") words. */
    CHECK(pay_word("wechat-pay", "status", "paid", "支付成功"));
    CHECK(!pay_word("wechat-pay", "status", "paid", "支付成功了"));
    CHECK(pay_word("wechat-pay", "status", "part-refunded", "已退款(¥2.00)"));
    CHECK(pay_word("wechat-pay", "type", "refund", "美团-退款"));
    CHECK(pay_word("wechat-pay", "status", "closed", "对方已退还"));
    /* Lines of one wallet do not count for the other; "*" lines count for both. */
    CHECK(!pay_word("alipay", "status", "paid", "已转账"));
    CHECK(pay_word("alipay", "dir", "out", "支出"));
    CHECK(pay_word("wechat-pay", "dir", NULL, "/"));
    CHECK(!pay_word(NULL, "dir", NULL, "/"));
    CHECK(!pay_word("alipay", "dir", "in", NULL));
}
