/* The HTML table container (src/html_table.c) on arbitrary bytes held in memory, as an archive
 * member is: every table it opens is read to the end. */
#include "container.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    fuzz_tables(&container_html_table, data, size, "fuzz.html");
    return 0;
}
