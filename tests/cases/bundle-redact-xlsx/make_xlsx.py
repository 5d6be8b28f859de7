#!/usr/bin/env python3
"""Writes a minimal operator-bill XLSX (inline strings) naming a holder and a phone number,
with one duplicated line, to argv[1]."""
import sys, zipfile
from xml.sax.saxutils import escape

rows = [["中国移动月账单"], ["客户名称：王小红"], ["手机号码：13912345678"],
        ["账期", "费用类别", "费用项目", "金额(元)"],
        ["2025-06", "套餐及固定费", "5G智享套餐58元月基本费", "58.00"],
        ["2025-06", "增值业务费", "视频彩铃", "10.00"],
        ["2025-06", "增值业务费", "视频彩铃", "10.00"]]
cols = "ABCD"
sheet = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
for r, row in enumerate(rows, 1):
    sheet.append(f'<row r="{r}">' + "".join(
        f'<c r="{cols[c]}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(row)) + "</row>")
sheet.append("</sheetData></worksheet>")
files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="账单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": "".join(sheet),
}
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in files.items():
        z.writestr(name, data)
