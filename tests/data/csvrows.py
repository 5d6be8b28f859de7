"""The rows of a CSV of the samples or a case, for the fixture generators beside this file
(html/, pdf/, xls/, xml2003/): UTF-8 (with or without BOM) or GB18030, as the exports are."""
import csv, io


def rows_of(path, strip=False):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    rows = csv.reader(io.StringIO(text))
    if strip:
        return [[c.strip() for c in row] for row in rows]
    return list(rows)
