/* Valid UTF-8 in every JSON document (see json_utf8.h). */
#include "json_utf8.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

/* The keys whose value is a file name (or an archive member's). */
static int names_a_file(const char *key)
{
    static const char *const keys[] = {"path", "source", "member", "archive", "identical_to"};
    for (size_t i = 0; key && i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(key, keys[i]))
            return 1;
    return 0;
}

static char *hex_of(const char *s)
{
    sbuf_t b = {0};
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        sb_addf(&b, "%02x", *u);
    return sb_take(&b);
}

/* cJSON's own allocator owns a node's strings. */
static char *cjson_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = cJSON_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Puts item right after at in parent's children (cJSON keeps the last child in the first
 * child's prev). */
static void insert_after(cJSON *parent, cJSON *at, cJSON *item)
{
    item->prev = at;
    item->next = at->next;
    if (at->next)
        at->next->prev = item;
    else
        parent->child->prev = item;
    at->next = item;
}

/* "KEY_bytes": the raw bytes of the file name item holds, beside it. */
static void add_bytes(cJSON *parent, cJSON *item)
{
    char *hex = hex_of(item->valuestring);
    char *key = xasprintf("%s_bytes", item->string);
    cJSON *b = cJSON_CreateString(hex);
    if (b && (b->string = cjson_dup(key)) != NULL)
        insert_after(parent, item, b);
    else
        cJSON_Delete(b);
    free(key);
    free(hex);
}

static int invalid(const char *s)
{
    return s && !utf8_valid(s, strlen(s));
}

/* Replaces *slot (a cJSON-allocated string) by its repaired copy. */
static void repair(char **slot)
{
    sbuf_t b = {0};
    sb_add_utf8_repaired(&b, *slot);
    char *mine = cjson_dup(b.p ? b.p : "");
    sb_free(&b);
    if (!mine)
        return; /* out of memory: cJSON_Print fails too and the caller reports it */
    cJSON_free(*slot);
    *slot = mine;
}

static void fix_node(cJSON *node)
{
    for (cJSON *c = node->child; c; c = c->next) {
        int object = cJSON_IsObject(node);
        if (object && invalid(c->string) && !(c->type & cJSON_StringIsConst))
            repair(&c->string);
        if (cJSON_IsString(c) && invalid(c->valuestring)) {
            if (object && names_a_file(c->string))
                add_bytes(node, c);
            repair(&c->valuestring);
        } else if (cJSON_IsArray(c) || cJSON_IsObject(c)) {
            fix_node(c);
        }
    }
}

void json_utf8_fix(cJSON *root)
{
    if (!root)
        return;
    if (cJSON_IsString(root) && invalid(root->valuestring))
        repair(&root->valuestring);
    fix_node(root);
}

char *json_print(cJSON *root)
{
    json_utf8_fix(root);
    return cJSON_Print(root);
}
