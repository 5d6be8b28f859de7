/* The cron state file: load strictly, change in memory, save atomically.
 * The parsed cJSON tree is kept whole, so fields written by another version of
 * billaudit survive a rewrite. */
#include "state.h"
#include "json_int.h"
#include "json_utf8.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Far above any real state (a finding takes ~200 bytes: 80 000 of them), and reading one
 * stays near 120 MiB of memory (a 64 MiB state took 430 MiB); refuses a wrong file. */
#define STATE_MAX_BYTES (16L << 20)

struct state {
    cJSON *root;
    cJSON *findings; /* object: id -> entry */
    cJSON *problems; /* object: text -> {first_seen}; NULL until one is recorded */
    int existed;
};

char *state_default_path(void)
{
    const char *x = getenv("XDG_STATE_HOME");
    if (x && x[0] == '/') /* the XDG spec says to ignore a relative value */
        return xasprintf("%s/billaudit/state.json", x);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !*home)
        return NULL;
    return xasprintf("%s/.local/state/billaudit/state.json", home);
}

int state_make_dir(const char *path, char *msg, size_t msglen)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = 0;
        /* mkdir -p: each prefix in turn; an existing directory is fine. */
        for (char *p = dir + 1; rc == 0; p++) {
            if (*p != '/' && *p != 0)
                continue;
            char c = *p;
            *p = 0;
            struct stat st;
            if (mkdir(dir, 0700) != 0 &&
                !(errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) {
                snprintf(msg, msglen, "cannot create directory %s: %s", dir,
                         errno == EEXIST ? "a file is in the way" : strerror(errno));
                rc = -1;
            }
            *p = c;
            if (c == 0)
                break;
        }
    }
    free(dir);
    return rc;
}

#define MAX_LINKS 40 /* as the kernel's own limit: beyond it the links loop */

/* Where the link lp points, relative targets taken from lp's directory. */
static char *link_target(const char *lp, const char *target)
{
    const char *slash = strrchr(lp, '/');
    if (target[0] == '/' || !slash)
        return xstrdup(target);
    return xasprintf("%.*s/%s", (int)(slash - lp), lp, target);
}

char *state_resolve(const char *path, char *msg, size_t msglen)
{
    char *p = xstrdup(path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p; /* missing (created later), or the file itself */
        if (hops == MAX_LINKS) {
            snprintf(msg, msglen, "%s: too many levels of symbolic links", name_shown(path));
            break;
        }
        char buf[4096];
        ssize_t n = readlink(p, buf, sizeof buf - 1);
        if (n < 0) {
            snprintf(msg, msglen, "%s: cannot read the symbolic link: %s", p, strerror(errno));
            break;
        }
        buf[n] = 0;
        char *next = link_target(p, buf);
        free(p);
        p = next;
    }
    free(p);
    return NULL;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int state_lock(const char *path, long wait_ms, char *msg, size_t msglen)
{
    char *lp = xasprintf("%s.lock", path);
    int fd = open(lp, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(msg, msglen, "cannot open the lock file %s: %s", lp, strerror(errno));
        free(lp);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, msglen, "the lock file %s is not a regular file", lp);
        goto fail;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            snprintf(msg, msglen, "cannot lock %s: %s", lp, strerror(errno));
            goto fail;
        }
        if (elapsed_ms(&t0) >= wait_ms) {
            snprintf(msg, msglen,
                     "another billaudit cron is using %s (lock %s still held after %ld s); "
                     "nothing was changed, try again later",
                     name_shown(path), name_shown(lp), (wait_ms + 999) / 1000);
            goto fail;
        }
        struct timespec nap = {0, 20 * 1000000L};
        nanosleep(&nap, NULL);
    }
    /* Every writer of the state holds this lock: a temporary of it seen now was left by a
     * killed run, whatever its age. */
    tmp_sweep(path, 0);
    free(lp);
    return fd;
fail:
    close(fd);
    free(lp);
    return -1;
}

/* Reads the whole file into a NUL-terminated buffer. 0 ok, 1 missing, -1 error. */
static int read_all(const char *path, char **out, size_t *len, char *msg, size_t msglen)
{
    /* O_NONBLOCK: a FIFO named as the state opens at once and is refused below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        snprintf(msg, msglen, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > STATE_MAX_BYTES) {
        snprintf(msg, msglen, "not a state file (not a regular file of at most %ld MB)",
                 STATE_MAX_BYTES >> 20);
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    sbuf_t b = {0};
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(msg, msglen, "cannot read: %s", strerror(errno));
            close(fd);
            sb_free(&b);
            return -1;
        }
        if (n == 0 || (long)(b.n + (size_t)n) > STATE_MAX_BYTES)
            break;
        sb_addn(&b, buf, (size_t)n);
    }
    close(fd);
    *len = b.n;
    *out = sb_take(&b);
    return 0;
}

static long line_of(const char *buf, const char *at)
{
    long line = 1;
    for (const char *p = buf; p < at && *p; p++)
        line += *p == '\n';
    return line;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int is_str_or_null(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return !v || cJSON_IsString(v) || cJSON_IsNull(v);
}

/* amount_fen: an integer of fen_t's range, as every run writes it; state_load restored
 * its exact text (json_exact_ints). Written otherwise (1e16) it is a double past 2^53:
 * valid, but fill_entry treats the amount as unknown rather than rounded. */
static int fen_number(const cJSON *v)
{
    int64_t x;
    /* Past 2^53 every double is integral; 9.2e18 keeps below 2^63 (no cast happens). */
    return json_get_int(v, &x) ||
           (cJSON_IsNumber(v) && v->valuedouble > -9.2e18 && v->valuedouble < 9.2e18 &&
            (v->valuedouble > 9007199254740992.0 || v->valuedouble < -9007199254740992.0));
}

/* Every entry an object with a first_seen string, fields of the right type, no id twice. */
static int check_findings(const cJSON *fs, char *msg, size_t msglen)
{
    int n = cJSON_GetArraySize(fs), rc = 0;
    const char **ids = xcalloc((size_t)n + 1, sizeof *ids);
    int k = 0;
    for (const cJSON *e = fs->child; e && !rc; e = e->next) {
        const cJSON *fseen = cJSON_GetObjectItemCaseSensitive(e, "first_seen");
        const cJSON *amt = cJSON_GetObjectItemCaseSensitive(e, "amount_fen");
        if (!cJSON_IsObject(e) || !cJSON_IsString(fseen) || (amt && !fen_number(amt)) ||
            !is_str_or_null(e, "category") || !is_str_or_null(e, "period") ||
            !is_str_or_null(e, "resolved")) {
            snprintf(msg, msglen,
                     "finding \"%.40s\" is malformed (needs at least a first_seen date)",
                     e->string ? e->string : "");
            rc = -1;
        }
        ids[k++] = e->string ? e->string : "";
    }
    qsort(ids, (size_t)k, sizeof *ids, cmp_str);
    for (int i = 1; i < k && !rc; i++)
        if (!strcmp(ids[i - 1], ids[i])) {
            snprintf(msg, msglen, "finding \"%.40s\" is listed twice", ids[i]);
            rc = -1;
        }
    free(ids);
    return rc;
}

/* "data_problems" is optional (v1 files of earlier versions lack it); when present, an
 * object of entries each with a first_seen string. */
static int check_problems(const cJSON *ps, char *msg, size_t msglen)
{
    if (!ps)
        return 0;
    if (!cJSON_IsObject(ps)) {
        snprintf(msg, msglen, "\"data_problems\" is not an object");
        return -1;
    }
    for (const cJSON *e = ps->child; e; e = e->next)
        if (!cJSON_IsObject(e) ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "first_seen"))) {
            const char *key = e->string ? e->string : "";
            int shown = (int)utf8_valid_prefix((const unsigned char *)key, strnlen(key, 60));
            snprintf(msg, msglen, "data problem \"%.*s\" is malformed (needs a first_seen date)",
                     shown, key);
            return -1;
        }
    return 0;
}

/* Checks the parsed tree is a state file this version can safely rewrite. */
static int check_tree(const cJSON *root, char *msg, size_t msglen)
{
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    const char *sv = cJSON_IsString(schema) ? schema->valuestring : NULL;
    if (!cJSON_IsObject(root) || !sv || !str_starts(sv, "billaudit/state/v")) {
        snprintf(msg, msglen, "not a billaudit state file (no \"schema\": \"%s\")", STATE_SCHEMA);
        return -1;
    }
    if (strcmp(sv, STATE_SCHEMA)) {
        snprintf(
            msg, msglen,
            "written by another version of billaudit (schema \"%.40s\", this one reads \"%s\"); "
            "left untouched",
            sv, STATE_SCHEMA);
        return -1;
    }
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsObject(fs)) {
        snprintf(msg, msglen, "\"findings\" is missing or not an object");
        return -1;
    }
    if (check_findings(fs, msg, msglen) != 0)
        return -1;
    return check_problems(cJSON_GetObjectItemCaseSensitive(root, "data_problems"), msg, msglen);
}

static state_t *state_empty(void)
{
    state_t *s = xcalloc(1, sizeof *s);
    s->root = cJSON_CreateObject();
    cJSON_AddStringToObject(s->root, "schema", STATE_SCHEMA);
    s->findings = cJSON_AddObjectToObject(s->root, "findings");
    return s;
}

state_t *state_load(const char *path, char *msg, size_t msglen)
{
    char *buf = NULL;
    size_t len = 0;
    char why[400];
    int r = read_all(path, &buf, &len, why, sizeof why);
    if (r == 1)
        return state_empty();
    if (r < 0) {
        snprintf(msg, msglen, "%s: %s", name_shown(path), why);
        return NULL;
    }
    const char *end = NULL;
    /* len + 1: the NUL terminator must be reached, so trailing junk is an error too. */
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (!root) {
        snprintf(msg, msglen, "%s:%ld: not valid JSON%s", name_shown(path),
                 line_of(buf, end ? end : buf), len == 0 ? " (the file is empty)" : "");
        free(buf);
        return NULL;
    }
    json_exact_ints(root, buf, len); /* amounts past 2^53 come back exact, not rounded */
    free(buf);
    if (check_tree(root, why, sizeof why) != 0) {
        snprintf(msg, msglen, "%s: %s", name_shown(path), why);
        cJSON_Delete(root);
        return NULL;
    }
    state_t *s = xcalloc(1, sizeof *s);
    s->root = root;
    s->findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    s->problems = cJSON_GetObjectItemCaseSensitive(root, "data_problems");
    s->existed = 1;
    return s;
}

void state_free(state_t *s)
{
    if (!s)
        return;
    cJSON_Delete(s->root);
    free(s);
}

int state_existed(const state_t *s)
{
    return s->existed;
}

static const char *str_field(const cJSON *e, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void fill_entry(const cJSON *e, state_entry_t *out)
{
    memset(out, 0, sizeof *out);
    out->id = e->string;
    out->category = str_field(e, "category");
    out->period = str_field(e, "period");
    out->title = str_field(e, "title");
    out->first_seen = str_field(e, "first_seen");
    out->resolved = str_field(e, "resolved");
    const cJSON *amt = cJSON_GetObjectItemCaseSensitive(e, "amount_fen");
    int64_t v;
    if (json_get_int(amt, &v)) { /* beyond 2^53 cJSON rounded it: unknown, never wrong */
        out->amount = v;
        out->has_amount = 1;
    }
}

int state_find(const state_t *s, const char *id, state_entry_t *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(s->findings, id);
    if (!v)
        return 0;
    fill_entry(v, e);
    return 1;
}

size_t state_count(const state_t *s)
{
    return (size_t)cJSON_GetArraySize(s->findings);
}

void state_entry(const state_t *s, size_t i, state_entry_t *e)
{
    fill_entry(cJSON_GetArrayItem(s->findings, (int)i), e);
}

void state_record(state_t *s, const finding_t *f, day_t today)
{
    cJSON *old = cJSON_GetObjectItemCaseSensitive(s->findings, f->id);
    if (old) {
        cJSON_DeleteItemFromObjectCaseSensitive(old, "resolved");
        return;
    }
    char d[16], m[16];
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "first_seen", day_fmt(today, d));
    cJSON_AddStringToObject(e, "category", f->category);
    if (f->period == NO_YM)
        cJSON_AddNullToObject(e, "period");
    else
        cJSON_AddStringToObject(e, "period", ym_fmt(f->period, m));
    json_add_int(e, "amount_fen", f->amount);
    if (f->title)
        cJSON_AddStringToObject(e, "title", f->title);
    cJSON_AddItemToObject(s->findings, f->id, e);
}

void state_mark_resolved(state_t *s, const char *id, day_t today)
{
    cJSON *e = cJSON_GetObjectItemCaseSensitive(s->findings, id);
    char d[16];
    if (e && !cJSON_GetObjectItemCaseSensitive(e, "resolved"))
        cJSON_AddStringToObject(e, "resolved", day_fmt(today, d));
}

int state_problem_seen(const state_t *s, const char *text)
{
    return s->problems && cJSON_GetObjectItemCaseSensitive(s->problems, text) != NULL;
}

void state_record_problem(state_t *s, const char *text, day_t today)
{
    if (state_problem_seen(s, text))
        return;
    if (!s->problems)
        s->problems = cJSON_AddObjectToObject(s->root, "data_problems");
    char d[16];
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "first_seen", day_fmt(today, d));
    cJSON_AddItemToObject(s->problems, text, e);
}

int state_save(const state_t *s, const char *path)
{
    const char *fail = getenv("BILLAUDIT_FAIL_WRITE");
    if (fail && *fail && strcmp(fail, "0")) {
        errno = ENOSPC; /* as if the disk filled up before the rename */
        return -1;
    }
    char *text = json_print(s->root);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    sbuf_t b = {0};
    sb_add(&b, text);
    sb_addc(&b, '\n');
    cJSON_free(text);
    int rc = write_file_atomic(path, b.p, b.n);
    int e = errno;
    sb_free(&b);
    errno = e;
    return rc;
}
