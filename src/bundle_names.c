/* Bundle names: absolute paths by name, their common directory, the path below it. */
#include "bundle_names.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends one component to an absolute path being built; ".." drops the last one. */
static void push_part(sbuf_t *b, const char *p, size_t n)
{
    if (!n || (n == 1 && p[0] == '.'))
        return;
    if (n == 2 && p[0] == '.' && p[1] == '.') {
        while (b->n && b->p[b->n - 1] != '/')
            b->n--;
        if (b->n)
            b->n--; /* the slash; "/.." stays "/" (empty) */
        if (b->p)
            b->p[b->n] = 0;
        return;
    }
    sb_addc(b, '/');
    sb_addn(b, p, n);
}

char *bn_abs_path(const char *path)
{
    sbuf_t b = {0};
    char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
    char *full = cwd ? xasprintf("%s/%s", cwd, path) : xstrdup(path);
    for (const char *p = full; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        push_part(&b, p, n);
        p += n + (slash ? 1 : 0);
    }
    free(cwd), free(full);
    return sb_take(&b); /* "" is the root directory */
}

/* Is abs below the directory root ("" being "/")? */
static int under(const char *abs, const char *root)
{
    size_t n = strlen(root);
    return !strncmp(abs, root, n) && abs[n] == '/';
}

/* Shrinks root (a directory) until it holds path. */
static void widen(char *root, const char *path)
{
    char *abs = bn_abs_path(path);
    while (*root && !under(abs, root))
        *strrchr(root, '/') = 0;
    free(abs);
}

/* The deepest directory holding every source and skipped file. */
static char *common_root(const audit_t *a)
{
    char *root = NULL;
    for (size_t i = 0; i < a->sources.n + a->skipped.n; i++) {
        const char *p =
            i < a->sources.n ? a->sources.items[i].path : a->skipped.items[i - a->sources.n].path;
        if (!root) {
            root = bn_abs_path(p);
            char *slash = strrchr(root, '/');
            if (slash)
                *slash = 0; /* the file's directory */
        } else {
            widen(root, p);
        }
    }
    return root ? root : xstrdup("");
}

/* Control characters and backslashes would make a name that sha256sum -c misreads. */
static char *clean_name(const char *rel)
{
    sbuf_t b = {0};
    for (const char *p = rel; *p; p++) {
        unsigned char c = (unsigned char)*p;
        sb_addc(&b, c < 0x20 || c == 0x7f || c == '\\' ? '_' : (char)c);
    }
    if (!b.n)
        sb_add(&b, "input");
    return sb_take(&b);
}

static int taken(const bnames_t *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->items[i].name, name))
            return 1;
    return 0;
}

static void add_name(bnames_t *m, const char *root, const char *orig, const redactor_t *red)
{
    if (bnames_get(m, orig))
        return;
    char *abs = bn_abs_path(orig);
    const char *slash = strrchr(abs, '/');
    /* Inputs with nothing but "/" in common (~/bills and /media/usb) are named by their
     * file names: a path from the root would carry the home folder into every document. */
    int top = !*root;
    int apart = !top && !under(abs, root);
    const char *rel = !apart && !top ? abs + strlen(root) + 1 : slash ? slash + 1 : abs;
    char *base = clean_name(rel);
    free(abs);
    if (red) {
        size_t n;
        char *masked = redact(red, base, strlen(base), &n);
        free(base);
        base = masked;
    }
    char *name = xstrdup(base);
    for (int k = 2; taken(m, name); k++) {
        free(name);
        name = xasprintf("%s.%d", base, k);
    }
    free(base);
    bname_t e = {xstrdup(orig), name, apart};
    VEC_PUSH(*m, e);
}

void bnames_build(bnames_t *m, const audit_t *a, const redactor_t *red)
{
    memset(m, 0, sizeof *m);
    char *root = common_root(a);
    for (size_t i = 0; i < a->sources.n; i++)
        add_name(m, root, a->sources.items[i].path, red);
    for (size_t i = 0; i < a->skipped.n; i++)
        add_name(m, root, a->skipped.items[i].path, red);
    if (a->account_path)
        add_name(m, root, a->account_path, red);
    free(root);
}

const bname_t *bnames_find(const bnames_t *m, const char *orig)
{
    for (size_t i = 0; orig && i < m->n; i++)
        if (!strcmp(m->items[i].orig, orig))
            return &m->items[i];
    return NULL;
}

const char *bnames_get(const bnames_t *m, const char *orig)
{
    const bname_t *e = bnames_find(m, orig);
    return e ? e->name : NULL;
}

/* The longest original path starting at s, or NULL. */
static const bname_t *match_at(const bnames_t *m, const char *s)
{
    const bname_t *best = NULL;
    for (size_t i = 0; i < m->n; i++) {
        size_t n = strlen(m->items[i].orig);
        if (n && !strncmp(s, m->items[i].orig, n) && (!best || n > strlen(best->orig)))
            best = &m->items[i];
    }
    return best;
}

char *bnames_rewrite(const bnames_t *m, const char *text)
{
    sbuf_t b = {0};
    for (const char *p = text ? text : ""; *p;) {
        const bname_t *e = match_at(m, p);
        if (e) {
            sb_add(&b, e->name);
            p += strlen(e->orig);
        } else {
            sb_addc(&b, *p++);
        }
    }
    return sb_take(&b);
}

void bnames_free(bnames_t *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->items[i].orig), free(m->items[i].name);
    VEC_FREE(*m);
}
