/* The XML parts of a workbook, inside a valid ZIP: the input is split at "@@@@" into
 * sheet1.xml, sharedStrings.xml, styles.xml, sheet2.xml, workbook.xml and
 * workbook.xml.rels (parts not given get a working default), so the fuzzer spends its
 * time in the XML handlers rather than in ZIP checksums. */
#include "fuzz_common.h"
#include "fuzz_zip.h"
#include "rowsrc.h"

static const char *const names[] = {
    "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
    "xl/worksheets/sheet2.xml", "xl/workbook.xml",      "xl/_rels/workbook.xml.rels"};
#define NPARTS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    fz_member_t m[NPARTS] = {
        {names[0], "", 0},
        {names[1], "", 0},
        {names[2], fz_styles, sizeof fz_styles - 1},
        {names[3], "", 0},
        {names[4], fz_workbook, sizeof fz_workbook - 1},
        {names[5], fz_workbook_rels, sizeof fz_workbook_rels - 1},
    };
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < NPARTS && p <= end; i++) {
        const char *sep = memmem(p, (size_t)(end - p), "@@@@", 4);
        const char *stop = sep ? sep : end;
        m[i].data = p;
        m[i].len = (size_t)(stop - p);
        if (!sep)
            break;
        p = sep + 4;
    }
    const char *path = fuzz_path(".xlsx");
    if (fz_write_zip(path, m, NPARTS) != 0)
        abort();
    char err[256];
    for (int sheet = 0; sheet < 2; sheet++) {
        rowsrc_t *rs = xlsx_open_sheet(path, sheet, err, sizeof err);
        if (!rs)
            break;
        row_t row;
        long n = 0;
        while (rowsrc_next(rs, &row) == 1 && n++ < 100000)
            ;
        rowsrc_close(rs);
    }
    unlink(path);
    return 0;
}
