/* The account profile (doc/profile.md), read with cJSON. A bad profile is an error
 * message, never a crash; every field is optional. */
#include "audit.h"
#include "json_lines.h"
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first error of a profile, as "PATH:LINE: message": the line of the node at fault,
 * found only when there is an error. The text is not kept meanwhile (a big profile would
 * be held twice): the file is read again for the line map. */
typedef struct {
    char *msg;
    size_t len;
    int failed;
    const char *path;
    const cJSON *root;
} perr_t;

static char *read_profile(const char *path, size_t *len, char *msg, size_t msglen);

static long line_of(const perr_t *e, const cJSON *at)
{
    json_lines_t m;
    size_t len;
    char ignored[256];
    char *text = at ? read_profile(e->path, &len, ignored, sizeof ignored) : NULL;
    if (!text)
        return 0;
    int ok = json_lines_build(&m, e->root, text, len) == 0;
    free(text);
    long line = ok ? json_line_of(&m, at) : 0;
    json_lines_free(&m);
    return line;
}

static void fail(perr_t *e, const cJSON *at, const char *fmt, const char *field)
{
    if (e->failed++)
        return;
    char what[512];
    snprintf(what, sizeof what, fmt, field);
    long line = line_of(e, at ? at : e->root);
    if (line > 0)
        snprintf(e->msg, e->len, "%s:%ld: %s", name_shown(e->path), line, what);
    else
        snprintf(e->msg, e->len, "%s: %s", name_shown(e->path), what);
}

static char *get_str(const cJSON *o, const char *key, const char *where, perr_t *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        char f[128];
        snprintf(f, sizeof f, "%s.%s", where, key);
        fail(e, v, "%s must be a string", f);
        return NULL;
    }
    return xstrdup(v->valuestring);
}

static day_t get_date(const cJSON *o, const char *key, const char *where, perr_t *e)
{
    char *s = get_str(o, key, where, e);
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!s)
        return NO_DAY;
    dt_t t;
    day_t d = NO_DAY;
    if (dt_parse(s, &t) == 0 && t.has_year)
        d = days_from_civil(t.y, t.m, t.d);
    else {
        char f[160];
        snprintf(f, sizeof f, "%s.%s \"%.60s\"", where, key, s);
        fail(e, at, "%s is not a date (YYYY-MM-DD)", f);
    }
    free(s);
    return d;
}

static ym_t get_month(const cJSON *o, const char *key, const char *where, perr_t *e)
{
    char *s = get_str(o, key, where, e);
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!s)
        return NO_YM;
    int y, m;
    char extra;
    ym_t v = NO_YM;
    if (sscanf(s, "%d-%d%c", &y, &m, &extra) == 2 && y > 1900 && y < 2200 && m >= 1 && m <= 12)
        v = ym_make(y, m);
    else {
        char f[160];
        snprintf(f, sizeof f, "%s.%s \"%.60s\"", where, key, s);
        fail(e, at, "%s is not a month (YYYY-MM)", f);
    }
    free(s);
    return v;
}

/* A JSON number as the shortest decimal text that reads back the same: the text the
 * user wrote ("58.5", "0.125"), for money_parse to judge exactly. Formatting it with two
 * decimals instead silently rounded 59.999 to 60.00 and -0.001 to 0. */
static void number_text(double x, char *buf, size_t len)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* Amounts are strings or numbers; either is read as decimal text. */
static int get_money(const cJSON *o, const char *key, const char *where, fen_t *out, perr_t *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return 0;
    char buf[64], f[128];
    snprintf(f, sizeof f, "%s.%s", where, key);
    if (cJSON_IsNumber(v) && !(v->valuedouble >= -1e12 && v->valuedouble <= 1e12))
        return fail(e, v, "%s is out of range (above 10^12 yuan)", f), 0;
    if (cJSON_IsNumber(v))
        number_text(v->valuedouble, buf, sizeof buf);
    else if (cJSON_IsString(v))
        snprintf(buf, sizeof buf, "%s", v->valuestring);
    else
        return fail(e, v, "%s must be an amount like \"58.00\"", f), 0;
    const char *why;
    money_rc m = money_parse(buf, out, &why);
    if (m == MONEY_RANGE)
        return fail(e, v, "%s is out of range (above 10^12 yuan)", f), 0;
    if (m != MONEY_OK)
        return fail(e, v, "%s is not an amount like \"58.00\"", f), 0;
    /* A negative fee would turn every correct charge into an overcharge. */
    if (*out < 0)
        return fail(e, v, "%s must not be negative", f), 0;
    return 1;
}

static void load_service(account_t *a, const cJSON *o, const char *where, svc_kind_t kind,
                         perr_t *e)
{
    if (!cJSON_IsObject(o)) {
        fail(e, o, "%s must be an object", where);
        return;
    }
    service_t s = {0};
    s.name = get_str(o, "name", where, e);
    char *k = get_str(o, "kind", where, e);
    s.kind = kind;
    if (k && !strcmp(k, "broadband"))
        s.kind = SVC_BROADBAND;
    else if (k && !strcmp(k, "mobile"))
        s.kind = SVC_MOBILE;
    else if (k) {
        char f[128];
        snprintf(f, sizeof f, "%s.kind", where);
        fail(e, cJSON_GetObjectItemCaseSensitive(o, "kind"),
             "%s must be \"mobile\" or \"broadband\"", f);
    }
    free(k);
    s.has_fee = get_money(o, "monthly_fee", where, &s.monthly_fee, e);
    s.start = get_date(o, "start", where, e);
    s.end = get_date(o, "end", where, e);
    s.cancelled = get_date(o, "cancelled", where, e);
    s.cancel_channel = get_str(o, "cancel_channel", where, e);
    s.cancel_reference = get_str(o, "cancel_reference", where, e);
    s.account = get_str(o, "account", where, e);
    s.field = xstrdup(where);
    if (!s.name)
        s.name = xstrdup(s.kind == SVC_BROADBAND ? "宽带" : "套餐");
    VEC_PUSH(a->services, s);
    if (s.kind == SVC_MOBILE && a->plan < 0)
        a->plan = (int)a->services.n - 1;
}

static void load_lists(account_t *a, const cJSON *root, perr_t *e)
{
    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(root, "subscriptions");
    if (subs && !cJSON_IsNull(subs)) {
        if (!cJSON_IsArray(subs))
            fail(e, subs, "%s must be a list of service names", "subscriptions");
        a->has_subscriptions = cJSON_IsArray(subs);
        const cJSON *it;
        cJSON_ArrayForEach(it, subs)
        {
            if (cJSON_IsString(it))
                VEC_PUSH(a->subscriptions, xstrdup(it->valuestring));
            else
                fail(e, it, "%s must hold strings", "subscriptions");
        }
    }
    const cJSON *sus = cJSON_GetObjectItemCaseSensitive(root, "suspensions"), *it;
    if (sus && !cJSON_IsArray(sus))
        fail(e, sus, "%s must be a list", "suspensions");
    int i = 0;
    cJSON_ArrayForEach(it, sus)
    {
        char where[64];
        snprintf(where, sizeof where, "suspensions[%d]", i++);
        suspension_t s = {0};
        s.service = get_str(it, "service", where, e);
        s.from = get_date(it, "from", where, e);
        s.to = get_date(it, "to", where, e);
        s.has_allowed = get_money(it, "allowed_fee", where, &s.allowed_fee, e);
        s.svc = -1;
        if (s.from == NO_DAY || s.to == NO_DAY)
            fail(e, it, "%s needs \"from\" and \"to\" dates", where);
        else if (s.from > s.to) /* a period that never was: it would exempt nothing, silently */
            fail(e, cJSON_GetObjectItemCaseSensitive(it, "from"), "%s: \"from\" is after \"to\"",
                 where);
        VEC_PUSH(a->suspensions, s);
    }
    const cJSON *cps = cJSON_GetObjectItemCaseSensitive(root, "complaints");
    if (cps && !cJSON_IsArray(cps))
        fail(e, cps, "%s must be a list", "complaints");
    i = 0;
    cJSON_ArrayForEach(it, cps)
    {
        char where[64];
        snprintf(where, sizeof where, "complaints[%d]", i++);
        complaint_t c = {0};
        c.to = get_str(it, "to", where, e);
        c.channel = get_str(it, "channel", where, e);
        c.reference = get_str(it, "reference", where, e);
        c.reply = get_str(it, "reply", where, e);
        c.date = get_date(it, "date", where, e);
        c.reply_date = get_date(it, "reply_date", where, e);
        VEC_PUSH(a->complaints, c);
    }
}

static void load_root(account_t *a, const cJSON *root, perr_t *e)
{
    a->operator_id = get_str(root, "operator", "account", e);
    if (a->operator_id && strcmp(a->operator_id, "china-mobile") &&
        strcmp(a->operator_id, "china-telecom") && strcmp(a->operator_id, "china-unicom"))
        fail(e, cJSON_GetObjectItemCaseSensitive(root, "operator"),
             "%s must be china-mobile, china-telecom or china-unicom", "operator");
    a->number = get_str(root, "number", "account", e);
    a->province = get_str(root, "province", "account", e);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "holder");
    if (h && cJSON_IsObject(h)) {
        a->holder_name = get_str(h, "name", "holder", e);
        a->holder_address = get_str(h, "address", "holder", e);
        a->holder_phone = get_str(h, "phone", "holder", e);
        a->holder_postcode = get_str(h, "postcode", "holder", e);
    } else if (h && !cJSON_IsNull(h)) {
        fail(e, h, "%s must be an object", "holder");
    }
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "respondent");
    if (resp && cJSON_IsObject(resp)) {
        a->respondent_name = get_str(resp, "name", "respondent", e);
        a->respondent_address = get_str(resp, "address", "respondent", e);
    } else if (resp && !cJSON_IsNull(resp)) {
        fail(e, resp, "%s must be an object", "respondent");
    }
    const cJSON *plan = cJSON_GetObjectItemCaseSensitive(root, "plan");
    if (plan && !cJSON_IsNull(plan))
        load_service(a, plan, "plan", SVC_MOBILE, e);
    const cJSON *svcs = cJSON_GetObjectItemCaseSensitive(root, "services"), *it;
    if (svcs && !cJSON_IsArray(svcs))
        fail(e, svcs, "%s must be a list", "services");
    int i = 0;
    cJSON_ArrayForEach(it, svcs)
    {
        char where[64];
        snprintf(where, sizeof where, "services[%d]", i++);
        load_service(a, it, where, SVC_BROADBAND, e);
    }
    load_lists(a, root, e);
    const cJSON *cov = cJSON_GetObjectItemCaseSensitive(root, "usage_coverage");
    if (cov && cJSON_IsObject(cov)) {
        a->coverage_from = get_month(cov, "from", "usage_coverage", e);
        a->coverage_to = get_month(cov, "to", "usage_coverage", e);
    }
}

/* A profile is a few kilobytes; even with years of complaints and replies it stays far
 * below this. A bigger file is refused by name, never cut and misread. */
#define PROFILE_MAX (64L << 20)
#define PROFILE_MAX_VALUES 200000

/* The profile's bytes, whole (a UTF-8 BOM, as Notepad writes it, dropped); NULL with msg. */
static char *read_profile(const char *path, size_t *len, char *msg, size_t msglen)
{
    char why[128];
    FILE *f = fopen_regular(path, why, sizeof why); /* a FIFO would hang the run */
    if (!f) {
        snprintf(msg, msglen, "%s: %s", name_shown(path),
                 str_starts(why, "not ") ? "the account profile is not a regular file"
                                         : "cannot open the account profile");
        return NULL;
    }
    sbuf_t b = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.n <= (size_t)PROFILE_MAX)
        sb_addn(&b, buf, n);
    int err = ferror(f);
    fclose(f);
    if (err || b.n > (size_t)PROFILE_MAX) {
        snprintf(msg, msglen,
                 err ? "%s: cannot read the account profile"
                     : "%s: larger than 64 MiB: not an account profile",
                 name_shown(path));
        sb_free(&b);
        return NULL;
    }
    if (b.n >= 3 && !memcmp(b.p, "\xEF\xBB\xBF", 3)) {
        memmove(b.p, b.p + 3, b.n - 3 + 1);
        b.n -= 3;
    }
    *len = b.n;
    return sb_take(&b);
}

typedef struct {
    const cJSON *node;
    size_t at; /* its place in the object */
} member_t;

static int member_cmp(const void *x, const void *y)
{
    const member_t *a = x, *b = y;
    int c = strcmp(a->node->string, b->node->string);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* A key given twice in one object: cJSON would keep the first silently, whichever the
 * user meant. The second is reported (members sorted by name, then place). */
static void check_duplicates(const cJSON *o, perr_t *e)
{
    for (const cJSON *c = o->child; c && !e->failed; c = c->next)
        if (c->child)
            check_duplicates(c, e);
    if (!cJSON_IsObject(o) || e->failed)
        return;
    size_t n = 0;
    for (const cJSON *c = o->child; c; c = c->next)
        n++;
    member_t *v = xcalloc(n, sizeof *v);
    n = 0;
    for (const cJSON *c = o->child; c; c = c->next, n++)
        v[n] = (member_t){c, n};
    qsort(v, n, sizeof *v, member_cmp);
    for (size_t i = 1; i < n && !e->failed; i++)
        if (!strcmp(v[i - 1].node->string, v[i].node->string))
            fail(e, v[i].node, "duplicate key \"%.100s\"", v[i].node->string);
    free(v);
}

/* The text parsed as one JSON object and nothing after it; NULL with msg (and its line). */
static cJSON *parse_profile(const char *path, const char *text, size_t len, char *msg,
                            size_t msglen)
{
    /* Each value costs cJSON a node, ~10 times its text: a profile of millions of values is
     * no account's and would take gigabytes. */
    if (json_count_values(text, len) > PROFILE_MAX_VALUES) {
        snprintf(msg, msglen, "%s: more than %d values: not an account profile", name_shown(path),
                 PROFILE_MAX_VALUES);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root && end) {
        while ((size_t)(end - text) < len && strchr(" \t\r\n", *end))
            end++;
        if ((size_t)(end - text) < len) {
            snprintf(msg, msglen, "%s:%ld: text after the end of the profile's JSON object",
                     name_shown(path), json_line_at(text, (size_t)(end - text)));
            cJSON_Delete(root);
            return NULL;
        }
    }
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
        snprintf(msg, msglen, "%s:%ld: not valid JSON (the profile layout is in doc/profile.md)",
                 name_shown(path), json_line_at(text, off));
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(msg, msglen, "%s:%ld: not a JSON object (the profile layout is in doc/profile.md)",
                 name_shown(path), json_line_at(text, strspn(text, " \t\r\n")));
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

int account_load(account_t *a, const char *path, char *msg, size_t msglen)
{
    memset(a, 0, sizeof *a);
    a->plan = -1;
    a->coverage_from = a->coverage_to = NO_YM;
    size_t len = 0;
    char *text = read_profile(path, &len, msg, msglen);
    if (!text)
        return -1;
    cJSON *root = parse_profile(path, text, len, msg, msglen);
    free(text);
    if (!root)
        return -1;
    perr_t e = {msg, msglen, 0, path, root};
    check_duplicates(root, &e);
    if (!e.failed)
        load_root(a, root, &e);
    cJSON_Delete(root);
    a->loaded = 1;
    return e.failed ? -1 : 0;
}

void account_free(account_t *a)
{
    free(a->operator_id), free(a->number), free(a->province);
    free(a->holder_name), free(a->holder_address), free(a->holder_phone);
    free(a->holder_postcode);
    free(a->respondent_name), free(a->respondent_address);
    for (size_t i = 0; i < a->services.n; i++) {
        service_t *v = &a->services.items[i];
        free(v->name), free((char *)v->field);
        free(v->cancel_channel), free(v->cancel_reference), free(v->account);
    }
    VEC_FREE(a->services);
    for (size_t i = 0; i < a->subscriptions.n; i++)
        free(a->subscriptions.items[i]);
    VEC_FREE(a->subscriptions);
    for (size_t i = 0; i < a->suspensions.n; i++)
        free(a->suspensions.items[i].service);
    VEC_FREE(a->suspensions);
    for (size_t i = 0; i < a->complaints.n; i++) {
        complaint_t *c = &a->complaints.items[i];
        free(c->to), free(c->channel), free(c->reference), free(c->reply);
    }
    VEC_FREE(a->complaints);
}

/* Digits of s into out (at most outlen-1); '*' kept as a wildcard. */
static size_t digits_of(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (; *s && n + 1 < outlen; s++)
        if ((*s >= '0' && *s <= '9') || *s == '*')
            out[n++] = *s;
    out[n] = 0;
    return n;
}

int account_number_matches(const account_t *a, const char *num)
{
    if (!a->number || !num)
        return 1;
    char want[64], got[64];
    size_t wn = digits_of(a->number, want, sizeof want);
    size_t gn = digits_of(num, got, sizeof got);
    if (!gn)
        return 1;
    char *star = strchr(got, '*');
    if (!star)
        return strcmp(want, got) == 0;
    /* Masked: the digits before the stars and after them must match the ends. */
    size_t pre = (size_t)(star - got);
    const char *post = got + strspn(star, "*") + (star - got);
    size_t postn = strlen(post);
    return pre + postn <= wn && !strncmp(want, got, pre) && !strcmp(want + wn - postn, post);
}
