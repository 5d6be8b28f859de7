#!/usr/bin/env python3
"""bench/gen_wallet.py N OUT.csv: a WeChat Pay bill (formats.md §2 layout) of N rows for
make bench: a year of everyday spending with a monthly operator top-up among it, every
row with its own transaction and merchant numbers, newest first as WeChat exports."""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20250101)
shops = ["便利店", "超市", "面包房", "水果店", "快餐", "地铁", "公交", "药店", "书店", "外卖"]
start = 1735689600  # 2025-01-01 00:00:00 UTC (only the text matters)
rows, t = [], start
for i in range(n):
    t += rng.randrange(20, 150)
    if i % 500 == 0:
        party, item, fen = "中国移动", "话费充值 139****5678", 5000 + 100 * rng.randrange(10)
    else:
        party, item, fen = shops[i % len(shops)] + "%03d" % (i % 997), "商品", rng.randrange(100, 30000)
    y, mo, d, h, mi, s = __import__("time").gmtime(t)[:6]
    rows.append('%04d-%02d-%02d %02d:%02d:%02d,商户消费,%s,"%s",支出,¥%d.%02d,"零钱",支付成功,'
                '4200%018d\t,M%016d\t,"/"' % (y, mo, d, h, mi, s, party, item, fen // 100, fen % 100, i, i))
rows.reverse()
pre = ["微信支付账单明细", "微信昵称：[小明]",
       "起始时间：[2025-01-01 00:00:00] 终止时间：[%04d-%02d-%02d 23:59:59]" % (y, mo, d),
       "导出类型：[全部]", "导出时间：[%04d-%02d-%02d 10:15:33]" % (y, mo, d), "",
       "共%d笔记录" % n, "----------------------微信支付账单明细列表--------------------",
       "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"]
with open(out, "w", encoding="utf-8") as f:
    f.write("\ufeff" + "\n".join(pre[:-1]).replace("\n", ",,,,,,,,,,\n") + ",,,,,,,,,,\n")
    f.write(pre[-1] + "\n" + "\n".join(rows) + "\n")
