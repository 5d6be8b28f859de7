#!/usr/bin/env python3
"""usage-data as XLSX: date-serial start times, 总流量(MB) as number cells (a bare
number takes the header unit), fee number cells, an inline string cell.
Regenerate input.xlsx: python3 make_xlsx.py"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx  # noqa: E402

ROWS = {
    1: ["中国移动上网详单"],
    2: ["手机号码：", "13912345678"],
    3: ["查询时段：2025-05-01至2025-05-31"],
    4: ["起始时间", "通信地点", "网络类型", "总时长", "总流量(MB)", "通信费(元)"],
    5: [("d", "2025-05-01 06:30:00"), "江苏南京", "5G", "00:20:00", ("n", "152.3"), ("m", "0")],
    6: [("d", "2025-05-17 12:00:00"), ("i", "江苏苏州"), "4G", "01:00:00", ("n", "1024"), ("m", "0")],
    7: [("d", "2025-05-31 23:00:00"), "江苏南京", "5G", "00:59:59", ("n", "0"), ("m", "2")],
}

MERGES = ()

if __name__ == "__main__":
    write_xlsx("input.xlsx", ROWS, MERGES)
