# Helpers shared by the bench scripts (sourced, not run). The caller sets OUT (a
# directory of its own under build/bench) before calling best.
#   ROOT  the checkout; BIN its billaudit; RUNS  runs per timing (BENCH_RUNS, default 3)
#   PY    python3 (the generators)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-3}
BIN=$ROOT/billaudit
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# bench_ready: in ROOT, with billaudit built.
bench_ready() {
  cd "$ROOT" || exit 2
  [ -x "$BIN" ] || { echo "bench: build billaudit first (make)"; exit 2; }
  mkdir -p "$OUT"
}

# best SECONDS-VAR RSS-VAR CMD...: the minimum wall time (s) and the largest peak RSS (KiB)
# of RUNS runs; an exit status above 1 (1 = findings) is reported on stderr.
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
  rm -f "$OUT/.rss" "$OUT/.err"
  printf -v "$sv" '%s' "$(awk -v u="$min" 'BEGIN { printf "%.3f", u / 1e6 }')"
  printf -v "$rv" '%s' "$rss"
}

# best_cpu SECONDS-VAR RSS-VAR CMD...: the same with processor time (user + system, all
# threads) instead of wall time: on a shared machine the wall time of a run is mostly the
# other jobs', so a ratio between two sizes is taken from this one.
best_cpu() {
  local sv=$1 rv=$2 i s min= rss=0 m
  shift 2
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f '%U %S %M' -o "$OUT/.rss" "$@" >/dev/null 2>"$OUT/.err"
    [ $? -le 1 ] || { echo "bench: $* failed:" >&2; tail -3 "$OUT/.err" >&2; }
    s=$(tail -1 "$OUT/.rss" | awk '{ printf "%d", ($1 + $2) * 1000 }')
    { [ -z "$min" ] || [ "$s" -lt "$min" ]; } && min=$s
    m=$(tail -1 "$OUT/.rss" | awk '{ print $3 }')
    [ "$m" -gt "$rss" ] 2>/dev/null && rss=$m
  done
  rm -f "$OUT/.rss" "$OUT/.err"
  printf -v "$sv" '%s' "$(awk -v u="$min" 'BEGIN { printf "%.2f", u / 1e3 }')"
  printf -v "$rv" '%s' "$rss"
}

# ratio A B: A / B to two decimals, "-" when either is not a positive number.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

# mib KIB: KiB as MiB to one decimal.
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
