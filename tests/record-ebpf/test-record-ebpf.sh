#!/bin/sh
# The eBPF recorder on the real kernel (root, BTF, cgroup v2; skipped, with the reason,
# where it cannot run): `record --ebpf` gives the ptrace recorder's policy for the same
# deterministic workload (threads, fork, exec, fixed ioctl/socket/prctl/clone arguments) and
# the workload runs under it, a call it never made denied; ABI tags; `--cgroup` on a cgroup
# with a shell loop in it (--duration, ends when it empties); `--pid` through the process's
# cgroup and through its pid namespace; bad input; a recorder killed mid-way writes nothing.
# Usage: test-record-ebpf.sh WORKLOAD TRY_SYSCALL
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
wl=$1
try=$2
sc=$SECCOMPOSE
dir=$(mktemp -d)
cgs=
bg=
cleanup() {
	for p in $bg; do kill -9 "$p" 2>/dev/null; done
	for c in $cgs; do
		[ -d "$c" ] || continue
		echo 1 >"$c/cgroup.kill" 2>/dev/null
		for _ in $(seq 1 50); do rmdir "$c" 2>/dev/null && break; sleep 0.1; done
	done
	rm -rf "$dir"
}
trap cleanup EXIT

if ! "$sc" record --ebpf -o "$dir/probe.toml" -- true 2>"$dir/probe.err"; then
	echo "# skip: the eBPF recorder cannot run here: $(head -n 1 "$dir/probe.err")"
	exit 77
fi
cg2=$(awk '$9 == "cgroup2" && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
new_cgroup() { # name → $cg, a fresh cgroup v2 directory, removed at exit
	cg="$cg2/sc-test-$$-$1"
	mkdir "$cg" && cgs="$cgs $cg"
}
policy() { grep -v '^#' "$1"; } # a recording without its header comments

# The same policy from both recorders, three runs each (scheduling must not matter).
for i in 1 2 3; do
	check "record --ebpf the workload ($i)" "$sc" record --ebpf -o "$dir/ebpf$i.toml" -- "$wl"
	check "record (ptrace) the workload ($i)" "$sc" record -o "$dir/ptrace$i.toml" -- "$wl"
	policy "$dir/ebpf$i.toml" >"$dir/e" && policy "$dir/ptrace$i.toml" >"$dir/p"
	check "eBPF and ptrace recordings are the same policy ($i)" cmp "$dir/e" "$dir/p"
done
check "the recording has the workload's arguments" sh -c \
	"grep -q 'FIONREAD' '$dir/ebpf1.toml' && grep -q 'PR_SET_NAME' '$dir/ebpf1.toml' &&
	 grep -q 'IPPROTO_TCP' '$dir/ebpf1.toml' && grep -q '\"clone\"' '$dir/ebpf1.toml'"
expect_out "workload ok" "$sc" run -p "$dir/ebpf1.toml" -- "$wl"
expect_status 0 "$sc" run -p "$dir/ebpf1.toml" -- "$wl"
expect_grep "extra: errno=1$" "$sc" run -p "$dir/ebpf1.toml" -- "$wl" --extra
expect_grep "extra: errno=0$" "$wl" --extra
check "record --ebpf --abstract --format oci" "$sc" record --ebpf --abstract --format oci -o "$dir/abs.json" -- "$wl"
expect_out "workload ok" "$sc" run -p "$dir/abs.json" -- "$wl"
expect_status 127 "$sc" record --ebpf -o "$dir/none.toml" -- no-such-command-here
expect_status 3 "$sc" record --ebpf -o "$dir/three.toml" -- sh -c 'exit 3'
check "the command's cgroups are removed" sh -c "! ls -d '$cg2'/seccompose/rec-* 2>/dev/null"

# ABIs: x32 calls are seen whether or not the kernel runs them (ENOSYS here without x32);
# i386 ones where int 0x80 runs.
check "record --ebpf an x32 ioctl" "$sc" record --ebpf -o "$dir/x32e.toml" -- "$try" --abi x32 514 0 0x5401
check "record (ptrace) an x32 ioctl" "$sc" record -o "$dir/x32p.toml" -- "$try" --abi x32 514 0 0x5401
check "x32: tagged" grep -q 'SCMP_ARCH_X32' "$dir/x32e.toml"
policy "$dir/x32e.toml" >"$dir/e" && policy "$dir/x32p.toml" >"$dir/p"
check "x32: the same policy" cmp "$dir/e" "$dir/p"
if "$try" --abi i386 20 >/dev/null 2>&1; then
	check "record --ebpf an i386 ioctl" "$sc" record --ebpf -o "$dir/i386e.toml" -- "$try" --abi i386 54 0 0x5401
	check "record (ptrace) an i386 ioctl" "$sc" record -o "$dir/i386p.toml" -- "$try" --abi i386 54 0 0x5401
	check "i386: tagged" grep -q 'SCMP_ARCH_X86"' "$dir/i386e.toml"
	policy "$dir/i386e.toml" >"$dir/e" && policy "$dir/i386p.toml" >"$dir/p"
	check "i386: the same policy" cmp "$dir/e" "$dir/p"
else
	echo "# skip i386: int 0x80 does not run here (no IA32 emulation, or the hypervisor refuses it)"
fi

# --cgroup: a shell loop in a cgroup of ours; --duration ends it; so does the cgroup emptying.
new_cgroup loop
sh -c "echo \$\$ >'$cg/cgroup.procs'; exec sh -c 'i=0; while [ \$i -lt 40 ]; do i=\$((i+1)); cat /etc/hostname >/dev/null; sleep 0.1; done'" &
loop=$!
bg="$bg $loop"
sleep 0.3
t0=$(date +%s)
check "record --cgroup --duration 1" timeout 20 "$sc" record --cgroup "$cg" --duration 1 -o "$dir/cg.toml"
t1=$(date +%s)
check "--duration 1 ended it within 3 s" test $((t1 - t0)) -le 3
check "the loop's calls are recorded" sh -c "grep -q '\"wait4\"' '$dir/cg.toml' && grep -q '\"execve\"' '$dir/cg.toml'"
check "record --cgroup ends when the cgroup empties" timeout 20 "$sc" record --cgroup "$cg" -o "$dir/cg2.toml"
check "…and wrote the recording" grep -q '"wait4"' "$dir/cg2.toml"
wait $loop 2>/dev/null

# --pid: a process in a cgroup of its own; one in a pid namespace of its own.
new_cgroup pid
sh -c "echo \$\$ >'$cg/cgroup.procs'; exec sh -c 'i=0; while [ \$i -lt 20 ]; do i=\$((i+1)); cat /etc/hostname >/dev/null; sleep 0.1; done'" &
svc=$!
bg="$bg $svc"
sleep 0.3
check "record --pid (its cgroup) until it exits" timeout 20 "$sc" record --pid "$svc" -o "$dir/pid.toml"
check "…its calls recorded" sh -c "grep -q '\"wait4\"' '$dir/pid.toml' && grep -q '\"openat\"' '$dir/pid.toml'"
if command -v unshare >/dev/null && unshare --pid --fork true 2>/dev/null; then
	unshare --pid --fork sh -c 'i=0; while [ $i -lt 30 ]; do i=$((i+1)); cat /etc/hostname >/dev/null; sleep 0.1; done' &
	ns=$!
	bg="$bg $ns"
	sleep 0.3
	inner=$(pgrep -P "$ns" | head -n 1)
	check "record --pid (its pid namespace) --duration 1" timeout 20 "$sc" record --pid "$inner" --duration 1 -o "$dir/pidns.toml"
	check "…its calls recorded" grep -q '"wait4"' "$dir/pidns.toml"
	wait $ns 2>/dev/null
else
	echo "# skip --pid by pid namespace: unshare --pid does not work here"
fi

# --pid of a process that shares its cgroup and pid namespace with pid 1: ptrace-seized, and
# detached, still running, when --duration ends the recording.
sh -c 'i=0; while [ $i -lt 40 ]; do i=$((i+1)); cat /etc/hostname >/dev/null; sleep 0.1; done; exit 7' &
shared=$!
bg="$bg $shared"
sleep 0.3
expect_err "with ptrace instead" timeout 20 "$sc" record --pid "$shared" --duration 1 -o "$dir/seized.toml"
check "…its calls recorded" sh -c "grep -q '\"wait4\"' '$dir/seized.toml' && grep -q '\"execve\"' '$dir/seized.toml'"
check "…and it runs on after the recording" kill -0 "$shared"
check "record --pid (ptrace) until it exits" timeout 20 "$sc" record --pid "$shared" -o "$dir/seized2.toml"
wait "$shared"
check "…which it did normally (exit 7)" test $? -eq 7

# Bad input.
expect_err "no cgroup '/nonexistent-cgroup'" "$sc" record --cgroup /nonexistent-cgroup -o "$dir/bad.toml"
expect_err "'$dir' is not a cgroup v2 directory" "$sc" record --cgroup "$dir" -o "$dir/bad.toml"
for v1 in /sys/fs/cgroup/memory /sys/fs/cgroup/cpu; do
	[ -d "$v1" ] && expect_err "is not a cgroup v2 directory" "$sc" record --cgroup "$v1" -o "$dir/bad.toml"
done
expect_err "no process 999999999\|--pid wants" "$sc" record --pid 999999999 -o "$dir/bad.toml"
expect_status 1 "$sc" record --cgroup /nonexistent-cgroup -o "$dir/bad.toml"
check "nothing written for bad input" test ! -e "$dir/bad.toml"
expect_status 2 "$sc" record --ebpf -o "$dir/bad.toml"
expect_status 2 "$sc" record --duration 3 -o "$dir/bad.toml" -- true
expect_status 2 "$sc" record --cgroup "$cg" --pid 1 -o "$dir/bad.toml"
# A kernel without BTF, as the recorder sees one: /sys/kernel/btf hidden under an empty tmpfs
# in a mount namespace of its own.
if unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf' 2>/dev/null; then
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec "$@"' sh \
		"$sc" record --ebpf -o "$dir/nobtf.toml" -- true >/dev/null 2>"$dir/nobtf.err"
	check "no BTF: exit 1" test $? -eq 1
	check "no BTF: nothing written" test ! -e "$dir/nobtf.toml"
	check "no BTF: one line saying what is missing" grep -q "^seccompose: error: the eBPF recorder needs the kernel's BTF" "$dir/nobtf.err"
	check "no BTF: ptrace works without it" grep -q '^hint: `seccompose record -- CMD` (ptrace) works without it' "$dir/nobtf.err"
fi
if command -v setpriv >/dev/null; then
	mkdir -m 1777 "$dir/nobody" && chmod 755 "$dir"
	setpriv --reuid nobody --regid nogroup --clear-groups --inh-caps=-all \
		"$sc" record --ebpf -o "$dir/nobody/p.toml" -- true >/dev/null 2>"$dir/unpriv.err"
	check "unprivileged: fails" test ! -e "$dir/nobody/p.toml"
	check "unprivileged: one line naming the capabilities" grep -q '^seccompose: error: the eBPF recorder needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)' "$dir/unpriv.err"
	check "unprivileged: ptrace works without it" grep -q '^hint: `seccompose record -- CMD` (ptrace) works without it' "$dir/unpriv.err"
	check "unprivileged: record (ptrace) does work" setpriv --reuid nobody --regid nogroup --clear-groups --inh-caps=-all \
		"$sc" record -o "$dir/nobody/p.toml" -- true
fi

# Killed mid-way (SIGKILL): no output file, no temporary one.
new_cgroup kill
sh -c "echo \$\$ >'$cg/cgroup.procs'; exec sleep 30" &
bg="$bg $!"
"$sc" record --cgroup "$cg" -o "$dir/killed.toml" 2>/dev/null &
rec=$!
sleep 1
kill -9 $rec
wait $rec 2>/dev/null
"$sc" record --ebpf -o "$dir/killed2.toml" -- sleep 30 2>/dev/null &
rec=$!
sleep 1
kill -9 $rec
wait $rec 2>/dev/null
echo 1 >"$cg2/seccompose/rec-$rec/cgroup.kill" 2>/dev/null
cgs="$cgs $cg2/seccompose/rec-$rec $cg2/seccompose"
check "SIGKILL: no recording written (--cgroup)" test ! -e "$dir/killed.toml"
check "SIGKILL: no recording written (--ebpf)" test ! -e "$dir/killed2.toml"
check "SIGKILL: no temporary file left" sh -c "! ls '$dir' | grep -q 'killed.*tmp'"
# SIGTERM: the recording is written.
"$sc" record --cgroup "$cg" -o "$dir/term.toml" 2>/dev/null &
rec=$!
sleep 1
kill -TERM $rec
wait $rec
check "SIGTERM: the recording is written" test -s "$dir/term.toml"
finish
