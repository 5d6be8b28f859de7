/* billaudit rules: the rule table and the law each rule cites. */
#include "cli.h"
#include "rule.h"
#include <cjson/cJSON.h>
#include "json_utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "rules";
static const char summary[] =
    "Lists every rule: id, category, severity, what it flags, and "
    "its legal basis\n(quoted from the VERIFIED entries of the law table).";

static void rules_text(void)
{
    for (int i = 0; rules[i]; i++) {
        const rule_t *r = rules[i];
        printf("%-22s %-22s %-6s %s\n", r->id, r->category, r->severity, r->summary);
        for (int k = 0; r->basis && r->basis[k]; k++) {
            const law_t *l = law_find(r->basis[k]);
            if (l)
                printf("    %s %s%s\n", l->id, l->law, l->article);
        }
    }
}

static int rules_json(void)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; rules[i]; i++) {
        const rule_t *r = rules[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddStringToObject(o, "category", r->category);
        cJSON_AddStringToObject(o, "severity", r->severity);
        cJSON_AddStringToObject(o, "summary", r->summary);
        cJSON *b = cJSON_AddArrayToObject(o, "legal_basis");
        for (int k = 0; r->basis && r->basis[k]; k++) {
            const law_t *l = law_find(r->basis[k]);
            if (!l)
                continue;
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "id", l->id);
            cJSON_AddStringToObject(e, "law", l->law);
            cJSON_AddStringToObject(e, "article", l->article);
            cJSON_AddStringToObject(e, "text", l->text);
            cJSON_AddItemToArray(b, e);
        }
        cJSON_AddItemToArray(arr, o);
    }
    char *s = json_print(arr);
    cJSON_Delete(arr);
    if (!s)
        return 2;
    puts(s);
    cJSON_free(s);
    return 0;
}

int cmd_rules(int argc, char **argv)
{
    const char *fmt = "text";
    const opt_t opts[] = {
        {'f', "format", "FMT", "text (default) or json", OPT_STR, &fmt},
        {0, NULL, NULL, NULL, 0, NULL},
    };
    int first = opts_parse(usage, summary, opts, argc, argv);
    if (first < 0)
        return first == -2 ? 0 : 2;
    if (!strcmp(fmt, "json"))
        return rules_json();
    if (strcmp(fmt, "text")) {
        fprintf(stderr, "billaudit rules: unknown format \"%s\" (text, json)\n", diag_quote(fmt));
        return 2;
    }
    rules_text();
    return 0;
}
