/* The account profile loader (spec §3) on a file holding the input, then the lookups
 * the rules make on it. */
#include "audit.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    const char *path = fuzz_path(".json");
    fuzz_write(path, data, size);
    account_t acct;
    memset(&acct, 0, sizeof acct);
    char msg[512];
    if (account_load(&acct, path, msg, sizeof msg) == 0) {
        account_number_matches(&acct, "139****5678");
        account_number_matches(&acct, "13800138000");
        account_number_matches(&acct, "");
    }
    account_free(&acct);
    unlink(path);
    return 0;
}
