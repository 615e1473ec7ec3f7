#!/bin/sh
# Recording, proven on real programs: record a workload, run the same workload under the
# recorded policy (default Errno) — same output, same status, nothing denied — and show that a
# behaviour the recording did not see is denied. Usage: test-record.sh TRY_SYSCALL
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
try=$1
dir=$(mktemp -d)
trap 'kill $httpd 2>/dev/null; rm -rf "$dir"' EXIT
httpd=
sc=$SECCOMPOSE

# coreutils: ls and sort, outputs compared with unfiltered runs.
check "record ls" "$sc" record -o "$dir/ls.toml" -- ls -l /etc/hostname /usr
ls -l /etc/hostname /usr >"$dir/want" 2>&1
"$sc" run -p "$dir/ls.toml" -- ls -l /etc/hostname /usr >"$dir/got" 2>&1
check "ls under its recording: same output" cmp "$dir/want" "$dir/got"
expect_status 0 "$sc" run -p "$dir/ls.toml" -- ls -l /etc/hostname /usr
check "record ls --abstract" "$sc" record --abstract -o "$dir/ls-abs.toml" -- ls -l /etc/hostname /usr
"$sc" run -p "$dir/ls-abs.toml" -- ls -l /etc/hostname /usr >"$dir/got2" 2>&1
check "ls under its lifted recording: same output" cmp "$dir/want" "$dir/got2"
check "the lifted recording names groups" grep -q '^\[\[abstract_syscalls\]\]' "$dir/ls-abs.toml"
printf 'pear\napple\nfig\n' >"$dir/fruit"
check "record sort" sh -c "'$sc' record -o '$dir/sort.toml' -- sort '$dir/fruit' >/dev/null"
expect_out "apple fig pear" sh -c "'$sc' run -p '$dir/sort.toml' -- sort '$dir/fruit' | tr '\n' ' ' | sed 's/ \$//'"

# Something the recording did not see is denied: a socket from a recorded python3.
py=/usr/bin/python3  # not a wrapper script (pyenv shims write files of their own)
if [ -x "$py" ]; then
	check "record python3" "$sc" record -o "$dir/py.toml" -- "$py" -B -c 'import socket; print(6 * 7)'
	expect_out "42" "$sc" run -p "$dir/py.toml" -- "$py" -B -c 'import socket; print(6 * 7)'
	expect_err "socket.socket.*PermissionError\|PermissionError: \[Errno 1\]" "$sc" run -p "$dir/py.toml" -- \
		"$py" -B -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM)'
	"$sc" run -p "$dir/py.toml" -- "$py" -B -c "open('$dir/written', 'w')" 2>/dev/null
	check "a file the recording never wrote cannot be created" test ! -e "$dir/written"
fi

# An ioctl with another request code is denied: the recording keeps TCGETS only.
check "record an ioctl" "$sc" record -o "$dir/ioctl.toml" -- "$try" 16 0 0x5401
check "the recording names the request" grep -q 'value = "TCGETS"' "$dir/ioctl.toml"
expect_grep "errno=" "$sc" run -p "$dir/ioctl.toml" -- "$try" 16 0 0x5401
expect_grep "errno=1 (EPERM)" "$sc" run -p "$dir/ioctl.toml" -- "$try" 16 0 0x5413

# A small server on loopback: recorded while it serves a page, then run under its recording.
if command -v busybox >/dev/null; then
	mkdir "$dir/www" && echo "recorded and served" >"$dir/www/index.html"
	port=$((30000 + $$ % 20000))
	"$sc" record -o "$dir/httpd.toml" -- busybox httpd -f -p "127.0.0.1:$port" -h "$dir/www" 2>/dev/null &
	httpd=$!
	wait_listening "$port"
	expect_out "recorded and served" busybox wget -q -O - "http://127.0.0.1:$port/index.html"
	kill -INT $httpd 2>/dev/null; kill $(pgrep -f "httpd -f -p 127.0.0.1:$port") 2>/dev/null
	wait $httpd 2>/dev/null
	check "the server's recording was written" test -s "$dir/httpd.toml"
	"$sc" run -p "$dir/httpd.toml" -- busybox httpd -f -p "127.0.0.1:$port" -h "$dir/www" &
	httpd=$!
	wait_listening "$port"
	expect_out "recorded and served" busybox wget -q -O - "http://127.0.0.1:$port/index.html"
	kill $httpd 2>/dev/null
	wait $httpd 2>/dev/null
	httpd=
fi

# Formats, --append and merge.
check "record --format oci" "$sc" record --format oci -o "$dir/true.json" -- true
check "the OCI recording loads" "$sc" compile "$dir/true.json"
check "record --append" "$sc" record --append -o "$dir/ls.toml" -- sort "$dir/fruit"
expect_out "apple fig pear" sh -c "'$sc' run -p '$dir/ls.toml' -- sort '$dir/fruit' | tr '\n' ' ' | sed 's/ \$//'"
check "merge" "$sc" merge "$dir/sort.toml" "$dir/py.toml" -o "$dir/merged.toml"
expect_out "42" "$sc" run -p "$dir/merged.toml" -- "$py" -B -c 'import socket; print(6 * 7)'
expect_status 127 "$sc" record -o "$dir/none.toml" -- no-such-command-here
expect_status 3 "$sc" record -o "$dir/three.toml" -- sh -c 'exit 3'
finish
