/* Report dispatch and the plain-text report. */
#include "report.h"
#include "rule.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_json(const audit_t *a, sbuf_t *out);
int report_md(const audit_t *a, sbuf_t *out);
int report_html(const audit_t *a, sbuf_t *out);

static const char *src_path(const audit_t *a, const prov_t *p)
{
    if (p->src >= 0 && (size_t)p->src < a->sources.n)
        return a->sources.items[p->src].path;
    return a->account_path ? a->account_path : "account.json";
}

static void text_summary(const audit_t *a, sbuf_t *o)
{
    char m[32];
    fen_t total = 0;
    for (size_t i = 0; i < a->findings.n; i++)
        total += a->findings.items[i].amount;
    sb_addf(o, "billaudit %s — %zu finding(s), %s yuan in dispute\n\n", BILLAUDIT_VERSION,
            a->findings.n, money_fmt(total, m));
    if (!a->findings.n)
        return;
    sb_addf(o, "%-22s %-20s %10s\n", "category", "months", "amount");
    for (const char *cat = NULL;;) {
        /* next category in order of first appearance */
        const char *next = NULL;
        for (size_t i = 0; i < a->findings.n && !next; i++) {
            const char *c = a->findings.items[i].category;
            int seen = 0;
            for (size_t k = 0; k < i && !seen; k++)
                seen = !strcmp(a->findings.items[k].category, c);
            if (!seen && (!cat || strcmp(c, cat) > 0))
                if (!next || strcmp(c, next) < 0)
                    next = c;
        }
        if (!next)
            break;
        fen_t sum = 0;
        ym_t lo = NO_YM, hi = NO_YM;
        int n = 0;
        for (size_t i = 0; i < a->findings.n; i++) {
            const finding_t *f = &a->findings.items[i];
            if (strcmp(f->category, next))
                continue;
            n++;
            sum += f->amount;
            if (f->period != NO_YM && (lo == NO_YM || f->period < lo))
                lo = f->period;
            if (f->period != NO_YM && (hi == NO_YM || f->period > hi))
                hi = f->period;
        }
        char l[16], h[16], span[40];
        if (lo == NO_YM)
            snprintf(span, sizeof span, "%d clause(s)", n);
        else if (lo == hi)
            snprintf(span, sizeof span, "%s", ym_fmt(lo, l));
        else
            snprintf(span, sizeof span, "%s..%s", ym_fmt(lo, l), ym_fmt(hi, h));
        sb_addf(o, "%-22s %-20s %10s\n", next, span, money_fmt(sum, m));
        cat = next;
    }
    sb_addc(o, '\n');
}

static void text_finding(const audit_t *a, const finding_t *f, sbuf_t *o)
{
    char m[32], p[16], d[16];
    sb_addf(o, "[%s] %s %s %s  %s yuan  (%s)\n", f->id, f->category, f->period != NO_YM ? ym_fmt(f->period, p) : "-",
            f->term_type ? f->term_type : "", money_fmt(f->amount, m), f->severity);
    if (f->title)
        sb_addf(o, "  %s\n", f->title);
    if (f->explanation && *f->explanation)
        sb_addf(o, "  %s\n", f->explanation);
    for (size_t i = 0; i < f->evidence.n; i++)
        sb_addf(o, "    %s:%ld: %s\n", src_path(a, &f->evidence.items[i]), f->evidence.items[i].line,
                f->evidence.items[i].text ? f->evidence.items[i].text : "");
    for (int i = 0; f->basis && f->basis[i]; i++) {
        const law_t *l = law_find(f->basis[i]);
        if (l)
            sb_addf(o, "  依据: %s%s\n", l->law, l->article);
    }
    if (f->remedy && *f->remedy)
        sb_addf(o, "  建议: %s\n", f->remedy);
    if (f->deadline != NO_DAY)
        sb_addf(o, "  工信部申诉期限(收费争议): %s\n", day_fmt(f->deadline, d));
    sb_addc(o, '\n');
}

static int report_text(const audit_t *a, sbuf_t *o)
{
    text_summary(a, o);
    for (size_t i = 0; i < a->findings.n; i++)
        text_finding(a, &a->findings.items[i], o);
    for (size_t i = 0; i < a->rules_skipped.n; i++)
        sb_addf(o, "skipped rule %s: needs %s\n", a->rules_skipped.items[i].rule,
                a->rules_skipped.items[i].needs);
    for (size_t i = 0; i < a->skipped.n; i++)
        sb_addf(o, "skipped file %s: %s\n", a->skipped.items[i].path, a->skipped.items[i].reason);
    for (size_t i = 0; i < a->warnings.n; i++)
        sb_addf(o, "warning: %s: %s\n", a->warnings.items[i].source, a->warnings.items[i].message);
    return 0;
}

static const struct {
    const char *name;
    int (*render)(const audit_t *, sbuf_t *);
} formats[] = {
    {"json", report_json},
    {"text", report_text},
    {"md", report_md},
    {"html", report_html},
    {NULL, NULL},
};

int report_render(const audit_t *a, const char *fmt, sbuf_t *out)
{
    for (int i = 0; formats[i].name; i++)
        if (!strcmp(formats[i].name, fmt))
            return formats[i].render(a, out);
    return -1;
}

int report_write(const audit_t *a, const char *fmt, const char *path)
{
    sbuf_t out = {0};
    if (report_render(a, fmt, &out) != 0) {
        sb_free(&out);
        fprintf(stderr, "billaudit: unknown format \"%s\" (json, text, md, html)\n", fmt);
        return -1;
    }
    int rc = 0;
    if (!path || !strcmp(path, "-")) {
        rc = fwrite(out.p ? out.p : "", 1, out.n, stdout) == out.n ? 0 : -1;
        fflush(stdout);
    } else if (write_file_atomic(path, out.p ? out.p : "", out.n) != 0) {
        perror(path);
        rc = -1;
    }
    sb_free(&out);
    return rc;
}
