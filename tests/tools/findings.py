#!/usr/bin/env python3
"""Reads billaudit's JSON report on stdin; prints one line per finding:
money findings "category period amount_fen", unfair terms "unfair-term FILE:LINE term_type"."""
import json, os, sys

r = json.load(sys.stdin)
for f in r["findings"]:
    if f["category"] == "unfair-term":
        ev = f["evidence"][0]
        print(f"unfair-term {os.path.basename(ev['source'])}:{ev['line']} {f['term_type']}")
    else:
        print(f"{f['category']} {f['period']} {f['amount_fen']}")
