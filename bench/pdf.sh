#!/usr/bin/env bash
# make bench, third part: a 详单 as PDF against the same rows as CSV (bench/gen_pdf.py).
#   20 k and 200 k rows of usage-voice: audit -f json of the PDF and of the CSV, the ratio,
#   and peak RSS against the 20 k run (flat memory: the ratio stays near 1); the floor:
#   poppler's own text extraction of the same PDF (pdftotext, poppler-utils). 200 k rows
#   are 5000 pages of 40 rows, the most pages billaudit reads of one PDF (src/pdf.c), so
#   the 1 M rows of the CSV tables cannot be one PDF; and poppler's text extraction alone
#   takes minutes at that size.
# Times are the minimum of BENCH_RUNS (default 3) runs; output also in build/bench/pdf/table.md.
set -u
source "$(dirname "$0")/lib.sh"
OUT=$ROOT/build/bench/pdf
bench_ready


lines=()
rss0=
for n in 20000 200000; do
  f=$OUT/voice-$n
  [ -s "$f.pdf" ] && [ "$f.pdf" -nt bench/gen_pdf.py ] || "$PY" bench/gen_pdf.py "$n" "$OUT" || exit 2
  best tp rp "$BIN" audit -f json "$f.pdf"
  best tc rc "$BIN" audit -f json "$f.csv"
  tf=missing
  command -v pdftotext >/dev/null && best tf rf pdftotext "$f.pdf" /dev/null
  [ -n "$rss0" ] || rss0=$rp
  lines+=("$(printf '| 详单 (usage-voice), %3d k rows | %s | %s | %s× | %s | %.1f | %s× |' $((n / 1000)) \
    "$tp" "$tc" "$(ratio "$tp" "$tc")" "$tf" "$(awk -v k="$rp" 'BEGIN { print k / 1024 }')" \
    "$(ratio "$rp" "$rss0")")")
done
{
  echo "| input | PDF s | same rows as CSV s | PDF/CSV | pdftotext alone s | PDF peak RSS MB | RSS vs 20 k |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${lines[@]}"
} | tee "$OUT/table.md"
