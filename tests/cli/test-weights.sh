#!/bin/sh
# `record --counts` and `compile --weights` (issue 11): a recording's call counts order the
# filter's search; the weighted filter decides every call as the plain one does; a bad
# weights file is an error at its line, and nothing is written.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

check "record writes call counts beside the policy" "$SECCOMPOSE" record -o "$dir/p.toml" \
	--counts "$dir/counts.txt" -- sh -c 'for i in 1 2 3 4 5; do cat /etc/hostname >/dev/null; done'
check "the counts have a header" grep -q '^# Syscall call counts' "$dir/counts.txt"
check "each line is a count and a name" sh -c "grep -v '^#' '$dir/counts.txt' | grep -qvE '^[0-9]+ [a-z0-9_]+\$' && exit 1 || exit 0"
check "openat was counted more than once" sh -c "awk '\$2 == \"openat\" && \$1 > 1 { ok = 1 } END { exit !ok }' '$dir/counts.txt'"
check "most frequent first" sh -c "grep -v '^#' '$dir/counts.txt' | sort -s -rn -k1,1 -c"
expect_grep '^[0-9]* openat$' "$SECCOMPOSE" record --counts - -o "$dir/q.toml" -- true

check "compile takes the counts as weights" "$SECCOMPOSE" compile "$dir/p.toml" \
	--weights "$dir/counts.txt" -f bpf -o "$dir/w.bpf"
check "compile without them" "$SECCOMPOSE" compile "$dir/p.toml" -f bpf -o "$dir/plain.bpf"
# Only the layout moves: the same answer for every call that was recorded and some that were not.
for call in openat read close mmap write execve mount ptrace kexec_load getppid; do
	a=$("$SECCOMPOSE" check "$dir/p.toml" "$call" 2>/dev/null)
	b=$("$SECCOMPOSE" check --weights "$dir/counts.txt" "$dir/p.toml" "$call" 2>/dev/null)
	check "$call: '$a' either way" test "$a" = "$b"
done

printf '10 read\n5 opneat\n' >"$dir/typo.txt"
expect_err 'typo.txt:2:3: error: unknown syscall .opneat.' "$SECCOMPOSE" compile "$dir/p.toml" \
	--weights "$dir/typo.txt" -f bpf -o "$dir/bad.bpf"
expect_err "did you mean 'openat'" "$SECCOMPOSE" compile "$dir/p.toml" --weights "$dir/typo.txt" \
	-f bpf -o "$dir/bad.bpf"
printf 'read 10\n' >"$dir/swapped.txt"
expect_err 'swapped.txt:1:1: error: expected `count name`' "$SECCOMPOSE" compile "$dir/p.toml" \
	--weights "$dir/swapped.txt" -f bpf -o "$dir/bad.bpf"
expect_status 3 "$SECCOMPOSE" compile "$dir/p.toml" --weights "$dir/swapped.txt" -f bpf -o "$dir/bad.bpf"
expect_err 'cannot read the weights file' "$SECCOMPOSE" compile "$dir/p.toml" \
	--weights "$dir/none.txt" -f bpf -o "$dir/bad.bpf"
check "nothing written after a bad weights file" test ! -e "$dir/bad.bpf"
finish
