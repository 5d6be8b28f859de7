#!/usr/bin/python3
"""Writes PDF fixtures into tests/data/pdf (reportlab; the tests read the committed PDFs).

- samples/<name>.pdf: every CSV of samples/ as a PDF table, the way an operator or wallet
  prints one: the preamble lines on page 1, the header row on page 1 only, a running title
  on later pages, `第N页/共M页` at the bottom, cells wrapped inside their column (a date
  above its time, ids broken mid-number, long names over two lines), a closing 说明 text.
  The audit of each must give the CSV's findings.
- hostile PDFs (no text layer, encrypted, glyph and page bombs) for the hostile corpus.

The CJK font is embedded (subset). reportlab embeds TrueType outlines only, and the Noto
CJK fonts are CFF-outlined, so the font is WenQuanYi Micro Hei (Debian fonts-wqy-microhei);
set BILLAUDIT_CJK_TTF to another TrueType CJK font to use that. Run: /usr/bin/python3 gen.py
"""
import csv, io, os, sys
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.pagesizes import A4, landscape

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
out = os.path.dirname(os.path.abspath(__file__))
FONT_FILE = os.environ.get("BILLAUDIT_CJK_TTF", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
pdfmetrics.registerFont(TTFont("CJK", FONT_FILE, subfontIndex=0))
F = "CJK"

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 36
SIZE = 6.5             # table font size
LEAD = SIZE * 1.3      # line pitch inside a cell
ROW_PAD = 5            # extra space between table rows: wrapped lines sit tighter
PAD = 5                # each side of a cell
CAP = 78               # widest cell text before it wraps
ID_CAP = 52            # id columns wrap (a 交易单号 broken mid-number)


def width(s, size=SIZE):
    return pdfmetrics.stringWidth(s, F, size)


def is_letter(c):
    return c < "\x80" and c.isalpha()


def rejoin(a, b):
    """How billaudit joins a wrapped cell's lines (src/wordtable.c): a space between
    two ASCII fragments when either side is a letter, or before a time under its date."""
    if not a or not b:
        return a + b
    if ":" in b and ":" not in a:
        return a + " " + b
    p, q = a[-1], b[0]
    if p < "\x80" and q < "\x80" and (is_letter(p) or is_letter(q)):
        return a + " " + b
    return a + b


def wrap(text, cap):
    """Lines of at most cap points, broken only where rejoining gives the text back."""
    if " " in text and len(text) == 19 and text[4] == "-" and text[13] == ":":
        return text.split(" ")  # a date above its time
    lines = []
    while width(text) > cap:
        best = None
        for i in range(1, len(text)):
            head, tail = text[:i].rstrip(" "), text[i:].lstrip(" ")
            if width(head) > cap:
                break
            if head and tail and rejoin(head, tail) == text:
                best = (head, tail)
        if not best:
            break
        lines.append(best[0])
        text = best[1]
    lines.append(text)
    return lines


def rows_of(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


class Doc:
    """Pages of a table: preamble and header on page 1, rows on as many pages as needed."""

    def __init__(self, path, title_repeat=True, rows_per_page=None, note=None):
        self.path, self.title_repeat, self.rows_per_page, self.note = path, title_repeat, rows_per_page, note

    def layout(self, preamble, header, rows):
        ncol = len(header)
        caps = [ID_CAP if ("单号" in h or "订单号" in h) else CAP for h in header]
        cells = [[wrap(r[c] if c < len(r) else "", caps[c]) for c in range(ncol)] for r in rows]
        widths = []
        for c in range(ncol):
            w = max([width(header[c])] + [width(l) for r in cells for l in r[c]])
            widths.append(w + 2 * PAD + 6)
        scale = min(1.0, (PAGE_W - 2 * MARGIN) / sum(widths))
        xs, x = [], MARGIN
        for w in widths:
            xs.append(x + PAD)
            x += w * scale
        return cells, xs

    def write(self, preamble, header, rows):
        cells, xs = self.layout(preamble, header, rows)
        pages, page, y0 = [], [], None
        top = PAGE_H - MARGIN - 12 - (len(preamble) + 1) * 11 - LEAD
        y = top
        for r in cells:
            h = max(len(c) for c in r) * LEAD + ROW_PAD
            full = self.rows_per_page and len(page) >= self.rows_per_page
            if page and (y - h < MARGIN + 24 or full):
                pages.append(page)
                page, y = [], PAGE_H - MARGIN - 24
            page.append((y, r))
            y -= h
        pages.append(page)
        cv = canvas.Canvas(self.path, pagesize=(PAGE_W, PAGE_H))
        cv.setTitle(os.path.basename(self.path))
        for n, page in enumerate(pages, 1):
            if n == 1:
                ty = PAGE_H - MARGIN
                for line in preamble:
                    cv.setFont(F, 8)
                    cv.drawString(MARGIN, ty, line)
                    ty -= 11
                cv.setFont(F, SIZE)
                hy = ty - 4
                for c, h in enumerate(header):
                    cv.drawString(xs[c], hy, h)
            elif self.title_repeat and preamble:
                cv.setFont(F, 8)
                cv.drawString(MARGIN, PAGE_H - MARGIN, preamble[0])
            cv.setFont(F, SIZE)
            last = None
            for y, r in page:
                for c, lines in enumerate(r):
                    for k, line in enumerate(lines):
                        if line:
                            cv.drawString(xs[c], y - k * LEAD, line)
                last = y - max(len(c) for c in r) * LEAD
            if n == len(pages) and self.note:
                cv.setFont(F, 7)
                ny = (last if last is not None else PAGE_H / 2) - 16
                for line in self.note:
                    cv.drawString(MARGIN, ny, line)
                    ny -= 10
            cv.setFont(F, 7)
            cv.drawCentredString(PAGE_W / 2, MARGIN - 14, "第%d页/共%d页" % (n, len(pages)))
            cv.showPage()
        cv.save()


def header_index(rows):
    """The table header: the first row with at least three non-empty cells."""
    for i, r in enumerate(rows):
        if sum(1 for c in r if c) >= 3:
            return i
    raise SystemExit("no header row")


CLOSING = ["说明：1. 本清单根据系统记录生成，仅供核对。",
           "2. 如对清单内容有疑问，请联系客服。"]


def samples():
    os.makedirs(os.path.join(out, "samples"), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(root, "samples"))):
        if not name.endswith(".csv"):
            continue
        rows = rows_of(os.path.join(root, "samples", name))
        h = header_index(rows)
        preamble = [" ".join(c for c in r if c) for r in rows[:h] if any(r)]
        header = rows[h]
        while header and not header[-1]:
            header.pop()
        body = [r for r in rows[h + 1:] if any(r)]
        # a few rows a page: every sample spans pages, continued without a header
        Doc(os.path.join(out, "samples", name[:-4] + ".pdf"), rows_per_page=4,
            note=CLOSING).write(preamble, header, body)


if __name__ == "__main__":
    samples()
