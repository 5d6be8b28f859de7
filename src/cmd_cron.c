/* billaudit cron: the monthly unattended check. Audits like `audit`, reports only the
 * findings whose ids are not yet in the state file, then records them; silent (exit 0)
 * when nothing is new, so cron mails nothing. Data problems (rejected rows, skipped or
 * unreadable files, warnings) follow the same rule: each is reported once, after the
 * findings, so incomplete evidence is never hidden, yet never repeated.
 * Order of work: audit (no lock needed, inputs are only read), lock the state, load it,
 * print, save, unlock. Printing comes before saving so a finding is never recorded unless
 * it was reported: a failed save means it is reported again next time, never lost. */
#include "audit.h"
#include "json_int.h"
#include "json_utf8.h"
#include "cli.h"
#include "deadline.h"
#include "problems.h"
#include "report.h"
#include "state.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "cron PATH...";
static const char summary[] =
    "For a monthly job (crontab or systemd timer): audits PATH... like 'audit', prints only\n"
    "the findings not reported by an earlier run (their ids are kept in the state file,\n"
    "default $XDG_STATE_HOME/billaudit/state.json, else ~/.local/state/billaudit/state.json),\n"
    "nearest MIIT deadline first, then records them; data problems (rejected rows, skipped\n"
    "files, warnings) are likewise reported once. Prints nothing when nothing is new.\n"
    "Exit status: 0 nothing new, or only new data problems; 1 new (or, with\n"
    "--report-resolved, resolved) findings reported; 2 error (the state file is then left\n"
    "as it was).";

typedef struct {
    const char *fmt;
    const char *state_path; /* as given, for messages */
    const char *state_file; /* the file it names, symbolic links followed */
    int report_resolved;
    long wait_ms;
    day_t today;
} cron_opts_t;

typedef VEC(state_entry_t) entries_t;
typedef VEC(const problem_t *) problem_list_t;

/* What this run has to say: new findings (v, n), resolved ones, new data problems. */
typedef struct {
    finding_t *v;
    size_t n;
    entries_t res;
    problem_list_t probs;
} news_t;

/* The shared clock (BILLAUDIT_TODAY, BILLAUDIT_NOW, else China's date), but a bad
 * BILLAUDIT_TODAY is an error here: an unattended run must not quietly use another day. */
static int cron_today(day_t *out)
{
    const char *s = getenv("BILLAUDIT_TODAY");
    day_t d;
    if (s && *s && day_parse(s, &d) != 0) {
        fprintf(stderr, "billaudit cron: BILLAUDIT_TODAY=\"%s\" is not a date like 2025-06-30\n",
                diag_quote(s));
        return -1;
    }
    *out = billaudit_today();
    return 0;
}

/* ---- ordering: the deadline to act on first ---- */

static day_t sort_today;

/* 0 = deadline still ahead, 1 = passed, 2 = none (unfair terms). */
static int deadline_rank(const finding_t *f)
{
    if (f->deadline == NO_DAY)
        return 2;
    return f->deadline < sort_today ? 1 : 0;
}

static int by_deadline(const void *x, const void *y)
{
    const finding_t *a = *(const finding_t *const *)x, *b = *(const finding_t *const *)y;
    int ra = deadline_rank(a), rb = deadline_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra != 2 && a->deadline != b->deadline)
        return a->deadline < b->deadline ? -1 : 1;
    return a < b ? -1 : a > b; /* keep the report's own order */
}

/* The new findings as a compact array in deadline order (shallow copies). */
static finding_t *new_view(const audit_t *a, const state_t *st, day_t today, size_t *n)
{
    const finding_t **p = xcalloc(a->findings.n + 1, sizeof *p);
    size_t k = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        state_entry_t e;
        const finding_t *f = &a->findings.items[i];
        if (!state_find(st, f->id, &e) || e.resolved) /* a resolved one that is back is news */
            p[k++] = f;
    }
    sort_today = today;
    qsort(p, k, sizeof *p, by_deadline);
    finding_t *v = xcalloc(k + 1, sizeof *v);
    for (size_t i = 0; i < k; i++)
        v[i] = *p[i];
    free(p);
    *n = k;
    return v;
}

/* Recorded findings that are current in the state but no longer produced. */
static void find_resolved(const audit_t *a, const state_t *st, entries_t *out)
{
    for (size_t i = 0; i < state_count(st); i++) {
        state_entry_t e;
        state_entry(st, i, &e);
        if (e.resolved)
            continue;
        int found = 0;
        for (size_t k = 0; k < a->findings.n && !found; k++)
            found = !strcmp(a->findings.items[k].id, e.id);
        if (!found)
            VEC_PUSH(*out, e);
    }
}

/* By file, then in the order met, so a file's problems (and the count of those left out)
 * stay together. */
static int by_path(const void *x, const void *y)
{
    const problem_t *a = *(const problem_t *const *)x, *b = *(const problem_t *const *)y;
    int c = strcmp(a->path, b->path);
    return c ? c : (a > b) - (a < b);
}

/* The data problems not reported before, each once even when met twice this run. */
static void new_problems(const problems_t *p, const state_t *st, problem_list_t *out)
{
    for (size_t i = 0; i < p->items.n; i++) {
        const problem_t *x = &p->items.items[i];
        int dup = state_problem_seen(st, x->text);
        for (size_t k = 0; k < out->n && !dup; k++)
            dup = !strcmp(out->items[k]->text, x->text);
        if (!dup)
            VEC_PUSH(*out, x);
    }
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, by_path);
}

/* Renders the report of the view: a->findings is swapped for it and restored, so every
 * format is the ordinary report of just the new findings. */
static int render_view(audit_t *a, finding_t *view, size_t n, const char *fmt, sbuf_t *out)
{
    finding_t *items = a->findings.items;
    size_t all = a->findings.n, cap = a->findings.cap;
    a->findings.items = view;
    a->findings.n = a->findings.cap = n;
    int rc = report_render(a, fmt, out);
    a->findings.items = items;
    a->findings.n = all;
    a->findings.cap = cap;
    return rc;
}

/* ---- the header that names the nearest deadline ---- */

typedef struct {
    const finding_t *next; /* nearest deadline still ahead, NULL when none */
    size_t passed;         /* findings whose deadline has passed */
    fen_t total;
} urgency_t;

static urgency_t urgency(const finding_t *v, size_t n, day_t today)
{
    urgency_t u = {NULL, 0, 0};
    for (size_t i = 0; i < n; i++) {
        fen_add(&u.total, v[i].amount);
        if (v[i].deadline == NO_DAY)
            continue;
        if (v[i].deadline < today)
            u.passed++;
        else if (!u.next || v[i].deadline < u.next->deadline)
            u.next = &v[i];
    }
    return u;
}

/* The first line, what a mail preview shows: how many are new and the deadline to act on
 * first (the report below repeats it in its summary, with the others). */
static void header_text(const cron_opts_t *c, const news_t *w, int md, sbuf_t *o)
{
    char d[16], m[32];
    size_t n = w->n, nres = w->res.n;
    urgency_t u = urgency(w->v, n, c->today);
    sb_addf(o, md ? "# billaudit cron %s\n\n" : "billaudit cron %s：", day_fmt(c->today, d));
    if (n)
        sb_addf(o, "新增 %zu 项发现（%s 元）", n, money_fmt(u.total, m));
    else
        sb_add(o, "没有新发现");
    if (u.next)
        sb_addf(o, md ? "，最近期限 **%s**（`%s`）" : "，最近期限 %s（%s）",
                day_fmt(u.next->deadline, d), u.next->id);
    if (u.passed)
        sb_addf(o, "；%s%zu 项可能已超出收费争议五个月申诉期限", u.next ? "另有 " : "", u.passed);
    if (nres)
        sb_addf(o, "；%zu 项已不再出现", nres);
    if (w->probs.n)
        sb_addf(o, "；%zu 个新的数据问题（见文末）", w->probs.n);
    sb_add(o, "。\n\n");
}

static void resolved_text(const entries_t *r, int md, sbuf_t *o)
{
    if (!r->n)
        return;
    sb_add(o, md ? "## 已不再出现的发现\n\n可能已退费或更正；只报告这一次。\n\n"
                 : "已不再出现的发现（可能已退费或更正；只报告这一次）：\n");
    for (size_t i = 0; i < r->n; i++) {
        const state_entry_t *e = &r->items[i];
        char m[32];
        sb_addf(o, md ? "- `%s` %s %s，%s 元，首次发现于 %s" : "  [%s] %s %s  %s 元  首次发现于 %s",
                e->id, e->category ? e->category : "?", e->period ? e->period : "-",
                e->has_amount ? money_fmt(e->amount, m) : "?", e->first_seen ? e->first_seen : "?");
        sb_addf(o, "%s%s\n", e->title ? (md ? "：" : "  ") : "", e->title ? e->title : "");
    }
}

/* After the findings: the new data problems, in the diagnostics' own "path:line: message"
 * form, so the user learns once that some evidence was not read. */
static void problems_text(const problem_list_t *p, int md, sbuf_t *o)
{
    if (!p->n)
        return;
    sb_add(o,
           md ? "## 新的数据问题\n\n被拒的行、跳过的文件和警告：审计可能因此不完整。只报告这一次；"
                "`billaudit audit` 每次都会列出。\n\n"
              : "新的数据问题（被拒的行、跳过的文件和警告：审计可能因此不完整。只报告这一次；"
                "billaudit audit 每次都会列出）：\n");
    for (size_t i = 0; i < p->n; i++)
        sb_addf(o, md ? "- `%s`\n" : "  %s\n", p->items[i]->text);
}

static cJSON *problems_json(const problem_list_t *p)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->n; i++) {
        const problem_t *x = p->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", x->kind);
        cJSON_AddStringToObject(o, "text", x->text);
        cJSON_AddStringToObject(o, "path", x->path);
        if (line_page(x->line) > 0) /* a PDF row: its page, then its row on the page */
            json_add_int(o, "page", line_page(x->line));
        cJSON_AddItemToObject(o, "line",
                              x->line > 0 ? json_int(line_row(x->line)) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "message", x->message);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* -f json: the ordinary report of the new findings plus a "cron" object. */
static int json_output(const cron_opts_t *c, const sbuf_t *body, const news_t *w, sbuf_t *o)
{
    const finding_t *v = w->v;
    size_t n = w->n;
    const entries_t *r = &w->res;
    /* The report's text is extended, never parsed again: cJSON would read its integers
     * back as doubles (1e+15, or rounded past 2^53). */
    const char *end = body->n > 2 ? body->p + body->n - 2 : NULL; /* the report ends "\n}\n" */
    if (!end || strcmp(end, "}\n") || end[-1] != '\n')
        return -1;
    char d[16];
    urgency_t u = urgency(v, n, c->today);
    cJSON *cr = cJSON_CreateObject();
    cJSON_AddStringToObject(cr, "date", day_fmt(c->today, d));
    json_add_int(cr, "new", n);
    if (u.next) {
        cJSON *nd = cJSON_AddObjectToObject(cr, "nearest_deadline");
        cJSON_AddStringToObject(nd, "id", u.next->id);
        cJSON_AddStringToObject(nd, "date", day_fmt(u.next->deadline, d));
    } else {
        cJSON_AddNullToObject(cr, "nearest_deadline");
    }
    json_add_int(cr, "past_deadline", u.passed);
    cJSON *ra = cJSON_AddArrayToObject(cr, "resolved");
    for (size_t i = 0; i < r->n; i++) {
        const state_entry_t *e = &r->items[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", e->id);
        cJSON_AddItemToObject(x, "category",
                              e->category ? cJSON_CreateString(e->category) : cJSON_CreateNull());
        cJSON_AddItemToObject(x, "period",
                              e->period ? cJSON_CreateString(e->period) : cJSON_CreateNull());
        cJSON_AddItemToObject(x, "amount_fen",
                              e->has_amount ? json_int(e->amount) : cJSON_CreateNull());
        cJSON_AddItemToObject(x, "first_seen",
                              e->first_seen ? cJSON_CreateString(e->first_seen)
                                            : cJSON_CreateNull());
        cJSON_AddItemToArray(ra, x);
    }
    cJSON_AddItemToObject(cr, "data_problems", problems_json(&w->probs));
    char *s = json_print(cr);
    cJSON_Delete(cr);
    if (!s)
        return -1;
    sb_addn(o, body->p, (size_t)(end - 1 - body->p));
    sb_add(o, ",\n\t\"cron\":\t");
    for (const char *q = s; *q; q++) { /* one level down: cJSON's strings hold no newline */
        sb_addc(o, *q);
        if (*q == '\n')
            sb_addc(o, '\t');
    }
    sb_add(o, "\n}\n");
    cJSON_free(s);
    return 0;
}

/* The whole output: new findings, resolved ones, new data problems. 0 ok. */
static int render(audit_t *a, const cron_opts_t *c, news_t *w, sbuf_t *o)
{
    sbuf_t body = {0};
    int rc = 0;
    int json = !strcmp(c->fmt, "json");
    if (w->n || json)
        rc = render_view(a, w->v, w->n, c->fmt, &body);
    if (rc == 0 && json) {
        rc = json_output(c, &body, w, o);
    } else if (rc == 0) {
        int md = !strcmp(c->fmt, "md");
        header_text(c, w, md, o);
        sb_addn(o, body.p ? body.p : "", body.n);
        if (body.n && w->res.n)
            sb_addc(o, '\n');
        resolved_text(&w->res, md, o);
        if ((body.n || w->res.n) && w->probs.n)
            sb_addc(o, '\n');
        problems_text(&w->probs, md, o);
    }
    sb_free(&body);
    return rc;
}

/* The findings are recorded only once their report is out: written whole and flushed.
 * A report that cannot be (a full disk, a reader that went away) leaves the state as it
 * was, so that the next run reports them again. One message: what is left unwritten is
 * dropped, and the final flush of stdout finds nothing to repeat the error about. */
static int print_all(const sbuf_t *o)
{
    if (fwrite(o->p ? o->p : "", 1, o->n, stdout) == o->n && fflush(stdout) == 0)
        return 0;
    int e = errno;
    __fpurge(stdout);
    clearerr(stdout);
    fprintf(stderr,
            "billaudit: write error: %s; the state file was not updated, so these findings "
            "will be reported again\n",
            strerror(e));
    return -1;
}

/* Records what was reported; 0 ok, 2 when the state could not be saved. */
static int record(state_t *st, const cron_opts_t *c, const news_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        state_record(st, &w->v[i], c->today);
    for (size_t i = 0; i < w->res.n; i++)
        state_mark_resolved(st, w->res.items[i].id, c->today);
    for (size_t i = 0; i < w->probs.n; i++)
        state_record_problem(st, w->probs.items[i]->text, c->today);
    if (state_save(st, c->state_file) == 0)
        return 0;
    fprintf(stderr,
            "%s: cannot save the state: %s; the previous state is intact and these "
            "findings will be reported again\n",
            name_shown(c->state_path), strerror(errno));
    return 2;
}

/* Under the lock: compare with the state, report, record. New findings make exit 1; new
 * data problems alone are printed (cron mails them) but exit 0, as the spec gives 1 to
 * new findings only. */
static int with_state(audit_t *a, const problems_t *probs, const cron_opts_t *c)
{
    char msg[512];
    state_t *st = state_load(c->state_file, msg, sizeof msg);
    if (!st) {
        fprintf(stderr,
                "%s\nbillaudit cron: the state file was left as it is; fix or move it "
                "(a new one is created when it is missing)\n",
                msg);
        return 2;
    }
    news_t w = {0};
    w.v = new_view(a, st, c->today, &w.n);
    if (c->report_resolved)
        find_resolved(a, st, &w.res);
    new_problems(probs, st, &w.probs);
    int any = w.n || w.res.n || w.probs.n, rc = 0;
    if (any) {
        sbuf_t o = {0};
        rc = render(a, c, &w, &o) != 0 || print_all(&o) != 0 ? 2 : (w.n || w.res.n);
        sb_free(&o);
    }
    if (rc != 2 && (any || !state_existed(st)))
        rc = record(st, c, &w) ? 2 : rc;
    VEC_FREE(w.res);
    VEC_FREE(w.probs);
    free(w.v);
    state_free(st);
    return rc;
}

/* Runs the audit with its diagnostics collected into probs rather than printed (they are
 * reported once, not every month); when an input is unusable, runs it again aloud so the
 * user sees why. */
static int audit_quietly(audit_t *a, problems_t *probs, const char *account, char **paths, int n)
{
    problems_capture(probs);
    int rc = cli_run_audit(a, account, paths, n, NULL);
    problems_uncapture();
    if (rc != 0 && (a->bad_input || a->fatal)) {
        audit_free(a);
        audit_init(a);
        rc = cli_run_audit(a, account, paths, n, NULL);
        rc = rc ? rc : 2;
    }
    if (rc == 0)
        problems_add_audit(probs, a);
    return rc;
}

static int cron_locked(audit_t *a, const problems_t *probs, cron_opts_t *c)
{
    char msg[512];
    char *file = state_resolve(c->state_path, msg, sizeof msg);
    if (!file) {
        fprintf(stderr, "billaudit cron: %s\n", msg);
        return 2;
    }
    c->state_file = file;
    int rc = 2, lock = -1;
    if (output_refused(file)) {
        free(file);
        c->state_file = NULL;
        return 2;
    }
    if (state_make_dir(file, msg, sizeof msg) != 0 ||
        (lock = state_lock(file, c->wait_ms, msg, sizeof msg)) < 0)
        fprintf(stderr, "billaudit cron: %s\n", msg);
    else
        rc = with_state(a, probs, c);
    if (lock >= 0)
        close(lock);
    c->state_file = NULL;
    free(file);
    return rc;
}

static int parse_wait(const char *s, long *ms)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 10;
    if (s && (errno || end == s || *end || v < 0 || v > 3600))
        return -1;
    *ms = v * 1000;
    return 0;
}

int cmd_cron(int argc, char **argv)
{
    const char *account = NULL, *fmt = NULL, *state = NULL, *wait = NULL;
    int resolved = 0;
    const opt_t opts[] = {
        {0, "state", "FILE", "state file (default $XDG_STATE_HOME/billaudit/state.json)", OPT_STR,
         &state},
        {'a', "account", "FILE",
         "account profile (doc/profile.md); rules that need it are skipped without it", OPT_STR,
         &account},
        {'f', "format", "FMT", "text, md or json (default: text)", OPT_STR, &fmt},
        {0, "report-resolved", NULL, "also report, once, findings no longer produced", OPT_FLAG,
         &resolved},
        {0, "wait", "SECONDS", "wait this long for another run's lock (default 10)", OPT_STR,
         &wait},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    cron_opts_t c = {fmt ? fmt : "text", NULL, NULL, resolved, 0, NO_DAY};
    if (strcmp(c.fmt, "text") && strcmp(c.fmt, "md") && strcmp(c.fmt, "json")) {
        fprintf(stderr, "billaudit cron: unknown format \"%s\" (text, md, json)\n",
                diag_quote(c.fmt));
        return 2;
    }
    if (parse_wait(wait, &c.wait_ms) != 0) {
        fprintf(stderr, "billaudit cron: --wait takes a number of seconds from 0 to 3600\n");
        return 2;
    }
    if (cron_today(&c.today) != 0)
        return 2;
    if (state && !*state) {
        fprintf(stderr, "billaudit cron: --state needs a file name\n");
        return 2;
    }
    char *path = state ? xstrdup(state) : state_default_path();
    if (!path) {
        fprintf(
            stderr,
            "billaudit cron: no home directory (HOME) to keep the state in; give --state FILE\n");
        return 2;
    }
    c.state_path = path;
    audit_t a;
    audit_init(&a);
    problems_t probs = {0};
    int rc = audit_quietly(&a, &probs, account, argv + first, argc - first);
    if (rc == 0)
        rc = cron_locked(&a, &probs, &c);
    problems_free(&probs);
    audit_free(&a);
    free(path);
    return rc;
}
