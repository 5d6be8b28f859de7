/* The record string pool (src/strpool.c): names stored once, copies packed, long strings
 * in blocks of their own, everything freed at once. */
#include "strpool.h"
#include "unit.h"
#include <stdlib.h>
#include <string.h>

TEST(strpool_intern_and_copy)
{
    strpool_t p = {0};
    char *a = strpool_intern(&p, "增值业务费");
    char *b = strpool_intern(&p, "增值业务费");
    CHECK(a == b);
    CHECK_STR(a, "增值业务费");
    CHECK(strpool_intern(&p, "") != NULL);
    char *c = strpool_copy(&p, "增值业务费");
    CHECK(c != a);
    CHECK_STR(c, "增值业务费");
    /* Many names through table growth: each still found, each the same pointer. */
    char name[32], *first[3000];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "业务%d", i);
        first[i] = strpool_intern(&p, name);
    }
    int same = 1;
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "业务%d", i);
        same &= strpool_intern(&p, name) == first[i] && !strcmp(first[i], name);
    }
    CHECK(same);
    /* Longer than a block's share: a block of its own, whole. */
    size_t n = 3 << 20;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = 0;
    char *kept = strpool_copy(&p, big);
    CHECK(strlen(kept) == n);
    CHECK_STR(strpool_intern(&p, "增值业务费"), a);
    free(big);
    strpool_free(&p);
    CHECK(p.nblocks == 0 && p.slots == NULL);
}
