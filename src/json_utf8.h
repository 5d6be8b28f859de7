/* Every JSON document billaudit writes is valid UTF-8 (RFC 8259 §8.1), whatever the names
 * of the files read: a file name is a string of bytes, and one that is not UTF-8 (a GBK
 * name copied from Windows, a damaged one) would make the whole document unreadable to a
 * strict parser. cJSON copies string bytes as they are, so each tree passes through here
 * before it is printed. */
#ifndef BILLAUDIT_JSON_UTF8_H
#define BILLAUDIT_JSON_UTF8_H
#include <cjson/cJSON.h>

/* Makes every string and key under root valid UTF-8, each byte that is not replaced by
 * U+FFFD. A file name so changed (the keys "path", "source", "member", "archive",
 * "identical_to") keeps its exact bytes beside it: "KEY_bytes", the bytes in lower-case
 * hex, so that a program can still open the file. Strings already valid are untouched,
 * and no "_bytes" key is added for them. */
void json_utf8_fix(cJSON *root);
/* json_utf8_fix, then cJSON_Print (free with cJSON_free). */
char *json_print(cJSON *root);

#endif
