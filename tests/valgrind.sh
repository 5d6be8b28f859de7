#!/usr/bin/env bash
# Every tests/cases/ command with BILLAUDIT pointing to a wrapper that runs the binary
# under valgrind (memcheck, full leak check). Each billaudit process writes its own log;
# a case fails when any log reports an error or a leak, whatever the cmd does with the
# exit status (tests/valgrind.supp silences only PCRE2 JIT read-ahead). Stdout is compared with expected.out too (reported, counted apart).
#   tests/valgrind.sh [BINARY] [CASE-NAME-FILTER]     (default ./billaudit, all cases)
# Last line: "valgrind: N cases, N clean, N with memory errors or leaks, N output differences".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath "${1:-$ROOT/billaudit}")
FILTER=${2:-}
command -v valgrind >/dev/null || { echo "valgrind: not installed" >&2; exit 2; }
work=$(mktemp -d -t billaudit-valgrind.XXXXXX) # in $TMPDIR when set
chmod 755 "$work" # the unreadable-file case runs the wrapper as nobody
trap 'rm -rf "$work"' EXIT
mkdir -m 777 "$work/logs"
cat > "$work/billaudit" <<WRAP
#!/bin/sh
exec valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --suppressions=$ROOT/tests/valgrind.supp \
  --log-file="$work/logs/vg.%p" "$BIN" "\$@"
WRAP
chmod 755 "$work/billaudit"
n=0 clean=0 bad=0 diff=0
for dir in "$ROOT"/tests/cases/*/; do
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  case $name in *"$FILTER"*) ;; *) continue ;; esac
  n=$((n + 1))
  rm -f "$work"/logs/vg.*
  mkdir -p "$work/tmp" && rm -rf "$work/tmp"/*
  (cd "$dir" && BILLAUDIT="$work/billaudit" BUILD_DIR="$ROOT/build" BILLAUDIT_NOW=2026-01-01T00:00:00+08:00 ROOT="$ROOT" \
     TMP="$work/tmp" timeout 900 bash -c "$(cat cmd)" >"$work/out" 2>"$work/err" </dev/null)
  errs=$(cat "$work"/logs/vg.* 2>/dev/null | grep -E 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]' | head -3)
  runs=$(ls "$work"/logs/vg.* 2>/dev/null | wc -l)
  if [ -n "$errs" ]; then
    bad=$((bad + 1)); echo "LEAK/ERROR $name ($runs runs): $errs"
    grep -l 'ERROR SUMMARY: [1-9]' "$work"/logs/vg.* | head -1 | xargs -r sed -n '1,60p'
  else
    clean=$((clean + 1))
  fi
  if [ -f "$dir/expected.out" ] && ! cmp -s "$dir/expected.out" "$work/out"; then
    diff=$((diff + 1)); echo "output differs under valgrind: $name"
  fi
  [ -n "${VG_VERBOSE:-}" ] && diff "$dir/expected.out" "$work/out" | head -5 >&2
  echo "ok $name ($runs billaudit runs)" >&2
done
echo "valgrind: $n cases, $clean clean, $bad with memory errors or leaks, $diff output differences"
[ $bad = 0 ]
