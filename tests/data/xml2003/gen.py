#!/usr/bin/python3
"""Writes the samples' tables as XML Spreadsheet 2003 into tests/data/xml2003 (the tests
only read the output), NAME.xls as Excel 2003 saves it and web back ends serve it: the
spreadsheet namespace as default, ss: attributes, a first worksheet of notes before the
data, empty cells left out (the next cell carries ss:Index), a row with one cell merged
across the table (ss:MergeAcross), amounts as Number cells and date-times as DateTime
cells (2025-03-08T09:41:27.000). Every cell text as in the CSV, so the audit of each must
give the CSV's findings."""
import os, re, sys
from xml.sax.saxutils import escape

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
out = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(out))  # tests/data: the shared CSV reader
from csvrows import rows_of  # noqa: E402
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def cell(v, index=None, across=0):
    attrs = ""
    if index is not None:
        attrs += ' ss:Index="%d"' % index
    if across:
        attrs += ' ss:MergeAcross="%d"' % across
    if DATETIME.match(v):
        data = '<Data ss:Type="DateTime">%s.000</Data>' % v.replace(" ", "T")
    elif NUMBER.match(v) and len(v) < 12:  # a long digit run (an order number) stays text
        data = '<Data ss:Type="Number">%s</Data>' % v
    else:
        data = '<Data ss:Type="String">%s</Data>' % escape(v)
    return "<Cell%s>%s</Cell>" % (attrs, data)


def row(r, width):
    filled = [c for c in r if c != ""]
    if len(filled) == 1 and r[0] != "" and width > 1:
        return "<Row>" + cell(r[0], across=width - 1) + "</Row>"
    out, skipped = [], False
    for i, v in enumerate(r):
        if v == "":
            skipped = True
            continue
        out.append(cell(v, index=i + 1 if skipped else None))
        skipped = False
    return "<Row>" + "".join(out) + "</Row>"


def workbook(rows):
    width = max(len(r) for r in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\n'
            ' xmlns:o="urn:schemas-microsoft-com:office:office"\n'
            ' xmlns:x="urn:schemas-microsoft-com:office:excel"\n'
            ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
            ' <Styles><Style ss:ID="Default" ss:Name="Normal"/></Styles>\n'
            ' <Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">'
            "本文件由系统导出</Data></Cell></Row></Table></Worksheet>\n"
            ' <Worksheet ss:Name="明细">\n  <Table>\n   ' +
            "\n   ".join(row(r, width) for r in rows) +
            "\n  </Table>\n </Worksheet>\n</Workbook>\n").encode("utf-8")


for name in sorted(os.listdir(os.path.join(root, "samples"))):
    if name.endswith(".csv"):
        rows = rows_of(os.path.join(root, "samples", name))
        with open(os.path.join(out, name[:-4] + ".xls"), "wb") as f:
            f.write(workbook(rows))
