/* Line numbers for the nodes of a parsed cJSON tree. cJSON keeps no positions, so the
 * text is scanned again: its values come in document order, the order of a preorder walk
 * of the tree. A member's line is its key's; an array element's, its value's. */
#ifndef BILLAUDIT_JSON_LINES_H
#define BILLAUDIT_JSON_LINES_H
#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct {
    const cJSON **nodes; /* sorted by address */
    long *lines;
    size_t n;
} json_lines_t;

/* Builds the map for root, parsed from text[0..len). 0 on success; -1 (an empty map, every
 * line unknown) when the text does not match the tree. */
int json_lines_build(json_lines_t *m, const cJSON *root, const char *text, size_t len);
/* The line of node, 0 when unknown. */
long json_line_of(const json_lines_t *m, const cJSON *node);
void json_lines_free(json_lines_t *m);
/* The number of values (members and array elements) in text, without parsing it. */
size_t json_count_values(const char *text, size_t len);
/* The line of byte offset off in text (1-based). */
long json_line_at(const char *text, size_t off);
#endif
