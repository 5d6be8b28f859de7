/* libzip on an input's bytes (src/container.h): a file, or bytes in memory. */
#ifndef BILLAUDIT_ZIPIO_H
#define BILLAUDIT_ZIPIO_H
#include "container.h"
#include <zip.h>

/* zip_open read-only on the file b->path, or on b->data; NULL with the libzip error code. */
zip_t *zip_open_blob(const blob_t *b, int *code);

/* Archives (src/zip.c): the file of passwords to try (never its content elsewhere). */
void zip_password_file(const char *path);
/* The bytes of the member named `member` of archive b (NUL-terminated); NULL with err. */
unsigned char *zip_extract(const blob_t *b, const char *member, size_t *len, char *err,
                           size_t errlen);

#endif
