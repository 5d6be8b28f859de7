#!/usr/bin/python3
"""Writes the samples' tables as legacy BIFF8 .xls (xlwt) into tests/data/xls: every cell
text as in the CSV, so the audit of each must give the CSV's findings. dates.xls holds
date, time and number cells in the 1900 and the 1904 date systems."""
import datetime, os, sys
import xlwt

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
out = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(out))  # tests/data: the shared CSV reader
from csvrows import rows_of  # noqa: E402

for name in sorted(os.listdir(os.path.join(root, "samples"))):
    if not name.endswith(".csv"):
        continue
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for r, row in enumerate(rows_of(os.path.join(root, "samples", name))):
        for c, v in enumerate(row):
            if v != "":
                ws.write(r, c, v)
    wb.save(os.path.join(out, name[:-4] + ".xls"))

for system in (1900, 1904):
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = system == 1904
    ws = wb.add_sheet("dates")
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    stamp = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    ws.write(0, 0, "时间"); ws.write(0, 1, "业务名称"); ws.write(0, 2, "金额"); ws.write(0, 3, "备注")
    ws.write(1, 0, datetime.datetime(2025, 3, 8, 9, 41, 27), stamp)
    ws.write(1, 1, "彩铃")
    ws.write(1, 2, 12.5)
    ws.write_merge(1, 2, 3, 3, "上下合并")
    ws.write(2, 0, datetime.date(2025, 4, 1), day)
    ws.write(2, 1, "游戏包")
    ws.write(2, 2, 30)
    wb.save(os.path.join(out, "dates-%d.xls" % system))

# A broken sector chain: the first FAT sector's entries point past the end of the file.
import struct
data = bytearray(open(os.path.join(out, "bill-2025.xls"), "rb").read())
fat = struct.unpack_from("<I", data, 0x4C)[0]
for i in range(128):
    struct.pack_into("<I", data, 512 * (fat + 1) + 4 * i, 0x00FFFF00 + i)
open(os.path.join(out, "broken-chain.xls"), "wb").write(bytes(data))
# A chain that loops: the workbook stream's third sector points back to its first, so a
# reader that follows the chain for the stream's size reads the same sectors again.
data = bytearray(open(os.path.join(out, "bill-2025.xls"), "rb").read())
d = 512 * (struct.unpack_from("<I", data, 0x30)[0] + 1)
for e in range(4):
    if data[d + 128 * e:d + 128 * e + 16].decode("utf-16le").startswith("Workbook"):
        start = struct.unpack_from("<I", data, d + 128 * e + 0x74)[0]
        struct.pack_into("<I", data, 512 * (fat + 1) + 4 * (start + 2), start)
open(os.path.join(out, "looped-chain.xls"), "wb").write(bytes(data))
open(os.path.join(out, "truncated.xls"), "wb").write(open(os.path.join(out, "bill-2025.xls"), "rb").read()[:3000])

# A date bomb: FreeXL counts a date serial out one day at a time, so 40 cells dated 2e9
# days after 1900 are minutes of work; the reader's child is stopped at its time limit.
wb = xlwt.Workbook()
ws = wb.add_sheet("s")
bomb = xlwt.easyxf(num_format_str="yyyy-mm-dd")
ws.write(0, 0, "日期")
ws.write(0, 1, "金额")
for r in range(1, 41):
    ws.write(r, 0, 2.0e9, bomb)
    ws.write(r, 1, 1.5)
# beside its case, not in tests/data: every scan of tests/data would spend the 20 s on it
wb.save(os.path.join(out, "..", "..", "cases", "hostile-xls", "date-bomb.xls"))
