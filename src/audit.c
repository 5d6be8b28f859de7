/* Loading inputs into an audit: paths in byte order, detection, hashing,
 * identical files counted once, and the post-processing every rule relies on
 * (src/prepare.c). */
#include "audit.h"
#include "container.h"
#include "zipio.h"
#include "hashq.h"
#include "parser.h"
#include "progress.h"
#include "rule.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void usage_map_free(struct usage_map *m);

void audit_init(audit_t *a)
{
    memset(a, 0, sizeof *a);
    a->acct.plan = -1;
    a->acct.coverage_from = a->acct.coverage_to = NO_YM;
    a->since = a->until = NO_YM;
}

static void prov_free(prov_t *p)
{
    free(p->text);
    p->text = NULL;
}

/* Bills, payments, credits and value-added records keep their strings in a->strings. */
static void free_records(audit_t *a)
{
    for (size_t i = 0; i < a->clauses.n; i++) {
        clause_t *c = &a->clauses.items[i];
        free(c->text), free(c->label);
        prov_free(&c->prov);
    }
    VEC_FREE(a->bills);
    VEC_FREE(a->payments);
    VEC_FREE(a->credits);
    VEC_FREE(a->clauses);
    VEC_FREE(a->vas_records);
    strpool_free(&a->strings);
}

void audit_free(audit_t *a)
{
    protect_clear(); /* its inputs are protected while it lives; their inodes may be reused */
    free_records(a);
    for (size_t i = 0; i < a->sources.n; i++) {
        source_t *s = &a->sources.items[i];
        free(s->path), free(s->number), free(s->holder), free(s->operator_name);
        free(s->archive), free(s->member), free(s->inner), free(s->note);
        prov_free(&s->decl);
    }
    VEC_FREE(a->sources);
    for (size_t i = 0; i < a->skipped.n; i++)
        free(a->skipped.items[i].path), free(a->skipped.items[i].reason);
    VEC_FREE(a->skipped);
    for (size_t i = 0; i < a->warnings.n; i++)
        free(a->warnings.items[i].source), free(a->warnings.items[i].message);
    VEC_FREE(a->warnings);
    for (size_t i = 0; i < a->findings.n; i++)
        finding_clear(&a->findings.items[i]);
    VEC_FREE(a->findings);
    VEC_FREE(a->rules_skipped);
    VEC_FREE(a->umonths);
    usage_map_free(a->usage);
    free(a->party_name);
    account_free(&a->acct);
    memset(a, 0, sizeof *a);
}

void audit_warn(audit_t *a, const char *source, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    /* The same warning twice says nothing new. */
    for (size_t i = 0; i < a->warnings.n; i++)
        if (str_eq(a->warnings.items[i].message, msg) &&
            str_eq(a->warnings.items[i].source, source ? source : "")) {
            free(msg);
            return;
        }
    warning_t w = {xstrdup(source ? source : ""), msg};
    VEC_PUSH(a->warnings, w);
}

char *prov_text_dup(const prov_t *p)
{
    return xstrdup(p->text ? p->text : "");
}

prov_t prov_copy(const prov_t *p)
{
    return (prov_t){p->src, p->line, prov_text_dup(p), p->damaged};
}

/* ---- collecting paths ---- */

static void add_skip(audit_t *a, const char *path, const char *reason)
{
    skip_t s = {xstrdup(path), xstrdup(reason)};
    VEC_PUSH(a->skipped, s);
}

static int is_same_file(const char *x, const char *y)
{
    struct stat a, b;
    return stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void scan_dir(audit_t *a, const char *dir, inputs_t *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        add_skip(a, dir, strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, ".", ".." */
        char *p = xasprintf("%s%s%s", dir, str_ends(dir, "/") ? "" : "/", e->d_name);
        struct stat lst, st;
        if (lstat(p, &lst) != 0) {
            add_skip(a, p, strerror(errno));
        } else if (S_ISLNK(lst.st_mode) && (stat(p, &st) != 0 || S_ISDIR(st.st_mode))) {
            /* Linked directories are not followed: no loops. */
            add_skip(a, p,
                     S_ISLNK(lst.st_mode) && stat(p, &st) == 0
                         ? "symbolic link to a directory (not followed)"
                         : "broken symbolic link");
        } else if (S_ISDIR(lst.st_mode)) {
            if (depth < 32)
                scan_dir(a, p, out, depth + 1);
        } else if (a->account_path && is_same_file(p, a->account_path)) {
            add_skip(a, p, SKIP_PROFILE);
        } else if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            input_t c = {p, 0};
            VEC_PUSH(*out, c);
            continue;
        } else {
            add_skip(a, p, "not a regular file");
        }
        free(p);
    }
    closedir(d);
}

static int input_cmp(const void *x, const void *y)
{
    return strcmp(((const input_t *)x)->path, ((const input_t *)y)->path);
}

/* The same file named twice (or named and found in a directory) is one input. */
static void drop_repeats(inputs_t *in)
{
    size_t k = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (k > 0 && !strcmp(in->items[i].path, in->items[k - 1].path)) {
            in->items[k - 1].named |= in->items[i].named;
            free(in->items[i].path);
            continue;
        }
        in->items[k++] = in->items[i];
    }
    in->n = k;
}

void audit_inputs(audit_t *a, char **paths, int npaths, inputs_t *out)
{
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            diag(paths[i], 0, "cannot open: %s", strerror(errno));
            a->bad_input = 1;
        } else if (S_ISDIR(st.st_mode)) {
            scan_dir(a, paths[i], out, 0);
        } else {
            input_t c = {xstrdup(paths[i]), 1};
            VEC_PUSH(*out, c);
        }
    }
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, input_cmp);
    drop_repeats(out);
    for (size_t i = 0; i < out->n; i++)
        protect_file(out->items[i].path);
}

void inputs_free(inputs_t *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->items[i].path);
    VEC_FREE(*in);
}

/* ---- loading one file ---- */

static int new_source(audit_t *a, const char *path)
{
    source_t s;
    memset(&s, 0, sizeof s);
    s.path = xstrdup(path);
    s.from = s.to = s.bill_from = s.bill_to = NO_YM;
    s.decl_from = s.decl_to = s.exported = NO_DAY;
    s.duplicate_of = -1;
    s.ukind = -1;
    s.decl.src = (int)a->sources.n;
    VEC_PUSH(a->sources, s);
    return (int)a->sources.n - 1;
}

static int find_identical(const audit_t *a, int src)
{
    for (int i = 0; i < src; i++)
        if (a->sources.items[i].duplicate_of < 0 &&
            !strcmp(a->sources.items[i].sha256, a->sources.items[src].sha256))
            return i;
    return -1;
}

/* Rows with undecodable bytes were read with U+FFFD in their place: each was reported at
 * its line (the first DAMAGE_LISTED), the rest are counted here, and the report says it,
 * since findings citing them show damaged text. */
static void report_damage(audit_t *a, const char *path, const rowsrc_t *rs)
{
    if (!rs->damaged)
        return;
    const char *cs = rowsrc_charset(rs);
    if (rs->damaged > DAMAGE_LISTED)
        diag(path, 0, "%ld more rows with an invalid %s sequence not listed",
             rs->damaged - DAMAGE_LISTED, cs);
    audit_warn(a, path,
               "%ld row(s) hold an invalid %s sequence: their text shows U+FFFD for the bytes "
               "(the file keeps them)",
               rs->damaged, cs);
}

/* Lines too long to hold were read past, each reported at its line (the first
 * DAMAGE_LISTED): they are rejected rows. */
static void count_oversize(audit_t *a, int src, const rowsrc_t *rs)
{
    if (!rs->oversize)
        return;
    if (rs->oversize > DAMAGE_LISTED)
        diag(a->sources.items[src].path, 0,
             "%ld more lines longer than %d bytes skipped, not listed",
             rs->oversize - DAMAGE_LISTED, TEXT_MAX_LINE);
    a->sources.items[src].rejected += rs->oversize;
    if (a->strict)
        a->fatal = 1;
}

static void run_parser(audit_t *a, int src, const detect_t *d, const blob_t *b)
{
    const parser_t *parser = d->parser;
    const char *path = a->sources.items[src].path;
    char err[256] = "";
    rowsrc_t *rs = detect_open_blob(b, d, parser->mode, err, sizeof err);
    if (!rs) {
        diag(path, 0, "%s", err);
        audit_warn(a, path, "could not be read: %s", err);
        return;
    }
    parse_t p = {a, src, &a->sources.items[src], path, rs, 0};
    rs->report = path;
    int rc = parser->parse(&p);
    count_oversize(a, src, rs);
    if (rc < 0 || rs->err[0]) {
        diag(path, rs->err_line, "%s", rs->err[0] ? rs->err : "could not be read to the end");
        audit_warn(a, path, "read stopped early: %s", rs->err[0] ? rs->err : "parse error");
    } else if (!a->sources.items[src].records && !a->sources.items[src].rejected) {
        /* The file looked like this format but gave nothing (lines ending in a way we do
         * not split at, a header only): say so, or the audit is silently incomplete. */
        diag(path, 0, "read as %s, but no record was found", parser->id);
        audit_warn(a, path, "read as %s, but no record was found", parser->id);
    }
    report_damage(a, path, rs);
    rowsrc_close(rs);
}

/* ---- archive members (doc/formats.md, "zip") ---- */

typedef struct {
    audit_t *a;
    const char *archive; /* the file */
    const char *sha256;  /* of the file */
    const blob_t *parent;
    const char *outer; /* the member of the file this nested archive is, else NULL */
    int depth, named;
    int *inputs;   /* members taken as inputs, nested ones included */
    char *skipped; /* the first member skipped and why (256 bytes) */
} members_t;

static void member_skipped(members_t *mc, const char *name, const char *why)
{
    add_skip(mc->a, name, why);
    if (!mc->skipped[0])
        snprintf(mc->skipped, 256, "%.120s: %.120s", name, why);
}

static void on_member(void *ctx, const blob_t *m, const char *label, const char *merr);

static void read_members(members_t *mc, const container_t *c, const blob_t *b)
{
    char err[256] = "";
    if (c->members(b, mc->depth, on_member, mc, err, sizeof err) != 0) {
        if (mc->named) {
            diag(b->name, 0, "%s", err);
            mc->a->bad_input = 1;
        } else {
            member_skipped(mc, b->name, err);
        }
    }
}

static int member_source(members_t *mc, const blob_t *m, const char *label, const detect_t *d)
{
    audit_t *a = mc->a;
    int src = new_source(a, m->name);
    source_t *s = &a->sources.items[src];
    s->format = d->parser->id;
    snprintf(s->encoding, sizeof s->encoding, "%s", d->encoding);
    snprintf(s->label, sizeof s->label, "%s", label);
    snprintf(s->reader, sizeof s->reader, "%s", d->label);
    const char *inside = m->name + strlen(mc->parent->name) + 1;
    s->archive = xstrdup(mc->archive);
    s->member = xstrdup(mc->outer ? mc->outer : inside);
    s->inner = mc->outer ? xstrdup(inside) : NULL;
    snprintf(s->archive_sha256, sizeof s->archive_sha256, "%s", mc->sha256);
    sha256_hex(m->data, m->len, s->sha256);
    return src;
}

static void on_member(void *ctx, const blob_t *m, const char *label, const char *merr)
{
    members_t *mc = ctx;
    audit_t *a = mc->a;
    if (merr) { /* a member of an archive named explicitly is an input named explicitly */
        if (mc->named) {
            diag(m->name, 0, "%s", merr);
            a->bad_input = 1;
        } else {
            member_skipped(mc, m->name, merr);
        }
        return;
    }
    detect_t d;
    if (detect_blob(m, &d, a->scores) != 0) {
        if (d.container->members && mc->depth == 0) {
            members_t inner = *mc;
            inner.parent = m;
            inner.outer = m->name + strlen(mc->parent->name) + 1;
            inner.depth++;
            read_members(&inner, d.container, m);
        } else {
            member_skipped(mc, m->name,
                           d.container->members
                               ? "a ZIP inside a ZIP inside a ZIP: read one level deep only"
                               : d.reason);
        }
        return;
    }
    (*mc->inputs)++;
    int src = member_source(mc, m, label, &d);
    int same = find_identical(a, src);
    if (same >= 0) {
        a->sources.items[src].duplicate_of = same;
        audit_warn(a, m->name, "identical to %s; counted once",
                   name_shown(a->sources.items[same].path));
        return;
    }
    run_parser(a, src, &d, m);
}

static void load_archive(audit_t *a, const input_t *c, const detect_t *d, hashq_t *q, size_t qi)
{
    char hex[65];
    if (hashq_get(q, qi, hex) != 0) {
        diag(c->path, 0, "cannot read: %s", strerror(errno));
        a->bad_input = 1;
        return;
    }
    blob_t b = blob_file(c->path);
    int inputs = 0, bad = a->bad_input;
    char skipped[256] = "";
    members_t mc = {a, c->path, hex, &b, NULL, 0, c->named, &inputs, skipped};
    a->bad_input = 0;
    read_members(&mc, d->container, &b);
    /* An archive named explicitly of which nothing could be read is an unreadable input. */
    if (c->named && !a->bad_input && inputs == 0) {
        diag(c->path, 0, "no member is a known input (%s); known formats: %s",
             skipped[0] ? skipped : "the archive is empty", known_formats());
        a->bad_input = 1;
    }
    a->bad_input |= bad;
}

unsigned char *source_bytes(const source_t *s, size_t *len, char *err, size_t errlen)
{
    if (!s->archive) {
        blob_t b = blob_file(s->path);
        return blob_load(&b, SIZE_MAX / 2, len, err, errlen);
    }
    blob_t b = blob_file(s->archive);
    unsigned char *p = zip_extract(&b, s->member, len, err, errlen);
    if (p && s->inner) {
        blob_t nb = {s->path, NULL, p, *len};
        unsigned char *q = zip_extract(&nb, s->inner, len, err, errlen);
        free(p);
        p = q;
    }
    return p;
}

int source_blob(const source_t *s, blob_t *b, unsigned char **owned, char *err, size_t errlen)
{
    *owned = NULL;
    *b = blob_file(s->path);
    if (!s->archive)
        return 0;
    size_t len = 0;
    *owned = source_bytes(s, &len, err, errlen);
    *b = (blob_t){s->path, NULL, *owned, len};
    return *owned ? 0 : -1;
}

const char *source_file(const source_t *s)
{
    return s->archive ? s->archive : s->path;
}

/* A file rewritten while it was read (an export still downloading, a sync client): its
 * records and its SHA-256 may not describe the same bytes, so the evidence is doubtful. */
static int same_file_state(const struct stat *x, const char *path)
{
    struct stat y;
    return stat(path, &y) == 0 && x->st_size == y.st_size &&
           x->st_mtim.tv_sec == y.st_mtim.tv_sec && x->st_mtim.tv_nsec == y.st_mtim.tv_nsec;
}

static void warn_if_changed(audit_t *a, const struct stat *before, const char *path)
{
    if (same_file_state(before, path))
        return;
    diag(path, 0, "changed while it was read; read it again once it is complete");
    audit_warn(a, path, "changed while it was read: its records and SHA-256 may not match");
}

/* The hash comes from q, computed beside the parsing of the files before this one;
 * before is the file's state taken before the hashing started. */
static void load_one(audit_t *a, const input_t *c, hashq_t *q, size_t qi, const struct stat *before)
{
    detect_t d;
    if (detect_file(c->path, &d, a->scores) != 0) {
        if (d.container->members) {
            progress_file((uint64_t)before->st_size);
            load_archive(a, c, &d, q, qi);
            warn_if_changed(a, before, c->path);
            return;
        }
        hashq_skip(q, qi);
        if (c->named) {
            diag(c->path, 0, "%s; known formats: %s", d.reason, known_formats());
            a->bad_input = 1;
        } else {
            add_skip(a, c->path, d.reason);
        }
        return;
    }
    int src = new_source(a, c->path);
    source_t *s = &a->sources.items[src];
    s->format = d.parser->id;
    snprintf(s->encoding, sizeof s->encoding, "%s", d.encoding);
    snprintf(s->reader, sizeof s->reader, "%s", d.label);
    if (hashq_get(q, qi, s->sha256) != 0) {
        diag(c->path, 0, "cannot read: %s", strerror(errno));
        a->bad_input = 1;
        return;
    }
    int same = find_identical(a, src);
    if (same >= 0) {
        s->duplicate_of = same;
        audit_warn(a, c->path, "identical to %s; counted once",
                   name_shown(a->sources.items[same].path));
        return;
    }
    progress_file((uint64_t)before->st_size);
    blob_t b = blob_file(c->path);
    run_parser(a, src, &d, &b);
    warn_if_changed(a, before, c->path);
}

int audit_load_inputs(audit_t *a, const inputs_t *in, input_fn after, void *ctx)
{
    char **pv = xcalloc(in->n ? in->n : 1, sizeof *pv);
    struct stat *before = xcalloc(in->n ? in->n : 1, sizeof *before);
    uint64_t total = 0;
    for (size_t i = 0; i < in->n; i++) {
        pv[i] = in->items[i].path;
        if (stat(pv[i], &before[i]) != 0)
            memset(&before[i], 0, sizeof before[i]);
        total += S_ISREG(before[i].st_mode) ? (uint64_t)before[i].st_size : 0;
    }
    hashq_t *q = hashq_start(pv, in->n); /* after the stats: a change while hashing shows */
    progress_begin(total);
    for (size_t i = 0; i < in->n; i++) {
        load_one(a, &in->items[i], q, i, &before[i]);
        if (after)
            after(a, &in->items[i], ctx);
    }
    progress_end();
    hashq_stop(q);
    free(pv);
    free(before);
    return a->bad_input ? -1 : 0;
}

int audit_load(audit_t *a, char **paths, int npaths)
{
    inputs_t in = {0};
    audit_inputs(a, paths, npaths, &in);
    int rc = audit_load_inputs(a, &in, NULL, NULL);
    inputs_free(&in);
    return rc;
}
