/* Letters: the shared context of src/docctx.c plus what one addressee needs (which
 * findings are still inside the MIIT window, the warnings of domain.md §3.1–3.2), rendered
 * through the letter's template. Missing profile fields print as marked blanks and are
 * reported on stderr, never left as empty strings. */
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
    int quiet;
    VEC(char *) seen; /* blank keys already reported */
} warn_t;

static void warnf(const warn_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(const warn_t *w, const char *fmt, ...)
{
    if (w->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "billaudit letter -t %s: ", w->type);
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

/* Money findings split by the five-month window (domain.md §3.2). */
static void add_windows(doc_t *d)
{
    const audit_t *a = d->a;
    fen_t money = 0, current = 0;
    day_t first = NO_DAY, known = NO_DAY;
    tctx_list(d->root, "current");
    tctx_list(d->root, "expired");
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        if (!doc_is_money(f))
            continue;
        money += f->amount;
        if (f->event != NO_DAY && (known == NO_DAY || f->event < known))
            known = f->event;
        if (doc_expired(d, f)) {
            doc_add_finding(d, d->root, "expired", i);
            continue;
        }
        doc_add_finding(d, d->root, "current", i);
        current += f->amount;
        if (f->deadline != NO_DAY && (first == NO_DAY || f->deadline < first))
            first = f->deadline;
    }
    doc_set_money(d->root, "money_total", money);
    doc_set_money(d->root, "current_total", current);
    doc_set_day(d->root, "current_deadline", first);
    doc_set_day(d->root, "limit_3y", known != NO_DAY ? day_add_months(known, 36) : NO_DAY);
    set_flag(d->root, "expired_any", tctx_count(d->root, "expired") > 0);
}

/* The MIIT letter's warnings (domain.md §3.1–3.2): flags for the template, lines for
 * stderr. The blocking ones are printed at the top of the letter. */
static void miit_warnings(tctx_t *r, const warn_t *w)
{
    int money = tctx_count(r, "money") > 0;
    size_t current = tctx_count(r, "current"), expired = tctx_count(r, "expired");
    const char *from = tctx_get(r, "appeal_from"), *first = tctx_get(r, "current_deadline");
    int no_complaint = !flag(r, "op_complaint"), wait = flag(r, "appeal_wait");
    int all_expired = money && !current, no_money = !money;
    /* The wait may outlast a window: that finding cannot be appealed in time. */
    int too_late = wait && first && from && strcmp(first, from) < 0;
    set_flag(r, "warn_no_complaint", no_complaint);
    set_flag(r, "warn_wait", wait);
    set_flag(r, "warn_wait_too_late", too_late);
    set_flag(r, "warn_all_expired", all_expired);
    set_flag(r, "warn_no_money", no_money);
    set_flag(r, "blocking", no_complaint || wait || all_expired || no_money);
    if (no_complaint)
        warnf(w, "须先向运营商投诉: the profile records no operator complaint; an appeal is "
                 "accepted only after one (AP-10(四), AP-13)");
    if (wait)
        warnf(w,
              "the operator complaint is less than 15 days old and unanswered; the first day "
              "an appeal is possible is %s",
              from);
    if (too_late)
        warnf(w,
              "the five-month window of the earliest finding closes on %s, before the first "
              "day an appeal is possible (%s)",
              first, from);
    if (all_expired)
        warnf(w, "every fee dispute may be past its five-month window (AP-11(一)); see part 八 "
                 "for 12315, 消协 and court");
    else if (expired)
        warnf(w, "%zu finding(s) may be past the five-month window; listed apart in part 八",
              expired);
    if (no_money)
        warnf(w, "no fee dispute was found; the letter has nothing to appeal");
    if (current && first)
        warnf(w, "file by %s (the earliest five-month deadline of the findings listed)", first);
}

/* Warnings for every letter: parallel filings, and the clock the operator's 15 days run on. */
static void add_warnings(doc_t *d, const warn_t *w)
{
    tctx_t *r = d->root;
    if (!strcmp(w->type, "miit"))
        miit_warnings(r, w);
    if (flag(r, "complained_12315") && strcmp(w->type, "12315"))
        warnf(w, "the profile records a 12315 complaint: a matter accepted there is not accepted "
                 "again by the appeal body (AP-11(四))");
    if (flag(r, "complained_miit") && strcmp(w->type, "miit"))
        warnf(w, "the profile records an MIIT appeal: do not file the same matter twice");
    if (!strcmp(w->type, "12315") && flag(r, "open_count"))
        warnf(w,
              "%s finding(s) are still inside the MIIT five-month window (nearest %s); 12315 "
              "is the fallback and may redirect telecom fee disputes to 12300",
              tctx_get(r, "open_count"), tctx_get(r, "nearest_date"));
    if (!strcmp(w->type, "operator") && flag(r, "nearest")) {
        long days = atol(tctx_get(r, "nearest_days"));
        if (days <= 30)
            warnf(w,
                  "the earliest MIIT deadline is %s (%ld days); the operator's 15 days count "
                  "against it",
                  tctx_get(r, "nearest_date"), days);
    }
}

int letter_render(const audit_t *a, const char *type, day_t today, int quiet, sbuf_t *out)
{
    if (!letter_known(type))
        return -1;
    doc_t d;
    doc_init(&d, a, today);
    warn_t w = {type, quiet, {0}};
    add_windows(&d);
    add_warnings(&d, &w);
    char *file = xasprintf("src/templates/letter-%s.txt", type);
    int rc = tmpl_render_file(file, d.root, TMPL_TEXT, out, on_blank, &w);
    free(file);
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
