/* The audit: account profile, sources, the records they yield, findings. */
#ifndef BILLAUDIT_AUDIT_H
#define BILLAUDIT_AUDIT_H
#include "model.h"
#include "rowsrc.h"
#include "strpool.h"

/* ---- account profile (doc/profile.md) ---- */
typedef enum { SVC_MOBILE, SVC_BROADBAND } svc_kind_t;
typedef struct {
    char *name;
    svc_kind_t kind;
    int has_fee;
    fen_t monthly_fee;
    day_t start, end, cancelled; /* NO_DAY when absent */
    /* What the user has of the cancellation request (doc/profile.md): the channel
     * it was made through (10010, 营业厅, App) and the work-order number it got. */
    char *cancel_channel, *cancel_reference;
    char *account;     /* 宽带账号: the account the service is billed under */
    const char *field; /* "account.plan" or "account.services[1]" for evidence */
} service_t;
typedef struct {
    char *service; /* NULL = the mobile plan */
    day_t from, to;
    fen_t allowed_fee;
    int has_allowed;
    int svc; /* resolved service index, -1 = unresolved */
} suspension_t;
typedef struct {
    char *to, *channel, *reference, *reply;
    day_t date, reply_date;
} complaint_t;
typedef struct {
    char *operator_id; /* china-mobile | china-telecom | china-unicom */
    char *number, *province;
    char *holder_name, *holder_address, *holder_phone, *holder_postcode;
    VEC(service_t) services; /* the plan, if any, is the one with kind SVC_MOBILE */
    int plan;                /* index of the plan in services, -1 when none */
    int has_subscriptions;
    VEC(char *) subscriptions;
    VEC(suspension_t) suspensions;
    ym_t coverage_from, coverage_to; /* NO_YM when absent */
    VEC(complaint_t) complaints;
    /* The respondent of an appeal as the user writes it (AP-12(二)): the operator's company
     * and its address; the letters take the name from a contract's preamble otherwise. */
    char *respondent_name, *respondent_address;
    int loaded; /* 0 when no -a was given */
} account_t;

/* 0 on success; on failure msg holds "PATH:LINE: what is wrong" (the line of the value at
 * fault; "PATH: ..." when the file cannot be read), to print as it is. */
int account_load(account_t *a, const char *path, char *msg, size_t msglen);
void account_free(account_t *a);
/* Does a number written in a file (maybe masked "139****5678") name the account's number? */
int account_number_matches(const account_t *a, const char *num);

/* ---- sources ---- */
typedef struct {
    char *path;
    const char *format; /* parser id, NULL when skipped */
    char encoding[32];
    char sha256[65];
    long records, rejected, summaries;
    ym_t from, to;            /* months the records (or declared period) cover */
    day_t decl_from, decl_to; /* declared query period (after the export cut), NO_DAY when none */
    prov_t decl;              /* the preamble line that declared it (evidence) */
    ym_t bill_from, bill_to;  /* bill sources: declared bill months */
    char *number, *holder, *operator_name;
    day_t exported;
    long first_row;   /* line of the first record or rejected row, 0 when none: the
                         lines before it are the header (a redacted copy keeps them) */
    int duplicate_of; /* index of an identical earlier source, -1 */
    int ukind;        /* usage kind for usage sources, -1 otherwise */
    /* An archive member: path is "a.zip!dir/b.csv"; archive the file,
     * member its name in the archive, inner its name inside a ZIP member (else NULL);
     * sha256 is the member's bytes, archive_sha256 the archive file's. */
    char *archive, *member, *inner;
    char archive_sha256[65];
    char label[24];  /* how the member was stored: "zip", "zip(aes)", "zip(zipcrypto)" */
    char reader[48]; /* the container its rows came from: "csv", "xls", "pdf p1–3", ... */
    char *note;      /* a remark on the file that is no data problem (detect, JSON), or NULL */
} source_t;

/* The bytes of source src as the parser read them (a file, or a member extracted again);
 * NUL-terminated, NULL with err. */
unsigned char *source_bytes(const source_t *s, size_t *len, char *err, size_t errlen);
struct blob;
/* The input of source s: the file, or (an archive member) its bytes extracted again into
 * *owned, which the caller frees once done with b. -1 with err. */
int source_blob(const source_t *s, struct blob *b, unsigned char **owned, char *err, size_t errlen);
/* The name an evidence entry cites as its source: the archive of a member, else the path. */
const char *source_file(const source_t *s);

typedef struct {
    char *path, *reason;
} skip_t;
/* The reason given for the account profile met in a scanned folder: an input, not a
 * problem (cron does not report it). */
#define SKIP_PROFILE "the account profile (-a)"

typedef struct {
    char *source, *message;
} warning_t;

/* ---- findings ---- */
/* A line of the operator's own records that backs a finding without being what it
 * claims (a penalty line that shows the cancellation was processed, an earlier bill at the
 * contracted fee, the itemised deduction): cited, numbered as an exhibit, never hashed into
 * the id, so adding a file to the folder does not make an old finding look new. */
typedef struct {
    prov_t prov;
    char *note; /* what the line shows, in words */
} support_t;

typedef struct {
    char id[16];
    const char *rule, *category, *severity;
    ym_t period; /* NO_YM for unfair terms */
    fen_t amount;
    char *service; /* name of the service concerned (hashed into the id) */
    char *title, *explanation, *remedy;
    day_t event, deadline;    /* NO_DAY when not a money finding */
    const char *term_type;    /* unfair-term only */
    const char *const *basis; /* ids into the law table, NULL-terminated */
    const char *stmt;         /* the legal statement ending the explanation (statements.tsv) */
    /* The input lines the claim rests on; src < 0: the profile line of a fact the user
     * states (kept for the id, shown as 用户陈述, never as an exhibit). */
    VEC(prov_t) evidence;
    VEC(support_t) support;
    VEC(char *) statements; /* what the user states (the profile), in words */
} finding_t;

/* Usage aggregated per (source, kind, day): what the rules need, bounded memory. */
typedef struct {
    int src;
    ukind_t kind;
    day_t day;
    long count;
    fen_t fee;
} usage_day_t;

/* An itemised value-added / third-party deduction (usage-vas): evidence only. */
typedef struct {
    ts_t time;
    char *name, *provider;
    fen_t fee;
    prov_t prov;
} vas_rec_t;

struct rule_skip {
    const char *rule, *needs;
};
struct umonth {
    ukind_t kind;
    ym_t ym;
    long count;
    fen_t fee;
};

typedef struct audit {
    account_t acct;
    VEC(source_t) sources;
    VEC(skip_t) skipped;
    VEC(warning_t) warnings;
    VEC(bill_line_t) bills;
    VEC(payment_t) payments;
    VEC(credit_t) credits;
    VEC(clause_t) clauses;
    VEC(vas_rec_t) vas_records; /* itemised value-added deductions (evidence only) */
    /* The strings of bills, payments, credits and vas_records (and their citations' text):
     * freed with the audit, never one by one. */
    strpool_t strings;
    struct usage_map *usage; /* (src, kind, day) -> count, fee */
    VEC(finding_t) findings;
    VEC(struct rule_skip) rules_skipped;
    ym_t since, until; /* --since/--until, NO_YM when open */
    VEC(struct umonth) umonths;
    int strict;
    int terms_only; /* billaudit terms: a contract review, not a bill audit */
    int fatal;      /* a rejected row under --strict */
    int bad_input;  /* a file named on the command line could not be used */
    /* The operator's company the first contract's preamble names (src/parties.c), read once
     * by the audit: a bundle renders with the inputs renamed. NULL when none. */
    char *party_name;
    const char *party_operator; /* its operator id, NULL: another company */
    int party_src;
    long party_line;
    char *account_path;      /* -a, for evidence that cites the profile */
    char account_sha256[65]; /* of the profile when loaded: a bundle renames account_path */
    sbuf_t *dump;            /* detect --records: normalised records are written here */
    sbuf_t *scores;          /* detect --verbose: each parser's score for each file */
} audit_t;

void audit_init(audit_t *a);
void audit_free(audit_t *a);
void audit_warn(audit_t *a, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
char *prov_text_dup(const prov_t *p);
prov_t prov_copy(const prov_t *p);

/* Usage aggregation. */
void usage_add(audit_t *a, int src, ukind_t kind, day_t day, fen_t fee);
/* Iterates aggregated usage; fn returns nonzero to stop. */
typedef int (*usage_fn)(void *ctx, const usage_day_t *u);
void usage_each(const audit_t *a, usage_fn fn, void *ctx);

/* Reads every PATH (files, directories recursively, hidden entries skipped), in path
 * byte order; detects and parses each. -1 when a named file was unusable (exit 2). */
int audit_load(audit_t *a, char **paths, int npaths);

/* audit_load in two steps, for callers that report file by file (detect). */
typedef struct {
    char *path;
    int named; /* given on the command line: unusable is an error, not a skip */
} input_t;
typedef VEC(input_t) inputs_t;
/* The files PATHs name, in read order: directories scanned (entries that cannot be
 * read go to skipped), sorted by path bytes, each path once. A missing PATH is
 * diagnosed and sets bad_input. */
void audit_inputs(audit_t *a, char **paths, int npaths, inputs_t *out);
void inputs_free(inputs_t *in);
/* Detects and parses the inputs in order; after (optional) runs once each input has
 * been parsed, skipped or refused. -1 when a named file was unusable. */
typedef void (*input_fn)(audit_t *a, const input_t *in, void *ctx);
int audit_load_inputs(audit_t *a, const inputs_t *in, input_fn after, void *ctx);
/* Post-processing: one source per month, de-duplication, classes, links. */
void audit_prepare(audit_t *a);
/* The class a name of rules/data/bill-classes.tsv stands for ("neutral": CL_OTHER); 0 for
 * a name that is no class (broadband, summary). */
int bill_class_named(const char *name, bill_class_t *out);

/* Links of bill lines (bill_line_t.service) besides a service index. */
#define LINK_PLAN_ABSENT (-1) /* the mobile plan, not described in the profile */
#define LINK_VAS (-2)         /* a subscribed value-added service billed as recurring */
#define LINK_NONE (-3)        /* a broadband line with no broadband service in the profile */

/* Coverage (doc/formats.md): is month m wholly inside the declared periods of the usage
 * logs of kind k (or in account.usage_coverage)? */
int usage_covered(const audit_t *a, ukind_t k, ym_t m);
/* The mobile plan's month: voice, data and SMS all covered. */
int mobile_covered(const audit_t *a, ym_t m);
/* Usage records of kind k in month m after same-day conflicts between files are resolved. */
long usage_count(const audit_t *a, ukind_t k, ym_t m, fen_t *fee);
/* Adds the declared-period lines that make the coverage of (k, m) meaningful. */
void coverage_evidence(const audit_t *a, ukind_t k, ym_t m, finding_t *f);
/* Is the line a plan line / which service does it belong to? */
int line_is_plan(const audit_t *a, const bill_line_t *b);
/* Is the item one of account.subscriptions (width and spaces normalised, either contains
 * the other)? */
int subscribed(const audit_t *a, const char *item);
/* Bill lines of month m that count (not excluded, not duplicate copies). */
int bill_counts(const bill_line_t *b);
/* Marks dup on every line of lines[0..n) that repeats an earlier counted line (same month,
 * amount, category and item; positive amounts only). Linear: lines are found by hash (the
 * audit passes bill_line_hash; tests pass a colliding one to exercise the key comparison). */
void mark_duplicate_lines(bill_line_t *lines, size_t n, uint64_t (*hash)(const bill_line_t *));
uint64_t bill_line_hash(const bill_line_t *b);

finding_t *finding_new(audit_t *a, const char *rule_id);
void finding_evidence(finding_t *f, const prov_t *p);
/* A supporting line (once per line; also never one the evidence cites) with its note. */
void finding_support(finding_t *f, const prov_t *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A fact the user states (the profile), in words. */
void finding_statement(finding_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_clear(finding_t *f);
/* Drops the finding last created by finding_new (a candidate that did not hold). */
void finding_discard(audit_t *a);
/* Computes ids, deadlines, sorting: call once after all rules ran. */
void findings_finish(audit_t *a);

#endif
