/* The parser registry: each input format is one file in parsers/ and one
 * row in parsers/registry.c. The format is chosen by content, never by name. */
#ifndef BILLAUDIT_PARSER_H
#define BILLAUDIT_PARSER_H
#include "audit.h"
#include "rowsrc.h"

#define SNIFF_ROWS 60
/* ...and rows holding at most this many bytes (raw text and cells, sniff_row_bytes): the
 * row crossing it is the last one taken. A row may hold a TEXT_MAX_LINE-byte line. */
#define SNIFF_MAX_BYTES (8 << 20)
size_t sniff_row_bytes(const row_t *r);

/* What a parser's sniff sees: the first rows of the file. */
typedef struct {
    const char *path;
    const container_t *container; /* src/container.h: ->prose when its lines can be prose */
    row_t rows[SNIFF_ROWS];       /* deep copies */
    int nrows;
    unsigned long serial; /* unique per loaded sniff (0: none), so parsers that share work
                           * on the same rows can tell them apart without comparing them */
    /* The work the layout parsers share on these rows (parsers/layout.c), made by the
     * first that needs it and freed with the sniff by heads_free. */
    struct lheads *heads;
    void (*heads_free)(struct lheads *);
} sniff_t;

/* What a parser's parse gets. */
typedef struct {
    audit_t *audit;
    int src;          /* index of this source in audit->sources */
    source_t *source; /* == &audit->sources.items[src] (do not keep across pushes) */
    const char *path;
    rowsrc_t *rows; /* opened in the mode the parser asked for */
    int verbose;
} parse_t;

typedef struct {
    const char *id;
    const char *description;
    rs_mode_t mode;
    /* 0 = not this format; higher = more certain. why (optional) says what matched. */
    int (*sniff)(const sniff_t *s, char *why, size_t whylen);
    /* Emits records into p->audit; rejects rows with parse_reject. 0, or -1 on a fatal error. */
    int (*parse)(parse_t *p);
    /* Optional, asked only when no parser took the file: how many of this format's
     * columns one row names while lacking a required one (0: none such); why then says
     * what was found and what is missing (near_reason). */
    int (*near)(const sniff_t *s, char *why, size_t whylen);
} parser_t;

extern const parser_t *const parsers[];

/* Helpers for parsers. */
void parse_reject(parse_t *p, const row_t *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
prov_t parse_prov(parse_t *p, const row_t *r);
source_t *parse_source(parse_t *p);
void parse_bill_line(parse_t *p, const row_t *r, bill_line_t *line);
void parse_usage(parse_t *p, const row_t *r, const usage_t *u);
void parse_payment(parse_t *p, const row_t *r, payment_t *pay);
void parse_credit(parse_t *p, const row_t *r, credit_t *c);
/* damaged: a line of the clause held undecodable bytes (prov_t.damaged). */
void parse_clause(parse_t *p, long line, const char *first_line, const char *text,
                  const char *label, int damaged);

/* The reason of a near miss: "looks like <what> (<found> found) but has <missing>",
 * cut at a character boundary to fit. */
void near_reason(char *why, size_t whylen, const char *what, const char *found,
                 const char *missing);

/* Detection result for one file. */
typedef struct {
    const parser_t *parser;
    const container_t *container;
    char encoding[32];
    char label[48];   /* the container as detect shows it: "csv", "xlsx", ... */
    char reason[512]; /* why it was not recognised */
    int score;
    int near;  /* the best near-miss count (reason then holds its why) */
    int sheet; /* the table that matched: a workbook's non-hidden sheet, an HTML table */
} detect_t;
struct blob;
/* 0 when a parser took the input, else -1 with d->reason (for an archive, whose members
 * are the inputs: d->container->members set). scores (optional) gets a line per parser
 * and table: its score and what matched. */
int detect_blob(const struct blob *b, detect_t *d, sbuf_t *scores);
int detect_file(const char *path, detect_t *d, sbuf_t *scores);
/* Opens the rows a detection chose (the matching table). */
rowsrc_t *detect_open_blob(const struct blob *b, const detect_t *d, rs_mode_t mode, char *err,
                           size_t errlen);
rowsrc_t *detect_open(const char *path, const detect_t *d, rs_mode_t mode, char *err,
                      size_t errlen);
/* "operator-bill, usage-voice, ..." */
const char *known_formats(void);

#endif
