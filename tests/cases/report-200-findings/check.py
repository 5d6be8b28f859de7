#!/usr/bin/env python3
"""Reads a report (argv[2]: text or md) on stdin; prints how many findings it lists, its groups,
and whether every law it quotes is quoted exactly once (law texts from rules/data/laws.tsv)."""
import re, sys
root, fmt = sys.argv[1], sys.argv[2]
r = sys.stdin.read()
laws = [l.split("\t") for l in open(root + "/rules/data/laws.tsv", encoding="utf-8") if l.strip() and not l.startswith("#")]
quoted = {l[0]: r.count(l[3].strip()) for l in laws if len(l) >= 4 and l[3].strip() in r}
ids = re.findall(r"F-[0-9a-f]{8}", r)
print(f"{fmt}: {len(ids)} finding ids, {len(set(ids))} distinct, {len(r.splitlines())} lines")
heads = [l for l in r.splitlines() if l.startswith("== ") or (fmt == "md" and l.startswith("## ") and "（" in l)]
print("groups:", heads)
print("laws quoted:", len(quoted), "each exactly once:", all(n == 1 for n in quoted.values()))
