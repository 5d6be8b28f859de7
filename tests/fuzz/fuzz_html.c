/* The HTML table container (src/html_table.c) on arbitrary bytes held in memory, as an archive
 * member is: every table it opens is read to the end. */
#include "container.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    blob_t b = {"fuzz.html", NULL, data, size};
    char why[256] = "", err[256] = "";
    if (container_of(&b, why, sizeof why) != &container_html_table)
        return 0;
    for (int t = 0; t < 16; t++) {
        rowsrc_t *rs = container_html_table.open(&b, t, RS_CELLS, err, sizeof err);
        if (!rs)
            break;
        row_t r;
        while (rowsrc_next(rs, &r) == 1)
            ;
        rowsrc_close(rs);
    }
    return 0;
}
