# An existing profile is never replaced without --force (exit 2, file untouched);
# with --force it is replaced atomically (no temp file left), and the old profile is
# not read as an input.
W="$TMP/init-never-overwrites"
rm -rf "$W" && mkdir -p "$W" && cp -r "$ROOT/samples" "$W/in" && cd "$W" || exit 1
echo '{"number": "13800000000"}' > in/account.json
"$BILLAUDIT" init --yes -o in/account.json in 2>&1; echo "exit $?"
cat in/account.json
"$BILLAUDIT" init --yes --force -o in/account.json in 2>/dev/null; echo "exit $?"
grep '"number"' in/account.json | head -1
ls in | grep -c 'tmp'
"$BILLAUDIT" init --yes 2>&1; echo "exit $?"
