# Two plan fees across months (58.00 twice, 68.00 twice): --yes writes the earlier one
# and says on stderr that the bills disagree; on a terminal the fee is asked.
out="$TMP/init-conflicting-fees.json"
echo "== --yes"
"$BILLAUDIT" init --yes -o - bill.csv 2>"$TMP/init-conflict.err" | grep -E '"(name|monthly_fee)"'
grep -F '  ! ' "$TMP/init-conflict.err"
echo "== terminal"
rm -f "$out"
python3 "$ROOT/tests/tools/pty_answers.py" answers.txt -- "$BILLAUDIT" init -o "$out" bill.csv | sed "s|$TMP/||g"
echo "== profile"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["plan"], p["subscriptions"], p["_source"].get("plan.monthly_fee"))' "$out"
