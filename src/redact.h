/* Masking personal data for a public complaint platform (bundle --redact): phone numbers
 * (anyone's), names and nicknames, ID, bank-card and passport numbers, street addresses and
 * postcodes, account numbers, transaction and order numbers, complaint references — the
 * same value always to the same mask. */
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
/* Masks value (4 bytes or more; not a keep word) wherever it appears, from now on: a cell of
 * an identifier column, a preamble fact. Call redactor_finish before redacting. */
void redactor_add_value(redactor_t *r, const char *value);
void redactor_finish(redactor_t *r);
/* Is header an identifier column (redact.txt "column" rows: 交易单号, 对方号码 …)? */
int redact_column(const redactor_t *r, const char *header);
/* Does s still hold a value the redactor masks (*which: the first)? Fail-closed check. */
int redact_leaks(const redactor_t *r, const char *s, size_t n, const char **which);

/* The masks, exposed for the tests. */
char *mask_name(const char *name);    /* 李明 -> 李*            */
char *mask_address(const char *addr); /* 北京市朝阳区示例路8号 -> 北京市朝阳区**** */
/* Any identifier by its shape: 13912345678 -> 139****5678, 010-88881234 -> 010-****1234,
 * an ID number, a@b.cn -> a***@b.cn, [小猫] -> [小*], 4200002588202503182105440002 ->
 * 420****0002, 100102 -> 10****. */
char *mask_value(const char *value);

#endif
