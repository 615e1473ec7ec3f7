#!/bin/sh
# A --groups file may redefine a built-in group, but never silently: a warning names the new
# definition (file:line:col) and the built-in one (data/abstract_syscalls.json:line:col).
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/g.json" <<'JSON'
{ "mine": { "description": "new", "rules": [ { "name": "getpid" } ] },
  "stdio_app": { "description": "mine", "rules": [ { "name": "read" } ] } }
JSON
printf '[[abstract_syscalls]]\nnames = ["stdio_app"]\naction = "Allow"\n' >"$dir/p.toml"
line=$(grep -n '^  "stdio_app": {' "$SC_SOURCE_ROOT/data/abstract_syscalls.json" | cut -d: -f1)

expect_err "g.json:2:16: warning: group 'stdio_app' redefines the built-in group" \
	"$SECCOMPOSE" groups --groups "$dir/g.json" stdio_app
expect_err "hint: the built-in one is at data/abstract_syscalls.json:$line:16" \
	"$SECCOMPOSE" groups --groups "$dir/g.json" stdio_app
expect_err "g.json:2:16: warning: group 'stdio_app' redefines" \
	"$SECCOMPOSE" compile --groups "$dir/g.json" "$dir/p.toml" --format disasm
expect_status 0 "$SECCOMPOSE" compile --groups "$dir/g.json" "$dir/p.toml" --format disasm
# A new name, and no --groups at all, say nothing.
cat >"$dir/new.json" <<'JSON'
{ "mine": { "description": "new", "rules": [ { "name": "getpid" } ] } }
JSON
expect_out "" sh -c "'$SECCOMPOSE' groups --groups '$dir/new.json' mine 2>&1 >/dev/null"
expect_out "" sh -c "'$SECCOMPOSE' groups stdio_app 2>&1 >/dev/null"
finish
