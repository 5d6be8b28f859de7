/* The copies of the inputs in a redacted bundle (bundle --redact): of each input only its
 * header (the lines before its first record) and the rows the findings cite, masked; every
 * other row is left out, so a wallet export's unrelated spending never leaves the machine.
 * A text copy keeps the line numbers the documents cite (a dropped row is an empty line);
 * a workbook is written anew, holding only the kept rows at their row numbers, so nothing
 * of the original (other sheets, shared strings, properties, comments) survives. Fails
 * closed: a file that cannot be read this way is not copied. */
#include "bundle_copy.h"
#include "container.h"
#include "parser.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* ---- which lines are kept ---- */

static int long_cmp(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return (a > b) - (a < b);
}

static int is_contract(const source_t *s)
{
    return s->format && !strcmp(s->format, "contract-text");
}

typedef VEC(long) longs_t;

/* A cited clause is kept whole: its lines up to the next clause of the file. */
static void add_clause_lines(const audit_t *a, int src, long line, longs_t *v)
{
    long next = line + 1000; /* bounded: a clause is never longer */
    for (size_t i = 0; i < a->clauses.n; i++) {
        const clause_t *c = &a->clauses.items[i];
        if (c->prov.src == src && c->prov.line > line && c->prov.line < next)
            next = c->prov.line;
    }
    for (long l = line; l < next; l++)
        VEC_PUSH(*v, l);
}

/* The header of a contract: the lines before its first numbered clause (title, parties). */
static long contract_header_end(const audit_t *a, int src)
{
    for (size_t i = 0; i < a->clauses.n; i++) {
        const clause_t *c = &a->clauses.items[i];
        if (c->prov.src == src && c->label && *c->label)
            return c->prov.line;
    }
    return 1;
}

void keep_build(const audit_t *a, int src, keep_t *k)
{
    memset(k, 0, sizeof *k);
    const source_t *s = &a->sources.items[src];
    k->header_end = is_contract(s) ? contract_header_end(a, src) : s->first_row;
    longs_t v = {0};
    for (size_t i = 0; i < a->findings.n; i++) {
        const finding_t *f = &a->findings.items[i];
        for (size_t e = 0; e < f->evidence.n + f->support.n; e++) {
            const prov_t *p = e < f->evidence.n ? &f->evidence.items[e]
                                                : &f->support.items[e - f->evidence.n].prov;
            if (p->src != src)
                continue;
            if (is_contract(s))
                add_clause_lines(a, src, p->line, &v);
            else
                VEC_PUSH(v, p->line);
        }
    }
    if (v.n)
        qsort(v.items, v.n, sizeof *v.items, long_cmp);
    k->lines = v.items;
    k->n = v.n;
}

int keep_has(const keep_t *k, long line)
{
    if (line < k->header_end)
        return 1;
    return k->n && bsearch(&line, k->lines, k->n, sizeof *k->lines, long_cmp) != NULL;
}

void keep_free(keep_t *k)
{
    free(k->lines);
    memset(k, 0, sizeof *k);
}

/* ---- the rows, as the parser saw them ---- */

static rowsrc_t *open_rows(const audit_t *a, int src, char *err, size_t errlen)
{
    const source_t *s = &a->sources.items[src];
    detect_t d;
    blob_t b;
    unsigned char *owned;
    if (source_blob(s, &b, &owned, err, errlen) != 0)
        return NULL;
    if (detect_blob(&b, &d, NULL) != 0 || !d.parser || strcmp(d.parser->id, s->format)) {
        snprintf(err, errlen, "its format could not be detected again");
        free(owned);
        return NULL;
    }
    rowsrc_t *rs = detect_open_blob(&b, &d, d.parser->mode, err, errlen);
    if (rs)
        rs->owned = owned;
    else
        free(owned);
    return rs;
}

/* The column headers: the last row before the first record with two cells or more. */
typedef VEC(char *) strs_t;

static void strs_free(strs_t *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    VEC_FREE(*v);
}

static void header_of(const row_t *r, strs_t *h)
{
    strs_free(h);
    for (int i = 0; i < r->n; i++)
        VEC_PUSH(*h, xstrdup(r->cells[i] ? r->cells[i] : ""));
}

static int nonempty_cells(const row_t *r)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        n += r->cells[i] && *r->cells[i];
    return n;
}

static rowsrc_t *open_kept(const audit_t *a, int src, keep_t *k);

int collect_values(const audit_t *a, int src, redactor_t *red)
{
    keep_t k;
    rowsrc_t *rs = open_kept(a, src, &k);
    if (!rs)
        return -1;
    strs_t header = {0};
    row_t r;
    int rc;
    while ((rc = rowsrc_next(rs, &r)) == 1) {
        if (r.line < k.header_end) {
            if (nonempty_cells(&r) >= 2)
                header_of(&r, &header);
            continue;
        }
        if (!keep_has(&k, r.line))
            continue;
        for (int i = 0; i < r.n && (size_t)i < header.n; i++)
            if (redact_column(red, header.items[i]))
                redactor_add_value(red, r.cells[i]);
    }
    rowsrc_close(rs);
    strs_free(&header);
    keep_free(&k);
    return rc < 0 ? -1 : 0;
}

/* ---- a text copy ---- */

/* The lines a copy keeps (*k) and the rows to read them from; NULL when unreadable. */
static rowsrc_t *open_kept(const audit_t *a, int src, keep_t *k)
{
    char err[256];
    keep_build(a, src, k);
    rowsrc_t *rs = open_rows(a, src, err, sizeof err);
    if (!rs)
        keep_free(k);
    return rs;
}

char *copy_text_redacted(const audit_t *a, int src, const redactor_t *red, size_t *len)
{
    keep_t k;
    rowsrc_t *rs = open_kept(a, src, &k);
    if (!rs)
        return NULL;
    sbuf_t b = {0};
    long at = 1; /* the line the copy is on */
    row_t r;
    int rc;
    while ((rc = rowsrc_next(rs, &r)) == 1) {
        if (!keep_has(&k, r.line))
            continue;
        for (; at < r.line; at++)
            sb_addc(&b, '\n');
        const char *raw = r.raw ? r.raw : "";
        sb_add(&b, raw);
        sb_addc(&b, '\n');
        at++;
        for (const char *p = raw; *p; p++) /* a quoted field may hold line breaks */
            at += *p == '\n';
    }
    rowsrc_close(rs);
    keep_free(&k);
    if (rc < 0) {
        sb_free(&b);
        return NULL;
    }
    char *out = redact(red, b.p ? b.p : "", b.n, len);
    sb_free(&b);
    return out;
}

/* ---- a workbook written anew ---- */

static void xml_text(sbuf_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '&')
            sb_add(b, "&amp;");
        else if (*p == '<')
            sb_add(b, "&lt;");
        else if (*p == '>')
            sb_add(b, "&gt;");
        else if (*p == '"')
            sb_add(b, "&quot;");
        else if (*p < 0x20 && *p != '\t' && *p != '\n')
            sb_addc(b, ' '); /* not allowed in XML 1.0 */
        else
            sb_addc(b, (char)*p);
    }
}

static void col_name(char *out, int col)
{
    char tmp[8];
    int n = 0;
    for (col++; col > 0 && n < 7; col = (col - 1) / 26)
        tmp[n++] = (char)('A' + (col - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

static int plain_number(const char *s)
{
    size_t i = *s == '-' ? 1 : 0, digits = 0, dots = 0;
    for (; s[i]; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && !dots++)
            continue;
        else
            return 0;
    }
    return digits > 0 && digits < 16;
}

static void sheet_row(sbuf_t *x, const row_t *r, const redactor_t *red)
{
    sb_addf(x, "<row r=\"%ld\">", r->line);
    for (int i = 0; i < r->n; i++) {
        const char *cell = r->cells[i] ? r->cells[i] : "";
        if (!*cell)
            continue;
        size_t n;
        char *m = redact(red, cell, strlen(cell), &n);
        char ref[16];
        col_name(ref, i);
        if ((r->flags && (r->flags[i] & CELL_NUM)) && plain_number(m)) {
            sb_addf(x, "<c r=\"%s%ld\"><v>%s</v></c>", ref, r->line, m);
        } else {
            sb_addf(x, "<c r=\"%s%ld\" t=\"inlineStr\"><is><t xml:space=\"preserve\">", ref,
                    r->line);
            xml_text(x, m);
            sb_add(x, "</t></is></c>");
        }
        free(m);
    }
    sb_add(x, "</row>");
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "</Types>";
static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";

static int zip_put(zip_t *z, const char *name, const char *data, size_t len)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, data, len);
    zip_source_t *s = zip_source_buffer(z, copy, len, 1);
    if (!s) {
        free(copy);
        return -1;
    }
    zip_int64_t idx = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(s);
        return -1;
    }
    zip_file_set_mtime(z, (zip_uint64_t)idx, 946684800, 0); /* 2000-01-01: reproducible */
    return 0;
}

/* A zip archive built in memory from the parts; NULL on failure. */
static char *zip_parts(const char *const *names, const sbuf_t *parts, int n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!mem)
        return NULL;
    zip_source_keep(mem);
    zip_t *z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    int rc = z ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++)
        rc = zip_put(z, names[i], parts[i].p ? parts[i].p : "", parts[i].n);
    if (z && (rc != 0 || zip_close(z) != 0)) {
        zip_discard(z);
        rc = -1;
    }
    char *out = NULL;
    if (rc == 0 && zip_source_open(mem) == 0) {
        zip_source_seek(mem, 0, SEEK_END);
        zip_int64_t size = zip_source_tell(mem);
        zip_source_seek(mem, 0, SEEK_SET);
        if (size > 0) {
            out = xmalloc((size_t)size);
            if (zip_source_read(mem, out, (zip_uint64_t)size) != size) {
                free(out);
                out = NULL;
            } else {
                *len = (size_t)size;
            }
        }
        zip_source_close(mem);
    }
    zip_source_free(mem);
    zip_error_fini(&ze);
    return out;
}

char *copy_xlsx_redacted(const audit_t *a, int src, const redactor_t *red, size_t *len)
{
    keep_t k;
    rowsrc_t *rs = open_kept(a, src, &k);
    if (!rs)
        return NULL;
    sbuf_t parts[5] = {{0}};
    sb_add(&parts[0], content_types);
    sb_add(&parts[1], root_rels);
    sb_add(&parts[2], workbook);
    sb_add(&parts[3], workbook_rels);
    sbuf_t *x = &parts[4];
    sb_add(x, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
              "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
              "<sheetData>");
    row_t r;
    int rc;
    while ((rc = rowsrc_next(rs, &r)) == 1)
        if (keep_has(&k, r.line))
            sheet_row(x, &r, red);
    sb_add(x, "</sheetData></worksheet>");
    rowsrc_close(rs);
    keep_free(&k);
    static const char *const names[] = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                                        "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"};
    char *out = NULL;
    const char *leak = NULL;
    /* Fail closed: a part still holding a value to mask is never written. */
    int leaks = 0;
    for (int i = 0; i < 5; i++)
        leaks |= redact_leaks(red, parts[i].p ? parts[i].p : "", parts[i].n, &leak);
    if (rc >= 0 && !leaks)
        out = zip_parts(names, parts, 5, len);
    for (int i = 0; i < 5; i++)
        sb_free(&parts[i]);
    return out;
}
