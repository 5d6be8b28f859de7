#!/usr/bin/env python3
"""Prints the structure of a billaudit HTML report, independent of styling: language,
sections in order, charts (with their accessible summaries and data tables), tables and
their headers, findings compared with the JSON report of the same run, evidence lines,
and anything that would reach outside the file.

usage: structure.py REPORT.html REPORT.json"""
import json
import re
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.charset = None
        self.sections = []
        self.stack = []
        self.svgs = []          # dicts: id, role, label, title, desc
        self.figures = 0
        self.tables = 0
        self.tables_with_th = 0
        self.findings = {}      # id -> amount
        self.evidence_locs = 0
        self.external = []
        self.scripts = 0
        self.rows = {}          # chart id -> data rows
        self._in = None         # "title"/"desc" inside an svg, "loc" in evidence
        self._text = ""
        self._chart = None
        self._table_has_th = False
        self._in_chartdata = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        for k, v in attrs:
            if v and re.search(r"^\s*(https?:|//|ftp:|data:|javascript:)", v, re.I):
                self.external.append("%s %s=%s" % (tag, k, v))
            if k in ("src", "srcset", "action", "formaction", "poster"):
                self.external.append("%s %s" % (tag, k))
            if k.startswith("on"):
                self.external.append("%s %s (event handler)" % (tag, k))
        if tag in ("script", "link", "iframe", "object", "embed", "img", "image", "use", "base"):
            self.external.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and "charset" in a:
            self.charset = a["charset"].lower()
        if tag == "section":
            self.sections.append(a.get("id"))
        if tag == "figure" and "chart" in cls:
            self.figures += 1
            self._chart = (a.get("id") or "").replace("-fig", "")
        if tag == "svg":
            self.svgs.append({"id": a.get("id"), "role": a.get("role"), "label": a.get("aria-label") or "",
                              "title": "", "desc": ""})
        if tag in ("title", "desc") and self.svgs and "svg" in self.stack:
            self._in, self._text = tag, ""
        if tag == "table":
            self.tables += 1
            self._table_has_th = False
            self._in_chartdata = "chartdata" in cls
        if tag == "th":
            self._table_has_th = True
        if tag == "tr" and self._in_chartdata and "thead" not in self.stack and self._chart:
            self.rows[self._chart] = self.rows.get(self._chart, 0) + 1
        if tag == "tbody" and "finding" in cls:
            self.findings[a.get("data-id")] = a.get("data-amount")
        if tag == "code" and "loc" in cls and "ul" in self.stack:
            self._in, self._text = "loc", ""
        if tag not in ("meta", "br", "col", "input", "hr", "img", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("title", "desc") and self._in == tag:
            self.svgs[-1][tag] = self._text.strip()
            self._in = None
        if tag == "code" and self._in == "loc":
            if re.search(r":\d+$", self._text.strip()):
                self.evidence_locs += 1
            self._in = None
        if tag == "table":
            self.tables_with_th += self._table_has_th
            self._in_chartdata = False
        if tag == "figure":
            self._chart = None
        while self.stack:
            t = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self._in:
            self._text += data


def main():
    html_path, json_path = sys.argv[1], sys.argv[2]
    raw = open(html_path, "rb").read()
    text = raw.decode("utf-8")  # must be UTF-8
    report = json.load(open(json_path, encoding="utf-8"))
    p = Page()
    p.feed(text)
    p.close()
    ev_items = len(re.findall(r'<ul class="evidence"[^>]*>', text))
    ev_lines = sum(len(re.findall(r"<li>", m)) for m in re.findall(r'<ul class="evidence"[^>]*>(.*?)</ul>', text, re.S))
    print("lang=%s charset=%s doctype=%s" % (p.lang, p.charset, text.lstrip().lower().startswith("<!doctype html>")))
    print("sections: " + " ".join(s or "?" for s in p.sections))
    print("charts: %d figures, %d svg" % (p.figures, len(p.svgs)))
    for s in p.svgs:
        ok = s["role"] == "img" and s["label"] and s["title"] and s["desc"] and s["desc"].endswith("。")
        print("  %s: role=img, aria-label, <title>, one-sentence <desc>: %s; data rows: %s"
              % (s["id"], "yes" if ok else "NO", p.rows.get(s["id"], "-")))
    print("tables: %d, with header cells: %d" % (p.tables, p.tables_with_th))
    want = {f["id"]: "%d.%02d" % (f["amount_fen"] // 100, f["amount_fen"] % 100) if f["amount_fen"] >= 0
            else "-%d.%02d" % (-f["amount_fen"] // 100, -f["amount_fen"] % 100) for f in report["findings"]}
    same = sum(1 for k, v in want.items() if p.findings.get(k) == v)
    print("findings: %d in the page, %d in the JSON report, %d with the same id and amount"
          % (len(p.findings), len(want), same))
    cats = []
    for f in report["findings"]:
        if f["category"] not in cats:
            cats.append(f["category"])
    groups = re.findall(r'<table class="findings" data-category="([^"]+)"', text)
    print("finding groups: %d (one table per category: %s)" % (len(groups), sorted(groups) == sorted(cats)))
    n_ev = sum(len(f["evidence"]) for f in report["findings"])
    print("evidence lines: %d in %d lists (JSON: %d), file:line cited: %d" % (ev_lines, ev_items, n_ev, p.evidence_locs))
    laws = len(re.findall(r"<dt id=\"law-", text))
    print("laws in the appendix: %d, each once: %s" % (laws, laws == len(set(re.findall(r'<dt id="(law-[^"]+)"', text)))))
    urls = re.findall(r"(?:https?|ftp)://", text, re.I)
    print("external references: %d, scripts: %d, URLs: %d, url() other than #fragment: %d"
          % (len(p.external), p.scripts, len(urls), len(re.findall(r"url\((?!#)", text))))
    for e in p.external[:5]:
        print("  " + e)


main()
