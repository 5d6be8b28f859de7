/* Usage aggregated per (source, kind, day): the rules need only counts and fee
 * sums, so memory is bounded by days, not by rows. Open addressing, linear probe. */
#include "audit.h"
#include <stdlib.h>
#include <string.h>

struct usage_map {
    usage_day_t *slots;
    unsigned char *used;
    size_t cap, n;
};

static uint64_t key_of(int src, ukind_t kind, day_t day)
{
    return ((uint64_t)(uint32_t)src << 35) ^ ((uint64_t)kind << 32) ^ (uint32_t)day;
}

static size_t slot_of(const struct usage_map *m, int src, ukind_t kind, day_t day)
{
    uint64_t h = key_of(src, kind, day) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->used[i]) {
        const usage_day_t *u = &m->slots[i];
        if (u->src == src && u->kind == kind && u->day == day)
            return i;
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

static void grow(struct usage_map *m)
{
    struct usage_map old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    m->used = xcalloc(m->cap, 1);
    for (size_t i = 0; i < old.cap; i++)
        if (old.used[i]) {
            const usage_day_t *u = &old.slots[i];
            size_t j = slot_of(m, u->src, u->kind, u->day);
            m->slots[j] = *u;
            m->used[j] = 1;
        }
    free(old.slots);
    free(old.used);
}

void usage_add(audit_t *a, int src, ukind_t kind, day_t day, fen_t fee)
{
    if (!a->usage)
        a->usage = xcalloc(1, sizeof *a->usage);
    struct usage_map *m = a->usage;
    if ((m->n + 1) * 4 >= m->cap * 3)
        grow(m);
    size_t i = slot_of(m, src, kind, day);
    if (!m->used[i]) {
        m->used[i] = 1;
        m->slots[i] = (usage_day_t){src, kind, day, 0, 0};
        m->n++;
    }
    m->slots[i].count++;
    fen_add(&m->slots[i].fee, fee); /* held at its bound on overflow, never wrapped */
}

void usage_each(const audit_t *a, usage_fn fn, void *ctx)
{
    const struct usage_map *m = a->usage;
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->used[i] && fn(ctx, &m->slots[i]))
            return;
}

void usage_map_free(struct usage_map *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->used);
    free(m);
}
