#!/bin/sh
# A running container recorded by the eBPF recorder, for real (usage: test-record-container.sh
# container|cgroup runc|crun|podman-runc|podman-crun|ctr). The container waits (builtins only)
# until the recorder is attached, then runs a busybox workload in a shell of its own, recorded
# with the runtime's baseline (--runtime) by
#   container  `record --container NAME` (found through the runtime's state or CLI: its pid
#              namespace, and its cgroup v2 where that is its own);
#   cgroup     `record --cgroup DIR`, DIR the cgroup v2 of the container's init (its `0::` line
#              of /proc/PID/cgroup under the cgroup2 mount), recorded until it empties.
# The workload then runs as a container's command under the exported profile: the same output,
# exit 0, and mkdir, never recorded, denied. Skips (77) without the runtime or the eBPF
# recorder, and in cgroup mode where the runtime's container has no cgroup v2 of its own here
# (seccompose's error for that cgroup shown).
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
mode=$1
case $mode in container | cgroup) ;; *) echo "usage: $0 container|cgroup RUNTIME"; exit 1 ;; esac
"$sc" record --ebpf -o /dev/stdout -- true >/dev/null 2>&1 || { echo "SKIP: the eBPF recorder cannot run here"; exit 77; }
ct_setup "$2"
d=$ct_dir
rt=$(ct_baseline_name)
work='echo start; uname -s; cat /etc/motd; ls /www; echo end'
[ "$ct_runtime" = ctr ] && export CONTAINERD_ADDRESS=$d/ctrd.sock

ct_run plain "" "$work" > "$d/plain.out" 2>&1
name=sc-rec-$$
# cgroup mode: crun's container in a cgroup v2 of its own (ct_start says how).
[ "$mode" = cgroup ] && ct_own_cgroup=1
# The container waits until the recorder is on it, then runs the workload.
ct_start "$name" "while [ ! -e /go/go ]; do :; done; sh -c '$work'" || { echo "SKIP: no detached run for $ct_runtime"; exit 77; }
if [ "$mode" = container ]; then
	set -- record --container "$name"
else
	pid=$(ct_pid "$name")
	cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null)
	mnt=$(awk '$9 == "cgroup2" && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
	[ -n "$pid" ] && [ -n "$cg" ] && [ -n "$mnt" ] || { echo "SKIP: no cgroup v2 line for $ct_runtime's container (pid '$pid')"; exit 77; }
	dir=$mnt${cg%/}
	echo "# $ct_runtime's container: init pid $pid, cgroup v2 $dir"
	if [ "$cg" = "$(sed -n 's/^0:://p' /proc/1/cgroup)" ]; then
		# No cgroup v2 of its own: seccompose says so rather than record the machine.
		"$sc" record --cgroup "$dir" --runtime "$rt" -o "$d/rec.json" 2> "$d/rec.err"
		rc=$?
		sed 's/^/# /' "$d/rec.err"
		check "record --cgroup $dir fails (exit $rc)" test "$rc" -eq 1
		check "saying it is the hierarchy's root" grep -q "is the root of the cgroup v2 hierarchy" "$d/rec.err"
		check "nothing written for the hierarchy's root" test ! -e "$d/rec.json"
		touch "$d/b/rootfs/go/go"
		ct_wait "$name"
		echo "1..$count"
		[ "$failures" -eq 0 ] || exit 1
		ct_skip "$ct_runtime's container shares pid 1's cgroup v2 ($dir): $(ct_no_cgroup_reason)"
	fi
	expect_err "'$mnt' is the root of the cgroup v2 hierarchy" "$sc" record --cgroup "$mnt" -o "$d/root.json"
	check "nothing written for the hierarchy's root" test ! -e "$d/root.json"
	set -- record --cgroup "$dir"
fi
"$sc" "$@" --runtime "$rt" -o "$d/rec.json" 2> "$d/rec.err" &
rec_pid=$!
ct_until_recording "$rec_pid" "$d/rec.err"
touch "$d/b/rootfs/go/go"
# The recorder ends on its own when the container does (its process, or its cgroup emptied).
for _ in $(seq 300); do kill -0 "$rec_pid" 2>/dev/null || break; sleep 0.1; done
check "the recorder ended with the container" sh -c "! kill -0 $rec_pid 2>/dev/null"
kill -INT "$rec_pid" 2>/dev/null
wait "$rec_pid"
sed 's/^/# /' "$d/rec.err"
check "$* --runtime $rt" test -s "$d/rec.json"
ct_wait "$name"
# podman+runc leaves the container's (empty) cgroup v2 behind on this hybrid host.
[ "$mode" = cgroup ] && rmdir "$dir" 2>/dev/null
if [ "$mode" = container ]; then
	expect_status 1 "$sc" record --container sc-no-such-container -o "$d/none.json"
	expect_err "no running container 'sc-no-such-container' (asked: podman" \
		"$sc" record --container sc-no-such-container -o "$d/none.json"
	check "nothing written for an unknown container" test ! -e "$d/none.json"
fi
ct_prove "$d/rec.json" "$work" "the recorded profile"
finish
