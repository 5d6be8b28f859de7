/* The ZIP archive container (src/zip.c) on arbitrary bytes held in memory, as an archive
 * member is: every member it yields is detected and read by the parsers, as the loader
 * does. The fixtures' password is set, so that encrypted seeds open. */
#include "audit.h"
#include "container.h"
#include "fuzz_common.h"
#include "parser.h"

static void each(void *ctx, const blob_t *m, const char *label, const char *merr)
{
    (void)label;
    int *n = ctx;
    if (merr || ++*n > 64)
        return;
    detect_t d;
    if (detect_blob(m, &d, NULL) != 0)
        return;
    char err[256];
    rowsrc_t *rs = detect_open_blob(m, &d, d.parser->mode, err, sizeof err);
    row_t r;
    for (int k = 0; rs && k < 100000 && rowsrc_next(rs, &r) == 1; k++)
        ;
    rowsrc_close(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    setenv("BILLAUDIT_ZIP_PASSWORD", "Qz7-fixture-Pw" /* tests/data/zip/gen.sh: the seeds open */,
           1);
    blob_t b = {"fuzz.zip", NULL, data, size};
    char why[256] = "", err[256] = "";
    int n = 0;
    if (container_of(&b, why, sizeof why) == &container_zip)
        container_zip.members(&b, 0, each, &n, err, sizeof err);
    return 0;
}
