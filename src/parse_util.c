/* What parsers call to emit records: each record gets its provenance and is
 * counted on its source. */
#include "parser.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

source_t *parse_source(parse_t *p)
{
    return &p->audit->sources.items[p->src];
}

/* The first data row: what comes before it is the file's header (preamble, titles, the
 * column names), which a redacted copy keeps. */
static void note_row(source_t *s, long line)
{
    if (line > 0 && (!s->first_row || line < s->first_row))
        s->first_row = line;
}

prov_t parse_prov(parse_t *p, const row_t *r)
{
    return (prov_t){p->src, r->line, xstrdup(r->raw ? r->raw : ""), r->damaged};
}

void parse_reject(parse_t *p, const row_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(p->path, r ? r->line : 0, fmt, ap);
    va_end(ap);
    parse_source(p)->rejected++;
    if (r)
        note_row(parse_source(p), r->line);
    if (p->audit->strict)
        p->audit->fatal = 1;
}

/* Record strings live in the audit's pool (src/strpool.h): names shared, once; the rest
 * packed. NULL for an empty or absent optional one. */
static char *name_of(parse_t *p, const char *s)
{
    return strpool_intern(&p->audit->strings, s ? s : "");
}

static char *name_or_null(parse_t *p, const char *s)
{
    return s && *s ? name_of(p, s) : NULL;
}

static char *copy_or_null(parse_t *p, const char *s)
{
    return s && *s ? strpool_copy(&p->audit->strings, s) : NULL;
}

/* A record's citation, its text in the pool. */
static prov_t record_prov(parse_t *p, const row_t *r)
{
    return (prov_t){p->src, r->line, strpool_copy(&p->audit->strings, r->raw ? r->raw : ""),
                    r->damaged};
}

static void widen_months(source_t *s, ym_t m)
{
    if (m == NO_YM)
        return;
    if (s->from == NO_YM || m < s->from)
        s->from = m;
    if (s->to == NO_YM || m > s->to)
        s->to = m;
}

void parse_bill_line(parse_t *p, const row_t *r, bill_line_t *line)
{
    audit_t *a = p->audit;
    source_t *s = parse_source(p);
    s->records++;
    note_row(s, r->line);
    if (a->dump) {
        char m[16], f[32], at[48];
        sb_addf(a->dump, "  %s: bill %s | %s | %s | %s%s%s\n", line_text(r->line, at, sizeof at),
                ym_fmt(line->period, m), line->category ? line->category : "",
                line->item ? line->item : "", money_fmt(line->amount, f),
                line->number ? " | number " : "", line->number ? line->number : "");
    }
    /* Lines of another number on a family bill are ignored: lines that name
     * no number belong to the account. */
    if (line->number && *line->number && !account_number_matches(&a->acct, line->number))
        return;
    bill_line_t b = *line;
    b.category = name_of(p, line->category);
    b.item = name_of(p, line->item);
    b.number = name_or_null(p, line->number);
    b.note = name_or_null(p, line->note);
    b.cls = CL_OTHER;
    b.service = -1;
    b.dup = b.excluded = 0;
    b.prov = record_prov(p, r);
    widen_months(s, b.period);
    VEC_PUSH(a->bills, b);
}

/* A broadband session is usage on every day it overlaps; bounded for hostile input. */
#define MAX_SESSION_DAYS 400

/* One line of detect --records; duration and volume only when the log states them. */
static void dump_usage(sbuf_t *out, const row_t *r, const usage_t *u)
{
    char t0[24], t1[24], f[32], at[48];
    sb_addf(out, "  %s: %s %s%s%s fee %s", line_text(r->line, at, sizeof at), ukind_names[u->kind],
            ts_fmt(u->start, t0), u->end != NO_TS ? " to " : "",
            u->end != NO_TS ? ts_fmt(u->end, t1) : "", money_fmt(u->fee, f));
    if (u->has_seconds)
        sb_addf(out, " duration %lld s", (long long)u->seconds);
    if (u->has_bytes)
        sb_addf(out, " volume %lld B", (long long)u->bytes);
    sb_addf(out, "%s%s%s%s%s\n", u->incoming ? " incoming" : "", u->name ? " | " : "",
            u->name ? u->name : "", u->number ? " | number " : "", u->number ? u->number : "");
}

void parse_usage(parse_t *p, const row_t *r, const usage_t *u)
{
    audit_t *a = p->audit;
    source_t *s = parse_source(p);
    s->records++;
    note_row(s, r->line);
    if (a->dump)
        dump_usage(a->dump, r, u);
    if (u->number && *u->number && !account_number_matches(&a->acct, u->number))
        return;
    day_t d0 = ts_day(u->start);
    day_t d1 = u->end != NO_TS && u->end > u->start ? ts_day(u->end) : d0;
    if (d1 - d0 > MAX_SESSION_DAYS)
        d1 = d0 + MAX_SESSION_DAYS;
    usage_add(a, p->src, u->kind, d0, u->fee);
    for (day_t d = d0 + 1; d <= d1; d++)
        usage_add(a, p->src, u->kind, d, 0);
    widen_months(s, ym_of_day(d0));
    widen_months(s, ym_of_day(d1));
    if (u->kind == U_VAS) {
        vas_rec_t v = {u->start, name_of(p, u->name), name_or_null(p, u->provider), u->fee,
                       record_prov(p, r)};
        VEC_PUSH(a->vas_records, v);
    }
}

/* detect --records lists payments once their file is read (src/cmd_detect.c): only then
 * is a refund row linked to the payment it refunds. */
void parse_payment(parse_t *p, const row_t *r, payment_t *pay)
{
    source_t *s = parse_source(p);
    s->records++;
    note_row(s, r->line);
    payment_t c = *pay;
    c.counterparty = name_of(p, pay->counterparty);
    c.account = name_of(p, pay->account);
    c.item = name_of(p, pay->item);
    c.method = name_of(p, pay->method);
    c.txid = copy_or_null(p, pay->txid);
    c.merchant_id = name_or_null(p, pay->merchant_id);
    c.dup = 0;
    c.prov = record_prov(p, r);
    widen_months(s, ym_of_day(ts_day(c.time)));
    VEC_PUSH(p->audit->payments, c);
}

void parse_credit(parse_t *p, const row_t *r, credit_t *cr)
{
    source_t *s = parse_source(p);
    s->records++;
    note_row(s, r->line);
    if (p->audit->dump) {
        char t[24], f[32], at[48];
        sb_addf(p->audit->dump, "  %s: credit %s %s %s | %s | id %s\n",
                line_text(r->line, at, sizeof at), ts_fmt(cr->time, t), money_fmt(cr->amount, f),
                cr->ok ? "ok" : "not-credited", cr->channel ? cr->channel : "",
                cr->txid ? cr->txid : "-");
    }
    credit_t c = *cr;
    c.txid = copy_or_null(p, cr->txid);
    c.channel = name_of(p, cr->channel);
    c.method = name_of(p, cr->method);
    c.dup = c.used = 0;
    c.prov = record_prov(p, r);
    widen_months(s, ym_of_day(ts_day(c.time)));
    VEC_PUSH(p->audit->credits, c);
}

void parse_clause(parse_t *p, long line, const char *first_line, const char *text,
                  const char *label, int damaged)
{
    parse_source(p)->records++;
    note_row(parse_source(p), line);
    char at[48];
    if (p->audit->dump)
        sb_addf(p->audit->dump, "  %s: clause %s\n", line_text(line, at, sizeof at),
                text ? text : "");
    clause_t c;
    c.prov = (prov_t){p->src, line, xstrdup(first_line ? first_line : ""), damaged};
    c.text = xstrdup(text ? text : "");
    c.label = xstrdup(label ? label : "");
    VEC_PUSH(p->audit->clauses, c);
}
