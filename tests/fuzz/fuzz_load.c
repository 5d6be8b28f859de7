/* Format detection and every parser through the normal loader, on a file holding the
 * fuzz input as it is (the CSV/TSV/text path, and the XLSX path when the input is a
 * ZIP), then the §4.1 post-processing. */
#include "audit.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    const char *path = fuzz_path(".csv");
    fuzz_write(path, data, size);
    audit_t a;
    audit_init(&a);
    char *paths[] = {(char *)path};
    audit_load(&a, paths, 1);
    audit_prepare(&a);
    audit_free(&a);
    unlink(path);
    return 0;
}
