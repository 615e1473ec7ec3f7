# Helpers for the CLI tests (POSIX sh). Each check prints ok/not ok; finish exits 1 on a failure.
failures=0
count=0
check() { # description command...
	desc=$1; shift
	count=$((count + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $count - $desc"; else echo "not ok $count - $desc"; failures=$((failures + 1)); fi
}
expect_status() { # status command...
	want=$1; shift
	"$@" >/dev/null 2>&1; got=$?
	count=$((count + 1))
	if [ "$got" -eq "$want" ]; then echo "ok $count - exit $want: $*"; else echo "not ok $count - exit $got, expected $want: $*"; failures=$((failures + 1)); fi
}
expect_out() { # exact-stdout command...
	want=$1; shift
	got=$("$@" 2>/dev/null)
	count=$((count + 1))
	if [ "$got" = "$want" ]; then echo "ok $count - $*"; else echo "not ok $count - $*: got '$got', expected '$want'"; failures=$((failures + 1)); fi
}
expect_grep() { # regex command...  (stdout)
	re=$1; shift
	count=$((count + 1))
	if "$@" 2>/dev/null | grep -q -- "$re"; then echo "ok $count - $* ~ $re"; else echo "not ok $count - $* does not print /$re/"; failures=$((failures + 1)); fi
}
expect_err() { # regex command...  (stderr)
	re=$1; shift
	count=$((count + 1))
	if "$@" 2>&1 >/dev/null | grep -q -- "$re"; then echo "ok $count - $* ~ $re"; else echo "not ok $count - $* stderr lacks /$re/"; failures=$((failures + 1)); fi
}
finish() {
	echo "1..$count"
	[ "$failures" -eq 0 ] || { echo "$failures of $count failed"; exit 1; }
	exit 0
}
wait_listening() { # port  — a server started in the background listens on 127.0.0.1:port
	# Polled, not slept for: a sanitized build on a loaded machine takes seconds to start one.
	for _ in $(seq 1 300); do
		ss -ltn "sport = :$1" 2>/dev/null | grep -q LISTEN && return 0
		sleep 0.1
	done
	echo "# nothing listens on port $1 after 30 s"
	return 1
}
