#!/usr/bin/python3
"""make bench: a 详单 (usage-voice) of N rows (at most 65 535: a legacy BIFF8 sheet holds
65 536 rows, the header takes one) written twice with the same rows as bench/gen_pdf.py
makes them: as CSV and as a legacy .xls (xlwt, package python3-xlwt), every cell a text
as in the CSV, as the web halls' exports hold them. Usage: gen_xls.py N DIR"""
import os, sys
import xlwt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_pdf import HEADER, rows  # the same rows, the same header

MAX_ROWS = 65535


def write_xls(path, n):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("通话详单")
    for c, h in enumerate(HEADER):
        ws.write(0, c, h)
    for r, cells in enumerate(rows(n), 1):
        for c, v in enumerate(cells):
            if v:
                ws.write(r, c, v)
    wb.save(path)


def write_csv(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        for r in rows(n):
            f.write(",".join(r) + "\n")


if __name__ == "__main__":
    n, d = int(sys.argv[1]), sys.argv[2]
    if n > MAX_ROWS:
        sys.exit("gen_xls.py: a BIFF8 sheet holds at most %d rows under its header" % MAX_ROWS)
    os.makedirs(d, exist_ok=True)
    write_csv(os.path.join(d, "voice-xls-%d.csv" % n), n)
    write_xls(os.path.join(d, "voice-xls-%d.xls" % n), n)
