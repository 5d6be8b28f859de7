#!/usr/bin/env python3
"""broadband-sessions as XLSX: date-serial 上线时间/下线时间, a session running
over a month end, volumes as text with units.
Regenerate input.xlsx: python3 make_xlsx.py"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx  # noqa: E402

ROWS = {
    1: ["宽带上网记录"],
    2: ["宽带账号：02588881234", "客户名称：王小明"],
    3: ["查询时段：2025-06-01至2025-07-31"],
    4: ["上线时间", "下线时间", "上网时长", "上行流量", "下行流量", "IP地址"],
    5: [("d", "2025-06-30 22:00:00"), ("d", "2025-07-01 02:00:00"), "4小时0分0秒", "1.2GB", "20.5GB", "10.0.0.2"],
    6: [("d", "2025-07-15 08:00:00"), ("d", "2025-07-15 09:30:00"), "01:30:00", "10MB", "300MB", "10.0.0.3"],
}

MERGES = ()

if __name__ == "__main__":
    write_xlsx("input.xlsx", ROWS, MERGES)
