#!/usr/bin/env python3
"""usage-voice as XLSX (China Telecom style): 序号, date-serial start times, integer
seconds under 通信时长(秒), number cells for 对方号码 and the fee, a period
declared as 起始日期 / 结束日期 pairs on one line, a merged title.
Regenerate input.xlsx: python3 make_xlsx.py"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx  # noqa: E402

ROWS = {
    1: ["中国电信 通话详单查询"],
    2: ["用户号码：19912345678"],
    3: ["起始日期：2025-02-01  结束日期：2025-02-28"],
    5: ["序号", "起始时间", "对方号码", "通信时长(秒)", "通信方式", "通信地点", "通信类型", "实收通信费(元)"],
    6: [("n", "1"), ("d", "2025-02-01 07:00:05"), ("n", "13800001111"), ("n", "62"), "主叫", "广州", "本地", ("m", "0")],
    7: [("n", "2"), ("d", "2025-02-14 20:14:00"), ("n", "2161234567"), ("n", "600"), "被叫", "广州", "本地", ("m", "0")],
    9: [("n", "3"), ("d22", "2025-02-28 23:59:00"), "051262001234", ("n", "125"), "主叫", "深圳", "国内长途", ("m", "0.3")],
    10: ["合计", None, None, None, None, None, None, ("m", "0.3")],
}

MERGES = ("A1:H1",)

if __name__ == "__main__":
    write_xlsx("input.xlsx", ROWS, MERGES)
