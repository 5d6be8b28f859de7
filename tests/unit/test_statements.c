/* Every legal statement billaudit prints, held next to the VERIFIED text of domain.md it
 * cites (tests/data/domain.md, the repository's copy): the law is VERIFIED, each quote is in
 * the statement and in the law's text, a word that gives a statement legal force is used
 * only when a cited text uses it, and every basis printed fits its category (domain.md §5).
 * The catalogue's explanations of the unfair-term types are statements too. */
#include "data.h"
#include "deadline.h"
#include "rule.h"
#include "unit.h"
#include <stdlib.h>

/* Words that give a sentence legal force: a statement may use one only when a text it
 * cites does (issue 21: "no claim says more than its basis"). */
static const char *const strong[] = {
    "无效",           "应当",     "必须",     "不得",     "有权",     "免收",
    "减免",           "退还",     "返还",     "退回",     "赔偿",     "违法",
    "侵犯",           "不予受理", "过分高于", "适当减少", "应予支持", "不成为合同的内容",
    "不符合法律规定", "法定",     NULL};

/* Claims the law does not make (issue 21 §3): never printed anywhere. */
static const char *const wrong[] = {"剩余合约费用的百分之三十",
                                    "合约剩余月费的30%",
                                    "一般不超过剩余",
                                    "并非违法认定",
                                    "这是请求，不是法定时限",
                                    "违法",
                                    "不符合法律规定",
                                    "依法可以拒绝",
                                    "随时免费取消",
                                    "可不受其约束",
                                    NULL};

/* ---- the unfair-term catalogue, read from its embedded files ---- */

typedef struct {
    char type[64];
    char explanation[4096];
    char remedy[1024];
    char basis[512];     /* the header's */
    char extra[16][512]; /* the entries' own basis lines */
    int nextra;
} ttype_t;

static void read_catalogue(ttype_t *out, int *n, int max)
{
    *n = 0;
    for (const data_file_t *f = data_files; f->name && *n < max; f++) {
        if (strncmp(f->name, "rules/terms/", 12) || f->name[12] == '_')
            continue;
        ttype_t *t = &out[(*n)++];
        memset(t, 0, sizeof *t);
        char *copy = xstrndup(f->data, f->len), *save = NULL;
        int in_entry = 0;
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            if (!strncmp(l, "id:", 3))
                in_entry = 1;
            else if (!strncmp(l, "term_type: ", 11))
                snprintf(t->type, sizeof t->type, "%s", l + 11);
            else if (!strncmp(l, "explanation: ", 13))
                snprintf(t->explanation, sizeof t->explanation, "%s", l + 13);
            else if (!strncmp(l, "remedy: ", 8))
                snprintf(t->remedy, sizeof t->remedy, "%s", l + 8);
            else if (!strncmp(l, "basis: ", 7) && !in_entry)
                snprintf(t->basis, sizeof t->basis, "%s", l + 7);
            else if (!strncmp(l, "basis: ", 7) && t->nextra < 16)
                snprintf(t->extra[t->nextra++], sizeof t->extra[0], "%s", l + 7);
        }
        free(copy);
    }
}

static const ttype_t *catalogue_type(const ttype_t *v, int n, const char *type)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i].type, type))
            return &v[i];
    return NULL;
}

/* ---- domain.md §5: the ids each category may cite ---- */

/* The §5 row whose first cell is exactly cell ("`post-cancellation`", "`unfair-term` /
 * `jurisdiction`", "every money finding"): its second cell, NULL when none. */
static char *section5_row(const char *doc, const char *cell)
{
    char *needle = xasprintf("\n| %s | ", cell);
    const char *p = strstr(doc, needle);
    char *row = NULL;
    if (p) {
        p += strlen(needle);
        const char *end = strstr(p, " |");
        row = end ? xstrndup(p, (size_t)(end - p)) : NULL;
    }
    free(needle);
    return row;
}

/* Does the §5 cell list id (as a whole id: "TR-40(一)" is not "TR-40(四)")? */
static int row_lists(const char *row, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = row ? strstr(row, id) : NULL; p; p = strstr(p + 1, id)) {
        char after = p[n];
        int boundary_before = p == row || strchr(" ,/(;", p[-1]);
        if (boundary_before && (after == 0 || strchr(",/ ;)", after)))
            return 1;
    }
    return 0;
}

/* ---- checks ---- */

static int quoted_in_text(const statement_t *st, const char *text, int *failed)
{
    int laws = 0;
    for (int i = 0; st->laws[i]; i++, laws++) {
        const law_t *l = law_find(st->laws[i]);
        if (!l) {
            fprintf(stderr, "statements.tsv:%d %s: %s is not a VERIFIED law\n", st->line, st->key,
                    st->laws[i]);
            (*failed)++;
            continue;
        }
        int quoted = 0;
        for (int q = 0; st->quotes && st->quotes[q].law; q++)
            quoted |= !strcmp(st->quotes[q].law, st->laws[i]);
        if (!quoted) {
            fprintf(stderr, "statements.tsv:%d %s: cites %s without quoting it\n", st->line,
                    st->key, st->laws[i]);
            (*failed)++;
        }
    }
    for (int q = 0; st->quotes && st->quotes[q].law; q++) {
        const stmt_quote_t *qt = &st->quotes[q];
        const law_t *l = law_find(qt->law);
        if (!statement_quotes_law(st, qt->law) || !l || !strstr(l->text, qt->text) ||
            !strstr(text, qt->text)) {
            fprintf(stderr, "statements.tsv %s: quote \"%s\" of %s is not in both texts\n", st->key,
                    qt->text, qt->law);
            (*failed)++;
        }
    }
    for (int w = 0; laws && strong[w]; w++) {
        if (!strstr(text, strong[w]))
            continue;
        int backed = 0;
        for (int i = 0; st->laws[i] && !backed; i++) {
            const law_t *l = law_find(st->laws[i]);
            backed = l && strstr(l->text, strong[w]);
        }
        if (!backed) {
            fprintf(stderr, "statements.tsv %s: \"%s\" says more than its laws\n", st->key,
                    strong[w]);
            (*failed)++;
        }
    }
    return laws;
}

static void never_wrong(const char *where, const char *text, int *failed)
{
    for (int w = 0; wrong[w]; w++)
        if (strstr(text, wrong[w])) {
            fprintf(stderr, "%s: says \"%s\"\n", where, wrong[w]);
            (*failed)++;
        }
}

typedef struct {
    ttype_t *types;
    int ntypes;
    const char *doc;
    int *failed;
    int count;
} sctx_t;

static void check_statement(const statement_t *st, void *ctx)
{
    sctx_t *c = ctx;
    int *unit_failed = c->failed;
    c->count++;
    const char *text = st->text;
    if (!strncmp(st->key, "term:", 5)) {
        const ttype_t *t = catalogue_type(c->types, c->ntypes, st->key + 5);
        CHECK(t != NULL && !strcmp(st->text, "="));
        if (!t)
            return;
        text = t->explanation;
    }
    never_wrong(st->key, text, c->failed);
    if (!quoted_in_text(st, text, c->failed)) {
        /* No VERIFIED text (the 12315 window, domain.md §3.4): printed by name, no article. */
        CHECK(strstr(text, "《市场监督管理投诉举报处理办法》") != NULL);
        CHECK(strstr(text, "第") == NULL);
        CHECK(strstr(c->doc, "Basis printed as 《市场监督管理投诉举报处理办法》, no article") !=
              NULL);
    }
}

TEST(statements_rest_on_verified_text)
{
    char *doc = unit_slurp("tests/data/domain.md");
    CHECK(doc != NULL);
    if (!doc)
        return;
    ttype_t types[16];
    int n;
    read_catalogue(types, &n, 16);
    CHECK_INT(n, 12);
    sctx_t c = {types, n, doc, unit_failed, 0};
    statements_each(check_statement, &c);
    CHECK(c.count > 30);
    /* the excessive-penalty wording, per SPC-C65 and CC-585 (issue 21 §3) */
    const statement_t *p = statement_find("excessive-penalty");
    CHECK(p && strstr(p->text, "超过造成损失的百分之三十") &&
          strstr(p->text, "人民法院或者仲裁机构"));
    free(doc);
}

/* A money rule's basis: the laws its statement quotes, or a route law (TR-39, CPL-52) whose
 * statement the letters print with the demands; each listed for its category in §5. */
TEST(rule_bases_fit_their_claims)
{
    char *doc = unit_slurp("tests/data/domain.md");
    if (!doc)
        return;
    char *money = section5_row(doc, "every money finding");
    CHECK(money != NULL);
    for (int i = 0; rules[i]; i++) {
        const rule_t *r = rules[i];
        if (!strcmp(r->id, "unfair-term"))
            continue;
        const statement_t *st = statement_find(r->category);
        CHECK(st != NULL);
        char *cell = xasprintf("`%s`", r->category);
        char *row = section5_row(doc, cell);
        CHECK(row != NULL);
        for (int k = 0; r->basis[k]; k++) {
            const char *id = r->basis[k];
            char *lk = xasprintf("law:%s", id);
            int ok = statement_quotes_law(st, id) || (law_is_route(id) && statement_find(lk));
            if (!ok)
                fprintf(stderr, "%s cites %s, which its statement does not quote\n", r->id, id);
            CHECK(ok);
            int listed = row_lists(row, id) || row_lists(money, id);
            if (!listed)
                fprintf(stderr, "%s cites %s, which domain.md §5 does not list for it\n", r->id,
                        id);
            CHECK(listed);
            free(lk);
        }
        free(cell), free(row);
    }
    free(money);
    /* The bases issue 21 found misplaced stay out. */
    const rule_t *pc = rule_find("post-cancellation"), *pm = rule_find("price-mismatch");
    for (int k = 0; pc->basis[k]; k++)
        CHECK(strcmp(pc->basis[k], "CPL-53") && strcmp(pc->basis[k], "CPR-22"));
    for (int k = 0; pm->basis[k]; k++)
        CHECK(strcmp(pm->basis[k], "TR-40(四)") && strcmp(pm->basis[k], "CPR-12"));
    free(doc);
}

/* Each unfair-term type: every law of its basis is quoted by its explanation, or has a
 * law:ID statement appended to it; each is listed for the type in §5; TR-32/TR-35 only on a
 * fault or interruption clause, never on a speed disclaimer. */
static void check_ids(const char *ids, const statement_t *own, const char *row, const char *ty,
                      int *unit_failed)
{
    char *copy = xstrdup(ids), *save = NULL;
    for (char *id = strtok_r(copy, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
        char *lk = xasprintf("law:%s", id);
        int said = statement_quotes_law(own, id) || statement_find(lk) != NULL;
        if (!said)
            fprintf(stderr, "%s cites %s without its words\n", ty, id);
        CHECK(said);
        if (!row_lists(row, id))
            fprintf(stderr, "%s cites %s, not listed for it in domain.md §5\n", ty, id);
        CHECK(row_lists(row, id));
        free(lk);
    }
    free(copy);
}

TEST(term_explanations_fit_their_bases)
{
    char *doc = unit_slurp("tests/data/domain.md");
    if (!doc)
        return;
    ttype_t types[16];
    int n;
    read_catalogue(types, &n, 16);
    for (int i = 0; i < n; i++) {
        const ttype_t *t = &types[i];
        char *key = xasprintf("term:%s", t->type),
             *cell = xasprintf("`unfair-term` / `%s`", t->type);
        const statement_t *own = statement_find(key);
        char *row = section5_row(doc, cell);
        CHECK(own != NULL && row != NULL);
        check_ids(t->basis, own, row, t->type, unit_failed);
        for (int k = 0; k < t->nextra; k++)
            check_ids(t->extra[k], own, row, t->type, unit_failed);
        never_wrong(t->type, t->remedy, unit_failed);
        free(key), free(cell), free(row);
    }
    CHECK(statement_law_applies("TR-32", "因网络故障造成服务中断的，乙方不承担责任。"));
    CHECK(!statement_law_applies("TR-32",
                                 "光纤宽带的标称带宽为最高速率，运营商不保证用户实际能达到。"));
    CHECK(!statement_law_applies("TR-35", "5G信号覆盖范围及上网速度，本公司不作任何承诺。"));
    CHECK(statement_law_applies("CC-497", "任何文字"));
    free(doc);
}

/* The templates print no legal sentence of their own: every citation is a stmt_* value. */
TEST(templates_cite_only_statements)
{
    for (const data_file_t *f = data_files; f->name; f++) {
        if (strncmp(f->name, "src/templates/", 14) ||
            !strcmp(f->name, "src/templates/law-short.txt"))
            continue;
        char *copy = xstrndup(f->data, f->len);
        /* comments ({{! … }}) may name the laws they follow */
        for (char *c = strstr(copy, "{{!"); c; c = strstr(c, "{{!")) {
            char *end = strstr(c, "}}");
            if (!end)
                break;
            memset(c, ' ', (size_t)(end + 2 - c));
        }
        int bad = strstr(copy, "》第") != NULL || strstr(copy, "条第") != NULL;
        if (bad)
            fprintf(stderr, "%s: cites a law in its own words; use a stmt_* statement\n", f->name);
        CHECK(!bad);
        never_wrong(f->name, copy, unit_failed);
        free(copy);
    }
}

/* Every {{stmt_KEY}} a template prints is a statement of the table: a missing one would
 * print nothing, silently. The key is the statement's, lower case, other characters '_'. */
static void stmt_key(const statement_t *st, void *ctx)
{
    sbuf_t *keys = ctx;
    sb_add(keys, "|stmt_");
    for (const char *p = st->key; *p; p++)
        sb_addc(keys, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p
                      : *p >= 'A' && *p <= 'Z'                             ? (char)(*p - 'A' + 'a')
                                                                           : '_');
    sb_addc(keys, '|');
}

TEST(templates_print_only_known_statements)
{
    sbuf_t keys = {0};
    statements_each(stmt_key, &keys);
    int seen = 0;
    for (const data_file_t *f = data_files; f->name; f++) {
        if (strncmp(f->name, "src/templates/", 14))
            continue;
        char *copy = xstrndup(f->data, f->len);
        for (char *p = strstr(copy, "{{stmt_"); p; p = strstr(p + 1, "{{stmt_")) {
            char *end = strstr(p, "}}");
            if (!end)
                break;
            char *want = xasprintf("|%.*s|", (int)(end - p - 2), p + 2);
            if (!strstr(keys.p, want))
                fprintf(stderr, "%s: %s is no statement of rules/data/statements.tsv\n", f->name,
                        want);
            CHECK(strstr(keys.p, want) != NULL);
            seen++;
            free(want);
        }
        free(copy);
    }
    CHECK(seen > 20);
    sb_free(&keys);
}

/* Deadline bases are the law table's articles (AP-11 printed with its item); the 12315
 * limit, whose rule is UNVERIFIED, is named without an article. */
TEST(deadline_bases_are_verified_articles)
{
    audit_t a;
    audit_init(&a);
    finding_t f;
    memset(&f, 0, sizeof f);
    f.period = ym_make(2025, 3);
    f.event = days_from_civil(2025, 3, 1);
    f.deadline = day_add_months(f.event, 5);
    VEC_PUSH(a.findings, f);
    complaint_t c;
    memset(&c, 0, sizeof c);
    c.to = xstrdup("operator");
    c.date = days_from_civil(2025, 4, 2);
    c.reply_date = NO_DAY;
    VEC_PUSH(a.acct.complaints, c);
    deadlines_t dl = {0};
    deadlines_compute(&a, days_from_civil(2025, 4, 10), &dl);
    CHECK_INT(dl.n, 4);
    for (size_t i = 0; i < dl.n; i++) {
        const deadline_t *d = &dl.items[i];
        if (!d->law_id) {
            CHECK(d->kind == DL_12315 && !strstr(d->basis, "条"));
            continue;
        }
        const law_t *l = law_find(d->law_id);
        CHECK(l != NULL);
        char *prefix = l ? xasprintf("%s%s", l->law, l->article) : xstrdup("?");
        CHECK(!strncmp(d->basis, prefix, strlen(prefix)));
        free(prefix);
    }
    deadlines_free(&dl);
    audit_free(&a);
}
