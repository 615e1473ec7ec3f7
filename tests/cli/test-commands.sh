#!/bin/sh
# run, compile, check, explain: exit statuses, outputs written whole or not at all, help.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'chmod -R u+w "$dir"; rm -rf "$dir"' EXIT
p="$SC_SOURCE_ROOT/tests/policy/13-ok.toml"

# Every command has --help (exit 0) and complains about bad options (exit 2).
for c in run compile check explain groups syscalls constants; do
	expect_status 0 "$SECCOMPOSE" "$c" --help
	expect_status 2 "$SECCOMPOSE" "$c" --no-such-option
done
expect_status 0 "$SECCOMPOSE" --help
expect_status 0 "$SECCOMPOSE" --version

# run: the child's status, 128+signal, 126/127, 3 for an invalid policy.
cat >"$dir/deny.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS" },
                { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }
JSON
expect_status 0 "$SECCOMPOSE" run -p "$dir/deny.json" -- true
expect_status 1 "$SECCOMPOSE" run -p "$dir/deny.json" -- false
expect_status 7 "$SECCOMPOSE" run -p "$dir/deny.json" -- sh -c 'exit 7'
expect_status 159 "$SECCOMPOSE" run -p "$dir/deny.json" -- uname
expect_status 127 "$SECCOMPOSE" run -p "$dir/deny.json" -- no-such-command-here
printf '#!/bin/sh\n' >"$dir/noexec" && chmod 644 "$dir/noexec"
expect_status 126 "$SECCOMPOSE" run -p "$dir/deny.json" -- "$dir/noexec"
expect_err "Permission denied" "$SECCOMPOSE" run -p "$dir/deny.json" -- mkdir "$dir/x"
check "the denied mkdir did not happen" test ! -e "$dir/x"
expect_status 3 "$SECCOMPOSE" run -p "$SC_SOURCE_ROOT/tests/policy/01-unknown-syscall.toml" -- true
expect_out "hello" "$SECCOMPOSE" run -- echo hello       # the built-in default
expect_status 1 "$SECCOMPOSE" run -- unshare --user true  # namespaces are not in it
expect_status 0 "$SECCOMPOSE" run --tsync --log -p "$dir/deny.json" -- true

# compile: formats; -o writes atomically; a failure leaves the old file as it was.
for f in toml bpf c disasm; do
	check "compile --format $f" "$SECCOMPOSE" compile "$p" --format "$f" -o "$dir/out.$f"
done
# OCI gives a syscall one rule list for every ABI: i386 mmap (arguments in memory) differs.
expect_err "cannot export 'mmap' to OCI" "$SECCOMPOSE" compile "$p" --format oci -o "$dir/out.oci"
sed 's/"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"/"SCMP_ARCH_X86_64"/' "$p" >"$dir/ok64.toml"
check "compile --format oci" "$SECCOMPOSE" compile "$dir/ok64.toml" --format oci -o "$dir/out.oci"
expect_grep '"defaultAction": "SCMP_ACT_ERRNO"' cat "$dir/out.oci"
expect_grep "static const struct sock_filter" cat "$dir/out.c"
check "the TOML output loads back" "$SECCOMPOSE" compile "$dir/out.toml" --format bpf -o "$dir/again.bpf"
check "and compiles to the same program" cmp "$dir/out.bpf" "$dir/again.bpf"
echo "previous contents" >"$dir/keep.json"
expect_status 3 "$SECCOMPOSE" compile "$SC_SOURCE_ROOT/tests/policy/01-unknown-syscall.toml" \
	--format oci -o "$dir/keep.json"
expect_out "previous contents" cat "$dir/keep.json"
mkdir "$dir/ro" && chmod 555 "$dir/ro"
if [ "$(id -u)" -ne 0 ]; then
	expect_status 1 "$SECCOMPOSE" compile "$p" -o "$dir/ro/out.json"
fi
expect_status 1 "$SECCOMPOSE" compile "$p" -o "$dir/missing/out.json"
expect_out "" ls -A "$dir/ro"
expect_status 2 "$SECCOMPOSE" compile "$p" --format yaml
expect_err "did you mean 'toml'" "$SECCOMPOSE" compile "$p" --format tmol

# check: names, numbers, constants; --arch.
expect_out "Allow" "$SECCOMPOSE" check "$p" openat AT_FDCWD 0 O_RDONLY
expect_out "Errno(EPERM)" "$SECCOMPOSE" check "$p" openat AT_FDCWD 0 O_WRONLY
expect_out "Allow" "$SECCOMPOSE" check "$p" read 0
expect_out "Errno(EPERM)" "$SECCOMPOSE" check "$p" read 3
expect_out "Allow" "$SECCOMPOSE" check --arch x86 "$p" read 0
expect_out "Errno(EPERM)" "$SECCOMPOSE" check --arch aarch64 "$p" read 0
# An unknown name or value is a usage error (2): 1 is check's answer "denied".
expect_status 2 "$SECCOMPOSE" check "$p" opneat
expect_err "did you mean 'openat'" "$SECCOMPOSE" check "$p" opneat
expect_status 2 "$SECCOMPOSE" check "$p" ioctl 0 TCGEST
expect_out "Errno(ENOSYS)" "$SECCOMPOSE" check --enosys-after 5.2 "$p" clone3

# explain: rules in the order they apply, with their origin.
expect_grep "openat (257)" "$SECCOMPOSE" explain "$p"
expect_grep "Allow *if dfd == AT_FDCWD && flags & O_ACCMODE == O_RDONLY" "$SECCOMPOSE" explain "$p"
expect_grep "13-ok.toml:[0-9]* (abstract_syscalls\[0\], group stdio_app)" "$SECCOMPOSE" explain "$p"
finish
