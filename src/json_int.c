#include "json_int.h"
#include "util.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *json_int(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return cJSON_CreateRaw(buf);
}

cJSON *json_add_int(cJSON *obj, const char *name, int64_t v)
{
    cJSON *n = json_int(v);
    cJSON_AddItemToObject(obj, name, n);
    return n;
}

/* A raw node's text as int64: 1 when it is a plain decimal integer in range. */
static int raw_int(const char *t, int64_t *out)
{
    if (!t || !*t || strspn(t + (*t == '-'), "0123456789") != strlen(t + (*t == '-')) ||
        !t[*t == '-'])
        return 0;
    errno = 0;
    long long v = strtoll(t, NULL, 10);
    if (errno)
        return 0;
    *out = v;
    return 1;
}

int json_get_int(const cJSON *v, int64_t *out)
{
    if (cJSON_IsRaw(v))
        return raw_int(v->valuestring, out);
    const double lim = 9007199254740992.0; /* 2^53: every integer up to it is exact */
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= -lim && v->valuedouble <= lim))
        return 0; /* also NaN; and casting a larger double to int64 would be undefined */
    int64_t i = (int64_t)v->valuedouble;
    if ((double)i != v->valuedouble)
        return 0;
    *out = i;
    return 1;
}

typedef struct {
    size_t off, len; /* of the number's text */
} span_t;
typedef VEC(span_t) spans_t;

/* The number tokens of the text in document order (strings skipped, escapes and all). */
static void number_spans(const char *t, size_t len, spans_t *out)
{
    for (size_t i = 0; i < len;) {
        if (t[i] == '"') {
            for (i++; i < len && t[i] != '"'; i++)
                i += t[i] == '\\';
            i++;
        } else if (t[i] == '-' || (t[i] >= '0' && t[i] <= '9')) {
            size_t j = i;
            while (j < len && t[j] && strchr("+-.0123456789eE", t[j]))
                j++;
            span_t s = {i, j - i};
            VEC_PUSH(*out, s);
            i = j;
        } else {
            i++;
        }
    }
}

typedef VEC(cJSON *) nodes_t;

/* The number nodes in preorder: the order their values appear in the text. */
static void number_nodes(cJSON *n, nodes_t *out)
{
    for (; n; n = n->next) {
        if (cJSON_IsNumber(n))
            VEC_PUSH(*out, n);
        number_nodes(n->child, out);
    }
}

void json_exact_ints(cJSON *root, const char *text, size_t len)
{
    spans_t sp = {0};
    nodes_t nd = {0};
    number_spans(text, len, &sp);
    if (root && cJSON_IsNumber(root))
        VEC_PUSH(nd, root);
    else if (root)
        number_nodes(root->child, &nd);
    for (size_t i = 0; sp.n == nd.n && i < nd.n; i++) {
        const char *t = text + sp.items[i].off;
        size_t n = sp.items[i].len;
        char buf[24];
        int64_t v;
        if (n >= sizeof buf)
            continue;
        memcpy(buf, t, n);
        buf[n] = 0;
        if (!raw_int(buf, &v))
            continue; /* a fraction or an exponent: a double, as cJSON read it */
        /* In place: the node keeps its key and its place; cJSON frees valuestring. */
        char *copy = cJSON_malloc(n + 1);
        if (!copy)
            break;
        memcpy(copy, buf, n + 1);
        nd.items[i]->type = cJSON_Raw;
        nd.items[i]->valuestring = copy;
    }
    VEC_FREE(sp);
    VEC_FREE(nd);
}
