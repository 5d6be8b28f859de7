/* OLE2 compound files (a legacy .xls): their sector chains checked before a reader
 * follows them (src/cfb.c). */
#ifndef BILLAUDIT_CFB_H
#define BILLAUDIT_CFB_H
#include "container.h"
#include <stddef.h>

/* -1 with the reason in why when a chain the workbook stream depends on points past the
 * file, loops, or ends before its stream does; 0 otherwise (also when the file is too
 * damaged to tell: the reader then names it). */
int cfb_check(const blob_t *b, char *why, size_t whylen);

#endif
