/* Line numbers for cJSON nodes (see json_lines.h): one scan of the text, one walk of the
 * tree, both in document order, paired up and sorted by node address. */
#include "json_lines.h"
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef VEC(long) longs_t;

/* Whether t[i] ends a line: an LF, or a CR not followed by one (a profile saved with CR
 * line ends, as old Mac editors do, has its lines too; a CRLF is one line end). */
static int ends_line(const char *t, size_t i, size_t len)
{
    return t[i] == '\n' || (t[i] == '\r' && (i + 1 >= len || t[i + 1] != '\n'));
}

long json_line_at(const char *text, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += ends_line(text, i, off + 1);
    return line;
}

static size_t skip_blank(const char *t, size_t i, size_t len, long *line)
{
    for (; i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'); i++)
        *line += ends_line(t, i, len);
    return i;
}

/* Past the string starting at t[i] (a quote). */
static size_t skip_string(const char *t, size_t i, size_t len)
{
    for (i++; i < len && t[i] != '"'; i++)
        if (t[i] == '\\')
            i++;
    return i + 1;
}

/* The line of every value in document order (a value right after ':' is its key's) into
 * out unless NULL; the number of values. */
static size_t scan_lines(const char *t, size_t len, longs_t *out)
{
    size_t count = 0;
    long line = 1;
    int after_colon = 0;
    size_t i = 0;
    while ((i = skip_blank(t, i, len, &line)) < len) {
        char c = t[i];
        if (c == ':' || c == ',' || c == ']' || c == '}') {
            after_colon = c == ':';
            i++;
            continue;
        }
        long at = line;
        if (c == '"') {
            i = skip_string(t, i, len);
            long l2 = line;
            size_t j = skip_blank(t, i, len, &l2);
            if (j < len && t[j] == ':') { /* a key: the member's line */
                if (out)
                    VEC_PUSH(*out, at);
                count++;
                after_colon = 0;
                continue;
            }
        } else if (c == '{' || c == '[') {
            i++;
        } else { /* a number, a literal or a stray byte: at least one byte, so a NUL
                  * (which strchr would find in its set's terminator) cannot stall the scan */
            for (i++; i < len && t[i] && !strchr(" \t\r\n,]}:", t[i]); i++)
                ;
        }
        if (!after_colon && out)
            VEC_PUSH(*out, at);
        count += !after_colon;
        after_colon = 0;
    }
    return count;
}

size_t json_count_values(const char *text, size_t len)
{
    return scan_lines(text, len, NULL);
}

typedef struct {
    const cJSON *node;
    long line;
} pair_t;

static void walk(const cJSON *n, const longs_t *lines, size_t *k, pair_t *out, int *bad)
{
    for (; n && !*bad; n = n->next) {
        if (*k >= lines->n) {
            *bad = 1;
            return;
        }
        out[*k] = (pair_t){n, lines->items[*k]};
        (*k)++;
        if (n->child)
            walk(n->child, lines, k, out, bad);
    }
}

static int pair_cmp(const void *x, const void *y)
{
    uintptr_t a = (uintptr_t)((const pair_t *)x)->node, b = (uintptr_t)((const pair_t *)y)->node;
    return (a > b) - (a < b);
}

int json_lines_build(json_lines_t *m, const cJSON *root, const char *text, size_t len)
{
    memset(m, 0, sizeof *m);
    longs_t lines = {0};
    scan_lines(text, len, &lines);
    pair_t *pairs = xcalloc(lines.n, sizeof *pairs);
    size_t k = 0;
    int bad = 0;
    /* The root alone: its siblings pointers are not part of the document. */
    if (root && lines.n) {
        pairs[k++] = (pair_t){root, lines.items[0]};
        walk(root->child, &lines, &k, pairs, &bad);
    }
    if (bad || k != lines.n) {
        free(pairs);
        VEC_FREE(lines);
        return -1;
    }
    qsort(pairs, k, sizeof *pairs, pair_cmp);
    m->nodes = xcalloc(k, sizeof *m->nodes);
    m->lines = xcalloc(k, sizeof *m->lines);
    for (size_t i = 0; i < k; i++)
        m->nodes[i] = pairs[i].node, m->lines[i] = pairs[i].line;
    m->n = k;
    free(pairs);
    VEC_FREE(lines);
    return 0;
}

long json_line_of(const json_lines_t *m, const cJSON *node)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)m->nodes[mid] < (uintptr_t)node)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->nodes[lo] == node ? m->lines[lo] : 0;
}

void json_lines_free(json_lines_t *m)
{
    free(m->nodes);
    free(m->lines);
    memset(m, 0, sizeof *m);
}
