/* A hash index from 64-bit key hashes to array positions, for the lookups that must stay
 * linear in the input (duplicate lines, bundle names). The caller keeps the keys: the index
 * only narrows a lookup to the positions stored under the same hash, and the caller compares
 * the keys themselves, so a collision costs time, never a wrong answer. */
#ifndef BILLAUDIT_KEYIDX_H
#define BILLAUDIT_KEYIDX_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *hash;
    size_t *pos; /* position + 1; 0 = empty slot */
    size_t n, cap;
} keyidx_t;

#define KEY_HASH_INIT 0xcbf29ce484222325ull
/* Continues hash h (start with KEY_HASH_INIT) over n bytes: FNV-1a, so that a key made of
 * several fields is hashed field by field, and a prefix's hash extends byte by byte. */
uint64_t key_hash(uint64_t h, const void *p, size_t n);
static inline uint64_t key_hash_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * 0x100000001b3ull;
}

/* Stores position pos under hash h (several positions may share a hash). */
void keyidx_add(keyidx_t *ix, uint64_t h, size_t pos);
/* The positions stored under h, in the order they were added: start with *it = 0; returns
 * KEYIDX_END when there are no more. */
#define KEYIDX_END ((size_t)-1)
size_t keyidx_next(const keyidx_t *ix, uint64_t h, size_t *it);
void keyidx_free(keyidx_t *ix);

#endif
