#!/usr/bin/env python3
"""Reads a report (argv[2]: text or md) on stdin; prints how many findings it lists, its groups,
whether the appendix quotes every law it lists exactly once (law texts from
rules/data/laws.tsv), and how often each category's legal statement is printed (once per
category, not once per finding)."""
import re, sys
root, fmt = sys.argv[1], sys.argv[2]
r = sys.stdin.read()
laws = [l.split("\t") for l in open(root + "/rules/data/laws.tsv", encoding="utf-8") if l.strip() and not l.startswith("#")]
appendix = r[r.index("附录：法律条文"):] if "附录：法律条文" in r else ""
quoted = {l[0]: appendix.count(l[3].strip()) for l in laws if len(l) >= 4 and l[3].strip() in appendix}
ids = re.findall(r"F-[0-9a-f]{8}", r)
print(f"{fmt}: {len(ids)} finding ids, {len(set(ids))} distinct, {len(r.splitlines())} lines")
heads = [l for l in r.splitlines() if l.startswith("== ") or (fmt == "md" and l.startswith("## ") and "（" in l)]
print("groups:", heads)
print("laws in the appendix:", len(quoted), "each exactly once:", all(n == 1 for n in quoted.values()))
reasons = [l for l in r.splitlines() if re.match(r"^(- )?(不应收取的理由|请求减免的理由|请求减少的理由)：", l.strip())]
print("legal statements printed:", len(reasons), "for", len(heads), "categories")
