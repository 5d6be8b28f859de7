#!/usr/bin/env bash
# Writes the two invented Alipay app exports (layout A3, GBK as Alipay writes them) of this
# case. alipay-app.csv: the counts of its footer agree with its rows but its 支出 total
# leaves out the refunded purchase, as real exports do; its refund row is in the same file;
# a top-up names the full number in its item. alipay-cut.csv: a row is missing (the counts
# disagree). Run from this folder; the outputs are committed.
set -eu
cd "$(dirname "$0")"
head='------------------------------------------------------------------------------------
导出信息：
姓名：赵一
支付宝账户：186****1234
起始时间：[2025-03-01 00:00:00]    终止时间：[2025-03-31 23:59:59]
导出交易类型：[全部]
导出时间：[2025-04-02 08:00:00]'
note='特别提示：
1.统计金额仅供参考，可能与明细合计不同；
2.本明细仅用于个人对账。

------------------------支付宝支付科技有限公司  电子客户回单------------------------
交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,'
rows='2025-03-21 19:30:00,餐饮美食,某某面馆,/,晚餐,支出,12.00,余额,交易成功,2025032122001400007777000003	,M2503211930000003	,,
2025-03-16 10:00:00,退款,某某书店,/,退款-图书,不计收支,25.80,余额,退款成功,2025031522001400007777000002_2025031600	,M2503151500000002	,,
2025-03-15 15:00:00,文化休闲,某某书店,/,图书,支出,25.80,余额,交易成功,2025031522001400007777000002	,M2503151500000002	,,
2025-03-08 09:00:00,充值缴费,中国联通,/,为18600001234交费50.00元,支出,50.00,余额,交易成功,2025030822001400007777000001	,CZ2503080900000001	,,'
{ printf '%s\n共4笔记录\n收入：0笔 0.00元\n支出：3笔 62.00元\n不计收支：1笔 25.80元\n\n%s\n%s\n' "$head" "$note" "$rows"; } |
  iconv -f UTF-8 -t GB18030 >inputs/alipay-app.csv
{ printf '%s\n共4笔记录\n收入：0笔 0.00元\n支出：3笔 87.80元\n不计收支：1笔 25.80元\n\n%s\n%s\n' "$head" "$note" \
    "$(printf '%s\n' "$rows" | sed '/某某面馆/d')"; } | iconv -f UTF-8 -t GB18030 >inputs/alipay-cut.csv
