#!/usr/bin/python3
"""Writes the samples' tables as HTML into tests/data/html (the tests only read the output):
  NAME.xls   an HTML table as web back ends serve it named .xls (UTF-8, meta charset);
  NAME.html  a bill page saved from a browser: a "saved from" comment, a GBK meta charset,
             a navigation table before the bill's, a script, entities for some characters.
Every cell text as in the CSV; a row with one cell spans the table (colspan), so the audit
of each must give the CSV's findings."""
import html, os, sys

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
out = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(out))  # tests/data: the shared CSV reader
from csvrows import rows_of  # noqa: E402


def cell(v, entities):
    v = html.escape(v, quote=False)
    if entities:  # every full-width colon and yuan sign as a numeric / named entity
        v = v.replace("：", "&#xFF1A;").replace("¥", "&yen;").replace(" ", "&#32;")
    return v


def table(rows, entities, tag="td"):
    width = max(len(r) for r in rows)
    out = ['<table border="1" cellspacing="0">']
    for i, r in enumerate(rows):
        filled = [c for c in r if c != ""]
        if len(filled) == 1 and r[0] != "" and width > 1:
            out.append('<tr><td colspan="%d">%s</td></tr>' % (width, cell(r[0], entities)))
            continue
        t = "th" if i == 0 and tag == "th" else "td"
        out.append("<tr>" + "".join("<%s>%s</%s>" % (t, cell(c, entities), t) for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def excel_html(rows):
    return ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head>\n'
            '<meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8">\n'
            "</head>\n<body>\n" + table(rows, False) + "\n</body>\n</html>\n").encode("utf-8")


def saved_page(rows):
    return ("<!-- saved from url=(0040)https://example.invalid/bill/detail.html -->\n"
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>\n"
            '<meta charset="gbk">\n<title>账单查询</title>\n'
            "<style>td { padding: 2px }</style>\n"
            "<script>var rows = '<table><tr><td>not a cell</td></tr></table>';</script>\n"
            "</head><body>\n"
            '<table class="nav"><tr><td><a href="#">首页</a></td><td>账单查询</td></tr></table>\n'
            '<div class="bill">\n' + table(rows, True) + "\n</div>\n"
            "<p>温馨提示：以上信息仅供参考。</p>\n</body></html>\n").encode("gb18030")


for name in sorted(os.listdir(os.path.join(root, "samples"))):
    if not name.endswith(".csv"):
        continue
    rows = rows_of(os.path.join(root, "samples", name))
    open(os.path.join(out, name[:-4] + ".xls"), "wb").write(excel_html(rows))
    open(os.path.join(out, name[:-4] + ".html"), "wb").write(saved_page(rows))
