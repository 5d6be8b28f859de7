/* The HTML report: the SVG writer, HTML escaping, and pages from hand-made audits that no
 * parser would produce (empty, centuries of months, absurd amounts). */
#include "../../src/audit.h"
#include "../../src/report.h"
#include "../../src/svg.h"
#include "../../src/template.h"
#include "unit.h"
#include <stdint.h>
#include <stdlib.h>

static char *num(double v)
{
    static char buf[64];
    sbuf_t b = {0};
    svg_num(&b, v);
    snprintf(buf, sizeof buf, "%s", b.p ? b.p : "");
    sb_free(&b);
    return buf;
}

TEST(svg_numbers_one_decimal_locale_free)
{
    CHECK_STR(num(12), "12");
    CHECK_STR(num(12.5), "12.5");
    CHECK_STR(num(12.54), "12.5");
    CHECK_STR(num(-3), "-3");
    CHECK_STR(num(-0.04), "0");
    CHECK_STR(num(0.0 / 0.0), "0");
    CHECK_STR(num(1e300), "0");
}

TEST(svg_nice_steps)
{
    CHECK_INT(svg_nice_step(4710, 4), 2000);
    CHECK_INT(svg_nice_step(30100, 4), 10000);
    CHECK_INT(svg_nice_step(1, 4), 1);
    CHECK_INT(svg_nice_step(0, 4), 1);
    CHECK(svg_nice_step(INT64_MAX, 4) > 0);
    CHECK_INT((int)svg_text_width("2023", 10), 24);
    CHECK_INT((int)svg_text_width("中文", 10), 20);
}

TEST(svg_elements_are_escaped_and_accessible)
{
    sbuf_t b = {0};
    svg_open(&b, "c1", 960, 300, "A<B", "x & y");
    svg_text(&b, 1, 2, "middle", "tick", "<q>");
    svg_close(&b);
    CHECK(str_has(b.p, "role=\"img\""));
    CHECK(str_has(b.p, "aria-label=\"A&lt;B。x &amp; y\""));
    CHECK(str_has(b.p, "<title>A&lt;B</title>"));
    CHECK(str_has(b.p, "<desc>x &amp; y</desc>"));
    CHECK(str_has(b.p, "text-anchor=\"middle\" class=\"tick\">&lt;q&gt;</text>"));
    CHECK(!str_has(b.p, "http"));
    sb_free(&b);
}

TEST(html_escape_text_and_bytes)
{
    sbuf_t b = {0};
    html_escape(&b, "<a href=\"x\">&'\x01中\xff");
    CHECK_STR(b.p, "&lt;a href=&quot;x&quot;&gt;&amp;'\xEF\xBF\xBD中\xEF\xBF\xBD");
    sb_free(&b);
    tctx_t *c = tctx_new();
    tctx_set(c, "v", "<b>");
    const char *t = "{{v}}|{{&v}}";
    sbuf_t o = {0};
    char err[128];
    CHECK_INT(tmpl_render("t", t, strlen(t), c, TMPL_HTML, &o, NULL, NULL, err, sizeof err), 0);
    CHECK_STR(o.p, "&lt;b&gt;|<b>");
    sb_free(&o);
    tctx_free(c);
}

static bill_line_t line(ym_t m, fen_t amount, bill_class_t cls)
{
    bill_line_t b;
    memset(&b, 0, sizeof b);
    b.period = m;
    b.amount = amount;
    b.cls = cls;
    b.service = LINK_PLAN_ABSENT;
    b.prov.src = -1;
    b.prov.line = 1;
    b.prov.text = (char *)"x"; /* record strings are the audit's pool's, never freed one by one */
    return b;
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

TEST(html_report_of_an_empty_audit)
{
    audit_t a;
    audit_init(&a);
    sbuf_t out = {0};
    CHECK_INT(report_render(&a, "html", &out), 0);
    CHECK(str_has(out.p, "<html lang=\"zh-CN\">"));
    CHECK(!str_has(out.p, "<svg"));
    CHECK(!str_has(out.p, "http"));
    sb_free(&out);
    audit_free(&a);
}

TEST(html_report_centuries_and_absurd_amounts)
{
    audit_t a;
    audit_init(&a);
    VEC_PUSH(a.bills, line(ym_make(1900, 1), INT64_MAX / 200, CL_RECURRING));
    VEC_PUSH(a.bills, line(ym_make(1900, 1), INT64_MAX / 200, CL_RECURRING));
    VEC_PUSH(a.bills, line(ym_make(2200, 12), -INT64_MAX / 200, CL_OTHER));
    VEC_PUSH(a.bills, line(ym_make(2000, 6), 1000, CL_PENALTY));
    VEC_PUSH(a.bills, line(NO_YM, 1000, CL_PENALTY));
    sbuf_t out = {0};
    CHECK_INT(report_render(&a, "html", &out), 0);
    CHECK_INT(count(out.p, "<svg"), 1);
    /* 301 years in buckets of several years: a readable number of bars. */
    int rows = count(out.p, "<tr><th scope=\"row\">");
    CHECK(rows >= 20 && rows <= 45);
    CHECK(!str_has(out.p, "http"));
    sb_free(&out);
    audit_free(&a);
}

TEST(html_report_ten_years_are_quarters)
{
    audit_t a;
    audit_init(&a);
    for (int y = 2015; y < 2025; y++)
        for (int m = 1; m <= 12; m++)
            VEC_PUSH(a.bills, line(ym_make(y, m), 5900, CL_RECURRING));
    sbuf_t out = {0};
    CHECK_INT(report_render(&a, "html", &out), 0);
    CHECK_INT(count(out.p, "<tr><th scope=\"row\">20"), 40);
    CHECK(str_has(out.p, "2024 Q4"));
    sb_free(&out);
    audit_free(&a);
}
