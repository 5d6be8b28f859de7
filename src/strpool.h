/* Record strings, held compactly: the names many records share (a bill's categories and
 * items, a wallet's counterparties) stored once, and every other record string (a
 * citation's text, a transaction id) packed in large blocks. A million-line bill then
 * costs one allocation per block, not four per line; everything is freed at once with
 * the audit, never string by string. */
#ifndef BILLAUDIT_STRPOOL_H
#define BILLAUDIT_STRPOOL_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char **blocks;
    size_t nblocks, capblocks;
    char *at;    /* free space of the current block */
    size_t left; /* bytes of it */
    /* intern table: open addressing over the interned strings */
    char **slots;
    uint64_t *hashes;
    size_t nslots, used;
} strpool_t;

/* The one copy of s in the pool (equal strings give the same pointer). */
char *strpool_intern(strpool_t *p, const char *s);
/* A copy of s in the pool's blocks. */
char *strpool_copy(strpool_t *p, const char *s);
void strpool_free(strpool_t *p);

#endif
