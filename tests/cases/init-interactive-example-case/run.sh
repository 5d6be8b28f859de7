# Acceptance 2 and 3 of issue 13: on a pseudo-terminal, init asks about the fees that
# vary across months (plan 19.00/29.00, broadband 30.00/40.00) and what the files
# cannot tell; with the answers of the example's story, audit with the drafted profile
# gives exactly the example's expected money findings.
S="$ROOT/tests/data/example-case"
here=$PWD
W="$TMP/init-interactive-example-case"
rm -rf "$W" && mkdir -p "$W" && cp -r "$S/inputs" "$W/" && cd "$W" || exit 1
python3 "$ROOT/tests/tools/pty_answers.py" "$here/answers.txt" -- "$BILLAUDIT" init inputs
echo "== audit -a account.json"
"$BILLAUDIT" audit -a account.json -f json inputs > r.json; echo "exit $?"
python3 "$ROOT/tests/tools/findings.py" < r.json | grep -v '^unfair-term' | sort > got.txt
python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]: print(f["category"], f["period"], f["amount_fen"])' "$S/expected.json" | sort > want.txt
cat got.txt
cmp -s got.txt want.txt && echo "same money findings as expected.json" || diff got.txt want.txt
