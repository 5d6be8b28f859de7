/* Runs a libFuzzer harness on the files given, without libFuzzer: `make test` replays the
 * committed corpus (seeds and crash regressions of tests/fuzz/corpus/<harness>) with cc,
 * and under the sanitizer build, so that a fixed crash stays fixed without clang.
 * Prints "<n> inputs replayed"; a crash or sanitizer report ends the process. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int xls_reader_main(int argc, char **argv); /* src/container.h: the .xls reader's run */

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += k) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    if (!buf) {
        perror("replay");
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    xls_reader_main(argc, argv);
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (replay(argv[i]) != 0)
            return 2;
        n++;
    }
    printf("%d inputs replayed\n", n);
    return 0;
}
