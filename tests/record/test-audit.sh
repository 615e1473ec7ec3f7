#!/bin/sh
# record --from-audit on sample lines (tests/record/audit-samples/): every form the records
# come in, i386 and x32 ABIs, noise skipped and counted, hostile comm= values kept out of the
# policy, malformed records named by file:line. Usage: test-audit.sh
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sc=$SECCOMPOSE
samples=$SC_SOURCE_ROOT/tests/record/audit-samples

check "mixed forms read" "$sc" record --from-audit "$samples/mixed.log" -o "$dir/p.toml"
expect_err "8 seccomp audit records read, 4 other lines skipped" \
	"$sc" record --from-audit "$samples/mixed.log" -o "$dir/p2.toml"
# Each record's call is allowed on its ABI, whatever its arguments (records carry none).
expect_out Allow "$sc" check "$dir/p.toml" openat 1 2 3
expect_out Allow "$sc" check "$dir/p.toml" ioctl 1 0x5401
expect_out Allow "$sc" check --arch i386 "$dir/p.toml" getpid
expect_out Allow "$sc" check --arch x32 "$dir/p.toml" write
expect_out Allow "$sc" check "$dir/p.toml" uname
expect_out Allow "$sc" check "$dir/p.toml" close
# What the hostile comm= says never reaches the policy: no ptrace, no i386 setuid (26 is ptrace there).
expect_out "Errno(EPERM)" "$sc" check "$dir/p.toml" ptrace
expect_out "Errno(EPERM)" "$sc" check --arch i386 "$dir/p.toml" ptrace
check "no comm text in the policy" sh -c "! grep -q 'syscalls]] names' '$dir/p.toml'"
# A SYSCALL record (type=1300) is no seccomp record: execve (59) is not recorded.
expect_out "Errno(EPERM)" "$sc" check "$dir/p.toml" execve
# Standard input, OCI and --abstract give the policy as record does.
check "standard input" sh -c "'$sc' record --from-audit - -o '$dir/stdin.toml' < '$samples/mixed.log'"
check "same policy from standard input" sh -c "grep -v '^#' '$dir/p.toml' > '$dir/a'; grep -v '^#' '$dir/stdin.toml' > '$dir/b'; cmp '$dir/a' '$dir/b'"
check "OCI" "$sc" record --from-audit "$samples/mixed.log" --format oci -o "$dir/p.json"
expect_out Allow "$sc" check "$dir/p.json" uname
check "--abstract" "$sc" record --abstract --from-audit "$samples/mixed.log" -o "$dir/abs.toml"
expect_out Allow "$sc" check "$dir/abs.toml" openat 1 2 3
# Errors: where, and what.
expect_status 1 "$sc" record --from-audit "$samples/malformed.log" -o "$dir/m.toml"
expect_err "malformed.log:2:112: error: malformed seccomp audit record: syscall= is not a number" \
	"$sc" record --from-audit "$samples/malformed.log" -o "$dir/m.toml"
expect_err "conflict.log:1:[0-9]*: error: malformed seccomp audit record: arch= given twice" \
	"$sc" record --from-audit "$samples/conflict.log" -o "$dir/m.toml"
check "nothing written on error" test ! -e "$dir/m.toml"
printf 'nothing here\n' > "$dir/none.log"
expect_err "no seccomp audit record" "$sc" record --from-audit "$dir/none.log" -o "$dir/m.toml"
expect_err "is no syscall of x86_64" sh -c "echo 'type=1326 audit(1:2): arch=c000003e syscall=4000' | '$sc' record --from-audit - -o '$dir/m.toml'"
expect_status 2 "$sc" record --from-audit "$samples/mixed.log" -o "$dir/m.toml" -- true
finish
