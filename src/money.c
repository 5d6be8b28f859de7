/* Exact money parsing: decimal text -> int64 fen, never through double. */
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Skips a currency mark or sign-free decoration at *s; returns 1 when one was skipped. */
static int skip_currency(const char **s)
{
    static const char *const marks[] = {"\xC2\xA5", "\xEF\xBF\xA5", "RMB", "rmb", "CNY", " ", NULL};
    if ((unsigned char)**s < 0x80 && **s != 'R' && **s != 'r' && **s != 'C' && **s != ' ')
        return 0; /* a digit, a sign or a dot: the usual case, decided at the first byte */
    for (int i = 0; marks[i]; i++)
        if (str_starts(*s, marks[i])) {
            *s += strlen(marks[i]);
            return 1;
        }
    return 0;
}

static int skip_sign(const char **s, int *neg)
{
    if (**s == '-' || **s == '+') {
        *neg = **s == '-';
        (*s)++;
        return 1;
    }
    if (str_starts(*s, "\xE2\x88\x92")) { /* U+2212 minus */
        *neg = 1;
        *s += 3;
        return 1;
    }
    return 0;
}

static int is_empty_notation(const char *s)
{
    return !*s || !strcmp(s, "-") || !strcmp(s, "--") || !strcmp(s, "/") ||
           !strcmp(s, "\xE2\x80\x94"); /* — */
}

/* Integer part with optional thousands separators in groups of three. */
static int parse_int_part(const char **s, int64_t *v, const char **why)
{
    const char *p = *s;
    int digits = 0, group = -1;
    *v = 0;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (*v > FEN_MAX / 100) {
                *why = "out of range";
                return -2;
            }
            *v = *v * 10 + (*p - '0');
            digits++;
            if (group >= 0)
                group++;
        } else if (*p == ',' && digits > 0) {
            if (group >= 0 && group != 3) {
                *why = "misplaced thousands separator";
                return -1;
            }
            if (group < 0 && digits > 3) {
                *why = "misplaced thousands separator";
                return -1;
            }
            group = 0;
        } else {
            break;
        }
    }
    if (group >= 0 && group != 3) {
        *why = "misplaced thousands separator";
        return -1;
    }
    if (!digits && *p != '.') {
        *why = "no digits";
        return -1;
    }
    *s = p;
    return 0;
}

/* The plain form of nearly every fee cell ("0.00", "12.3", "-5"), read in place:
 * 1 with *out set, 0 when text is anything else (the full parser decides then). */
static int parse_plain(const char *s, fen_t *out)
{
    int neg = *s == '-';
    s += neg;
    int64_t v = 0;
    int n = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++n > 15)
            return 0;
        v = v * 10 + (*s - '0');
    }
    if (!n)
        return 0;
    int frac = 0, fd = 0;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) {
            if (++fd > 2)
                return 0;
            frac = frac * 10 + (*s - '0');
        }
    }
    if (*s)
        return 0;
    v = v * 100 + (fd == 1 ? frac * 10 : frac);
    *out = neg ? -v : v;
    return 1;
}

static money_rc parse(const char *text, fen_t *out, const char **why, int round)
{
    fen_t plain;
    if (text && parse_plain(text, &plain) && plain <= FEN_MAX && plain >= -FEN_MAX) {
        *out = plain;
        return MONEY_OK;
    }
    char buf[128];
    const char *dummy;
    if (!why)
        why = &dummy;
    size_t len = text ? strnlen(text, sizeof buf - 1) : 0; /* as snprintf "%s", without printf */
    memcpy(buf, text ? text : "", len);
    buf[len] = 0;
    char *t = str_trim(buf);
    if (is_empty_notation(t))
        return MONEY_EMPTY;
    const char *s = t;
    int neg = 0, seen_sign = 0;
    for (int guard = 0; guard < 4; guard++) {
        if (!seen_sign && skip_sign(&s, &neg)) {
            seen_sign = 1;
            continue;
        }
        if (!skip_currency(&s))
            break;
    }
    int64_t whole;
    const char *int_start = s;
    int bad = parse_int_part(&s, &whole, why);
    if (bad < 0)
        return bad == -2 ? MONEY_RANGE : MONEY_BAD;
    int had_int = s != int_start;
    int64_t frac = 0;
    int fdigits = 0, round_up = 0;
    if (*s == '.') {
        s++;
        if (!had_int && !(*s >= '0' && *s <= '9')) {
            *why = "no digits";
            return MONEY_BAD;
        }
        for (; *s >= '0' && *s <= '9'; s++, fdigits++) {
            if (fdigits < 2) {
                frac = frac * 10 + (*s - '0');
            } else if (round) {
                if (fdigits == 2 && *s >= '5')
                    round_up = 1;
            } else if (*s != '0') {
                *why = "more than two decimals";
                return MONEY_BAD;
            }
        }
    }
    if (fdigits == 1)
        frac *= 10;
    while (*s == ' ')
        s++;
    if (str_starts(s, "\xE5\x85\x83")) /* 元 */
        s += 3;
    if (*s) {
        *why = "not a number";
        return MONEY_BAD;
    }
    int64_t v = whole * 100 + frac + round_up;
    if (v > FEN_MAX) {
        *why = "out of range";
        return MONEY_RANGE;
    }
    *out = neg ? -v : v;
    return MONEY_OK;
}

money_rc money_parse(const char *s, fen_t *out, const char **why)
{
    return parse(s, out, why, 0);
}

/* A spreadsheet number beyond 10^15 is stored or printed in exponent form ("1E+20"):
 * out of range, not "not a number". */
static int huge_exponent_form(const char *s)
{
    char *end;
    if (!s || !strpbrk(s, "eE"))
        return 0;
    double v = strtod(s, &end);
    return end != s && !*end && (v > (double)FEN_MAX / 100 || v < -(double)FEN_MAX / 100);
}

money_rc money_parse_round(const char *s, fen_t *out, const char **why)
{
    money_rc m = parse(s, out, why, 1);
    if (m == MONEY_BAD && huge_exponent_form(s)) {
        if (why)
            *why = "out of range";
        return MONEY_RANGE;
    }
    return m;
}

char *money_fmt(fen_t v, char *buf)
{
    if (fen_overflowed(v)) { /* a sum held at its bound (fen_add) has no true value to show */
        strcpy(buf, "out of range");
        return buf;
    }
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    sprintf(buf, "%s%llu.%02llu", v < 0 ? "-" : "", (unsigned long long)(a / 100),
            (unsigned long long)(a % 100));
    return buf;
}

int fen_overflowed(fen_t v)
{
    return v == INT64_MAX || v == INT64_MIN;
}

int fen_add(fen_t *acc, fen_t v)
{
    fen_t r;
    if (fen_overflowed(*acc) || fen_overflowed(v))
        return -1; /* an overflowed sum stays so: adding to it must not bring it back in range */
    if (!__builtin_add_overflow(*acc, v, &r) && !fen_overflowed(r)) {
        *acc = r;
        return 0;
    }
    *acc = v < 0 ? INT64_MIN : INT64_MAX; /* both had v's sign: so has the true sum */
    return -1;
}

int fen_sub(fen_t *acc, fen_t v)
{
    return fen_overflowed(v) ? (*acc = v == INT64_MAX ? INT64_MIN : INT64_MAX, -1)
                             : fen_add(acc, -v);
}

int fen_mul(fen_t *out, fen_t a, int64_t n)
{
    if (!fen_overflowed(a) && !__builtin_mul_overflow(a, n, out) && !fen_overflowed(*out))
        return 0;
    *out = (a < 0) != (n < 0) ? INT64_MIN : INT64_MAX;
    return -1;
}
