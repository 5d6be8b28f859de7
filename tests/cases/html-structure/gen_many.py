#!/usr/bin/env python3
"""Writes a ten-year case with about 200 findings into DIR (argv[1]): a bill CSV for
2015-01..2024-12, a broadband sessions log, a voice log, and account.json. Deterministic.
Used by the html-structure and html-valid tests, and for the 200-finding screenshot
(doc/screenshots/)."""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(os.path.join(out, "inputs"), exist_ok=True)

rows = ["中国联通月账单明细,,,,", "客户名称：王芳,,,,", "手机号码：18612345678,,,,",
        "账期：2015-01 至 2024-12,,,,", "账期,费用类别,费用项目,金额(元),备注"]
for y in range(2015, 2025):
    for m in range(1, 13):
        p = "%d-%02d" % (y, m)
        i = (y - 2015) * 12 + m - 1
        plan = "69.00" if i % 3 == 1 else "59.00"           # price-mismatch every third month
        if (y, m) >= (2019, 3) and (y, m) <= (2019, 5):
            plan = "20.00"                                     # suspended: above the allowed 5.00
        rows.append("%s,月固定费,冰激凌套餐59元月基本费,%s," % (p, plan))
        rows.append("%s,月固定费,联通宽带300M月使用费,50.00," % p)  # after the 2016-06 cancellation
        if y < 2022 or i % 4 == 0:                             # 2022 on: the voice log's years
            rows.append("%s,语音通话费,国内通话费,%d.%02d," % (p, i % 7, (i * 13) % 100))
        rows.append("%s,增值业务费,彩铃,5.00," % p)
        if i % 4 == 0:
            rows.append("%s,增值业务费,彩铃,5.00," % p)           # duplicate-charge
        if i % 6 == 5:
            # unsubscribed; the item needs escaping, the note holds a number to redact
            rows.append("%s,增值业务费,游戏包月<特惠>&礼包,8.00,来电13912345678订购" % p)
        if (y, m) == (2016, 6):
            rows.append("%s,其他费用,宽带提前解约违约金,600.00," % p)
        total = sum(int(r.split(",")[3].replace(".", "")) for r in rows if r.startswith(p + ","))
        rows.append("%s,合计,,%d.%02d," % (p, total // 100, total % 100))
with open(os.path.join(out, "inputs", "bill-2015-2024.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")

bb = ["家庭宽带上网记录", "宽带账号：010-88881234", "客户名称：王芳", "查询时段：2015-01-01至2016-12-31",
      "上线时间,下线时间,上网时长,上行流量,下行流量,IP地址"]
for y in (2015, 2016):
    for m in range(1, 13):
        if (y, m) >= (2016, 2):
            continue                                           # no sessions from 2016-02 on
        for d in range(1, 28, 3 + m % 3):
            bb.append("%d-%02d-%02d 20:00:00,%d-%02d-%02d 22:10:00,2小时10分,120MB,2.1GB,10.0.0.%d"
                      % (y, m, d, y, m, d, d))
with open(os.path.join(out, "inputs", "broadband.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(bb) + "\n")

vc = ["中国联通通话详单,,,,,,,", "客户姓名：王芳　手机号码：18612345678", "查询时段：2022-01-01至2024-12-31,,,,,,,",
      "起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,套餐优惠,实收通信费(元)"]
for y in (2022, 2023, 2024):
    for m in range(1, 13):
        for d in range(2, 28, 2 + (m % 5)):
            vc.append("%d-%02d-%02d 09:%02d:00,北京,主叫,13800001111,1分%02d秒,本地通话,,0.%02d"
                      % (y, m, d, d, d, d % 10))
with open(os.path.join(out, "inputs", "voice.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(vc) + "\n")

acct = {
    "operator": "china-unicom", "number": "18612345678", "province": "北京",
    "holder": {"name": "王芳", "address": "北京市海淀区示例路1号", "phone": "18612345678", "postcode": "100080"},
    "plan": {"name": "冰激凌套餐59元", "monthly_fee": "59.00", "start": "2014-05-01"},
    "services": [{"name": "联通宽带300M", "kind": "broadband", "monthly_fee": "50.00",
                  "start": "2014-07-01", "end": "2017-06-30", "cancelled": "2016-06-10"}],
    "subscriptions": ["彩铃"],
    "suspensions": [{"from": "2019-03-01", "to": "2019-05-31", "allowed_fee": "5.00"}],
}
with open(os.path.join(out, "account.json"), "w", encoding="utf-8") as f:
    json.dump(acct, f, ensure_ascii=False, indent=2)
