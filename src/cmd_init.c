/* billaudit init: drafts the account profile from the downloaded files (issue 13).
 * The inference is src/init.c, the questions src/init_ask.c; this file is the
 * command line, the writing, and the note on stderr of what is missing. */
#include "audit.h"
#include "cli.h"
#include "init.h"
#include "json_utf8.h"
#include "parties.h"
#include "rule.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "init PATH...";
static const char summary[] =
    "Drafts the account profile (doc/profile.md) from the downloaded files: operator, number,\n"
    "holder, the plan and its usual fee, broadband services, the value-added services\n"
    "billed. On a terminal it asks, in Chinese, only what the files cannot tell or where\n"
    "they disagree (Enter accepts the value shown). With --yes or without a terminal it\n"
    "writes what the files tell, leaves the rest out and lists on stderr what is missing\n"
    "and which rules that turns off. Every inferred value names its evidence under\n"
    "\"_source\". Exit status: 0 written, 2 error.";

/* ---- the note on stderr ---- */

static void note_fact(const ifact_t *f, const char *field)
{
    if (f->value)
        fprintf(stderr, "  %-22s %s  (%s)\n", field, f->value,
                f->source ? f->source : "your answer");
    if (f->seen.n < 2)
        return;
    fprintf(stderr, "  ! %s: the files disagree:", field);
    for (size_t i = 0; i < f->seen.n; i++)
        fprintf(stderr, "%s %s (%s)", i ? "," : "", f->seen.items[i].value,
                f->seen.items[i].source);
    fprintf(stderr, "\n");
}

static void note_service(const draft_t *d, const isvc_t *s, const char *field)
{
    char fee[32], f[16], l[16];
    fprintf(stderr, "  %-22s %s  (%s)\n", field, s->name,
            s->name_source ? s->name_source : "your answer");
    if (s->has_fee)
        fprintf(stderr, "  %-22s %s  (%s)\n", "  monthly_fee", money_fmt(s->fee, fee),
                s->fee_source ? s->fee_source : "your answer");
    if (s->months)
        fprintf(stderr, "  %-22s %s..%s, %d of %d bill months\n", "  billed", ym_fmt(s->first, f),
                ym_fmt(s->last, l), s->months, d->bill_months);
    if (s->fees.n > 1) {
        fprintf(stderr, "  ! %s.monthly_fee: the billed fee varies:", field);
        for (size_t i = 0; i < s->fees.n; i++) {
            const ifee_t *x = &s->fees.items[i];
            fprintf(stderr, "%s %s in %d month%s%s%s (%s)", i ? ";" : "", money_fmt(x->fee, fee),
                    x->months, x->months > 1 ? "s" : "", x->months <= 3 ? ": " : "",
                    x->months <= 3 ? x->month_list : "", x->source);
        }
        fprintf(stderr,
                "; price-mismatch reports every month billed above the monthly_fee written: "
                "check it against your contract\n");
    }
}

static void note_inferred(const draft_t *d)
{
    fprintf(stderr, "from the files (evidence also under \"_source\"):\n");
    note_fact(&d->operator_id, "operator");
    note_fact(&d->number, "number");
    note_fact(&d->holder, "holder.name");
    if (d->has_plan)
        note_service(d, &d->plan, "plan");
    for (size_t i = 0; i < d->broadband.n; i++) {
        char field[32];
        snprintf(field, sizeof field, "services[%zu]", i);
        note_service(d, &d->broadband.items[i], field);
    }
}

/* Usage coverage the logs declare themselves (nothing to write: audit reads it there). */
static void note_coverage(const audit_t *a)
{
    static const char *const names[U_NKINDS] = {"voice", "data", "sms", "vas", "broadband"};
    for (int k = 0; k < U_NKINDS; k++) {
        ym_t lo = NO_YM, hi = NO_YM;
        int n = 0;
        for (size_t i = 0; i < a->sources.n; i++) {
            const source_t *s = &a->sources.items[i];
            if (k == U_VAS || s->ukind != k || s->duplicate_of >= 0 || s->decl_from == NO_DAY)
                continue;
            for (ym_t m = ym_of_day(s->decl_from); m <= ym_of_day(s->decl_to); m++)
                if (usage_covered(a, (ukind_t)k, m)) {
                    lo = lo == NO_YM || m < lo ? m : lo;
                    hi = hi == NO_YM || m > hi ? m : hi;
                }
            n++;
        }
        char f[16], l[16];
        if (n && lo != NO_YM)
            fprintf(stderr, "  %-22s %s..%s (declared by the %s log%s)\n",
                    k == 0 ? "usage logs cover" : "", ym_fmt(lo, f), ym_fmt(hi, l), names[k],
                    n > 1 ? "s" : "");
    }
}

/* "services[0] 电信光宽带200M: cancelled, end not in the files; a penalty …" */
static void note_service_dates(const isvc_t *s, size_t i)
{
    if (s->cancelled != NO_DAY && s->end != NO_DAY && s->start != NO_DAY)
        return;
    char f[16], p[32];
    const char *sep = "";
    fprintf(stderr, "  services[%zu] %s:", i, s->name);
    if (s->cancelled == NO_DAY)
        fprintf(stderr, " cancelled"), sep = ",";
    if (s->end == NO_DAY)
        fprintf(stderr, "%s end (contract term)", sep), sep = ",";
    if (s->start == NO_DAY)
        fprintf(stderr, "%s start (billed from the first bill month on)", sep);
    fprintf(stderr, " not in the files");
    if (s->penalty_month != NO_YM && s->cancelled == NO_DAY)
        fprintf(stderr,
                "; a penalty of %s in %s (%s) suggests a cancellation: post-cancellation "
                "and excessive-penalty need the dates",
                money_fmt(s->penalty, p), ym_fmt(s->penalty_month, f), s->penalty_source);
    fprintf(stderr, "\n");
}

static void note_missing(const draft_t *d)
{
    fprintf(stderr, "not in the files, left out:\n");
    if (!d->operator_id.value)
        fprintf(stderr, "  operator: no file names it (letters and top-up matching need it)\n");
    if (!d->number.value)
        fprintf(stderr, "  number: no full mobile number in the files (a family bill's other "
                        "numbers cannot be told apart)\n");
    if (!d->holder.value)
        fprintf(stderr, "  holder.name: letters leave it blank\n");
    if (!d->has_plan)
        fprintf(
            stderr,
            "  plan: no recurring plan line in the bills (price-mismatch cannot judge the plan)\n");
    if (d->vas.n && !d->subs_known) {
        fprintf(stderr, "  subscriptions: the files cannot tell which of these you agreed to:");
        for (size_t i = 0; i < d->vas.n; i++) {
            char fee[32];
            const ivas_t *v = &d->vas.items[i];
            fprintf(stderr, "%s %s %s (%d of %d months, %s)", i ? ";" : "", v->name,
                    money_fmt(v->usual, fee), v->months, d->bill_months, v->source);
        }
        fprintf(stderr, "; unsubscribed-service stays off until \"subscriptions\" lists them\n");
    }
    for (size_t i = 0; i < d->broadband.n; i++)
        note_service_dates(&d->broadband.items[i], i);
    if (d->has_plan && d->plan.cancelled == NO_DAY)
        fprintf(stderr, "  plan.cancelled, plan.end: not in the files (post-cancellation and "
                        "excessive-penalty for the number need them)\n");
    if (!d->suspensions.n)
        fprintf(stderr, "  suspensions: not in the files (suspended-period needs them)\n");
    for (size_t i = 0; i < d->undeclared.n; i++)
        fprintf(stderr,
                "  %s: declares no query period; its months count as covered only "
                "with \"usage_coverage\"\n",
                name_shown(d->undeclared.items[i].path));
    if (!d->province || !d->address || !d->postcode)
        fprintf(stderr, "  province, holder.address, holder.postcode: letters leave them blank\n");
}

/* Which rules the written profile still leaves off: the rules' own needs(). */
static void note_rules_off(audit_t *a, const char *json)
{
    char *tmpl = tmp_private("billaudit-init-");
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        free(tmpl);
        return;
    }
    size_t len = strlen(json);
    int ok = write(fd, json, len) == (ssize_t)len;
    close(fd);
    char msg[256];
    account_free(&a->acct);
    if (ok && account_load(&a->acct, tmpl, msg, sizeof msg) != 0) {
        fprintf(stderr, "billaudit init: internal error: the draft does not load: %s\n", msg);
        ok = 0;
    }
    unlink(tmpl);
    free(tmpl);
    int n = 0;
    for (int i = 0; ok && rules[i]; i++) {
        const char *needs = rules[i]->needs ? rules[i]->needs(a) : NULL;
        if (needs && str_starts(needs, "account."))
            fprintf(stderr, "%s %s (needs %s)",
                    n++ ? "," : "rules off with this profile:", rules[i]->id, needs);
    }
    if (n)
        fprintf(stderr, "\n");
}

/* ---- the command ---- */

static char *profile_text(const draft_t *d)
{
    cJSON *j = draft_json(d);
    char *raw = json_print(j);
    cJSON_Delete(j);
    /* cJSON indents with TABs and puts one after each colon; the spec's examples use
     * two spaces and one. Strings hold no raw TAB (cJSON escapes it). */
    sbuf_t b = {0};
    for (const char *p = raw; *p; p++)
        if (*p != '\t')
            sb_addc(&b, *p);
        else
            sb_add(&b, p > raw && p[-1] == ':' ? " " : "  ");
    sb_addc(&b, '\n');
    cJSON_free(raw);
    return sb_take(&b);
}

/* --force replaces an old profile, never a file that is not one (a bill named by -o). */
static int is_profile(const char *path)
{
    account_t old;
    char msg[512];
    int ok = account_load(&old, path, msg, sizeof msg) == 0;
    if (ok)
        account_free(&old);
    else
        fprintf(stderr,
                "billaudit init: %s exists and is not an account profile (%s); not "
                "overwritten\n",
                name_shown(path), msg);
    return ok;
}

static int write_profile(const char *out, const char *text)
{
    if (!strcmp(out, "-")) {
        fputs(text, stdout);
        return fflush(stdout) == 0 ? 0 : -1;
    }
    if (output_refused(out))
        return -1;
    if (write_file_atomic(out, text, strlen(text)) != 0) {
        write_error(out);
        return -1;
    }
    return 0;
}

int cmd_init(int argc, char **argv)
{
    const char *out = NULL;
    int yes = 0, force = 0;
    const opt_t opts[] = {
        {'o', "output", "FILE", "write the profile to FILE (default account.json; - = stdout)",
         OPT_STR, &out},
        {'y', "yes", NULL, "ask nothing: write what the files tell, list the rest on stderr",
         OPT_FLAG, &yes},
        {0, "force", NULL, "replace an existing profile", OPT_FLAG, &force},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    out = out ? out : "account.json";
    int exists = strcmp(out, "-") && access(out, F_OK) == 0;
    if (exists && !force) {
        fprintf(stderr,
                "billaudit init: %s already exists; --force replaces it, -o writes "
                "elsewhere\n",
                name_shown(out));
        return 2;
    }
    if (exists && !is_profile(out))
        return 2;
    if (first >= argc) {
        fprintf(stderr, "billaudit init: no input files or directories given\n");
        opts_usage(stderr, usage, opts);
        return 2;
    }
    audit_t a;
    audit_init(&a);
    if (exists)
        a.account_path = (char *)out; /* the old profile is not an input */
    audit_load(&a, argv + first, argc - first);
    if (a.bad_input || a.fatal) {
        audit_free(&a);
        return 2;
    }
    audit_prepare(&a);
    parties_check(&a); /* the respondent a contract's preamble names */
    draft_t d;
    draft_infer(&d, &a);
    int rc = 0;
    if (!d.files) {
        fprintf(stderr, "billaudit init: no bill, usage log or payment record among the inputs\n");
        rc = 2;
    } else {
        int ask = !yes && isatty(0) && isatty(1);
        if (ask && draft_ask(&d, stdin, stdout) != 0)
            ask = 0; /* the input ended: say what is missing, as --yes does */
        char *text = profile_text(&d);
        if (write_profile(out, text) != 0) {
            rc = 2;
        } else {
            fprintf(stderr, "billaudit init: wrote %s from %d file(s)\n",
                    strcmp(out, "-") ? name_shown(out) : "the profile", d.files);
            /* On a terminal the user has just answered; the rest is for --yes. */
            if (!ask)
                note_inferred(&d), note_coverage(&a), note_missing(&d);
            note_rules_off(&a, text);
            if (isatty(1) && !yes)
                printf("已写入 %s。检查后运行：billaudit audit -a %s 文件夹\n", out, out);
        }
        free(text);
    }
    draft_free(&d);
    audit_free(&a);
    return rc;
}
