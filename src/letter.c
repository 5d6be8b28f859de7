/* Letters: the shared context of src/docctx.c plus what one addressee needs (which findings
 * are inside the route's window, the claims split by strength, numbered sections and
 * demands), rendered through the letter's template. A letter is written only when its route
 * can be taken today (src/deadline.c: the one computation every output reads); --draft
 * writes it anyway, marked 草稿，不可提交 on every page and without a signature block.
 * Missing profile fields print as marked blanks and are reported on stderr. */
#include "letter.h"
#include "docctx.h"
#include "init.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const letter_types[] = {"operator", "miit", "12315", NULL};

int letter_known(const char *type)
{
    for (int i = 0; letter_types[i]; i++)
        if (type && !strcmp(type, letter_types[i]))
            return 1;
    return 0;
}

typedef struct {
    const char *type;
    const char *who;  /* what the warnings are prefixed with; NULL: no warnings */
    VEC(char *) seen; /* blank keys already reported */
} warn_t;

static void warnf(const warn_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(const warn_t *w, const char *fmt, ...)
{
    if (!w->who)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", w->who);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Where a template key comes from, for the warning. */
static const char *profile_field(const char *key)
{
    static const char *const map[][2] = {
        {"holder_name", "holder.name"},
        {"holder_address", "holder.address"},
        {"holder_phone", "holder.phone"},
        {"holder_postcode", "holder.postcode"},
        {"number", "number"},
        {"province", "province"},
        {"operator_name", "operator"},
        {"operator_hotline", "operator"},
        {"respondent_name", "respondent.name"},
        {"respondent_address", "respondent.address"},
        {"date", "complaints[].date"},
        {"channel", "complaints[].channel"},
        {"reference", "complaints[].reference"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i][0], key))
            return map[i][1];
    return key;
}

static void on_blank(void *ud, const char *key, const char *label)
{
    warn_t *w = ud;
    const char *field = profile_field(key);
    for (size_t i = 0; i < w->seen.n; i++)
        if (!strcmp(w->seen.items[i], field))
            return;
    VEC_PUSH(w->seen, xstrdup(field));
    warnf(w, "the account profile lacks %s; the letter leaves 【请填写：%s】 to fill in by hand",
          field, label);
}

static void set_flag(tctx_t *c, const char *key, int on)
{
    tctx_set(c, key, on ? "1" : "");
}

static int flag(const tctx_t *c, const char *key)
{
    const char *v = tctx_get(c, key);
    return v && *v && strcmp(v, "0");
}

/* ---- the findings each letter lists ---- */

typedef struct {
    fen_t refund, request;
    long nrefund, nrequest;
} split_t;

/* Adds money finding i to P_refunds or P_requests (P "" for all findings) and counts it. */
static void add_split(doc_t *d, const char *p, size_t i, split_t *s)
{
    const finding_t *f = &d->a->findings.items[i];
    int refund = doc_is_refund(f);
    char *key = xasprintf("%s%s", p, refund ? "refunds" : "requests");
    doc_add_finding(d, d->root, key, i);
    free(key);
    if (refund)
        fen_add(&s->refund, f->amount), s->nrefund++;
    else
        fen_add(&s->request, f->amount), s->nrequest++;
}

static void set_split(doc_t *d, const char *p, const split_t *s)
{
    static const char *const lists[] = {"refunds", "requests"};
    for (int k = 0; k < 2; k++) {
        char *key = xasprintf("%s%s", p, lists[k]);
        tctx_list(d->root, key);
        free(key);
    }
    char *k1 = xasprintf("%srefund_total", p), *k2 = xasprintf("%srequest_total", p);
    char *k3 = xasprintf("%srefund_count", p), *k4 = xasprintf("%srequest_count", p);
    doc_set_money(d->root, k1, s->refund);
    doc_set_money(d->root, k2, s->request);
    tctx_setf(d->root, k3, "%ld", s->nrefund);
    tctx_setf(d->root, k4, "%ld", s->nrequest);
    free(k1), free(k2), free(k3), free(k4);
}

/* Money findings: all (operator), inside the five months (MIIT: cur_), inside the three
 * years (12315: y3_); the others listed apart. */
static void add_windows(doc_t *d)
{
    const audit_t *a = d->a;
    split_t all = {0}, cur = {0}, y3 = {0};
    fen_t money = 0, current = 0;
    day_t first = NO_DAY;
    set_split(d, "", &all), set_split(d, "cur_", &cur), set_split(d, "y3_", &y3);
    tctx_list(d->root, "current");
    tctx_list(d->root, "expired");
    tctx_list(d->root, "y3_expired");
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (!doc_is_money(f))
            continue;
        fen_add(&money, f->amount);
        add_split(d, "", i, &all);
        if (finding_limit_3y(f) != NO_DAY && finding_limit_3y(f) < d->today)
            doc_add_finding(d, d->root, "y3_expired", i);
        else
            add_split(d, "y3_", i, &y3);
        if (doc_expired(d, f)) {
            doc_add_finding(d, d->root, "expired", i);
            continue;
        }
        doc_add_finding(d, d->root, "current", i);
        add_split(d, "cur_", i, &cur);
        fen_add(&current, f->amount);
        if (f->deadline != NO_DAY && (first == NO_DAY || f->deadline < first))
            first = f->deadline;
    }
    set_split(d, "", &all), set_split(d, "cur_", &cur), set_split(d, "y3_", &y3);
    doc_set_money(d->root, "money_total", money);
    doc_set_money(d->root, "current_total", current);
    doc_set_day(d->root, "current_deadline", first);
    set_flag(d->root, "expired_any", tctx_count(d->root, "expired") > 0);
    set_flag(d->root, "y3_expired_any", tctx_count(d->root, "y3_expired") > 0);
}

/* Section numerals and demand numbers, so that a letter without requests or terms has no
 * gap in its numbering. */
static void number_parts(doc_t *d, const char *type)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    tctx_t *r = d->root;
    struct {
        const char *key;
        int present;
    } secs[] = {
        {"sec_refunds", tctx_count(r, "refunds") > 0},
        {"sec_requests", tctx_count(r, "requests") > 0},
        {"sec_terms", tctx_count(r, "terms") > 0},
        {"sec_demands", 1},
        {"sec_exhibits", tctx_count(r, "exhibits") > 0},
        {"sec_timeline", tctx_count(r, "timeline") > 0},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof secs / sizeof *secs; i++)
        tctx_set(r, secs[i].key, secs[i].present ? cn[n++] : "");
    const char *p = !strcmp(type, "miit") ? "cur_" : !strcmp(type, "12315") ? "y3_" : "";
    char *k1 = xasprintf("%srefund_count", p), *k2 = xasprintf("%srequest_count", p);
    int k = 1;
    if (flag(r, k1))
        tctx_setf(r, "n_refund", "%d", k++);
    if (flag(r, k2))
        tctx_setf(r, "n_request", "%d", k++);
    tctx_setf(r, "n_stop", "%d", k++);
    tctx_setf(r, "n_list", "%d", k++);
    tctx_setf(r, "n_reply", "%d", k++);
    free(k1), free(k2);
    /* The operator letter names an appeal as the next step only while one is still possible
     * after the operator's 15 days. */
    set_flag(r, "miit_appeal_next", d->miit.open_then > 0 || d->miit.state == ROUTE_OPEN);
}

/* ---- may the letter be filed today? ---- */

static void gate_miit(const route_t *m, const route_t *y3, letter_gate_t *g)
{
    char a[16], b[16];
    g->fileable = m->state == ROUTE_OPEN;
    g->first_possible = m->first_possible;
    const char *when = m->first_possible != NO_DAY ? day_fmt(m->first_possible, a) : NULL;
    switch (m->state) {
    case ROUTE_OPEN:
        snprintf(g->reason, sizeof g->reason, "fileable");
        break;
    case ROUTE_NO_MONEY:
        snprintf(g->reason, sizeof g->reason,
                 "no fee dispute was found: there is nothing to appeal (contract terms are no "
                 "fee dispute); it never becomes possible");
        break;
    case ROUTE_ALL_EXPIRED:
        snprintf(g->reason, sizeof g->reason,
                 "every fee dispute is past its five-month window "
                 "（《电信用户申诉处理办法》第十一条第（一）项）, the last closed "
                 "on %s: an appeal is no longer possible%s",
                 day_fmt(m->last_closed, b),
                 y3->state == ROUTE_OPEN ? "; 12315 and court remain (letter -t 12315)" : "");
        break;
    case ROUTE_NO_COMPLAINT:
        if (when)
            snprintf(g->reason, sizeof g->reason,
                     "no operator complaint on record "
                     "（《电信用户申诉处理办法》第十条第（四）项、第十三条）: complain first "
                     "(letter -t operator) and record it in account.json complaints[]; "
                     "complaining today, the first day an appeal is possible is %s (%ld "
                     "finding(s) still inside their window then)",
                     when, m->open_then);
        else
            snprintf(g->reason, sizeof g->reason,
                     "no operator complaint on record "
                     "（《电信用户申诉处理办法》第十条第（四）项、第十三条）, and even complaining "
                     "today every five-month window closes before the operator's 15 days end: "
                     "it never becomes possible");
        break;
    case ROUTE_WAIT:
        if (when)
            snprintf(g->reason, sizeof g->reason,
                     "the operator complaint is less than 15 days old and unanswered "
                     "（《电信用户申诉处理办法》第十条第（四）项）: the first day an appeal is "
                     "possible is %s (%ld finding(s) "
                     "still inside their window then)",
                     when, m->open_then);
        else
            snprintf(g->reason, sizeof g->reason,
                     "the operator complaint is less than 15 days old and unanswered "
                     "（《电信用户申诉处理办法》第十条第（四）项）, and every five-month window "
                     "closes before %s: it never "
                     "becomes possible (a written reply from the operator allows it at once)",
                     day_fmt(m->appeal_from, b));
        break;
    }
}

static void gate_12315(const route_t *y, letter_gate_t *g)
{
    char b[16];
    g->fileable = y->state == ROUTE_OPEN;
    g->first_possible = y->first_possible;
    if (g->fileable)
        snprintf(g->reason, sizeof g->reason, "fileable");
    else if (y->state == ROUTE_ALL_EXPIRED)
        snprintf(g->reason, sizeof g->reason,
                 "every finding is past the three years from its charge (the last closed on "
                 "%s): a 12315 complaint is no longer possible",
                 day_fmt(y->last_closed, b));
    else
        snprintf(g->reason, sizeof g->reason, "nothing was found to complain about");
}

/* Only the routes are needed: no document is built to decide. */
void letter_gate(const audit_t *a, const char *type, day_t today, letter_gate_t *g)
{
    route_t m, y3;
    route_miit(a, today, &m);
    route_3y(a, today, &y3);
    memset(g, 0, sizeof *g);
    g->first_possible = today;
    if (!strcmp(type, "miit"))
        gate_miit(&m, &y3, g);
    else if (!strcmp(type, "12315"))
        gate_12315(&y3, g);
    else {
        g->fileable = 1; /* the operator can always be asked: no statutory window */
        snprintf(g->reason, sizeof g->reason, "fileable");
    }
}

/* ---- warnings on stderr ---- */

static void add_warnings(doc_t *d, const warn_t *w)
{
    tctx_t *r = d->root;
    if (!strcmp(w->type, "miit") && d->miit.expired && d->miit.open)
        warnf(w,
              "%ld finding(s) are past the five-month window; listed apart in the letter under "
              "九、已超出收费争议五个月申诉期限的事项",
              d->miit.expired);
    if (!strcmp(w->type, "miit") && d->miit.state == ROUTE_OPEN)
        warnf(w, "file by %s (the earliest five-month deadline of the findings listed)",
              tctx_get(r, "current_deadline"));
    if (flag(r, "party_other"))
        warnf(w, "the contract names %s, not the profile's operator: check the respondent",
              tctx_get(r, "party_name"));
    if (flag(r, "complained_12315") && strcmp(w->type, "12315"))
        warnf(w, "the profile records a 12315 complaint: a matter accepted there is not accepted "
                 "again by the appeal body （《电信用户申诉处理办法》第十一条第（四）项）");
    if (flag(r, "complained_miit") && strcmp(w->type, "miit"))
        warnf(w, "the profile records an MIIT appeal: do not file the same matter twice");
    if (!strcmp(w->type, "12315") && d->miit.open)
        warnf(w,
              "%ld finding(s) are still inside the MIIT five-month window (nearest %s); 12315 "
              "is the fallback and may redirect telecom fee disputes to 12300",
              d->miit.open, tctx_get(r, "miit_nearest"));
    if (!strcmp(w->type, "operator") && d->miit.nearest != NO_DAY &&
        d->miit.nearest - d->today <= 30)
        warnf(w,
              "the earliest MIIT deadline is %s (%ld days); the operator's 15 days count "
              "against it (the letter does not tell the operator)",
              tctx_get(r, "miit_nearest"), (long)(d->miit.nearest - d->today));
    if (!strcmp(w->type, "operator"))
        warnf(w, "after sending, record the complaint's date, channel and reference in "
                 "account.json complaints[]: the appeal needs them "
                 "（《电信用户申诉处理办法》第十三条）");
}

/* ---- drafts: the mark on every page ---- */

#define DRAFT_PAGE_LINES 50

static void paginate_draft(const char *title, const sbuf_t *in, sbuf_t *out)
{
    const char *p = in->p ? in->p : "", *end = p + in->n;
    size_t lines = 0;
    for (const char *q = p; q < end; q++)
        lines += *q == '\n';
    if (in->n && end[-1] != '\n')
        lines++;
    size_t pages = lines ? (lines + DRAFT_PAGE_LINES - 1) / DRAFT_PAGE_LINES : 1;
    for (size_t page = 1; page <= pages; page++) {
        if (page > 1)
            sb_addc(out, '\f');
        sb_addf(out, "【草稿，不可提交】%s　第%zu页，共%zu页\n\n", title, page, pages);
        for (size_t n = 0; n < DRAFT_PAGE_LINES && p < end; n++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
            sb_addn(out, p, len);
            if (!nl)
                sb_addc(out, '\n');
            p += len;
        }
        sb_add(out, "\n—— 草稿，不可提交 ——\n");
    }
}

int letter_render(const audit_t *a, const char *type, day_t today, int draft, const char *who,
                  sbuf_t *out)
{
    if (!letter_known(type))
        return -1;
    doc_t d;
    doc_init(&d, a, today);
    warn_t w = {type, who, {0}};
    add_windows(&d);
    number_parts(&d, type);
    set_flag(d.root, "draft", draft);
    add_warnings(&d, &w);
    char *file = xasprintf("src/templates/letter-%s.txt", type);
    sbuf_t text = {0};
    int rc = tmpl_render_file(file, d.root, TMPL_TEXT, draft ? &text : out, on_blank, &w);
    free(file);
    if (draft && rc == 0) {
        static const char *const titles[][2] = {
            {"operator", "致运营商的投诉"}, {"miit", "电信用户申诉书"}, {"12315", "消费者投诉书"}};
        const char *title = "";
        for (int i = 0; i < 3; i++)
            if (!strcmp(titles[i][0], type))
                title = titles[i][1];
        paginate_draft(title, &text, out);
    }
    sb_free(&text);
    for (size_t i = 0; i < w.seen.n; i++)
        free(w.seen.items[i]);
    VEC_FREE(w.seen);
    doc_free(&d);
    return rc;
}

/* A fact of the files into an empty profile field. Files that disagree, or a masked value
 * ("李*"), leave the blank: a letter must not name the wrong person or number. */
static void take_fact(char **field, const ifact_t *f, const char *name, const char *who)
{
    if (*field || !f->value || strchr(f->value, '*'))
        return;
    if (ifact_conflict(f)) {
        if (!who)
            return;
        fprintf(stderr, "%s: the files name more than one %s (", who, name);
        for (size_t i = 0; i < f->seen.n; i++)
            fprintf(stderr, "%s%s at %s", i ? ", " : "", f->seen.items[i].value,
                    f->seen.items[i].source);
        fprintf(stderr, "); the letters leave it blank\n");
        return;
    }
    *field = xstrdup(f->value);
    if (who)
        fprintf(stderr, "%s: %s %s taken from %s\n", who, name, f->value,
                f->source ? f->source : "the files");
}

void letter_identity(audit_t *a, const char *who)
{
    account_t *ac = &a->acct;
    if (ac->operator_id && ac->number && ac->holder_name)
        return; /* the profile says it all: spare reading the preambles again */
    draft_t d;
    memset(&d, 0, sizeof d);
    draft_identity(&d, a);
    take_fact(&ac->number, &d.number, "number", who);
    take_fact(&ac->operator_id, &d.operator_id, "operator", who);
    take_fact(&ac->holder_name, &d.holder, "holder.name", who);
    draft_free(&d);
}
