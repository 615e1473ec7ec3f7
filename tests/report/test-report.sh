#!/bin/sh
# run --report and run --learn on a real program (denied.c, $1): what it is denied is said
# with its arguments and the rule that decided, the program sees the errno it sees without a
# supervisor, threads and forks are followed, a killed supervisor makes calls fail (not
# succeed), and --learn turns a failing run into a policy under which it passes, adding
# only what it needed.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
prog=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
S=$SECCOMPOSE

# Supervising needs SECCOMP_RET_USER_NOTIF (5.0) and CONTINUE (5.5).
if ! "$S" run --report -- true 2>"$dir/avail" || grep -q 'no SECCOMP_RET_USER_NOTIF' "$dir/avail"; then
	echo "1..0 # SKIP this kernel cannot supervise a filter"
	exit 0
fi

cat >"$dir/p.toml" <<'EOF'
default_action = "Allow"
[[syscalls]]
names = ["mkdir", "mkdirat"]
action = "Errno"
errno_ret = "EACCES"
[[abstract_syscalls]]
names = ["open_create"]
action = "Errno"
errno_ret = "EROFS"
EOF

# The same errno reaches the program with and without the supervisor.
"$S" run -p "$dir/p.toml" -- "$prog" create "$dir/x" >"$dir/plain" 2>/dev/null
"$S" run --report -p "$dir/p.toml" -- "$prog" create "$dir/x" >"$dir/sup" 2>"$dir/err"
check "the program sees EROFS unsupervised" grep -qx 'create: errno 30' "$dir/plain"
check "the program sees the same under --report" cmp "$dir/plain" "$dir/sup"
check "the denial is reported with its arguments and rule" grep -q \
	"^seccompose: denied openat(AT_FDCWD, \"$dir/x\", O_WRONLY|O_CREAT|O_TRUNC, [^)]*) → EROFS: rule $dir/p.toml:6 (abstract_syscalls\[0\], group open_create)\$" "$dir/err"
check "the summary counts it" grep -qx 'seccompose: 1 call denied: 1 openat (EROFS)' "$dir/err"
expect_status 1 "$S" run --report -p "$dir/p.toml" -- "$prog" create "$dir/x"
"$S" run --report -p "$dir/p.toml" -- "$prog" mkdir "$dir/d" >"$dir/out" 2>"$dir/err"
check "mkdir: EACCES reaches the program" grep -qx 'mkdir: errno 13' "$dir/out"
check "mkdir: reported with its path and mode" grep -q "denied mkdir(\"$dir/d\", S_IRWXU) → EACCES: rule $dir/p.toml:2 (syscalls\[0\])" "$dir/err"

# Threads and forks: one listener sees them all; other processes are tagged with their pid.
"$S" run --report -p "$dir/p.toml" -- "$prog" spread "$dir/x" >"$dir/out" 2>"$dir/err"
check "spread: every process and thread got EROFS" sh -c '[ "$(grep -c "errno 30" "$1")" -eq 3 ]' - "$dir/out"
check "spread: three denials reported" sh -c '[ "$(grep -c "denied openat" "$1")" -eq 3 ]' - "$dir/err"
check "spread: the fork is named by its pid" grep -q '^seccompose: \[pid [0-9]*\] denied openat' "$dir/err"
check "spread: the summary counts 3" grep -qx 'seccompose: 3 calls denied: 3 openat (EROFS)' "$dir/err"

# The default decides: a policy recorded from a run that opened nothing for writing.
"$S" record -o "$dir/base.toml" -- "$prog" noop >/dev/null 2>&1
"$S" run --report -p "$dir/base.toml" -- "$prog" create "$dir/x" >"$dir/out" 2>"$dir/err"
check "recorded policy: EPERM reaches the program" grep -qx 'create: errno 1' "$dir/out"
check "recorded policy: reported as the default's" grep -q \
	"denied openat(AT_FDCWD, \"$dir/x\", O_WRONLY|O_CREAT|O_TRUNC, [^)]*) → EPERM: no rule allows it (default)\$" "$dir/err"

# The listener reaches the supervisor without sendmsg when the policy denies it.
printf 'default_action = "Allow"\n[[syscalls]]\nnames = ["sendmsg", "mkdir"]\naction = "Errno"\n' >"$dir/nosend.toml"
"$S" run --report -p "$dir/nosend.toml" -- "$prog" mkdir "$dir/d" >"$dir/out" 2>"$dir/err"
check "sendmsg denied: the program still runs supervised" grep -qx 'mkdir: errno 1' "$dir/out"
check "sendmsg denied: the denial is reported" grep -q 'denied mkdir(' "$dir/err"

# Kill stays in the kernel: named from the exit status.
printf 'default_action = "Allow"\n[[syscalls]]\nnames = ["mkdir"]\naction = "KillProcess"\n' >"$dir/kill.toml"
expect_status 159 "$S" run --report -p "$dir/kill.toml" -- "$prog" mkdir "$dir/d"
expect_err 'killed by SIGSYS' "$S" run --report -p "$dir/kill.toml" -- "$prog" mkdir "$dir/d"

# The supervisor killed: the next denied call fails with ENOSYS, it does not succeed.
killed() {
	rm -f "$dir/go" "$dir/wout"
	"$S" run --report -p "$dir/p.toml" -- "$prog" wait "$dir/x" "$dir/go" >"$dir/wout" 2>/dev/null &
	for _ in $(seq 1 300); do grep -q '^parent' "$dir/wout" 2>/dev/null && break; sleep 0.1; done
	sup=$(sed -n 's/^parent //p' "$dir/wout")
	[ -n "$sup" ] && [ "$(cat /proc/"$sup"/comm)" = seccompose ] || return 1
	kill -9 "$sup"
	touch "$dir/go"
	for _ in $(seq 1 300); do grep -q '^after' "$dir/wout" && break; sleep 0.1; done
	grep -qx 'before: errno 30' "$dir/wout" && grep -qx 'after: errno 38' "$dir/wout" && [ ! -e "$dir/x" ]
}
check "supervisor killed: the next denied call fails with ENOSYS" killed

# What protects the supervisor: the policy's Landlock ptrace scope, as for plain run.
probe='if true 1<>/proc/$PPID/mem; then echo opened; else echo refused; fi'
expect_out "refused" "$S" run --report -- sh -c "$probe"
printf 'default_action = "Allow"\nrestrict_ptrace = true\n' >"$dir/scoped.toml"
expect_out "refused" "$S" run --report -p "$dir/scoped.toml" -- sh -c "$probe"
# … and without it, being non-dumpable (which CAP_SYS_PTRACE passes: root is not tested).
if [ "$(id -u)" -ne 0 ]; then
	printf 'default_action = "Allow"\n' >"$dir/allow.toml"
	expect_out "refused" "$S" run --report -p "$dir/allow.toml" -- sh -c "$probe"
fi

# --learn: the failing run becomes a policy under which the program passes.
expect_status 1 "$S" run -p "$dir/base.toml" -- "$prog" needs "$dir/x"
expect_status 0 "$S" run --learn -p "$dir/base.toml" -o "$dir/new.toml" -- "$prog" needs "$dir/x"
check "learn: the program passed while learning" test ! -e "$dir/x"
expect_status 0 "$S" run -p "$dir/new.toml" -- "$prog" needs "$dir/x"
expect_out "needs: ok" "$S" run -q -p "$dir/new.toml" -- "$prog" needs "$dir/x"
check "learn: one comment per added rule" sh -c '[ "$(grep -c "^# learned: " "$1")" -eq 2 ]' - "$dir/new.toml"
check "learn: the comment shows the call and who made it" grep -q \
	"^# learned: openat(AT_FDCWD, \"$dir/x\", O_WRONLY|O_CREAT|O_TRUNC, [^)]*) by [0-9]* report-denied\$" "$dir/new.toml"
# Only what was needed: the policies differ in openat (creating) and unlink alone.
"$S" compile "$dir/base.toml" --format oci -o "$dir/base.json" 2>/dev/null
"$S" compile "$dir/new.toml" --format oci -o "$dir/new.json" 2>/dev/null
changed=$(python3 - "$dir/base.json" "$dir/new.json" <<'EOF'
import json, sys
def rules(path):
    out = {}
    for e in json.load(open(path))["syscalls"]:
        rest = json.dumps({k: v for k, v in e.items() if k != "names"}, sort_keys=True)
        for n in e["names"]:
            out.setdefault(n, set()).add(rest)
    return out
a, b = rules(sys.argv[1]), rules(sys.argv[2])
print(" ".join(sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))))
EOF
)
check "learn: only openat and unlink added (got: $changed)" test "$changed" = "openat unlink"
# The creating open is allowed; another flag still is not.
expect_out "Allow" "$S" check "$dir/new.toml" openat AT_FDCWD 0 "O_WRONLY|O_CREAT|O_TRUNC"
check "learn: an open for appending stays denied" sh -c '! "$1" check "$2" openat AT_FDCWD 0 "O_WRONLY|O_APPEND" | grep -qx Allow' - "$S" "$dir/new.toml"
# A policy that denies by a rule of its own is widened by the union.
expect_status 0 "$S" run --learn -p "$dir/p.toml" -o "$dir/p-new.toml" -- "$prog" create "$dir/x"
expect_out "create: ok" "$S" run -q -p "$dir/p-new.toml" -- "$prog" create "$dir/x"
# (the union gives what neither allows one deny action: the errno may change, the denial not)
expect_grep "mkdir: errno" "$S" run -q -p "$dir/p-new.toml" -- "$prog" mkdir "$dir/d"
check "learn: the union says what it learned" grep -q '^# learned: openat(' "$dir/p-new.toml"
expect_status 2 "$S" run --learn -p "$dir/p.toml" -- true
expect_status 2 "$S" run --report --learn -p "$dir/p.toml" -o "$dir/y.toml" -- true

# On by default when standard error is a terminal; -q turns it off.
if command -v script >/dev/null 2>&1; then
	script -qec "\"$S\" run -p \"$dir/p.toml\" -- \"$prog\" mkdir \"$dir/d\"" /dev/null >"$dir/tty" 2>&1
	check "a terminal gets the report by default" grep -q 'denied mkdir(' "$dir/tty"
	script -qec "\"$S\" run -q -p \"$dir/p.toml\" -- \"$prog\" mkdir \"$dir/d\"" /dev/null >"$dir/tty" 2>&1
	check "-q silences it" sh -c '! grep -q "seccompose" "$1" && grep -q "mkdir: errno 13" "$1"' - "$dir/tty"
fi
# Not a terminal and no --report: no supervisor, the command runs in seccompose's process.
"$S" run -p "$dir/p.toml" -- "$prog" mkdir "$dir/d" >/dev/null 2>"$dir/err"
check "no terminal: nothing reported" test ! -s "$dir/err"
finish
