/* The shared engine of the header-named operator layouts: see layout.h.
 * Everything a user might need to extend (column names, preamble keys,
 * summary words, units) lives in the TSV files of parsers/data, not here. */
#include "layout.h"
#include "data.h"
#include "keyidx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_ids[LK_NKINDS] = {
    "operator-payments", "broadband-sessions", "usage-data",    "usage-voice",
    "usage-sms",         "usage-vas",          "operator-bill",
};

const char *lkind_id(lkind_t k)
{
    return k >= 0 && k < LK_NKINDS ? kind_ids[k] : "?";
}

/* -1 = "*" (every layout), -2 = unknown. */
static int kind_of(const char *id)
{
    if (strcmp(id, "*") == 0)
        return -1;
    for (int k = 0; k < LK_NKINDS; k++)
        if (strcmp(id, kind_ids[k]) == 0)
            return k;
    return -2;
}

/* Header cells longer than this match no alias; bounds work on hostile rows. */
#define NAME_MAX_BYTES 160
/* Only the first cells of a row can be header cells. */
#define HEAD_CELLS_MAX 256
/* Preamble cells longer than this are not key-value lines. */
#define PRE_CELL_MAX 4096

/* ---------------------------------------------------------------- tables */

static void tables(void);

typedef struct {
    int layout; /* kind, or -1 for every layout */
    char *field, *alias;
    char *shown; /* the alias as the table writes it, for messages */
} alias_t;
typedef struct {
    int layout;
    char *alts; /* "end|duration" */
} req_t;
typedef struct {
    int layout, other;
    char *field;
} excl_t;
typedef struct {
    int layout;
    char *field;
} inh_t;
typedef struct {
    char *text; /* lower-cased */
    char kind;  /* 'v' volume, 'd' duration, 'm' money */
    int64_t n;
} unit_t;
typedef struct {
    char *what, *word;
} word_t;
typedef struct {
    char *field, *key;
} pkey_t;
typedef struct {
    char *word;
    int level;
} sword_t;

static struct {
    int loaded;
    VEC(alias_t) alias;
    VEC(req_t) req;
    VEC(excl_t) excl;
    VEC(inh_t) inh;
    VEC(unit_t) unit;
    VEC(word_t) word;
    VEC(pkey_t) pkey;
    VEC(sword_t) sword;
    VEC(char *) fields[LK_NKINDS]; /* the fields of each layout, in file order */
    /* Derived once per load, for map_fields: the aliases by the hash of their name (every
     * header cell of every sniffed row is looked up), each layout's fields as map_fields
     * starts them, and the index there of each alias's field (-1: not of that layout). */
    keyidx_t by_name;
    lcol_t base[LK_NKINDS][LFIELDS_MAX];
    int nbase[LK_NKINDS];
    int *afield[LK_NKINDS];
    int has_req[LK_NKINDS];
    unsigned char sword_first[256]; /* first bytes of the summary words (normalised) */
    int sword_any;                  /* a summary word starts with '*' */
} T;

static void tables_free(void)
{
    for (size_t i = 0; i < T.alias.n; i++)
        free(T.alias.items[i].field), free(T.alias.items[i].alias), free(T.alias.items[i].shown);
    for (size_t i = 0; i < T.req.n; i++)
        free(T.req.items[i].alts);
    for (size_t i = 0; i < T.excl.n; i++)
        free(T.excl.items[i].field);
    for (size_t i = 0; i < T.inh.n; i++)
        free(T.inh.items[i].field);
    for (size_t i = 0; i < T.unit.n; i++)
        free(T.unit.items[i].text);
    for (size_t i = 0; i < T.word.n; i++)
        free(T.word.items[i].what), free(T.word.items[i].word);
    for (size_t i = 0; i < T.pkey.n; i++)
        free(T.pkey.items[i].field), free(T.pkey.items[i].key);
    for (size_t i = 0; i < T.sword.n; i++)
        free(T.sword.items[i].word);
    VEC_FREE(T.alias);
    VEC_FREE(T.req);
    VEC_FREE(T.excl);
    VEC_FREE(T.inh);
    VEC_FREE(T.unit);
    VEC_FREE(T.word);
    VEC_FREE(T.pkey);
    VEC_FREE(T.sword);
    for (int k = 0; k < LK_NKINDS; k++)
        VEC_FREE(T.fields[k]); /* names are owned by the alias entries */
    keyidx_free(&T.by_name);
    for (int k = 0; k < LK_NKINDS; k++) {
        free(T.afield[k]);
        T.afield[k] = NULL;
        T.nbase[k] = T.has_req[k] = 0;
    }
    memset(T.sword_first, 0, sizeof T.sword_first);
    T.sword_any = 0;
    T.loaded = 0;
}

static void ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Key form of a preamble key or summary word: folded, no spaces, lower case; into f,
 * which has room for strlen(s) + 1. */
static void norm_key_into(const char *s, char *f)
{
    str_fold_into(s, f);
    char *w = f;
    for (char *r = f; *r; r++)
        if (*r != '\t' && *r != '\r' && *r != '\n')
            *w++ = *r;
    *w = 0;
    ascii_lower(f);
}

static char *norm_key(const char *s)
{
    char *f = xmalloc(strlen(s) + 1);
    norm_key_into(s, f);
    return f;
}

static const unit_t *unit_find(const char *text)
{
    for (size_t i = 0; i < T.unit.n; i++)
        if (strcmp(T.unit.items[i].text, text) == 0)
            return &T.unit.items[i];
    return NULL;
}

/* layout_norm_header into f (room for strlen(cell) + 1). */
static void norm_header_into(const char *cell, char *f, char *unit, size_t unitlen)
{
    norm_key_into(cell, f);
    if (unitlen)
        unit[0] = 0;
    size_t n = strlen(f);
    if (n > 2 && f[n - 1] == ')') {
        char *open = strrchr(f, '(');
        if (open && open != f) {
            f[n - 1] = 0;
            if (unit_find(open + 1)) {
                if (unitlen)
                    snprintf(unit, unitlen, "%s", open + 1);
                *open = 0;
            } else {
                f[n - 1] = ')';
            }
        }
    }
}

char *layout_norm_header(const char *cell, char *unit, size_t unitlen)
{
    tables();
    cell = cell ? cell : "";
    char *f = xmalloc(strlen(cell) + 1);
    norm_header_into(cell, f, unit, unitlen);
    return f;
}

/* Bumped whenever the tables are (re)loaded: detection results depend on them. */
static unsigned tables_gen;

typedef int (*tsv_line_fn)(char **f, int n);

/* Calls fn for every non-comment line of text split at TABs; a line fn
 * refuses is diagnosed. Returns 0, or -1 when any line was refused. */
static int tsv_lines(const char *text, const char *name, tsv_line_fn fn)
{
    char *copy = xstrdup(text);
    int rc = 0, lineno = 0;
    char *next;
    for (char *line = copy; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        str_trim(line);
        if (!*line || *line == '#')
            continue;
        char *f[8];
        int n = 0;
        for (char *tok = line; tok && n < 8;) {
            char *tab = strchr(tok, '\t');
            if (tab)
                *tab++ = 0;
            f[n++] = str_trim(tok);
            tok = tab;
        }
        if (fn(f, n) < 0) {
            diag(name, lineno, "malformed table line");
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

static void field_note(int layout, const char *field)
{
    for (int k = 0; k < LK_NKINDS; k++) {
        if (layout != -1 && layout != k)
            continue;
        int seen = 0;
        for (size_t i = 0; i < T.fields[k].n && !seen; i++)
            seen = strcmp(T.fields[k].items[i], field) == 0;
        if (!seen && T.fields[k].n < LFIELDS_MAX)
            VEC_PUSH(T.fields[k], (char *)field);
    }
}

/* Units are read in a first pass: alias normalisation strips known units. */
static int units_pass;

static int column_line(char **f, int n)
{
    if (units_pass != (strcmp(f[0], "@unit") == 0))
        return 0;
    if (f[0][0] != '@') {
        int k = kind_of(f[0]);
        if (n != 3 || k == -2 || !*f[1] || !*f[2])
            return -1;
        char unit[16];
        alias_t a = {k, xstrdup(f[1]), layout_norm_header(f[2], unit, 0), xstrdup(f[2])};
        VEC_PUSH(T.alias, a);
        field_note(k, a.field);
        return 0;
    }
    if (strcmp(f[0], "@require") == 0 || strcmp(f[0], "@inherit") == 0) {
        int k = n == 3 ? kind_of(f[1]) : -2;
        if (k == -2 || (k == -1 && f[0][1] == 'r'))
            return -1;
        if (f[0][1] == 'r')
            VEC_PUSH(T.req, ((req_t){k, xstrdup(f[2])}));
        else
            VEC_PUSH(T.inh, ((inh_t){k, xstrdup(f[2])}));
        return 0;
    }
    if (strcmp(f[0], "@exclude") == 0) {
        char *dot = n == 3 ? strrchr(f[2], '.') : NULL;
        if (!dot)
            return -1;
        *dot = 0;
        int k = kind_of(f[1]), o = kind_of(f[2]);
        if (k < 0 || o < 0)
            return -1;
        VEC_PUSH(T.excl, ((excl_t){k, o, xstrdup(dot + 1)}));
        return 0;
    }
    if (strcmp(f[0], "@unit") == 0) {
        if (n != 4 || !strchr("vdm", f[2][0]))
            return -1;
        char *t = norm_key(f[1]);
        VEC_PUSH(T.unit, ((unit_t){t, f[2][0], strtoll(f[3], NULL, 10)}));
        return 0;
    }
    if (strcmp(f[0], "@value") == 0) {
        if (n != 3)
            return -1;
        VEC_PUSH(T.word, ((word_t){xstrdup(f[1]), xstrdup(f[2])}));
        return 0;
    }
    return -1;
}

static int preamble_line(char **f, int n)
{
    if (n != 2 || !*f[1])
        return -1;
    VEC_PUSH(T.pkey, ((pkey_t){xstrdup(f[0]), norm_key(f[1])}));
    return 0;
}

static int summary_line(char **f, int n)
{
    if (n != 2 || (strcmp(f[1], "sub") != 0 && strcmp(f[1], "total") != 0))
        return -1;
    sword_t w = {norm_key(f[0]), strcmp(f[1], "sub") == 0 ? 1 : 2};
    T.sword_first[(unsigned char)w.word[0]] = 1;
    T.sword_any |= w.word[0] == '*' || w.word[0] == 0;
    VEC_PUSH(T.sword, w);
    return 0;
}

static char *embedded(const char *name)
{
    const data_file_t *d = data_find(name);
    if (!d) {
        diag(name, 0, "data file missing from the binary");
        return xstrdup("");
    }
    return xstrndup(d->data, d->len);
}

static int load_one(const char *text, const char *name, tsv_line_fn fn)
{
    char *own = text ? NULL : embedded(name);
    int rc = tsv_lines(text ? text : own, name, fn);
    free(own);
    return rc;
}

static uint64_t name_hash(const char *s)
{
    return key_hash(KEY_HASH_INIT, s, strlen(s));
}

/* The index of field in layout k's starting fields, or -1. */
static int base_index(int k, const char *field)
{
    for (int i = 0; i < T.nbase[k]; i++)
        if (strcmp(T.base[k][i].field, field) == 0)
            return i;
    return -1;
}

/* What map_fields and requires_hold look up, computed from the tables just loaded. */
static void derive(void)
{
    for (size_t a = 0; a < T.alias.n; a++)
        keyidx_add(&T.by_name, name_hash(T.alias.items[a].alias), a);
    for (int k = 0; k < LK_NKINDS; k++) {
        for (size_t i = 0; i < T.fields[k].n && T.nbase[k] < LFIELDS_MAX; i++) {
            lcol_t *c = &T.base[k][T.nbase[k]++];
            memset(c, 0, sizeof *c);
            c->field = T.fields[k].items[i];
            for (size_t j = 0; j < T.inh.n; j++)
                if ((T.inh.items[j].layout == -1 || T.inh.items[j].layout == k) &&
                    strcmp(T.inh.items[j].field, c->field) == 0)
                    c->inherit = 1;
        }
        T.afield[k] = xcalloc(T.alias.n ? T.alias.n : 1, sizeof *T.afield[k]);
        for (size_t a = 0; a < T.alias.n; a++) {
            const alias_t *al = &T.alias.items[a];
            T.afield[k][a] = al->layout == -1 || al->layout == k ? base_index(k, al->field) : -1;
        }
        for (size_t i = 0; i < T.req.n; i++)
            T.has_req[k] |= T.req.items[i].layout == k;
    }
}

int layout_set_tables(const char *columns, const char *preamble, const char *summary)
{
    tables_free();
    T.loaded = 1; /* loading normalises aliases, which must not load again */
    int rc = 0;
    units_pass = 1;
    rc |= load_one(columns, "parsers/data/columns.tsv", column_line);
    units_pass = 0;
    rc |= load_one(columns, "parsers/data/columns.tsv", column_line);
    rc |= load_one(preamble, "parsers/data/preamble-keys.tsv", preamble_line);
    rc |= load_one(summary, "parsers/data/summary-words.tsv", summary_line);
    derive();
    tables_gen++;
    return rc ? -1 : 0;
}

static void tables(void)
{
    if (!T.loaded)
        layout_set_tables(NULL, NULL, NULL);
}

/* Field of a preamble key, or NULL. */
static const char *pkey_field(const char *key)
{
    char *k = norm_key(key);
    const char *field = NULL;
    for (size_t i = 0; i < T.pkey.n && !field; i++)
        if (strcmp(T.pkey.items[i].field, "operator") != 0 &&
            strcmp(T.pkey.items[i].field, "broadband_title") != 0 &&
            strcmp(T.pkey.items[i].key, k) == 0)
            field = T.pkey.items[i].field;
    free(k);
    return field;
}

/* The first word of table field `field` contained in text, or NULL. */
static const char *pkey_word_in(const char *field, const char *text)
{
    for (size_t i = 0; i < T.pkey.n; i++)
        if (strcmp(T.pkey.items[i].field, field) == 0 && strstr(text, T.pkey.items[i].key))
            return T.pkey.items[i].key;
    return NULL;
}

/* ---------------------------------------------------------------- rows */

void lrow_copy(row_t *dst, const row_t *src)
{
    dst->n = src->n;
    dst->line = src->line;
    dst->damaged = src->damaged;
    dst->raw = xstrdup(src->raw ? src->raw : "");
    dst->cells = xcalloc((size_t)src->n + 1, sizeof *dst->cells);
    dst->flags = xcalloc((size_t)src->n + 1, 1);
    for (int i = 0; i < src->n; i++) {
        dst->cells[i] = xstrdup(src->cells[i] ? src->cells[i] : "");
        dst->flags[i] = src->flags ? src->flags[i] : 0;
    }
}

void lrow_free(row_t *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->cells[i]);
    free(r->cells);
    free(r->flags);
    free((char *)r->raw);
    memset(r, 0, sizeof *r);
}

static const char *cell_at(const row_t *r, int c)
{
    return c >= 0 && c < r->n && r->cells[c] ? r->cells[c] : "";
}

static unsigned flag_at(const row_t *r, int c)
{
    return c >= 0 && c < r->n && r->flags ? r->flags[c] : 0;
}

/* ---------------------------------------------------------------- preamble */

void lpre_init(lpre_t *pre)
{
    memset(pre, 0, sizeof *pre);
    pre->period_from = pre->period_to = NO_DAY;
    pre->month_from = pre->month_to = NO_DAY;
    pre->exported = pre->start_key = pre->end_key = NO_DAY;
}

void lpre_free(lpre_t *pre)
{
    free(pre->number);
    free(pre->holder);
    free(pre->operator_name);
    lrow_free(&pre->period_row);
    lrow_free(&pre->month_row);
    lrow_free(&pre->start_row);
    lpre_init(pre);
}

static int is_colon(const char *s)
{
    return *s == ':' || str_starts(s, "\xEF\xBC\x9A"); /* ：*/
}

static const char *find_colon(const char *s, const char *end)
{
    for (; s < end; s++)
        if (is_colon(s))
            return s;
    return NULL;
}

/* Where a pair separator starts at s: length of 2+ ASCII spaces, a TAB or a
 * U+3000 run; 0 when none. */
static size_t pair_sep(const char *s)
{
    size_t n = 0;
    int ideo = 0;
    for (;;) {
        if (s[n] == ' ' || s[n] == '\t') {
            ideo |= s[n] == '\t';
            n++;
        } else if (str_starts(s + n, "\xE3\x80\x80")) {
            n += 3;
            ideo = 1;
        } else {
            break;
        }
    }
    return ideo || n >= 2 ? n : 0;
}

static char *trim_copy(const char *s, const char *end)
{
    char *c = xstrndup(s, (size_t)(end - s));
    char *t = str_trim(c);
    memmove(c, t, strlen(t) + 1);
    return c;
}

/* Strips [..] (or 【..】) around a value and trailing CSV commas, in place. */
static void clean_value(char *v)
{
    size_t n = strlen(v);
    while (n && (v[n - 1] == ',' || v[n - 1] == ' '))
        v[--n] = 0;
    if (n >= 2 && v[0] == '[' && v[n - 1] == ']') {
        memmove(v, v + 1, n - 2);
        v[n - 2] = 0;
    } else if (n >= 6 && str_starts(v, "\xE3\x80\x90") && str_ends(v, "\xE3\x80\x91")) {
        memmove(v, v + 3, n - 6);
        v[n - 6] = 0;
    }
    char *t = str_trim(v);
    memmove(v, t, strlen(t) + 1);
}

/* In a value, the start of a further "key：" pair joined by one space
 * ("王小明 手机号码：139…"): the key's position, or NULL. */
static const char *joined_key(const char *v, const char *end)
{
    for (const char *c = find_colon(v, end); c; c = find_colon(c + 1, end)) {
        const char *k = c;
        while (k > v && k[-1] != ' ')
            k--;
        if (k == v || c - k > 40)
            continue;
        char *key = xstrndup(k, (size_t)(c - k));
        int known = pkey_field(key) != NULL;
        free(key);
        if (known)
            return k;
    }
    return NULL;
}

static void one_segment(const char *s, const char *end, lpair_fn fn, void *ctx)
{
    const char *colon = find_colon(s, end);
    if (!colon) {
        char *t = trim_copy(s, end);
        if (*t)
            fn(ctx, NULL, t);
        free(t);
        return;
    }
    char *key = trim_copy(s, colon);
    const char *v = colon + (*colon == ':' ? 1 : 3);
    const char *more = joined_key(v, end);
    char *val = trim_copy(v, more ? more : end);
    clean_value(val);
    if (*key)
        fn(ctx, key, val);
    else if (*val)
        fn(ctx, NULL, val);
    free(key);
    free(val);
    if (more)
        one_segment(more, end, fn, ctx);
}

void lpre_pairs(const char *text, lpair_fn fn, void *ctx)
{
    tables();
    const char *s = text;
    while (*s) {
        const char *e = s;
        size_t sep = 0;
        while (*e && !(sep = pair_sep(e)))
            e++;
        if (e > s)
            one_segment(s, e, fn, ctx);
        s = *e ? e + sep : e;
    }
}

typedef struct {
    lpre_t *pre;
    const row_t *row;
} pre_ctx_t;

static void note_operator(lpre_t *pre, const char *text)
{
    const char *w = pre->operator_name ? NULL : pkey_word_in("operator", text);
    if (w)
        pre->operator_name = xstrdup(w);
}

static void keep_row(row_t *dst, const row_t *src)
{
    lrow_free(dst);
    lrow_copy(dst, src);
}

static void on_pre_pair(void *vctx, const char *key, const char *value)
{
    pre_ctx_t *c = vctx;
    lpre_t *pre = c->pre;
    note_operator(pre, value);
    if (!key) {
        if (pkey_word_in("broadband_title", value))
            pre->broadband_title = 1;
        return;
    }
    note_operator(pre, key);
    const char *field = pkey_field(key);
    if (!field || !*value)
        return;
    day_t f, t;
    int ntok = date_range_scan(value, &f, &t);
    if (strcmp(field, "number") == 0 || strcmp(field, "broadband") == 0) {
        if (!pre->number)
            pre->number = xstrdup(value);
        pre->broadband_key |= field[0] == 'b';
    } else if (strcmp(field, "holder") == 0) {
        if (!pre->holder)
            pre->holder = xstrdup(value);
    } else if (ntok == 0) {
        return;
    } else if (strcmp(field, "period") == 0) {
        /* A two-date (or month) period beats a lone day ("查询时间：<when it ran>"). */
        int lone_day = ntok == 1 && f == t;
        int have_lone = pre->period_from != NO_DAY && pre->period_from == pre->period_to;
        if (pre->period_from == NO_DAY || (have_lone && !lone_day)) {
            pre->period_from = f;
            pre->period_to = t;
            keep_row(&pre->period_row, c->row);
        }
    } else if (strcmp(field, "period_start") == 0) {
        if (pre->start_key == NO_DAY) {
            pre->start_key = f;
            keep_row(&pre->start_row, c->row);
        }
    } else if (strcmp(field, "period_end") == 0) {
        if (pre->end_key == NO_DAY)
            pre->end_key = t;
    } else if (strcmp(field, "month") == 0) {
        if (pre->month_from == NO_DAY) {
            pre->month_from = ym_first_day(ym_of_day(f));
            pre->month_to = ym_last_day(ym_of_day(t));
            keep_row(&pre->month_row, c->row);
        }
    } else if (strcmp(field, "exported") == 0) {
        if (pre->exported == NO_DAY)
            pre->exported = f;
    }
}

static int ends_with_colon(const char *s)
{
    size_t n = strlen(s);
    return (n >= 1 && s[n - 1] == ':') || str_ends(s, "\xEF\xBC\x9A");
}

void lpre_row(lpre_t *pre, const row_t *r)
{
    tables();
    pre_ctx_t c = {pre, r};
    int n = r->n < HEAD_CELLS_MAX ? r->n : HEAD_CELLS_MAX; /* keys sit in the first cells */
    for (int i = 0; i < n; i++) {
        const char *cell = cell_at(r, i);
        if (!*cell || strlen(cell) > PRE_CELL_MAX)
            continue;
        /* "手机号码：" in one cell and its value in the next. */
        if (ends_with_colon(cell) && i + 1 < n && *cell_at(r, i + 1)) {
            char *joined = xasprintf("%s%s", cell, cell_at(r, i + 1));
            lpre_pairs(joined, on_pre_pair, &c);
            free(joined);
            i++;
            continue;
        }
        lpre_pairs(cell, on_pre_pair, &c);
    }
}

int lpre_declared(const lpre_t *pre, int bill, day_t *from, day_t *to, const row_t **row)
{
    day_t f, t;
    const row_t *r;
    if (pre->period_from != NO_DAY) {
        f = pre->period_from, t = pre->period_to, r = &pre->period_row;
    } else if (pre->start_key != NO_DAY && pre->end_key != NO_DAY) {
        f = pre->start_key, t = pre->end_key, r = &pre->start_row;
    } else if (!bill && pre->month_from != NO_DAY) {
        f = pre->month_from, t = pre->month_to, r = &pre->month_row;
    } else {
        return 0;
    }
    /* A query run on the 20th does not cover the rest of the month. */
    if (pre->exported != NO_DAY && pre->exported <= t)
        t = pre->exported - 1;
    if (t < f)
        return 0;
    *from = f, *to = t;
    if (row)
        *row = r;
    return 1;
}

/* ---------------------------------------------------------------- summary words */

/* Does text start with pattern (where '*' matches any run)? */
static int glob_prefix(const char *text, const char *pat)
{
    const char *star = strchr(pat, '*');
    if (!star)
        return str_starts(text, pat);
    size_t head = (size_t)(star - pat);
    if (strncmp(text, pat, head) != 0)
        return 0;
    const char *rest = star + 1;
    return !*rest || strstr(text + head, rest) != NULL;
}

/* Can the normalised form of cell start with a summary word? A cheap no for most
 * record cells (a date, a number, a place name), which would else be folded, copied
 * and compared per row. Blank and full-width first bytes (folded away) always say maybe. */
static int may_be_summary(const char *cell)
{
    unsigned char c = (unsigned char)cell[0];
    if (T.sword_any || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xC2 || c == 0xE3 ||
        c == 0xEF)
        return 1;
    return T.sword_first[c >= 'A' && c <= 'Z' ? c + 32 : c];
}

int layout_summary_word(const char *cell)
{
    tables();
    if (!cell || !*cell || !may_be_summary(cell) || strlen(cell) > PRE_CELL_MAX)
        return 0;
    char *k = norm_key(cell);
    int level = 0;
    for (size_t i = 0; i < T.sword.n && !level; i++)
        if (glob_prefix(k, T.sword.items[i].word))
            level = T.sword.items[i].level;
    free(k);
    return level;
}

/* ---------------------------------------------------------------- header matching */

/* A row's cells as header names. Every sniffed row is one, so its arrays and names are
 * one allocation sized by its cells. */
typedef struct {
    char **name;
    uint64_t *hash;       /* name_hash of name */
    char (*unit)[16];     /* the unit stripped from the name, "" when none */
    unsigned char *known; /* the name is some alias */
    int n, nknown;
} hrow_t;

/* Whether name (of hash h) is an alias, and if pos, the next alias so named after *it. */
static int alias_named(const char *name, uint64_t h, size_t *it, size_t *pos)
{
    size_t a;
    while ((a = keyidx_next(&T.by_name, h, it)) != KEYIDX_END)
        if (strcmp(T.alias.items[a].alias, name) == 0) {
            if (pos)
                *pos = a;
            return 1;
        }
    return 0;
}

static void hrow_make(hrow_t *h, const row_t *r)
{
    int n = r->n < HEAD_CELLS_MAX ? r->n : HEAD_CELLS_MAX;
    size_t text = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(cell_at(r, i));
        text += len > NAME_MAX_BYTES ? 1 : len + 1;
    }
    size_t each = sizeof *h->name + sizeof *h->hash + sizeof *h->unit + sizeof *h->known;
    char *mem = xmalloc((size_t)n * each + text + 1);
    h->name = (char **)mem;
    h->hash = (uint64_t *)(h->name + n);
    h->unit = (char(*)[16])(h->hash + n);
    h->known = (unsigned char *)(h->unit + n);
    char *names = (char *)(h->known + n);
    h->n = n;
    h->nknown = 0;
    for (int i = 0; i < n; i++) {
        const char *c = cell_at(r, i);
        h->name[i] = names;
        h->unit[i][0] = 0;
        if (strlen(c) > NAME_MAX_BYTES)
            names[0] = 0;
        else
            norm_header_into(c, names, h->unit[i], 16);
        names += strlen(names) + 1;
        if (!h->name[i][0])
            h->unit[i][0] = 0;
        h->hash[i] = name_hash(h->name[i]);
        size_t it = 0;
        h->known[i] = (unsigned char)alias_named(h->name[i], h->hash[i], &it, NULL);
        h->nknown += h->known[i];
    }
}

static void hrow_free(hrow_t *h)
{
    free(h->name); /* the one allocation */
    memset(h, 0, sizeof *h);
}

static lcol_t *fields_find(lcol_t *f, int nf, const char *field)
{
    for (int i = 0; i < nf; i++)
        if (strcmp(f[i].field, field) == 0)
            return &f[i];
    return NULL;
}

static int has_col(const lcol_t *c, int col)
{
    for (int i = 0; i < c->ncol; i++)
        if (c->col[i] == col)
            return 1;
    return 0;
}

/* An alias (its index in the table) a header cell names. */
typedef struct {
    size_t alias;
    int col;
} named_t;

static int named_cmp(const void *x, const void *y)
{
    const named_t *a = x, *b = y;
    if (a->alias != b->alias)
        return a->alias < b->alias ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/* Maps the header cells onto the fields of layout k. */
static int map_fields(lkind_t k, const hrow_t *h, lcol_t *f)
{
    int nf = T.nbase[k];
    memcpy(f, T.base[k], (size_t)nf * sizeof *f);
    /* Aliases in file order: the earlier alias wins, then the leftmost column. A row
     * naming no alias at all (a record row) matches nothing: skipped at once. Only the
     * aliases the cells name are visited, by their hash, then put in that order. */
    VEC(named_t) hits = {0};
    for (int col = 0; h->nknown && col < h->n; col++) {
        size_t it = 0, a;
        while (h->known[col] && alias_named(h->name[col], h->hash[col], &it, &a))
            if (T.afield[k][a] >= 0)
                VEC_PUSH(hits, ((named_t){a, col}));
    }
    if (hits.n > 1)
        qsort(hits.items, hits.n, sizeof *hits.items, named_cmp);
    for (size_t i = 0; i < hits.n; i++) {
        lcol_t *c = &f[T.afield[k][hits.items[i].alias]];
        int col = hits.items[i].col;
        if (c->ncol < LCOLS_MAX && !has_col(c, col))
            c->col[c->ncol++] = col;
    }
    VEC_FREE(hits);
    for (int i = 0; i < nf; i++)
        if (f[i].ncol)
            snprintf(f[i].unit, sizeof f[i].unit, "%s", h->unit[f[i].col[0]]);
    return nf;
}

/* The field named field + suffix, or NULL. */
static const lcol_t *field_suffixed(const lcol_t *f, int nf, const char *field, const char *suffix)
{
    size_t n = strlen(field);
    for (int i = 0; i < nf; i++)
        if (strncmp(f[i].field, field, n) == 0 && strcmp(f[i].field + n, suffix) == 0)
            return &f[i];
    return NULL;
}

/* The date and time columns of a date-time field given as a pair, or 0. */
static int pair_cols(const lcol_t *f, int nf, const char *field, int *dcol, int *tcol)
{
    const lcol_t *d = field_suffixed(f, nf, field, ".date");
    const lcol_t *t = field_suffixed(f, nf, field, ".time");
    if (!d || !t || !d->ncol)
        return 0;
    for (int i = 0; i < t->ncol; i++)
        if (t->col[i] != d->col[0]) {
            *dcol = d->col[0];
            *tcol = t->col[i];
            return 1;
        }
    return 0;
}

static int present(const lcol_t *f, int nf, const char *field)
{
    const lcol_t *c = fields_find((lcol_t *)f, nf, field);
    int d, t;
    return (c && c->ncol) || pair_cols(f, nf, field, &d, &t);
}

/* Does any header cell match an alias of layout o's field? */
static int names_field(const hrow_t *h, int o, const char *field)
{
    for (size_t a = 0; a < T.alias.n; a++) {
        const alias_t *al = &T.alias.items[a];
        if ((al->layout != o && al->layout != -1) || strcmp(al->field, field) != 0)
            continue;
        for (int col = 0; col < h->n; col++)
            if (h->known[col] && strcmp(h->name[col], al->alias) == 0)
                return 1;
    }
    return 0;
}

/* Is one of the "|"-separated fields of a requirement present? */
static int req_met(const char *alts, const lcol_t *f, int nf)
{
    char one[128];
    for (const char *a = alts; *a;) {
        size_t n = strcspn(a, "|");
        if (n) {
            char *name = n < sizeof one ? memcpy(one, a, n) : xstrndup(a, n);
            name[n] = 0;
            int any = present(f, nf, name);
            if (name != one)
                free(name);
            if (any)
                return 1;
        }
        a += n + (a[n] == '|');
    }
    return 0;
}

static int requires_hold(lkind_t k, const lcol_t *f, int nf, const hrow_t *h)
{
    if (!h->nknown && T.has_req[k])
        return 0; /* a row naming no column has none of the fields required */
    for (size_t i = 0; i < T.req.n; i++)
        if (T.req.items[i].layout == (int)k && !req_met(T.req.items[i].alts, f, nf))
            return 0;
    for (size_t i = 0; i < T.excl.n; i++)
        if (T.excl.items[i].layout == (int)k &&
            names_field(h, T.excl.items[i].other, T.excl.items[i].field))
            return 0;
    return 1;
}

/* The conditions of §5.1 that depend on the preamble: broadband needs a
 * broadband marker, a bill needs its month (column or key). */
static int preamble_holds(lkind_t k, const lcol_t *f, int nf, const row_t *rows, int hdr)
{
    if (k != LK_BROADBAND && k != LK_BILL)
        return 1;
    if (k == LK_BROADBAND && (present(f, nf, "end") || present(f, nf, "account")))
        return 1;
    if (k == LK_BILL && present(f, nf, "period"))
        return 1;
    lpre_t pre;
    lpre_init(&pre);
    for (int i = 0; i < hdr; i++)
        lpre_row(&pre, &rows[i]);
    int ok = k == LK_BILL ? pre.month_from != NO_DAY : pre.broadband_key || pre.broadband_title;
    lpre_free(&pre);
    return ok;
}

/* The first rows of a table as header rows, each normalised when first asked for: the
 * seven layouts try every row, their near misses ask again, and the reader needs only
 * the rows down to its header. */
typedef struct lheads lheads_t;
struct lheads {
    const row_t *rows;
    int n;
    hrow_t *h;    /* h[i].name is NULL until row i is made */
    unsigned gen; /* tables_gen of the normalisation */
    int detected, kind, header;
};

static void heads_init(lheads_t *L, const row_t *rows, int n)
{
    memset(L, 0, sizeof *L);
    L->rows = rows;
    L->n = n > SNIFF_ROWS ? SNIFF_ROWS : n;
    L->h = xcalloc((size_t)(L->n ? L->n : 1), sizeof *L->h);
    L->gen = tables_gen;
}

static void heads_free(lheads_t *L)
{
    for (int i = 0; i < L->n; i++)
        hrow_free(&L->h[i]);
    free(L->h);
    L->h = NULL;
}

static void heads_drop(lheads_t *L)
{
    if (L)
        heads_free(L);
    free(L);
}

static const hrow_t *head_at(lheads_t *L, int i)
{
    if (!L->h[i].name)
        hrow_make(&L->h[i], &L->rows[i]);
    return &L->h[i];
}

/* Header row of kind k among the rows: its index, or -1. */
static int find_header(lkind_t k, lheads_t *L, lcol_t *f, int *nf)
{
    for (int i = 0; i < L->n; i++) {
        if (L->rows[i].n < 2)
            continue;
        const hrow_t *h = head_at(L, i);
        *nf = map_fields(k, h, f);
        if (requires_hold(k, f, *nf, h) && preamble_holds(k, f, *nf, L->rows, i))
            return i;
    }
    return -1;
}

static int detect_rows(lheads_t *L, int only, int *header, lcol_t *f, int *nf)
{
    int kind = LK_NONE;
    for (int k = 0; k < LK_NKINDS && kind == LK_NONE; k++) {
        if (only != LK_NONE && k != only)
            continue;
        int at = find_header((lkind_t)k, L, f, nf);
        if (at >= 0) {
            kind = k;
            if (header)
                *header = at;
        }
    }
    return kind;
}

int layout_detect(const row_t *rows, int n, int *header)
{
    lcol_t f[LFIELDS_MAX];
    int nf;
    lheads_t L;
    tables();
    heads_init(&L, rows, n);
    int kind = detect_rows(&L, LK_NONE, header, f, &nf);
    heads_free(&L);
    return kind;
}

/* Every layout scores the same: only the first kind of §5.1 order scores at all. */
#define LAYOUT_SCORE 60

/* The header rows of a sniff. One that detect made (its serial set) keeps them, with
 * the detection, for the other layouts' sniffs and near misses, and frees them with
 * itself; for another sniff they are made in tmp, for the call only. */
static lheads_t *sniff_heads(const sniff_t *cs, lheads_t *tmp)
{
    sniff_t *s = (sniff_t *)cs; /* the cache is no part of what the const promises */
    tables();
    if (s->heads && s->heads->gen != tables_gen) {
        heads_drop(s->heads);
        s->heads = NULL;
    }
    if (s->heads)
        return s->heads;
    lheads_t *L = s->serial ? xmalloc(sizeof *L) : tmp;
    heads_init(L, s->rows, s->nrows);
    if (s->serial) {
        s->heads = L;
        s->heads_free = heads_drop;
    }
    return L;
}

static void heads_done(lheads_t *L, lheads_t *tmp)
{
    if (L == tmp)
        heads_free(tmp);
}

static int detect_memo(const sniff_t *s, int *header)
{
    lheads_t tmp, *L = sniff_heads(s, &tmp);
    if (!L->detected) {
        lcol_t f[LFIELDS_MAX];
        int nf;
        L->header = -1;
        L->kind = detect_rows(L, LK_NONE, &L->header, f, &nf);
        L->detected = 1;
    }
    *header = L->header;
    int kind = L->kind;
    heads_done(L, &tmp);
    return kind;
}

int layout_sniff(const sniff_t *s, lkind_t k, char *why, size_t whylen)
{
    int header = -1;
    if (detect_memo(s, &header) != (int)k)
        return 0;
    if (why && whylen)
        snprintf(why, whylen, "%s header on line %ld", lkind_id(k), s->rows[header].line);
    return LAYOUT_SCORE;
}

/* ---------------------------------------------------------------- near misses */

/* What preamble_holds asks of a layout when no column gives it, said when it fails. */
static const struct {
    lkind_t kind;
    const char *fields; /* the columns that would do instead */
    const char *above;  /* what the preamble would need */
} pre_needs[] = {
    {LK_BILL, "period", "no bill month (账期：…) above the header"},
    {LK_BROADBAND, "end|account", "no 宽带账号 or 宽带 title above the header"},
};

/* The first shown alias of layout k's field, or NULL. */
static const char *shown_alias(lkind_t k, const char *field)
{
    for (size_t a = 0; a < T.alias.n; a++)
        if (T.alias.items[a].layout == (int)k && strcmp(T.alias.items[a].field, field) == 0)
            return T.alias.items[a].shown;
    return NULL;
}

/* "金额, 费用, …" for a field, then its date + time pair when it may be one. */
static void accepted_names(sbuf_t *b, lkind_t k, const char *field, int *first)
{
    for (size_t a = 0; a < T.alias.n; a++) {
        const alias_t *al = &T.alias.items[a];
        if (al->layout == (int)k && strcmp(al->field, field) == 0) {
            sb_addf(b, "%s%s", *first ? "" : ", ", al->shown);
            *first = 0;
        }
    }
    char d[64], t[64];
    snprintf(d, sizeof d, "%s.date", field);
    snprintf(t, sizeof t, "%s.time", field);
    const char *dn = shown_alias(k, d), *tn = shown_alias(k, t);
    if (dn && tn) {
        sb_addf(b, "%s%s + %s", *first ? "" : ", ", dn, tn);
        *first = 0;
    }
}

/* "no 下线时间 or 上网时长 column (accepted names: …)" for a group "end|duration". */
static void missing_group(sbuf_t *b, lkind_t k, const char *alts)
{
    char *copy = xstrdup(alts), *save = NULL;
    sbuf_t names = {0};
    int first = 1, n = 0;
    sb_addf(b, "%sno ", b->n ? ", " : "");
    for (char *f = strtok_r(copy, "|", &save); f; f = strtok_r(NULL, "|", &save)) {
        const char *shown = shown_alias(k, f);
        sb_addf(b, "%s%s", n++ ? " or " : "", shown ? shown : f);
        accepted_names(&names, k, f, &first);
    }
    if (names.p && strchr(names.p, ','))
        sb_addf(b, " column (accepted names: %s)", names.p);
    else
        sb_add(b, " column");
    sb_free(&names);
    free(copy);
}

/* Marks the columns that give field i of f (its own, or its date + time pair). */
static void mark_cols(const lcol_t *f, int nf, int i, unsigned char *hit)
{
    for (int c = 0; c < f[i].ncol; c++)
        hit[f[i].col[c]] = 1;
    int d, t;
    if (!f[i].ncol && pair_cols(f, nf, f[i].field, &d, &t))
        hit[d] = hit[t] = 1;
}

/* How many fields of layout k itself the header names (not the "*" fields every layout
 * has; a date-time counts once, and half of a date + time pair not at all); their cells,
 * in column order, go to found. */
static int own_fields(lkind_t k, const row_t *r, const hrow_t *h, const lcol_t *f, int nf,
                      sbuf_t *found)
{
    unsigned char hit[HEAD_CELLS_MAX] = {0};
    int count = 0;
    for (int i = 0; i < nf; i++) {
        if (strchr(f[i].field, '.') || !shown_alias(k, f[i].field) || !present(f, nf, f[i].field))
            continue;
        count++;
        mark_cols(f, nf, i, hit);
    }
    for (int col = 0; col < h->n; col++)
        if (hit[col])
            sb_addf(found, "%s%s", found->n ? ", " : "", cell_at(r, col));
    return count;
}

/* What row i lacks to be a header of layout k, into missing ("" when nothing). */
static void row_missing(lkind_t k, const row_t *rows, int i, const lcol_t *f, int nf,
                        sbuf_t *missing)
{
    for (size_t q = 0; q < T.req.n; q++)
        if (T.req.items[q].layout == (int)k && !req_met(T.req.items[q].alts, f, nf))
            missing_group(missing, k, T.req.items[q].alts);
    if (missing->n || preamble_holds(k, f, nf, rows, i))
        return;
    for (size_t q = 0; q < sizeof pre_needs / sizeof *pre_needs; q++)
        if (pre_needs[q].kind == k) {
            missing_group(missing, k, pre_needs[q].fields);
            sb_addf(missing, " and %s", pre_needs[q].above);
        }
}

/* A row another layout's column rules out (@exclude) is no near miss of k either. */
static int excluded(lkind_t k, const hrow_t *h)
{
    for (size_t i = 0; i < T.excl.n; i++)
        if (T.excl.items[i].layout == (int)k &&
            names_field(h, T.excl.items[i].other, T.excl.items[i].field))
            return 1;
    return 0;
}

/* Most of the row's cells are column names: a header, not a line of prose or code
 * that happens to hold a few. */
static int header_like(const hrow_t *h)
{
    int cells = 0;
    for (int i = 0; i < h->n; i++)
        cells += h->name[i][0] != 0;
    return h->nknown >= 2 && 2 * h->nknown > cells;
}

int layout_near(const sniff_t *s, lkind_t k, const char *what, char *why, size_t whylen)
{
    lheads_t tmp, *L = sniff_heads(s, &tmp);
    int best = 0;
    lcol_t f[LFIELDS_MAX];
    for (int i = 0; i < L->n; i++) {
        const hrow_t *h = head_at(L, i);
        sbuf_t found = {0}, missing = {0};
        int nf = header_like(h) && !excluded(k, h) ? map_fields(k, h, f) : 0;
        int count = nf ? own_fields(k, &s->rows[i], h, f, nf, &found) : 0;
        if (count > best) {
            row_missing(k, s->rows, i, f, nf, &missing);
            if (missing.n) {
                best = count;
                near_reason(why, whylen, what, found.p, missing.p);
            }
        }
        sb_free(&found);
        sb_free(&missing);
    }
    heads_done(L, &tmp);
    return best;
}

/* ---------------------------------------------------------------- the reader */

static ukind_t ukind_of(lkind_t k)
{
    switch (k) {
    case LK_VOICE:
        return U_VOICE;
    case LK_DATA:
        return U_DATA;
    case LK_SMS:
        return U_SMS;
    case LK_VAS:
        return U_VAS;
    case LK_BROADBAND:
        return U_BROADBAND;
    default:
        return U_NKINDS;
    }
}

static void set_source(lreader_t *R)
{
    parse_t *p = R->p;
    source_t *s = parse_source(p);
    const lpre_t *pre = &R->pre;
    if (pre->number && !s->number)
        s->number = xstrdup(pre->number);
    if (pre->holder && !s->holder)
        s->holder = xstrdup(pre->holder);
    if (pre->operator_name && !s->operator_name)
        s->operator_name = xstrdup(pre->operator_name);
    s->exported = pre->exported;
    ukind_t u = ukind_of(R->kind);
    s->ukind = u == U_NKINDS ? -1 : (int)u;
    const row_t *decl = NULL;
    s->decl_from = s->decl_to = NO_DAY;
    if (lpre_declared(pre, R->kind == LK_BILL, &R->decl_from, &R->decl_to, &decl)) {
        s->decl_from = R->decl_from;
        s->decl_to = R->decl_to;
        s->decl = parse_prov(p, decl);
    }
    if (R->kind == LK_BILL) {
        /* Bill months: the 账期 keys, else the months a query period touches. */
        if (pre->month_from != NO_DAY) {
            R->bill_from = ym_of_day(pre->month_from);
            R->bill_to = ym_of_day(pre->month_to);
        } else if (pre->period_from != NO_DAY) {
            R->bill_from = ym_of_day(pre->period_from);
            R->bill_to = ym_of_day(pre->period_to);
        }
        s->bill_from = R->bill_from;
        s->bill_to = R->bill_to;
    }
}

static void buf_free(lreader_t *R)
{
    for (int i = 0; i < R->nbuf; i++)
        lrow_free(&R->buf[i]);
    free(R->buf);
    R->buf = NULL;
    R->nbuf = R->ibuf = 0;
}

static lfcache_t *rfield(const lreader_t *cR, const char *field);

int lreader_open(lreader_t *R, parse_t *p, lkind_t kind)
{
    tables();
    memset(R, 0, sizeof *R);
    R->p = p;
    R->kind = kind;
    R->decl_from = R->decl_to = NO_DAY;
    R->bill_from = R->bill_to = NO_YM;
    R->rec_from = R->rec_to = NO_YM;
    R->group = -1;
    lpre_init(&R->pre);
    R->buf = xcalloc(SNIFF_ROWS, sizeof *R->buf);
    row_t r;
    int rc = 0;
    size_t bytes = 0; /* the rows detection saw (sniff_load), no more */
    while (R->nbuf < SNIFF_ROWS && bytes < SNIFF_MAX_BYTES &&
           (rc = rowsrc_next(p->rows, &r)) == 1) {
        bytes += sniff_row_bytes(&r);
        lrow_copy(&R->buf[R->nbuf++], &r);
    }
    if (rc < 0)
        diag(p->path, 0, "%s", p->rows->err[0] ? p->rows->err : "read error");
    R->eof = rc <= 0;
    int header = -1;
    lheads_t L;
    heads_init(&L, R->buf, R->nbuf);
    int found = detect_rows(&L, kind, &header, R->f, &R->nf);
    heads_free(&L);
    if (found != (int)kind) {
        diag(p->path, 0, "no %s header row in the first %d rows", lkind_id(kind), SNIFF_ROWS);
        buf_free(R);
        return -1;
    }
    lrow_copy(&R->header, &R->buf[header]);
    for (int i = 0; i < header; i++)
        lpre_row(&R->pre, &R->buf[i]);
    R->ibuf = header + 1;
    R->c_category = lr_field(R, "category");
    R->c_item = lr_field(R, "item");
    R->c_number = lr_field(R, "number");
    R->c_number_all = (lcol_t *)rfield(R, "number")->col;
    set_source(R);
    return 0;
}

int lreader_run(parse_t *p, lkind_t kind, lrow_fn fn)
{
    lreader_t R;
    row_t r;
    int rc;
    if (lreader_open(&R, p, kind) < 0)
        return -1;
    while ((rc = lreader_next(&R, &r)) > 0)
        fn(&R, &r);
    return lreader_close(&R, rc);
}

/* The cache entry of a field name (see lfcache_t); the cache is no part of what the
 * const of the callers promises. */
static lfcache_t *rfield(const lreader_t *cR, const char *field)
{
    lreader_t *R = (lreader_t *)cR;
    uint64_t h = (uint64_t)(uintptr_t)field * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 58); /* 64 slots */
    lfcache_t *e;
    for (;; i = (i + 1) % LFCACHE_MAX) {
        e = &R->fcache[i];
        if (!e->name)
            break; /* not cached: fill this slot */
        if (e->name != field)
            continue;
        /* The same address may be a reused buffer: the name must match too. */
        const char *a = e->key, *b = field;
        while (*a && *a == *b)
            a++, b++;
        if (*a == *b)
            return e;
        break; /* the buffer now holds another name: this slot is looked up again */
    }
    size_t n = strlen(field);
    if (!e->name && R->nfcache >= LFCACHE_MAX * 3 / 4) { /* full: start over */
        memset(R->fcache, 0, sizeof R->fcache);
        R->nfcache = 0;
        e = &R->fcache[h >> 58];
    }
    if (n >= sizeof e->key) { /* a name too long to key is looked up every time */
        static _Thread_local lfcache_t once;
        e = &once;
    } else if (!e->name) {
        R->nfcache++;
    }
    e->name = field;
    if (n < sizeof e->key)
        memcpy(e->key, field, n + 1);
    else
        e->key[0] = 0;
    e->col = fields_find(R->f, R->nf, field);
    e->pair = -1;
    return e;
}

const lcol_t *lr_field(const lreader_t *R, const char *field)
{
    const lcol_t *c = rfield(R, field)->col;
    return c && c->ncol ? c : NULL;
}

/* Column holding the value of field column c (NULL: none) in row r: the first
 * non-empty matching one. */
static int value_col_c(const lcol_t *c, const row_t *r)
{
    if (!c)
        return -1;
    for (int i = 0; i < c->ncol; i++)
        if (*cell_at(r, c->col[i]))
            return c->col[i];
    return c->col[0];
}

static int value_col(const lreader_t *R, const row_t *r, const char *field)
{
    return value_col_c(lr_field(R, field), r);
}

const char *lr_get(const lreader_t *R, const row_t *r, const char *field)
{
    return cell_at(r, value_col(R, r, field));
}

static int count_nonempty(const row_t *r, int *first)
{
    int n = 0;
    *first = -1;
    for (int i = 0; i < r->n; i++)
        if (*cell_at(r, i)) {
            if (*first < 0)
                *first = i;
            n++;
        }
    return n;
}

static int same_as_header(const lreader_t *R, const row_t *r)
{
    if (r->n != R->header.n || *cell_at(r, 0) != *cell_at(&R->header, 0))
        return 0;
    for (int i = 0; i < r->n; i++)
        if (strcmp(cell_at(r, i), cell_at(&R->header, i)) != 0)
            return 0;
    return 1;
}

static int row_summary_level(const lreader_t *R, const row_t *r, int first)
{
    int level = layout_summary_word(cell_at(r, first));
    if (!level)
        level = layout_summary_word(cell_at(r, value_col_c(R->c_category, r)));
    if (!level)
        level = layout_summary_word(cell_at(r, value_col_c(R->c_item, r)));
    return level;
}

/* ---- declared totals ---- */

typedef struct {
    int has_amount, has_count;
    fen_t amount;
    long count;
} declared_t;

static long leading_count(const char *s)
{
    while (*s && !(*s >= '0' && *s <= '9'))
        s++;
    long v = 0;
    for (int n = 0; *s >= '0' && *s <= '9' && n < 12; s++, n++)
        v = v * 10 + (*s - '0');
    return v;
}

static void on_total_pair(void *ctx, const char *key, const char *value)
{
    declared_t *d = ctx;
    const char *text = key ? key : value;
    if (str_starts(text, "\xE5\x85\xB1")) { /* 共N条 */
        d->has_count = 1;
        d->count = leading_count(text);
        return;
    }
    if (!key || !layout_summary_word(key))
        return;
    if (str_has(key, "\xE6\x80\xBB\xE6\x95\xB0") || str_has(value, "\xE6\x9D\xA1")) { /* 总数, 条 */
        d->has_count = 1;
        d->count = leading_count(value);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%s", value);
    char *sp = strchr(buf, ' ');
    if (sp)
        *sp = 0;
    const char *why;
    if (!d->has_amount && money_parse(buf, &d->amount, &why) == MONEY_OK)
        d->has_amount = 1;
}

static void declared_of(const lreader_t *R, const row_t *r, declared_t *d)
{
    memset(d, 0, sizeof *d);
    const char *field = lr_field(R, "amount") ? "amount" : "fee";
    int c = value_col(R, r, field);
    const char *why;
    const char *t = cell_at(r, c);
    money_rc m = flag_at(r, c) & CELL_NUM ? money_parse_round(t, &d->amount, &why)
                                          : money_parse(t, &d->amount, &why);
    d->has_amount = m == MONEY_OK;
    /* "费用合计：1.80元  详单总数：2条" in one cell. */
    for (int i = 0; i < r->n; i++)
        if (i != c && *cell_at(r, i) && strlen(cell_at(r, i)) <= PRE_CELL_MAX)
            lpre_pairs(cell_at(r, i), on_total_pair, d);
}

static void total_warn(lreader_t *R, const row_t *r, const char *what, const char *declared,
                       const char *summed)
{
    audit_warn(R->p->audit, R->p->path,
               "line %ld: declared %s %s differs from the %s of the records (%s)", r->line, what,
               declared, what[0] == 't' ? "sum" : "count", summed);
}

static void on_summary(lreader_t *R, const row_t *r, int level)
{
    declared_t d;
    declared_of(R, r, &d);
    char a[32], b[32];
    if (level == 1) {
        if (d.has_amount && R->count_last && d.amount != R->since_last)
            total_warn(R, r, "total", money_fmt(d.amount, a), money_fmt(R->since_last, b));
        R->since_last = 0;
        R->count_last = 0;
        return;
    }
    /* Nothing since the previous total: a repeated total (实际应缴 after 合计). */
    if (R->count_total) {
        int group_ok = R->count_group && d.amount == R->since_group;
        if (d.has_amount && d.amount != R->since_total && d.amount != R->since_last && !group_ok)
            total_warn(R, r, "total", money_fmt(d.amount, a), money_fmt(R->since_total, b));
        if (d.has_count && d.count != R->count_total && d.count != R->count_last) {
            snprintf(a, sizeof a, "%ld", d.count);
            snprintf(b, sizeof b, "%ld", R->count_total);
            total_warn(R, r, "count", a, b);
        }
    }
    R->since_last = R->since_total = R->since_group = 0;
    R->count_last = R->count_total = R->count_group = 0;
}

/* ---- sub-headings: "号码：139…" or a bare number alone on a row ---- */

static void on_sub_pair(void *ctx, const char *key, const char *value)
{
    char **num = ctx;
    if (*num || !key)
        return;
    /* Only 号码 keys: a 宽带账号 line never excludes rows (spec §1, errors). */
    const char *f = pkey_field(key);
    if (f && strcmp(f, "number") == 0 && *value)
        *num = xstrdup(value);
}

/* A bare mobile number alone on a row ("13912345678", "139****5678"). */
static int looks_like_mobile(const char *s)
{
    size_t n = strlen(s);
    return n == 11 && s[0] == '1' && strspn(s, "0123456789*") == n;
}

static void set_number(lreader_t *R, const char *num)
{
    lcol_t *c = R->c_number_all;
    if (c) {
        free(c->last);
        c->last = xstrdup(num);
    }
}

static void on_single(lreader_t *R, const row_t *r, int first)
{
    const char *text = cell_at(r, first);
    if (strlen(text) > PRE_CELL_MAX)
        return;
    char *num = NULL;
    lpre_pairs(text, on_sub_pair, &num);
    if (!num && looks_like_mobile(text))
        num = xstrdup(text);
    if (num)
        set_number(R, num);
    free(num);
}

/* ---- inheritance ---- */

static void fill_inherited(lreader_t *R, const row_t *r)
{
    int need = r->n;
    for (int i = 0; i < R->nf; i++)
        if (R->f[i].inherit && R->f[i].ncol && R->f[i].col[0] + 1 > need)
            need = R->f[i].col[0] + 1;
    if (need + 1 > R->cur_cap) { /* grows to the widest row, then no allocation per row */
        R->cur_cap = need + 1 > 2 * R->cur_cap ? need + 1 : 2 * R->cur_cap;
        R->cur.cells = xrealloc(R->cur.cells, (size_t)R->cur_cap * sizeof *R->cur.cells);
        R->cur.flags = xrealloc(R->cur.flags, (size_t)R->cur_cap);
    }
    for (int i = 0; i < need; i++) {
        R->cur.cells[i] = (char *)cell_at(r, i);
        R->cur.flags[i] = (unsigned char)flag_at(r, i);
    }
    R->cur.n = need;
    R->cur.line = r->line;
    R->cur.raw = r->raw;
    R->cur.damaged = r->damaged;
    for (int i = 0; i < R->nf; i++) {
        lcol_t *c = &R->f[i];
        if (!c->inherit || !c->ncol)
            continue;
        int col = c->col[0];
        if (*cell_at(r, col)) {
            if (!c->last || strcmp(c->last, cell_at(r, col)) != 0) {
                free(c->last);
                c->last = xstrdup(cell_at(r, col));
            }
        } else if (c->last) {
            R->cur.cells[col] = c->last;
        }
    }
}

/* The number of the current row: its 号码 cell (inherited), else the last sub-heading. */
static void row_number(lreader_t *R)
{
    const lcol_t *c = R->c_number;
    const char *num = c ? cell_at(&R->cur, c->col[0]) : "";
    if (!*num) {
        const lcol_t *all = R->c_number_all;
        num = all && all->last ? all->last : "";
    }
    R->number = *num ? (char *)num : NULL;
}

/* The next physical row, from the header search buffer first. */
static int raw_next(lreader_t *R, row_t *r)
{
    if (R->ibuf < R->nbuf) {
        *r = R->buf[R->ibuf++];
        return 1;
    }
    if (R->eof)
        return 0;
    int rc = rowsrc_next(R->p->rows, r);
    if (rc < 0)
        diag(R->p->path, 0, "%s", R->p->rows->err[0] ? R->p->rows->err : "read error");
    if (rc <= 0)
        R->eof = 1;
    return rc;
}

static int cells_past_header(const lreader_t *R, const row_t *r)
{
    for (int i = R->header.n; i < r->n; i++)
        if (*cell_at(r, i))
            return 1;
    return 0;
}

int lreader_next(lreader_t *R, row_t *row)
{
    row_t r;
    int rc;
    while ((rc = raw_next(R, &r)) == 1) {
        int first;
        int n = count_nonempty(&r, &first);
        if (n == 0 || same_as_header(R, &r))
            continue;
        int level = row_summary_level(R, &r, first);
        if (level || n == 1) {
            if (level)
                on_summary(R, &r, level);
            else
                on_single(R, &r, first);
            parse_source(R->p)->summaries++;
            continue;
        }
        if (cells_past_header(R, &r)) {
            /* An unquoted comma shifts every cell: half-parsing it would cite a wrong amount. */
            parse_reject(R->p, &r, "row has %d cells but the header has %d (an unquoted comma?)",
                         r.n, R->header.n);
            continue;
        }
        fill_inherited(R, &r);
        row_number(R);
        *row = R->cur;
        return 1;
    }
    return rc;
}

void lr_group(lreader_t *R, long key)
{
    if (key != R->group) {
        R->group = key;
        R->since_group = 0;
        R->count_group = 0;
    }
}

void lr_record(lreader_t *R, ts_t when, fen_t amount)
{
    /* Checked: an overflowed sum is held at its bound and shown as such, never wrapped. */
    fen_add(&R->since_last, amount);
    fen_add(&R->since_total, amount);
    fen_add(&R->since_group, amount);
    R->count_last++;
    R->count_total++;
    R->count_group++;
    R->records++;
    if (when == NO_TS)
        return;
    day_t d = ts_day(when);
    if (R->decl_from != NO_DAY && (d < R->decl_from || d > R->decl_to))
        R->outside++;
    ym_t m = ym_of_day(d);
    if (R->rec_from == NO_YM || m < R->rec_from)
        R->rec_from = m;
    if (R->rec_to == NO_YM || m > R->rec_to)
        R->rec_to = m;
}

int lr_mine(const lreader_t *R)
{
    const account_t *a = &R->p->audit->acct;
    if (!R->number || !a->number || !*a->number)
        return 1;
    return account_number_matches(a, R->number);
}

int lreader_close(lreader_t *R, int rc)
{
    source_t *s = parse_source(R->p);
    char a[16], b[16];
    if (R->outside && R->decl_from != NO_DAY)
        audit_warn(R->p->audit, R->p->path,
                   "%ld record(s) lie outside the declared period %s to %s: kept, they add no "
                   "coverage",
                   R->outside, day_fmt(R->decl_from, a), day_fmt(R->decl_to, b));
    if (R->kind == LK_BILL) {
        /* No declared months: the audit takes the months the lines touch (not a range). */
        if (R->bill_from != NO_YM) {
            s->from = R->bill_from;
            s->to = R->bill_to;
        }
    } else if (R->decl_from != NO_DAY) {
        s->from = ym_of_day(R->decl_from);
        s->to = ym_of_day(R->decl_to);
    }
    buf_free(R);
    lrow_free(&R->header);
    lpre_free(&R->pre);
    for (int i = 0; i < R->nf; i++)
        free(R->f[i].last);
    free(R->cur.cells);
    free(R->cur.flags);
    memset(R, 0, sizeof *R);
    return rc < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- values */

/* "08:15:22", "8:15", or the time part of "1899-12-30 08:15:22". */
static int parse_clock(const char *s, int *hh, int *mi, int *ss)
{
    const char *sp = strrchr(s, ' ');
    if (sp)
        s = sp + 1;
    int v[3] = {0, 0, 0}, k = 0;
    while (k < 3) {
        int n = 0, x = 0;
        for (; *s >= '0' && *s <= '9' && n < 3; s++, n++)
            x = x * 10 + (*s - '0');
        if (!n)
            return -1;
        v[k++] = x;
        if (*s != ':' && !str_starts(s, "\xE6\x97\xB6") && !str_starts(s, "\xE5\x88\x86"))
            break;
        s += *s == ':' ? 1 : 3; /* ':' or 时/分 */
        if (!*s || str_starts(s, "\xE7\xA7\x92"))
            break;
    }
    if (str_starts(s, "\xE7\xA7\x92")) /* 秒 */
        s += 3;
    if (*s == '.')
        s += strspn(s, ".0123456789");
    if (*s || k < 2 || v[0] > 23 || v[1] > 59 || v[2] > 60)
        return -1;
    *hh = v[0], *mi = v[1], *ss = v[2];
    return 0;
}

/* A date-time cell: text, XLSX date text, or an unflagged XLSX serial. */
static int parse_dt_cell(const char *s, unsigned flags, dt_t *dt)
{
    if (dt_parse(s, dt) == 0)
        return 0;
    if (flags & CELL_NUM)
        return dt_from_serial(s, 0, dt);
    return -1;
}

/* Date of a date column ("2025-04-03", "04-03", "2025-04-03 00:00:00"). */
static int parse_date_cell(const char *s, unsigned flags, dt_t *dt)
{
    if (parse_dt_cell(s, flags, dt) == 0)
        return 0;
    char buf[96];
    snprintf(buf, sizeof buf, "%s 00:00:00", s); /* a year-less date needs a time to parse */
    return dt_parse(buf, dt);
}

static int pair_time(const row_t *r, int dc, int tc, dt_t *dt, const char **shown)
{
    const char *d = cell_at(r, dc), *t = cell_at(r, tc);
    *shown = *d ? d : t;
    dt_t full;
    if (*t && dt_parse(t, &full) == 0 && full.has_year && !(flag_at(r, tc) & CELL_DATE)) {
        *dt = full; /* the time column holds the whole date-time */
        return 0;
    }
    if (!*d || parse_date_cell(d, flag_at(r, dc), dt) != 0)
        return -1;
    dt->hh = dt->mi = dt->ss = 0;
    if (*t) {
        *shown = t;
        dt_t serial;
        if (flag_at(r, tc) & CELL_NUM &&
            dt_from_serial(t, 0, &serial) == 0) /* Excel time fraction */
            dt->hh = serial.hh, dt->mi = serial.mi, dt->ss = serial.ss;
        else if (parse_clock(t, &dt->hh, &dt->mi, &dt->ss) != 0)
            return -1;
    }
    dt->has_time = *t != 0;
    return 0;
}

int lr_time(lreader_t *R, const row_t *r, const char *field, const char *label, ts_t *out)
{
    int dc, tc;
    dt_t dt;
    const char *shown;
    int bad;
    lfcache_t *e = rfield(R, field);
    if (e->pair < 0)
        e->pair = pair_cols(R->f, R->nf, field, &e->dc, &e->tc);
    dc = e->dc, tc = e->tc;
    if (e->pair) {
        if (!*cell_at(r, dc) && !*cell_at(r, tc)) {
            parse_reject(R->p, r, "no %s", label);
            return -1;
        }
        bad = pair_time(r, dc, tc, &dt, &shown);
    } else {
        int c = value_col_c(e->col && e->col->ncol ? e->col : NULL, r);
        shown = cell_at(r, c);
        if (!*shown) {
            parse_reject(R->p, r, "no %s", label);
            return -1;
        }
        bad = parse_dt_cell(shown, flag_at(r, c), &dt);
    }
    if (bad) {
        parse_reject(R->p, r, "%s \"%s\" is not a date-time", label, diag_quote(shown));
        return -1;
    }
    if (!dt.has_year && dt_infer_year(&dt, R->decl_from, R->decl_to) != 0) {
        if (R->decl_from == NO_DAY)
            parse_reject(R->p, r, "%s \"%s\" has no year and the file declares no period", label,
                         diag_quote(shown));
        else
            parse_reject(R->p, r, "%s \"%s\" has no year and is not in the declared period", label,
                         diag_quote(shown));
        return -1;
    }
    *out = dt_ts(&dt);
    return 1;
}

static int money_cell(lreader_t *R, const row_t *r, int c, const char *label, fen_t *out)
{
    const char *t = cell_at(r, c), *why = NULL;
    money_rc m =
        flag_at(r, c) & CELL_NUM ? money_parse_round(t, out, &why) : money_parse(t, out, &why);
    if (m == MONEY_RANGE) {
        parse_reject(R->p, r, "%s out of range: \"%s\"", label, diag_quote(t));
        return -1;
    }
    if (m == MONEY_BAD) {
        parse_reject(R->p, r, "%s \"%s\": %s", label, diag_quote(t), why ? why : "not a number");
        return -1;
    }
    if (m == MONEY_EMPTY) {
        *out = 0;
        return 0;
    }
    return 1;
}

int lr_money(lreader_t *R, const row_t *r, const char *field, const char *label, fen_t *out)
{
    *out = 0;
    int c = value_col(R, r, field);
    return c < 0 ? 0 : money_cell(R, r, c, label, out);
}

int lr_fee(lreader_t *R, const row_t *r, fen_t *out)
{
    *out = 0;
    const lcol_t *fee = lr_field(R, "fee");
    if (fee)
        return money_cell(R, r, value_col_c(fee, r), "fee", out) < 0 ? -1 : 0;
    const lcol_t *parts = lr_field(R, "fee_part");
    for (int i = 0; parts && i < parts->ncol; i++) {
        fen_t v;
        if (money_cell(R, r, parts->col[i], "fee", &v) < 0)
            return -1;
        if (fen_add(out, v) < 0 || *out > FEN_MAX || *out < -FEN_MAX) {
            parse_reject(R->p, r, "fee out of range: the parts sum beyond 10^12 yuan");
            return -1;
        }
    }
    return 0;
}

static int64_t unit_of(const lcol_t *c, char kind)
{
    const unit_t *u = c && c->unit[0] ? unit_find(c->unit) : NULL;
    return u && u->kind == kind ? u->n : 0;
}

int lr_duration(lreader_t *R, const row_t *r, const char *field, int64_t *secs)
{
    *secs = 0;
    const lcol_t *c = lr_field(R, field);
    const char *t = cell_at(r, value_col_c(c, r));
    if (!*t)
        return 0;
    int64_t unit = unit_of(c, 'd');
    int64_t v;
    if (unit > 60 && strspn(t, "0123456789") == strlen(t))
        v = duration_parse(t, 0) * unit; /* 时长(小时) */
    else
        v = duration_parse(t, unit == 60);
    if (v < 0) {
        parse_reject(R->p, r, "duration \"%s\" is not a duration", diag_quote(t));
        return -1;
    }
    *secs = v;
    return 1;
}

int lr_volume(lreader_t *R, const row_t *r, const char *field, int64_t *bytes)
{
    *bytes = 0;
    const lcol_t *c = lr_field(R, field);
    const char *t = cell_at(r, value_col_c(c, r));
    if (!*t)
        return 0;
    int64_t v = volume_parse(t, unit_of(c, 'v'));
    if (v == -2)
        return 0; /* a bare number without a unit: volume unknown, still usage */
    if (v < 0) {
        parse_reject(R->p, r, "volume \"%s\" is not a volume", diag_quote(t));
        return -1;
    }
    *bytes = v;
    return 1;
}

static int incoming_text(const char *t)
{
    for (size_t i = 0; *t && i < T.word.n; i++)
        if (strcmp(T.word.items[i].what, "incoming") == 0 && strstr(t, T.word.items[i].word))
            return 1;
    return 0;
}

int lr_incoming(const lreader_t *cR, const row_t *r, const char *field)
{
    lreader_t *R = (lreader_t *)cR; /* the memo is no part of what const promises */
    const char *t = lr_get(R, r, field);
    /* A log repeats a handful of texts (主叫, 被叫): the last two answers are kept. */
    for (int i = 0; i < 2; i++)
        if (R->inc_text[i][0] && strcmp(R->inc_text[i], t) == 0)
            return R->inc_answer[i];
    int k = R->inc_next;
    R->inc_next = !k;
    R->inc_answer[k] = incoming_text(t);
    if (strlen(t) < sizeof R->inc_text[k])
        strcpy(R->inc_text[k], t);
    else
        R->inc_text[k][0] = 0;
    return R->inc_answer[k];
}

void lr_usage(lreader_t *R, const row_t *r, usage_t *u, const char *direction)
{
    lr_record(R, u->start, u->fee);
    if (!lr_mine(R))
        return;
    if (direction)
        u->incoming = lr_incoming(R, r, direction);
    u->number = R->number;
    parse_usage(R->p, r, u);
}
