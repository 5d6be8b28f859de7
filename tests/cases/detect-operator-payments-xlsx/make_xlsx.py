#!/usr/bin/env python3
"""operator-payments as XLSX: a merged title, date-serial times (one date only), amounts
as number cells, a reversal, a failed payment, a 合计 row.
Regenerate input.xlsx: python3 make_xlsx.py"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx  # noqa: E402

ROWS = {
    1: ["缴费记录"],
    2: ["手机号码：13912345678"],
    3: ["查询时段：2025-03-01 至 2025-05-31"],
    4: ["缴费时间", "缴费金额(元)", "缴费方式", "缴费渠道", "状态"],
    5: [("d", "2025-03-08 09:41:30"), ("m", "100"), "网上缴费", "微信支付", "成功"],
    6: [("d", "2025-04-20 00:00:00"), ("m", "50.5"), "网上缴费", "支付宝", "成功"],
    7: [("d", "2025-05-02 12:00:00"), ("m", "-20"), "冲正", "营业厅", "冲正"],
    8: [("d", "2025-05-09 08:00:00"), ("m", "30"), "网上缴费", "支付宝", "失败"],
    9: ["合计", ("m", "160.5")],
}

MERGES = ("A1:E1",)

if __name__ == "__main__":
    write_xlsx("input.xlsx", ROWS, MERGES)
