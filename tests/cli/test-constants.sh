#!/bin/sh
# `seccompose constants`: outputs and exit codes.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"

# Names: one line each, NAME = value (0xhex)  family  uses.
expect_out "TCGETS = 21505 (0x5401)  ioctl_tty  ioctl:cmd" "$SECCOMPOSE" constants TCGETS
expect_out "TIOCSTI = 21522 (0x5412)  ioctl_tty  ioctl:cmd" "$SECCOMPOSE" constants TIOCSTI
expect_out "FICLONE = 1074041865 (0x40049409)  ioctl_file  ioctl:cmd
FIOCLONE = 1074041865 (0x40049409)  ioctl_file  ioctl:cmd" "$SECCOMPOSE" constants FICLONE FIOCLONE
expect_out "EPERM = 1 (0x1)  errno  action:errno" "$SECCOMPOSE" constants EPERM
expect_out "SIGSYS = 31 (0x1f)  signal  kill:sig tkill:sig tgkill:sig rt_sigqueueinfo:sig rt_tgsigqueueinfo:sig pidfd_send_signal:sig rt_sigaction:sig sigaction:sig signal:sig" \
	"$SECCOMPOSE" constants SIGSYS
expect_grep "^O_RDONLY = 0 (0x0)  open_flags  open:flags openat:flags " "$SECCOMPOSE" constants O_RDONLY
expect_grep "^O_CREAT = 64 (0x40)  open_flags " "$SECCOMPOSE" constants O_CREAT
expect_grep "^AT_FDCWD = -100 (0xffffffffffffff9c)  dirfd  openat:dfd " "$SECCOMPOSE" constants AT_FDCWD
expect_grep "^AF_NETLINK = 16 (0x10)  socket_family  socket:family socketpair:family$" "$SECCOMPOSE" constants AF_NETLINK
expect_grep "^CLONE_NEWUSER = 268435456 (0x10000000)  clone_flags  clone:clone_flags " "$SECCOMPOSE" constants CLONE_NEWUSER
expect_grep "^PR_SET_NO_NEW_PRIVS = 38 (0x26)  prctl_option  prctl:option$" "$SECCOMPOSE" constants PR_SET_NO_NEW_PRIVS
expect_status 0 "$SECCOMPOSE" constants O_RDONLY TCGETS AF_INET

# Unknown names: the error, a hint, exit 1; the other words are still answered.
expect_status 1 "$SECCOMPOSE" constants O_RDONY
expect_err "^seccompose: error: unknown constant 'O_RDONY'$" "$SECCOMPOSE" constants O_RDONY
expect_err "^hint: did you mean 'O_RDONLY'?$" "$SECCOMPOSE" constants O_RDONY
expect_out "TCGETS = 21505 (0x5401)  ioctl_tty  ioctl:cmd" "$SECCOMPOSE" constants O_RDONY TCGETS
expect_status 1 "$SECCOMPOSE" constants TCGETS O_RDONY

# Patterns (fnmatch, case-sensitive).
expect_grep "^TIOCGWINSZ = " "$SECCOMPOSE" constants 'TIOCG*'
expect_out "SIGUSR1
SIGUSR2" sh -c '"$SECCOMPOSE" constants "SIGUSR?" | cut -d" " -f1'
check "'TIOCG*' lists no TCGETS" sh -c '! "$SECCOMPOSE" constants "TIOCG*" | grep -q "^TCGETS "'
expect_out "CLONE_NEWCGROUP CLONE_NEWIPC CLONE_NEWNET CLONE_NEWNS CLONE_NEWPID CLONE_NEWTIME CLONE_NEWUSER CLONE_NEWUTS" \
	sh -c '"$SECCOMPOSE" constants "CLONE_NEW*" | cut -d" " -f1 | paste -sd" " -'
expect_status 1 "$SECCOMPOSE" constants 'NOSUCH_*'
expect_err "^seccompose: error: no constant matches 'NOSUCH_\*'$" "$SECCOMPOSE" constants 'NOSUCH_*'

# Values: every constant that has it, or with --for the one that names it there.
expect_out "FIONREAD
SIOCINQ
TIOCINQ" sh -c '"$SECCOMPOSE" constants 0x541b | cut -d" " -f1'
expect_out "FIONREAD = 21531 (0x541b)  ioctl_file  ioctl:cmd" "$SECCOMPOSE" constants --for ioctl:cmd 0x541b
expect_grep "^EAGAIN = 11 " "$SECCOMPOSE" constants --for action:errno 11
expect_grep "^EOPNOTSUPP = 95 " "$SECCOMPOSE" constants --for action:errno 95
expect_grep "^AT_FDCWD " "$SECCOMPOSE" constants --for openat:dfd -- -100
expect_grep "^AT_FDCWD " "$SECCOMPOSE" constants --for openat:dfd 0xffffff9c
expect_grep "^AT_REMOVEDIR " "$SECCOMPOSE" constants --for unlinkat:flag 0x200
expect_grep "^AT_EACCESS " "$SECCOMPOSE" constants --for faccessat2:flags 0x200
expect_grep "^FUTEX_WAIT_PRIVATE " "$SECCOMPOSE" constants --for futex:op 128
expect_status 1 "$SECCOMPOSE" constants --for ioctl:cmd 0x1234
expect_err "^seccompose: error: no constant names 0x1234 for 'ioctl:cmd'$" "$SECCOMPOSE" constants --for ioctl:cmd 0x1234
expect_status 1 "$SECCOMPOSE" constants 0x123456789

# --for: what fits one argument.
expect_grep "^TIOCSTI " "$SECCOMPOSE" constants --for ioctl:cmd
expect_grep "^LOOP_CTL_GET_FREE " "$SECCOMPOSE" constants --for ioctl:cmd
check "--for ioctl:cmd lists no O_RDONLY" sh -c '! "$SECCOMPOSE" constants --for ioctl:cmd | grep -q "^O_RDONLY "'
check "--for ioctl:cmd lists only ioctl:cmd constants" sh -c '! "$SECCOMPOSE" constants --for ioctl:cmd | grep -vq "  ioctl:cmd$"'
expect_grep "^SOCK_CLOEXEC " "$SECCOMPOSE" constants --for socket:type
expect_grep "^TIOCSTI " "$SECCOMPOSE" constants --for ioctl
expect_out "AF_INET = 2 (0x2)  socket_family  socket:family socketpair:family" "$SECCOMPOSE" constants --for socket:family AF_INET
expect_status 1 "$SECCOMPOSE" constants --for socket:type AF_INET
expect_err "^seccompose: error: 'AF_INET' is not a value for 'socket:type'$" "$SECCOMPOSE" constants --for socket:type AF_INET
expect_err "^hint: it is for socket:family socketpair:family$" "$SECCOMPOSE" constants --for socket:type AF_INET
expect_out "O_CLOEXEC" sh -c '"$SECCOMPOSE" constants --for openat:flags "O_CL*" | cut -d" " -f1'
expect_status 1 "$SECCOMPOSE" constants --for write:count
expect_err "^seccompose: error: no constants are listed for 'write:count'$" "$SECCOMPOSE" constants --for write:count
# Misnamed syscalls and arguments are usage errors with a hint.
expect_status 2 "$SECCOMPOSE" constants --for iocl:cmd
expect_err "^seccompose: error: unknown syscall 'iocl'$" "$SECCOMPOSE" constants --for iocl:cmd
expect_err "^hint: did you mean 'ioctl'?$" "$SECCOMPOSE" constants --for iocl:cmd
expect_status 2 "$SECCOMPOSE" constants --for ioctl:cdm
expect_err "^seccompose: error: syscall 'ioctl' has no argument 'cdm'$" "$SECCOMPOSE" constants --for ioctl:cdm
expect_err "^hint: did you mean 'cmd'?$" "$SECCOMPOSE" constants --for ioctl:cdm
expect_status 2 "$SECCOMPOSE" constants --for ''

# JSON.
expect_out '[{"name":"TCGETS","value":21505,"hex":"0x5401","group":"ioctl_tty","uses":["ioctl:cmd"]}]' \
	"$SECCOMPOSE" constants --json TCGETS
expect_grep '"name":"AT_FDCWD","value":-100,"hex":"0xffffffffffffff9c"' "$SECCOMPOSE" constants --json AT_FDCWD
if command -v python3 >/dev/null 2>&1; then
	check "--json of the whole catalog is valid JSON" sh -c \
		'"$SECCOMPOSE" constants --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d) > 1500"'
	check "--json --for ioctl:cmd is valid JSON" sh -c \
		'"$SECCOMPOSE" constants --json --for ioctl:cmd | python3 -c "import json,sys; d=json.load(sys.stdin); assert all(\"ioctl:cmd\" in c[\"uses\"] for c in d)"'
fi
expect_out "[]" sh -c '"$SECCOMPOSE" constants --json NOSUCH 2>/dev/null'

# The whole catalog: in strcmp order, one line each.
n=$("$SECCOMPOSE" constants | wc -l)
check "the catalog lists more than 1500 constants (got $n)" test "$n" -gt 1500
check "the catalog is sorted by name" sh -c '"$SECCOMPOSE" constants | cut -d" " -f1 | LC_ALL=C sort -c'
check "no name twice" sh -c 'test -z "$("$SECCOMPOSE" constants | cut -d" " -f1 | uniq -d)"'

# Usage.
expect_status 0 "$SECCOMPOSE" constants --help
expect_grep "^usage: seccompose constants " "$SECCOMPOSE" constants --help
expect_status 2 "$SECCOMPOSE" constants --bogus
expect_err "^usage: seccompose constants " "$SECCOMPOSE" constants --bogus
expect_status 2 "$SECCOMPOSE" constants --for
finish
