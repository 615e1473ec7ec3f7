#!/bin/sh
# Outputs (compile, record, merge): -o never replaces a device, a FIFO or a directory, is
# checked before the work, and record keeps its policy out of the program's output. merge
# and record --append work on the policies in every format; nothing from outside (command
# lines, file names) becomes policy; a recorded policy always lets a program end.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
sc=$SECCOMPOSE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
p="$SC_SOURCE_ROOT/tests/policy/13-ok.toml"

# A FIFO is written into, not replaced.
mkfifo "$dir/fifo"
cat "$dir/fifo" > "$dir/from-fifo" &
reader=$!
check "compile -o FIFO" "$sc" compile "$p" --format toml -o "$dir/fifo"
wait $reader
check "the FIFO is still a FIFO" test -p "$dir/fifo"
check "the reader got the policy" grep -q default_action "$dir/from-fifo"

# A character device (a null device made here, never /dev/null itself) is written into.
if mknod "$dir/null" c 1 3 2>/dev/null; then
	check "compile -o chardev" "$sc" compile "$p" --format toml -o "$dir/null"
	check "the device is still a device" test -c "$dir/null"
	check "record -o chardev" sh -c "'$sc' record -o '$dir/null' -- true"
	check "the device is still a device after record" test -c "$dir/null"
else
	echo "# mknod refused (not root): character device case skipped"
fi

# A symlink is followed to its target (as git's lockfiles do); the link stays a link.
echo old > "$dir/real.toml"
ln -s real.toml "$dir/link.toml"
check "compile -o symlink" "$sc" compile "$p" --format toml -o "$dir/link.toml"
check "the link is still a link" test -L "$dir/link.toml"
check "its target got the policy" grep -q default_action "$dir/real.toml"

# A directory is refused with a clear error, before any work.
mkdir "$dir/d"
expect_status 1 "$sc" compile "$p" -o "$dir/d"
expect_err "Is a directory" "$sc" compile "$p" -o "$dir/d"
check "the directory is untouched" test -d "$dir/d"
expect_out "default_action = \"Errno\"" sh -c "'$sc' compile '$p' --format toml -o - | grep '^default_action'"

# record: the output is checked before the command runs; no success after a failure.
expect_status 1 "$sc" record -o "$dir/nonexistent/x.toml" -- sh -c "touch '$dir/ran'"
check "the command did not run" test ! -e "$dir/ran"
expect_err "cannot write" "$sc" record -o "$dir/nonexistent/x.toml" -- true
check "no 'recorded' after a failure" sh -c "! '$sc' record -o '$dir/nonexistent/x.toml' -- true 2>&1 | grep -q recorded"
expect_status 1 "$sc" record -o "$dir/d" -- true

# record without -o: never into a redirected standard output.
expect_status 2 sh -c "'$sc' record -- echo hello > '$dir/p.toml'"
check "nothing of the program's output became a policy" test ! -s "$dir/p.toml"
expect_err "not a terminal" sh -c "'$sc' record -- true | cat"
expect_grep "\-o <file>" "$sc" record --help
check "-o - writes after the command's output" sh -c "'$sc' record -o - -- echo hello > '$dir/both'"
check "  ... which starts with it" sh -c "head -1 '$dir/both' | grep -qx hello"

# A recorded policy lets every program end and return from signal handlers, even when the
# recorded run was killed before it exited (here: SIGKILL).
"$sc" record -o "$dir/killed.toml" -- sh -c 'echo hi; kill -KILL $$' >/dev/null 2>&1
check "recorded a killed run" test -s "$dir/killed.toml"
for s in exit exit_group rt_sigreturn restart_syscall; do
	expect_out "Allow" "$sc" check "$dir/killed.toml" "$s"
done
expect_out "hi" "$sc" run -p "$dir/killed.toml" -- sh -c 'echo hi'
expect_status 0 "$sc" run -p "$dir/killed.toml" -- sh -c 'echo hi'

# record --append and merge read and write every policy format.
check "record --format oci" "$sc" record --format oci -o "$dir/a.json" -- true
check "record --append to OCI" "$sc" record --append -o "$dir/a.json" -- ls /
check "  ... stays OCI JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/a.json"
check "  ... and loads" "$sc" compile "$dir/a.json"
expect_out "Allow" "$sc" check "$dir/a.json" getdents64
check "record TOML" "$sc" record -o "$dir/b.toml" -- true
check "record --append to TOML" "$sc" record --append -o "$dir/b.toml" -- ls /
expect_out "Allow" "$sc" check "$dir/b.toml" getdents64
printf 'default_action = "Errno"\narchitectures = ["SCMP_ARCH_X86_64"]\n  [[syscalls]]\n  names = ["uname"]\n  action = "Allow"\n' > "$dir/indented.toml"
check "merge TOML + OCI + builtin to TOML" "$sc" merge "$dir/b.toml" "$dir/indented.toml" builtin:cli-filter -o "$dir/m.toml"
expect_out "Allow" "$sc" check "$dir/m.toml" uname
check "merge OCI first, -o x.json" "$sc" merge "$dir/a.json" "$dir/indented.toml" -o "$dir/m.json"
check "  ... is OCI JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/m.json"
expect_out "Allow" "$sc" check "$dir/m.json" uname
expect_out "Allow" "$sc" check "$dir/m.json" getdents64
expect_out "Errno(EPERM)" "$sc" check "$dir/m.json" ptrace
check "merge --format oci to a .toml name" "$sc" merge "$dir/b.toml" "$dir/indented.toml" --format oci -o "$dir/m2.out"
check "  ... is OCI JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/m2.out"
check "merge --format json (OCI's other name)" "$sc" merge "$dir/b.toml" "$dir/indented.toml" --format json -o "$dir/m3.toml"
check "  ... is OCI JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/m3.toml"
expect_status 2 "$sc" merge "$dir/b.toml" "$dir/indented.toml" --format yaml -o "$dir/m5.toml"
check "no output after a bad format" test ! -e "$dir/m5.toml"
expect_status 3 "$sc" merge "$dir/b.toml" "$SC_SOURCE_ROOT/tests/policy/01-unknown-syscall.toml" -o "$dir/m4.toml"
check "no output after a bad input" test ! -e "$dir/m4.toml"

# Nothing written from outside becomes policy: command lines with newlines, quotes, ], #
# and invalid UTF-8 are shell-quoted into the header; the header reads back as the argv.
nl='
'
bad=$(printf '\377')
"$sc" record -o "$dir/inj.toml" -- sh -c ': "$@"' sh "x${nl}bad_arch_action = \"Allow\"" "it's" ']' '# c' "$bad" '"q"' >/dev/null 2>&1
check "record with hostile arguments" test -s "$dir/inj.toml"
check "  ... loads" "$sc" compile "$dir/inj.toml"
check "  ... no injected key" sh -c "! grep -q '^bad_arch_action' '$dir/inj.toml'"
expect_out "1" sh -c "grep -c '^# Command:' '$dir/inj.toml'"
if command -v bash >/dev/null; then
	cmdline=$(sed -n 's/^# Command: //p' "$dir/inj.toml")
	want=$(printf '<%s>' sh -c ': "$@"' sh "x${nl}bad_arch_action = \"Allow\"" "it's" ']' '# c' "$bad" '"q"')
	got=$(bash -c "eval \"set -- \$1\"; printf '<%s>' \"\$@\"" bash "$cmdline")
	check "  ... the header is the command line, shell-quoted" test "$got" = "$want"
fi
check "record --format oci with quotes and newlines" "$sc" record --format oci -o "$dir/inj.json" -- sh -c ': "$@"' sh "a\"b${nl}c" "$bad"
check "  ... is JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/inj.json"
# A merge input whose name holds a newline and a rule adds nothing.
evil="$dir/x${nl}[[syscalls]]${nl}names = [\"ptrace\"]${nl}action = \"Allow\"${nl}#.toml"
cp "$dir/indented.toml" "$evil"
check "merge an input with a hostile name" "$sc" merge "$dir/b.toml" "$evil" -o "$dir/m5.toml"
expect_out "Errno(EPERM)" "$sc" check "$dir/m5.toml" ptrace
check "  ... no ptrace rule" sh -c "! grep -q ptrace '$dir/m5.toml'"
# compile names its input in the header comment: a hostile name adds no rule, ends no C comment.
mkdir "$dir/c*"
evil2="$dir/c*/y${nl}[[syscalls]]${nl}names = [\"ptrace\"]${nl}action = \"Allow\"${nl}#.toml"
cp "$p" "$evil2"
check "compile a hostile name to TOML" "$sc" compile "$evil2" --format toml -o "$dir/h.toml"
expect_out "Errno(EPERM)" "$sc" check "$dir/h.toml" ptrace
check "compile a hostile name to C" "$sc" compile "$evil2" --format c -o "$dir/h.c"
if command -v cc >/dev/null; then
	check "  ... the C compiles" cc -fsyntax-only -Wno-unused-variable "$dir/h.c"
fi
finish
