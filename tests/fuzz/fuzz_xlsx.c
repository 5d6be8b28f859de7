/* The XLSX container as it is: ZIP directory, inflate, the workbook, relationships,
 * shared strings, styles and sheet XML, every row of every sheet. */
#include "fuzz_common.h"
#include "rowsrc.h"

static void drain(rowsrc_t *rs)
{
    row_t row;
    long n = 0;
    while (rowsrc_next(rs, &row) == 1 && n++ < 100000)
        for (int i = 0; i < row.n; i++)
            if (row.cells[i] == NULL || (row.raw == NULL))
                abort(); /* the interface promises "" for absent cells and a raw line */
    rowsrc_close(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    const char *path = fuzz_path(".xlsx");
    fuzz_write(path, data, size);
    char err[256];
    container_sniff(path, err, sizeof err);
    for (int sheet = 0; sheet < 3; sheet++) {
        rowsrc_t *rs = xlsx_open_sheet(path, sheet, err, sizeof err);
        if (!rs)
            break;
        drain(rs);
    }
    unlink(path);
    return 0;
}
