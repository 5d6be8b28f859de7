#!/usr/bin/env python3
"""Renders a billaudit HTML report in headless Chromium and checks what a person opening
it would see: it loads without console messages and without a single network request
(Chromium's own NetLog is read: every request the page starts is in it), a screenshot is
taken, it prints to an A4 PDF with a sensible number of pages, and the PDF's text holds
every finding's amount and id, and it embeds a CJK font (pdffonts; a machine without one
prints tofu boxes whose text layer still reads right, so the text check alone cannot tell).

usage: browser.py REPORT.html REPORT.json OUTDIR

Without Chromium or poppler-utils it checks nothing: it says why on stderr and exits 77,
which tests/run.sh counts as skipped, never as passed (CI installs both)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
         # Nothing may reach the network even if the page asked: names resolve to nothing.
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(exe, page, action, netlog):
    prof = tempfile.mkdtemp(prefix="billaudit-chromium-")
    try:
        cmd = [exe] + FLAGS + ["--user-data-dir=" + prof, "--log-net-log=" + netlog,
                               "--net-log-capture-mode=Default"] + action + ["file://" + page]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(prof, ignore_errors=True)


def page_requests(netlog, page):
    """URLs of the requests whose top frame is a file:// page (the report), not Chromium's
    own background traffic."""
    with open(netlog, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        d = json.loads(text)
    except ValueError:  # a log cut short: Chromium closes the array on exit, usually
        d = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    urls = []
    for e in d.get("events", []):
        p = e.get("params") or {}
        if names.get(e.get("type")) == "URL_REQUEST_START_JOB" and "url" in p:
            if p.get("network_isolation_key", "").startswith("file://") and p["url"] != "file://" + page:
                urls.append(p["url"])
    return urls


# Font names of the CJK families Debian ships (fonts-noto-cjk, fonts-wqy-*, fonts-arphic-*,
# fonts-droid-fallback); a subset prefix (ABCDEF+) comes before the name.
CJK_FONT = re.compile(r"CJK|SourceHan|Source Han|WenQuanYi|WQY|DroidSansFallback|UMing|UKai|AR ?PL", re.I)


def pdf_font_names(pdf):
    """Every embedded font pdffonts lists, by name. Chromium embeds CFF-outline fonts such
    as Noto CJK as Type 3, which pdffonts lists as [none]: their name is read from the
    FontDescriptor of the object pdffonts gives."""
    out = subprocess.run(["pdffonts", pdf], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    data = open(pdf, "rb").read()
    names = []
    for line in out.splitlines()[2:]:
        f = line.split()
        if len(f) < 7 or f[-5] != "yes":  # emb column: "yes" when the font is embedded
            continue
        name = f[0]
        if name == "[none]":
            name = descriptor_name(data, f[-2]) or name
        names.append(name)
    return names


def descriptor_name(data, obj):
    m = re.search(rb"(?<![0-9])" + obj.encode() + rb" 0 obj\s*<<(.*?)>>\s*endobj", data, re.S)
    d = m and re.search(rb"/FontDescriptor (\d+) 0 R", m.group(1))
    m = d and re.search(rb"(?<![0-9])" + d.group(1) + rb" 0 obj\s*<<(.*?)>>", data, re.S)
    n = m and re.search(rb"/FontName /([^\s/<>\[\]()]+)", m.group(1))
    return n.group(1).decode("latin-1") if n else None


def money(fen):
    sign = "-" if fen < 0 else ""
    return "%s%d.%02d" % (sign, abs(fen) // 100, abs(fen) % 100)


def main():
    page, report, out = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    exe = browser()
    missing = [t for t in ("pdftotext", "pdfinfo", "pdffonts") if not shutil.which(t)]
    if not exe or missing:
        sys.stderr.write("SKIP html-browser: %s not installed\n" % ", ".join(([] if exe else ["chromium"]) + missing))
        return 77
    os.makedirs(out, exist_ok=True)
    findings = json.load(open(report, encoding="utf-8"))["findings"]
    png, pdf = os.path.join(out, "report.png"), os.path.join(out, "report.pdf")
    rc1, err1 = run(exe, page, ["--window-size=1100,1800", "--screenshot=" + png], os.path.join(out, "shot.netlog.json"))
    rc2, err2 = run(exe, page, ["--no-pdf-header-footer", "--print-to-pdf=" + pdf], os.path.join(out, "pdf.netlog.json"))
    console = [l for l in (err1 + err2).splitlines() if ":CONSOLE" in l]
    reqs = page_requests(os.path.join(out, "shot.netlog.json"), page) + page_requests(os.path.join(out, "pdf.netlog.json"), page)
    shot = os.path.exists(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(png) > 20000
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode() if os.path.exists(pdf) else ""
    pages = int((re.search(r"^Pages:\s+(\d+)", info, re.M) or [0, 0])[1])
    a4 = re.search(r"^Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts", info, re.M) is not None
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace") if pages else ""
    flat = re.sub(r"\s+", "", text)
    no_amount = [f["id"] for f in findings if f["period"] and money(f["amount_fen"]) not in flat]
    no_id = [f["id"] for f in findings if f["id"] not in flat]
    fonts = pdf_font_names(pdf) if pages else []
    cjk = [n for n in fonts if CJK_FONT.search(n)]
    got = [
        "loaded in headless Chromium: %s" % ("yes" if rc1 == 0 and rc2 == 0 else "NO (exit %d, %d)" % (rc1, rc2)),
        "console messages: %d" % len(console),
        "network requests started by the page: %d" % len(reqs),
        "screenshot saved: %s" % ("yes" if shot else "NO"),
        "PDF saved, A4: %s" % ("yes" if pages and a4 else "NO"),
        "PDF pages within [3, 6 + findings]: %s" % ("yes" if 3 <= pages <= 6 + len(findings) else "NO (%d)" % pages),
        "PDF text holds every money finding's amount: %s" % ("yes" if not no_amount else "NO: " + " ".join(no_amount)),
        "PDF text holds every finding's id: %s" % ("yes" if not no_id else "NO: " + " ".join(no_id)),
        "PDF embeds a CJK font: %s" % ("yes" if cjk else "NO (embedded: %s)" % (", ".join(sorted(set(fonts))) or "none")),
    ]
    print("\n".join(got))
    for l in console[:5]:
        sys.stderr.write(l + "\n")
    for u in reqs[:5]:
        sys.stderr.write("request: %s\n" % u)
    sys.stderr.write("%s: %d findings, %d PDF pages, screenshot %s\n" % (page, len(findings), pages, png))
    return 0


sys.exit(main())
