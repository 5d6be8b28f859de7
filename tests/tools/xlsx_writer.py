#!/usr/bin/env python3
"""Minimal XLSX writer for test fixtures (stdlib zipfile only), shared by the
detect-*-xlsx cases: shared strings, inline strings, number cells, date cells
(serials with a date style), absent rows, merged cells."""
import datetime, zipfile
from xml.sax.saxutils import escape

EPOCH = datetime.datetime(1899, 12, 30)


def serial(text):
    """'2025-04-01 08:00:00' -> Excel serial (days since 1899-12-30)."""
    d = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    return repr((d - EPOCH).total_seconds() / 86400)


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def write_xlsx(path, rows, merges=(), sheet="Sheet1"):
    """rows: {row_number: [cell, ...]}; a cell is None (absent), a str (shared
    string), ('i', text) inline string, ('n', '58.5') number, ('d', 'Y-m-d H:M:S')
    date serial styled yyyy-mm-dd hh:mm:ss, ('d22', ...) styled m/d/yy h:mm,
    ('m', '58') number styled 0.00."""
    strings, index = [], {}
    out = []
    for r in sorted(rows):
        cells = []
        for i, c in enumerate(rows[r]):
            if c is None:
                continue
            ref = f"{col_name(i)}{r}"
            if isinstance(c, str):
                if c not in index:
                    index[c] = len(strings)
                    strings.append(c)
                cells.append(f'<c r="{ref}" t="s"><v>{index[c]}</v></c>')
            elif c[0] == "i":
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(c[1])}</t></is></c>')
            elif c[0] == "n":
                cells.append(f'<c r="{ref}"><v>{c[1]}</v></c>')
            elif c[0] == "m":
                cells.append(f'<c r="{ref}" s="3"><v>{c[1]}</v></c>')
            elif c[0] in ("d", "d22"):
                s = 1 if c[0] == "d" else 2
                cells.append(f'<c r="{ref}" s="{s}"><v>{serial(c[1])}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    merge = ""
    if merges:
        merge = f'<mergeCells count="{len(merges)}">' + "".join(
            f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
    sheet_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 f'<sheetData>{"".join(out)}</sheetData>{merge}</worksheet>')
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": sst,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            zi = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)

