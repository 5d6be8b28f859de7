#!/usr/bin/env python3
"""Writes the small XLSX fixtures of tests/unit/test_xlsx.c (python3 zipfile only).

    python3 tests/data/xlsx/make_fixtures.py              # fixtures beside this script
    python3 tests/data/xlsx/make_fixtures.py --big OUT N  # an N-row WeChat-like workbook
                                                          # for measuring (never committed)
"""
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2026, 1, 1, 0, 0, 0)  # fixed, so regenerating gives identical files
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NSR = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>' % REL)


def sheet_xml(rows, tail="</sheetData></worksheet>"):
    return HEAD + "<worksheet %s><sheetData>%s%s" % (NS, "".join(rows), tail)


def sst_xml(items):
    return HEAD + '<sst %s count="%d" uniqueCount="%d">%s</sst>' % (
        NS, len(items), len(items), "".join("<si>%s</si>" % i for i in items))


def styles_xml(numfmts, xfs):
    fmts = "".join('<numFmt numFmtId="%d" formatCode="%s"/>' % f for f in numfmts)
    cells = "".join('<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % i
                    for i in xfs)
    return HEAD + ('<styleSheet %s><numFmts count="%d">%s</numFmts>'
                   '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
                   '<cellXfs count="%d">%s</cellXfs></styleSheet>') % (
        NS, len(numfmts), fmts, len(xfs), cells)


def workbook_members(sheets, date1904=False, absolute=False):
    """sheets: list of (name, state or None, sheet xml). Returns the member dict."""
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    tags, rels, members = [], [], {}
    for i, (name, state, xml) in enumerate(sheets, 1):
        st = ' state="%s"' % state if state else ""
        tags.append('<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>' % (name, i, st, i))
        target = "/xl/worksheets/sheet%d.xml" % i if absolute else "worksheets/sheet%d.xml" % i
        rels.append('<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>' % (i, REL, target))
        members["xl/worksheets/sheet%d.xml" % i] = xml
    n = len(sheets)
    rels.append('<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>' % (n + 1, REL))
    rels.append('<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
                % (n + 2, REL))
    members["xl/workbook.xml"] = HEAD + "<workbook %s %s>%s<sheets>%s</sheets></workbook>" % (
        NS, NSR, pr, "".join(tags))
    members["xl/_rels/workbook.xml.rels"] = HEAD + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "%s</Relationships>" % "".join(rels))
    return members


def write_zip(path, members, declared=None):
    """declared: {member: size} written into the central directory instead of the real size."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS)] + \
                list(members.items()):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
        for name, size in (declared or {}).items():
            z.getinfo(name).file_size = size  # the central directory is written on close


def inline_cell(ref, text, extra=""):
    return '<c r="%s" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>' % (ref, extra, text)


def out(name):
    return os.path.join(HERE, name)


def make_inline():
    """Inline strings (plain, rich runs, phonetic run), str/b/e/n cells, trimming,
    OOXML _xHHHH_ escapes, sparse and out-of-range cells, mergeCells, absolute targets,
    no sharedStrings.xml and no styles.xml."""
    rows = [
        '<row r="2">' + inline_cell("B2", " \u00a0\u3000名称\u3000 ") +
        '<c r="D2" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r>'
        '<rPh sb="0" eb="1"><t>フ</t></rPh></is></c>'
        '<c r="E2" t="str"><f>A1&amp;"x"</f><v>公式值</v></c>'
        '<c r="F2" t="b"><v>1</v></c><c r="G2" t="e"><v>#DIV/0!</v></c>'
        '<c r="H2"><v>12.345</v></c>' + inline_cell("I2", "   ") + "</row>",
        '<row r="3"><c r="A3" t="inlineStr"><is><t>a_x000D_b</t></is></c>'
        '<c r="XFE3" t="inlineStr"><is><t>beyond XFD</t></is></c></row>',
        '<row r="4"></row><row r="5">' + inline_cell("C5", "") + "</row>",
        '<row r="1048577">' + inline_cell("A1048577", "beyond the last row") + "</row>",
        '<row r="7">' + inline_cell("A7", "合并") + "</row>",
    ]
    xml = sheet_xml(rows, '</sheetData><mergeCells count="1"><mergeCell ref="A7:C7"/>'
                          "</mergeCells></worksheet>")
    members = workbook_members([("明细", None, xml)], absolute=True)
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        '<Relationship Id="rId2" Type="%s/styles" Target="styles.xml"/>' % REL, "").replace(
        '<Relationship Id="rId3" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % REL, "")
    write_zip(out("inline.xlsx"), members)


def make_richtext():
    """Shared strings with rich runs and <rPh> phonetic runs, an index past the table,
    the table under a name of its own."""
    sst = sst_xml([
        "<t>普通</t>",
        '<r><rPr><b/></rPr><t>加</t></r><r><t xml:space="preserve">粗 </t></r>'
        '<rPh sb="0" eb="1"><t>ジャ</t></rPh><phoneticPr fontId="1"/>',
        "<t>x_x005F_x000D_y</t>",
    ])
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>99</v></c><c r="D1" t="s"><v>-1</v></c>'
            '<c r="E1" t="s"><v>2</v></c><c r="F1" t="s"><v>x</v></c></row>']
    members = workbook_members([("Sheet1", None, sheet_xml(rows))])
    # not the usual name: found through the relationship's absolute target
    members["xl/strings/shared.xml"] = sst
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        'Target="sharedStrings.xml"', 'Target="/xl/strings/shared.xml"')
    write_zip(out("richtext.xlsx"), members)


def make_formats(name, date1904):
    """Built-in and custom date formats, a money format that is not a date."""
    fmts = [(164, "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"), (165, "[h]:mm:ss"),
            (166, "&quot;¥&quot;#,##0.00"), (167, "0.00_ ;[Red]\\-0.00\\ "),
            (168, "[$-804]yyyy/m/d\\ h:mm"), (169, "h:mm:ss"), (170, "&quot;days&quot; 0")]
    xfs = [0, 14, 22, 164, 165, 166, 167, 168, 169, 170, 46]
    cells = [("A", 1, "45795.84385416667"), ("B", 1, "45795"), ("C", 2, "45795.5"),
             ("D", 3, "45795"), ("E", 4, "1.0430555555555556"), ("F", 5, "100.005"),
             ("G", 6, "-3.5"), ("H", 7, "45795.999999"), ("I", 8, "0.40380787037037036"),
             ("J", 9, "45795"), ("K", 10, "0.5"), ("L", 1, "-1"), ("M", 0, "45795")]
    row = "".join('<c r="%s1" s="%d"><v>%s</v></c>' % c for c in cells)
    members = workbook_members([("Sheet1", None, sheet_xml(['<row r="1">%s</row>' % row]))],
                               date1904=date1904)
    members["xl/styles.xml"] = styles_xml(fmts, xfs)
    write_zip(out(name), members)


def make_hidden():
    """Hidden first sheet, veryHidden third, relative ../ target for the fourth."""
    def one(text):
        return sheet_xml(['<row r="1">' + inline_cell("A1", text) + "</row>"])
    sheets = [("隐藏", "hidden", one("hidden")), ("第二", None, one("second")),
              ("很隐藏", "veryHidden", one("very hidden")), ("第四", "visible", one("fourth"))]
    members = workbook_members(sheets)
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        'Target="worksheets/sheet4.xml"', 'Target="./worksheets/../worksheets/sheet4.xml"')
    write_zip(out("hidden.xlsx"), members)


LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' +
          "".join('<!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10)
                  for i in range(1, 10)) + "]>\n")


def make_laughs():
    """Billion laughs in the sheet (error on reading) and in sharedStrings (error on open)."""
    body = ("<worksheet %s><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;"
            "</t></is></c></row></sheetData></worksheet>" % NS)
    write_zip(out("laughs.xlsx"), workbook_members([("Sheet1", None, LAUGHS + body)]))
    members = workbook_members([("Sheet1", None, sheet_xml([]))])
    members["xl/sharedStrings.xml"] = LAUGHS + "<sst %s><si><t>&lol9;</t></si></sst>" % NS
    write_zip(out("laughs-sst.xlsx"), members)


def make_bomb():
    """A sheet of 24 MiB of blanks after one row: ~1000:1, refused past 16 MiB at 200:1."""
    xml = (sheet_xml(['<row r="1">' + inline_cell("A1", "before the bomb") + "</row>"], "")
           + " " * (24 << 20) + "</sheetData></worksheet>")
    write_zip(out("bomb.xlsx"), workbook_members([("Sheet1", None, xml)]))


def make_unclosed():
    """A sheet cut off inside a cell: the rows so far, then the end."""
    xml = sheet_xml(['<row r="1">' + inline_cell("A1", "one") + "</row>",
                     '<row r="2">' + inline_cell("A2", "two") + '<c r="B2" t="inlineStr"><is><t>tw'],
                    "")
    write_zip(out("unclosed.xlsx"), workbook_members([("Sheet1", None, xml)]))


def make_broken():
    """truncated.xlsx: the first half of a workbook; corrupt.xlsx: damaged deflate data;
    crc.xlsx: a wrong CRC for the sheet; notxlsx.zip: a ZIP wrapping a CSV; malformed.xlsx: mismatched tags mid-sheet."""
    rows = ['<row r="%d">%s</row>' % (r, inline_cell("A%d" % r, "行%d 的内容 %s" % (r, "x" * (r % 7))))
            for r in range(1, 400)]
    path = out("corrupt.xlsx")
    write_zip(path, workbook_members([("Sheet1", None, sheet_xml(rows))]))
    data = bytearray(open(path, "rb").read())
    with open(out("truncated.xlsx"), "wb") as f:
        f.write(data[:len(data) // 2])
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + info.compress_size // 2, start + info.compress_size // 2 + 64):
        data[i] ^= 0x5A
    with open(path, "wb") as f:
        f.write(data)
    write_zip(out("crc.xlsx"), workbook_members([("Sheet1", None, sheet_xml(rows))]))
    crc = bytearray(open(out("crc.xlsx"), "rb").read())
    with zipfile.ZipFile(out("crc.xlsx")) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    wrong = (info.CRC ^ 0xFFFFFFFF).to_bytes(4, "little")
    crc[info.header_offset + 14:info.header_offset + 18] = wrong  # local header
    central = crc.rfind(b"PK\x01\x02", 0, crc.rfind(b"xl/worksheets/sheet1.xml"))
    crc[central + 16:central + 20] = wrong  # central directory
    with open(out("crc.xlsx"), "wb") as f:
        f.write(crc)
    with zipfile.ZipFile(out("notxlsx.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("微信支付账单(20250301-20250331).csv", STAMP), "a,b\n")
    xml = sheet_xml(['<row r="1">' + inline_cell("A1", "ok") + "</row>",
                     '<row r="2"><c r="A2"><v>1</c></v></row>'])
    write_zip(out("malformed.xlsx"), workbook_members([("Sheet1", None, xml)]))


def make_longcell():
    """A 300 KB inline cell and a 300 KB shared string: cut at 256 KiB on a character boundary."""
    long_text = "中" * 100000
    rows = ['<row r="1">' + inline_cell("A1", long_text) + '<c r="B1" t="s"><v>0</v></c></row>']
    members = workbook_members([("Sheet1", None, sheet_xml(rows))])
    members["xl/sharedStrings.xml"] = sst_xml(["<t>%s</t>" % long_text])
    write_zip(out("longcell.xlsx"), members)


def make_huge_declared():
    """A sheet whose central directory declares 5 GiB (ZIP64): refused before inflating."""
    members = workbook_members([("Sheet1", None, sheet_xml(['<row r="1">' +
                                                            inline_cell("A1", "x") + "</row>"]))])
    write_zip(out("huge.xlsx"), members, {"xl/worksheets/sheet1.xml": 5 << 30})


def make_prefixed():
    """Namespace-prefixed elements (x:row) as some .NET writers produce."""
    xml = HEAD + ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  '<x:sheetData><x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>前缀</x:t>'
                  '</x:is></x:c><x:c r="C3"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    write_zip(out("prefixed.xlsx"), workbook_members([("Sheet1", None, xml)]))


def make_big(path, nrows):
    """A W3-like WeChat workbook of nrows records: shared strings, date serials, numbers."""
    strings, index = [], {}

    def s(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]
    header = ["交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式",
              "当前状态", "交易单号", "商户单号", "备注"]
    parts = [HEAD, "<worksheet %s><sheetData>" % NS, '<row r="1">']
    parts += ['<c r="%s1" t="s"><v>%d</v></c>' % (chr(65 + i), s(h)) for i, h in enumerate(header)]
    parts.append("</row>")
    fixed = [s(v) for v in ("商户消费", "中国移动", "话费充值", "支出")]
    for r in range(2, nrows + 2):
        serial = 45658 + r / 1440.0
        txid = s("42000%023d" % r)
        parts.append(
            '<row r="%d"><c r="A%d" s="1"><v>%r</v></c><c r="B%d" t="s"><v>%d</v></c>'
            '<c r="C%d" t="s"><v>%d</v></c><c r="D%d" t="s"><v>%d</v></c>'
            '<c r="E%d" t="s"><v>%d</v></c><c r="F%d" s="2"><v>%d.%02d</v></c>'
            '<c r="G%d" t="s"><v>%d</v></c><c r="H%d" t="s"><v>%d</v></c>'
            '<c r="I%d" t="s"><v>%d</v></c><c r="J%d" t="s"><v>%d</v></c>'
            '<c r="K%d" t="s"><v>%d</v></c></row>' % (
                r, r, serial, r, fixed[0], r, fixed[1], r, fixed[2], r, fixed[3], r, r % 500, r % 100,
                r, s("零钱"), r, s("支付成功"), r, txid, r, s("CZ%018d" % r), r, s("/")))
    parts.append("</sheetData></worksheet>")
    members = workbook_members([("Sheet1", None, "".join(parts))])
    members["xl/sharedStrings.xml"] = sst_xml(["<t>%s</t>" % t for t in strings])
    members["xl/styles.xml"] = styles_xml([(164, "yyyy\\-mm\\-dd\\ hh:mm:ss"),
                                           (165, "&quot;¥&quot;#,##0.00")], [0, 164, 165])
    write_zip(path, members)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--big":
        make_big(sys.argv[2], int(sys.argv[3]))
        return
    make_inline()
    make_richtext()
    make_formats("formats.xlsx", False)
    make_formats("date1904.xlsx", True)
    make_hidden()
    make_laughs()
    make_bomb()
    make_unclosed()
    make_broken()
    make_prefixed()
    make_longcell()
    make_huge_declared()


if __name__ == "__main__":
    main()
