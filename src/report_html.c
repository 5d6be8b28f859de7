/* -f html: one self-contained page (src/templates/report-html.txt). The context is that
 * of src/docctx.c plus what only a page shows: the charts of src/charts.c and
 * src/charts_pay.c, the deadlines still ahead, the files read. No script, no external
 * resource, no URL: it opens from a USB stick or an e-mail attachment and prints. */
#include "charts.h"
#include "docctx.h"
#include "report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int report_html(const audit_t *a, sbuf_t *out);

/* ---- deadlines still ahead, nearest first (the headline) ---- */

static void add_upcoming(const doc_t *d, tctx_t *root)
{
    static const char *const kind_keys_dl[] = {"k_appeal_from", "k_miit", "k_12315", "k_court"};
    tctx_list(root, "upcoming");
    for (size_t i = 0; i < d->deadlines.n; i++) {
        const deadline_t *dl = &d->deadlines.items[i];
        if (dl->date < d->today)
            continue;
        tctx_t *c = tctx_add(root, "upcoming");
        doc_set_day(c, "date", dl->date);
        tctx_setf(c, "days", "%ld", (long)(dl->date - d->today));
        tctx_set(c, "is_today", dl->date == d->today ? "1" : "");
        tctx_set(c, "basis", dl->basis);
        for (int k = 0; k < 4; k++)
            tctx_set(c, kind_keys_dl[k], (int)dl->kind == k ? "1" : "");
        if (dl->kind != DL_MIIT)
            continue;
        fen_t total = 0;
        VEC(ym_t) ms = {0};
        for (size_t k = 0; k < dl->findings.n; k++) {
            const finding_t *f = &d->a->findings.items[dl->findings.items[k]];
            total = chart_add(total, f->amount);
            int seen = 0;
            for (size_t j = 0; j < ms.n && !seen; j++)
                seen = ms.items[j] == f->period;
            if (!seen && f->period != NO_YM)
                VEC_PUSH(ms, f->period);
        }
        sbuf_t b = {0};
        for (size_t j = 0; j < ms.n; j++) {
            char m[16];
            sb_add(&b, j ? "、" : "");
            sb_add(&b, ym_fmt(ms.items[j], m));
        }
        char *list = sb_take(&b);
        tctx_set(c, "months_list", list);
        free(list);
        VEC_FREE(ms);
        tctx_setf(c, "count", "%zu", dl->findings.n);
        doc_set_money(c, "total", total);
    }
}

/* ---- the files read ---- */

static void add_sources(const audit_t *a, tctx_t *root)
{
    tctx_list(root, "sources");
    for (size_t i = 0; i < a->sources.n; i++) {
        const source_t *s = &a->sources.items[i];
        tctx_t *c = tctx_add(root, "sources");
        char f[16], t[16];
        tctx_set(c, "path", name_shown(s->path));
        tctx_set(c, "format", s->format ? s->format : "");
        tctx_set(c, "encoding", s->encoding);
        tctx_setf(c, "records", "%ld", s->records);
        tctx_setf(c, "rejected", "%ld", s->rejected);
        tctx_set(c, "duplicate",
                 s->duplicate_of >= 0 ? name_shown(a->sources.items[s->duplicate_of].path) : "");
        if (s->from != NO_YM && s->to != NO_YM && s->from != s->to)
            tctx_setf(c, "period", "%s 至 %s", ym_fmt(s->from, f), ym_fmt(s->to, t));
        else
            tctx_set(c, "period", s->from != NO_YM ? ym_fmt(s->from, f) : "");
    }
}

int report_html(const audit_t *a, sbuf_t *out)
{
    doc_t d;
    doc_init(&d, a, billaudit_today());
    add_upcoming(&d, d.root);
    charts_services(a, d.root);
    charts_payments(a, d.root);
    add_sources(a, d.root);
    int rc = tmpl_render_file("src/templates/report-html.txt", d.root, TMPL_HTML, out, NULL, NULL);
    doc_free(&d);
    return rc;
}
