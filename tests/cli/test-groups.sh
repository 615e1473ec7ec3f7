#!/bin/sh
# `seccompose groups` and the group database: coverage, expansion, the seed's file, cycles.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

expect_out "" "$SECCOMPOSE" groups --ungrouped --arch x86_64
for a in $("$SECCOMPOSE" syscalls --arches | awk '{print $1}'); do
	check "every group resolves on $a" "$SECCOMPOSE" groups --ungrouped --arch "$a"
done
expect_grep "^stdio_app " "$SECCOMPOSE" groups
expect_grep "Allow *if fd == 0" "$SECCOMPOSE" groups stdio_app
expect_grep "Allow *if family == AF_INET" "$SECCOMPOSE" groups socket_inet
expect_status 1 "$SECCOMPOSE" groups stdio_ap
expect_err "hint: did you mean 'stdio_app'?" "$SECCOMPOSE" groups stdio_ap

# The seed project's database loads; its faults are warnings naming the entry.
seeddir="$SC_SOURCE_ROOT/data/third_party/seed-project"
seed="$seeddir/abstract_rules.json"
check "the seed's group file loads" "$SECCOMPOSE" groups --groups "$seed"
for bad in seteuid setegid; do
	expect_err "warning: unknown syscall '$bad' in group" "$SECCOMPOSE" groups --groups "$seed"
done
expect_err "warning: 'nice' in group '.*' is not a syscall on x86_64" "$SECCOMPOSE" groups --groups "$seed"
check "the seed's extended policy compiles with its groups" "$SECCOMPOSE" compile \
	--groups "$seed" "$seeddir/extended_ls_l.toml"
check "the seed's OCI-style TOML compiles" "$SECCOMPOSE" compile "$seeddir/oci_ls_l.toml"
check "the seed's minimized TOML compiles" "$SECCOMPOSE" compile \
	"$seeddir/oci_ls_l_minimized.toml"

# Cycles and unknown references are errors with the chain and a suggestion.
cat >"$dir/g.json" <<'JSON'
{ "a": { "description": "x", "rules": [ { "group": "b" } ] },
  "b": { "description": "y", "rules": [ { "group": "a" } ] },
  "c": { "description": "z", "rules": [ { "group": "stdio_ap" } ] } }
JSON
expect_err "groups refer to each other in a cycle: a → b → a" "$SECCOMPOSE" groups --groups "$dir/g.json" a
expect_err "unknown group 'stdio_ap'" "$SECCOMPOSE" groups --groups "$dir/g.json" c
expect_status 3 "$SECCOMPOSE" groups --groups "$dir/g.json" a
finish
