#!/usr/bin/env python3
"""Benchmark data for `make bench`: one China Mobile account over ten years
(2015-01 .. 2024-12) with N itemised usage rows spread over voice (30 %),
data (50 %), SMS (15 %) and broadband (5 %) logs, one file per kind and
year, plus the matching monthly bills, the operator's payment history and
the WeChat Pay top-ups, written twice: as CSV (csv/) and as XLSX (xlsx/).

Deterministic (fixed seed): the same N gives byte-identical CSV files.
Standard library only (zipfile for XLSX).

The usage logs are plain header + rows (no preamble), so that mlr, sqlite3
and pandas read them as they are; coverage comes from account.json
usage_coverage (spec §3). Three anomalies are planted so that the audit has
something to find: voice billed 5.00 over the itemised calls in 2019-07
(usage-mismatch), no broadband session in 2021-03 (unused-period), and a
WeChat top-up in 2023-05 the operator never credited (payment-not-credited).

usage: gen.py N OUTDIR
"""
import datetime
import json
import os
import random
import sys
import zipfile

YEARS = range(2015, 2025)
SHARE = {"voice": 30, "data": 50, "sms": 15, "broadband": 5}
NUMBER = "13912345678"
EPOCH = datetime.date(1899, 12, 30)  # Excel serial day 0; times are seconds since it
MISMATCH_MONTH = (2019, 7)
NO_BROADBAND_MONTH = (2021, 3)
UNCREDITED_MONTH = (2023, 5)

HEADERS = {
    "voice": ["起始时间", "通信地点", "通信方式", "对方号码", "通信时长", "通信类型", "套餐优惠", "费用"],
    "data": ["起始时间", "通信地点", "上网方式", "网络类型", "总时长", "总流量", "套餐优惠", "费用"],
    "sms": ["起始时间", "通信地点", "对方号码", "通信方式", "信息类型", "套餐优惠", "费用"],
    "broadband": ["上线时间", "下线时间", "上网时长", "上行流量", "下行流量", "IP地址"],
}
# XLSX cell type per column: t = date-time serial (date style), n = number,
# s = shared string (few distinct values), i = inline string (mostly unique).
XTYPES = {
    "voice": "tssssssn",
    "data": "tssssisn",
    "sms": "tsssssn",
    "broadband": "ttiiii",
}

PLACES = ["江苏南京", "江苏南京", "江苏南京", "江苏苏州", "上海", "浙江杭州", "江苏无锡"]
CALL_TYPES = ["本地通话", "本地通话", "本地通话", "国内长途", "国内漫游"]


def day_number(y, m, d):
    return (datetime.date(y, m, d) - EPOCH).days


DAY_TEXT = {}
for dn in range(day_number(2014, 12, 1), day_number(2025, 2, 1)):
    DAY_TEXT[dn] = (EPOCH + datetime.timedelta(days=dn)).isoformat()
CLOCK = ["%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)]


def ts_text(t):
    return DAY_TEXT[t // 86400] + " " + CLOCK[t % 86400]


def month_of(t):
    return DAY_TEXT[t // 86400][:7]


def yuan(fen):
    return "%s%d.%02d" % ("-" if fen < 0 else "", abs(fen) // 100, abs(fen) % 100)


def duration(secs):
    h, m, s = secs // 3600, secs // 60 % 60, secs % 60
    if h:
        return "%d小时%d分%d秒" % (h, m, s)
    return "%d分%d秒" % (m, s) if m else "%d秒" % s


def volume(kb):
    if kb >= 1024 * 1024:
        return "%.2fGB" % (kb / 1048576)
    if kb >= 1024:
        return "%.2fMB" % (kb / 1024)
    return "%dKB" % kb


class Month:
    """Itemised fee sums and usage per month, from which the bills are built."""

    def __init__(self):
        self.fees = {}

    def add(self, key, kind, fee):
        self.fees[(key, kind)] = self.fees.get((key, kind), 0) + fee


def usage_rows(kind, year, n, rng, sums):
    """n rows of one kind in one year, in time order; times spread evenly."""
    start = day_number(year, 1, 1) * 86400
    span = (day_number(year + 1, 1, 1) - day_number(year, 1, 1)) * 86400
    contacts = ["138%08d" % rng.randrange(10 ** 8) for _ in range(300)] + ["10086", "95588"]
    rows = []
    step = span / max(n, 1)
    skip_lo = day_number(*NO_BROADBAND_MONTH, 1) * 86400
    skip_hi = day_number(NO_BROADBAND_MONTH[0], NO_BROADBAND_MONTH[1] + 1, 1) * 86400
    for i in range(n):
        t = start + int((i + rng.random()) * step)
        r = rng.random()
        if kind == "voice":
            secs = rng.randrange(5, 1200)
            fee = 15 * ((secs + 59) // 60) if r < 0.1 else 0
            row = [t, PLACES[i % 7], "被叫" if r > 0.6 else "主叫", contacts[rng.randrange(302)],
                   duration(secs), CALL_TYPES[i % 5], "套餐内" if fee == 0 else "", yuan(fee)]
        elif kind == "data":
            secs = rng.randrange(10, 7200)
            fee = (100 if r < 0.004 else 300) if r < 0.005 else 0
            row = [t, PLACES[i % 7], "手机上网", "5G" if r > 0.3 else "4G", CLOCK[secs],
                   volume(rng.randrange(0, 2000000)), "国内通用流量", yuan(fee)]
        elif kind == "sms":
            sent = r < 0.5
            fee = 10 if sent and r < 0.2 else 0
            row = [t, PLACES[i % 7], contacts[rng.randrange(302)], "发送" if sent else "接收",
                   "短信" if r > 0.05 else "彩信", "" if fee else "套餐内", yuan(fee)]
        else:
            secs = int(min(step * 0.9, rng.randrange(600, 6 * 3600)))
            end = t + secs
            if skip_lo <= t < skip_hi:
                continue
            if t < skip_lo <= end:
                end = skip_lo - 1
            fee = 0
            row = [t, end, duration(end - t), volume(rng.randrange(100, 900000)),
                   volume(rng.randrange(1000, 9000000)), "10.25.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))]
        sums.add(month_of(t), kind, fee)
        rows.append(row)
    return rows


def text_rows(kind, rows):
    """Rows as CSV cells: times as text."""
    types = XTYPES[kind]
    out = []
    for row in rows:
        out.append([ts_text(v) if types[c] == "t" else v for c, v in enumerate(row)])
    return out


def write_csv(path, preamble, header, cells):
    with open(path, "w", encoding="utf-8", newline="") as f:
        for line in preamble:
            f.write(line + "\r\n")
        f.write(",".join(header) + "\r\n")
        batch = []
        for row in cells:
            batch.append(",".join(row))
            if len(batch) >= 50000:
                f.write("\r\n".join(batch) + "\r\n")
                batch = []
        if batch:
            f.write("\r\n".join(batch) + "\r\n")


# ---- XLSX ----

COLS = "ABCDEFGHIJKLMNOP"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


XLSX_STATIC = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>",
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>",
    # cellXfs: 0 = general, 1 = yyyy-mm-dd hh:mm:ss
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>",
}


def write_xlsx(path, preamble, header, rows, types):
    """rows: raw rows (times as seconds); types: per column t/n/s/i; preamble and
    header cells are shared strings."""
    sst, order = {}, []

    def sid(s):
        i = sst.get(s)
        if i is None:
            i = sst[s] = len(order)
            order.append(s)
        return i

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in XLSX_STATIC.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            r = 0
            out = []
            for line in preamble:
                r += 1
                out.append('<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (r, r, sid(line)))
            r += 1
            out.append('<row r="%d">%s</row>' % (r, "".join(
                '<c r="%s%d" t="s"><v>%d</v></c>' % (COLS[c], r, sid(h)) for c, h in enumerate(header))))
            for row in rows:
                r += 1
                cells = []
                for c, v in enumerate(row):
                    ty = types[c]
                    if ty == "t":
                        cells.append('<c r="%s%d" s="1"><v>%.8f</v></c>' % (COLS[c], r, v / 86400))
                    elif v == "":
                        continue
                    elif ty == "n":  # as Excel writes it: 1.5, 0
                        num = v.rstrip("0").rstrip(".") if "." in v else v
                        cells.append('<c r="%s%d"><v>%s</v></c>' % (COLS[c], r, num or "0"))
                    elif ty == "s":
                        cells.append('<c r="%s%d" t="s"><v>%d</v></c>' % (COLS[c], r, sid(v)))
                    else:
                        cells.append('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (COLS[c], r, esc(v)))
                out.append('<row r="%d">%s</row>' % (r, "".join(cells)))
                if len(out) >= 20000:
                    f.write("".join(out).encode())
                    out = []
            f.write("".join(out).encode())
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     'count="%d" uniqueCount="%d">' % (len(order), len(order))).encode())
            f.write("".join("<si><t>%s</t></si>" % esc(s) for s in order).encode())
            f.write(b"</sst>")


def both(outdir, name, preamble, header, rows, types, textcells):
    """Writes one file as CSV and as XLSX. Preamble lines pad to the header width."""
    pad = "," * (len(header) - 1)
    write_csv(os.path.join(outdir, "csv", name + ".csv"), [p + pad for p in preamble], header, textcells)
    write_xlsx(os.path.join(outdir, "xlsx", name + ".xlsx"), preamble, header, rows, types)


def bills(outdir, year, sums):
    rows = []
    paid = []
    for m in range(1, 13):
        ym = "%d-%02d" % (year, m)
        voice = sums.fees.get((ym, "voice"), 0)
        if (year, m) == MISMATCH_MONTH:
            voice += 500
        lines = [("套餐及固定费", "4G飞享套餐58元月基本费", 5800),
                 ("套餐及固定费", "家庭宽带200M月使用费", 10000),
                 ("语音通信费", "国内通话费", voice),
                 ("上网费", "国内流量费", sums.fees.get((ym, "data"), 0)),
                 ("短彩信费", "国内短信费", sums.fees.get((ym, "sms"), 0))]
        for cat, item, fen in lines:
            rows.append([ym, cat, item, yuan(fen), ""])
        total = sum(x[2] for x in lines)
        rows.append([ym, "合计", "", yuan(total), ""])
        paid.append((m, total))
    pre = ["中国移动 月账单明细", "客户名称：王小明", "手机号码：" + NUMBER, "账期：%d-01 至 %d-12" % (year, year)]
    header = ["账期", "费用类别", "费用项目", "金额(元)", "备注"]
    both(outdir, "bill-%d" % year, pre, header, rows, "sssss", rows)
    return paid


def payments(outdir, year, paid, rng):
    credits, wechat = [], []
    for m, total in paid:
        t = day_number(year, m, 8) * 86400 + 9 * 3600 + rng.randrange(3600)
        txid = "42000%05d%d%02d%07d" % (rng.randrange(10 ** 5), year, m, rng.randrange(10 ** 7))
        wechat.append([ts_text(t), "商户消费", "中国移动", "话费充值 139****5678", "支出", "¥" + yuan(total),
                       "零钱", "支付成功", txid, "CZ%d%02d08%06d" % (year, m, rng.randrange(10 ** 6)), "/"])
        if (year, m) != UNCREDITED_MONTH:
            credits.append([ts_text(t + 30), yuan(total), "网上缴费", "微信支付", "成功",
                            "JF%d%02d%08d" % (year, m, rng.randrange(10 ** 8))])
    pre = ["缴费记录", "手机号码：" + NUMBER, "查询时段：%d-01-01至%d-12-31" % (year, year)]
    header = ["缴费时间", "缴费金额(元)", "缴费方式", "缴费渠道", "状态", "流水号"]
    both(outdir, "payments-%d" % year, pre, header, credits, "ssssss", credits)
    wechat.reverse()  # newest first, as WeChat exports
    pre = ["微信支付账单明细", "微信昵称：[小明]",
           "起始时间：[%d-01-01 00:00:00] 终止时间：[%d-12-31 23:59:59]" % (year, year),
           "导出类型：[全部]", "导出时间：[%d-01-05 10:15:33]" % (year + 1), "",
           "共%d笔记录" % len(wechat), "----------------------微信支付账单明细列表--------------------"]
    header = ["交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式", "当前状态",
              "交易单号", "商户单号", "备注"]
    both(outdir, "wechat-%d" % year, pre, header, wechat, "s" * 11, wechat)


def account(outdir):
    acct = {
        "operator": "china-mobile", "number": NUMBER, "province": "江苏",
        "holder": {"name": "王小明", "address": "江苏省南京市示例路1号", "phone": NUMBER, "postcode": "210000"},
        "plan": {"name": "4G飞享套餐58元", "monthly_fee": "58.00", "start": "2015-01-01"},
        "services": [{"name": "家庭宽带200M", "kind": "broadband", "monthly_fee": "100.00", "start": "2015-01-01"}],
        "subscriptions": [],
        "usage_coverage": {"from": "2015-01", "to": "2024-12"},
    }
    with open(os.path.join(outdir, "account.json"), "w", encoding="utf-8") as f:
        json.dump(acct, f, ensure_ascii=False, indent=2)


def main():
    n, outdir = int(sys.argv[1]), sys.argv[2]
    for sub in ("csv", "xlsx"):
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)
    account(outdir)
    total = 0
    for year in YEARS:
        rng = random.Random(year * 7919 + n)
        sums = Month()
        for kind, share in SHARE.items():
            count = n * share // 100 // len(YEARS)
            rows = usage_rows(kind, year, count, rng, sums)
            total += len(rows)
            both(outdir, "%s-%d" % (kind, year), [], HEADERS[kind], rows, XTYPES[kind], text_rows(kind, rows))
        payments(outdir, year, bills(outdir, year, sums), rng)
        print("gen: %d done (%d usage rows so far)" % (year, total), file=sys.stderr, flush=True)
    with open(os.path.join(outdir, "usage-rows"), "w") as f:
        f.write("%d\n" % total)


if __name__ == "__main__":
    main()
