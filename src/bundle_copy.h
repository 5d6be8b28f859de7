/* The copies of the inputs in a redacted bundle: header and cited rows only, masked
 * (src/bundle_copy.c). */
#ifndef BILLAUDIT_BUNDLE_COPY_H
#define BILLAUDIT_BUNDLE_COPY_H
#include "audit.h"
#include "redact.h"

/* The lines of source src a copy keeps: those before header_end (preamble, titles, column
 * names) and the cited ones (a cited clause of a contract: all its lines). */
typedef struct {
    long header_end;
    long *lines; /* ascending */
    size_t n;
} keep_t;
void keep_build(const audit_t *a, int src, keep_t *k);
int keep_has(const keep_t *k, long line);
void keep_free(keep_t *k);

/* Adds to red the identifier cells (redact.txt "column" headers) of the rows of src a copy
 * keeps, so that they are masked in every file. -1 when the rows cannot be read again. */
int collect_values(const audit_t *a, int src, redactor_t *red);
/* The masked copies (owned, length in *len); NULL when the file cannot be copied so. */
char *copy_text_redacted(const audit_t *a, int src, const redactor_t *red, size_t *len);
char *copy_xlsx_redacted(const audit_t *a, int src, const redactor_t *red, size_t *len);

#endif
