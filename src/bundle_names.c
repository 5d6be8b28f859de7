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

/* A name in the bundle is plain UTF-8 that any tool reads: a name that is not UTF-8 is
 * decoded as GBK when it is (a folder copied from Windows), else each stray byte becomes
 * '_'; control characters, the characters that hide or reverse text (utf8_hidden) and
 * backslashes, which would make a name sha256sum -c misreads, become '_' too. */
static char *clean_name(const char *rel)
{
    size_t n = strlen(rel);
    char *gbk = utf8_valid(rel, n) ? NULL : gb18030_to_utf8(rel, n);
    const unsigned char *s = (const unsigned char *)(gbk ? gbk : rel);
    n = strlen((const char *)s);
    sbuf_t b = {0};
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_char(s + i, n - i, &cp);
        if (!len || utf8_hidden(cp) || cp == '\\')
            sb_addc(&b, '_');
        else
            sb_addn(&b, (const char *)s + i, len);
        i += len ? len : 1;
    }
    free(gbk);
    if (!b.n)
        sb_add(&b, "input");
    return sb_take(&b);
}

static uint64_t str_hash(const char *s)
{
    return key_hash(KEY_HASH_INIT, s, strlen(s));
}

static int taken(const bnames_t *m, const char *name)
{
    size_t it = 0, i;
    while ((i = keyidx_next(&m->by_name, str_hash(name), &it)) != KEYIDX_END)
        if (!strcmp(m->items[i].name, name))
            return 1;
    return 0;
}

/* Every prefix of orig, once each (paths share their directories). The hash alone is
 * kept: a rewrite verifies a whole match by comparing the bytes. */
static void index_prefixes(bnames_t *m, const char *orig)
{
    uint64_t h = KEY_HASH_INIT;
    for (const char *p = orig; *p; p++) {
        size_t it = 0;
        h = key_hash_byte(h, (unsigned char)*p);
        if (keyidx_next(&m->by_prefix, h, &it) == KEYIDX_END)
            keyidx_add(&m->by_prefix, h, 0);
    }
}

/* The slot of base's next ".K" (2 for a base not met before). */
static int *next_k(bnames_t *m, const char *base)
{
    uint64_t h = str_hash(base);
    size_t it = 0, i;
    while ((i = keyidx_next(&m->by_base, h, &it)) != KEYIDX_END)
        if (!strcmp(m->bases.items[i], base))
            return &m->next_k.items[i];
    keyidx_add(&m->by_base, h, m->bases.n);
    VEC_PUSH(m->bases, xstrdup(base));
    VEC_PUSH(m->next_k, 2);
    return &m->next_k.items[m->next_k.n - 1];
}

/* A name no other input has: base, else base.K with K from 2 on. */
static char *unique_name(bnames_t *m, const char *base)
{
    if (!taken(m, base)) {
        next_k(m, base); /* a later base.K starts at 2 */
        return xstrdup(base);
    }
    int *k = next_k(m, base);
    char *name = xasprintf("%s.%d", base, (*k)++);
    while (taken(m, name)) {
        free(name);
        name = xasprintf("%s.%d", base, (*k)++);
    }
    return name;
}

static void push_entry(bnames_t *m, const char *orig, char *name, int apart)
{
    bname_t e = {xstrdup(orig), name, apart};
    keyidx_add(&m->by_orig, str_hash(orig), m->n);
    keyidx_add(&m->by_name, str_hash(name), m->n);
    index_prefixes(m, orig);
    VEC_PUSH(*m, e);
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
    char *name = unique_name(m, base);
    free(base);
    push_entry(m, orig, name, apart);
    /* A message quotes an odd name as diagnostics show it ("identical to \"a\\nb.csv\""):
     * that spelling is rewritten to the same name. */
    const char *shown = name_shown(orig);
    if (shown != orig && !bnames_get(m, shown))
        push_entry(m, shown, xstrdup(name), apart);
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

/* The entry whose original is s[0..n) with hash h, or NULL. */
static const bname_t *find_n(const bnames_t *m, const char *s, size_t n, uint64_t h)
{
    size_t it = 0, i;
    while ((i = keyidx_next(&m->by_orig, h, &it)) != KEYIDX_END)
        if (!strncmp(m->items[i].orig, s, n) && !m->items[i].orig[n])
            return &m->items[i];
    return NULL;
}

const bname_t *bnames_find(const bnames_t *m, const char *orig)
{
    return orig ? find_n(m, orig, strlen(orig), str_hash(orig)) : NULL;
}

const char *bnames_get(const bnames_t *m, const char *orig)
{
    const bname_t *e = bnames_find(m, orig);
    return e ? e->name : NULL;
}

/* The longest original path starting at s, or NULL: s is read only as long as it is a
 * prefix of some original. */
static const bname_t *match_at(const bnames_t *m, const char *s)
{
    const bname_t *best = NULL;
    uint64_t h = KEY_HASH_INIT;
    for (size_t n = 1; s[n - 1]; n++) {
        size_t it = 0;
        h = key_hash_byte(h, (unsigned char)s[n - 1]);
        if (keyidx_next(&m->by_prefix, h, &it) == KEYIDX_END)
            break;
        const bname_t *e = find_n(m, s, n, h);
        if (e)
            best = e;
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
    for (size_t i = 0; i < m->bases.n; i++)
        free(m->bases.items[i]);
    VEC_FREE(m->bases);
    VEC_FREE(m->next_k);
    keyidx_free(&m->by_orig);
    keyidx_free(&m->by_name);
    keyidx_free(&m->by_prefix);
    keyidx_free(&m->by_base);
}
