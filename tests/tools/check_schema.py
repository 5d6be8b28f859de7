#!/usr/bin/env python3
"""Checks a billaudit JSON report (stdin) against schema billaudit/findings/v1 (spec §5).
Prints "ok" or the first problems found."""
import json, re, sys

r = json.load(sys.stdin)
problems = []

def need(obj, key, types, where):
    if key not in obj:
        problems.append(f"{where}: missing {key}")
        return None
    if not isinstance(obj[key], types):
        problems.append(f"{where}.{key}: wrong type {type(obj[key]).__name__}")
    return obj[key]

need(r, "schema", str, "report")
if r.get("schema") != "billaudit/findings/v1":
    problems.append("schema is not billaudit/findings/v1")
tool = need(r, "tool", dict, "report") or {}
need(tool, "name", str, "tool"); need(tool, "version", str, "tool")
if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", r.get("generated_at", "")):
    problems.append("generated_at is not local ISO time")
need(r, "account", dict, "report")
for i, s in enumerate(need(r, "sources", list, "report") or []):
    w = f"sources[{i}]"
    for k, t in (("path", str), ("format", str), ("encoding", str), ("sha256", str), ("records", int), ("rejected", int)):
        need(s, k, t, w)
    if not re.match(r"^[0-9a-f]{64}$", s.get("sha256", "")):
        problems.append(f"{w}: sha256 is not hex")
    need(s, "period", (dict, type(None)), w)
for k in ("skipped", "warnings", "rules_skipped", "deadlines"):
    need(r, k, list, "report")
ids = set()
for i, f in enumerate(need(r, "findings", list, "report") or []):
    w = f"findings[{i}]"
    for k, t in (("id", str), ("rule", str), ("category", str), ("severity", str), ("amount_fen", int),
                 ("title", str), ("explanation", str), ("legal_basis", list), ("evidence", list), ("remedy", str)):
        need(f, k, t, w)
    if not re.match(r"^F-[0-9a-f]{8}$", f.get("id", "")):
        problems.append(f"{w}: id {f.get('id')} is not F-xxxxxxxx")
    if f.get("id") in ids:
        problems.append(f"{w}: duplicate id")
    ids.add(f.get("id"))
    if f.get("category") == "unfair-term":
        if f.get("period") is not None or not isinstance(f.get("term_type"), str):
            problems.append(f"{w}: unfair-term needs period null and a term_type")
    else:
        if not re.match(r"^\d{4}-\d\d$", f.get("period") or ""):
            problems.append(f"{w}: period is not YYYY-MM")
        if not re.match(r"^\d{4}-\d\d-\d\d$", f.get("deadline") or ""):
            problems.append(f"{w}: money finding without a deadline")
    if not f.get("evidence"):
        problems.append(f"{w}: no evidence")
    for e in f.get("evidence", []):
        if not (isinstance(e.get("source"), str) and isinstance(e.get("line"), int) and isinstance(e.get("text"), str)):
            problems.append(f"{w}: evidence needs source, line, text")
    for b in f.get("legal_basis", []):
        if not all(isinstance(b.get(k), str) and b.get(k) for k in ("law", "article", "text")):
            problems.append(f"{w}: legal_basis needs law, article, text")
t = need(r, "totals", dict, "report") or {}
if t.get("findings") != len(r.get("findings", [])):
    problems.append("totals.findings does not count the findings")
if t.get("disputed_fen") != sum(f.get("amount_fen", 0) for f in r.get("findings", [])):
    problems.append("totals.disputed_fen is not the sum")
keys = [(f.get("period") or "9999", f.get("category"), f.get("id")) for f in r.get("findings", [])]
print("\n".join(problems[:20]) if problems else "ok")
