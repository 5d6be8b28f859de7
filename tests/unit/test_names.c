/* File names shown in diagnostics and JSON (issue 18, defect 13): src/util.c name_shown,
 * text_one_line, gb18030_to_utf8; src/json_utf8.c. */
#include "json_utf8.h"
#include "unit.h"
#include "util.h"
#include <stdlib.h>

TEST(names_plain_are_shown_as_they_are)
{
    const char *plain = "bills/账单 2025.csv";
    CHECK(name_shown(plain) == plain); /* the same pointer: nothing copied */
    CHECK_STR(name_shown("a\"b.csv"), "a\"b.csv");
    CHECK_STR(name_shown("a\\b.csv"), "a\\b.csv");
}

TEST(names_odd_are_quoted_and_escaped)
{
    CHECK_STR(name_shown("bill-\xff\xfe.csv"), "\"bill-\\xff\\xfe.csv\"");
    CHECK_STR(name_shown("a\nb.csv"), "\"a\\nb.csv\"");
    CHECK_STR(name_shown("a\tb\x1b[31m.csv"), "\"a\\tb\\x1b[31m.csv\"");
    CHECK_STR(name_shown(" lead.csv"), "\" lead.csv\"");
    CHECK_STR(name_shown("trail.csv "), "\"trail.csv \"");
    CHECK_STR(name_shown("\"q\".csv"), "\"\\\"q\\\".csv\"");
    CHECK_STR(name_shown("x\xe2\x80\xaegpj.exe"), "\"x\\u202egpj.exe\"");
    CHECK_STR(name_shown("c1\xc2\x85.csv"), "\"c1\\u0085.csv\""); /* U+0085, not byte 85 */
    CHECK_STR(name_shown("a\\\n"), "\"a\\\\\\n\"");
    CHECK_STR(name_shown(""), "\"\"");
    /* Shown names stay valid for a while: eight of them at once. */
    const char *first = name_shown("1\n");
    for (int i = 0; i < 7; i++)
        name_shown("x\n");
    CHECK_STR(first, "\"1\\n\"");
}

TEST(names_text_one_line)
{
    char *t = text_one_line("no amount for \"a\nb\r\"\tkept \x1b \xff");
    CHECK_STR(t, "no amount for \"a\\nb\\r\"\tkept \\x1b \\xff");
    free(t);
}

TEST(names_gb18030_decodes)
{
    char *s = gb18030_to_utf8("\xcd\xa8\xbb\xb0.csv", 8); /* 通话.csv in GBK */
    CHECK_STR(s, "通话.csv");
    free(s);
    CHECK(gb18030_to_utf8("\xff\xfe", 2) == NULL);
    CHECK(gb18030_to_utf8("\xcd", 1) == NULL); /* cut */
}

TEST(names_json_is_utf8_with_bytes)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", "in/b\xff.csv");
    cJSON_AddStringToObject(o, "text", "x\xc3");
    cJSON_AddStringToObject(o, "source", "fine.csv");
    cJSON *k = cJSON_AddObjectToObject(o, "by");
    cJSON_AddNumberToObject(k, "bad\xfe", 1);
    char *s = json_print(o);
    CHECK(s && utf8_valid(s, strlen(s)));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "path")), "in/b\xEF\xBF\xBD.csv");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "path_bytes")), "696e2f62ff2e637376");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "text")), "x\xEF\xBF\xBD");
    CHECK(cJSON_GetObjectItem(o, "text_bytes") == NULL);   /* not a file name */
    CHECK(cJSON_GetObjectItem(o, "source_bytes") == NULL); /* valid: nothing added */
    CHECK(cJSON_GetObjectItem(k, "bad\xEF\xBF\xBD") != NULL);
    /* The bytes follow their name; the last child is still found (cJSON's prev link). */
    CHECK_STR(cJSON_GetObjectItem(o, "path")->next->string, "path_bytes");
    CHECK(o->child->prev == k);
    cJSON_free(s);
    cJSON_Delete(o);
}
