#!/bin/sh
# Help and docs say what the code does: the documents the docs name exist in the repository,
# what `run --help` tells a user to type works, and an empty policy file (which means
# KillProcess for every call) is not taken silently.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Every *.md the README and docs/ name is in the repository.
for doc in $(cd "$SC_SOURCE_ROOT" && grep -ohE '[A-Za-z0-9_./-]+\.md\b' README.md docs/*.md | sort -u); do
	check "$doc, named in the docs, exists" sh -c \
		"cd '$SC_SOURCE_ROOT' && { test -f '$doc' || test -n \"\$(find . -path ./build\\* -prune -o -name '$(basename "$doc")' -print | head -n 1)\"; }"
done

# run --help: the commands it names to see the default policy work; it names no `explain -`.
check "run --help does not send users to 'explain -'" sh -c "! '$S' run --help | grep -q 'explain -'"
for cmdline in "explain builtin:default" "compile builtin:default --format toml"; do
	check "run --help names '$cmdline'" sh -c "'$S' run --help | tr '\n' ' ' | grep -q 'seccompose $cmdline'"
	# shellcheck disable=SC2086
	expect_grep "Errno" "$S" $cmdline
done

# An empty policy file (or one with only comments) warns; it still means KillProcess.
: >"$dir/empty.toml"
printf '# a policy\n\n# nothing else\n' >"$dir/comments.toml"
printf 'default_action = "KillProcess"\n' >"$dir/kill.toml"
for f in empty comments; do
	expect_err "$f.toml: warning: the policy is empty" "$S" check "$dir/$f.toml" getpid
	expect_err 'hint: write default_action = "KillProcess"' "$S" check "$dir/$f.toml" getpid
	expect_out KillProcess "$S" check "$dir/$f.toml" getpid
done
expect_err "the policy is empty" "$S" run -p "$dir/empty.toml" -- true
expect_err "the policy is empty" sh -c "'$S' explain - <'$dir/empty.toml'"
expect_out "" sh -c "'$S' check '$dir/kill.toml' getpid 2>&1 >/dev/null"
expect_out "" sh -c "'$S' groups 2>&1 >/dev/null"
finish
