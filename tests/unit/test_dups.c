/* Duplicate bill lines found by hash (mark_duplicate_lines) give the same marks as the
 * plain comparison of every pair, also when every key collides on one hash, and the hash
 * index returns every position stored under a hash. */
#include "audit.h"
#include "keyidx.h"
#include "unit.h"
#include <stdlib.h>

static uint64_t same_hash(const bill_line_t *b)
{
    (void)b;
    return 42;
}

static uint64_t two_hashes(const bill_line_t *b)
{
    return (uint64_t)(b->amount & 1);
}

/* The definition, pair by pair: a copy of an earlier line that counts. */
static void reference_marks(bill_line_t *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (l[i].excluded || l[i].amount <= 0)
            continue;
        for (size_t j = 0; j < i && !l[i].dup; j++)
            l[i].dup = !l[j].excluded && !l[j].dup && l[j].period == l[i].period &&
                       l[j].amount == l[i].amount && !strcmp(l[j].category, l[i].category) &&
                       !strcmp(l[j].item, l[i].item);
    }
}

/* n lines drawn from few months, amounts, categories and items, so that keys repeat and
 * differ in one field only; some excluded, some zero or negative. */
static bill_line_t *random_lines(size_t n, unsigned seed)
{
    static char *cats[] = {"套餐及固定费", "增值业务费", "", "套餐及固定费 "};
    static char *items[] = {"基本月租", "视频会员", "基本月租a", "", "ab", "a"};
    bill_line_t *l = calloc(n, sizeof *l);
    srand(seed);
    for (size_t i = 0; i < n; i++) {
        l[i].period = ym_make(2025, 1 + rand() % 3);
        l[i].amount = rand() % 5 - 1; /* -1 .. 3 fen */
        l[i].category = cats[rand() % 4];
        l[i].item = items[rand() % 6];
        l[i].excluded = rand() % 7 == 0;
    }
    return l;
}

static int marks_agree(size_t n, unsigned seed, uint64_t (*hash)(const bill_line_t *))
{
    bill_line_t *want = random_lines(n, seed), *got = random_lines(n, seed);
    reference_marks(want, n);
    mark_duplicate_lines(got, n, hash);
    size_t same = 0, dups = 0;
    for (size_t i = 0; i < n; i++)
        same += got[i].dup == want[i].dup, dups += want[i].dup;
    free(want), free(got);
    return same == n && dups > 0 && dups < n; /* and the case is not trivial */
}

TEST(dup_lines_by_hash)
{
    for (unsigned seed = 1; seed <= 20; seed++) {
        CHECK(marks_agree(400, seed, bill_line_hash));
        CHECK(marks_agree(400, seed, same_hash));
        CHECK(marks_agree(400, seed, two_hashes));
    }
}

TEST(dup_lines_fields)
{
    bill_line_t l[5] = {
        {.period = 1, .amount = 100, .category = "a", .item = "bc"},
        {.period = 1, .amount = 100, .category = "ab", .item = "c"}, /* not the same fields */
        {.period = 1, .amount = 100, .category = "a", .item = "bc"}, /* a copy */
        {.period = 2, .amount = 100, .category = "a", .item = "bc"}, /* another month */
        {.period = 1, .amount = 100, .category = "a", .item = "bc", .excluded = 1},
    };
    mark_duplicate_lines(l, 5, same_hash);
    CHECK(!l[0].dup && !l[1].dup && l[2].dup && !l[3].dup && !l[4].dup);
}

TEST(keyidx_collisions)
{
    keyidx_t ix = {0};
    for (size_t i = 0; i < 1000; i++)
        keyidx_add(&ix, i % 3, i); /* grows several times with long probe runs */
    for (uint64_t h = 0; h < 4; h++) {
        size_t it = 0, pos, count = 0, last = 0, ordered = 1;
        while ((pos = keyidx_next(&ix, h, &it)) != KEYIDX_END) {
            ordered &= pos % 3 == h && (count == 0 || pos > last);
            last = pos, count++;
        }
        CHECK(ordered);
        CHECK_INT((int)count, h < 3 ? (int)(1000 - h + 2) / 3 : 0);
    }
    keyidx_free(&ix);
    size_t it = 0;
    CHECK(keyidx_next(&ix, 0, &it) == KEYIDX_END);
}
