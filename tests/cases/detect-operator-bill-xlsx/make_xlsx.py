#!/usr/bin/env python3
"""operator-bill as XLSX: merged category cells (value in the top-left cell only),
number cells with float noise (rounded half-up to fen), a 账期 number cell,
an absent row, 合计 rows.
Regenerate input.xlsx: python3 make_xlsx.py"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx  # noqa: E402

ROWS = {
    1: ["中国移动 月账单"],
    2: ["手机号码：13912345678"],
    4: ["账期", "费用类别", "费用项目", "金额(元)", "备注"],
    5: ["2025-06", "套餐及固定费", "5G智享套餐58元月基本费", ("m", "58")],
    6: ["2025-06", None, "来电显示", ("m", "5")],
    7: ["2025-06", None, "家庭宽带100M月使用费", ("m", "30.000000000000004")],
    8: ["2025-06", "语音通信费", "国内通话费", ("m", "1.2")],
    9: ["2025-06", "增值业务费", "视频彩铃", ("m", "10"), "未订购"],
    10: ["2025-06", "合计", None, ("m", "104.2")],
    12: [("n", "202507"), "套餐及固定费", "5G智享套餐58元月基本费", ("m", "58")],
    13: ["2025-07", "优惠减免", "话费券抵扣", ("m", "-4.999999999999999")],
    14: ["2025-07", "合计", None, ("m", "53")],
}

MERGES = ("B5:B7",)

if __name__ == "__main__":
    write_xlsx("input.xlsx", ROWS, MERGES)
