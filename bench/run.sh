#!/usr/bin/env bash
# make bench [BENCH_ROWS=N]: generates the benchmark account (bench/gen.py) once per N
# into build/bench/nN, then times on the same files, min of 3 runs each:
#   floors      cat > /dev/null; a bare libcsv loop that only counts fields (bench/csvcount.c)
#   billaudit   audit -f json on the whole set, CSV and XLSX
#   peers       the per-month, per-kind itemised fee sums alone: mlr, sqlite3, pandas
#   terms       billaudit terms on a 1 MB contract
# and prints a table: seconds, rows/s, MB/s, peak RSS, ratios. A missing tool is
# reported as missing. Output also goes to build/bench/nN/table.md.
set -u
source "$(dirname "$0")/lib.sh"
N=${BENCH_ROWS:-1000000}
OUT=$ROOT/build/bench
DATA=$OUT/n$N
bench_ready
if [ ! -x "$OUT/csvcount" ] || [ bench/csvcount.c -nt "$OUT/csvcount" ]; then
  cc -O2 -o "$OUT/csvcount" bench/csvcount.c -lcsv || exit 2
fi
if [ ! -f "$DATA/usage-rows" ] || [ bench/gen.py -nt "$DATA/usage-rows" ]; then
  echo "bench: generating $N usage rows into $DATA (once) ..."
  rm -rf "$DATA"
  python3 bench/gen.py "$N" "$DATA" || exit 2
fi
ROWS=$(cat "$DATA/usage-rows")
USAGE=$(ls "$DATA"/csv/voice-*.csv "$DATA"/csv/data-*.csv "$DATA"/csv/sms-*.csv "$DATA"/csv/broadband-*.csv)
ALL_CSV=$(ls "$DATA"/csv/*.csv)
bytes() { cat "$@" | wc -c; }
B_ALL=$(bytes $ALL_CSV)
B_USAGE=$(bytes $USAGE)
B_XLSX=$(bytes "$DATA"/xlsx/*.xlsx)

# The 1 MB contract: the example contract (formats/terms docs) repeated, each copy's lines
# marked with the copy's number so that every clause is distinct, as in a real contract.
CONTRACT=$OUT/contract-1mb.txt
if [ ! -s "$CONTRACT" ] || [ "$0" -nt "$CONTRACT" ]; then
  src=$ROOT/tests/cases/terms-example/contract.txt  # the example contract of terms.md
  [ -f "$src" ] || src=$ROOT/samples/contract.txt
  python3 - "$src" "$CONTRACT" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
out, size, k = [], 0, 0
while size < 1 << 20:
    k += 1
    for line in lines:
        text = line + ("（第%d册）" % k if line.strip() else "")
        out.append(text)
        size += len(text.encode()) + 1
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
fi

TIMEBIN=/usr/bin/time
[ -x "$TIMEBIN" ] || TIMEBIN=
PANDAS_PY=
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import pandas' 2>/dev/null; then PANDAS_PY=$py; break; fi
done

# measure NAME OKRC CMD...: runs CMD $RUNS times (stdout to /dev/null); sets SECS (min
# wall seconds) and RSS (max peak RSS, KiB), or SECS=failed when the exit status is
# above OKRC.
measure() {
  local name=$1 okrc=$2
  shift 2
  SECS= RSS=0
  local i t0 t1 rc s m
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    if [ -n "$TIMEBIN" ]; then
      "$TIMEBIN" -f %M -o "$OUT/.rss" "$@" >/dev/null 2>"$OUT/.err"
    else
      "$@" >/dev/null 2>"$OUT/.err"
    fi
    rc=$?
    t1=$(date +%s%N)
    if [ "$rc" -gt "$okrc" ]; then
      SECS=failed
      echo "bench: $name exited with $rc:" >&2
      tail -3 "$OUT/.err" >&2
      return
    fi
    s=$(((t1 - t0) / 1000))
    [ -z "$SECS" ] || [ "$s" -lt "$SECS" ] && SECS=$s
    m=$( [ -n "$TIMEBIN" ] && tail -1 "$OUT/.rss" || echo 0)
    [ "$m" -gt "$RSS" ] 2>/dev/null && RSS=$m
  done
  SECS=$(awk -v u="$SECS" 'BEGIN { printf "%.3f", u / 1e6 }')
}

ROWS_OUT=()
# row NAME ROWS BYTES [RATIO]
row() {
  local name=$1 rows=$2 b=$3 ratio=${4:-}
  if [ "$SECS" = failed ] || [ "$SECS" = missing ]; then
    ROWS_OUT+=("$(printf '| %-30s | %8s | %12s | %9s | %9s | %s |' "$name" "$SECS" - - - "${ratio:--}")")
    return
  fi
  local rps mbs rss
  rps=$(awk -v r="$rows" -v s="$SECS" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
  mbs=$(awk -v b="$b" -v s="$SECS" 'BEGIN { printf "%.0f", (s > 0 ? b / 1048576 / s : 0) }')
  rss=$( [ "$RSS" -gt 0 ] && awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }' || echo n/a)
  ROWS_OUT+=("$(printf '| %-30s | %8s | %12s | %9s | %9s | %s |' "$name" "$SECS" "$rps" "$mbs" "$rss" "${ratio:--}")")
}

echo "bench: $ROWS usage rows, $(awk -v b="$B_ALL" 'BEGIN{printf "%.0f", b/1048576}') MB of CSV, $(awk -v b="$B_XLSX" 'BEGIN{printf "%.0f", b/1048576}') MB of XLSX; $RUNS runs each; load average $(cut -d' ' -f1-3 /proc/loadavg)"

measure cat 0 cat $ALL_CSV
T_CAT=$SECS; row "floor: cat > /dev/null" "$ROWS" "$B_ALL"
measure csvcount 0 "$OUT/csvcount" $ALL_CSV
T_CSV=$SECS; row "floor: bare libcsv (csvcount)" "$ROWS" "$B_ALL"
measure billaudit 1 "$BIN" audit -a "$DATA/account.json" -f json "$DATA/csv"
T_BA=$SECS; R_BA=$RSS
row "billaudit audit -f json (CSV)" "$ROWS" "$B_ALL" "$(ratio "$T_BA" "$T_CSV")× bare libcsv"
measure billaudit-xlsx 1 "$BIN" audit -a "$DATA/account.json" -f json "$DATA/xlsx"
T_BX=$SECS
row "billaudit audit -f json (XLSX)" "$ROWS" "$B_XLSX" "$(ratio "$T_BX" "$T_BA")× the CSV audit"

if command -v mlr >/dev/null; then
  measure mlr 0 mlr --icsv --ocsv put '$k = sub(FILENAME, "^.*/([a-z]+)-[0-9]+\.csv$", "\1"); $m = substr($[[[1]]], 0, 6); $f = is_present($费用) ? $费用 : 0' then stats1 -a sum,count -f f -g k,m $USAGE
else SECS=missing; fi
T_MLR=$SECS; row "peer: mlr (sums only)" "$ROWS" "$B_USAGE" "$(ratio "$T_MLR" "$T_BA")× billaudit"

if command -v sqlite3 >/dev/null; then
  {
    echo ".mode csv"
    for k in voice data sms broadband; do
      first=1
      for f in "$DATA"/csv/$k-*.csv; do
        if [ $first = 1 ]; then echo ".import $f $k"; first=0; else echo ".import --skip 1 $f $k"; fi
      done
    done
    for k in voice data sms; do
      echo "SELECT '$k', substr(\"起始时间\", 1, 7) AS m, sum(\"费用\"), count(*) FROM $k GROUP BY m;"
    done
    echo "SELECT 'broadband', substr(\"上线时间\", 1, 7) AS m, 0, count(*) FROM broadband GROUP BY m;"
  } >"$OUT/sums.sql"
  measure sqlite3 0 sh -c "sqlite3 < '$OUT/sums.sql'"
else SECS=missing; fi
T_SQL=$SECS; row "peer: sqlite3 .import + GROUP BY" "$ROWS" "$B_USAGE" "$(ratio "$T_SQL" "$T_BA")× billaudit"

if [ -n "$PANDAS_PY" ]; then
  measure pandas 0 "$PANDAS_PY" bench/peer_pandas.py "$DATA/csv"
else SECS=missing; fi
T_PD=$SECS; row "peer: python3 + pandas" "$ROWS" "$B_USAGE" "$(ratio "$T_PD" "$T_BA")× billaudit"

if [ -s "$CONTRACT" ] && "$BIN" terms --help >/dev/null 2>&1; then
  measure terms 1 "$BIN" terms -f json "$CONTRACT"
else SECS=missing; fi
row "billaudit terms (1 MB contract)" "$(wc -l <"$CONTRACT" 2>/dev/null || echo 0)" "$(wc -c <"$CONTRACT" 2>/dev/null || echo 0)"

{
  echo "$ROWS usage rows (10 years; voice, data, SMS, broadband) + bills + payments; $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
  echo
  echo "| what | seconds (min of $RUNS) | rows/s | MB/s | peak RSS MiB | ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${ROWS_OUT[@]}"
  best=
  for t in "$T_MLR" "$T_SQL" "$T_PD"; do
    case $t in failed|missing) continue ;; esac
    [ -z "$best" ] && best=$t || best=$(awk -v a="$t" -v b="$best" 'BEGIN { print ((a + 0 < b + 0) ? a : b) }')
  done
  echo
  echo "fastest peer / billaudit: $( [ -n "$best" ] && ratio "$best" "$T_BA" || echo n/a)×;" \
       "billaudit / bare libcsv: $(ratio "$T_BA" "$T_CSV")×; XLSX / CSV audit: $(ratio "$T_BX" "$T_BA")×;" \
       "billaudit peak RSS: $(awk -v k="$R_BA" 'BEGIN{printf "%.1f", k/1024}') MiB"
} | tee "$DATA/table.md"
rm -f "$OUT/.rss" "$OUT/.err"
