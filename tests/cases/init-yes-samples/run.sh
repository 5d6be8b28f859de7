# init --yes over samples/ (no terminal): the draft with its "_source" evidence, the
# conflicts and the rules left off on stderr; audit accepts the draft ("_source" is
# ignored by the profile reader) and runs the rules it enables.
out="$TMP/init-yes-samples.json"
rm -f "$out"
cd "$ROOT" || exit 1
"$BILLAUDIT" init --yes -o "$out" samples/ 2>"$TMP/init-yes-samples.err"; echo "exit $?"
sed "s|$TMP/||g" "$out"
echo "== stderr (conflicts, rules off)"
grep -E '^(  ! |rules off|billaudit init:)' "$TMP/init-yes-samples.err" | sed "s|$TMP/||g"
echo "== audit -a (the draft)"
"$BILLAUDIT" audit -a "$out" -f json samples/ > "$TMP/init-yes-samples.r.json"; echo "exit $?"
python3 tests/tools/findings.py < "$TMP/init-yes-samples.r.json" | grep -v '^unfair-term'
