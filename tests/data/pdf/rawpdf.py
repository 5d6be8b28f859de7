#!/usr/bin/env python3
"""PDFs written object by object, with the standard library only (gen.py uses them for the
hostile corpus; a case can run this without reportlab): text pages of Helvetica glyphs,
the page objects in one compressed object stream. Usage: rawpdf.py pages N OUT.pdf writes
N pages sharing one content stream of 20 glyphs (up to 65 535 pages: the index field of the cross-reference stream)."""
import sys


def raw_pdf(path, page_streams, shared=None, npages=None):
    """A PDF of Helvetica text pages: page_streams is a list of content streams (bytes);
    or shared (one stream) used by npages pages. Page objects sit in one compressed
    object stream (PDF 1.5) with a cross-reference stream: 10^4 pages in a small file."""
    import struct, zlib
    streams = [shared] if shared is not None else page_streams
    n = npages if shared is not None else len(page_streams)
    # objects: 1 font, 2 pages, 3.. content streams, then pages, then catalog, objstm, xref
    font, pages_id = 1, 2
    sids = list(range(3, 3 + len(streams)))
    kids = list(range(sids[-1] + 1, sids[-1] + 1 + n))
    cat, objstm, xref = kids[-1] + 1, kids[-1] + 2, kids[-1] + 3
    plain = {font: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
             pages_id: b"<< /Type /Pages /Count %d /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 %d 0 R >> >> /Kids [" % (n, font) +
                       b" ".join(b"%d 0 R" % k for k in kids) + b"] >>",
             cat: b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id}
    for sid, st in zip(sids, streams):
        z = zlib.compress(st, 9)
        plain[sid] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream"
    head, body = [], bytearray()
    for i, k in enumerate(kids):
        sid = sids[0] if shared is not None else sids[i]
        head.append(b"%d %d" % (k, len(body)))
        body += b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R >> " % (pages_id, sid)
    first = b" ".join(head) + b" "
    z = zlib.compress(first + bytes(body), 9)
    plain[objstm] = (b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
                     % (n, len(first), len(z)) + z + b"\nendstream")
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for k in sorted(plain):
        offs[k] = len(out)
        out += b"%d 0 obj\n" % k + plain[k] + b"\nendobj\n"
    offs[xref] = len(out)
    rows = bytearray(struct.pack(">BIH", 0, 0, 65535))
    for k in range(1, xref + 1):
        if k in offs:
            rows += struct.pack(">BIH", 1, offs[k], 0)
        else:
            rows += struct.pack(">BIH", 2, objstm, k - kids[0])  # its place in the object stream
    z = zlib.compress(bytes(rows), 9)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d "
            b"/Filter /FlateDecode >>\nstream\n" % (xref, xref + 1, cat, len(z)) + z +
            b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offs[xref])
    open(path, "wb").write(bytes(out))


def glyphs(count, size=0.8, per_row=1000):
    """A text stream of count glyphs in rows across the page."""
    rows, nrows = [], (count + per_row - 1) // per_row
    step = min(size, 800.0 / nrows)  # all on the page (poppler drops what is off it)
    for r in range(nrows):
        k = min(per_row, count - r * per_row)
        text = bytes(b"abcdefghijklmnopqrstuvwxyz"[(r + i) % 26] for i in range(k))
        rows.append(b"1 0 0 1 10 %.3f Tm (%s) Tj" % (830 - r * step, text))
    return b"BT /F1 %.2f Tf " % size + b"\n".join(rows) + b" ET"


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "pages":
        sys.exit(__doc__)
    raw_pdf(sys.argv[3], None, shared=glyphs(20, 4, 20), npages=int(sys.argv[2]))
