# billaudit init on a pseudo-terminal over samples/: the questions asked, the answers
# typed, the profile written; audit with that profile must give the findings of
# samples/account.json (the samples-audit case).
here=$PWD
out="$TMP/init-interactive-samples.json"
rm -f "$out"
cd "$ROOT" || exit 1
python3 tests/tools/pty_answers.py "$here/answers.txt" -- "$BILLAUDIT" init -o "$out" samples/ | sed "s|$TMP/||g"
echo "== profile"
sed "s|$TMP/||g" "$out"
echo "== audit -a (the profile drafted)"
"$BILLAUDIT" audit -a "$out" -f json samples/ > "$TMP/init-interactive-samples.r.json"; echo "exit $?"
python3 tests/tools/findings.py < "$TMP/init-interactive-samples.r.json" > "$TMP/init-got"
"$BILLAUDIT" audit -a samples/account.json -f json samples/ | python3 tests/tools/findings.py > "$TMP/init-want"
grep -v "^unfair-term" "$TMP/init-got"
cmp -s "$TMP/init-got" "$TMP/init-want" && echo "same findings as samples/account.json" || echo "DIFFERENT from samples/account.json"
