#!/bin/sh
# record --container for real (usage: test-record-container.sh runc|crun|podman-runc|podman-crun|ctr): a
# container waits until the recorder is attached, then runs a busybox workload in a shell of its own; `record --container`
# (the eBPF recorder on its pid namespace / cgroup, its runtime's baseline added) records it
# while it runs. The workload then runs as a container's command under the exported profile:
# the same output, exit 0, and mkdir, never recorded, denied. Skips (77) without the runtime
# or the eBPF recorder.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
"$sc" record --ebpf -o /dev/stdout -- true >/dev/null 2>&1 || { echo "SKIP: the eBPF recorder cannot run here"; exit 77; }
ct_setup "$1"
d=$ct_dir
work='echo start; uname -s; cat /etc/motd; ls /www; echo end'
[ "$ct_runtime" = ctr ] && export CONTAINERD_ADDRESS=$d/ctrd.sock

ct_run plain "" "$work" > "$d/plain.out" 2>&1
name=sc-rec-$$
# The container waits (builtins only) until the recorder is on it, then runs the workload.
ct_start "$name" "while [ ! -e /go/go ]; do :; done; sh -c '$work'" || { echo "SKIP: no detached run for $ct_runtime"; exit 77; }
"$sc" record --container "$name" --runtime "$(ct_baseline_name)" -o "$d/rec.json" 2> "$d/rec.err" &
rec_pid=$!
for _ in $(seq 150); do
	grep -q "^seccompose: recording" "$d/rec.err" && break
	kill -0 "$rec_pid" 2>/dev/null || break
	sleep 0.1
done
touch "$d/b/rootfs/go/go"
wait "$rec_pid"
sed 's/^/# /' "$d/rec.err"
check "record --container $name" test -s "$d/rec.json"
ct_wait "$name"
expect_status 1 "$sc" record --container sc-no-such-container -o "$d/none.json"
expect_err "no running container 'sc-no-such-container' (asked: podman" \
	"$sc" record --container sc-no-such-container -o "$d/none.json"
check "nothing written for an unknown container" test ! -e "$d/none.json"
ct_run again "$d/rec.json" "$work" > "$d/again.out" 2>&1
rc=$?
sed 's/^/# under the profile: /' "$d/again.out" | head -8
check "under the recorded profile the workload exits 0 (exit $rc)" test "$rc" -eq 0
check "and prints what it prints without one" cmp "$d/plain.out" "$d/again.out"
ct_run mkdir "$d/rec.json" "$work; mkdir /tmp/new && echo mkdir-ok || echo mkdir-denied" > "$d/mkdir.out" 2>&1
check "mkdir, never recorded, is denied" grep -q '^mkdir-denied$' "$d/mkdir.out"
finish
