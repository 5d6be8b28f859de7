/* The names of the inputs inside an evidence bundle (billaudit bundle): each path relative
 * to the deepest directory holding every input, so neither the working directory nor the
 * absolute path (the user's home folder, often the user's name) leaves the machine. */
#ifndef BILLAUDIT_BUNDLE_NAMES_H
#define BILLAUDIT_BUNDLE_NAMES_H
#include "audit.h"
#include "keyidx.h"
#include "redact.h"

typedef struct {
    char *orig; /* the path as the audit knows it */
    char *name; /* relative to the common root; masked under --redact; unique */
    int apart;  /* outside the common root (a profile kept elsewhere): the file name alone */
} bname_t;
/* The names, with hash indexes so that naming N files and rewriting a text cost time in
 * proportion to N and to the text, never N times N: by original path, by name given, by
 * every prefix of an original path (a rewrite walks a text only as far as some original
 * could still match), and by the base a name was made from (its next free ".K"). */
typedef struct {
    bname_t *items;
    size_t n, cap;
    keyidx_t by_orig, by_name, by_prefix, by_base;
    VEC(char *) bases; /* by_base's keys */
    VEC(int) next_k;   /* the next ".K" to try for each base */
} bnames_t;

/* Names every source, skipped file and the profile. The root is the common directory of
 * the sources and skipped files; a profile outside it is named by its file name. With red,
 * names are masked (a file named after its number keeps no number). */
void bnames_build(bnames_t *m, const audit_t *a, const redactor_t *red);
/* The entry of orig / its name; NULL when it has none. */
const bname_t *bnames_find(const bnames_t *m, const char *orig);
const char *bnames_get(const bnames_t *m, const char *orig);
/* text with every original path in it replaced by its name (longest first). Owned. */
char *bnames_rewrite(const bnames_t *m, const char *text);
void bnames_free(bnames_t *m);

/* "/a/./b/../c" -> "/a/c"; a relative path is taken from the working directory. By name,
 * without following links: the names are those the user gave. Owned. Exposed for tests. */
char *bn_abs_path(const char *path);

#endif
