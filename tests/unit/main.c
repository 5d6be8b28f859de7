#include "unit.h"
#include "util.h"
#include <stdlib.h>

static struct {
    const char *name;
    unit_fn fn;
} tests[512];
static int ntests;

void unit_register(const char *name, unit_fn fn)
{
    if (ntests < 512) {
        tests[ntests].name = name;
        tests[ntests].fn = fn;
        ntests++;
    }
}

char *unit_tmp_template(const char *stem)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + strlen(stem) + 9;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%s/%s-XXXXXX", dir, stem);
    return t;
}

char *unit_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf_t b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&b, buf, n);
    fclose(f);
    return sb_take(&b);
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    diag_quiet = 1;
    for (int i = 0; i < ntests; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1]))
            continue;
        int f = 0;
        tests[i].fn(&f);
        if (f) {
            printf("FAIL unit %s\n", tests[i].name);
            failed++;
        } else {
            passed++;
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
