#!/bin/sh
# Scriptable answers: check's exit status (0 the call runs, 1 denied, 2 usage, 3 policy) and
# the --json output of check, explain, groups and lint, each parsed by python3 and its
# fields checked against what the text output says.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/p.toml" <<'TOML'
default_action = "Errno"
default_errno_ret = "EPERM"
architectures = ["x86_64", "x86"]

[[syscalls]]
names = ["exit_group", "exit", "rt_sigreturn", "getpid"]
action = "Allow"

[[syscalls]]
names = ["openat"]
action = "Allow"
conditions = [ { argument = "flags", type = "masked_equals", mask = "O_ACCMODE", value = "O_RDONLY" } ]

[[syscalls]]
names = ["getppid"]
action = "Log"

[[syscalls]]
names = ["ptrace"]
action = "KillProcess"
TOML
p=$dir/p.toml

# check's exit status answers scripts.
expect_status 0 "$S" check "$p" getpid
expect_status 0 "$S" check "$p" getppid
expect_status 0 "$S" check "$p" openat AT_FDCWD 0 O_RDONLY
expect_status 1 "$S" check "$p" openat AT_FDCWD 0 O_WRONLY
expect_status 1 "$S" check "$p" ptrace
expect_status 1 "$S" check "$p" kill 1 9
expect_status 2 "$S" check "$p" nosuchcall
expect_status 2 "$S" check "$p" openat NO_SUCH_CONSTANT
expect_status 2 "$S" check "$p"
expect_status 3 "$S" check "$dir/missing.toml" getpid
printf 'default_action = "Allw"\n' > "$dir/bad.toml"
expect_status 3 "$S" check "$dir/bad.toml" getpid
expect_status 1 "$S" check --json "$p" ptrace

if ! command -v python3 >/dev/null; then
	echo "# python3 missing: --json not parsed"
	finish
fi
# expect_json WANT PYEXPR command...: the command's standard output parses as JSON, `j`,
# and PYEXPR prints WANT (a tuple's items separated by spaces).
expect_json() {
	want=$1 expr=$2
	shift 2
	"$@" > "$dir/out.json" 2>/dev/null
	got=$(python3 -c "import json, sys; j = json.load(open(sys.argv[1])); v = ($expr); print(*v) if isinstance(v, tuple) else print(v)" "$dir/out.json" 2>&1)
	count=$((count + 1))
	if [ "$got" = "$want" ]; then echo "ok $count - json: $*"; else echo "not ok $count - json: $*: got '$got', expected '$want'"; failures=$((failures + 1)); fi
}

# check --json: one object, the fields documented in seccompose-check(1).
expect_json "x86_64 openat 257 ['0xffffffffffffff9c', '0x0', '0x1'] Errno(EPERM) Errno 1 False" \
	"j['arch'], j['syscall'], j['nr'], j['args'], j['action'], j['type'], j['data'], j['allowed']" \
	"$S" check --json "$p" openat -100 0 O_WRONLY
expect_json "Allow True" "j['action'], j['allowed']" "$S" check --json "$p" openat AT_FDCWD 0 O_RDONLY
expect_json "x86 Allow" "j['arch'], j['action']" "$S" check --json --arch x86 "$p" getpid
expect_json "None 999 Errno(EPERM)" "j['syscall'], j['nr'], j['action']" "$S" check --json "$p" 999
expect_json "Log 0 True" "j['type'], j['data'], j['allowed']" "$S" check --json "$p" getppid
expect_json "KillProcess False" "j['action'], j['allowed']" "$S" check --json "$p" ptrace

# explain --json: the same rules as the text, as data.
expect_json "Errno(EPERM) Errno(EPERM) ['x86_64', 'x86']" \
	"j['default'], j['bad_arch'], [a['arch'] for a in j['arches']]" "$S" explain --json "$p"
expect_json "['x86']" "[a['arch'] for a in j['arches']]" "$S" explain --json --arch x86 "$p"
expect_json "Allow masked_equals flags 0x3 0x0 32 Errno(EPERM)" \
	"[(r['action'], c['op'], c['arg'], c['mask'], c['value'], c['bits'], s['otherwise']) for s in j['arches'][0]['syscalls'] if s['name'] == 'openat' for r in s['rules'] for c in r['conditions']][0]" \
	"$S" explain --json "$p"
expect_json "True" \
	"all(r['origin'].startswith('$p:') for a in j['arches'] for s in a['syscalls'] for r in s['rules'])" \
	"$S" explain --json "$p"
expect_json "KillProcess [] False" \
	"[(r['action'], r['conditions'], 'otherwise' in s) for s in j['arches'][0]['syscalls'] if s['name'] == 'ptrace' for r in s['rules']][0]" \
	"$S" explain --json "$p"
# Every syscall the text lists is in the JSON, in the same order.
"$S" explain --arch x86_64 "$p" | sed -n 's/^\([a-z0-9_]*\) ([0-9]*)$/\1/p' > "$dir/text-names"
expect_json "$(tr '\n' ' ' < "$dir/text-names")" \
	"''.join(s['name'] + ' ' for s in j['arches'][0]['syscalls'])" "$S" explain --json --arch x86_64 "$p"
expect_json "ok" "'ok' if j['arches'] and j['arches'][0]['syscalls'] else 'empty'" "$S" explain --json builtin:default

# groups --json: the list, one group expanded, the ungrouped syscalls.
n=$("$S" groups | wc -l)
expect_json "$n True" "len(j), all(set(g) == {'name', 'description'} for g in j)" "$S" groups --json
expect_json "read_ops x86_64 True False" \
	"j[0]['name'], j[0]['arch'], 'read' in j[0]['syscalls'], 'write' in j[0]['syscalls']" \
	"$S" groups --json read_ops
expect_json "x86 2 True" "j[1]['arch'], len(j), 'write' in j[1]['syscalls']" "$S" groups --json --arch x86 read_ops write_ops
expect_json "[]" "j" "$S" groups --json --ungrouped
expect_status 1 "$S" groups --json no_such_group

# lint --json: an array of findings, the fields the text shows.
expect_json "[]" "j" "$S" lint --json "$SC_SOURCE_ROOT/tests/lint/cases/clean.toml"
expect_json "no-exit 1 18 True" \
	"j[0]['id'], j[0]['line'], j[0]['col'], all(set(f) == {'id', 'file', 'line', 'col', 'message', 'hint'} for f in j)" \
	"$S" lint --json "$SC_SOURCE_ROOT/tests/lint/cases/no-exit.toml"
finish
