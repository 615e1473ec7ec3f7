#!/bin/sh
# The built-in starting policies, on the real programs of their kind: each runs as it would
# unfiltered, and something outside its kind is denied.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'kill $httpd 2>/dev/null; rm -rf "$dir"' EXIT
httpd=

# cli-filter: tr, sort, wc over stdin; writing a file is denied.
expect_out "HELLO" sh -c "echo hello | '$SECCOMPOSE' run -p builtin:cli-filter -- tr a-z A-Z"
expect_out "a b c" sh -c "printf 'c\nb\na\n' | '$SECCOMPOSE' run -p builtin:cli-filter -- sort | tr '\n' ' ' | sed 's/ \$//'"
expect_out "3" sh -c "printf '1\n2\n3\n' | '$SECCOMPOSE' run -p builtin:cli-filter -- wc -l"
"$SECCOMPOSE" run -p builtin:cli-filter -- sh -c "echo x > '$dir/out'" 2>/dev/null
check "cli-filter: creating a file is denied" test ! -e "$dir/out"

# compiler: gcc compiles and links a program that runs; the network is denied.
if command -v gcc >/dev/null; then
	printf '#include <stdio.h>\nint main(void) { puts("built"); return 0; }\n' >"$dir/hello.c"
	check "compiler: gcc builds under the policy" "$SECCOMPOSE" run -p builtin:compiler -- \
		gcc -O2 -o "$dir/hello" "$dir/hello.c"
	expect_out "built" "$dir/hello"
fi
expect_err "socket: Operation not permitted" "$SECCOMPOSE" run -p builtin:compiler -- \
	busybox wget -q -O - http://127.0.0.1:9/

# static-web-server: busybox httpd serves a file on loopback; it cannot connect out.
mkdir "$dir/www" && echo "served by seccompose" >"$dir/www/index.html"
port=$((20000 + $$ % 20000))
"$SECCOMPOSE" run -p builtin:static-web-server -- busybox httpd -f -p "127.0.0.1:$port" -h "$dir/www" &
httpd=$!
wait_listening "$port"
expect_out "served by seccompose" busybox wget -q -O - "http://127.0.0.1:$port/index.html"
expect_err "Operation not permitted" "$SECCOMPOSE" run -p builtin:static-web-server -- \
	busybox wget -q -O - "http://127.0.0.1:$port/index.html"
kill $httpd 2>/dev/null
wait $httpd 2>/dev/null
httpd=

# The doors around the policies. The probes run a real Python, not a pyenv-style shell shim
# (a bash script, which needs calls these policies do not give).
py=$(python3 -c 'import sys; print(sys.executable)')

# clone3 gets ENOSYS, so the C library falls back to clone: posix_spawn under compiler, a
# thread under static-web-server (both failed with EPERM when clone3 did).
expect_out "spawned 0" "$SECCOMPOSE" run -p builtin:compiler -- "$py" -c \
	'import os; p = os.posix_spawn("/bin/true", ["true"], dict(os.environ)); print("spawned", os.waitpid(p, 0)[1])'
expect_out "thread ran" "$SECCOMPOSE" run -p builtin:static-web-server -- "$py" -c \
	'import threading; t = threading.Thread(target=lambda: print("thread ran")); t.start(); t.join()'
for pol in default cli-filter compiler static-web-server; do
	expect_out "Errno(ENOSYS)" "$SECCOMPOSE" check "builtin:$pol" clone3 0 88
done

# default: kill(-1, sig) signals every process the caller may; denied on the 32 bits the
# kernel reads, whatever the upper half. Other pids stay allowed.
for pid in -1 0xffffffff 0x1ffffffff; do
	expect_out "Errno(EPERM)" "$SECCOMPOSE" check builtin:default kill "$pid" SIGKILL
done
expect_out "Allow" "$SECCOMPOSE" check builtin:default kill 1234 SIGKILL
# Live, in a PID namespace of its own, where -1 reaches nothing outside: EPERM from the
# filter, where the unfiltered call answers ESRCH (nothing to signal).
if unshare --pid --fork true 2>/dev/null; then
	expect_out "EPERM" unshare --pid --fork "$SECCOMPOSE" run -- "$py" -c \
		'import errno, os, signal
try:
    os.kill(-1, signal.SIGCONT); print("sent")
except OSError as e:
    print(errno.errorcode[e.errno])'
fi

# default: USERFAULTFD_IOC_NEW on /dev/userfaultfd makes a userfaultfd without the syscall
# the policy leaves out (root may open the device).
expect_out "Errno(EPERM)" "$SECCOMPOSE" check builtin:default ioctl 3 USERFAULTFD_IOC_NEW
if [ -w /dev/userfaultfd ]; then
	expect_out "EPERM" "$SECCOMPOSE" run -- "$py" -c \
		'import errno, fcntl, os
fd = os.open("/dev/userfaultfd", os.O_RDWR | os.O_CLOEXEC)
try:
    fcntl.ioctl(fd, 0xaa00, os.O_CLOEXEC); print("created")   # USERFAULTFD_IOC_NEW
except OSError as e:
    print(errno.errorcode[e.errno])'
fi
finish
