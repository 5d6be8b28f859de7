/* Exhibits (证据1, 证据2 …): the input files the findings cite, numbered in source order,
 * each described in words ("2025-01至2025-05账单，中国联通导出") with the lines cited and
 * its SHA-256; and for every cited line its fact in words (month, item, amount, date).
 * The account profile is the user's statement, never an exhibit. */
#ifndef BILLAUDIT_EXHIBITS_H
#define BILLAUDIT_EXHIBITS_H
#include "audit.h"

typedef struct {
    long line;
    char *raw;   /* the cited text, control characters shown as U+FFFD */
    char *fact;  /* the line in words, EXHIBIT_DAMAGED appended when damaged */
    int damaged; /* the line held undecodable bytes (prov_t.damaged) */
} exline_t;

/* What a citation of a damaged line adds: its U+FFFD stand for bytes that did not decode,
 * and the file (the bundle's copy too) holds them as they were. */
#define EXHIBIT_DAMAGED "（此行原文含无法解码的字节，显示为�；原始字节以原文件为准）"

typedef struct {
    int no;  /* 1-based */
    int src; /* index into audit_t.sources */
    char *desc;
    VEC(exline_t) lines; /* ascending, each once */
} exhibit_t;

typedef struct {
    VEC(exhibit_t) items;
    int *of_src; /* source index -> exhibit number, 0 when not an exhibit */
    size_t nsrc;
} exhibits_t;

/* Numbers every source a finding cites (evidence or support); the profile is none. */
void exhibits_build(exhibits_t *x, const audit_t *a);
void exhibits_free(exhibits_t *x);
/* The exhibit of source src (NULL when it is none) and the line's entry in it. */
const exhibit_t *exhibit_of(const exhibits_t *x, int src);
const exline_t *exhibit_line(const exhibit_t *e, long line);
/* "证据1第22行", "证据1第13、14行" for lines of one exhibit. Owned. */
char *exhibit_ref(const exhibit_t *e, const long *lines, size_t n);
/* "第12、13、14行" / "第3行". Owned. */
char *exhibit_lines_text(const exhibit_t *e);

/* The source described in words: what it is, its period and who exported it. Owned. */
char *source_desc(const audit_t *a, const source_t *s);

#endif
