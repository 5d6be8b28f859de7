#!/usr/bin/env python3
"""usage-sms as XLSX: date-serial times (one styled m/d/yy h:mm), a number cell
for 对方号码, a blank fee (= 0).
Regenerate input.xlsx: python3 make_xlsx.py"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx  # noqa: E402

ROWS = {
    1: ["短彩信详单"],
    2: ["手机号码：13912345678"],
    3: ["查询时段：2025-06-01 至 2025-06-30"],
    4: ["起始时间", "通信地点", "对方号码", "通信方式", "信息类型", "通信费(元)"],
    5: [("d", "2025-06-02 08:00:00"), "江苏南京", ("n", "10086"), "接收", "短信"],
    6: [("d22", "2025-06-20 18:30:00"), "江苏南京", ("n", "13800001111"), "发送", "短信", ("m", "0.1")],
}

MERGES = ()

if __name__ == "__main__":
    write_xlsx("input.xlsx", ROWS, MERGES)
