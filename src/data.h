/* Data files compiled into the binary (see tools/embed.c): keyword tables,
 * column aliases, the unfair-term catalogue, letter templates. */
#ifndef BILLAUDIT_DATA_H
#define BILLAUDIT_DATA_H
#include <stddef.h>

typedef struct {
    const char *name; /* path in the source tree, e.g. "rules/data/bill-classes.tsv" */
    const char *data;
    size_t len;
} data_file_t;

extern const data_file_t data_files[];

const data_file_t *data_find(const char *name);

/* Iterates a TSV data file: skips blank lines and lines starting with '#';
 * calls fn with the TAB-split fields (trimmed). Returns the number of rows. */
typedef void (*tsv_fn)(void *ctx, char **fields, int nfields, int lineno);
int data_tsv_each(const char *name, tsv_fn fn, void *ctx);

#endif
