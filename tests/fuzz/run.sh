#!/usr/bin/env bash
# Runs each libFuzzer harness for N seconds: tests/fuzz/run.sh N HARNESS...
# Seeds are built at run time into build-fuzz/seeds/<h> from samples/, tests/data (the
# example case among them) and tests/cases (nothing big is committed); committed
# seeds and crash regressions are in tests/fuzz/corpus/<h>. New corpus entries go to
# build-fuzz/corpus/<h>, crashes to build-fuzz/crashes/. FUZZ_JOBS=2 runs two at once.
# FUZZ_RUNS=N also stops a harness after N executions.
# Prints one line per harness: runs, exec/s, edges; exits 1 if any harness failed.
set -u
secs=$1; shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
FB=build-fuzz
jobs=${FUZZ_JOBS:-1}

seed() { # seed HARNESS FILE...: copies the small files given into the seed dir
    local d=$FB/seeds/$1; shift
    for f in "$@"; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] || continue
        cp "$f" "$d/$(sha1sum "$f" | cut -c1-16)"
    done
}

build_seeds() {
    rm -rf "$FB/seeds"; mkdir -p "$FB/seeds"
    for h in load load_xlsx xlsx xlsx_xml account terms state values archive xls html xml2003 pdf; do mkdir -p "$FB/seeds/$h"; done
    mapfile -t texts < <(find samples tests/data/example-case/inputs \
        tests/data/enc tests/cases -type f \( -name '*.csv' -o -name '*.txt' -o -name '*.tsv' \
        -o -name '*.xls' -o -name '*.xlsx' \) 2>/dev/null)
    mapfile -t books < <(find tests/data/xlsx tests/data/example-case/inputs \
        tests/cases -type f -name '*.xlsx' 2>/dev/null)
    mapfile -t csvs < <(find samples tests/data/example-case/inputs \
        tests/cases -type f -name '*.csv' 2>/dev/null)
    seed load "${texts[@]}"
    seed load_xlsx "${csvs[@]}"
    seed xlsx "${books[@]}"
    seed account samples/account.json tests/cases/*/account*.json tests/cases/*/*.json
    seed terms samples/contract.txt tests/cases/*/inputs/*.txt \
        "tests/data/example-case/inputs/入网协议.txt" rules/terms/*.txt
    seed state $(find tests/cases -name 'state*.json' 2>/dev/null)
    seed archive $(find tests/data/zip tests/cases -type f -name '*.zip' 2>/dev/null)
    seed xls $(find tests/data/xls tests/cases -type f -name '*.xls' 2>/dev/null)
    seed html $(find tests/data/html tests/cases -type f \( -name '*.xls' -o -name '*.html' \) 2>/dev/null)
    seed xml2003 $(find tests/data/xml2003 tests/cases -type f -name '*.xls' 2>/dev/null)
    seed pdf $(find tests/data/pdf -type f -name '*.pdf' -size -64k 2>/dev/null)
    # The XML parts of each workbook, joined as fuzz_xlsx_xml reads them.
    python3 - "$FB/seeds/xlsx_xml" "${books[@]}" <<'PY'
import hashlib, os, sys, zipfile
out = sys.argv[1]
order = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
         "xl/worksheets/sheet2.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
for path in sys.argv[2:]:
    try:
        z = zipfile.ZipFile(path)
        parts = []
        for name in order:
            try:
                parts.append(z.read(name)[:65536])
            except Exception:
                parts.append(b"")
    except Exception:
        continue
    data = b"@@@@".join(parts)
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)
PY
}

maxlen() {
    case $1 in
        values) echo 256 ;;
        account | state) echo 16384 ;;
        terms) echo 4096 ;;
        # A header and a few dozen rows reach every parser path; 64 KB inputs only made each
        # run slower (measured on the saved corpus: 64 exec/s at 65536, 229 at 8192).
        load | load_xlsx) echo 8192 ;;
        *) echo 65536 ;;
    esac
}

run_one() {
    local h=$1 log=$FB/logs/$1.log
    mkdir -p "$FB/corpus/$h" "$FB/crashes" "$FB/logs"
    local dict=()
    [ -f "tests/fuzz/$h.dict" ] && dict=(-dict="tests/fuzz/$h.dict")
    local dirs=("$FB/corpus/$h" "$FB/seeds/$h")
    [ -d "tests/fuzz/corpus/$h" ] && dirs+=("tests/fuzz/corpus/$h")
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    local runs_opt=()
    [ -n "${FUZZ_RUNS:-}" ] && runs_opt=(-runs="$FUZZ_RUNS")
    "$FB/fuzz_$h" -max_total_time="$secs" "${runs_opt[@]}" -timeout=20 -rss_limit_mb=2048 \
        -max_len="$(maxlen "$h")" -print_final_stats=1 \
        -artifact_prefix="$FB/crashes/$h-" "${dict[@]}" "${dirs[@]}" >"$log" 2>&1
    local rc=$?
    local runs eps edges
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    printf '%-10s %s  runs %s  exec/s %s  edges %s\n' "$h" \
        "$([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc, see $log)")" \
        "${runs:-?}" "${eps:-?}" "${edges:-?}"
    return $rc
}

build_seeds
mkdir -p "$FB/logs"
# A date bomb among the seeds would spend the .xls reader's 20 s on each run (src/xls.c).
export BILLAUDIT_XLS_CPU_SECONDS=1
fail=0
pids=()
for h in "$@"; do
    run_one "$h" > "$FB/logs/$h.summary" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then
        wait "${pids[0]}" || fail=1; pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
for h in "$@"; do cat "$FB/logs/$h.summary"; done
[ $fail = 0 ] || { echo "fuzz: a harness failed; the input is in $FB/crashes/" >&2; grep -h -A3 'ERROR\|SUMMARY' "$FB"/logs/*.log | head -40 >&2; }
exit $fail
