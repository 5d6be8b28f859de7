#!/usr/bin/python3
"""make bench: a 详单 (usage-voice) of N rows, written twice with the same rows: as CSV and as
a PDF table (A4 landscape, 40 rows a page, the header on page 1 only, 第N页/共M页 below).
The PDF is written object by object, fast enough for a million rows: its font is a Type0
font with Identity-H codes (the code of a character is its Unicode value) and a ToUnicode
map, without glyphs, which is all a text layer needs. Usage: gen_pdf.py N DIR"""
import os, sys, zlib

HEADER = ["起始时间", "通信地点", "通信方式", "对方号码", "通信时长", "通信类型", "套餐优惠", "实收通信费(元)"]
XS = [30, 130, 180, 230, 310, 370, 430, 490]
PER_PAGE = 40
PAGE_H = 595


def rows(n):
    for i in range(n):
        day, sec = divmod(i * 37, 86400)
        m, d = 1 + (day // 28) % 12, 1 + day % 28
        yield ["2025-%02d-%02d %02d:%02d:%02d" % (m, d, sec // 3600, sec // 60 % 60, sec % 60),
               "北京", "主叫" if i % 3 else "被叫", "138%08d" % (i % 10 ** 8), "%d分%d秒" % (i % 50, i % 60),
               "本地通话", "套餐内" if i % 5 else "", "0.00" if i % 5 else "0.%02d" % (i % 100)]


def hexs(s):
    return "<" + s.encode("utf-16-be").hex() + ">"


def page_stream(lines, page, pages):
    out = ["BT /F1 7 Tf"]
    for y, cells in lines:
        for x, c in zip(XS, cells):
            if c:
                out.append("1 0 0 1 %d %d Tm %s Tj" % (x, y, hexs(c)))
    out.append("1 0 0 1 380 20 Tm %s Tj ET" % hexs("第%d页/共%d页" % (page, pages)))
    return zlib.compress("\n".join(out).encode("ascii"), 6)


def write_pdf(path, n):
    pages = max(1, (n + 1 + PER_PAGE - 1) // PER_PAGE)  # the header takes a line of page 1
    f = open(path, "wb")
    offs = {}

    def obj(k, body):
        offs[k] = f.tell()
        f.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")

    f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap end end")
    obj(1, b"<< /Type /Font /Subtype /Type0 /BaseFont /BenchCJK /Encoding /Identity-H "
           b"/DescendantFonts [2 0 R] /ToUnicode 3 0 R >>")
    obj(2, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /BenchCJK /CIDToGIDMap /Identity "
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [32 126 500] "
           b"/FontDescriptor 4 0 R >>")
    obj(3, b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    obj(4, b"<< /Type /FontDescriptor /FontName /BenchCJK /Flags 4 /FontBBox [0 -120 1000 880] "
           b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    first = 6  # 5 = the Pages node, written last
    it = rows(n)
    for p in range(pages):
        lines, y = [], PAGE_H - 30
        if p == 0:
            lines.append((y, HEADER))
            y -= 12
        for k in range(PER_PAGE - (1 if p == 0 else 0)):
            r = next(it, None)
            if r is None:
                break
            lines.append((y, r))
            y -= 12
        z = page_stream(lines, p + 1, pages)
        obj(first + 2 * p, b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream")
        obj(first + 2 * p + 1, b"<< /Type /Page /Parent 5 0 R /Contents %d 0 R >>" % (first + 2 * p))
    kids = b" ".join(b"%d 0 R" % (first + 2 * p + 1) for p in range(pages))
    obj(5, b"<< /Type /Pages /Count %d /MediaBox [0 0 842 %d] /Resources << /Font << /F1 1 0 R >> >> "
           b"/Kids [" % (pages, PAGE_H) + kids + b"] >>")
    cat = first + 2 * pages
    obj(cat, b"<< /Type /Catalog /Pages 5 0 R >>")
    x = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f \n" % (cat + 1))
    for k in range(1, cat + 1):
        f.write(b"%010d 00000 n \n" % offs[k])
    f.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (cat + 1, cat, x))
    f.close()


def write_csv(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write("中国联通通话详单\n手机号码：18612345678\n" + ",".join(HEADER) + "\n")
        for r in rows(n):
            f.write(",".join(r) + "\n")


if __name__ == "__main__":
    n, d = int(sys.argv[1]), sys.argv[2]
    os.makedirs(d, exist_ok=True)
    write_csv(os.path.join(d, "voice-%d.csv" % n), n)
    write_pdf(os.path.join(d, "voice-%d.pdf" % n), n)
