#!/usr/bin/env bash
# The test runner: the unit binary, then every folder of tests/cases/.
# A case folder holds `cmd` (one shell line, run inside the folder with $BILLAUDIT set),
# input files, and what must come out: expected.out (stdout), optional expected.err
# (stderr) and expected.rc (exit status, default 0). Adding a case never touches C.
# A cmd exits 77 when a tool it needs is missing (a browser): counted as skipped, with
# the reason it gave on stderr, never as passed.
# A suite that does not run (the unit binary, a fuzz replay driver, the case set) is a
# failure, named on a "NOT RUN:" line. Last line: "N passed, N failed".
set -u
# Every case runs in the C locale, whatever the caller has: a fresh machine has no LANG,
# and a cmd whose grep or sed only works under UTF-8 must fail here too, not only there.
export LC_ALL=C
unset LANG LANGUAGE
shopt -s nullglob # an empty case set or corpus list is counted below, never a literal "*"
BIN=$(realpath "$1")
UNIT=$2
BUILD_DIR=$(dirname "$(realpath "$UNIT")") # the fuzz replay drivers are built beside the unit tests
ROOT=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
skipped=""
missing="" # suites that did not run: named in the summary, and the run fails

# One temporary directory per run, removed on exit: TMPDIR points inside it, so the unit
# tests, the fuzz replays and every tool a case starts write nowhere else. Mode 711: the
# unreadable-file case runs billaudit as nobody inside it (traverse only, no listing).
base=$(mktemp -d -t billaudit-test.XXXXXX) || { echo "FAIL cannot make a temporary directory"; exit 2; }
trap 'rm -rf "$base"' EXIT
chmod 711 "$base"
mkdir -m 711 "$base/cases" && mkdir "$base/sys" || exit 2
export TMPDIR="$base/sys"
tmp="$base/cases"

suite_missing() {
  echo "FAIL $1 did not run: $2"; missing="$missing $1"; fail=$((fail + 1))
}

if [ ! -x "$UNIT" ]; then
  suite_missing "unit" "$UNIT is not an executable"
else
  out=$("$UNIT" 2>"$base/unit.err"); urc=$?
  cat "$base/unit.err" >&2
  echo "$out" | grep -v '^unit:' || true
  up=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  uf=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  if [ -z "$up" ] || [ "$((up + uf))" = 0 ]; then
    suite_missing "unit" "the binary did not finish (exit $urc) or ran no test"
  else
    pass=$((pass + up)); fail=$((fail + uf))
    if [ "$urc" != 0 ] && [ "$uf" = 0 ]; then echo "FAIL unit: exit $urc"; fail=$((fail + 1)); fi
  fi
fi

# Every fuzz harness with a corpus has its replay driver (the fuzz-corpus-replay case runs them).
for h in "$ROOT"/tests/fuzz/corpus/*/; do
  h=$(basename "$h")
  [ -x "$BUILD_DIR/replay_$h" ] || suite_missing "replay_$h" "$BUILD_DIR/replay_$h is not built"
done

ncases=0
for dir in "$ROOT"/tests/cases/*/; do
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || { suite_missing "case $name" "no cmd file"; continue; }
  ncases=$((ncases + 1))
  want_rc=0
  [ -f "$dir/expected.rc" ] && want_rc=$(cat "$dir/expected.rc")
  (cd "$dir" && BILLAUDIT="$BIN" BUILD_DIR="$BUILD_DIR" BILLAUDIT_NOW=2026-01-01T00:00:00+08:00 ROOT="$ROOT" \
     TMP="$tmp" timeout 120 bash -c "$(cat cmd)" >"$tmp/out" 2>"$tmp/err" </dev/null)
  rc=$?
  if [ "$rc" = 77 ]; then
    skipped="$skipped $name"; echo "SKIP $name: $(head -n 1 "$tmp/err")"; continue
  fi
  ok=1
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL $name: exit $rc, want $want_rc"; ok=0
  fi
  if [ -f "$dir/expected.out" ] && ! diff -u "$dir/expected.out" "$tmp/out" >"$tmp/diff"; then
    echo "FAIL $name: stdout differs"; head -n 40 "$tmp/diff"; ok=0
  fi
  if [ -f "$dir/expected.err" ] && ! diff -u "$dir/expected.err" "$tmp/err" >"$tmp/diff"; then
    echo "FAIL $name: stderr differs"; head -n 40 "$tmp/diff"; ok=0
  fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); [ -s "$tmp/err" ] && head -n 5 "$tmp/err"; fi
done
[ "$ncases" = 0 ] && suite_missing "cases" "no folder under $ROOT/tests/cases has a cmd"
[ -n "$skipped" ] && echo "skipped (a tool is missing):$skipped"
[ -n "$missing" ] && echo "NOT RUN:$missing"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
