/* Integers in JSON output, printed exactly. cJSON holds every number as a double, which
 * prints 10^15 as 1e+15 and rounds any integer past 2^53: an amount in fen must come out
 * as the integer it is, so integers go in as raw text. */
#ifndef BILLAUDIT_JSON_INT_H
#define BILLAUDIT_JSON_INT_H
#include <cjson/cJSON.h>
#include <stdint.h>

/* A raw node holding v in decimal ("-12345"). */
cJSON *json_int(int64_t v);
/* Adds json_int(v) to obj under name; returns the node. */
cJSON *json_add_int(cJSON *obj, const char *name, int64_t v);
/* Reads an integer back: 1 with *out set when v is a raw integer (json_int, or restored
 * by json_exact_ints) or a number that came back exactly (integral, within 2^53), else 0. */
int json_get_int(const cJSON *v, int64_t *out);
/* After parsing text[0..len) into root: every number written as a plain integer becomes a
 * raw node of its own text, so that it is read (json_get_int) and printed again exactly.
 * Leaves the tree as it is when the text and the tree do not pair up. */
void json_exact_ints(cJSON *root, const char *text, size_t len);
#endif
