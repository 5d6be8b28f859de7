#!/usr/bin/env python3
"""Copies one file of every tabular format from samples/ into OUT with one row broken
after the header (a bad amount or time), keeping each file's encoding."""
import os, sys

root, out = sys.argv[1], sys.argv[2]
cases = [  # file, encoding, line to corrupt (1-based), old text, new text
    ("bill-2025.csv", "utf-8-sig", 7, "50.00", "5O.00"),
    ("voice-calls.csv", "utf-8", 6, "2025-01-19 20:03:10", "2025-02-30 20:03:10"),
    ("data-sessions.csv", "utf-8", 5, "2025-01-10 09:43:52", "yesterday"),
    ("sms.csv", "utf-8-sig", 6, "0.10", "0.1x"),
    ("vas-deductions.csv", "utf-8", 6, "20.00", "NaN"),
    ("broadband.csv", "utf-8", 6, "2025-01-02 19:00:00", "2025/13/02 19:00"),
    ("payments-history.csv", "gb18030", 6, "50.00", "--5"),
    ("wechat.csv", "utf-8-sig", 19, "¥100.00", "¥1e9"),
    ("alipay-records.csv", "gb18030", 19, "49.50", "49.5.0"),
]
for name, enc, line, old, new in cases:
    text = open(os.path.join(root, "samples", name), encoding=enc, newline="").read()
    lines = text.split("\n")
    assert old in lines[line - 1], (name, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    open(os.path.join(out, name), "w", encoding=enc, newline="").write("\n".join(lines))
