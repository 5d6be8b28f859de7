#!/usr/bin/env python3
"""expected_diff.py EXPECTED.json < REPORT.json

Compares billaudit's JSON report with a case's expected findings ({"findings":
[{category, period, amount_fen}], "terms": [{file, line, term_type}]?}): money findings
as a multiset of (category, period, amount_fen), unfair terms by (file name, line,
term_type) when the case lists terms. Prints each miss and false alarm, then a line
"expected E, reported R, matched M"."""
import json, os, sys
from collections import Counter

want_doc = json.load(open(sys.argv[1], encoding="utf-8"))
report = json.load(sys.stdin)
with_terms = "terms" in want_doc

want = Counter((f["category"], f["period"], f["amount_fen"]) for f in want_doc["findings"])
want += Counter(("unfair-term", t["file"], t["line"], t["term_type"]) for t in want_doc.get("terms", []))
got = Counter()
for f in report["findings"]:
    if f["category"] != "unfair-term":
        got[(f["category"], f["period"], f["amount_fen"])] += 1
    elif with_terms:
        ev = f["evidence"][0]
        got[("unfair-term", os.path.basename(ev["source"]), ev["line"], f["term_type"])] += 1

for k in sorted((want - got).elements(), key=str):
    print("miss:", *k)
for k in sorted((got - want).elements(), key=str):
    print("false alarm:", *k)
print(f"expected {sum(want.values())}, reported {sum(got.values())}, matched {sum((want & got).values())}")
