/* The HTML table container (src/html_table.c) on pages held in memory. */
#include "container.h"
#include "unit.h"
#include <stdlib.h>

/* The rows of table t of page as "line: a|b|c" lines, into out; the rowsrc error, if any. */
static const char *rows_of(const char *page, int t, char *out, size_t outlen)
{
    static char err[256];
    blob_t b = {"page.html", NULL, (const unsigned char *)page, strlen(page)};
    err[0] = out[0] = 0;
    rowsrc_t *rs = container_html_table.open(&b, t, RS_CELLS, err, sizeof err);
    if (!rs)
        return err[0] ? err : "(no table)";
    row_t r;
    size_t n = 0;
    int rc;
    while ((rc = rowsrc_next(rs, &r)) == 1) {
        n += (size_t)snprintf(out + n, outlen - n, "%ld:", r.line);
        for (int i = 0; i < r.n; i++)
            n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? "|" : "", r.cells[i]);
        n += (size_t)snprintf(out + n, outlen - n, "\n");
    }
    snprintf(err, sizeof err, "%s", rc < 0 ? rs->err : "");
    rowsrc_close(rs);
    return err;
}

TEST(html_spans_placed_like_merged_cells)
{
    const char *page = "<html><body><table>"
                       "<tr><th>a</th><th>b</th><th>c</th><th>d</th></tr>"
                       "<tr><td rowspan=2>r</td><td colspan=2>wide</td><td>1</td></tr>"
                       "<tr><td>x</td><td>y</td><td>2</td></tr>"
                       "<tr><td>p</td><td rowspan=2 colspan=2>big</td><td>3</td></tr>"
                       "<tr><td>q</td><td>4</td></tr>"
                       "<tr></tr>"
                       "<tr><td>last</td></tr>"
                       "</table></body></html>";
    char out[1024];
    CHECK_STR(rows_of(page, 0, out, sizeof out), "");
    CHECK_STR(out, "1:a|b|c|d\n2:r|wide||1\n3:|x|y|2\n4:p|big||3\n5:q|||4\n7:last\n");
}

TEST(html_cell_text)
{
    const char *page = "<table><tr><td> A&amp;B &lt;x&gt; &#20803;&yen;</td>"
                       "<td>one<br>two\n   three</td><td>&nbsp;pad&#x3000;</td>"
                       "<td><table><tr><td>inner</td></tr></table>outer</td></tr></table>";
    char out[1024];
    CHECK_STR(rows_of(page, 0, out, sizeof out), "");
    CHECK_STR(out, "1:A&B <x> 元¥|one two three|pad|outer\n");
    CHECK_STR(rows_of(page, 1, out, sizeof out), "");
    CHECK_STR(out, "1:inner\n");
    CHECK_STR(rows_of(page, 2, out, sizeof out), "(no table)");
}

TEST(html_meta_charset_gbk)
{
    /* 金额 in GBK, declared by the page; the bytes alone are not valid UTF-8 either */
    const char *page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                       "charset=GB2312\"></head><table><tr><td>\xBD\xF0\xB6\xEE</td></tr></table>";
    char out[256];
    CHECK_STR(rows_of(page, 0, out, sizeof out), "");
    CHECK_STR(out, "1:金额\n");
}

TEST(html_limits)
{
    char out[256];
    size_t n = 5000 * 5 + 64;
    char *deep = malloc(n);
    strcpy(deep, "<table><tr><td>");
    for (int i = 0; i < 5000; i++)
        memcpy(deep + 15 + 5 * i, "<div>", 6);
    CHECK_STR(rows_of(deep, 0, out, sizeof out), "elements nested more than 4096 deep: not read");
    free(deep);
    CHECK_STR(rows_of("<table><tr><td colspan=1000>a</td><td colspan=100>b</td></tr></table>", 0,
                      out, sizeof out),
              "row 1 is wider than the 1024 columns read");
}
