/* Unit tests of the cron state file (src/state.c): round trip, strict loading, resolved
 * marks, data problems, the default path, mkdir -p, symbolic links and the lock. */
#include "state.h"
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *scratch(void)
{
    char *tmpl = unit_tmp_template("billaudit-state");
    char *dir = xstrdup(mkdtemp(tmpl));
    free(tmpl);
    return dir;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static finding_t sample_finding(const char *id, ym_t period, fen_t amount)
{
    finding_t f;
    memset(&f, 0, sizeof f);
    snprintf(f.id, sizeof f.id, "%s", id);
    f.category = "duplicate-charge";
    f.period = period;
    f.amount = amount;
    f.title = (char *)"彩铃重复收费";
    return f;
}

TEST(state_round_trip)
{
    char *dir = scratch(), msg[256];
    char *path = xasprintf("%s/a/b/state.json", dir);
    CHECK_INT(state_make_dir(path, msg, sizeof msg), 0);
    state_t *s = state_load(path, msg, sizeof msg);
    CHECK(s && !state_existed(s) && state_count(s) == 0);
    finding_t f = sample_finding("F-0000abcd", ym_make(2025, 2), 500);
    day_t today = days_from_civil(2025, 8, 10);
    state_record(s, &f, today);
    state_record(s, &f, today + 1); /* recorded once, first_seen kept */
    CHECK_INT(state_save(s, path), 0);
    state_free(s);
    s = state_load(path, msg, sizeof msg);
    state_entry_t e;
    CHECK(s && state_existed(s) && state_count(s) == 1);
    CHECK(s && state_find(s, "F-0000abcd", &e));
    if (s && state_find(s, "F-0000abcd", &e)) {
        CHECK_STR(e.first_seen, "2025-08-10");
        CHECK_STR(e.period, "2025-02");
        CHECK_STR(e.category, "duplicate-charge");
        CHECK(e.has_amount && e.amount == 500 && !e.resolved);
    }
    CHECK(s && !state_find(s, "F-ffffffff", &e));
    state_mark_resolved(s, "F-0000abcd", today + 30);
    CHECK(state_find(s, "F-0000abcd", &e) && e.resolved && !strcmp(e.resolved, "2025-09-09"));
    state_record(s, &f, today + 40); /* back again: current, first_seen unchanged */
    CHECK(state_find(s, "F-0000abcd", &e) && !e.resolved && !strcmp(e.first_seen, "2025-08-10"));
    state_free(s);
    unlink(path);
    char *b = xasprintf("%s/a/b", dir), *a = xasprintf("%s/a", dir);
    rmdir(b), rmdir(a), rmdir(dir);
    free(b), free(a);
    free(path);
    free(dir);
}

TEST(state_refuses_what_it_cannot_read)
{
    static const char *const bad[] = {
        "",
        "{",
        "[]",
        "{\"schema\": \"billaudit/state/v1\"}",
        "{\"schema\": \"billaudit/state/v2\", \"findings\": {}}",
        "{\"schema\": \"something/else\", \"findings\": {}}",
        "{\"schema\": \"billaudit/state/v1\", \"findings\": {\"F-1\": 3}}",
        "{\"schema\": \"billaudit/state/v1\", \"findings\": {\"F-1\": {}}}",
        "{\"schema\": \"billaudit/state/v1\", \"findings\": {\"F-1\": {\"first_seen\": "
        "\"2025-01-01\", "
        "\"amount_fen\": 1e300}}}",
        "{\"schema\": \"billaudit/state/v1\", \"findings\": {\"F-1\": {\"first_seen\": \"x\"}, "
        "\"F-1\": {\"first_seen\": \"y\"}}}",
        "{\"schema\": \"billaudit/state/v1\", \"findings\": {}} trailing",
        NULL,
    };
    char *dir = scratch(), msg[256];
    char *path = xasprintf("%s/state.json", dir);
    for (int i = 0; bad[i]; i++) {
        put(path, bad[i]);
        msg[0] = 0;
        state_t *s = state_load(path, msg, sizeof msg);
        CHECK(s == NULL);
        CHECK(str_starts(msg, path));
        state_free(s);
    }
    put(path, "{\"schema\": \"billaudit/state/v1\", \"findings\": {\"F-1\": {\"first_seen\": "
              "\"2025-01-01\", \"note\": \"kept\"}}, \"extra\": 1}");
    state_t *s = state_load(path, msg, sizeof msg);
    CHECK(s && state_count(s) == 1);
    state_free(s);
    unlink(path);
    free(path);
    rmdir(dir);
    free(dir);
}

TEST(state_data_problems)
{
    char *dir = scratch(), msg[256];
    char *path = xasprintf("%s/state.json", dir);
    const char *text = "bills/a.csv:17: amount \"12,3x\" is not a number";
    /* A v1 file of an earlier version has no data_problems: read, nothing seen. */
    put(path, "{\"schema\": \"billaudit/state/v1\", \"findings\": {}}");
    state_t *s = state_load(path, msg, sizeof msg);
    CHECK(s && !state_problem_seen(s, text));
    if (s) {
        state_record_problem(s, text, days_from_civil(2025, 8, 10));
        state_record_problem(s, text, days_from_civil(2025, 9, 10)); /* first_seen kept */
        CHECK(state_problem_seen(s, text) && !state_problem_seen(s, "other"));
        CHECK_INT(state_save(s, path), 0);
    }
    state_free(s);
    s = state_load(path, msg, sizeof msg);
    CHECK(s && state_problem_seen(s, text) && state_count(s) == 0);
    state_free(s);
    put(path, "{\"schema\": \"billaudit/state/v1\", \"findings\": {}, \"data_problems\": "
              "{\"x\": {}}}");
    CHECK((s = state_load(path, msg, sizeof msg)) == NULL && str_has(msg, "data problem"));
    state_free(s);
    unlink(path);
    free(path);
    rmdir(dir);
    free(dir);
}

TEST(state_resolve_follows_links)
{
    char *dir = scratch(), msg[256];
    char *link = xasprintf("%s/link.json", dir), *loop = xasprintf("%s/loop", dir);
    char *plain = xasprintf("%s/plain.json", dir);
    char *r = state_resolve(plain, msg, sizeof msg); /* missing, not a link: as given */
    CHECK(r && !strcmp(r, plain));
    free(r);
    CHECK_INT(symlink("sub/target.json", link), 0); /* dangling and relative */
    r = state_resolve(link, msg, sizeof msg);
    char *want = xasprintf("%s/sub/target.json", dir);
    CHECK(r && !strcmp(r, want));
    free(r);
    CHECK_INT(symlink("loop", loop), 0);
    CHECK(state_resolve(loop, msg, sizeof msg) == NULL && str_has(msg, "symbolic links"));
    unlink(link), unlink(loop), rmdir(dir);
    free(want), free(plain), free(loop), free(link), free(dir);
}

TEST(state_injected_write_failure)
{
    char *dir = scratch(), msg[256];
    char *path = xasprintf("%s/state.json", dir);
    state_t *s = state_load(path, msg, sizeof msg);
    setenv("BILLAUDIT_FAIL_WRITE", "1", 1);
    CHECK(s && state_save(s, path) != 0);
    unsetenv("BILLAUDIT_FAIL_WRITE");
    CHECK(access(path, F_OK) != 0);
    CHECK(s && state_save(s, path) == 0);
    state_free(s);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

TEST(state_default_path_follows_xdg)
{
    char *old_xdg = getenv("XDG_STATE_HOME") ? xstrdup(getenv("XDG_STATE_HOME")) : NULL;
    char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    setenv("XDG_STATE_HOME", "/x/state", 1);
    setenv("HOME", "/home/u", 1);
    char *p = state_default_path();
    CHECK_STR(p, "/x/state/billaudit/state.json");
    free(p);
    setenv("XDG_STATE_HOME", "relative", 1); /* ignored, as the XDG spec says */
    p = state_default_path();
    CHECK_STR(p, "/home/u/.local/state/billaudit/state.json");
    free(p);
    unsetenv("XDG_STATE_HOME");
    p = state_default_path();
    CHECK_STR(p, "/home/u/.local/state/billaudit/state.json");
    free(p);
    if (old_xdg)
        setenv("XDG_STATE_HOME", old_xdg, 1);
    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    free(old_xdg);
    free(old_home);
}

TEST(state_lock_times_out_while_held)
{
    char *dir = scratch(), msg[256];
    char *path = xasprintf("%s/state.json", dir);
    int a = state_lock(path, 0, msg, sizeof msg);
    CHECK(a >= 0);
    int b = state_lock(path, 50, msg, sizeof msg); /* a second open file: flock conflicts */
    CHECK(b < 0 && str_has(msg, "another billaudit cron"));
    if (a >= 0)
        close(a);
    b = state_lock(path, 0, msg, sizeof msg);
    CHECK(b >= 0);
    if (b >= 0)
        close(b);
    char *lock = xasprintf("%s.lock", path);
    unlink(lock);
    rmdir(dir);
    free(lock);
    free(path);
    free(dir);
}
