#!/bin/sh
# The built-in policies as the build compiled them (cli/builtin-programs.h), which `run`
# installs without parsing or compiling anything: each is byte for byte what the library
# compiles from the same policy now, and a run under one denies and allows as a compiled
# one does, with the command line's flags on top.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for f in "$SC_SOURCE_ROOT"/data/policies/*.toml; do
	name=$(basename "$f" .toml)
	same_program() {
		"$SECCOMPOSE" __builtin-program "$name" >"$dir/built" &&
			"$SECCOMPOSE" compile "builtin:$name" -f bpf -o "$dir/now" &&
			[ -s "$dir/built" ] && cmp "$dir/built" "$dir/now"
	}
	check "builtin:$name: the program compiled at build time is the one compiled now" same_program
done
expect_status 1 "$SECCOMPOSE" __builtin-program no-such-policy

# Under the default (no -p) and a named built-in: allowed calls run, denied ones fail.
expect_out "hi" "$SECCOMPOSE" run -- sh -c 'echo hi'
expect_out "hi" "$SECCOMPOSE" run -p builtin:compiler -- sh -c 'echo hi'
expect_status 1 "$SECCOMPOSE" run -q -- unshare -U true
expect_status 1 "$SECCOMPOSE" run -q -p builtin:default -- unshare -U true
# … with the command line's flags (TSYNC) and the policy's Landlock scope (restrict_ptrace)
expect_out "hi" "$SECCOMPOSE" run --tsync -- sh -c 'echo hi'
expect_out "refused" "$SECCOMPOSE" run -- sh -c 'if true 1<>/proc/$PPID/mem; then echo opened; else echo refused; fi'
# An option that changes the compile is compiled, not taken from the build: with a kernel
# floor of 5.0, open_tree (5.2, which no rule names) fails with ENOSYS, not EPERM.
probe='import ctypes; l = ctypes.CDLL(None, use_errno=True); r = l.syscall(428, -100, b"/", 0); print(ctypes.get_errno() if r < 0 else "ok")'
if command -v python3 >/dev/null && [ "$(uname -m)" = x86_64 ]; then
	expect_out "1" "$SECCOMPOSE" run -q -- python3 -c "$probe"
	expect_out "38" "$SECCOMPOSE" run -q --enosys-after 5.0 -- python3 -c "$probe"
fi
finish
