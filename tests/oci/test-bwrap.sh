#!/bin/sh
# bubblewrap runs a command under seccompose's raw BPF output (bwrap --seccomp FD).
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"

command -v bwrap >/dev/null || { echo "SKIP: bwrap is not installed"; exit 77; }
bwrap --ro-bind / / true 2>/dev/null || { echo "SKIP: bwrap cannot run here"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

check "compile writes raw BPF" "$SECCOMPOSE" compile "$SC_SOURCE_ROOT/tests/oci/container.toml" \
	--format bpf -o "$dir/filter.bpf"
n=$(wc -c < "$dir/filter.bpf")
check "the program is whole instructions ($n bytes)" test $((n % 8)) -eq 0 -a "$n" -gt 0
bwrap --ro-bind / / --dev /dev --tmpfs /tmp --seccomp 9 -- /bin/sh -c \
	'uname -s; mkdir /tmp/x || echo mkdir-denied; echo end' 9<"$dir/filter.bpf" >"$dir/out" 2>&1
cat "$dir/out"
check "the command ran to the end" grep -q '^end$' "$dir/out"
check "uname is allowed" grep -q '^Linux$' "$dir/out"
check "mkdir is denied with EACCES" grep -q "Permission denied" "$dir/out"
finish
