#!/usr/bin/env bash
# make bench, third part: one 详单 (usage-voice) as PDF and as legacy .xls against the same
# rows as CSV (bench/gen_pdf.py, bench/gen_xls.py: the same generator of rows).
#   PDF, 40 rows a page, the header on page 1 only: 100 k, 200 k and 1 M rows (BENCH_PDF_ROWS
#     changes the list); the floor under it: poppler's own text extraction of the 100 k file
#     (pdftotext, package poppler-utils), which billaudit cannot go below.
#   legacy .xls: 10 k and 65 535 rows, the most one BIFF8 sheet holds under its header, so
#     1 M rows cannot be one .xls sheet.
# Each: processor time (user + system; for the .xls the child process that runs FreeXL is
# included) of audit -f json of the container and of the CSV, their ratio, and peak RSS
# with its ratio to the smallest size of the same container (flat memory: near 1).
# Processor time, not wall time: on a shared machine the wall time is mostly the other
# jobs'. Minimum of BENCH_RUNS (default 3) runs; the 1 M PDF runs once (about two minutes of
# processor time). Output also in build/bench/pdf/table.md.
set -u
source "$(dirname "$0")/lib.sh"
OUT=$ROOT/build/bench/pdf
bench_ready
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import xlwt' 2>/dev/null ||
  { echo "bench: gen_xls.py needs python3-xlwt"; exit 2; }

lines=()
row() { # KIND ROWS CONTAINER-FILE CSV-FILE RSS0-VAR
  local kind=$1 n=$2 f=$3 csv=$4 tc rc tv rv
  best_cpu tc rc "$BIN" audit -f json "$f"
  best_cpu tv rv "$BIN" audit -f json "$csv"
  local -n r0=$5
  [ -n "$r0" ] || r0=$rc
  lines+=("$(printf '| 详单 as %s | %7d | %s | %s | %s× | %s | %s× |' "$kind" "$n" "$tc" "$tv" \
    "$(ratio "$tc" "$tv")" "$(mib "$rc")" "$(ratio "$rc" "$r0")")")
}

pdf0=
for n in ${BENCH_PDF_ROWS:-100000 200000 1000000}; do
  f=$OUT/voice-$n
  [ -s "$f.pdf" ] && [ "$f.pdf" -nt bench/gen_pdf.py ] || "$PY" bench/gen_pdf.py "$n" "$OUT" || exit 2
  runs=$RUNS
  [ "$n" -ge 500000 ] && RUNS=1
  row PDF "$n" "$f.pdf" "$f.csv" pdf0
  RUNS=$runs
done
xls0=
for n in 10000 65535; do
  f=$OUT/voice-xls-$n
  [ -s "$f.xls" ] && [ "$f.xls" -nt bench/gen_xls.py ] || /usr/bin/python3 bench/gen_xls.py "$n" "$OUT" || exit 2
  row .xls "$n" "$f.xls" "$f.csv" xls0
done
floor=missing
if command -v pdftotext >/dev/null; then
  f=$OUT/voice-100000.pdf
  [ -s "$f" ] || "$PY" bench/gen_pdf.py 100000 "$OUT" || exit 2
  best_cpu floor _rss pdftotext "$f" /dev/null
fi
{
  echo "| input | rows | container CPU s | same rows as CSV CPU s | ratio | peak RSS MiB | RSS vs smallest |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${lines[@]}"
  echo
  echo "Floor under the PDF: pdftotext (poppler) alone on the 100 k file: $floor s of processor time."
} | tee "$OUT/table.md"
