/* Open addressing with linear probing; see keyidx.h. */
#include "keyidx.h"
#include "util.h"
#include <stdlib.h>

uint64_t key_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = key_hash_byte(h, s[i]);
    return h;
}

/* The slot a hash starts probing from: the high bits are mixed in, since FNV's low bits
 * alone vary little between keys that differ in their last byte. */
static size_t home(const keyidx_t *ix, uint64_t h)
{
    return (size_t)((h ^ h >> 29 ^ h >> 47) & (ix->cap - 1));
}

static void put(keyidx_t *ix, uint64_t h, size_t pos)
{
    size_t i = home(ix, h);
    while (ix->pos[i])
        i = (i + 1) & (ix->cap - 1);
    ix->hash[i] = h;
    ix->pos[i] = pos + 1;
    ix->n++;
}

/* Doubles the table (kept at most half full). Entries under one hash keep their probe
 * order, since they are re-inserted in slot order from each one's home. */
static void grow(keyidx_t *ix)
{
    keyidx_t old = *ix;
    ix->cap = old.cap ? old.cap * 2 : 64;
    ix->hash = xcalloc(ix->cap, sizeof *ix->hash);
    ix->pos = xcalloc(ix->cap, sizeof *ix->pos);
    ix->n = 0;
    /* Start after an empty slot so that no probe run is split across the wrap. */
    size_t start = 0;
    while (start < old.cap && old.pos[start])
        start++;
    for (size_t k = 0; k < old.cap; k++) {
        size_t i = (start + k) & (old.cap - 1);
        if (old.pos[i])
            put(ix, old.hash[i], old.pos[i] - 1);
    }
    free(old.hash);
    free(old.pos);
}

void keyidx_add(keyidx_t *ix, uint64_t h, size_t pos)
{
    if (2 * (ix->n + 1) > ix->cap)
        grow(ix);
    put(ix, h, pos);
}

size_t keyidx_next(const keyidx_t *ix, uint64_t h, size_t *it)
{
    if (!ix->cap)
        return KEYIDX_END;
    /* *it counts the slots already probed from h's home. */
    for (size_t i = (home(ix, h) + *it) & (ix->cap - 1); ix->pos[i]; i = (i + 1) & (ix->cap - 1)) {
        ++*it;
        if (ix->hash[i] == h)
            return ix->pos[i] - 1;
    }
    return KEYIDX_END;
}

void keyidx_free(keyidx_t *ix)
{
    free(ix->hash);
    free(ix->pos);
    ix->hash = NULL;
    ix->pos = NULL;
    ix->n = ix->cap = 0;
}
