/* billaudit bundle: the evidence for one dispute in one directory — the reports, the three
 * letters, a copy of every cited input and MANIFEST.sha256 (sha256sum -c format). With
 * --redact every file, copies included, has its personal data masked (src/redact.c).
 * Inside the bundle an input is named relative to the inputs' common directory
 * (src/bundle_names.c): its copy is inputs/NAME and every document cites NAME. */
#include "audit.h"
#include "bundle_copy.h"
#include "container.h"
#include "bundle_names.h"
#include "cli.h"
#include "deadline.h"
#include "docctx.h"
#include "letter.h"
#include "redact.h"
#include "report.h"
#include "rowsrc.h"
#include "template.h"
#include <dirent.h>
#include <libgen.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static const char usage[] = "bundle PATH...";
static const char summary[] =
    "Writes the evidence for a dispute into DIR: report.md, report.json, report.html (one\n"
    "self-contained page with charts, printable to PDF), the three letters\n"
    "(operator, miit, 12315; none when nothing was found), a copy of every input the findings\n"
    "cite (under inputs/, named relative to the directory that holds all the inputs; the\n"
    "documents cite them by that name), README.txt and MANIFEST.sha256 — check it later with\n"
    "'cd DIR && sha256sum -c MANIFEST.sha256'. The bundle is built in a temporary directory\n"
    "and moved into place only when complete (a full disk leaves no partial bundle); inputs\n"
    "are never modified. DIR must be empty or new unless --force. --redact masks phone numbers,\n"
    "names, ID numbers and street addresses in every file, copies included, for a public\n"
    "complaint platform (any ID-shaped number, any name after 甲方/客户姓名/…), and\n"
    "ORIGINALS.sha256 lists the hashes of the unmasked originals: check it with sha256sum -c\n"
    "in the inputs' common directory.\n"
    "Exit status: 0 no findings, 1 findings, 2 error.";

/* A bill export is megabytes; absurd sizes are refused, not copied. */
#define BUNDLE_MAX_INPUT (512L << 20)

/* One file of the bundle: its name inside the bundle and its bytes. */
typedef struct {
    char *rel;
    char *data;
    size_t len;
} out_t;
typedef VEC(out_t) outs_t;

static void out_add(outs_t *o, const char *rel, char *data, size_t len)
{
    out_t e = {xstrdup(rel), data, len};
    VEC_PUSH(*o, e);
}

/* ---- the directory ---- */

/* 0: DIR may be written (created when absent); -1: refused (message printed). */
static int dir_ready(const char *dir, int force)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT) {
            perror(dir);
            return -1;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "billaudit bundle: %s exists and is not a directory\n", name_shown(dir));
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    int empty = 1;
    for (struct dirent *e; (e = readdir(d)) && empty;)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    if (!empty && !force) {
        fprintf(stderr,
                "billaudit bundle: %s is not empty; choose a new directory or add --force\n",
                name_shown(dir));
        return -1;
    }
    return 0;
}

/* mkdir -p for the directory part of path. */
static int make_parents(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *s = '/';
    }
    free(p);
    return rc;
}

/* ---- copies of the inputs ---- */

static char *read_all(const char *path, size_t *len)
{
    char why[128];
    FILE *f = fopen_regular(path, why, sizeof why); /* never a FIFO swapped in */
    if (!f)
        return NULL;
    sbuf_t b = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sb_addn(&b, buf, n);
        if (b.n > (size_t)BUNDLE_MAX_INPUT)
            break;
    }
    int bad = ferror(f) || b.n > (size_t)BUNDLE_MAX_INPUT;
    fclose(f);
    if (bad) {
        sb_free(&b);
        return NULL;
    }
    *len = b.n;
    char *s = sb_take(&b);
    return s;
}

typedef struct {
    const audit_t *a;
    const char *dir;
    const redactor_t *red;
    const bnames_t *names;
    outs_t *outs;
    tctx_t *readme;
    sbuf_t originals; /* ORIGINALS.sha256 */
    sbuf_t archives;  /* ARCHIVES.sha256: the archives copied members came from */
} copier_t;

static void not_copied(copier_t *c, const char *path, const char *name, const char *why)
{
    fprintf(stderr, "billaudit bundle: %s: %s; not copied\n", name_shown(path), why);
    tctx_t *t = tctx_add(c->readme, "not_copied");
    tctx_set(t, "original", name);
    tctx_set(t, "reason", why);
}

/* The copy of one input: its bytes (an archive member's, extracted again), or (redacted)
 * only its header and cited rows, masked (src/bundle_copy.c). 0 on success, else -1 with
 * the reason in *why. */
static int make_copy(copier_t *c, int src, out_t *o, const char **why)
{
    const source_t *s = &c->a->sources.items[src];
    blob_t b;
    unsigned char *owned;
    char msg[256];
    *why = "cannot be read";
    if (source_blob(s, &b, &owned, msg, sizeof msg) != 0)
        return -1;
    if (!c->red) {
        o->data = owned ? (char *)owned : read_all(s->path, &o->len);
        if (owned)
            o->len = b.len;
        return o->data ? 0 : -1;
    }
    const container_t *ct = container_of(&b, msg, sizeof msg);
    free(owned);
    if (ct == &container_text) {
        o->data = copy_text_redacted(c->a, src, c->red, &o->len);
        *why = "cannot be read again for redaction";
        return o->data ? 0 : -1;
    }
    if (ct == &container_xlsx) {
        o->data = copy_xlsx_redacted(c->a, src, c->red, &o->len);
        *why = "the workbook could not be redacted";
        return o->data ? 0 : -1;
    }
    *why = "this kind of file cannot be redacted";
    return -1;
}

/* The SHA-256 of the original: the file's, or the member's bytes as extracted now. */
static int original_hash(const source_t *s, char hex[65])
{
    if (!s->archive)
        return sha256_file(s->path, hex);
    size_t len;
    char err[256];
    unsigned char *p = source_bytes(s, &len, err, sizeof err);
    if (!p)
        return -1;
    sha256_hex(p, len, hex);
    free(p);
    return 0;
}

/* A copied member: its archive's SHA-256 and name, once per archive (ARCHIVES.sha256). */
static void note_archive(copier_t *c, const source_t *s)
{
    if (!s->archive)
        return;
    const char *base = strrchr(s->archive, '/');
    char *line = xasprintf("%s  %s\n", s->archive_sha256, base ? base + 1 : s->archive);
    if (!c->archives.p || !strstr(c->archives.p, line))
        sb_add(&c->archives, line);
    free(line);
}

/* ORIGINALS.sha256 names each file as the documents do, so that `sha256sum -c` runs in the
 * inputs' common directory, wherever the bundle was made. */
static void copy_input(copier_t *c, int src, const char *path)
{
    char hex[65];
    const bname_t *e = bnames_find(c->names, path);
    const char *name = e->name;
    if (original_hash(&c->a->sources.items[src], hex) != 0) {
        not_copied(c, path, name, "cannot be read");
        return;
    }
    char *rel = xasprintf("inputs/%s", name);
    out_t o = {rel, NULL, 0};
    const char *why = NULL;
    if (make_copy(c, src, &o, &why) != 0) {
        not_copied(c, path, name, why);
        free(o.data);
        free(rel);
        return;
    }
    VEC_PUSH(*c->outs, o);
    note_archive(c, &c->a->sources.items[src]);
    tctx_t *t = tctx_add(c->readme, "copies");
    tctx_set(t, "original", name);
    tctx_set(t, "copy", rel);
    tctx_set(t, "apart", e->apart ? "1" : "");
    if (c->red)
        sb_addf(&c->originals, "%s  %s\n", hex, name);
}

/* The inputs the findings cite, in source order. The profile is the user's statement, not
 * evidence: it is not copied. */
static void copy_cited(copier_t *c, const audit_t *a)
{
    int profile;
    char *cited = doc_cited_sources(a, &profile);
    for (size_t i = 0; i < a->sources.n; i++)
        if (cited[i])
            copy_input(c, (int)i, a->sources.items[i].path);
    free(cited);
}

/* Every identifier cell of the rows the copies keep is masked in every file; a cited input
 * whose rows cannot be read again stops the bundle (fail closed). */
static int collect_cited_values(const audit_t *a, redactor_t *red)
{
    int profile, rc = 0;
    char *cited = doc_cited_sources(a, &profile);
    for (size_t i = 0; i < a->sources.n && rc == 0; i++)
        if (cited[i] && collect_values(a, (int)i, red) != 0) {
            fprintf(stderr,
                    "billaudit bundle: %s: cannot be read again to redact it; no bundle "
                    "written\n",
                    name_shown(a->sources.items[i].path));
            rc = -1;
        }
    redactor_finish(red);
    free(cited);
    return rc;
}

/* Fail closed: no file of a redacted bundle may hold a value the redactor masks. */
static int verify_redacted(const redactor_t *red, const outs_t *outs)
{
    for (size_t i = 0; i < outs->n; i++) {
        const char *which = NULL;
        if (redact_leaks(red, outs->items[i].data ? outs->items[i].data : "", outs->items[i].len,
                         &which)) {
            fprintf(stderr,
                    "billaudit bundle: %s would still hold an identifier; no bundle "
                    "written\n",
                    outs->items[i].rel);
            return -1;
        }
    }
    return 0;
}

/* ---- documents ---- */

static void add_doc(outs_t *outs, const redactor_t *red, const char *rel, sbuf_t *text)
{
    size_t len = text->n;
    char *data;
    if (red) {
        data = redact(red, text->p ? text->p : "", text->n, &len);
        sb_free(text);
    } else {
        data = sb_take(text);
    }
    out_add(outs, rel, data, len);
}

/* ---- the paths the documents show ---- */

/* A value swapped into the audit while the documents are rendered, and back afterwards:
 * the inputs are read, and guarded against overwriting, by their real paths. */
typedef struct {
    char **slot;
    char *other;
} swap_t;
typedef VEC(swap_t) swaps_t;

static void swap_add(swaps_t *s, char **slot, char *value)
{
    swap_t e = {slot, value};
    VEC_PUSH(*s, e);
}

static void swaps_flip(swaps_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        char *t = *s->items[i].slot;
        *s->items[i].slot = s->items[i].other;
        s->items[i].other = t;
    }
}

/* A text that may quote paths ("identical to …"), with every path replaced by its name. */
static void swap_text(swaps_t *s, char **slot, const bnames_t *m)
{
    if (*slot)
        swap_add(s, slot, bnames_rewrite(m, *slot));
}

/* Every path the reports and letters can show: sources, skipped files, the profile, and
 * paths quoted in warnings ("identical to …"). */
static void swaps_collect(swaps_t *s, audit_t *a, const bnames_t *m)
{
    for (size_t i = 0; i < a->sources.n; i++)
        swap_add(s, &a->sources.items[i].path, xstrdup(bnames_get(m, a->sources.items[i].path)));
    for (size_t i = 0; i < a->skipped.n; i++) {
        skip_t *k = &a->skipped.items[i];
        swap_add(s, &k->path, xstrdup(bnames_get(m, k->path)));
        swap_text(s, &k->reason, m);
    }
    for (size_t i = 0; i < a->warnings.n; i++) {
        swap_text(s, &a->warnings.items[i].source, m);
        swap_text(s, &a->warnings.items[i].message, m);
    }
    if (a->account_path)
        swap_add(s, &a->account_path, xstrdup(bnames_get(m, a->account_path)));
}

static void swaps_free(swaps_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].other);
    VEC_FREE(*s);
}

static int render_reports(const audit_t *a, const redactor_t *red, outs_t *outs)
{
    static const char *const reports[][2] = {
        {"md", "report.md"}, {"json", "report.json"}, {"html", "report.html"}};
    for (int i = 0; i < 3; i++) {
        sbuf_t t = {0};
        if (report_render(a, reports[i][0], &t) != 0) {
            sb_free(&t);
            return -1;
        }
        add_doc(outs, red, reports[i][1], &t);
    }
    return 0;
}

/* Each letter: fileable today, or a draft marked on every page (letter-TYPE.draft.txt), the
 * README saying why. */
static int render_letters(const audit_t *a, const redactor_t *red, outs_t *outs, tctx_t *readme)
{
    day_t today = billaudit_today();
    for (int i = 0; a->findings.n && letter_types[i]; i++) { /* no complaint about nothing */
        const char *type = letter_types[i];
        sbuf_t t = {0};
        letter_gate_t g;
        letter_gate(a, type, today, &g);
        char *rel = xasprintf("letter-%s%s.txt", type, g.fileable ? "" : ".draft");
        /* The MIIT letter needs every profile field: its warnings cover the others'. They
         * name the file of the bundle they are about, not a command the user did not run. */
        char *who = xasprintf("billaudit bundle: %s", rel);
        int rc = letter_render(a, type, today, !g.fileable, strcmp(type, "miit") ? NULL : who, &t);
        free(who);
        if (rc != 0) {
            sb_free(&t);
            free(rel);
            return -1;
        }
        tctx_t *l = tctx_add(readme, "letters_written");
        tctx_set(l, "file", rel);
        tctx_set(l, "type_operator", !strcmp(type, "operator") ? "1" : "");
        tctx_set(l, "type_miit", !strcmp(type, "miit") ? "1" : "");
        tctx_set(l, "type_12315", !strcmp(type, "12315") ? "1" : "");
        tctx_set(l, "draft", g.fileable ? "" : "1");
        tctx_set(l, "reason", g.fileable ? "" : g.reason);
        add_doc(outs, red, rel, &t);
        free(rel);
    }
    return 0;
}

/* The reports show the profile as given (as `audit` does); the letters also what the files
 * say of the number, operator and holder (taken is what letter_identity filled in). */
static int render_named(audit_t *a, const bnames_t *names, swaps_t *taken, const redactor_t *red,
                        outs_t *outs, tctx_t *readme)
{
    swaps_t paths = {0};
    swaps_collect(&paths, a, names);
    swaps_flip(&paths);
    swaps_flip(taken);
    int rc = render_reports(a, red, outs);
    swaps_flip(taken);
    if (rc == 0)
        rc = render_letters(a, red, outs, readme);
    swaps_flip(&paths);
    swaps_free(&paths);
    return rc;
}

/* Fills what the profile lacks for the letters; taken gets the fields filled, to hide them
 * from the reports. Before the redactor: a value taken is then masked like the rest. */
static void take_identity(audit_t *a, swaps_t *taken)
{
    account_t *ac = &a->acct;
    char **slots[] = {&ac->number, &ac->operator_id, &ac->holder_name};
    char *before[3];
    if (!a->findings.n)
        return; /* no letters */
    for (int i = 0; i < 3; i++)
        before[i] = *slots[i];
    letter_identity(a, "billaudit bundle");
    for (int i = 0; i < 3; i++)
        if (*slots[i] != before[i])
            swap_add(taken, slots[i], NULL);
}

/* ---- writing ---- */

static int out_cmp(const void *x, const void *y)
{
    return strcmp(((const out_t *)x)->rel, ((const out_t *)y)->rel);
}

/* The bundle is written whole into a temporary directory and moved into place only once
 * every file of it is written: a full disk or a file-size limit leaves the target as it
 * was, never letters without their report or a README naming files that are not there.
 * A new target: the temporary is beside it (".DIR.tmp.XXXXXX") and one rename makes the
 * bundle appear. An existing one (empty, or --force): the temporary is inside it (a mount
 * point has no beside on the same file system) and each file is renamed over its old name
 * (renames need no space), MANIFEST.sha256 last; the user's other files stay. */
#define BUNDLE_TMP_INSIDE ".billaudit-bundle"

/* Removes the temporaries a killed bundle left: beside DIR and inside it. */
static void sweep_stale(const char *dir)
{
    char *copy = xstrdup(dir), *bcopy = xstrdup(dir);
    char *beside = xasprintf("%s/.%s", dirname(copy), basename(bcopy));
    char *inside = xasprintf("%s/" BUNDLE_TMP_INSIDE, dir);
    tmp_sweep_dirs(beside, TMP_STALE_AGE);
    tmp_sweep_dirs(inside, TMP_STALE_AGE);
    free(inside);
    free(beside);
    free(bcopy);
    free(copy);
}

/* The temporary directory for DIR (see above), created mode 0755 less the umask as mkdir
 * would; NULL after a message. *inside is 1 when it is inside an existing DIR. */
static char *stage_open(const char *dir, int *inside)
{
    struct stat st;
    char *tmp;
    *inside = stat(dir, &st) == 0;
    if (*inside) {
        tmp = xasprintf("%s/" BUNDLE_TMP_INSIDE ".tmp.XXXXXX", dir);
    } else {
        char *copy = xstrdup(dir), *bcopy = xstrdup(dir);
        tmp = xasprintf("%s/.%s.tmp.XXXXXX", dirname(copy), basename(bcopy));
        free(bcopy);
        free(copy);
    }
    if (!mkdtemp(tmp)) {
        perror(dir);
        free(tmp);
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0755 & ~mask);
    return tmp;
}

/* Before anything is written: no file of the bundle may replace an input (the same file by
 * device and inode, whatever the spelling) or a directory of the user's. */
static int targets_free(const char *dir, const outs_t *outs)
{
    int rc = 0;
    for (size_t i = 0; i <= outs->n && rc == 0; i++) {
        const char *rel = i < outs->n ? outs->items[i].rel : "MANIFEST.sha256";
        char *path = xasprintf("%s/%s", dir, rel);
        struct stat st;
        if (is_protected(path)) {
            fprintf(stderr, "billaudit bundle: %s is one of the inputs; not overwritten\n",
                    name_shown(path));
            rc = -1;
        } else if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            fprintf(stderr, "billaudit bundle: %s is a directory; not replaced\n",
                    name_shown(path));
            rc = -1;
        }
        free(path);
    }
    return rc;
}

/* One new file of the temporary directory; on failure the write error names the file the
 * user asked for. */
static int stage_file(const char *tmp, const char *dir, const char *rel, const char *data,
                      size_t len)
{
    char *path = xasprintf("%s/%s", tmp, rel);
    int rc = make_parents(path) != 0 || write_file_new(path, data, len) != 0 ? -1 : 0;
    if (rc != 0) {
        int e = errno;
        char *shown = xasprintf("%s/%s", dir, rel);
        errno = e;
        write_error(shown);
        free(shown);
    }
    free(path);
    return rc;
}

/* Writes the bundle's files and their manifest into tmp. */
static int stage_write(const char *tmp, const char *dir, const outs_t *outs)
{
    sbuf_t manifest = {0};
    int rc = 0;
    for (size_t i = 0; i < outs->n && rc == 0; i++) {
        const out_t *o = &outs->items[i];
        char hex[65];
        rc = stage_file(tmp, dir, o->rel, o->data ? o->data : "", o->len);
        sha256_hex(o->data ? o->data : "", o->len, hex);
        sb_addf(&manifest, "%s  %s\n", hex, o->rel);
    }
    if (rc == 0)
        rc = stage_file(tmp, dir, "MANIFEST.sha256", manifest.p ? manifest.p : "", manifest.n);
    sb_free(&manifest);
    return rc;
}

/* Moves one file of tmp over its name in DIR. */
static int move_in(const char *tmp, const char *dir, const char *rel)
{
    char *from = xasprintf("%s/%s", tmp, rel), *to = xasprintf("%s/%s", dir, rel);
    int rc = make_parents(to) != 0 || rename(from, to) != 0 ? -1 : 0;
    if (rc != 0)
        fprintf(stderr, "billaudit bundle: cannot move %s into place: %s\n", name_shown(to),
                strerror(errno));
    else
        fsync_dir_of(to);
    free(to);
    free(from);
    return rc;
}

/* The complete bundle in tmp becomes DIR. */
static int stage_commit(const char *tmp, const char *dir, int inside, const outs_t *outs)
{
    if (!inside) {
        if (rename(tmp, dir) != 0) {
            fprintf(stderr, "billaudit bundle: cannot move the bundle to %s: %s\n", name_shown(dir),
                    strerror(errno));
            return -1;
        }
        fsync_dir_of(dir);
        return 0;
    }
    int rc = 0;
    for (size_t i = 0; i < outs->n && rc == 0; i++)
        rc = move_in(tmp, dir, outs->items[i].rel);
    return rc == 0 ? move_in(tmp, dir, "MANIFEST.sha256") : rc;
}

static int write_outs(const char *dir, outs_t *outs)
{
    if (outs->n)
        qsort(outs->items, outs->n, sizeof *outs->items, out_cmp);
    if (targets_free(dir, outs) != 0)
        return -1;
    int inside;
    char *tmp = stage_open(dir, &inside);
    if (!tmp)
        return -1;
    int rc = stage_write(tmp, dir, outs);
    if (rc == 0)
        rc = stage_commit(tmp, dir, inside, outs);
    if (rc != 0 || inside)
        remove_tree(tmp); /* what is left of it: nothing, or the unfinished bundle */
    free(tmp);
    return rc;
}

static void outs_free(outs_t *outs)
{
    for (size_t i = 0; i < outs->n; i++)
        free(outs->items[i].rel), free(outs->items[i].data);
    VEC_FREE(*outs);
}

/* ---- the bundle ---- */

static tctx_t *readme_new(const audit_t *a, int redacted)
{
    tctx_t *readme = tctx_new();
    char today[16];
    tctx_set(readme, "version", BILLAUDIT_VERSION);
    tctx_set(readme, "today", day_fmt(billaudit_today(), today));
    tctx_set(readme, "as_of", billaudit_as_of_given() ? "1" : "");
    tctx_set(readme, "redacted", redacted ? "1" : "");
    tctx_set(readme, "letters", a->findings.n ? "1" : "");
    tctx_list(readme, "copies");
    tctx_list(readme, "letters_written");
    tctx_list(readme, "not_copied");
    return readme;
}

static int add_readme(tctx_t *readme, const redactor_t *red, outs_t *outs)
{
    sbuf_t t = {0};
    int rc = tmpl_render_file("src/templates/bundle-readme.txt", readme, TMPL_TEXT, &t, NULL, NULL);
    if (rc == 0)
        add_doc(outs, red, "README.txt", &t);
    else
        sb_free(&t);
    return rc;
}

static int build(audit_t *a, const char *dir, int redacted)
{
    swaps_t taken = {0};
    take_identity(a, &taken);
    redactor_t *red = NULL;
    if (redacted && (!(red = redactor_new(a)) || collect_cited_values(a, red) != 0)) {
        redactor_free(red);
        swaps_free(&taken);
        return -1;
    }
    bnames_t names;
    bnames_build(&names, a, red);
    outs_t outs = {0};
    tctx_t *readme = readme_new(a, redacted);
    copier_t c = {a, dir, red, &names, &outs, readme, {0}, {0}};
    int rc = 0;
    copy_cited(&c, a);
    if (rc == 0)
        rc = render_named(a, &names, &taken, red, &outs, readme);
    if (rc == 0)
        rc = add_readme(readme, red, &outs);
    if (rc == 0 && red) {
        size_t len;
        char *orig = redact(red, c.originals.p ? c.originals.p : "", c.originals.n, &len);
        out_add(&outs, "ORIGINALS.sha256", orig, len);
    }
    if (rc == 0 && c.archives.n) {
        size_t len = c.archives.n;
        char *arch = red ? redact(red, c.archives.p, c.archives.n, &len) : sb_take(&c.archives);
        out_add(&outs, "ARCHIVES.sha256", arch, len);
    }
    if (rc == 0 && red)
        rc = verify_redacted(red, &outs);
    if (rc == 0)
        rc = write_outs(dir, &outs);
    outs_free(&outs);
    bnames_free(&names);
    swaps_free(&taken);
    sb_free(&c.originals);
    sb_free(&c.archives);
    tctx_free(readme);
    redactor_free(red);
    return rc;
}

int cmd_bundle(int argc, char **argv)
{
    const char *dir = NULL, *account = NULL;
    int redacted = 0, force = 0;
    const opt_t opts[] = {
        {'o', "output", "DIR", "directory to write (new or empty unless --force)", OPT_STR, &dir},
        {'a', "account", "FILE", "account profile (doc/profile.md)", OPT_STR, &account},
        {0, "redact", NULL, "mask phone numbers, names, ID numbers and street addresses everywhere",
         OPT_FLAG, &redacted},
        {0, "force", NULL, "write into a non-empty DIR (files of the same name are replaced)",
         OPT_FLAG, &force},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (!dir || !*dir) {
        fprintf(stderr, "billaudit bundle: -o DIR is required\n");
        opts_usage(stderr, usage, opts);
        return 2;
    }
    sweep_stale(dir);
    if (dir_ready(dir, force) != 0)
        return 2;
    audit_t a;
    audit_init(&a);
    int rc = cli_run_audit(&a, account, argv + first, argc - first, NULL);
    if (rc == 0) {
        if (build(&a, dir, redacted) != 0)
            rc = 2;
        else
            rc = a.findings.n ? 1 : 0;
    }
    audit_free(&a);
    return rc;
}
