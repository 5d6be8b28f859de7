/* broadband-sessions: home-broadband online sessions (宽带上网记录),
 * formats.md §5.1. A session is usage on every day it overlaps, so it is
 * passed with its start and end (the end from 下线时间, else start + 上网时长). */
#include "layout.h"

static int sniff(const sniff_t *s, char *why, size_t whylen)
{
    return layout_sniff(s, LK_BROADBAND, why, whylen);
}

static int near(const sniff_t *s, char *why, size_t whylen)
{
    return layout_near(s, LK_BROADBAND, "a broadband session log", why, whylen);
}

/* Is any column of the logoff time (single or a date + time pair) non-blank in r?
 * Constant names: the reader caches look-ups by name. */
static int has_end(const lreader_t *R, const row_t *r)
{
    static const char *const names[] = {"end", "end.date", "end.time"};
    for (int i = 0; i < 3; i++)
        if (*lr_get(R, r, names[i]))
            return 1;
    return 0;
}

/* The session's volume: 总流量 when stated, else 上行 + 下行 when either is.
 * 0 = not stated, -1 = rejected. */
static int session_bytes(lreader_t *R, const row_t *r, usage_t *u)
{
    int64_t up = 0, down = 0;
    int hu, hd, ht;
    if ((hu = lr_volume(R, r, "up", &up)) < 0 || (hd = lr_volume(R, r, "down", &down)) < 0 ||
        (ht = lr_volume(R, r, "volume", &u->bytes)) < 0)
        return -1;
    if (ht == 0 && (hu == 1 || hd == 1)) {
        if (__builtin_add_overflow(up, down, &u->bytes)) {
            parse_reject(R->p, r, "upload plus download volume is too large");
            return -1;
        }
        ht = 1;
    }
    u->has_bytes = ht == 1;
    return ht;
}

static void session_row(lreader_t *R, const row_t *r)
{
    usage_t u = {.kind = U_BROADBAND, .end = NO_TS};
    int has_secs;
    if (lr_time(R, r, "start", "logon time", &u.start) < 0 ||
        (has_secs = lr_duration(R, r, "duration", &u.seconds)) < 0 || session_bytes(R, r, &u) < 0)
        return;
    u.has_seconds = has_secs == 1;
    if (has_end(R, r)) {
        if (lr_time(R, r, "end", "logoff time", &u.end) < 0)
            return;
    } else {
        u.end = u.start + u.seconds;
    }
    if (u.end < u.start) {
        parse_reject(R->p, r, "logoff time before logon time");
        return;
    }
    lr_usage(R, r, &u, NULL);
}

static int parse(parse_t *p)
{
    return lreader_run(p, LK_BROADBAND, session_row);
}

const parser_t parser_broadband_sessions = {
    "broadband-sessions", "home-broadband sessions (宽带上网记录)", RS_CELLS, sniff, parse, near,
};
