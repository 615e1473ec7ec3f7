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
sleep 1
expect_out "served by seccompose" busybox wget -q -O - "http://127.0.0.1:$port/index.html"
expect_err "Operation not permitted" "$SECCOMPOSE" run -p builtin:static-web-server -- \
	busybox wget -q -O - "http://127.0.0.1:$port/index.html"
kill $httpd 2>/dev/null
wait $httpd 2>/dev/null
httpd=
finish
