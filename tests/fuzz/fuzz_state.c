/* The cron state loader (billaudit/state/v1) on a file holding the input, then every
 * read accessor and a save of what was loaded. */
#include "fuzz_common.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    const char *path = fuzz_path(".state.json");
    fuzz_write(path, data, size);
    char msg[512];
    state_t *s = state_load(path, msg, sizeof msg);
    if (s) {
        state_entry_t e;
        size_t n = state_count(s);
        for (size_t i = 0; i < n && i < 10000; i++) {
            state_entry(s, i, &e);
            if (e.id) {
                state_entry_t again;
                state_find(s, e.id, &again);
                state_mark_resolved(s, e.id, 20000);
            }
        }
        state_find(s, "F-0000000000", &e);
        state_existed(s);
        const char *out = fuzz_path(".state.out.json");
        state_save(s, out);
        unlink(out);
        state_free(s);
    }
    unlink(path);
    return 0;
}
