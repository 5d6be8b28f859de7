# Acceptance 1 of issue 13: on the example case's inputs, `init --yes` drafts operator,
# number, holder, plan name and fee, broadband name and fee equal to its account.json.
S="$ROOT/tests/data/example-case"
W="$TMP/init-yes-example-case"
rm -rf "$W" && mkdir -p "$W" && cp -r "$S/inputs" "$W/" && cd "$W" || exit 1
"$BILLAUDIT" init --yes inputs 2>init.err; echo "exit $?"
python3 - "$S/account.json" account.json <<'PY'
import json, sys
want, got = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
def fee(v):
    return None if v is None else "%.2f" % float(v)
def get(p, path):
    for k in path:
        p = p[k] if isinstance(p, dict) and k in p else p[k] if isinstance(p, list) and k < len(p) else None
    return p
for path, norm in [(("operator",), str), (("number",), str), (("holder", "name"), str),
                   (("plan", "name"), str), (("plan", "monthly_fee"), fee),
                   (("services", 0, "name"), str), (("services", 0, "monthly_fee"), fee)]:
    g, w = get(got, path), get(want, path)
    name = ".".join(str(k) for k in path)
    print(name, "equal" if g is not None and norm(g) == norm(w) else "DIFFERENT: %r, want %r" % (g, w))
print("fees written as strings:", all(isinstance(get(got, p), str) for p in [("plan", "monthly_fee"), ("services", 0, "monthly_fee")]))
print("every inferred field cites a line:", sorted(got.get("_source", {})))
PY
grep -c '^  ! ' init.err | sed 's/^/conflicts reported on stderr: /'
