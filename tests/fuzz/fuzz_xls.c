/* The legacy .xls container (src/xls.c) on arbitrary bytes held in memory, as an archive
 * member is: every sheet it opens is read to the end. FreeXL runs in a child process, so
 * what is fuzzed here is the parent: the pipe protocol, the rows, the child's death; the
 * child's time limit is lowered to 1 s (a date bomb would be 20 s, past libFuzzer's). */
#include "container.h"
#include "fuzz_common.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    setenv("BILLAUDIT_XLS_CPU_SECONDS", "1", 0);
    fuzz_tables(&container_xls, data, size, "fuzz.xls");
    return 0;
}
