/* The XML Spreadsheet 2003 container (src/xml2003.c) on arbitrary bytes held in memory, as an
 * archive member is: every worksheet it opens is read to the end. */
#include "container.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    fuzz_tables(&container_xml2003, data, size, "fuzz.xls");
    return 0;
}
