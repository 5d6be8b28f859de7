#!/usr/bin/env python3
"""Issue 21, acceptance 3, on a JSON report (argv[1]) and the letters (argv[2:]):
- a finding that rests on what the user states (the profile) also cites the operator's own
  record of the fact wherever an input holds it (support entries), per category;
- the profile is never an exhibit: not in the JSON exhibits, not in a letter's index;
- every exhibit number a letter cites (证据N) is in that letter's index."""
import json, re, sys

r = json.load(open(sys.argv[1], encoding="utf-8"))
cats = {}
for f in r["findings"]:
    roles = [e.get("role", "record") for e in f["evidence"]]
    c = cats.setdefault(f["category"], [0, 0, 0])
    c[0] += 1
    if "statement" in roles or f.get("statements"):
        c[1] += 1
        c[2] += "support" in roles
for k in sorted(cats):
    n, said, backed = cats[k]
    print(f"{k}: {n} finding(s), {said} resting on the user's statement, {backed} of them backed by the operator's records")
print("profile among the JSON exhibits:", any(x["source"].endswith("account.json") for x in r["exhibits"]))
nums = [x["no"] for x in r["exhibits"]]
cited = {e["exhibit"] for f in r["findings"] for e in f["evidence"] if "exhibit" in e}
print("JSON exhibits:", len(nums), "numbered 1..n:", nums == list(range(1, len(nums) + 1)), "all cited:", cited == set(nums))
for path in sys.argv[2:]:
    t = open(path, encoding="utf-8").read()
    index = set(int(n) for n in re.findall(r"^  证据(\d+)：", t, re.M))
    refs = set(int(n) for n in re.findall(r"证据(\d+)", t))
    listed = re.findall(r"^      文件 (\S+)", t, re.M)
    print(f"{path.split('/')[-1]}: index {sorted(index)}, every reference in it: {refs <= index}, "
          f"profile in the index: {any(p.endswith('account.json') for p in listed)}")
