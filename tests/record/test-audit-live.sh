#!/bin/sh
# record --from-audit from a real run: a program under a policy whose default action is Log
# (a few calls allowed) has the kernel log what the policy would have refused; those records,
# read back from the kernel log, become a policy under which the program runs with every other
# call killed (only openat is left to log: the kernel rate-limits what it prints, and one
# distinct call survives that). Skips (77) when no record reaches the kernel log (no root, auditd took them,
# dmesg restricted). Usage: test-audit-live.sh
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sc=$SECCOMPOSE
# execve is allowed: seccompose run makes it under the filter, as itself.
# A name of its own, so that its records are told from everything else in the log.
prog=$dir/scaud$$
cp /bin/true "$prog" || exit 77
allowed='"execve", "read", "write", "close", "exit_group", "brk", "mmap", "munmap", "mprotect", "fstat", "newfstatat", "pread64", "arch_prctl", "set_tid_address", "set_robust_list", "rseq", "prlimit64", "getrandom", "access"'
cat > "$dir/log.toml" <<EOT
default_action = "Log"
[[syscalls]]
names = [$allowed]
action = "Allow"
EOT
kernel_log() {
	dmesg 2>/dev/null || timeout 2 dd if=/dev/kmsg iflag=nonblock 2>/dev/null
}
# The kernel prints at most 10 messages per 5 s when no auditd takes them (printk_ratelimit),
# and other programs may be using that budget: a run whose records were all dropped is retried.
for round in 1 2 3; do
	check "run under a Log policy (round $round)" "$sc" run -p "$dir/log.toml" -- "$prog"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kernel_log | grep "comm=\"scaud$$\"" > "$dir/audit.txt"
		[ -s "$dir/audit.txt" ] && break 2
		sleep 0.2
	done
	sleep 4
done
if [ ! -s "$dir/audit.txt" ]; then
	echo "# no seccomp audit record of the run in the kernel log (not root, auditd, or rate-limited): skipped"
	exit 77
fi
echo "# $(wc -l < "$dir/audit.txt") records"
# Noise around the records, as dmesg gives them.
{ echo "[    0.000000] Linux version"; cat "$dir/audit.txt"; echo "[    1.0] eth0: link up"; } > "$dir/dmesg.txt"
check "the kernel log becomes a policy" "$sc" record --from-audit "$dir/dmesg.txt" -o "$dir/rec.toml"
# Every logged call is allowed by the recording.
sed -n 's/.* arch=\([0-9a-f]*\) syscall=\([0-9]*\) .*/\2/p' "$dir/audit.txt" | sort -u > "$dir/nrs"
while read -r nr; do
	name=$("$sc" syscalls "$nr" 2>/dev/null | awk 'NR == 1 { print $1 }')
	expect_out Allow "$sc" check "$dir/rec.toml" "$name"
done < "$dir/nrs"
# The recording plus what the Log policy allowed, every other call killed: the program runs.
sed -e 's/^default_action = .*/default_action = "KillProcess"/' -e '/^default_errno_ret/d' "$dir/rec.toml" > "$dir/run.toml"
printf '\n[[syscalls]]\nnames = [%s]\naction = "Allow"\n' "$allowed" >> "$dir/run.toml"
expect_status 0 "$sc" run -p "$dir/run.toml" -- "$prog"
finish
