/* Record strings packed in blocks, shared names stored once (src/strpool.h). */
#include "strpool.h"
#include "keyidx.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define BLOCK (1 << 20)
#define OWN_BLOCK (BLOCK / 8) /* a longer string is a block of its own: no block wasted */

static char *new_block(strpool_t *p, size_t size)
{
    if (p->nblocks == p->capblocks) {
        p->capblocks = p->capblocks ? p->capblocks * 2 : 64;
        p->blocks = xrealloc(p->blocks, p->capblocks * sizeof *p->blocks);
    }
    return p->blocks[p->nblocks++] = xmalloc(size);
}

static char *store(strpool_t *p, const char *s, size_t n)
{
    char *d;
    if (n + 1 > OWN_BLOCK) {
        d = new_block(p, n + 1);
    } else {
        if (p->left < n + 1) {
            p->at = new_block(p, BLOCK);
            p->left = BLOCK;
        }
        d = p->at;
        p->at += n + 1;
        p->left -= n + 1;
    }
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *strpool_copy(strpool_t *p, const char *s)
{
    return store(p, s, strlen(s));
}

static void grow(strpool_t *p)
{
    size_t old = p->nslots;
    char **slots = p->slots;
    uint64_t *hashes = p->hashes;
    p->nslots = old ? old * 2 : 1024;
    p->slots = xcalloc(p->nslots, sizeof *p->slots);
    p->hashes = xcalloc(p->nslots, sizeof *p->hashes);
    for (size_t i = 0; i < old; i++) {
        if (!slots[i])
            continue;
        size_t k = hashes[i] & (p->nslots - 1);
        while (p->slots[k])
            k = (k + 1) & (p->nslots - 1);
        p->slots[k] = slots[i];
        p->hashes[k] = hashes[i];
    }
    free(slots);
    free(hashes);
}

char *strpool_intern(strpool_t *p, const char *s)
{
    size_t n = strlen(s);
    uint64_t h = key_hash(KEY_HASH_INIT, s, n);
    if (p->used * 2 >= p->nslots)
        grow(p);
    size_t k = h & (p->nslots - 1);
    for (; p->slots[k]; k = (k + 1) & (p->nslots - 1))
        if (p->hashes[k] == h && !strcmp(p->slots[k], s))
            return p->slots[k];
    p->used++;
    p->hashes[k] = h;
    return p->slots[k] = store(p, s, n);
}

void strpool_free(strpool_t *p)
{
    for (size_t i = 0; i < p->nblocks; i++)
        free(p->blocks[i]);
    free(p->blocks);
    free(p->slots);
    free(p->hashes);
    memset(p, 0, sizeof *p);
}
