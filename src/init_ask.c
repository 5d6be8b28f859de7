/* billaudit init on a terminal: one short question at a time, in Chinese, only for
 * what the files cannot tell or where they disagree. Every question shows the value
 * that Enter accepts; "-" leaves a field out. End of input accepts every default and
 * leaves unanswered consent questions unknown (as --yes would). */
#include "init.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *in, *out;
    int eof;
} tty_t;

#define TRIES 3

/* The answer typed (trimmed, owned), or NULL at end of input. */
static char *ask_line(tty_t *t, const char *q, const char *shown)
{
    fprintf(t->out, "%s [%s] ", q, shown);
    fflush(t->out);
    char buf[1024];
    if (t->eof || !fgets(buf, sizeof buf, t->in)) {
        t->eof = 1;
        fputc('\n', t->out);
        return NULL;
    }
    if (!strchr(buf, '\n')) { /* an over-long line: drop the rest */
        int c;
        while ((c = fgetc(t->in)) != EOF && c != '\n')
            ;
    }
    str_trim(buf);
    if (utf8_valid_prefix((const unsigned char *)buf, strlen(buf)) != strlen(buf))
        buf[0] = 0; /* not UTF-8: treated as no answer */
    return xstrdup(buf);
}

static int is_skip(const char *s)
{
    return !strcmp(s, "-") || !strcmp(s, "无") || !strcmp(s, "没有");
}

/* Text; *v keeps its value on Enter, becomes NULL on "-". */
static void ask_text(tty_t *t, const char *q, char **v)
{
    char *ans = ask_line(t, q, *v ? *v : "回车跳过");
    if (ans && *ans) {
        free(*v);
        *v = is_skip(ans) ? NULL : xstrdup(ans);
    }
    free(ans);
}

/* 1 yes, 0 no, -1 end of input. */
static int ask_yes(tty_t *t, const char *q, int def)
{
    static const char *const yes[] = {"y", "Y", "yes", "是", "是的", "对", "有", "订过", "1", NULL};
    static const char *const no[] = {"n",    "N",  "no", "否", "不", "不是",
                                     "没有", "无", "没", "0",  NULL};
    for (int i = 0; i < TRIES; i++) {
        char *ans = ask_line(t, q, def ? "Y/n" : "y/N");
        if (!ans)
            return -1;
        int r = *ans ? -2 : def;
        for (int k = 0; r == -2 && yes[k]; k++)
            if (!strcmp(ans, yes[k]))
                r = 1;
        for (int k = 0; r == -2 && no[k]; k++)
            if (!strcmp(ans, no[k]))
                r = 0;
        free(ans);
        if (r != -2)
            return r;
        fprintf(t->out, "请回答 y（是）或 n（否）。\n");
    }
    return def;
}

/* An amount in yuan; Enter keeps the value, "-" clears it. */
static void ask_money(tty_t *t, const char *q, int *has, fen_t *v)
{
    for (int i = 0; i < TRIES; i++) {
        char shown[32];
        char *ans = ask_line(t, q, *has ? money_fmt(*v, shown) : "回车跳过");
        if (!ans || !*ans) {
            free(ans);
            return;
        }
        fen_t f;
        const char *why;
        int ok = is_skip(ans) || (money_parse(ans, &f, &why) == MONEY_OK && f >= 0);
        if (ok && is_skip(ans))
            *has = 0;
        else if (ok)
            *has = 1, *v = f;
        free(ans);
        if (ok)
            return;
        fprintf(t->out, "请输入金额（元），例如 19.00。\n");
    }
}

static int parse_day(const char *s, day_t *out)
{
    dt_t d;
    if (dt_parse(s, &d) != 0 || !d.has_year)
        return -1;
    *out = days_from_civil(d.y, d.m, d.d);
    return 0;
}

/* A date; Enter keeps *v (NO_DAY = none), "-" clears. */
static void ask_date(tty_t *t, const char *q, const char *none, day_t *v)
{
    for (int i = 0; i < TRIES; i++) {
        char shown[16];
        char *ans = ask_line(t, q, *v != NO_DAY ? day_fmt(*v, shown) : none);
        if (!ans || !*ans) {
            free(ans);
            return;
        }
        day_t d;
        int ok = is_skip(ans) || parse_day(ans, &d) == 0;
        if (ok)
            *v = is_skip(ans) ? NO_DAY : d;
        free(ans);
        if (ok)
            return;
        fprintf(t->out, "请按 年-月-日 输入，例如 2023-06-05。\n");
    }
}

/* ---- the questions ---- */

static void ask_fact(tty_t *t, ifact_t *f, const char *what, const char *q, int operator)
{
    if (f->value && !ifact_conflict(f))
        return;
    sbuf_t b = {0};
    if (ifact_conflict(f)) {
        sb_addf(&b, "文件里的%s不一致：", what);
        for (size_t i = 0; i < f->seen.n; i++) {
            const char *v = f->seen.items[i].value;
            const char *shown = operator&& init_operator_label(v) ? init_operator_label(v) : v;
            sb_addf(&b, "%s%s（%s）", i ? "、" : "", shown, f->seen.items[i].source);
        }
        sb_add(&b, "。");
    }
    sb_add(&b, q);
    char *cur = f->value ? xstrdup(operator? init_operator_label(f->value) : f->value) : NULL;
    for (int i = 0; i < TRIES; i++) {
        char *ans = cur ? xstrdup(cur) : NULL;
        ask_text(t, b.p, &ans);
        const char *v = ans && operator? init_operator_id(ans) : ans;
        if (ans && operator&& !v) {
            free(ans);
            fprintf(t->out, "请回答 移动、电信 或 联通。\n");
            continue;
        }
        ifact_set(f, v);
        free(ans);
        break;
    }
    free(cur);
    sb_free(&b);
}

/* "19.00元（8个月）、29.00元（2023-07, 2023-08）" */
static void fee_list(sbuf_t *b, const isvc_t *s)
{
    for (size_t i = 0; i < s->fees.n; i++) {
        const ifee_t *f = &s->fees.items[i];
        char m[32];
        if (f->months > 2)
            sb_addf(b, "%s%s元（%d个月）", i ? "、" : "", money_fmt(f->fee, m), f->months);
        else
            sb_addf(b, "%s%s元（%s）", i ? "、" : "", money_fmt(f->fee, m), f->month_list);
    }
}

static void ask_fee(tty_t *t, isvc_t *s, const char *what)
{
    if (s->fees.n < 2)
        return;
    sbuf_t b = {0};
    sb_addf(&b, "%s「%s」各月收费不同：", what, s->name);
    fee_list(&b, s);
    sb_add(&b, "。合同约定的月费是多少元？");
    int has = s->has_fee;
    fen_t fee = s->fee;
    ask_money(t, b.p, &has, &fee);
    isvc_set_fee(s, has, fee);
    sb_free(&b);
}

static void ask_plan(tty_t *t, draft_t *d)
{
    if (d->has_plan) {
        ask_fee(t, &d->plan, "套餐");
        return;
    }
    char *name = NULL;
    ask_text(t, "账单里没找到套餐月费。您的套餐名称？", &name);
    if (!name)
        return;
    memset(&d->plan, 0, sizeof d->plan);
    d->plan.kind = SVC_MOBILE;
    d->plan.name = name;
    d->plan.start = d->plan.end = d->plan.cancelled = NO_DAY;
    d->plan.penalty_month = NO_YM;
    d->has_plan = 1;
    ask_money(t, "套餐月费（元）？", &d->plan.has_fee, &d->plan.fee);
}

/* "（账单：2023-03 至 2023-08 收费，之后不再收费；2023-06 收违约金 271.00元）" */
static void billing_hint(sbuf_t *b, const draft_t *d, const isvc_t *s)
{
    char f[16], l[16], p[32];
    sb_addf(b, "（账单：%s 至 %s 收费", ym_fmt(s->first, f), ym_fmt(s->last, l));
    if (s->last < d->bill_to)
        sb_add(b, "，之后不再收费");
    if (s->penalty_month != NO_YM)
        sb_addf(b, "；%s 收违约金 %s元", ym_fmt(s->penalty_month, f), money_fmt(s->penalty, p));
    sb_add(b, "）");
}

/* How a cancellation was requested: what the letters cite beside the operator's records. */
static void ask_cancel_record(tty_t *t, isvc_t *s, const char *what)
{
    if (s->cancelled == NO_DAY)
        return;
    char q[512];
    snprintf(q, sizeof q, "%s是通过什么渠道申请的？如 10086、营业厅、App。", what);
    ask_text(t, q, &s->cancel_channel);
    snprintf(q, sizeof q, "%s申请的工单号或受理编号？", what);
    ask_text(t, q, &s->cancel_reference);
}

static void ask_broadband(tty_t *t, draft_t *d, isvc_t *s)
{
    ask_fee(t, s, "宽带");
    sbuf_t b = {0};
    if (!s->account) {
        sb_addf(&b, "宽带「%s」的宽带账号？", s->name);
        ask_text(t, b.p, &s->account);
        sb_clear(&b);
    }
    sb_addf(&b, "宽带「%s」申请过拆机或退订吗？", s->name);
    billing_hint(&b, d, s);
    sb_add(&b, "有就输入申请日期，如 2023-06-05。");
    ask_date(t, b.p, "没有", &s->cancelled);
    sb_clear(&b);
    sb_addf(&b, "宽带「%s」的拆机", s->name);
    ask_cancel_record(t, s, b.p);
    sb_clear(&b);
    sb_addf(&b, "宽带「%s」的合约到期日？如 2025-01-31。", s->name);
    ask_date(t, b.p, "回车跳过", &s->end);
    sb_free(&b);
}

static void ask_plan_dates(tty_t *t, draft_t *d)
{
    if (!d->has_plan)
        return;
    ask_date(t, "号码申请过销户（销号）吗？有就输入申请日期。", "没有", &d->plan.cancelled);
    ask_cancel_record(t, &d->plan, "销户");
    if (d->plan.penalty_month == NO_YM && d->plan.cancelled == NO_DAY)
        return;
    sbuf_t b = {0};
    sb_add(&b, "套餐的合约到期日？");
    if (d->plan.penalty_month != NO_YM) {
        char m[16], p[32];
        sb_addf(&b, "（账单：%s 收违约金 %s元）", ym_fmt(d->plan.penalty_month, m),
                money_fmt(d->plan.penalty, p));
    }
    ask_date(t, b.p, "回车跳过", &d->plan.end);
    sb_free(&b);
}

static int ask_one_suspension(tty_t *t, draft_t *d, int again)
{
    const char *q =
        again ? "还有别的停机或暂停时段吗？有就输入起止日期。"
        : d->broadband.n
            ? "号码或宽带办理过停机保号或暂停吗？有就输入起止日期，如 2024-06-01 至 2024-07-31。"
            : "号码办理过停机保号吗？有就输入起止日期，如 2024-06-01 至 2024-07-31。";
    for (int i = 0; i < TRIES; i++) {
        char *ans = ask_line(t, q, "没有");
        if (!ans || !*ans || is_skip(ans)) {
            free(ans);
            return 0;
        }
        day_t from, to;
        int n = date_range_scan(ans, &from, &to);
        free(ans);
        if (n == 2 && from <= to) {
            isusp_t s = {-1, from, to, 0, 0};
            if (d->broadband.n) {
                sbuf_t b = {0};
                sb_add(&b, "暂停的是哪项？0 号码（套餐）");
                for (size_t k = 0; k < d->broadband.n; k++)
                    sb_addf(&b, "　%zu 宽带「%s」", k + 1, d->broadband.items[k].name);
                char *which = ask_line(t, b.p, "0");
                int w = which && *which ? atoi(which) : 0;
                s.svc = w >= 1 && (size_t)w <= d->broadband.n ? w - 1 : -1;
                free(which);
                sb_free(&b);
            }
            s.has_allowed = 1;
            ask_money(t, "停机期间每月允许收多少元（如停机保号费 5.00）？", &s.has_allowed,
                      &s.allowed);
            VEC_PUSH(d->suspensions, s);
            return 1;
        }
        fprintf(t->out, "请输入两个日期，例如 2024-06-01 至 2024-07-31。\n");
    }
    return 0;
}

static void ask_suspensions(tty_t *t, draft_t *d)
{
    for (int n = 0; n < 8 && ask_one_suspension(t, d, n > 0); n++)
        ;
}

static void ask_subscriptions(tty_t *t, draft_t *d)
{
    if (!d->vas.n)
        return;
    fprintf(t->out, "账单里有下面这些增值业务、代收费或功能费。没订购过的会列为争议扣费。\n");
    int answered = 1;
    for (size_t i = 0; i < d->vas.n; i++) {
        ivas_t *v = &d->vas.items[i];
        char fee[32], q[512];
        int most = v->months * 2 > d->bill_months;
        if (v->months == d->bill_months && v->months > 1)
            snprintf(q, sizeof q, "「%s」%s元，%d个月的账单都有。您订购过吗？", v->name,
                     money_fmt(v->usual, fee), v->months);
        else
            snprintf(q, sizeof q, "「%s」%s元，%d个月账单里有%d个月收费。您订购过吗？", v->name,
                     money_fmt(v->usual, fee), d->bill_months, v->months);
        v->agreed = ask_yes(t, q, most);
        if (v->agreed < 0)
            answered = 0;
    }
    d->subs_known = answered;
}

static const char *const kind_label[U_NKINDS] = {"通话记录", "上网记录", "短信记录", "增值业务记录",
                                                 "宽带上网记录"};

static void ask_coverage(tty_t *t, draft_t *d)
{
    for (size_t i = 0; i < d->undeclared.n; i++) {
        const iundecl_t *u = &d->undeclared.items[i];
        char f[16], l[16], q[1024];
        snprintf(q, sizeof q,
                 "「%s」（%s）没写查询时段，记录从 %s 到 %s。这几个月的记录是完整的吗？",
                 name_shown(u->path), kind_label[u->kind], ym_fmt(u->from, f), ym_fmt(u->to, l));
        if (ask_yes(t, q, 0) != 1)
            continue;
        /* usage_coverage holds for every kind: keep only months every "yes" covers. */
        if (d->cov_from == NO_YM || u->from > d->cov_from)
            d->cov_from = u->from;
        if (d->cov_to == NO_YM || u->to < d->cov_to)
            d->cov_to = u->to;
    }
    if (d->cov_from != NO_YM && d->cov_from > d->cov_to)
        d->cov_from = d->cov_to = NO_YM;
}

/* A complaint already made to the operator: an appeal needs its date, channel and
 * reference (AP-10(四), AP-13). */
static void ask_complaint(tty_t *t, draft_t *d)
{
    ask_date(t, "就这些收费向运营商投诉过吗？有就输入投诉日期。", "没有", &d->op_date);
    if (d->op_date == NO_DAY)
        return;
    ask_text(t, "投诉渠道？如 10086 热线、App、营业厅。", &d->op_channel);
    ask_text(t, "投诉的工单号或投诉编号？", &d->op_reference);
    ask_date(t, "运营商答复了吗？有就输入答复日期。", "没有", &d->op_reply_date);
    if (d->op_reply_date != NO_DAY)
        ask_text(t, "答复的内容（简要）？", &d->op_reply);
}

static void ask_letters(tty_t *t, draft_t *d)
{
    fprintf(t->out, "以下用于投诉信，可回车跳过。\n");
    ask_text(t, "号码归属省份？如 广东。", &d->province);
    ask_text(t, "通信地址？", &d->address);
    for (int i = 0; i < TRIES; i++) {
        ask_text(t, "邮编？", &d->postcode);
        if (!d->postcode || (strlen(d->postcode) == 6 && strspn(d->postcode, "0123456789") == 6))
            break;
        fprintf(t->out, "邮编是 6 位数字。\n");
        free(d->postcode);
        d->postcode = NULL;
    }
    ask_text(t, "联系电话？", &d->phone);
    ask_complaint(t, d);
    ask_text(t, "运营商（被申诉人）的地址？如账单、合同或发票所载。", &d->respondent_address);
}

int draft_ask(draft_t *d, FILE *in, FILE *out)
{
    tty_t t = {in, out, 0};
    fprintf(out,
            "根据 %d 个文件起草账户资料，只问文件里看不出的事。\n"
            "直接回车接受方括号里的值，输入 - 表示不填。\n",
            d->files);
    ask_fact(&t, &d->operator_id, "运营商", "运营商？（移动、电信或联通）", 1);
    ask_fact(&t, &d->number, "号码", "手机号码？", 0);
    free(d->phone); /* the contact phone defaults to the number */
    d->phone = d->number.value ? xstrdup(d->number.value) : NULL;
    ask_fact(&t, &d->holder, "机主姓名", "机主姓名？", 0);
    ask_plan(&t, d);
    for (size_t i = 0; i < d->broadband.n; i++)
        ask_broadband(&t, d, &d->broadband.items[i]);
    ask_plan_dates(&t, d);
    ask_suspensions(&t, d);
    ask_subscriptions(&t, d);
    ask_coverage(&t, d);
    ask_letters(&t, d);
    return t.eof ? -1 : 0;
}
