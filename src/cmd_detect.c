/* billaudit detect: what each input is, as billaudit reads it. */
#include "audit.h"
#include "json_int.h"
#include "json_utf8.h"
#include "cli.h"
#include "parser.h"
#include "payments.h"
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "detect PATH...";
static const char summary[] =
    "Prints, per file: how an archive member was stored and the container its rows came\n"
    "from (zip(aes), pdf p1-N, xls, xml2003, html-table), the format chosen from its content, the\n"
    "encoding, the records read and rejected, the months covered and the usage coverage it\n"
    "declares. --records also lists every normalised record with its line number; --verbose\n"
    "shows each parser's score. -f json writes the same facts as one JSON document (schema\n"
    "billaudit/detect/v1, in doc/detect-json.md); --records is text only.";

/* Whole months inside the declared period [from, to]; 0 when none. */
static int covered_months(day_t from, day_t to, ym_t *lo, ym_t *hi)
{
    *lo = ym_of_day(from), *hi = ym_of_day(to);
    if (ym_first_day(*lo) < from)
        (*lo)++;
    if (ym_last_day(*hi) > to)
        (*hi)--;
    return *lo <= *hi;
}

/* Usage logs and the operator's payment history declare what they cover. */
static int has_coverage(const source_t *s)
{
    return s->ukind >= 0 || str_eq(s->format, "operator-payments");
}

/* Months wholly inside the source's declared period. */
static void print_coverage(const source_t *s)
{
    if (!has_coverage(s))
        return;
    if (s->decl_from == NO_DAY) {
        printf(", covers: none declared");
        return;
    }
    ym_t lo, hi;
    char a[16], b[16], d0[16], d1[16];
    printf(", declared %s..%s", day_fmt(s->decl_from, d0), day_fmt(s->decl_to, d1));
    if (!covered_months(s->decl_from, s->decl_to, &lo, &hi))
        printf(", covers: no whole month");
    else
        printf(", covers %s..%s", ym_fmt(lo, a), ym_fmt(hi, b));
}

/* The containers detect named through the encoding before archives, PDF and the other
 * workbooks were read (UTF-8, GB18030, XLSX): the others are named first. */
static int reader_shown(const char *reader)
{
    static const char *const plain[] = {"", "csv", "tsv", "text", "xlsx"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (!strcmp(reader, plain[i]))
            return 0;
    return 1;
}

static void print_source(const source_t *s)
{
    char a[16], b[16];
    printf("%s: ", name_shown(s->path));
    if (s->archive)
        printf("%s, ", s->label); /* how the member was stored: zip, zip(aes), ... */
    if (reader_shown(s->reader))
        printf("%s, ", s->reader); /* pdf p1–12, xls, html-table, xml2003 */
    printf("%s, %s, %ld records, %ld rejected", s->format, s->encoding, s->records, s->rejected);
    if (s->from != NO_YM)
        printf(", period %s..%s", ym_fmt(s->from, a), ym_fmt(s->to, b));
    print_coverage(s);
    if (s->duplicate_of >= 0)
        printf(", identical to an earlier file (counted once)");
    if (s->note)
        printf("; note: %s", s->note);
    printf("\n");
}

/* ---- -f json: one document, schema billaudit/detect/v1 (doc/detect-json.md) ---- */

static void json_str(cJSON *o, const char *k, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

/* {"from": a, "to": b} of two formatted values, or null. */
static void json_range(cJSON *o, const char *k, const char *from, const char *to)
{
    if (!from) {
        cJSON_AddNullToObject(o, k);
        return;
    }
    cJSON *r = cJSON_AddObjectToObject(o, k);
    cJSON_AddStringToObject(r, "from", from);
    cJSON_AddStringToObject(r, "to", to);
}

static cJSON *json_source(const audit_t *a, const source_t *s)
{
    cJSON *o = cJSON_CreateObject();
    char f[16], t[16];
    json_str(o, "path", s->path);
    json_str(o, "container", s->label);
    json_str(o, "reader", s->reader);
    json_str(o, "format", s->format);
    json_str(o, "encoding", s->encoding);
    json_str(o, "sha256", s->sha256);
    json_add_int(o, "records", s->records);
    json_add_int(o, "rejected", s->rejected);
    int months = s->from != NO_YM;
    json_range(o, "period", months ? ym_fmt(s->from, f) : NULL, months ? ym_fmt(s->to, t) : NULL);
    int decl = s->decl_from != NO_DAY;
    json_range(o, "declared", decl ? day_fmt(s->decl_from, f) : NULL,
               decl ? day_fmt(s->decl_to, t) : NULL);
    ym_t lo, hi;
    int covers = has_coverage(s) && decl && covered_months(s->decl_from, s->decl_to, &lo, &hi);
    json_range(o, "covers", covers ? ym_fmt(lo, f) : NULL, covers ? ym_fmt(hi, t) : NULL);
    json_str(o, "identical_to",
             s->duplicate_of >= 0 ? a->sources.items[s->duplicate_of].path : NULL);
    json_str(o, "note", s->note);
    return o;
}

static int print_json(const audit_t *a)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "billaudit/detect/v1");
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "billaudit");
    cJSON_AddStringToObject(tool, "version", BILLAUDIT_VERSION);
    cJSON *files = cJSON_AddArrayToObject(root, "files");
    for (size_t i = 0; i < a->sources.n; i++)
        cJSON_AddItemToArray(files, json_source(a, &a->sources.items[i]));
    cJSON *sk = cJSON_AddArrayToObject(root, "skipped");
    for (size_t i = 0; i < a->skipped.n; i++) {
        cJSON *o = cJSON_CreateObject();
        json_str(o, "path", a->skipped.items[i].path);
        json_str(o, "reason", a->skipped.items[i].reason);
        cJSON_AddItemToArray(sk, o);
    }
    char *s = json_print(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    puts(s);
    cJSON_free(s);
    return 0;
}

/* What has been printed so far; records and scores of the file being read. */
typedef struct {
    size_t sources, skipped, payments;
    int records; /* --records: payments are listed too */
    int json;    /* -f json: nothing is printed until the end */
    sbuf_t dump, scores;
} shown_t;

static const char *const dir_names[] = {"out", "in", "neutral"};
static const char *const status_names[] = {"completed", "closed", "refund", "other"};

/* "  23: payment … refunded 25.80 (line 22) | …": the refunds the audit links, by line;
 * first is the first refund row linked to p (next chains the others), -1 when none. */
static void dump_payment(sbuf_t *o, const audit_t *a, size_t i, long first, const long *next,
                         const payment_t *original)
{
    const payment_t *p = &a->payments.items[i];
    char t[24], f[32], g[32], at[48];
    sb_addf(o, "  %s: payment %s %s %s %s refunded %s", line_text(p->prov.line, at, sizeof at),
            ts_fmt(p->time, t), dir_names[p->dir % 3], status_names[p->status % 4],
            money_fmt(p->amount, f), money_fmt(p->refunded, g));
    for (long j = first; j >= 0; j = next[j])
        sb_addf(o, "%s%s", j == first ? " (line " : ", ",
                line_text(a->payments.items[j].prov.line, at, sizeof at));
    sb_add(o, first >= 0 ? ")" : "");
    sb_addf(o, " | %s | %s | id %s", p->counterparty ? p->counterparty : "", p->item ? p->item : "",
            p->txid ? p->txid : "-");
    if (original && original->prov.src == p->prov.src)
        sb_addf(o, " | refunds line %s", line_text(original->prov.line, at, sizeof at));
    else if (original)
        sb_addf(o, " | refunds %s:%s", name_shown(a->sources.items[original->prov.src].path),
                line_text(original->prov.line, at, sizeof at));
    sb_addc(o, '\n');
}

/* The payments the last input added, after the audit's refund linking. */
static void dump_payments(audit_t *a, shown_t *sh)
{
    size_t n = a->payments.n, from = sh->payments;
    if (from >= n)
        return;
    payments_link_refunds(a);
    long *first = xcalloc(n, sizeof *first), *next = xcalloc(n, sizeof *next);
    const payment_t **orig = xcalloc(n, sizeof *orig);
    for (size_t i = 0; i < n; i++)
        first[i] = next[i] = -1;
    for (size_t j = n; j-- > from;) { /* backwards: each chain in line order */
        orig[j] = payment_refunded_by(a, &a->payments.items[j]);
        if (orig[j]) {
            size_t o = (size_t)(orig[j] - a->payments.items);
            next[j] = first[o];
            first[o] = (long)j;
        }
    }
    for (size_t i = from; i < n; i++)
        dump_payment(&sh->dump, a, i, first[i], next, orig[i]);
    free(first), free(next), free(orig);
    sh->payments = n;
}

/* Prints what the last input added, file by file: its line (or why it was skipped),
 * then its parser scores and its records, so a directory reads like its files one
 * after another. Scores go to stderr as diagnostics do; stdout is flushed first so
 * that both stay in order on one terminal. */
static void show_new(audit_t *a, const input_t *in, void *ctx)
{
    (void)in;
    shown_t *sh = ctx;
    if (sh->json)
        return;
    for (; sh->sources < a->sources.n; sh->sources++)
        print_source(&a->sources.items[sh->sources]);
    for (; sh->skipped < a->skipped.n; sh->skipped++)
        printf("%s: skipped: %s\n", name_shown(a->skipped.items[sh->skipped].path),
               a->skipped.items[sh->skipped].reason);
    if (sh->records)
        dump_payments(a, sh);
    if (sh->scores.n) {
        fflush(stdout);
        fputs(sh->scores.p, stderr);
        sb_clear(&sh->scores);
    }
    if (sh->dump.n) {
        fputs(sh->dump.p, stdout);
        sb_clear(&sh->dump);
    }
}

/* One PATH: a directory is expanded by the walker the audit uses. */
static int detect_path(audit_t *a, char *path, shown_t *sh)
{
    inputs_t in = {0};
    audit_inputs(a, &path, 1, &in);
    show_new(a, NULL, sh); /* entries of a directory that could not be read */
    int rc = audit_load_inputs(a, &in, show_new, sh);
    inputs_free(&in);
    a->bad_input = 0;
    return rc;
}

int cmd_detect(int argc, char **argv)
{
    int records = 0, verbose = 0;
    const char *fmt = "text";
    const opt_t opts[] = {
        {'f', "format", "FMT", "text (default) or json", OPT_STR, &fmt},
        {'r', "records", NULL, "list every normalised record", OPT_FLAG, &records},
        {'v', "verbose", NULL, "show why each parser scored each file as it did", OPT_FLAG,
         &verbose},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (first >= argc) {
        fprintf(stderr, "billaudit detect: no input given\n");
        opts_usage(stderr, usage, opts);
        return 2;
    }
    int json = !strcmp(fmt, "json");
    if (!json && strcmp(fmt, "text")) {
        fprintf(stderr, "billaudit detect: unknown format \"%s\" (text, json)\n", diag_quote(fmt));
        return 2;
    }
    if (json && records) {
        fprintf(stderr, "billaudit detect: --records lists records as text only (no -f json)\n");
        return 2;
    }
    audit_t a;
    audit_init(&a);
    shown_t sh = {0};
    sh.records = records;
    sh.json = json;
    a.dump = records ? &sh.dump : NULL;
    a.scores = verbose ? &sh.scores : NULL;
    int rc = 0;
    for (int i = first; i < argc; i++)
        if (detect_path(&a, argv[i], &sh) != 0)
            rc = 2;
    if (json) {
        if (sh.scores.n)
            fputs(sh.scores.p, stderr);
        if (print_json(&a) != 0)
            rc = 2;
    }
    sb_free(&sh.dump);
    sb_free(&sh.scores);
    audit_free(&a);
    return rc;
}
