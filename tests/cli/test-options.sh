#!/bin/sh
# Every command reads its command line alike (cli_getopt): options anywhere among the operands
# (`--` ends them), except after the program `run` and `record` run; refused options, formats
# and built-in names get a suggestion.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
p="$SC_SOURCE_ROOT/tests/policy/13-ok.toml"
S=$SECCOMPOSE
# The same policy on x86_64 alone, which OCI can state (with x86, i386 mmap's rules differ).
p64="$dir/p64.toml"
sed 's/^architectures = .*/architectures = ["SCMP_ARCH_X86_64"]/' "$p" >"$p64"

# Options after operands, in every command that takes operands.
expect_out 56 "$S" syscalls openat --arch aarch64 -q
expect_out 56 "$S" syscalls openat -q -a aarch64
expect_out 56 "$S" syscalls openat --arch=aarch64 --quiet
expect_grep '"arch":"aarch64"' "$S" syscalls openat --json --arch aarch64
expect_out "$("$S" check --arch x86 "$p" getpid)" "$S" check "$p" getpid --arch x86
expect_out "$("$S" explain --arch aarch64 "$p")" "$S" explain "$p" --arch aarch64
expect_out "$("$S" groups --arch aarch64 stdio_app)" "$S" groups stdio_app --arch aarch64
expect_grep '"name":"O_RDONLY"' "$S" constants O_RDONLY --json
check "compile POLICY -o OUT --format oci" "$S" compile "$p64" -o "$dir/a.json" --format oci
check "  ... wrote OCI JSON" grep -q '"defaultAction"' "$dir/a.json"
check "merge A B -o OUT" "$S" merge "$p" "$p" -o "$dir/m.toml"
# A negative number is an operand, not an option.
expect_out "$("$S" check -- "$p" openat -100 0)" "$S" check "$p" openat -100 0
expect_grep '^AT_FDCWD' "$S" constants -100
# `--` ends the options: what follows is an operand even if it looks like one.
expect_status 1 "$S" syscalls -- --arch
expect_err "unknown syscall '--arch'" "$S" syscalls -- --arch

# run and record stop at the program: its options are its own.
expect_out "--policy x" "$S" run -p builtin:default echo --policy x
expect_out "-p x" "$S" run echo -p x
expect_out "--format bpf" "$S" record -o "$dir/r.toml" echo --format bpf
check "  ... and the recording is TOML" grep -q '^default_action' "$dir/r.toml"
expect_grep "Options go before the command" "$S" run --help
expect_grep "Options go before the command" "$S" record --help

# Refused options: what was wrong, a suggestion, exit 2, in every command.
for c in $("$S" __commands); do
	expect_status 2 "$S" "$c" --hlep
	expect_err "did you mean '--help'" "$S" "$c" --hlep
	expect_err "unknown option '-Z'" "$S" "$c" -Z
done
expect_err "unknown option '--outptu'" "$S" compile "$p" --outptu x
expect_err "did you mean '--output'" "$S" compile "$p" --outptu x
expect_err "option '--output' needs an argument" "$S" compile "$p" --output
expect_err "option '--json' takes no argument" "$S" syscalls --json=yes
expect_err "option '--a' is ambiguous" "$S" syscalls --a x86
expect_out 56 "$S" syscalls openat --arch aarch64 --qui # an unambiguous prefix is the option

# Formats: `json` names OCI's; an unknown one gets a suggestion and the list.
expect_grep '"defaultAction"' "$S" compile "$p64" --format json
expect_status 2 "$S" compile "$p" --format jsn
expect_err "did you mean 'json'" "$S" compile "$p" --format jsn
expect_err "compile writes oci toml bpf c disasm" "$S" compile "$p" --format yaml
expect_err "record writes oci toml" "$S" record --format bpf -- true
check "nothing written on a bad format" sh -c "! '$S' compile '$p' --format yaml -o '$dir/no.json' && test ! -e '$dir/no.json'"

# An unknown built-in lists the built-ins.
expect_status 1 "$S" run -p builtin:nope -- true
expect_err "no built-in policy 'nope'" "$S" run -p builtin:nope -- true
expect_err "builtin:default builtin:cli-filter" "$S" compile builtin:nope
expect_err "did you mean 'compiler'" "$S" check builtin:compilr getpid
finish
