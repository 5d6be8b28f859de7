#!/usr/bin/env bash
# make bench, second part: what a household has besides a big 详单.
#   wallet      a WeChat Pay CSV of 50 k, 200 k and 500 k rows (bench/gen_wallet.py):
#               audit -f json against the bare libcsv loop over the same file, and peak
#               RSS against the 50 k run (flat memory means the ratio stays near 1)
#   folder      a household's folder (bench/gen.py at 56 k usage rows: ten years of bills,
#               usage, payments, WeChat), against libcsv over the same files; cpu/wall
#               says how many cores the audit kept busy
#   terms       a 10 MB contract, -f json and -f text: seconds, peak RSS, text / json
#   one bill    audit of samples/bill-2025.csv with its profile: the median of 21 runs
# Times are the minimum of BENCH_RUNS (default 3) runs; output also in build/bench/household/table.md.
set -u
source "$(dirname "$0")/lib.sh"
OUT=$ROOT/build/bench/household
CSV=$ROOT/build/bench/csvcount
bench_ready
if [ ! -x "$CSV" ] || [ bench/csvcount.c -nt "$CSV" ]; then
  cc -O2 -o "$CSV" bench/csvcount.c -lcsv || exit 2
fi

lines=()
rss50=
for n in 50000 200000 500000; do
  f=$OUT/wechat-$n.csv
  [ -s "$f" ] && [ "$f" -nt bench/gen_wallet.py ] || "$PY" bench/gen_wallet.py "$n" "$f" || exit 2
  best tb rb "$BIN" audit -f json "$f"
  best tc rc "$CSV" "$f"
  [ -n "$rss50" ] || rss50=$rb
  lines+=("$(printf '| WeChat Pay CSV, %3d k rows | %s | %s | %s× | %.1f | %s× |' $((n / 1000)) "$tb" "$tc" \
    "$(ratio "$tb" "$tc")" "$(awk -v k="$rb" 'BEGIN { print k / 1024 }')" "$(ratio "$rb" "$rss50")")")
done

# A household folder.
HH=$OUT/household
[ -s "$HH/usage-rows" ] && [ "$HH/usage-rows" -nt bench/gen.py ] || { rm -rf "$HH"; "$PY" bench/gen.py 56000 "$HH" >/dev/null || exit 2; }
best tb rb "$BIN" audit -a "$HH/account.json" -f json "$HH/csv"
best tc rc "$CSV" "$HH"/csv/*.csv
/usr/bin/time -f "%U %S %e" -o "$OUT/.cpu" "$BIN" audit -a "$HH/account.json" -f json "$HH/csv" >/dev/null 2>&1
cpu=$(tail -1 "$OUT/.cpu" |
  awk '{ if ($3 > 0) printf "%.2f", ($1 + $2) / $3; else print "-" }')
lines+=("$(printf '| household folder, %d files, %d usage rows | %s | %s | %s× | %.1f | cpu/wall %s |' \
  "$(ls "$HH"/csv | wc -l)" "$(cat "$HH/usage-rows")" "$tb" "$tc" "$(ratio "$tb" "$tc")" \
  "$(awk -v k="$rb" 'BEGIN { print k / 1024 }')" "$cpu")")

# A 10 MB contract: the example contract repeated, each copy's lines marked apart.
C10=$OUT/contract-10mb.txt
[ -s "$C10" ] && [ "$C10" -nt "$0" ] || "$PY" - samples/contract.txt "$C10" <<'PY' || exit 2
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
out, size, k = [], 0, 0
while size < 10 << 20:
    k += 1
    for line in lines:
        text = line + ("（第%d册）" % k if line.strip() else "")
        out.append(text)
        size += len(text.encode()) + 1
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
best tj rj "$BIN" terms -f json "$C10"
best tt rt "$BIN" terms -f text "$C10"
terms_line="terms on a 10 MB contract: -f json $tj s, peak RSS $(awk -v k="$rj" 'BEGIN { printf "%.1f", k / 1024 }') MiB; -f text $tt s ($(ratio "$tt" "$tj")× json), peak RSS $(awk -v k="$rt" 'BEGIN { printf "%.1f", k / 1024 }') MiB"

# One bill: the median of 21 runs, in milliseconds.
ms=()
for ((i = 0; i < 21; i++)); do
  t0=$(date +%s%N)
  "$BIN" audit -a samples/account.json samples/bill-2025.csv >/dev/null 2>&1
  t1=$(date +%s%N)
  ms+=($(((t1 - t0) / 1000)))
done
median=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 11p)

{
  echo "Wallet rows, a household folder, a 10 MB contract and a one-bill audit; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| what | billaudit s (min of $RUNS) | bare libcsv s | ratio | peak RSS MiB | RSS / 50 k |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${lines[@]}"
  echo
  echo "$terms_line"
  echo "one-bill audit (samples/bill-2025.csv, its profile): median of 21 runs $(awk -v u="$median" 'BEGIN { printf "%.1f", u / 1000 }') ms"
} | tee "$OUT/table.md"
rm -f "$OUT/.rss" "$OUT/.err" "$OUT/.cpu"
