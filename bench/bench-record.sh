#!/bin/sh
# What recording costs, measured in one run: three workloads — a syscall-heavy loop (dd with
# 1-byte blocks), a threaded program (bench-threads) and a compiler run — each plain, under
# `seccompose record --ebpf`, under `seccompose record` (ptrace) and under `strace -f -o FILE`.
# Prints the time each adds and its ratio to strace's (issue 12's limits: eBPF at most 0.05,
# ptrace at most 0.5), in CPU time (user + system of everything involved, which a busy
# machine disturbs little; the verdict) and wall-clock time (information), then what an active
# eBPF recording costs a process OUTSIDE the recorded cgroup, per system call (the loop run
# outside while a recording runs, against no recording).
# Everything is written into a temporary directory: never `-o /dev/null`, which a tool that
# writes its output atomically (rename over the target) would replace by a regular file as root.
#
#	bench/bench-record.sh [build-dir] [count] [rounds]   (run as root for --ebpf; from the source root)
#
# Each row runs its four configurations in turn, ROUNDS times (default 5), and takes the median
# of each: load elsewhere on the machine hits all four alike.
set -eu
build=${1:-build}
count=${2:-200000}
rounds=${3:-5}
sc="$build/cli/seccompose"
threads="$build/bench/bench-threads"
bexec="$build/bench/bench-exec"
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 1; }
command -v cc >/dev/null || { echo "no C compiler (cc) for the compiler run" >&2; exit 1; }
for b in "$threads" "$bexec"; do [ -x "$b" ] || { echo "$b is not built" >&2; exit 1; }; done
tmp=$(mktemp -d)
cg=
rec=
cleanup() {
	[ -n "$rec" ] && kill "$rec" 2>/dev/null
	if [ -n "$cg" ] && [ -d "$cg" ]; then
		echo 1 >"$cg/cgroup.kill" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
if ! "$sc" record --ebpf -o "$tmp/probe.toml" -- true 2>"$tmp/probe.err"; then
	echo "the eBPF recorder cannot run here: $(head -n 1 "$tmp/probe.err")" >&2
	exit 1
fi

one() { # FILE command... → appends "WALL CPU" in ms for one run to FILE (bench-exec: the
	# command and every descendant it reaped; for the recorders and strace that is the traced
	# program)
	f=$1; shift
	"$bexec" -- "$@" | awk '{ printf "%d %d\n", $1 / 1e6, $3 / 1e6 }' >>"$f" ||
		{ echo "failed: $*" >&2; exit 1; }
}
med() { # FILE → "WALL CPU": the median of each column
	w=$(awk '{ print $1 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	c=$(awk '{ print $2 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "$w $c"
}

# The compiler run: cc -O2 over a few of the library's sources, one process each.
sources=$(echo lib/text/toml.c lib/compile/resolve.c lib/bpf/bpf-gen.c lib/policy/load-toml.c \
	lib/record/recset.c lib/export/export-oci.c)
compile="for f in $sources; do cc -O2 -D_GNU_SOURCE -Iinclude -Ilib -I$build/lib -c \$f -o $tmp/o.o || exit 1; done"

printf '%-34s %-5s %8s %24s %24s %11s\n' workload time plain "record --ebpf" "record (ptrace)" "strace -f"
status=0
row() { # name command...
	name=$1; shift
	rm -f "$tmp/m.plain" "$tmp/m.ebpf" "$tmp/m.ptrace" "$tmp/m.strace"
	one "$tmp/m.warm" "$@" # a first run to warm the page cache, not counted
	for _ in $(seq "$rounds"); do
		one "$tmp/m.plain" "$@"
		one "$tmp/m.ebpf" "$sc" record --ebpf -o "$tmp/ebpf.toml" -- "$@"
		one "$tmp/m.ptrace" "$sc" record -o "$tmp/ptrace.toml" -- "$@"
		one "$tmp/m.strace" strace -f -o "$tmp/strace.out" "$@"
	done
	plain=$(med "$tmp/m.plain"); ebpf=$(med "$tmp/m.ebpf")
	ptr=$(med "$tmp/m.ptrace"); str=$(med "$tmp/m.strace")
	[ -s "$tmp/ebpf.toml" ] && [ -s "$tmp/ptrace.toml" ] || { echo "record wrote no policy" >&2; exit 1; }
	lines=$(echo "$plain $ebpf $ptr $str" | awk -v n="$name" '{
		for (k = 0; k < 2; k++) {
			p = $(1 + k); e = $(3 + k); r = $(5 + k); s = $(7 + k)
			se = s - p; if (se < 1) se = 1
			ee = (e - p) / se; re = (r - p) / se
			verdict = k == 1 ? (ee <= 0.05 ? "ok" : "OVER") : "   "
			vr = k == 1 ? (re <= 0.5 ? "ok" : "OVER") : "   "
			printf "%-34s %-5s %5d ms %+8d ms (%6.3fx %-4s) %+8d ms (%6.3fx %-4s) %+8d ms\n",
			       k == 0 ? n : "", k == 0 ? "wall" : "CPU", p, e - p, ee, verdict, r - p, re, vr, s - p
		}
	}')
	echo "$lines"
	case $lines in *OVER*) status=1 ;; esac
}
row "loop: dd bs=1 ($((2 * count)) calls)" dd if=/dev/zero of=/dev/null bs=1 count="$count" status=none
row "threads: 4 x $((count / 4)) x 2 calls" "$threads" 4 $((count / 4))
row "compiler: cc -O2, 6 files" sh -c "$compile"
echo "(added to the plain run, medians of $rounds interleaved rounds; ratio to strace's added time, limits on CPU time: eBPF <= 0.05x, ptrace <= 0.5x)"

# A process outside the recorded cgroup: the same loop with no recording, with one running
# (a cgroup of ours holding a sleeping process, recorded by `record --cgroup`), and none again.
cg2=$(awk '$9 == "cgroup2" && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
cg="$cg2/sc-bench-$$"
mkdir "$cg"
sh -c "echo \$\$ >'$cg/cgroup.procs'; exec sleep 600" &
n=$((count * 5))
loop() { # → "WALL-ns CPU-ns" for one run of the loop
	"$bexec" -- dd if=/dev/zero of=/dev/null bs=1 count="$n" status=none | awk '{ print $1, $3 }'
}
median() { # column
	awk -v c="$1" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
for _ in 1 2 3; do loop; done >"$tmp/off"
"$sc" record --cgroup "$cg" -o "$tmp/outside.toml" 2>"$tmp/rec.err" &
rec=$!
for _ in $(seq 1 100); do grep -q recording "$tmp/rec.err" && break; sleep 0.1; done
for _ in 1 2 3 4 5; do loop; done >"$tmp/on"
kill -INT "$rec"
wait "$rec" || true
rec=
for _ in 1 2 3; do loop; done >>"$tmp/off"
awk -v calls=$((2 * n)) -v offw="$(median 1 <"$tmp/off")" -v onw="$(median 1 <"$tmp/on")" \
	-v offc="$(median 2 <"$tmp/off")" -v onc="$(median 2 <"$tmp/on")" 'BEGIN {
	printf "outside the recorded cgroup, per call (%d calls; median of 6 runs without a recording, 5 with):\n", calls
	printf "  CPU:  %.1f ns without, %.1f ns with: %+.1f ns\n", offc / calls, onc / calls, (onc - offc) / calls
	printf "  wall: %.1f ns without, %.1f ns with: %+.1f ns\n", offw / calls, onw / calls, (onw - offw) / calls
}'
exit $status
