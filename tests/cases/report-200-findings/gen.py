#!/usr/bin/env python3
"""Writes into argv[1] a bill of 100 months, each with a duplicated 彩铃 line and an
unsubscribed 代收费 line (200 findings), and its account profile."""
import os, sys
d = sys.argv[1]
rows = ["中国联通月账单明细,,,,", "手机号码：18612345678,,,,", "账期：2017-01 至 2025-04,,,,", "账期,费用类别,费用项目,金额(元),备注"]
for i in range(100):
    p = f"{2017 + i // 12}-{i % 12 + 1:02d}"
    rows += [f"{p},月固定费,冰激凌套餐59元月基本费,59.00,", f"{p},增值业务费,彩铃,5.00,", f"{p},增值业务费,彩铃,5.00,",
             f"{p},代收费（信息费）,游戏点卡包月(某某网络科技有限公司),20.00,"]
open(os.path.join(d, "bill.csv"), "w").write("\n".join(rows) + "\n")
open(os.path.join(d, "account.json"), "w").write(
    '{"operator":"china-unicom","number":"18612345678","province":"北京","subscriptions":["彩铃"],'
    '"plan":{"name":"冰激凌套餐59元","monthly_fee":"59.00"}}')
