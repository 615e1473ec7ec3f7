#!/bin/sh
# Data-driven policy tests: each NN-name.{toml,json} is compiled; its exit status and its
# diagnostics must match NN-name.expect verbatim (first line: "exit N"). Regenerate an
# .expect after a deliberate wording change with: UPDATE=1 meson test policy-diagnostics
set -u
cd "$SC_SOURCE_ROOT/tests/policy" || exit 1
pass=0 fail=0
for f in [0-9][0-9]-*.toml [0-9][0-9]-*.json; do
	[ -e "$f" ] || continue
	want="${f%.*}.expect"
	got=$("$SECCOMPOSE" compile "$f" --format disasm 2>&1 >/dev/null; echo "exit $?")
	got=$(printf '%s\n' "$got" | tail -n 1; printf '%s\n' "$got" | sed '$d')
	if [ "${UPDATE:-}" = 1 ]; then
		printf '%s\n' "$got" >"$want"
	fi
	if [ -f "$want" ] && [ "$got" = "$(cat "$want")" ]; then
		echo "ok - $f"
		pass=$((pass + 1))
	else
		echo "not ok - $f"
		printf '%s\n' "--- expected" "$(cat "$want" 2>/dev/null)" "--- got" "$got"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
