/* -f json: schema billaudit/findings/v1. */
#include "report.h"
#include "json_int.h"
#include "json_utf8.h"
#include "deadline.h"
#include "docctx.h"
#include "exhibits.h"
#include "rule.h"
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *mask_number(const char *num)
{
    size_t n = strlen(num);
    if (n < 8)
        return xstrdup(num);
    return xasprintf("%.3s****%s", num, num + n - 4);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_ym(cJSON *o, const char *k, ym_t m)
{
    char buf[16];
    if (m == NO_YM)
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddStringToObject(o, k, ym_fmt(m, buf));
}

/* An archive member: "member" names it inside the archive that "source" names. */
static void add_member(cJSON *o, const audit_t *a, int src)
{
    if (src < 0 || (size_t)src >= a->sources.n || !a->sources.items[src].archive)
        return;
    const source_t *s = &a->sources.items[src];
    char *m = s->inner ? xasprintf("%s!%s", s->member, s->inner) : xstrdup(s->member);
    add_str(o, "member", m);
    free(m);
}

static cJSON *json_sources(const audit_t *a)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "path", s->path);
        add_str(o, "format", s->format);
        add_str(o, "encoding", s->encoding);
        add_str(o, "sha256", s->sha256);
        if (s->archive) {
            add_str(o, "archive", s->archive);
            add_member(o, a, (int)i);
            add_str(o, "archive_sha256", s->archive_sha256);
            add_str(o, "container", s->label);
        }
        json_add_int(o, "records", s->records);
        json_add_int(o, "rejected", s->rejected);
        if (s->from != NO_YM) {
            cJSON *p = cJSON_AddObjectToObject(o, "period");
            add_ym(p, "from", s->from);
            add_ym(p, "to", s->to);
        } else {
            cJSON_AddNullToObject(o, "period");
        }
        if (s->duplicate_of >= 0)
            add_str(o, "identical_to", a->sources.items[s->duplicate_of].path);
        if (s->note) /* a remark that is no data problem (unlike warnings) */
            add_str(o, "note", s->note);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *json_basis(const char *const *basis)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; basis && basis[i]; i++) {
        const law_t *l = law_find(basis[i]);
        if (!l)
            continue;
        cJSON *o = cJSON_CreateObject();
        add_str(o, "law", l->law);
        add_str(o, "article", l->article);
        add_str(o, "text", l->text);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static const char *evidence_source(const audit_t *a, const prov_t *p)
{
    if (p->src >= 0 && (size_t)p->src < a->sources.n)
        return source_file(&a->sources.items[p->src]);
    return a->account_path ? a->account_path : "account.json";
}

/* "line": 12, and for a PDF row "page": 3 before it (the 12th row on page 3). */
static void add_line(cJSON *e, long line)
{
    if (line_page(line) > 0)
        json_add_int(e, "page", line_page(line));
    json_add_int(e, "line", line_row(line));
}

static cJSON *json_cited(const audit_t *a, const exhibits_t *x, const prov_t *p, const char *role,
                         const char *note)
{
    cJSON *e = cJSON_CreateObject();
    add_str(e, "source", evidence_source(a, p));
    add_member(e, a, p->src);
    add_line(e, p->line);
    add_str(e, "text", p->text ? p->text : "");
    if (p->damaged) /* U+FFFD in text stand for bytes that did not decode */
        cJSON_AddTrueToObject(e, "damaged");
    /* A clause is quoted whole: its wrapped lines joined, cited at its first line. */
    const clause_t *cl = role ? NULL : doc_clause_at(a, p);
    if (cl && cl->text)
        add_str(e, "clause", cl->text);
    const exhibit_t *ex = exhibit_of(x, p->src);
    if (ex)
        json_add_int(e, "exhibit", ex->no);
    if (role)
        add_str(e, "role", role);
    if (note)
        add_str(e, "note", note);
    return e;
}

static const char *claim_of(const finding_t *f)
{
    if (f->period == NO_YM)
        return NULL;
    return doc_is_refund(f) ? "refund" : "request";
}

static cJSON *json_finding(const audit_t *a, const exhibits_t *x, const finding_t *f)
{
    cJSON *o = cJSON_CreateObject();
    char buf[16];
    add_str(o, "id", f->id);
    add_str(o, "rule", f->rule);
    add_str(o, "category", f->category);
    add_str(o, "severity", f->severity);
    add_ym(o, "period", f->period);
    json_add_int(o, "amount_fen", f->amount);
    add_str(o, "title", f->title ? f->title : "");
    add_str(o, "explanation", f->explanation ? f->explanation : "");
    cJSON_AddItemToObject(o, "legal_basis", json_basis(f->basis));
    /* The operator's records first (what is claimed, then what supports it); the profile
     * lines last, marked as the user's statement: never an exhibit. */
    cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
    for (size_t i = 0; i < f->evidence.n; i++)
        if (f->evidence.items[i].src >= 0)
            cJSON_AddItemToArray(ev, json_cited(a, x, &f->evidence.items[i], NULL, NULL));
    for (size_t i = 0; i < f->support.n; i++)
        cJSON_AddItemToArray(
            ev, json_cited(a, x, &f->support.items[i].prov, "support", f->support.items[i].note));
    for (size_t i = 0; i < f->evidence.n; i++)
        if (f->evidence.items[i].src < 0)
            cJSON_AddItemToArray(ev, json_cited(a, x, &f->evidence.items[i], "statement", NULL));
    cJSON *st = cJSON_AddArrayToObject(o, "statements");
    for (size_t i = 0; i < f->statements.n; i++)
        cJSON_AddItemToArray(st, cJSON_CreateString(f->statements.items[i]));
    add_str(o, "claim", claim_of(f));
    add_str(o, "remedy", f->remedy ? f->remedy : "");
    if (f->deadline != NO_DAY)
        add_str(o, "deadline", day_fmt(f->deadline, buf));
    else
        cJSON_AddNullToObject(o, "deadline");
    add_str(o, "term_type", f->term_type);
    return o;
}

/* The total of each category, in the order the categories first appear: summed as fen
 * (findings_finish bounds the total), never in cJSON's double. */
static cJSON *json_by_category(const audit_t *a)
{
    size_t n = 0;
    const char **name = xcalloc(a->findings.n + 1, sizeof *name);
    fen_t *sum = xcalloc(a->findings.n + 1, sizeof *sum);
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        size_t k = 0;
        while (k < n && strcmp(name[k], f->category))
            k++;
        if (k == n)
            name[n++] = f->category;
        fen_add(&sum[k], f->amount);
    }
    cJSON *by = cJSON_CreateObject();
    for (size_t k = 0; k < n; k++)
        json_add_int(by, name[k], sum[k]);
    free(name), free(sum);
    return by;
}

static cJSON *json_totals(const audit_t *a)
{
    cJSON *t = cJSON_CreateObject();
    fen_t total = 0, refund = 0, request = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        fen_add(&total, f->amount);
        if (claim_of(f))
            fen_add(doc_is_refund(f) ? &refund : &request, f->amount);
    }
    json_add_int(t, "findings", (int64_t)a->findings.n);
    json_add_int(t, "disputed_fen", total);
    json_add_int(t, "refund_fen", refund);
    json_add_int(t, "request_fen", request);
    cJSON_AddItemToObject(t, "by_category", json_by_category(a));
    return t;
}

/* The deadlines, nearest first, as of today: the computation the text reports and letters
 * read too. MIIT windows: one entry per last filing day, with the ids of its findings. */
static cJSON *json_deadlines(const audit_t *a, day_t today)
{
    cJSON *arr = cJSON_CreateArray();
    deadlines_t dl = {0};
    deadlines_compute(a, today, &dl);
    for (size_t i = 0; i < dl.n; i++) {
        const deadline_t *d = &dl.items[i];
        char buf[16];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "what", d->what);
        add_str(o, "date", day_fmt(d->date, buf));
        add_str(o, "basis", d->basis);
        cJSON_AddBoolToObject(o, "passed", d->date < today);
        if (d->kind == DL_12315 || d->kind == DL_COURT)
            cJSON_AddBoolToObject(o, "all_passed", d->all_passed);
        if (d->kind == DL_MIIT) {
            cJSON *ids = cJSON_AddArrayToObject(o, "findings");
            for (size_t k = 0; k < d->findings.n; k++)
                cJSON_AddItemToArray(
                    ids, cJSON_CreateString(a->findings.items[d->findings.items[k]].id));
        }
        cJSON_AddItemToArray(arr, o);
    }
    deadlines_free(&dl);
    return arr;
}

static cJSON *json_route(const route_t *r)
{
    static const char *const states[] = {"open", "no-money", "all-expired", "no-complaint", "wait"};
    char buf[16];
    cJSON *o = cJSON_CreateObject();
    add_str(o, "state", states[r->state]);
    add_str(o, "first_possible",
            r->first_possible != NO_DAY ? day_fmt(r->first_possible, buf) : NULL);
    json_add_int(o, "open", r->open);
    json_add_int(o, "expired", r->expired);
    return o;
}

/* Which routes can be taken today: what `letter` decides by. */
static cJSON *json_routes(const audit_t *a, day_t today)
{
    route_t m, y;
    route_miit(a, today, &m);
    route_3y(a, today, &y);
    char buf[16];
    cJSON *o = cJSON_CreateObject();
    add_str(o, "as_of", day_fmt(today, buf));
    cJSON_AddItemToObject(o, "miit", json_route(&m));
    cJSON_AddItemToObject(o, "12315", json_route(&y));
    cJSON_AddItemToObject(o, "court", json_route(&y));
    return o;
}

static cJSON *json_exhibits(const audit_t *a, const exhibits_t *x)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < x->items.n; i++) {
        const exhibit_t *e = &x->items.items[i];
        cJSON *o = cJSON_CreateObject();
        json_add_int(o, "no", e->no);
        add_str(o, "source", source_file(&a->sources.items[e->src]));
        add_member(o, a, e->src);
        add_str(o, "description", e->desc);
        add_str(o, "sha256", a->sources.items[e->src].sha256);
        if (a->sources.items[e->src].archive)
            add_str(o, "archive_sha256", a->sources.items[e->src].archive_sha256);
        cJSON *lines = cJSON_AddArrayToObject(o, "lines");
        for (size_t k = 0; k < e->lines.n; k++)
            cJSON_AddItemToArray(lines, json_int(e->lines.items[k].line));
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static void now_iso(char *buf, size_t n)
{
    const char *fixed = getenv("BILLAUDIT_NOW"); /* tests pin the clock */
    if (fixed && *fixed) {
        snprintf(buf, n, "%s", fixed);
        return;
    }
    time_t t = time(NULL) + 8 * 3600; /* China time, whatever the machine's zone */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

static cJSON *json_account(const audit_t *a)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "operator", a->acct.operator_id);
    if (a->acct.number) {
        char *m = mask_number(a->acct.number);
        add_str(o, "number", m);
        free(m);
    } else {
        cJSON_AddNullToObject(o, "number");
    }
    return o;
}

/* The report with its findings array left empty: report_json prints the findings one by
 * one into it, so that 30 000 findings are never all held as a tree. */
static cJSON *report_json_tree(const audit_t *a, const exhibits_t *x)
{
    cJSON *root = cJSON_CreateObject();
    char now[40];
    now_iso(now, sizeof now);
    add_str(root, "schema", "billaudit/findings/v1");
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    add_str(tool, "name", "billaudit");
    add_str(tool, "version", BILLAUDIT_VERSION);
    add_str(root, "generated_at", now);
    if (billaudit_as_of_given()) { /* deadlines and routes below are as of this day */
        char d[16];
        add_str(root, "as_of", day_fmt(billaudit_today(), d));
    }
    cJSON_AddItemToObject(root, "account", json_account(a));
    cJSON_AddItemToObject(root, "sources", json_sources(a));
    cJSON *sk = cJSON_AddArrayToObject(root, "skipped");
    for (size_t i = 0; i < a->skipped.n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "path", a->skipped.items[i].path);
        add_str(o, "reason", a->skipped.items[i].reason);
        cJSON_AddItemToArray(sk, o);
    }
    cJSON *wa = cJSON_AddArrayToObject(root, "warnings");
    for (size_t i = 0; i < a->warnings.n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "source", a->warnings.items[i].source);
        add_str(o, "message", a->warnings.items[i].message);
        cJSON_AddItemToArray(wa, o);
    }
    cJSON *rs = cJSON_AddArrayToObject(root, "rules_skipped");
    for (size_t i = 0; i < a->rules_skipped.n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "rule", a->rules_skipped.items[i].rule);
        add_str(o, "needs", a->rules_skipped.items[i].needs);
        cJSON_AddItemToArray(rs, o);
    }
    day_t today = billaudit_today();
    cJSON_AddArrayToObject(root, "findings");
    cJSON_AddItemToObject(root, "totals", json_totals(a));
    cJSON_AddItemToObject(root, "deadlines", json_deadlines(a, today));
    cJSON_AddItemToObject(root, "routes", json_routes(a, today));
    cJSON_AddItemToObject(root, "exhibits", json_exhibits(a, x));
    return root;
}

/* Adds s (cJSON's print of an item at the top level) as an item of an array two levels
 * down: each line after the first indented by two more tabs, as cJSON nests it. Strings
 * in cJSON's output never hold a raw newline. */
static void add_nested(sbuf_t *out, const char *s)
{
    for (; *s; s++) {
        sb_addc(out, *s);
        if (*s == '\n')
            sb_add(out, "\t\t");
    }
}

/* The findings array's items, printed one at a time, as cJSON prints an array. */
static int add_findings(sbuf_t *out, const audit_t *a, const exhibits_t *x)
{
    for (size_t i = 0; i < a->findings.n; i++) {
        cJSON *f = json_finding(a, x, &a->findings.items[i]);
        char *s = f ? json_print(f) : NULL;
        cJSON_Delete(f);
        if (!s)
            return -1;
        if (i)
            sb_add(out, ", ");
        add_nested(out, s);
        cJSON_free(s);
        sb_stream_point(out);
    }
    return 0;
}

int report_json(const audit_t *a, sbuf_t *out)
{
    exhibits_t x;
    exhibits_build(&x, a);
    cJSON *root = report_json_tree(a, &x);
    char *s = json_print(root);
    cJSON_Delete(root);
    static const char slot[] = "\n\t\"findings\":\t[]";
    char *at = s ? strstr(s, slot) : NULL;
    int rc = -1;
    if (at) {
        size_t head = (size_t)(at - s) + sizeof slot - 2; /* up to and with the '[' */
        sb_addn(out, s, head);
        rc = add_findings(out, a, &x);
        sb_add(out, at + sizeof slot - 2);
        sb_addc(out, '\n');
    }
    cJSON_free(s);
    exhibits_free(&x);
    return rc;
}
