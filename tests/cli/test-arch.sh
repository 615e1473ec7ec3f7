#!/bin/sh
# Multi-arch output: `compile --arch` and `record --arch` (sc_policy_retarget). A recording
# made on x86_64 compiled for aarch64 gives the profile an arm64 node needs: SCMP_ARCH_AARCH64
# in the OCI JSON, aarch64's numbers in the raw BPF (run by run-bpf.py, apart from our own
# interpreter), x86-only names listed as absent. Argument indexes that move between ABIs
# (clone on s390x) and 64-bit parameters on 32-bit ABIs.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
RUN_BPF="$SC_SOURCE_ROOT/tests/cli/run-bpf.py"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# A recording as `record` writes one on x86_64 (fixed here: no ptrace needed).
cat >"$dir/rec.toml" <<'EOF'
default_action = "Errno"
default_errno_ret = "EPERM"
architectures = ["SCMP_ARCH_X86_64"]

[[syscalls]]
names = ["exit", "exit_group", "rt_sigreturn", "sigreturn", "restart_syscall"]
action = "Allow"

[[syscalls]]
names = ["read", "write", "close", "open", "stat", "poll", "arch_prctl", "newfstatat"]
action = "Allow"

[[syscalls]]
names = ["openat"]
action = "Allow"
conditions = [ { argument = "flags", type = "masked_equals", mask = "O_ACCMODE|O_CREAT|O_TRUNC", value = "O_RDONLY" } ]

[[syscalls]]
names = ["clone"]
action = "Allow"
conditions = [ { argument = "clone_flags", type = "bitmask_none", value = "CLONE_NEWUSER" } ]
EOF

# --- a recording made on x86_64, for aarch64 ---------------------------------------------
"$S" compile "$dir/rec.toml" --arch aarch64 --format oci -o "$dir/arm64.json" 2>"$dir/arm64.err"
check "compile --arch aarch64 --format oci" test -s "$dir/arm64.json"
check "the OCI profile names SCMP_ARCH_AARCH64" grep -q '"SCMP_ARCH_AARCH64"' "$dir/arm64.json"
check "and no other ABI" sh -c "! grep -q 'SCMP_ARCH_X86' '$dir/arm64.json'"
check "x86-only names are listed as absent on aarch64" \
	grep -q 'absent on aarch64: open, stat, poll, arch_prctl' "$dir/arm64.err"
check "with what aarch64 calls instead, and whether the policy has it" \
	grep -q 'open → openat (in the policy), stat → newfstatat (in the policy), poll → ppoll (not in the policy)' "$dir/arm64.err"
check "sigreturn (no x86_64 syscall) is no news" sh -c "! grep -q sigreturn '$dir/arm64.err'"
check "the note is placed at the first absent name" grep -q 'rec.toml:10:' "$dir/arm64.err"
expect_out "Allow" "$S" check "$dir/arm64.json" --arch aarch64 openat AT_FDCWD 0 O_RDONLY
expect_out "Errno(EPERM)" "$S" check "$dir/arm64.json" --arch aarch64 openat AT_FDCWD 0 O_WRONLY
expect_out "Errno(EPERM)" "$S" check "$dir/arm64.json" --arch aarch64 mkdirat AT_FDCWD 0 0
expect_out "Allow" "$S" check "$dir/arm64.json" --arch aarch64 clone 0
expect_out "Errno(EPERM)" "$S" check "$dir/arm64.json" --arch aarch64 clone CLONE_NEWUSER

# The raw filter, run apart from seccompose: aarch64's numbers (openat 56, newfstatat 79,
# mkdirat 34, and x86_64's open is 2 — io_destroy's number on aarch64).
"$S" compile "$dir/rec.toml" --arch aarch64 --format bpf -o "$dir/arm64.bpf" 2>/dev/null
AA64=0xc00000b7
X86_64=0xc000003e
expect_out "ALLOW" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 56 -100 0 0
expect_out "ERRNO(1)" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 56 -100 0 1
expect_out "ALLOW" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 79
expect_out "ERRNO(1)" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 34
expect_out "ERRNO(1)" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 2
expect_out "ALLOW" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 220 0x11
expect_out "ERRNO(1)" python3 "$RUN_BPF" "$dir/arm64.bpf" $AA64 220 0x10000000
check "an x86_64 call is not an aarch64 one" sh -c \
	"python3 '$RUN_BPF' '$dir/arm64.bpf' $X86_64 0 | grep -qv ALLOW"
expect_grep 'AUDIT_ARCH_AARCH64' "$S" compile "$dir/rec.toml" --arch aarch64 --format disasm
expect_grep '; openat' "$S" compile "$dir/rec.toml" --arch aarch64 --format disasm

# Several ABIs at once; each keeps what it has.
"$S" compile "$dir/rec.toml" --arch aarch64,x86_64 --format toml -o "$dir/both.toml" 2>/dev/null
check "--arch aarch64,x86_64 lists both" grep -q 'SCMP_ARCH_AARCH64", "SCMP_ARCH_X86_64' "$dir/both.toml"
expect_out "Allow" "$S" check "$dir/both.toml" --arch x86_64 open 0 0
expect_out "Allow" "$S" check "$dir/both.toml" --arch aarch64 openat AT_FDCWD 0 0
expect_status 0 "$S" compile "$dir/rec.toml" --arch aarch64 --format spo
expect_status 2 "$S" compile "$dir/rec.toml" --arch aarch65
expect_err "did you mean" "$S" compile "$dir/rec.toml" --arch aarch65
expect_status 2 "$S" compile "$dir/rec.toml" --arch ,

# --- argument indexes that move: clone on s390x ---------------------------------------------
# An OCI profile's index 0 is x86_64's clone_flags; on s390x clone_flags is the second register
# (CONFIG_CLONE_BACKWARDS2), so the condition follows the parameter, not the index.
cat >"$dir/clone.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
 {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
  "args": [{"index": 0, "value": 268435456, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
 {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}
EOF
"$S" compile "$dir/clone.json" --arch s390x --format toml -o "$dir/s390x.toml"
check "the index condition is named on s390x" grep -q 'argument = "clone_flags"' "$dir/s390x.toml"
expect_out "Allow" "$S" check "$dir/s390x.toml" --arch s390x clone 0x10000000 0
expect_out "Errno(EPERM)" "$S" check "$dir/s390x.toml" --arch s390x clone 0 0x10000000
expect_out "Errno(EPERM)" "$S" check "$dir/clone.json" --arch x86_64 clone 0x10000000 0
expect_out "Allow" "$S" check "$dir/clone.json" --arch x86_64 clone 0 0x10000000
expect_out "clone_flags" sh -c "'$S' syscalls --arch s390x clone | awk '/arg1/ {print \$2}'"
expect_out "tls" sh -c "'$S' syscalls --arch aarch64 clone | awk '/arg3/ {print \$2}'"
expect_out "child_tidptr" sh -c "'$S' syscalls --arch x86_64 clone | awk '/arg3/ {print \$2}'"

# --- 64-bit parameters on 32-bit ABIs ----------------------------------------------------------
cat >"$dir/fan.toml" <<'EOF'
default_action = "Errno"
architectures = ["x86_64"]

[[syscalls]]
names = ["fanotify_mark"]
action = "Allow"
conditions = [ { argument = "mask", type = "bitmask_none", value = 1 } ]
EOF
expect_status 3 "$S" compile "$dir/fan.toml" --arch x86_64,x86
expect_err "fan.toml:7:.*cannot carry this condition on 'mask' of 'fanotify_mark' to x86" \
	"$S" compile "$dir/fan.toml" --arch x86_64,x86
expect_status 0 "$S" compile "$dir/fan.toml" --arch x86_64,aarch64

# --- record --arch ----------------------------------------------------------------------------
if "$S" record -o "$dir/true.toml" -- true >/dev/null 2>&1; then
	expect_status 0 "$S" record --arch aarch64 -o "$dir/rec-arm64.json" -- true
	check "record --arch aarch64 --format oci names SCMP_ARCH_AARCH64" \
		grep -q '"SCMP_ARCH_AARCH64"' "$dir/rec-arm64.json"
	expect_out "Allow" "$S" check "$dir/rec-arm64.json" --arch aarch64 exit_group 0
	expect_status 0 "$S" record --arch x86_64,aarch64 -o "$dir/rec-both.toml" -- true
	check "record --arch x86_64,aarch64 writes a TOML policy for both" \
		grep -q 'SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64' "$dir/rec-both.toml"
	expect_status 0 "$S" compile "$dir/rec-both.toml" --format oci
else
	echo "# record cannot trace here (ptrace refused): record --arch skipped"
fi

finish
