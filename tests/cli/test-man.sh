#!/bin/sh
# Manual pages: seccompose(1) and one per command of the command table, whose NAME line is the
# table's summary and which documents every option the command takes (its own, or the
# POLICY OPTIONS of seccompose(1) it refers to); each renders with man(1) without a warning.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
src="$SC_SOURCE_ROOT/man"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Is the option word --NAME (from `__options`) documented as *--NAME* in file $2?
documents() { # option file
	grep -q -- "\*${1%=}\*" "$2"
}

summaries=$("$S" __summaries)
for c in $("$S" __commands); do
	page="$src/seccompose-$c.1.scd"
	check "seccompose-$c(1) exists" test -f "$page"
	[ -f "$page" ] || continue
	summary=$(printf '%s\n' "$summaries" | awk -F '\t' -v c="$c" '$1 == c { print $2 }')
	check "seccompose-$c(1)'s NAME is the command table's summary" \
		grep -qxF "seccompose $c - $summary" "$page"
	check "seccompose(1) lists $c" grep -q "^\*$c\*\$" "$src/seccompose.1.scd"
	for o in $("$S" __options "$c" | cut -f1); do
		if documents "$o" "$page"; then
			check "seccompose-$c(1) documents $o" true
		else
			check "seccompose-$c(1) documents $o (under POLICY OPTIONS)" sh -c \
				"grep -q 'POLICY OPTIONS of \*seccompose\*(1)' '$page' &&
				 grep -q -- '\*${o%=}\*' '$src/seccompose.1.scd'"
		fi
	done
done

# The built pages render (scdoc ran in the build; man -l formats them).
if [ ! -f "$SC_BUILD_ROOT/man/seccompose.1" ]; then
	echo "# the pages were not built (no scdoc): sources checked only"
else
	for c in "" $("$S" __commands); do
		page="$SC_BUILD_ROOT/man/seccompose${c:+-$c}.1"
		count=$((count + 1))
		MANWIDTH=80 man -l "$page" >"$tmp/out" 2>"$tmp/err"
		if [ ! -s "$tmp/err" ] && grep -q '^NAME' "$tmp/out"; then
			echo "ok $count - man -l $(basename "$page")"
		else
			echo "not ok $count - man -l $(basename "$page"): $(cat "$tmp/err")"
			failures=$((failures + 1))
		fi
	done
fi
finish
