/* The container registry (src/container.h): magic bytes -> the container that reads
 * them. Order matters: a more specific magic before a shared one (XLSX before a plain
 * ZIP archive), the catch-all text container last. Adding a container is one line here. */
#include "container.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- recognised only to be refused ---- */

static int refuse(char *why, size_t whylen, const char *msg)
{
    snprintf(why, whylen, "%s", msg);
    return 1;
}

static int image_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b;
    if (n >= 3 && !memcmp(h, "\xFF\xD8\xFF", 3))
        return refuse(why, whylen, "a JPEG image, not a bill");
    if (n >= 8 && !memcmp(h, "\x89PNG", 4))
        return refuse(why, whylen, "a PNG image, not a bill");
    return 0;
}
static const container_t container_image_refused = {"image", image_sniff, NULL, NULL, 0};

static int empty_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b;
    if (n == 0)
        return refuse(why, whylen, "empty file");
    if (n == 3 && !memcmp(h, "\xEF\xBB\xBF", 3))
        return refuse(why, whylen, "empty file (only a byte-order mark)");
    return 0;
}
static const container_t container_empty = {"empty", empty_sniff, NULL, NULL, 0};

/* NUL bytes outside UTF-16 text: not a text or spreadsheet file. */
static int binary_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b;
    if (n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF)))
        return 0;
    return memchr(h, 0, n) &&
           refuse(why, whylen, "binary data (NUL bytes), not a text or spreadsheet file");
}
static const container_t container_binary = {"binary", binary_sniff, NULL, NULL, 0};

/* ---- the table ---- */

const container_t *const containers[] = {
    &container_zip,           /* PK\3\4 without xl/workbook.xml: an archive */
    &container_xlsx,          /* PK\3\4 */
    &container_xls,           /* OLE2 D0 CF 11 E0: legacy BIFF8 workbook */
    &container_pdf,           /* %PDF-: tables from its text layer */
    &container_image_refused, /* JPEG, PNG */
    &container_xml2003,       /* <?xml + the spreadsheet namespace: XML Spreadsheet 2003 */
    &container_html_table,    /* <html, <table, <!DOCTYPE html: a page's tables */
    &container_empty,
    &container_binary,
    &container_text, /* last: everything else is text */
    NULL,
};

/* ---- bytes ---- */

int blob_open_file(const char *path, char *err, size_t errlen)
{
    return open_regular(path, err, errlen);
}

long blob_head(const blob_t *b, unsigned char *buf, size_t cap, char *err, size_t errlen)
{
    if (b->data) {
        size_t n = b->len < cap ? b->len : cap;
        memcpy(buf, b->data, n);
        return (long)n;
    }
    int fd = blob_open_file(b->path, err, errlen);
    if (fd < 0)
        return -1;
    size_t got = 0;
    ssize_t n = 0;
    while (got < cap && (n = read(fd, buf + got, cap - got)) > 0)
        got += (size_t)n;
    int e = errno;
    close(fd);
    if (n < 0) {
        snprintf(err, errlen, "cannot read: %s", strerror(e));
        return -1;
    }
    return (long)got;
}

unsigned char *blob_load(const blob_t *b, size_t max, size_t *len, char *err, size_t errlen)
{
    if (b->data) {
        if (b->len > max) {
            snprintf(err, errlen, "over the %zu MiB this container reads", max >> 20);
            return NULL;
        }
        unsigned char *p = xmalloc(b->len + 1);
        memcpy(p, b->data, b->len);
        p[b->len] = 0;
        *len = b->len;
        return p;
    }
    int fd = blob_open_file(b->path, err, errlen);
    if (fd < 0)
        return NULL;
    sbuf_t s = {0};
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 && s.n <= max)
        sb_addn(&s, buf, (size_t)n);
    int e = errno;
    close(fd);
    if (n < 0 || s.n > max) {
        if (n < 0)
            snprintf(err, errlen, "cannot read: %s", strerror(e));
        else
            snprintf(err, errlen, "over the %zu MiB this container reads", max >> 20);
        sb_free(&s);
        return NULL;
    }
    *len = s.n;
    return (unsigned char *)sb_take(&s);
}

long blob_size(const blob_t *b)
{
    struct stat st;
    if (b->data)
        return (long)b->len;
    return stat(b->path, &st) == 0 ? (long)st.st_size : 0;
}

/* A container that stands for "could not be read at all". */
static const container_t container_unreadable = {"unreadable", NULL, NULL, NULL, 0};

const container_t *container_of(const blob_t *b, char *why, size_t whylen)
{
    unsigned char head[CONTAINER_HEAD];
    long n = blob_head(b, head, sizeof head, why, whylen);
    if (n < 0)
        return &container_unreadable;
    for (int i = 0; containers[i]; i++)
        if (containers[i]->sniff(b, head, (size_t)n, why, whylen))
            return containers[i];
    return &container_text; /* not reached: text claims everything */
}

const container_t *container_sniff(const char *path, char *why, size_t whylen)
{
    blob_t b = blob_file(path);
    return container_of(&b, why, whylen);
}

rowsrc_t *rowsrc_open(const char *path, rs_mode_t mode, char *err, size_t errlen)
{
    char why[256] = "";
    blob_t b = blob_file(path);
    const container_t *c = container_of(&b, why, sizeof why);
    if (!c->open) {
        snprintf(err, errlen, "%s", why[0] ? why : "not a file of rows");
        return NULL;
    }
    if (mode == RS_LINES && !c->prose) {
        snprintf(err, errlen, "not a text file");
        return NULL;
    }
    return c->open(&b, 0, mode, err, errlen);
}
