/* The PDF container (src/pdf.c) on arbitrary bytes held in memory, as an archive member
 * is: read to the end as table rows, then as lines of prose. */
#include "container.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    blob_t b = {"fuzz.pdf", NULL, data, size};
    char why[256] = "", err[256] = "";
    if (container_of(&b, why, sizeof why) != &container_pdf)
        return 0;
    for (int mode = RS_CELLS; mode <= RS_LINES; mode++) {
        rowsrc_t *rs = container_pdf.open(&b, 0, (rs_mode_t)mode, err, sizeof err);
        if (!rs)
            break;
        row_t r;
        while (rowsrc_next(rs, &r) == 1)
            ;
        rowsrc_close(rs);
    }
    return 0;
}
