#!/bin/sh
# seccompose minimise: a generous policy (builtin:default, and a hand-written one of 40 rules)
# for real programs (ls -l of a temporary directory, sh -c), the result smaller, passing
# (the same output and status under `seccompose run`), deterministic; --check, --budget, the
# aliases and the errors.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/d"
: > "$dir/d/one"
: > "$dir/d/two"
ls=$(command -v ls)

# The compiled rule counts the header states: "(401 compiled rules, now 19)".
rules() { # file → "before after"
	sed -n '1s/.*(\([0-9]*\) compiled rules, now \([0-9]*\)).*/\1 \2/p' "$1"
}

check "minimise builtin:default for ls -l" "$S" minimise -q builtin:default -o "$dir/ls.toml" -- "$ls" -l "$dir/d"
set -- $(rules "$dir/ls.toml")
check "the result is smaller (${1:-?} → ${2:-?} compiled rules)" test "${2:-9999}" -lt "${1:-0}"
check "the result has fewer rules than builtin:default" test "$(grep -c '^names' "$dir/ls.toml")" -lt 100
"$S" run -p builtin:default -- "$ls" -l "$dir/d" > "$dir/want.out" 2>/dev/null
want=$?
"$S" run -p "$dir/ls.toml" -- "$ls" -l "$dir/d" > "$dir/got.out" 2>/dev/null
got=$?
check "ls -l under the result prints what it prints under builtin:default" cmp "$dir/want.out" "$dir/got.out"
check "and exits with the same status ($want, $got)" test "$want" = "$got"
check "the result compiles as a policy" "$S" compile "$dir/ls.toml" -o "$dir/ls.json"
check "a second run gives the same policy (deterministic)" sh -c \
	"'$S' minimise -q builtin:default -o '$dir/ls2.toml' -- '$ls' -l '$dir/d' && cmp '$dir/ls.toml' '$dir/ls2.toml'"

# A hand-written policy of 40 rules, one name each, for sh -c: what the shell needs stays.
{
	echo 'default_action = "Errno"'
	echo 'default_errno_ret = "EPERM"'
	for s in read write openat close fstat newfstatat mmap mprotect munmap brk rt_sigaction \
		rt_sigprocmask rt_sigreturn ioctl pread64 access execve exit exit_group getpid \
		getppid getuid geteuid getgid getegid arch_prctl set_tid_address set_robust_list \
		rseq prlimit64 getrandom uname fcntl dup2 wait4 clone clone3 vfork kill statx; do
		printf '[[syscalls]]\nnames = ["%s"]\naction = "Allow"\n' "$s"
	done
} > "$dir/forty.toml"
check "the hand-written policy has 40 rules" test "$(grep -c '^\[\[syscalls\]\]' "$dir/forty.toml")" -eq 40
check "minimise it for sh -c (reduce: another name)" "$S" reduce -q "$dir/forty.toml" -o "$dir/sh.toml" -- \
	/bin/sh -c 'echo hello; exit 3'
check "fewer rules" test "$(grep -c '^\[\[syscalls\]\]' "$dir/sh.toml")" -lt 40
expect_out "hello" "$S" run -p "$dir/sh.toml" -- /bin/sh -c 'echo hello; exit 3'
expect_status 3 "$S" run -p "$dir/sh.toml" -- /bin/sh -c 'echo hello; exit 3'
check "getuid went (sh -c echo never asks)" sh -c "! grep -q '\"getuid\"' '$dir/sh.toml'"
check "execve stayed" grep -q '"execve"' "$dir/sh.toml"

# --check: the script judges, the command's output on its standard input, its status in
# $SECCOMPOSE_STATUS. Asking only for "hello" lets the exit status go.
check "--check" "$S" minimise -q "$dir/forty.toml" -o "$dir/chk.toml" \
	--check 'grep -q hello && test "$SECCOMPOSE_STATUS" -lt 128' -- /bin/sh -c 'echo hello; exit 3'
expect_out "hello" "$S" run -p "$dir/chk.toml" -- /bin/sh -c 'echo hello; exit 3'
expect_status 1 "$S" minimise -q "$dir/forty.toml" -o "$dir/never.toml" --check false -- /bin/sh -c 'echo hello'
expect_err "fails already under the original policy" "$S" minimise "$dir/forty.toml" -o "$dir/never.toml" \
	--check false -- /bin/sh -c 'echo hello'
check "nothing written when the check fails under the original" test ! -e "$dir/never.toml"

# --budget: the best so far, still passing, and said.
expect_err "the budget (0.2 s) ran out" "$S" minimise --budget 0.2 "$dir/forty.toml" -o "$dir/b.toml" -- \
	/bin/sh -c 'echo hello; exit 3'
expect_out "hello" "$S" run -p "$dir/b.toml" -- /bin/sh -c 'echo hello; exit 3'
check "the progress line" sh -c "'$S' minimise --budget 1 '$dir/forty.toml' -o '$dir/p.toml' -- /bin/sh -c 'echo hello' 2>&1 >/dev/null | grep -q '^minimise: round [0-9]*, [0-9]* of [0-9]* units left, [0-9]* runs, [0-9.]* s'"
check "minimize is another name" "$S" minimize -q --budget 1 "$dir/forty.toml" -o "$dir/z.toml" -- /bin/sh -c 'echo hello'

# Errors: usage, a command that is not there, a policy that is not.
expect_status 2 "$S" minimise "$dir/forty.toml" -- /bin/true
expect_status 2 "$S" minimise -o "$dir/x.toml" "$dir/forty.toml"
expect_status 2 "$S" minimise --budget soon "$dir/forty.toml" -o "$dir/x.toml" -- /bin/true
expect_status 1 "$S" minimise "$dir/forty.toml" -o "$dir/x.toml" -- /no/such/command
expect_status 1 "$S" minimise "$dir/forty.toml" -o "$dir/missing/x.toml" -- /bin/true
printf 'default_action = "Allw"\n' > "$dir/bad.toml"
expect_status 3 "$S" minimise "$dir/bad.toml" -o "$dir/x.toml" -- /bin/true
check "nothing written on errors" test ! -e "$dir/x.toml"
finish
