#!/usr/bin/env python3
"""Every evidence line of a JSON report (stdin) must be the decoded text of that line of
that file (XLSX rows excepted: their evidence is the cells joined by commas)."""
import json, sys

r = json.load(sys.stdin)
bad = 0
for f in r["findings"]:
    for e in f["evidence"]:
        path = e["source"]
        if path.endswith(".xlsx"):
            continue
        raw = open(path, "rb").read()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                lines = raw.decode(enc).split("\n")
                break
            except UnicodeDecodeError:
                continue
        line = lines[e["line"] - 1].rstrip("\r") if 0 < e["line"] <= len(lines) else None
        if path.endswith(".json"):
            line = line.strip() if line else line
        if line != e["text"]:
            print(f"{path}:{e['line']}: cited {e['text']!r}, file has {line!r}")
            bad += 1
print("ok" if not bad else f"{bad} evidence lines do not match")
