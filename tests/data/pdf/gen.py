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
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rawpdf import glyphs, raw_pdf  # noqa: E402 (stdlib only: cases use it without reportlab)
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.pagesizes import A4, landscape

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
out = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(out))  # tests/data: the shared CSV reader
from csvrows import rows_of  # noqa: E402
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


class Doc:
    """Pages of a table: preamble and header on page 1, rows on as many pages as needed."""

    def __init__(self, path, title_repeat=True, rows_per_page=None, note=None, encrypt=None,
                 header_every_page=False, caps=None):
        self.path, self.title_repeat, self.rows_per_page, self.note = path, title_repeat, rows_per_page, note
        self.encrypt, self.header_every_page, self.caps = encrypt, header_every_page, caps or {}

    def layout(self, preamble, header, rows):
        ncol = len(header)
        caps = [self.caps.get(h, ID_CAP if ("单号" in h or "订单号" in h) else CAP) for h in header]
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
                page, y = [], PAGE_H - MARGIN - 24 - (14 if self.header_every_page else 0)
            page.append((y, r))
            y -= h
        pages.append(page)
        cv = canvas.Canvas(self.path, pagesize=(PAGE_W, PAGE_H), encrypt=self.encrypt, invariant=1)
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
            if n > 1 and self.header_every_page:
                cv.setFont(F, SIZE)
                for c, h in enumerate(header):
                    cv.drawString(xs[c], PAGE_H - MARGIN - 14, h)
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


def table_of(path):
    """A CSV's preamble lines, header and records."""
    rows = rows_of(path, strip=True)
    h = header_index(rows)
    preamble = [" ".join(c for c in r if c) for r in rows[:h] if any(r)]
    header = rows[h]
    while header and not header[-1]:
        header.pop()
    return preamble, header, [r for r in rows[h + 1:] if any(r)]


def samples():
    os.makedirs(os.path.join(out, "samples"), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(root, "samples"))):
        if name.endswith(".csv"):
            # a few rows a page: every sample spans pages, continued without a header
            Doc(os.path.join(out, "samples", name[:-4] + ".pdf"), rows_per_page=4,
                note=CLOSING).write(*table_of(os.path.join(root, "samples", name)))




# ---- hostile PDFs, written object by object (no reportlab needed) ----

def hostile():
    d = os.path.join(out, "hostile")
    os.makedirs(d, exist_ok=True)
    # a page of 10^6 tiny glyphs
    raw_pdf(os.path.join(d, "glyph-bomb.pdf"), [glyphs(10 ** 6)])
    # glyphs too big for poppler's own limit on tiny ones (it keeps 50 000 a page): ours
    raw_pdf(os.path.join(d, "glyph-bomb-large.pdf"), [glyphs(300000, 4, 100)])
    # 10^4 pages sharing one content stream
    raw_pdf(os.path.join(d, "page-bomb.pdf"), None, shared=glyphs(20, 4, 20), npages=10 ** 4)
    # a scan: a page holding only an image
    from reportlab.lib.utils import ImageReader
    from PIL import Image
    img = Image.new("RGB", (200, 100), "white")
    for x in range(20, 180):
        img.putpixel((x, 50), (0, 0, 0))
    cv = canvas.Canvas(os.path.join(d, "scan.pdf"), pagesize=A4, invariant=1)
    cv.drawImage(ImageReader(img), 50, 500, 400, 200)
    cv.showPage()
    cv.save()
    # encrypted: one that needs a user password, one that opens without one (read)
    from reportlab.lib import pdfencrypt
    for name, user in (("encrypted.pdf", "secret"), ("encrypted-no-user-password.pdf", "")):
        enc = pdfencrypt.StandardEncryption(user, ownerPassword="owner", canPrint=1)
        Doc(os.path.join(d, name), rows_per_page=4, note=CLOSING, encrypt=enc).write(
            *table_of(os.path.join(root, "samples", "payments-history.csv")))
    # cut in the middle
    data = open(os.path.join(out, "samples", "bill-2025.pdf"), "rb").read()
    open(os.path.join(d, "truncated.pdf"), "wb").write(data[: len(data) // 3])




# ---- the wallets' proof PDFs (formats.md §2.1, §3.1) and CSV exports of the same rows ----

def filler(n):
    """Ordinary spending spread over the period: no operator, no top-up."""
    shops = ["某某超市", "某某便利店", "某某书店", "某某咖啡", "某某药房"]
    out = []
    for i in range(n):
        day = 1 + (i * 5) % 28
        month = 1 + (i * 7) % 5
        out.append(("2025-%02d-%02d %02d:%02d:%02d" % (month, day, 8 + i % 12, (i * 13) % 60, (i * 29) % 60),
                    shops[i % len(shops)], "日用品", "%d.%02d" % (5 + i % 40, (i * 37) % 100), i))
    return out


WX_TOP = [  # the WeChat rows of samples/wechat.csv
    ("2025-01-05 10:12:31", "中国联通", "话费充值 186****5678", "100.00", "4200002588202501051012310001", "WX202501051012301111"),
    ("2025-03-18 21:05:44", "中国联通", "话费充值100元 186****5678", "100.00", "4200002588202503182105440002", "WX202503182105442222"),
]


def wechat_rows():
    rows = [(t, "商户消费", p, it, "支出", a, "零钱", tx, m) for t, p, it, a, tx, m in WX_TOP]
    for t, shop, item, amount, i in filler(40):
        method = "招商银行储蓄卡(4321)&零钱通" if i % 3 == 0 else "零钱"
        rows.append((t, "商户消费", shop, item, "支出", amount, method,
                     "42000025882025%014d" % (i + 10), "SP2025%014d" % (i + 10)))
    return sorted(rows)


def wechat_proof():
    d = os.path.join(out, "proofs")
    os.makedirs(d, exist_ok=True)
    rows = wechat_rows()
    preamble = ["编号:2025060100001234", "微信支付交易明细证明",
                "兹证明：李明（居民身份证：110101199001011234）在其微信号：liming_wx中的交易明细信息如下：",
                "币种：人民币 单位：元",
                "交易明细对应时间段 2025-01-01 00:00:00 至 2025-05-31 23:59:59", "具体交易明细"]
    header = ["交易单号", "交易时间", "交易类型", "收/支/其他", "交易方式", "金额(元)", "交易对方", "商户单号"]
    body = [[tx, t, ty, dr, me, a, p, m] for t, ty, p, it, dr, a, me, tx, m in rows]
    note = ["说明：1. 本证明所列交易明细来自微信支付系统记录。", "2. 本证明仅对所列时间段内的交易有效。"]
    Doc(os.path.join(d, "wechat-proof.pdf"), title_repeat=False, rows_per_page=15, note=note,
        caps={"交易方式": 60}).write(preamble, header, body)
    # the same rows as a W1 CSV export
    lines = ["微信支付账单明细", "微信昵称：[李明]", "起始时间：[2025-01-01 00:00:00] 终止时间：[2025-05-31 23:59:59]",
             "共%d笔记录" % len(rows), "----------------------微信支付账单明细列表--------------------",
             "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"]
    for t, ty, p, it, dr, a, me, tx, m in rows:
        lines.append(",".join([t, ty, p, '"%s"' % it, dr, "¥" + a, me, "支付成功", tx + "\t", m + "\t", "/"]))
    open(os.path.join(d, "wechat-export.csv"), "w", encoding="utf-8-sig").write("\n".join(lines) + "\n")


AL_TOP = [  # the operator rows: one credited (samples/payments-history.csv), one not
    ("2025-02-20 08:29:50", "中国联通", "为186****5678交费50.00元", "余额&支付宝随机立减", "49.50",
     "2025022022001412345678901234", "CZ20250220082950778899"),
    ("2025-04-25 19:20:11", "中国联通", "为186****5678交费30.00元", "余额", "30.00",
     "2025042522001412345678909999", "CZ20250425192010445566"),
]


def alipay_rows():
    rows = [("支出", p, it, me, a, tx, m, t) for t, p, it, me, a, tx, m in AL_TOP]
    for t, shop, item, amount, i in filler(30):
        rows.append(("支出", shop, item, "余额", amount, "20250%023d" % (i + 10), "SD2025%014d" % (i + 10), t))
    # a refund: 不计收支 (it wraps as 不计 / 收支)
    rows.append(("不计收支", "某某书店", "退款-日用品", "余额", "5.00", "20250%023d_1" % 10, "SD2025%014d" % 10,
                 "2025-05-20 10:00:00"))
    return sorted(rows, key=lambda r: r[7])


def alipay_proof():
    d = os.path.join(out, "proofs")
    rows = alipay_rows()
    preamble = ["编号: 2025060112345678901234567890123456789012", "交易流水证明",
                "兹证明:李明(证件号码:110101199001011234)在其支付宝账号186****5678中明细信息如下:",
                "币种：人民币 / 单位：元", "交易时间段：2025-01-01 00:00:00 至 2025-05-31 23:59:59", "交易类型：全部"]
    header = ["收/支", "交易对方", "商品说明", "收/付款方式", "金额", "交易订单号", "商家订单号", "交易时间"]
    note = ["说明：本证明由支付宝支付科技有限公司根据系统记录出具。"]
    Doc(os.path.join(d, "alipay-proof.pdf"), title_repeat=False, rows_per_page=12, note=note,
        header_every_page=True, caps={"收/支": 20}).write(preamble, header, [list(r) for r in rows])
    # the same rows as an A3 CSV export (GBK)
    lines = ["-" * 84, "导出信息：", "姓名：李明", "支付宝账户：186****5678",
             "起始时间：[2025-01-01 00:00:00]    终止时间：[2025-05-31 23:59:59]", "共%d笔记录" % len(rows),
             "------------------------支付宝支付科技有限公司  电子客户回单------------------------",
             "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,"]
    for dr, p, it, me, a, tx, m, t in rows:
        cat, status = ("退款", "退款成功") if dr == "不计收支" else (("充值缴费" if "联通" in p else "日用百货"), "交易成功")
        lines.append(",".join([t, cat, p, "/", it, dr, a, me, status, tx + "\t", m + "\t", "", ""]))
    open(os.path.join(d, "alipay-export.csv"), "w", encoding="gb18030").write("\n".join(lines) + "\n")


def contract():
    """samples/contract.txt printed as an agreement: lines wrapped at 26 characters, the
    title repeated on page 2, `第 N 页 共 M 页` at the bottom."""
    lines = []
    for line in open(os.path.join(root, "samples", "contract.txt"), encoding="utf-8").read().splitlines():
        while len(line) > 26:
            lines.append(line[:26])
            line = line[26:]
        lines.append(line)
    per_page = 12
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    W, H = A4
    cv = canvas.Canvas(os.path.join(out, "contract.pdf"), pagesize=A4, invariant=1)
    for n, page in enumerate(pages, 1):
        y = H - 60
        if n > 1:
            cv.setFont(F, 9)
            cv.drawString(60, y, lines[0])
            y -= 24
        cv.setFont(F, 11)
        for line in page:
            cv.drawString(60, y, line)
            y -= 17
        cv.setFont(F, 8)
        cv.drawCentredString(W / 2, 40, "第 %d 页 共 %d 页" % (n, len(pages)))
        cv.showPage()
    cv.save()


def fuzz_seeds():
    """Small seeds for tests/fuzz/fuzz_pdf.c: a table in a standard font, a scan, a cut file."""
    d = os.path.join(root, "tests", "fuzz", "corpus", "pdf")
    os.makedirs(d, exist_ok=True)
    rows = [b"(time) Tj 80 0 Td (item) Tj 80 0 Td (amount) Tj",
            b"(2025-03-08) Tj 80 0 Td (fee) Tj 80 0 Td (58.00) Tj",
            b"(09:41:27) Tj"]
    st = b"BT /F1 8 Tf " + b" ".join(b"1 0 0 1 40 %d Tm " % (800 - 12 * i) + r for i, r in enumerate(rows)) + b" ET"
    raw_pdf(os.path.join(d, "seed-table"), [st, b"BT /F1 8 Tf 1 0 0 1 40 800 Tm (2025-03-09) Tj ET"])
    for name in ("scan.pdf", "truncated.pdf"):
        data = open(os.path.join(out, "hostile", name), "rb").read()
        open(os.path.join(d, "seed-" + name[:-4]), "wb").write(data[:16384])


if __name__ == "__main__":
    samples()
    hostile()
    wechat_proof()
    alipay_proof()
    contract()
    fuzz_seeds()
