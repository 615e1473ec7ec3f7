#!/bin/sh
# What recording costs, measured: a syscall-heavy workload run plain, under
# `seccompose record`, and under `strace -f -o /dev/null`, in one run. Prints the time each
# adds and the ratio (the target: recording adds at most half of what strace adds).
#
#	bench/bench-record.sh [build-dir] [count]
set -eu
build=${1:-build}
count=${2:-200000}
sc="$build/cli/seccompose"
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 1; }
# dd with 1-byte blocks: two syscalls (read, write) per byte.
work="dd if=/dev/zero of=/dev/null bs=1 count=$count status=none"

best() { # command... → the best of 3 wall-clock times, in ms
	b=
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		t=$(((t1 - t0) / 1000000))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}

plain=$(best sh -c "$work")
# The policy goes to a real file (never -o /dev/null: an output is a file, not a device).
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rec=$(best "$sc" record -o "$out/bench.toml" -- sh -c "$work")
str=$(best strace -f -o /dev/null sh -c "$work")
echo "workload: $work ($((2 * count)) syscalls)"
echo "plain:                 ${plain} ms"
echo "seccompose record:     ${rec} ms  (+$((rec - plain)) ms)"
echo "strace -f -o /dev/null: ${str} ms  (+$((str - plain)) ms)"
awk -v r=$((rec - plain)) -v s=$((str - plain)) 'BEGIN { printf "ratio (record overhead / strace overhead): %.2f (target: at most 0.50)\n", r / s }'
