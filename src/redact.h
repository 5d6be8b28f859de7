/* Masking personal data for a public complaint platform (bundle --redact): phone numbers,
 * names, ID numbers and street addresses, the same value always to the same mask. */
#ifndef BILLAUDIT_REDACT_H
#define BILLAUDIT_REDACT_H
#include "audit.h"

typedef struct redactor redactor_t;

/* Collects the literal values to mask from the profile (holder name, address, numbers) and
 * from the inputs' preambles (holder names), and compiles src/templates/redact.txt (the
 * patterns, and the name pattern built from its label words).
 * NULL when the pattern table cannot be compiled (message on stderr). */
redactor_t *redactor_new(const audit_t *a);
void redactor_free(redactor_t *r);
/* A masked copy of s[0..n) (NUL-terminated; length in *outlen). */
char *redact(const redactor_t *r, const char *s, size_t n, size_t *outlen);

/* The masks, exposed for the tests. */
char *mask_name(const char *name);    /* 李明 -> 李*            */
char *mask_address(const char *addr); /* 北京市朝阳区示例路8号 -> 北京市朝阳区**** */

#endif
