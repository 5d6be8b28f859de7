/* The sector chains of an OLE2 compound file (a legacy .xls), checked before FreeXL reads
 * it (src/cfb.h). FreeXL follows a chain as far as the stream's size asks: a chain that
 * loops reads the same sectors again and hands their bytes over as the workbook (a
 * damaged file read as rows of garbage), one that points past the file is only sometimes
 * caught. Here every chain FreeXL will follow for the workbook is walked once: the
 * allocation table's own sectors (from the header and its DIFAT chain), the directory,
 * and the workbook stream (or, for a small one, the mini stream and its table). */
#include "cfb.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CFB_END 0xFFFFFFFEu        /* ENDOFCHAIN */
#define CFB_FREE 0xFFFFFFFFu       /* FREESECT */
#define CFB_MAX_SECTORS (1u << 24) /* 8 GiB of 512-byte sectors: past any file read */

typedef struct {
    const blob_t *b;
    int fd;
    uint64_t size;
    uint32_t ssz, nsect; /* sector size, sectors after the header */
    uint32_t *fat;
    uint32_t nfat; /* entries */
    unsigned char *seen;
    const char *why;
} cfb_t;

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* n bytes at off; -1 when the file is shorter. */
static int read_at(cfb_t *c, uint64_t off, unsigned char *buf, size_t n)
{
    if (off > c->size || n > c->size - off)
        return -1;
    if (c->b->data) {
        memcpy(buf, c->b->data + off, n);
        return 0;
    }
    return pread(c->fd, buf, n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

static int sector(cfb_t *c, uint32_t s, unsigned char *buf)
{
    return s < c->nsect ? read_at(c, 512 + (uint64_t)s * c->ssz, buf, c->ssz) : -1;
}

static int broken(cfb_t *c, const char *why)
{
    c->why = why;
    return -1;
}

/* Adds FAT sector s to the table. */
static int add_fat_sector(cfb_t *c, uint32_t s, unsigned char *buf)
{
    if (sector(c, s, buf) < 0)
        return broken(c, "an allocation-table sector past the end of the file");
    uint32_t per = c->ssz / 4;
    c->fat = realloc(c->fat, ((size_t)c->nfat + per) * sizeof *c->fat);
    if (!c->fat)
        return broken(c, "too large to check");
    for (uint32_t i = 0; i < per; i++)
        c->fat[c->nfat++] = u32(buf + 4 * i);
    return 0;
}

/* The allocation table: the header's 109 sector numbers, then the DIFAT chain's. */
static int load_fat(cfb_t *c, const unsigned char *h)
{
    uint32_t nfat = u32(h + 0x2C), difat = u32(h + 0x44), ndifat = u32(h + 0x48);
    if (nfat > c->nsect)
        return broken(c, "more allocation-table sectors than the file has");
    unsigned char *buf = malloc(c->ssz), *d = malloc(c->ssz);
    int rc = buf && d ? 0 : broken(c, "too large to check");
    uint32_t got = 0;
    for (uint32_t i = 0; rc == 0 && i < 109 && got < nfat; i++, got++)
        rc = add_fat_sector(c, u32(h + 0x4C + 4 * i), buf);
    for (uint32_t k = 0; rc == 0 && got < nfat; k++) {
        if (k >= ndifat || k > c->nsect || sector(c, difat, d) < 0) {
            rc = broken(c, "a DIFAT chain shorter than the allocation table");
            break;
        }
        for (uint32_t i = 0; rc == 0 && i + 1 < c->ssz / 4 && got < nfat; i++, got++)
            rc = add_fat_sector(c, u32(d + 4 * i), buf);
        difat = u32(d + c->ssz - 4);
    }
    free(buf);
    free(d);
    return rc;
}

/* Walks the chain from start through table (n entries) for at least need links (0: to
 * its end), over sectors below limit: each visited once. */
static int walk(cfb_t *c, const uint32_t *table, uint32_t n, uint32_t start, uint32_t need,
                uint32_t limit)
{
    memset(c->seen, 0, (c->nsect + 7) / 8);
    uint32_t s = start, steps = 0;
    while (s != CFB_END && (need == 0 || steps < need)) {
        if (s >= limit || s >= n || s == CFB_FREE)
            return broken(c, "a sector chain pointing past the end of the file");
        if (c->seen[s / 8] & (1u << (s % 8)))
            return broken(c, "a sector chain that loops back on itself");
        c->seen[s / 8] |= (unsigned char)(1u << (s % 8));
        steps++;
        s = table[s];
    }
    if (need && steps < need)
        return broken(c, "a sector chain shorter than its stream (a truncated file?)");
    return 0;
}

static uint32_t sectors_for(uint64_t bytes, uint32_t unit)
{
    return (uint32_t)((bytes + unit - 1) / unit);
}

/* The directory entry named Workbook (BIFF8) or Book (BIFF5), and the root entry. */
static int find_entries(cfb_t *c, uint32_t dir, unsigned char *wb, unsigned char *root)
{
    unsigned char *buf = malloc(c->ssz);
    int found = 0, first = 1;
    if (!buf)
        return broken(c, "too large to check");
    for (uint32_t s = dir, k = 0; s != CFB_END && k <= c->nsect && s < c->nfat;
         k++, s = c->fat[s]) {
        if (sector(c, s, buf) < 0)
            break;
        for (uint32_t e = 0; e < c->ssz / 128; e++) {
            const unsigned char *p = buf + 128 * e;
            char name[32];
            size_t n = 0;
            for (size_t i = 0; i + 1 < 64 && p[i] && n + 1 < sizeof name; i += 2)
                name[n++] = (char)p[i];
            name[n] = 0;
            if (first && e == 0)
                memcpy(root, p, 128);
            if (p[0x42] == 2 && (!strcmp(name, "Workbook") || (!found && !strcmp(name, "Book")))) {
                memcpy(wb, p, 128);
                found = 1;
            }
        }
        first = 0;
    }
    free(buf);
    return found ? 0 : 1; /* no workbook: FreeXL says so itself */
}

static int check(cfb_t *c)
{
    unsigned char h[512], wb[128], root[128];
    if (read_at(c, 0, h, sizeof h) < 0)
        return 1; /* FreeXL names a cut header itself */
    unsigned shift = h[0x1E] | h[0x1F] << 8;
    if (shift != 9 && shift != 12)
        return 1; /* not a compound file's header at all: FreeXL's "damaged workbook" */
    c->ssz = 1u << shift;
    uint64_t body = c->size > 512 ? c->size - 512 : 0;
    c->nsect = (uint32_t)(body / c->ssz + (body % c->ssz ? 1 : 0));
    if (c->nsect > CFB_MAX_SECTORS)
        return broken(c, "too large to check");
    if (load_fat(c, h) < 0)
        return -1;
    c->seen = calloc((c->nsect + 7) / 8 + 1, 1);
    if (!c->seen)
        return broken(c, "too large to check");
    uint32_t dir = u32(h + 0x30);
    if (walk(c, c->fat, c->nfat, dir, 0, c->nsect) < 0)
        return -1;
    int rc = find_entries(c, dir, wb, root);
    if (rc != 0)
        return rc;
    uint64_t size = u32(wb + 0x78);
    uint32_t start = u32(wb + 0x74), cutoff = u32(h + 0x38);
    if (size >= cutoff)
        return walk(c, c->fat, c->nfat, start, sectors_for(size, c->ssz), c->nsect);
    /* a small workbook lives in the mini stream: the root's chain, then the mini table */
    uint64_t mini = u32(root + 0x78);
    if (walk(c, c->fat, c->nfat, u32(root + 0x74), sectors_for(mini, c->ssz), c->nsect) < 0 ||
        walk(c, c->fat, c->nfat, u32(h + 0x3C), u32(h + 0x40), c->nsect) < 0)
        return -1;
    return 0; /* the mini table's own links are FreeXL's to follow, within the mini stream */
}

int cfb_check(const blob_t *b, char *why, size_t whylen)
{
    cfb_t c = {b, -1, 0, 0, 0, NULL, 0, NULL, NULL};
    struct stat st;
    if (b->data) {
        c.size = b->len;
    } else {
        c.fd = blob_open_file(b->path, why, whylen);
        if (c.fd < 0 || fstat(c.fd, &st) != 0) {
            if (c.fd >= 0)
                close(c.fd);
            return 1; /* FreeXL says why it cannot open it */
        }
        c.size = (uint64_t)st.st_size;
    }
    int rc = check(&c);
    if (rc < 0)
        snprintf(why, whylen, "%s", c.why);
    if (c.fd >= 0)
        close(c.fd);
    free(c.fat);
    free(c.seen);
    return rc < 0 ? -1 : 0;
}
