#!/bin/sh
# `seccompose diff` and `seccompose intersect` from the command line: exit statuses, formats
# mixed (TOML, OCI JSON, built-ins), the text and --json output, what intersect writes.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/a.toml" <<'P'
default_action = "Errno"
[[syscalls]]
names = ["read", "write", "openat"]
action = "Allow"
[[abstract_syscalls]]
names = ["sysv_shm"]
action = "Allow"
P
cat >"$dir/b.toml" <<'P'
default_action = "Errno"
[[syscalls]]
names = ["read", "write"]
action = "Allow"
[[syscalls]]
names = ["openat"]
action = "Errno"
errno_ret = "EACCES"
[[syscalls]]
names = ["ioctl"]
action = "Allow"
conditions = [ { argument = "cmd", type = "equals", value = "TCGETS" } ]
P
printf 'default_action = "Bogus"\n' >"$dir/bad.toml"

# Exit statuses: 0 equal, 1 different, 2 usage or unreadable, 3 invalid policy.
expect_status 0 "$S" diff "$dir/a.toml" "$dir/a.toml"
expect_status 1 "$S" diff "$dir/a.toml" "$dir/b.toml"
expect_status 2 "$S" diff "$dir/a.toml"
expect_status 2 "$S" diff "$dir/a.toml" "$dir/missing.toml"
expect_status 3 "$S" diff "$dir/a.toml" "$dir/bad.toml"
expect_out "" "$S" diff builtin:default builtin:default

# What a person reads: the group, the syscall, the argument value by constant name.
expect_grep "x86_64: group sysv_shm (4 syscalls): Allow in $dir/a.toml, Errno(EPERM) in $dir/b.toml" "$S" diff "$dir/a.toml" "$dir/b.toml"
expect_grep "x86_64: openat: Allow in $dir/a.toml, Errno(EACCES) in $dir/b.toml" "$S" diff "$dir/a.toml" "$dir/b.toml"
expect_grep "x86_64: ioctl(cmd == TCGETS): Errno(EPERM) in $dir/a.toml, Allow in $dir/b.toml" "$S" diff "$dir/a.toml" "$dir/b.toml"

# --json parses, says the same, and its witness calls show the differences.
"$S" diff --json "$dir/a.toml" "$dir/b.toml" >"$dir/d.json"
check "--json is one JSON object with equal false" python3 -c "
import json, sys
d = json.load(open('$dir/d.json'))
assert d['equal'] is False and d['a'].endswith('a.toml')
kinds = {(x['group'] or x['syscalls'][0], x['when']) for x in d['differences']}
assert ('sysv_shm', None) in kinds and ('ioctl', 'cmd == TCGETS') in kinds and ('openat', None) in kinds, kinds
"
check "--json of equal policies says equal" sh -c "'$S' diff --json builtin:default builtin:default | python3 -c 'import json,sys; assert json.load(sys.stdin) == {\"a\": \"builtin:default\", \"b\": \"builtin:default\", \"equal\": True, \"differences\": []}'"
ioctl_args=$(python3 -c "
import json
d = json.load(open('$dir/d.json'))
print(' '.join(str(a) for a in next(x for x in d['differences'] if x['syscalls'] == ['ioctl'])['witness']['args']))")
# shellcheck disable=SC2086
expect_out Allow "$S" check "$dir/b.toml" ioctl $ioctl_args
# shellcheck disable=SC2086
expect_out "Errno(EPERM)" "$S" check "$dir/a.toml" ioctl $ioctl_args

# Formats mixed: a policy and its own exports are the same filter on its ABI.
"$S" compile "$dir/b.toml" --format toml -o "$dir/b2.toml"
expect_status 0 "$S" diff "$dir/b.toml" "$dir/b2.toml"
"$S" compile "$dir/b.toml" --format oci -o "$dir/b.json"
# OCI JSON has no bad_arch_action: the runtimes kill calls from other ABIs (KillThread).
expect_grep "ABIs neither lists" "$S" diff "$dir/b.toml" "$dir/b.json"
expect_out 1 sh -c "'$S' diff '$dir/b.toml' '$dir/b.json' | grep -vc -e '^---' -e '^+++'"

# intersect: what both allow, written atomically in the format asked.
expect_status 0 "$S" intersect "$dir/a.toml" "$dir/b.toml" -o "$dir/i.toml"
expect_out Allow "$S" check "$dir/i.toml" read
expect_out "Errno(EACCES)" "$S" check "$dir/i.toml" openat
expect_out "Errno(EPERM)" "$S" check "$dir/i.toml" ioctl 1 TCGETS
expect_out "Errno(EPERM)" "$S" check "$dir/i.toml" shmget
expect_status 0 "$S" intersect "$dir/a.toml" "$dir/b.json" -o "$dir/i.json"
check "-o x.json writes OCI JSON" python3 -c "import json; json.load(open('$dir/i.json'))"
expect_grep '^default_action' "$S" intersect "$dir/a.toml" "$dir/b.json"
expect_grep '"defaultAction"' "$S" intersect "$dir/a.toml" "$dir/b.toml" --format oci
# Intersecting a policy with itself changes nothing.
"$S" intersect "$dir/b.toml" "$dir/b.toml" -o "$dir/bb.toml"
expect_status 0 "$S" diff "$dir/b.toml" "$dir/bb.toml"
expect_status 2 "$S" intersect "$dir/a.toml"
expect_status 3 "$S" intersect "$dir/a.toml" "$dir/bad.toml"
expect_status 2 "$S" intersect "$dir/a.toml" "$dir/b.toml" --format bpf
mkdir "$dir/out.toml"
expect_status 1 "$S" intersect "$dir/a.toml" "$dir/b.toml" -o "$dir/out.toml"

# --as-runtime: several entries for one name conditioned on one index — denied wholly.
cat >"$dir/multi.json" <<'P'
{ "defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
  { "names": ["read", "write", "personality"], "action": "SCMP_ACT_ALLOW" },
  { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 0, "op": "SCMP_CMP_EQ" } ] },
  { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] } ] }
P
expect_err "merge denies personality wholly" "$S" intersect --as-runtime "$dir/multi.json" "$dir/b.toml" -o "$dir/rt.json"
expect_out KillProcess "$S" check "$dir/rt.json" personality 0
expect_out "" sh -c "'$S' intersect '$dir/multi.json' '$dir/b.toml' -o '$dir/nort.json' 2>&1"
finish
