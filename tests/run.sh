#!/usr/bin/env bash
# The test runner: the unit binary, then every folder of tests/cases/.
# A case folder holds `cmd` (one shell line, run inside the folder with $BILLAUDIT set),
# input files, and what must come out: expected.out (stdout), optional expected.err
# (stderr) and expected.rc (exit status, default 0). Adding a case never touches C.
# A cmd exits 77 when a tool it needs is missing (a browser): counted as skipped, with
# the reason it gave on stderr, never as passed.
# Last line: "N passed, N failed".
set -u
BIN=$(realpath "$1")
UNIT=$2
BUILD_DIR=$(dirname "$(realpath "$UNIT")") # the fuzz replay drivers are built beside the unit tests
ROOT=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
skipped=""

if out=$("$UNIT" 2>"${TMPDIR:-/tmp}/billaudit-unit.err"); then :; fi
cat "${TMPDIR:-/tmp}/billaudit-unit.err" >&2
echo "$out" | grep -v '^unit:' || true
up=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
uf=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$up" ]; then
  echo "FAIL unit binary did not finish"; fail=$((fail + 1))
else
  pass=$((pass + up)); fail=$((fail + uf))
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$ROOT"/tests/cases/*/; do
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
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
[ -n "$skipped" ] && echo "skipped (a tool is missing):$skipped"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
