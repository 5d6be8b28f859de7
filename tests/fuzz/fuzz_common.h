/* Shared by the libFuzzer harnesses: the fuzz input written to a scratch file,
 * since the loaders read paths exactly as the command line gives them. */
#ifndef BILLAUDIT_FUZZ_COMMON_H
#define BILLAUDIT_FUZZ_COMMON_H
#include "util.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A per-process scratch path: in $TMPDIR when set (tests/run.sh gives each run its own, so the
 * replays write nowhere else), else on tmpfs when there is one (fast fuzzing), else /tmp. */
static inline const char *fuzz_path(const char *suffix)
{
    static char buf[8][256];
    static int next;
    char *p = buf[next++ & 7];
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(p, 256, "%s/billaudit-fuzz-%ld%s", dir, (long)getpid(), suffix);
    return p;
}

/* Writes data to path; aborts on failure (a broken harness, not a finding). */
static inline void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* A NUL-terminated copy of the input. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#ifdef BILLAUDIT_CONTAINER_H
/* Every table (sheet, page table, worksheet) container c opens on the input held in memory
 * as an archive member is, each read to the end: the container harnesses. */
static inline void fuzz_tables(const container_t *c, const uint8_t *data, size_t size,
                               const char *name)
{
    blob_t b = {name, NULL, data, size};
    char why[256] = "", err[256] = "";
    if (container_of(&b, why, sizeof why) != c)
        return;
    for (int t = 0; t < 16; t++) {
        rowsrc_t *rs = c->open(&b, t, RS_CELLS, err, sizeof err);
        if (!rs)
            break;
        row_t r;
        while (rowsrc_next(rs, &r) == 1)
            ;
        rowsrc_close(rs);
    }
}
#endif

/* The legacy .xls reader runs as this very program anew (src/container.h): libFuzzer calls
 * this before it reads its own arguments. */
int xls_reader_main(int argc, char **argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    xls_reader_main(*argc, *argv);
    return 0;
}

#endif
