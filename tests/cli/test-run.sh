#!/bin/sh
# run: nothing unfiltered beside the command, one Ctrl-C delivered once, and the Landlock
# ptrace scope a policy asks for (restrict_ptrace).
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py=$(python3 -c 'import sys; print(sys.executable)')   # the real interpreter, not a shim

# seccompose execs the command itself: the command has seccompose's pid (a shell that execs
# seccompose prints the same $$ as the command), and its parent is not seccompose.
same_pid() {
	sh -c 'echo $$; exec "$SECCOMPOSE" run -- sh -c "echo \$\$"' >"$dir/pids" 2>/dev/null &&
		[ "$(sed -n 1p "$dir/pids")" = "$(sed -n 2p "$dir/pids")" ]
}
check "run: the command runs in seccompose's own process" same_pid
parent_not_seccompose() {
	comm=$("$SECCOMPOSE" run -- sh -c 'cat /proc/$PPID/comm') && [ -n "$comm" ] && [ "$comm" != seccompose ]
}
check "run: no seccompose parent waits beside the command" parent_not_seccompose

# The escape: the command opens its parent's memory for writing. The built-in policies set
# restrict_ptrace, so Landlock refuses it; a policy without it leaves it to ptrace's own
# rules (a same-user parent is open to it: the control that shows the probe works).
probe='if true 1<>/proc/$PPID/mem; then echo opened; else echo refused; fi'
expect_out "refused" "$SECCOMPOSE" run -- sh -c "$probe"
expect_out "refused" "$SECCOMPOSE" run -p builtin:compiler -- sh -c "$probe"
printf 'default_action = "Allow"\n' >"$dir/allow.toml"
expect_out "opened" "$SECCOMPOSE" run -p "$dir/allow.toml" -- sh -c "$probe"
printf 'default_action = "Allow"\nrestrict_ptrace = true\n' >"$dir/scoped.toml"
expect_out "refused" "$SECCOMPOSE" run -p "$dir/scoped.toml" -- sh -c "$probe"
# … and the domain restricts nothing else: a rename across directories (the one access any
# Landlock domain refuses unless granted), process listing, its own /proc entries.
mkdir "$dir/a" "$dir/b" && : >"$dir/a/f"
check "restrict_ptrace: a rename across directories still works" \
	"$SECCOMPOSE" run -- mv "$dir/a/f" "$dir/b/f"
check "restrict_ptrace: the command's own /proc/self/mem opens" \
	"$SECCOMPOSE" run -- sh -c ': 1<>/proc/self/mem'
expect_grep "PID" "$SECCOMPOSE" run -- ps -e
# Where Landlock is missing (ENOSYS) or disabled (EOPNOTSUPP) the command runs under the
# filter alone, with a warning saying what is left open. An outer run fakes both answers.
for e in ENOSYS EOPNOTSUPP; do
	printf 'default_action = "Allow"\n[[syscalls]]\nnames = ["landlock_create_ruleset"]\naction = "Errno"\nerrno_ret = "%s"\n' \
		"$e" >"$dir/no-landlock.toml"
	expect_out "ran" "$SECCOMPOSE" run -p "$dir/no-landlock.toml" -- "$SECCOMPOSE" run -- sh -c 'echo ran'
	expect_err "warning: the policy sets restrict_ptrace, but .*/proc/PID/mem" \
		"$SECCOMPOSE" run -p "$dir/no-landlock.toml" -- "$SECCOMPOSE" run -- true
done
# -q: the same run, silent (errors are still printed; warnings are not).
quiet_err=$("$SECCOMPOSE" run -p "$dir/no-landlock.toml" -- "$SECCOMPOSE" run -q -- true 2>&1 >/dev/null)
check "run -q prints no warning (got: $quiet_err)" test -z "$quiet_err"
printf 'default_action = "Allow"\n[[syscalls]]\nnames = ["execve"]\naction = "Errno"\n' >"$dir/no-exec.toml"
expect_err "warning: the policy does not allow 'execve'" "$SECCOMPOSE" run -p "$dir/no-exec.toml" -- true
quiet_err=$("$SECCOMPOSE" run -q -p "$dir/no-exec.toml" -- true 2>&1 >/dev/null)
check "run -q keeps the error, drops the warning" sh -c 'case "$1" in *warning*) exit 1;; *error*) exit 0;; *) exit 1;; esac' - "$quiet_err"
# The key: a boolean, kept by the TOML export.
printf 'default_action = "Allow"\nrestrict_ptrace = "yes"\n' >"$dir/bad.toml"
expect_status 3 "$SECCOMPOSE" run -p "$dir/bad.toml" -- true
expect_err 'bad.toml:2:19: error: expected true or false' "$SECCOMPOSE" run -p "$dir/bad.toml" -- true
expect_grep '^restrict_ptrace = true$' "$SECCOMPOSE" compile "$dir/scoped.toml" --format toml

# Exit statuses: 127/126 decided before the filter; an exec the filter refuses is reported
# on stderr when the policy lets seccompose write there, with status 126.
printf 'default_action = "Errno"\n[[syscalls]]\nnames = ["write", "exit_group"]\naction = "Allow"\n' >"$dir/noexec.toml"
expect_status 126 "$SECCOMPOSE" run -p "$dir/noexec.toml" -- true
expect_err "cannot execute 'true' under the policy: Operation not permitted" \
	"$SECCOMPOSE" run -p "$dir/noexec.toml" -- true

# Ctrl-C: the terminal sends SIGINT to the whole foreground process group. A seccompose
# parent that forwarded it made the program see it twice, now and then; count deliveries
# (Python's wakeup fd gets one byte per delivery) over a few runs.
cat >"$dir/sigint.py" <<'PY'
import os, signal, subprocess, sys
prog = r'''
import os, signal, time
r, w = os.pipe()
os.set_blocking(w, False); os.set_blocking(r, False)
signal.set_wakeup_fd(w)
signal.signal(signal.SIGINT, lambda *a: None)
print("ready", flush=True)
time.sleep(0.7)
try:
    n = len(os.read(r, 100))
except BlockingIOError:
    n = 0
print(n, flush=True)
'''
counts = []
for _ in range(4):
    p = subprocess.Popen([os.environ["SECCOMPOSE"], "run", "--", sys.executable, "-c", prog],
                         start_new_session=True, stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != "ready":
        sys.exit("the program did not start")
    os.killpg(p.pid, signal.SIGINT)
    counts.append(p.stdout.readline().strip())
    p.wait()
print(" ".join(counts))
PY
expect_out "1 1 1 1" "$py" "$dir/sigint.py"
finish
