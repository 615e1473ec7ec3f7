#!/bin/sh
# record --all-containers in a long run (usage: test-all-containers.sh runc|ctr [SANITIZERS]): for a
# minute the recorder watches every container of the runtime while the test starts and stops
# them — one
# long-lived container, 20 short-lived ones five at a time running one of three workloads (so
# several share a command), a syscall-heavy one (millions of calls), and a few that end at
# once (they may end between the recorder's poll and its attach: no crash, no partial file).
# Checks: one policy per container, named after it; three of them, spot-checked, start their
# container's workload again under its runtime (same output, exit 0; mkdir, never recorded,
# denied);
# and the recorder's memory is state per container, not per call: its VmRSS, sampled every
# second, after 6 containers and after all of them, and before and after the syscall-heavy
# one, differs by less than a small bound (not checked under the sanitizers, whose quarantine
# keeps freed memory resident: usage's second argument, meson's b_sanitize). Skips (77) without
# the runtime or the eBPF recorder.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
case ${1:-} in runc | ctr) ;; *) echo "usage: test-all-containers.sh runc|ctr [SANITIZERS]"; exit 1 ;; esac
sanitized=false
case ${2:-none} in none | "") ;; *) sanitized=true ;; esac
"$sc" record --ebpf -o /dev/stdout -- true >/dev/null 2>&1 || { echo "SKIP: the eBPF recorder cannot run here"; exit 77; }
# Python for the helpers' JSON without a version manager's shims (a shell script per call).
[ -x /usr/bin/python3 ] && python3() { /usr/bin/python3 "$@"; }
ct_setup "$1"
d=$ct_dir
[ "$ct_runtime" = ctr ] && export CONTAINERD_ADDRESS=$d/ctrd.sock
out=$d/out
go=$d/b/rootfs/go
t0=$(date +%s)
# The bounds, in kB of VmRSS: growth from 5 containers to all of them, and over the heavy one.
containers_kb=1024
calls_kb=256

work1='echo one; uname -s; cat /etc/motd'
work2='echo two; ls /www; hostname >/dev/null; echo done'
work3='echo three; cat /www/index.html; ls /etc'
work_of() { case $(($1 % 3)) in 0) echo "$work1" ;; 1) echo "$work2" ;; *) echo "$work3" ;; esac; }

"$sc" record --all-containers --runtime "$(ct_baseline_name)" -f oci --out-dir "$out" --duration 140 2> "$d/rec.err" &
rec_pid=$!
for _ in $(seq 100); do
	grep -q "^seccompose: recording every container" "$d/rec.err" && break
	sleep 0.1
done
# VmRSS every second: "seconds containers-recorded kB".
(
	while kill -0 "$rec_pid" 2>/dev/null; do
		kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$rec_pid/status" 2>/dev/null)
		[ -n "$kb" ] && echo "$(($(date +%s) - t0)) $(grep -c '^seccompose: recording container sc-all-' "$d/rec.err") $kb"
		sleep 1
	done
) > "$d/rss" &
sampler=$!
rss_now() { awk '/^VmRSS:/ { print $2 }' "/proc/$rec_pid/status"; }
attached() { # attached NAME: the recorder says it records NAME (up to 10 s)
	for _ in $(seq 100); do
		grep -q "^seccompose: recording container $1 " "$d/rec.err" && return 0
		kill -0 "$rec_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# A container that waits until the recorder is on it, then runs CMD in a shell of its own.
start_waiting() { # start_waiting NAME CMD
	ct_start "$1" "while [ ! -e /go/$1 ]; do sleep 0.1; done; sh -c '$2'"
}

long=sc-all-$$-long
start_waiting "$long" 'while [ ! -e /go/stop ]; do cat /etc/motd > /dev/null; sleep 1; done'
attached "$long" && touch "$go/$long"

# 20 short-lived containers, five at a time.
i=0
while [ $i -lt 20 ]; do
	batch=""
	for _ in 1 2 3 4 5; do
		i=$((i + 1))
		n=sc-all-$$-$i
		start_waiting "$n" "$(work_of $i)"
		batch="$batch $n"
	done
	for n in $batch; do
		attached "$n" || echo "# not attached: $n"
		touch "$go/$n"
	done
	for n in $batch; do ct_wait "$n"; done
	# 6 containers so far (the long-lived one and a batch): the first reference.
	[ $i -eq 5 ] && { sleep 1.5; rss5=$(rss_now); }
done
echo "# 20 short-lived containers in $(($(date +%s) - t0)) s"

# Containers that end at once: some end before the poll, some between it and the attach.
for k in 1 2 3 4 5 6; do
	ct_start "sc-all-$$-flash$k" 'echo flash'
done

echo "# flash containers started at $(($(date +%s) - t0)) s"
# The syscall-heavy container: 2 million calls of the same two keys.
heavy=sc-all-$$-heavy
start_waiting "$heavy" 'busybox dd if=/dev/zero of=/dev/null bs=1 count=1000000 2>/dev/null; echo heavy-done'
attached "$heavy"
sleep 1.5
rss_before_heavy=$(rss_now)
echo "# heavy container goes at $(($(date +%s) - t0)) s"
touch "$go/$heavy"
ct_wait "$heavy"
rss_after_heavy=$(rss_now)
echo "# heavy container done at $(($(date +%s) - t0)) s"
for k in 1 2 3 4 5 6; do ct_wait "sc-all-$$-flash$k"; done

# Keep the long-lived one running for the rest of the minute, then stop the recorder.
while [ $(($(date +%s) - t0)) -lt 55 ]; do sleep 1; done
rss_all=$(rss_now)
kill -INT "$rec_pid"
wait "$rec_pid"
rec_rc=$?
touch "$go/stop"
ct_wait "$long"
kill "$sampler" 2>/dev/null
wait "$sampler" 2>/dev/null
grep -v '^seccompose: record\(ing\|ed [0-9]* distinct calls from\) container' "$d/rec.err" | sed 's/^/# recorder: /' | head -20
grep '^seccompose: recorded [0-9]* distinct calls from container sc-all-' "$d/rec.err" | sed 's/^seccompose: /# /; s/ ([a-z]*, pid [0-9]*) into .*//' | awk 'NR <= 3 || /flash|heavy|long/'
echo "# recorded $(grep -c '^seccompose: recording container sc-all-' "$d/rec.err") of this test's containers in $(($(date +%s) - t0)) s"
sed 's/^/# VmRSS (s, containers, kB): /' "$d/rss" | awk 'NR % 5 == 1'
echo "# VmRSS kB: after 6 containers $rss5, after all $rss_all; before the heavy one $rss_before_heavy, after it $rss_after_heavy"

check "the recorder ends on SIGINT with exit 0 (exit $rec_rc)" test "$rec_rc" -eq 0
missing=""
for n in "$long" "$heavy" $(seq -f "sc-all-$$-%.0f" 1 20); do
	[ -s "$out/$n.json" ] || missing="$missing $n"
done
echo "# missing policies:${missing:- none}"
check "one policy per container, named after it (22)" test -z "$missing"
bad=""
for f in "$out"/*; do
	case $f in *.json) python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null || bad="$bad $f" ;;
	*) bad="$bad $f" ;; esac
done
check "no partial or stray file in --out-dir (${bad:-none})" test -z "$bad"
# One that ended before the attach, or before a call of it was seen, gets no policy (its
# runtime's baseline alone would start nothing), and the recorder says so.
unsaid=""
for k in 1 2 3 4 5 6; do
	n=sc-all-$$-flash$k
	[ -e "$out/$n.json" ] || grep -q "container $n .*ended before .*: no policy$" "$d/rec.err" ||
		unsaid="$unsaid $n"
done
echo "# of the 6 that ended at once: $(grep -c 'flash.*no policy$' "$d/rec.err") without a policy, $(ls "$out" | grep -c flash) with one"
check "a container that ended at once has a policy, or the recorder says why not (${unsaid:-all said})" test -z "$unsaid"
if $sanitized; then
	echo "# built with sanitizers ($2): their quarantine keeps freed memory resident, RSS not checked"
else
	check "the recorder's memory after all containers is within $containers_kb kB of after 6 ($rss5 → $rss_all kB)" \
		test $((rss_all - rss5)) -le $containers_kb
	check "a container making millions of calls does not grow it past $calls_kb kB ($rss_before_heavy → $rss_after_heavy kB)" \
		test $((rss_after_heavy - rss_before_heavy)) -le $calls_kb
fi
check "the heavy container ran" grep -q heavy-done "$d/$heavy.out"

# Spot-checks: a policy starts its container's workload again under its runtime.
for k in 3 7 14; do
	w=$(work_of $k)
	ct_run plain "" "$w" > "$d/plain$k.out" 2>&1
	ct_run again "$out/sc-all-$$-$k.json" "$w" > "$d/again$k.out" 2>&1
	rc=$?
	check "sc-all-$$-$k's policy starts its workload again (exit $rc)" test "$rc" -eq 0
	check "with the same output" cmp "$d/plain$k.out" "$d/again$k.out"
done
ct_run mkdir "$out/sc-all-$$-3.json" "$work3; mkdir /tmp/new && echo mkdir-ok || echo mkdir-denied" > "$d/mkdir.out" 2>&1
check "mkdir, never recorded, is denied" grep -q '^mkdir-denied$' "$d/mkdir.out"
echo "# $(($(date +%s) - t0)) s in all"
finish
