#!/usr/bin/env bash
# make bench, fourth part: the two lookups that must stay linear, at doubling sizes.
#   duplicate detection  audit -f json of one operator bill of 37.5 k … 300 k lines, one
#                        line in ten repeated (each repeat is a duplicate-charge finding)
#   bundle naming        bundle of a folder of 2.5 k … 20 k files in 50 subfolders (every
#                        file is named, every skip reason and "identical to" warning
#                        rewritten with the bundle's names), one in ten identical
# The "× half" column is the time against the row above, for twice the input: linear is
# 2.0, the bound is 2.3 (a quadratic step gives 4). Times are processor seconds (user +
# system: the wall time on a shared machine is mostly the other jobs'), the minimum of
# BENCH_RUNS (default 3) runs; output also in build/bench/scaling/table.md. Exit 1 when a doubling
# is over the bound.
set -u
source "$(dirname "$0")/lib.sh"
OUT=$ROOT/build/bench/scaling
BOUND=2.3
bench_ready

# The bill: 60 months of distinct 增值业务费 items, every tenth line a copy of the one before.
gen_bill() {
  "$PY" - "$1" "$2" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
rows = ["\ufeff中国联通月账单明细,,,,", "客户名称：李明,,,,", "手机号码：18612345678,,,,",
        "账期：2020-01 至 2024-12,,,,", "账期,费用类别,费用项目,金额(元),备注"]
per = n // 60
for m in range(60):
    ym = "%04d-%02d" % (2020 + m // 12, m % 12 + 1)
    for i in range(per):
        rows.append(rows[-1] if i % 10 == 9 else "%s,增值业务费,业务%d,%d.%02d," % (ym, i, 1 + i % 50, i % 100))
open(out, "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
}

# The folder: notes no parser takes (skipped, with a reason), and one file in ten the same
# payment history (one source, the others "identical to" it).
gen_folder() {
  "$PY" - "$1" "$2" "$ROOT/samples/payments-history.csv" <<'PY'
import os, sys
n, out, same = int(sys.argv[1]), sys.argv[2], open(sys.argv[3], "rb").read()
for d in range(50):
    os.makedirs(os.path.join(out, "m%02d" % d), exist_ok=True)
for i in range(n):
    d = os.path.join(out, "m%02d" % (i % 50))
    if i % 10 == 0:
        open(os.path.join(d, "pay-%05d.csv" % i), "wb").write(same)
    else:
        open(os.path.join(d, "note-%05d.txt" % i), "w").write("备忘 %d\n" % i)
PY
}

lines=()
worst=0
# row WHAT SIZE SECONDS PREVIOUS-SECONDS RSS-KIB
row() {
  local r=-
  [ -n "$4" ] && r=$(ratio "$3" "$4")
  [ "$r" != - ] && worst=$(awk -v a="$r" -v b="$worst" 'BEGIN { print (a > b ? a : b) }')
  lines+=("$(printf '| %s | %s | %s | %s | %s |' "$1" "$2" "$3" "$r" "$(mib "$5")")")
}

prev=
for n in 37500 75000 150000 300000; do
  f=$OUT/bill-$n.csv
  [ -s "$f" ] && [ "$f" -nt "$0" ] || gen_bill "$n" "$f" || exit 2
  best_cpu t r "$BIN" audit -f json "$f"
  row "duplicate detection (audit -f json)" "$(awk -v n="$n" 'BEGIN { printf "%g k lines", n / 1000 }')" "$t" "$prev" "$r"
  prev=$t
done

prev=
for n in 2500 5000 10000 20000; do
  d=$OUT/folder-$n
  [ -s "$d/m00/pay-00000.csv" ] && [ "$d/m00/pay-00000.csv" -nt "$0" ] || { rm -rf "$d"; gen_folder "$n" "$d" || exit 2; }
  rm -rf "$OUT/bundle"
  best_cpu t r "$BIN" bundle --force -o "$OUT/bundle" "$d"
  row "bundle naming (bundle -o)" "$(awk -v n="$n" 'BEGIN { printf "%g k files", n / 1000 }')" "$t" "$prev" "$r"
  prev=$t
done
rm -rf "$OUT/bundle"

ok=$(awk -v w="$worst" -v b="$BOUND" 'BEGIN { print (w <= b) }')
{
  echo "Scaling: twice the input, the time of the row above × half; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| what | input | cpu s (min of $RUNS) | × half | peak RSS MiB |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${lines[@]}"
  echo
  if [ "$ok" = 1 ]; then
    echo "linear: every doubling at most ${worst}× (bound $BOUND×)"
  else
    echo "NOT LINEAR: a doubling took ${worst}× (bound $BOUND×)"
  fi
} | tee "$OUT/table.md"
[ "$ok" = 1 ]
