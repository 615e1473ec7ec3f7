#!/bin/sh
# `seccompose syscalls`: outputs and exit codes.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"

expect_out "257" "$SECCOMPOSE" syscalls -q openat
expect_out "openat" "$SECCOMPOSE" syscalls -q 257
expect_out "1073742081" "$SECCOMPOSE" syscalls -q --arch x32 openat
expect_out "56" "$SECCOMPOSE" syscalls -q --arch arm64 openat
expect_out "4005" "$SECCOMPOSE" syscalls -q --arch SCMP_ARCH_MIPS open
expect_out "470" "$SECCOMPOSE" syscalls -q listns
expect_out "462" "$SECCOMPOSE" syscalls -q mseal
expect_out "102" "$SECCOMPOSE" syscalls -q -a i386 socketcall
expect_grep "arg1 cmd .* 32-bit" "$SECCOMPOSE" syscalls ioctl
expect_grep "arg0 dfd .* 32-bit" "$SECCOMPOSE" syscalls openat
expect_grep '"name":"flags","type":"int","bits":32' "$SECCOMPOSE" syscalls --json openat
expect_grep "^mipsel64n32 .*base 6000" "$SECCOMPOSE" syscalls --arches

# Unknown names: a hint, exit 1.
expect_status 1 "$SECCOMPOSE" syscalls opneat
expect_err "error: unknown syscall 'opneat'" "$SECCOMPOSE" syscalls opneat
expect_err "hint: did you mean 'openat'?" "$SECCOMPOSE" syscalls opneat
expect_err "'open' is not a syscall on aarch64" "$SECCOMPOSE" syscalls --arch aarch64 open
expect_status 1 "$SECCOMPOSE" syscalls 99999
# Usage errors: exit 2.
expect_status 2 "$SECCOMPOSE" syscalls --arch amd65 read
expect_err "did you mean 'amd64'\|did you mean 'arm'" "$SECCOMPOSE" syscalls --arch amd65 read
expect_status 2 "$SECCOMPOSE" syscalls --bogus
expect_status 0 "$SECCOMPOSE" syscalls --help
expect_status 2 "$SECCOMPOSE" sycalls
expect_err "did you mean 'syscalls'" "$SECCOMPOSE" sycalls
# Whole tables.
n=$("$SECCOMPOSE" syscalls --arch x86_64 | wc -l)
check "x86_64 table has 384 rows (got $n)" test "$n" -eq 384
n=$("$SECCOMPOSE" syscalls --all-arches | wc -l)
check "all tables listed (got $n rows)" test "$n" -gt 6000
finish
