/* Calendar arithmetic and the date, duration and volume notations of the inputs
 * (doc/formats.md, "Text"). */
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ukind_names[U_NKINDS] = {"voice", "data", "sms", "vas", "broadband"};

/* Days from 1970-01-01 (proleptic Gregorian), after H. Hinnant's algorithm. */
day_t days_from_civil(int y, int m, int d)
{
    /* Consecutive records mostly fall on the same day. */
    static _Thread_local int ly, lm, ld;
    static _Thread_local day_t last = NO_DAY;
    if (last != NO_DAY && y == ly && m == lm && d == ld)
        return last;
    ly = y, lm = m, ld = d;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return last = era * 146097 + doe - 719468;
}

void civil_from_days(day_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

ym_t ym_of_day(day_t d)
{
    /* Called several times per usage record, mostly for the same day as the last call. */
    static _Thread_local day_t last_d = NO_DAY;
    static _Thread_local ym_t last_m = NO_YM;
    if (d == last_d && d != NO_DAY)
        return last_m;
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    last_d = d;
    return last_m = ym_make(y, m);
}

day_t ym_first_day(ym_t v)
{
    return days_from_civil(ym_year(v), ym_month(v), 1);
}

day_t ym_last_day(ym_t v)
{
    return days_from_civil(ym_year(v), ym_month(v), days_in_month(ym_year(v), ym_month(v)));
}

char *ym_fmt(ym_t v, char *buf)
{
    if (v == NO_YM)
        buf[0] = 0;
    else
        sprintf(buf, "%04d-%02d", ym_year(v) % 10000, ym_month(v));
    return buf;
}

char *day_fmt(day_t d, char *buf)
{
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    sprintf(buf, "%04d-%02d-%02d", y % 10000, m % 100, dd % 100);
    return buf;
}

char *ts_fmt(ts_t t, char *buf)
{
    day_t d = ts_day(t);
    int64_t s = t - (int64_t)d * 86400;
    day_fmt(d, buf);
    sprintf(buf + 10, " %02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
    return buf;
}

day_t day_add_months(day_t d, int months)
{
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    int idx = y * 12 + (m - 1) + months;
    y = idx / 12;
    m = idx % 12 + 1;
    int last = days_in_month(y, m);
    return days_from_civil(y, m, dd > last ? last : dd);
}

/* ---- date-time ---- */

/* Reads up to maxd digits at *s; returns the count, value in *v. */
static int read_digits(const char **s, int maxd, int *v)
{
    int n = 0;
    *v = 0;
    while (n < maxd && **s >= '0' && **s <= '9') {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

/* Length of the date or time separator at s, else 0. */
static size_t sep_at(const char *s)
{
    static const char *const wide[] = {"\xE5\xB9\xB4", "\xE6\x9C\x88",
                                       "\xE6\x97\xA5", /* 年月日 */
                                       "\xE6\x97\xB6", "\xE5\x88\x86",
                                       "\xE7\xA7\x92",        /* 时分秒 */
                                       "\xE7\x82\xB9",        /* 点 */
                                       "\xEF\xBC\x9A", NULL}; /* ： */
    unsigned char c = (unsigned char)*s;
    if (c == '-' || c == '/' || c == '.' || c == ':' || c == 'T' || c == ' ')
        return 1;
    if (c < 0xE5)
        return 0;
    for (int i = 0; wide[i]; i++)
        if (s[0] == wide[i][0] && s[1] == wide[i][1] && s[2] == wide[i][2])
            return 3;
    return 0;
}

/* Skips the separators of a date or time; returns 1 if there was one. */
static int skip_sep(const char **s)
{
    size_t k;
    int any = 0;
    while ((k = sep_at(*s)) != 0) {
        *s += k;
        any = 1;
    }
    return any;
}

/* Copies text into buf (at most len - 1 bytes, as snprintf "%s" would) and trims it:
 * without the cost of a printf per cell. Text that is short and has no blank at either
 * end (every cell a row source gives) is used in place. */
static const char *trimmed_copy(char *buf, size_t len, const char *text)
{
    size_t k = text ? strnlen(text, len) : 0;
    if (k && k < len) {
        unsigned char f = (unsigned char)text[0], l = (unsigned char)text[k - 1];
        if (f != ' ' && f != '\t' && f != '\r' && f != '\n' && f != 0xC2 && f != 0xE3 && l != ' ' &&
            l != '\t' && l != '\r' && l != '\n' && l != 0xA0 && l != 0x80)
            return text;
    }
    size_t n = text ? strnlen(text, len - 1) : 0;
    memcpy(buf, text ? text : "", n);
    buf[n] = 0;
    return str_trim(buf);
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The common "YYYY-MM-DD HH:MM:SS" (or with '/') read directly; 1 when it was that. */
static int parse_iso(const char *s, dt_t *t)
{
    static const char pat[] = "dddd-dd-dd dd:dd:dd";
    for (int i = 0; i < 19; i++) {
        unsigned char c = (unsigned char)s[i];
        if (pat[i] == 'd'
                ? !(c >= '0' && c <= '9')
                : c != (unsigned char)pat[i] && !(pat[i] == '-' && c == '/' && s[4] == '/'))
            return 0;
    }
    if (s[19])
        return 0;
    *t = (dt_t){0};
    t->y = two(s) * 100 + two(s + 2), t->m = two(s + 5), t->d = two(s + 8);
    t->hh = two(s + 11), t->mi = two(s + 14), t->ss = two(s + 17);
    t->has_year = t->has_time = 1;
    return 1;
}

static int valid_dt(const dt_t *t)
{
    if (t->m < 1 || t->m > 12 || t->d < 1)
        return 0;
    int y = t->has_year ? t->y : 2000; /* a year-less 02-29 is possible */
    if (t->d > days_in_month(y, t->m))
        return 0;
    /* 23:59:60 is refused, not rolled into the next day (and month): no bill has a leap
     * second, so it is a damaged time. */
    return t->hh >= 0 && t->hh < 24 && t->mi >= 0 && t->mi < 60 && t->ss >= 0 && t->ss < 60;
}

/* Compact digit forms: 20250308094127, 202503080941, 20250308. */
static int parse_compact(const char *s, dt_t *t)
{
    size_t n = strspn(s, "0123456789");
    if (s[n] != 0 && s[n] != ' ')
        return -1;
    if (n != 8 && n != 12 && n != 14)
        return -1;
    int f[7] = {0};
    const int w[] = {4, 2, 2, 2, 2, 2};
    const char *p = s;
    for (int i = 0; i < 6 && (size_t)(p - s) < n; i++)
        read_digits(&p, w[i], &f[i]);
    t->y = f[0], t->m = f[1], t->d = f[2], t->hh = f[3], t->mi = f[4], t->ss = f[5];
    t->has_year = 1;
    t->has_time = n > 8;
    if (n == 8 && s[n] == ' ') {
        p = s + n;
        skip_sep(&p);
        int v[3] = {0}, k = 0;
        while (k < 3 && read_digits(&p, 2, &v[k]) > 0) {
            k++;
            skip_sep(&p);
        }
        if (*p || k < 2)
            return -1;
        t->hh = v[0], t->mi = v[1], t->ss = v[2];
        t->has_time = 1;
    }
    return valid_dt(t) ? 0 : -1;
}

int dt_parse(const char *text, dt_t *out)
{
    dt_t t = {0};
    if (text && parse_iso(text, &t)) /* the usual form, already trimmed: no copy */
        return valid_dt(&t) ? (*out = t, 0) : -1;
    char buf[96];
    const char *s = trimmed_copy(buf, sizeof buf, text);
    if (!*s)
        return -1;
    if (parse_compact(s, &t) == 0) {
        *out = t;
        return 0;
    }
    int v[6] = {0}, k = 0, first_len = 0;
    while (k < 6) {
        int n = read_digits(&s, k == 0 ? 4 : 2, &v[k]);
        if (n == 0)
            break;
        if (k == 0)
            first_len = n;
        k++;
        if (!skip_sep(&s))
            break;
    }
    /* Fractional seconds ("…27.000") are dropped. */
    if (*s == '.' || (*s >= '0' && *s <= '9' && k == 6))
        s += strspn(s, ".0123456789");
    if (*s)
        return -1;
    if (first_len == 4) {
        if (k < 3)
            return -1;
        t.y = v[0], t.m = v[1], t.d = v[2], t.hh = v[3], t.mi = v[4], t.ss = v[5];
        t.has_year = 1;
        t.has_time = k > 3;
        if (k == 4)
            return -1; /* an hour without minutes */
    } else if (first_len >= 1 && first_len <= 2) {
        if (k < 4)
            return -1; /* "03-08" alone is too ambiguous; year-less forms carry a time */
        t.m = v[0], t.d = v[1], t.hh = v[2], t.mi = v[3], t.ss = v[4];
        t.has_time = 1;
    } else {
        return -1;
    }
    if (!valid_dt(&t))
        return -1;
    *out = t;
    return 0;
}

ts_t dt_ts(const dt_t *t)
{
    return (ts_t)days_from_civil(t->y, t->m, t->d) * 86400 + t->hh * 3600 + t->mi * 60 + t->ss;
}

int dt_infer_year(dt_t *t, day_t from, day_t to)
{
    if (t->has_year)
        return 0;
    if (from == NO_DAY || to == NO_DAY)
        return -1;
    int fy, ty, mm, dd;
    civil_from_days(from, &fy, &mm, &dd);
    civil_from_days(to, &ty, &mm, &dd);
    for (int y = fy; y <= ty; y++) {
        if (t->d > days_in_month(y, t->m))
            continue;
        day_t d = days_from_civil(y, t->m, t->d);
        if (d >= from && d <= to) {
            t->y = y;
            t->has_year = 1;
            return 0;
        }
    }
    for (int y = fy - 1; y <= fy; y++) {
        if (t->d > days_in_month(y, t->m))
            continue;
        day_t d = days_from_civil(y, t->m, t->d);
        if (d >= from - 31 && d < from) {
            t->y = y;
            t->has_year = 1;
            return 0;
        }
    }
    return -1;
}

int dt_from_serial(const char *s, int date1904, dt_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0 && v < 2958466))
        return -1;
    int64_t secs = (int64_t)(v * 86400.0 + 0.5);
    day_t base = date1904 ? days_from_civil(1904, 1, 1) : days_from_civil(1899, 12, 30);
    day_t d = base + (day_t)(secs / 86400);
    int64_t r = secs % 86400;
    dt_t t = {0};
    civil_from_days(d, &t.y, &t.m, &t.d);
    t.hh = (int)(r / 3600), t.mi = (int)(r / 60 % 60), t.ss = (int)(r % 60);
    t.has_year = t.has_time = 1;
    *out = t;
    return 0;
}

/* ---- durations ---- */

static const struct {
    const char *unit;
    int secs;
} dur_units[] = {
    {"\xE5\xB0\x8F\xE6\x97\xB6", 3600}, /* 小时 */
    {"\xE5\x88\x86\xE9\x92\x9F", 60},   /* 分钟 */
    {"\xE5\xA4\xA9", 86400},            /* 天 */
    {"\xE6\x97\xB6", 3600},             /* 时 */
    {"\xE5\x88\x86", 60},               /* 分 */
    {"\xE7\xA7\x92", 1},                /* 秒 */
    {"h", 3600},
    {"m", 60},
    {"s", 1},
    {NULL, 0},
};

static int64_t duration_colon(const char *s)
{
    int64_t parts[3];
    int k = 0;
    while (k < 3) {
        int64_t v = 0;
        int n = 0;
        for (; *s >= '0' && *s <= '9' && n < 9; s++, n++)
            v = v * 10 + (*s - '0');
        if (!n)
            return -1;
        parts[k++] = v;
        if (*s != ':')
            break;
        s++;
    }
    if (*s || k < 2)
        return -1;
    /* "1:75" is no duration: a field past 59 is damage, not carry. */
    if (parts[k - 1] > 59 || (k == 3 && parts[1] > 59))
        return -1;
    if (k == 2) /* m:ss */
        return parts[0] * 60 + parts[1];
    return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

int64_t duration_parse(const char *text, int unit_minutes)
{
    char buf[96];
    const char *s = trimmed_copy(buf, sizeof buf, text);
    if (!*s)
        return -1;
    if (strchr(s, ':'))
        return duration_colon(s);
    int64_t total = 0;
    int groups = 0;
    while (*s) {
        int64_t v = 0;
        int n = 0;
        for (; *s >= '0' && *s <= '9' && n < 12; s++, n++)
            v = v * 10 + (*s - '0');
        if (!n)
            return -1;
        if (*s == '.') { /* "1.5分钟": whole units only, fraction dropped */
            s++;
            s += strspn(s, "0123456789");
        }
        int i;
        for (i = 0; dur_units[i].unit; i++)
            if (str_starts(s, dur_units[i].unit))
                break;
        if (!dur_units[i].unit) {
            if (*s || groups)
                return -1;
            return unit_minutes ? v * 60 : v;
        }
        s += strlen(dur_units[i].unit);
        total += v * dur_units[i].secs;
        groups++;
    }
    return total;
}

/* ---- volumes ---- */

int64_t volume_parse(const char *text, int64_t unit_bytes)
{
    char buf[96];
    const char *s = trimmed_copy(buf, sizeof buf, text);
    if (!*s)
        return -1;
    int64_t total = 0;
    int groups = 0;
    while (*s) {
        int64_t mant = 0, scale = 1;
        int n = 0;
        for (; *s >= '0' && *s <= '9' && n < 15; s++, n++)
            mant = mant * 10 + (*s - '0');
        if (*s == '.') {
            s++;
            for (int k = 0; *s >= '0' && *s <= '9'; s++, k++)
                if (k < 6 && mant < INT64_MAX / 10) { /* 15 digits + 6 decimals overflow */
                    mant = mant * 10 + (*s - '0');
                    scale *= 10;
                }
        }
        if (!n && scale == 1)
            return -1;
        int64_t mult = 0;
        char u = (char)(*s & ~0x20);
        if (u == 'G')
            mult = 1024LL * 1024 * 1024;
        else if (u == 'M')
            mult = 1024LL * 1024;
        else if (u == 'K')
            mult = 1024;
        else if (u == 'B')
            mult = 1;
        if (!mult) {
            if (*s || groups)
                return -1;
            if (!unit_bytes)
                return -2;
            int64_t bytes; /* a volume past int64 is not a volume */
            return __builtin_mul_overflow(mant, unit_bytes, &bytes) ? -1 : bytes / scale;
        }
        s++;
        if ((*s & ~0x20) == 'B')
            s++;
        int64_t part;
        if (__builtin_mul_overflow(mant, mult, &part) ||
            __builtin_add_overflow(total, part / scale, &total))
            return -1;
        groups++;
    }
    return total;
}

/* ---- date ranges in free text (preamble values) ---- */

typedef struct {
    day_t first, last;
} span_t;

/* Tries a date or month token at s; advances *s past it (and past a time). */
static int date_token(const char **sp, span_t *out)
{
    const char *s = *sp;
    int y, m = 0, d = 0;
    size_t run = strspn(s, "0123456789");
    if (run == 8 || run == 14 || run == 12) {
        read_digits(&s, 4, &y);
        read_digits(&s, 2, &m);
        read_digits(&s, 2, &d);
        s = *sp + run;
    } else if (run == 6) {
        read_digits(&s, 4, &y);
        read_digits(&s, 2, &m);
    } else if (run == 4) {
        read_digits(&s, 4, &y);
        if (!(*s == '-' || *s == '/' || *s == '.' || str_starts(s, "\xE5\xB9\xB4")))
            return 0;
        s += str_starts(s, "\xE5\xB9\xB4") ? 3 : 1;
        if (read_digits(&s, 2, &m) == 0)
            return 0;
        const char *save = s;
        if (*s == '-' || *s == '/' || *s == '.' || str_starts(s, "\xE6\x9C\x88")) {
            s += str_starts(s, "\xE6\x9C\x88") ? 3 : 1;
            if (read_digits(&s, 2, &d) == 0) {
                d = 0;
                s = str_starts(save, "\xE6\x9C\x88") ? save + 3 : save;
            } else if (str_starts(s, "\xE6\x97\xA5")) {
                s += 3;
            }
        }
    } else {
        return 0;
    }
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || (d && d > days_in_month(y, m)))
        return 0;
    if (d) {
        out->first = out->last = days_from_civil(y, m, d);
        /* an optional time: " 23:59:59", "T…", "[…]" handled by the caller's scan */
        const char *t = s;
        while (*t == ' ' || *t == 'T')
            t++;
        if (t[0] >= '0' && t[0] <= '9' &&
            (t[1] == ':' || (t[1] >= '0' && t[1] <= '9' && t[2] == ':')))
            s = t + strspn(t, "0123456789:.");
    } else {
        out->first = ym_first_day(ym_make(y, m));
        out->last = ym_last_day(ym_make(y, m));
    }
    *sp = s;
    return 1;
}

int date_range_scan(const char *s, day_t *from, day_t *to)
{
    span_t sp[2];
    int n = 0;
    const char *p = s;
    while (*p && n < 2) {
        int at_boundary = p == s || !(p[-1] >= '0' && p[-1] <= '9');
        span_t t;
        if (at_boundary && *p >= '0' && *p <= '9' && date_token(&p, &t)) {
            sp[n++] = t;
            continue;
        }
        p++;
    }
    if (n == 0)
        return 0;
    *from = sp[0].first;
    *to = n == 2 ? sp[1].last : sp[0].last;
    return n;
}
