/* The timeline of a dispute (reports and letters): the contract's start and end, each
 * cancellation, each complaint with its reference and reply, the disputed months, the
 * deadlines and today, in date order. Dates from the profile are the user's statement;
 * deadlines are those of src/deadline.c, the one computation every output reads. */
#include "docctx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    EV_CONTRACT,
    EV_CANCEL,
    EV_COMPLAINT,
    EV_REPLY,
    EV_MONTH,
    EV_DEADLINE,
    EV_TODAY
} ev_kind_t;

typedef struct {
    day_t date;
    ev_kind_t kind;
    char *text;
} event_t;
typedef VEC(event_t) events_t;

static void add(events_t *v, day_t date, ev_kind_t kind, char *text)
{
    if (date == NO_DAY) {
        free(text);
        return;
    }
    event_t e = {date, kind, text};
    VEC_PUSH(*v, e);
}

static const char *to_name(const char *to)
{
    if (to && !strcmp(to, "miit"))
        return "电信用户申诉受理机构";
    if (to && !strcmp(to, "12315"))
        return "12315";
    return "运营商";
}

static void services(const audit_t *a, events_t *v)
{
    for (size_t i = 0; i < a->acct.services.n; i++) {
        const service_t *s = &a->acct.services.items[i];
        add(v, s->start, EV_CONTRACT, xasprintf("“%s”开始使用（合约开始）", s->name));
        add(v, s->end, EV_CONTRACT, xasprintf("“%s”合约期满", s->name));
        if (s->cancelled == NO_DAY)
            continue;
        sbuf_t b = {0};
        sb_addf(&b, "申请取消“%s”", s->name);
        if (s->cancel_channel && *s->cancel_channel)
            sb_addf(&b, "（%s", s->cancel_channel);
        if (s->cancel_reference && *s->cancel_reference)
            sb_addf(&b, "%s工单号%s", s->cancel_channel && *s->cancel_channel ? "，" : "（",
                    s->cancel_reference);
        if ((s->cancel_channel && *s->cancel_channel) ||
            (s->cancel_reference && *s->cancel_reference))
            sb_add(&b, "）");
        add(v, s->cancelled, EV_CANCEL, sb_take(&b));
    }
}

static void complaints(const doc_t *d, events_t *v)
{
    const account_t *ac = &d->a->acct;
    for (size_t i = 0; i < ac->complaints.n; i++) {
        const complaint_t *c = &ac->complaints.items[i];
        sbuf_t b = {0};
        sb_addf(&b, "向%s投诉", to_name(c->to));
        int ch = c->channel && *c->channel, ref = c->reference && *c->reference;
        if (ch || ref) {
            sb_add(&b, "（");
            if (ch)
                sb_addf(&b, "渠道：%s", c->channel);
            if (ref)
                sb_addf(&b, "%s工单号：%s", ch ? "，" : "", c->reference);
            sb_add(&b, "）");
        }
        add(v, c->date, EV_COMPLAINT, sb_take(&b));
        int op = c->to && !strcmp(c->to, "operator");
        if (complaint_answered(c))
            add(v, c->reply_date != NO_DAY ? c->reply_date : c->date, EV_REPLY,
                c->reply && *c->reply ? xasprintf("%s答复：%s", to_name(c->to), c->reply)
                                      : xasprintf("%s已答复", to_name(c->to)));
        else if (op && c->date != NO_DAY)
            add(v, c->date + 15, EV_REPLY,
                d->today > c->date + 15 ? xstrdup("运营商15日答复期届满，未获答复")
                                        : xstrdup("运营商15日答复期届满"));
    }
}

/* One entry per disputed month: "2025-02账单：重复收费5.00元、整月无使用仍收月费50.00元". */
static void months(const doc_t *d, events_t *v)
{
    const audit_t *a = d->a;
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (f->period == NO_YM)
            continue;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = a->findings.items[k].period == f->period;
        if (seen)
            continue;
        sbuf_t b = {0};
        char m[16], amt[32];
        sb_addf(&b, "%s账单：", ym_fmt(f->period, m));
        int first = 1;
        for (size_t k = i; k < a->findings.n; k++) {
            const finding_t *g = &a->findings.items[k];
            if (g->period != f->period)
                continue;
            sb_addf(&b, "%s%s%s%s%s%s元", first ? "" : "、", doc_category_name(g->category),
                    g->service ? "（" : "", g->service ? g->service : "", g->service ? "）" : "",
                    money_fmt(g->amount, amt));
            first = 0;
        }
        add(v, ym_first_day(f->period), EV_MONTH, sb_take(&b));
    }
}

static void deadlines(const doc_t *d, events_t *v)
{
    const route_t *m = &d->miit;
    if (m->appeal_from != NO_DAY)
        add(v, m->appeal_from, EV_DEADLINE, xstrdup("起可向电信用户申诉受理机构申诉"));
    for (size_t i = 0; i < d->deadlines.n; i++) {
        const deadline_t *dl = &d->deadlines.items[i];
        char amt[32];
        if (dl->kind == DL_MIIT) {
            fen_t total = 0;
            for (size_t k = 0; k < dl->findings.n; k++)
                fen_add(&total, d->a->findings.items[dl->findings.items[k]].amount);
            add(v, dl->date, EV_DEADLINE,
                xasprintf("收费争议申诉期限的最后一天（%zu项，%s元）%s", dl->findings.n,
                          money_fmt(total, amt), dl->date < d->today ? "：已过" : ""));
        } else if (dl->kind == DL_12315) {
            add(v, dl->date, EV_DEADLINE,
                xasprintf("%s向12315投诉及诉讼时效（三年）的最后一天%s",
                          dl->all_passed ? "全部事项" : "尚未届满的最早一项",
                          dl->date < d->today ? "：已过" : ""));
        }
    }
}

static int ev_cmp(const void *x, const void *y)
{
    const event_t *a = x, *b = y;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    return strcmp(a->text, b->text);
}

void doc_add_timeline(doc_t *d)
{
    events_t v = {0};
    services(d->a, &v);
    complaints(d, &v);
    months(d, &v);
    deadlines(d, &v);
    add(&v, d->today, EV_TODAY,
        xstrdup(billaudit_as_of_given() ? "截至日（本文件按此日计算期限）"
                                        : "今天（本文件生成之日）"));
    if (v.n)
        qsort(v.items, v.n, sizeof *v.items, ev_cmp);
    tctx_list(d->root, "timeline");
    for (size_t i = 0; i < v.n; i++) {
        tctx_t *c = tctx_add(d->root, "timeline");
        doc_set_day(c, "date", v.items[i].date);
        tctx_set(c, "text", v.items[i].text);
        tctx_set(c, "is_today", v.items[i].kind == EV_TODAY ? "1" : "");
        tctx_set(c, "deadline", v.items[i].kind == EV_DEADLINE ? "1" : "");
        tctx_set(c, "past", v.items[i].date < d->today ? "1" : "");
        free(v.items[i].text);
    }
    VEC_FREE(v);
}
