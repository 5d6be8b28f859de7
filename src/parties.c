/* The operator a contract names in its preamble (src/parties.h). The preamble is read
 * line by line from the file (the clause splitter joins its lines), up to the first
 * numbered clause; a party is a label (乙方, 甲方, 服务提供方 …), a colon and a company. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "parties.h"
#include "data.h"
#include "rowsrc.h"
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREAMBLE_LINES 40

typedef struct {
    char *key, *op;
} opkey_t;
static VEC(opkey_t) opkeys;
static int opkeys_loaded;

static void opkey_row(void *ctx, char **f, int n, int lineno)
{
    (void)ctx, (void)lineno;
    if (n >= 2 && strcmp(f[1], "*")) {
        opkey_t k = {xstrdup(f[0]), xstrdup(f[1])};
        VEC_PUSH(opkeys, k);
    }
}

const char *party_operator(const char *name)
{
    if (!opkeys_loaded) {
        data_tsv_each("rules/data/operator-payees.tsv", opkey_row, NULL);
        opkeys_loaded = 1;
    }
    for (size_t i = 0; name && i < opkeys.n; i++)
        if (strstr(name, opkeys.items[i].key))
            return opkeys.items[i].op;
    return NULL;
}

void party_free(party_t *p)
{
    free(p->name);
    memset(p, 0, sizeof *p);
}

/* Label, an optional bracketed note, a colon, then the company: up to its last 公司. */
static const char party_rx[] =
    "(?:乙方|甲方|服务提供方|业务提供方|提供方|经营者|运营商)(?:[（(][^（）()]{0,12}[）)])?"
    "[ \\t　]*[:：][ \\t　]*([^ \\t　:：，,；;。]{2,60}?公司(?:[^ \\t　:：，,；;。]{0,20}?公司)?)";

static pcre2_code *compiled(void)
{
    static pcre2_code *re;
    if (!re) {
        int err;
        PCRE2_SIZE off;
        re =
            pcre2_compile((PCRE2_SPTR)party_rx, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    }
    return re;
}

/* The company an operator party line names; NULL when none (or a template's blank). */
static char *line_party(const char *line)
{
    pcre2_code *re = compiled();
    if (!re)
        return NULL;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    char *found = NULL;
    size_t at = 0, n = strlen(line);
    while (!found && at < n && pcre2_match(re, (PCRE2_SPTR)line, n, at, 0, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        char *name = xstrndup(line + ov[2], ov[3] - ov[2]);
        at = ov[1] > at ? ov[1] : at + 1;
        /* "星河通信有限公司____分公司": a blank form; "李明" is no company: neither is a party */
        if (!strchr(name, '_') && !strstr(name, "＿") && party_operator(name))
            found = name;
        else if (!strchr(name, '_') && !strstr(name, "＿") && strstr(name, "通信"))
            found = name;
        else
            free(name);
    }
    pcre2_match_data_free(md);
    return found;
}

static int source_party(const audit_t *a, int src, party_t *out)
{
    char err[256];
    textsrc_t *ts = textsrc_open(a->sources.items[src].path, err, sizeof err);
    if (!ts)
        return -1;
    size_t n;
    long lineno;
    const char *line;
    int found = -1;
    while (found < 0 && (line = textsrc_line(ts, &n, &lineno)) != NULL &&
           lineno <= PREAMBLE_LINES) {
        char *copy = xstrndup(line, n);
        char *name = line_party(copy);
        free(copy);
        if (name) {
            out->name = name;
            out->operator_id = party_operator(name);
            out->src = src;
            out->line = lineno;
            found = 0;
        }
    }
    textsrc_close(ts);
    return found;
}

static int is_contract(const source_t *s)
{
    return s->format && !strcmp(s->format, "contract-text") && s->duplicate_of < 0;
}

int contract_party(const audit_t *a, party_t *out)
{
    memset(out, 0, sizeof *out);
    if (!a->party_name)
        return -1;
    out->name = xstrdup(a->party_name);
    out->operator_id = a->party_operator;
    out->src = a->party_src;
    out->line = a->party_line;
    return 0;
}

void parties_check(audit_t *a)
{
    for (size_t i = 0; i < a->sources.n; i++) {
        party_t p;
        memset(&p, 0, sizeof p);
        if (!is_contract(&a->sources.items[i]) || source_party(a, (int)i, &p) != 0)
            continue;
        if (!a->party_name) {
            a->party_name = xstrdup(p.name);
            a->party_operator = p.operator_id;
            a->party_src = p.src;
            a->party_line = p.line;
        }
        if (a->acct.operator_id && (!p.operator_id || strcmp(p.operator_id, a->acct.operator_id)))
            audit_warn(a, a->sources.items[i].path,
                       "line %ld: the contract names %s as the operator, not %s (the profile's "
                       "operator): check that it is the contract of this account",
                       p.line, p.name, a->acct.operator_id);
        party_free(&p);
    }
}
