#!/usr/bin/env bash
# make bench, second part: the rows of a household that are not 详单 (issue-22 table).
#   wallet      a WeChat Pay CSV of 50 k, 200 k and 500 k rows (bench/gen_wallet.py):
#               audit -f json against the bare libcsv loop over the same file, and peak
#               RSS against the 50 k run (flat memory means the ratio stays near 1)
#   one bill    audit of samples/bill-2025.csv with its profile: the median of 21 runs
# Times are the minimum of BENCH_RUNS (default 3) runs; output also in build/bench/wallet/table.md.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-3}
OUT=$ROOT/build/bench/wallet
BIN=$ROOT/billaudit
CSV=$ROOT/build/bench/csvcount
mkdir -p "$OUT"
cd "$ROOT" || exit 2
[ -x "$BIN" ] || { echo "bench: build billaudit first (make)"; exit 2; }
if [ ! -x "$CSV" ] || [ bench/csvcount.c -nt "$CSV" ]; then
  cc -O2 -o "$CSV" bench/csvcount.c -lcsv || exit 2
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# best SECONDS-VAR RSS-VAR CMD...: the minimum wall time (s) and the largest peak RSS (KiB).
best() {
  local sv=$1 rv=$2 i t0 t1 s min= rss=0 m
  shift 2
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$OUT/.rss" "$@" >/dev/null 2>"$OUT/.err"
    [ $? -le 1 ] || { echo "bench: $* failed:" >&2; tail -3 "$OUT/.err" >&2; }
    t1=$(date +%s%N)
    s=$(((t1 - t0) / 1000))
    { [ -z "$min" ] || [ "$s" -lt "$min" ]; } && min=$s
    m=$(tail -1 "$OUT/.rss")
    [ "$m" -gt "$rss" ] 2>/dev/null && rss=$m
  done
  printf -v "$sv" '%s' "$(awk -v u="$min" 'BEGIN { printf "%.3f", u / 1e6 }')"
  printf -v "$rv" '%s' "$rss"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

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
  echo "Wallet rows and a one-bill audit; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| what | billaudit s (min of $RUNS) | bare libcsv s | ratio | peak RSS MiB | RSS / 50 k |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${lines[@]}"
  echo
  echo "one-bill audit (samples/bill-2025.csv, its profile): median of 21 runs $(awk -v u="$median" 'BEGIN { printf "%.1f", u / 1000 }') ms"
} | tee "$OUT/table.md"
rm -f "$OUT/.rss" "$OUT/.err"
