#!/usr/bin/env bash
# Rewrites expected.out of the named cases from the current binary (review the diff!).
# usage: tests/regen.sh CASE...
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/billaudit"
for name in "$@"; do
  dir="$ROOT/tests/cases/$name"
  tmp=$(mktemp -d)
  (cd "$dir" && BILLAUDIT="$BIN" BUILD_DIR="$ROOT/build" BILLAUDIT_NOW=2026-01-01T00:00:00+08:00 ROOT="$ROOT" TMP="$tmp" \
     bash -c "$(cat cmd)" >"$dir/expected.out" 2>/dev/null </dev/null)
  rm -rf "$tmp"
done
