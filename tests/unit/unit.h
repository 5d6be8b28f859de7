/* Minimal unit-test harness: TEST(name) { CHECK(cond); } in any tests/unit/ file;
 * tests register themselves; tests/unit/main.c runs them all. */
#ifndef BILLAUDIT_UNIT_H
#define BILLAUDIT_UNIT_H
#include <stdio.h>
#include <string.h>

typedef void (*unit_fn)(int *failed);
void unit_register(const char *name, unit_fn fn);
/* A whole file read into memory (NUL-terminated; caller frees), NULL when unreadable. */
char *unit_slurp(const char *path);
/* A mkstemp/mkdtemp template "$TMPDIR/<stem>-XXXXXX" (malloc'd): the runner gives every run
 * its own TMPDIR, so no test writes outside it. */
char *unit_tmp_template(const char *stem);

#define TEST(name)                                                                                 \
    static void test_##name(int *unit_failed);                                                     \
    __attribute__((constructor)) static void reg_##name(void)                                      \
    {                                                                                              \
        unit_register(#name, test_##name);                                                         \
    }                                                                                              \
    static void test_##name(int *unit_failed)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            (*unit_failed)++;                                                                      \
        }                                                                                          \
    } while (0)
#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *ua_ = (a), *ub_ = (b);                                                         \
        if (!ua_ || !ub_ || strcmp(ua_, ub_) != 0) {                                               \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", want \"%s\"\n", __FILE__,       \
                    __LINE__, #a, ua_ ? ua_ : "(null)", ub_ ? ub_ : "(null)");                     \
            (*unit_failed)++;                                                                      \
        }                                                                                          \
    } while (0)
#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long ua_ = (long long)(a), ub_ = (long long)(b);                                      \
        if (ua_ != ub_) {                                                                          \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s = %lld, want %lld\n", __FILE__, __LINE__, \
                    #a, ua_, ub_);                                                                 \
            (*unit_failed)++;                                                                      \
        }                                                                                          \
    } while (0)
#endif
