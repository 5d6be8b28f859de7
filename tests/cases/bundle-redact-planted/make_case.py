#!/usr/bin/env python3
"""Writes into argv[1] a case that plants one value of every identifier class issue 21 names
in every input format a bundle copies (CSV, XLSX, text): in each file's header and, where the
layout has room, in the rows the findings cite. Unrelated wallet spending sits beside the cited
top-ups. Prints the planted values, one per line ("class<TAB>value"), to argv[2].
Standard library only (tests/tools/xlsx_writer.py writes the workbook)."""
import os, sys, zipfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from xlsx_writer import write_xlsx

out, listing = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

P = {  # class -> planted value (each unique, none a substring of another file's text)
    "holder name": "王小红",
    "holder phone": "13912345678",
    "street address": "张江路88号5号楼1201室",
    "postcode": "201203",
    "id number": "310115199003071234",
    "passport": "E12345678",
    "bank card": "6222020200112233445",
    "broadband account": "sh-adsl-778899",
    "wechat nickname": "小猫咪咪",
    "wechat txid": "4200001111222233334444555566",
    "wechat merchant id": "WXM20250318777788889999",
    "alipay account": "wangxh.demo@example.com",
    "alipay txid": "2025031822001499998888777766",
    "alipay merchant id": "CZ20250318999900001111",
    "operator serial": "LS2025030100001111",
    "operator serial (last)": "LS2025033100002222",
    "third-party mobile": "13700001111",
    "third-party landline": "021-55556666",
    "third-party landline (no dash)": "02155557777",
    "complaint reference": "SH20250320-4455",
    "work order": "SH20250301-7788",
}
# Classes planted in every format's header (labelled as a person would see them).
HEADER = [
    "客户名称：王小红", "证件号码：310115199003071234", "护照号码：E12345678",
    "银行卡号：6222020200112233445", "联系地址：上海市浦东新区张江路88号5号楼1201室",
    "邮编：201203", "微信昵称：[小猫咪咪]", "投诉编号：SH20250320-4455",
    "紧急联系人：13700001111", "固定电话：021-55556666",
]
UNRELATED = ["铁路12306", "罗森便利店", "某某书店"]

def write(name, text, enc="utf-8"):
    with open(os.path.join(out, name), "w", encoding=enc, newline="") as f:
        f.write(text)

# operator bill (CSV): header block, the cited lines carry references in 备注
bill = ["中国移动月账单明细,,,,", "手机号码：13912345678,,,,"] + [h + ",,,," for h in HEADER] + [
    "账期：2025-03 至 2025-04,,,,", "账期,费用类别,费用项目,金额(元),备注",
    "2025-03,套餐及固定费,5G智享套餐58元月基本费,58.00,",
    "2025-03,套餐及固定费,家庭宽带100M月使用费,40.00,宽带账号sh-adsl-778899",
    "2025-03,增值业务费,视频彩铃,10.00,",
    "2025-03,其他费用,宽带提前解约违约金,300.00,工单号：SH20250301-7788",
    "2025-04,套餐及固定费,5G智享套餐58元月基本费,58.00,",
    "2025-04,套餐及固定费,家庭宽带100M月使用费,40.00,宽带账号sh-adsl-778899 客服回电13700001111",
    "2025-04,代收费,某某游戏包月,15.00,SP客服021-55556666",
]
write("bill.csv", "\n".join(bill) + "\n")

# WeChat Pay (W1 CSV): the nickname in the preamble; the cited top-up's ids; unrelated spending
wechat = ["微信支付账单明细,,,,,,,,,,", "微信昵称：[小猫咪咪],,,,,,,,,,",
          "起始时间：[2025-03-01 00:00:00] 终止时间：[2025-04-30 23:59:59],,,,,,,,,,",
          "导出类型：[全部],,,,,,,,,,", "导出时间：[2025-05-01 09:00:00],,,,,,,,,,",
          "----------------------微信支付账单明细列表--------------------,,,,,,,,,,",
          "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
          '2025-03-18 21:05:44,商户消费,中国移动,"话费充值100元 139****5678",支出,¥100.00,"零钱",支付成功,4200001111222233334444555566\t,WXM20250318777788889999\t,"/"',
          '2025-03-20 08:00:00,商户消费,铁路12306,"火车票 上海-杭州",支出,¥73.00,"零钱",支付成功,4200009999888877776666555544\t,T20250320000000001111\t,"/"',
          '2025-03-22 19:10:00,商户消费,罗森便利店,"便利店消费",支出,¥21.50,"零钱",支付成功,4200008888777766665555444433\t,L20250322000000002222\t,"/"',
          '2025-03-25 12:00:00,转账,张*伟,"转账给13600002222",支出,¥200.00,"零钱",支付成功,1000050001202503250000000001\t,/\t,"/"']
write("wechat.csv", "\n".join(wechat) + "\n")

# Alipay (A3, GBK): the account in the preamble; the cited top-up's ids; unrelated spending
alipay = ["------------------------------------------------------------------------------------",
          "导出信息：", "姓名：王小红", "支付宝账户：wangxh.demo@example.com",
          "起始时间：[2025-03-01 00:00:00]    终止时间：[2025-04-30 23:59:59]",
          "导出交易类型：[全部]", "导出时间：[2025-05-01 10:00:00]",
          "------------------------支付宝支付科技有限公司  电子客户回单------------------------",
          "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,",
          "2025-03-28 09:00:00,充值缴费,中国移动,shcmcc***@chinamobile.com,为139****5678充值50.00元,支出,50.00,余额,交易成功,2025031822001499998888777766\t,CZ20250318999900001111\t,,",
          "2025-03-29 12:00:00,文化休闲,某某书店,/,图书,支出,32.00,余额,交易成功,2025032922001400001111222233\t,SD20250329120000112233\t,,"]
write("alipay.csv", "\r\n".join(alipay) + "\r\n", enc="gbk")

# the operator's payment history, no declared period: its first and last rows are cited
history = ["缴费记录,,,,,", "手机号码：13912345678,,,,,", "缴费时间,缴费金额(元),缴费方式,缴费渠道,状态,流水号",
           "2025-03-01 10:00:00,30.00,营业厅缴费,现金,成功,LS2025030100001111",
           "2025-03-31 10:00:00,20.00,营业厅缴费,现金,成功,LS2025033100002222"]
write("history.csv", "\n".join(history) + "\n")

# a voice 详单: third parties' numbers in 对方号码 (rows no finding cites)
voice = ["中国移动通话详单", "手机号码：13912345678", "查询时段：2025-03-01至2025-04-30",
         "起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,实收通信费(元)",
         "2025-03-04 08:15:22,上海,主叫,13700001111,3分12秒,本地通话,0.00",
         "2025-03-09 18:01:05,上海,主叫,021-55556666,1分02秒,本地通话,0.00",
         "2025-04-12 09:30:00,上海,被叫,02155557777,5分00秒,本地通话,0.00"]
write("voice.csv", "\n".join(voice) + "\n")

# broadband sessions: the account in the preamble, none in April
bb = ["家庭宽带上网记录", "宽带账号：sh-adsl-778899", "客户名称：王小红", "查询时段：2025-03-01至2025-04-30",
      "上线时间,下线时间,上网时长,上行流量,下行流量,IP地址",
      "2025-03-02 20:00:00,2025-03-02 22:00:00,2小时,10MB,300MB,10.1.2.3"]
write("broadband.csv", "\n".join(bb) + "\n")

# a value-added log as a workbook (XLSX): the header block, and the cited deduction
rows = [["增值业务及代收费扣费记录"], ["手机号码：13912345678"]] + [[h] for h in HEADER] + [
    ["查询时段：2025-03-01 至 2025-04-30"],
    ["扣费时间", "业务名称", "服务提供商", "业务类型", "费用(元)", "备注"],
    ["2025-04-09 20:31:09", "某某游戏包月", "某某网络科技有限公司", "代收费", "15.00", "订购号码13700001111 流水号：LS2025033100002222"],
    ["2025-04-10 10:00:00", "铁路12306会员", "罗森便利店", "代收费", "0.00", "某某书店"]]
# shared strings: the uncited row's texts sit in sharedStrings.xml, which a copy must drop
write_xlsx(os.path.join(out, "vas.xlsx"), {r: row for r, row in enumerate(rows, 1)},
           sheet="王小红的扣费记录")
# the author's name in the document properties: a copy must not carry it
with zipfile.ZipFile(os.path.join(out, "vas.xlsx"), "a") as z:
    z.writestr("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>王小红 13912345678</dc:creator></cp:coreProperties>')

# the contract (text): the parties' block, and a cited clause naming the account
contract = ["中国移动家庭宽带业务协议", ""] + ["甲方（用户）：王小红"] + HEADER[1:] + [
    "宽带账号：sh-adsl-778899", "乙方：中国移动通信集团上海有限公司", "",
    "第一条　服务内容", "（一）乙方为甲方提供100M家庭宽带接入服务（宽带账号sh-adsl-778899），月使用费40元。",
    "（二）协议期限为24个月，自2024年6月1日起至2026年5月31日止。",
    "第二条　其他", "（一）本协议最终解释权归乙方所有，甲方紧急联系人13700001111。"]
write("contract.txt", "\n".join(contract) + "\n")

write("account.json", """{
  "operator": "china-mobile", "number": "13912345678", "province": "上海",
  "holder": {"name": "王小红", "address": "上海市浦东新区张江路88号5号楼1201室", "phone": "13912345678", "postcode": "201203"},
  "plan": {"name": "5G智享套餐58元", "monthly_fee": "58.00"},
  "services": [{"name": "家庭宽带100M", "kind": "broadband", "monthly_fee": "40.00", "account": "sh-adsl-778899",
                "start": "2024-06-01", "end": "2026-05-31", "cancelled": "2025-03-05",
                "cancel_channel": "10086", "cancel_reference": "SH20250301-7788"}],
  "subscriptions": ["视频彩铃"],
  "complaints": [{"to": "operator", "date": "2025-03-20", "channel": "10086", "reference": "SH20250320-4455"}]
}
""")

with open(listing, "w", encoding="utf-8") as f:
    for k, v in P.items():
        f.write(f"{k}\t{v}\n")
    for v in UNRELATED:
        f.write(f"unrelated spending\t{v}\n")
