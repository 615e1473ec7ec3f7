#!/bin/sh
# seccompose lint: the built-in policies, Docker's and Podman's profiles and a small policy per
# check (tests/lint/cases/), each linted and its findings compared with tests/lint/expected.txt
# (a "== input [options]" line, the findings as printed, "exit N"). Then --json, --runtime and
# the OCI limits on a generated policy. Usage: test-lint.sh
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sc=$SECCOMPOSE
cd "$SC_SOURCE_ROOT" || exit 1

# Regenerate with: SECCOMPOSE=build/cli/seccompose SC_SOURCE_ROOT=. sh tests/lint/test-lint.sh --regen
inputs="builtin:default builtin:cli-filter builtin:compiler builtin:static-web-server
data/third_party/profiles/docker-default.json data/third_party/profiles/containers-common.json
$(ls tests/lint/cases/*.toml)"
for input in $inputs; do
	echo "== $input"
	"$sc" lint "$input" 2>&1
	echo "exit $?"
done > "$dir/got.txt"
echo "== --runtime runc tests/lint/cases/runtime.toml" >> "$dir/got.txt"
"$sc" lint --runtime runc tests/lint/cases/runtime.toml >> "$dir/got.txt" 2>&1
echo "exit $?" >> "$dir/got.txt"
if [ "${1:-}" = --regen ]; then
	cp "$dir/got.txt" tests/lint/expected.txt
fi
check "findings as expected (tests/lint/expected.txt)" diff -u tests/lint/expected.txt "$dir/got.txt"
diff -u tests/lint/expected.txt "$dir/got.txt" | head -40 | sed 's/^/# /'

# Exit status: 0 clean, 1 findings, 2 usage, 3 invalid policy.
expect_status 0 "$sc" lint tests/lint/cases/clean.toml
expect_status 1 "$sc" lint tests/lint/cases/no-exit.toml
expect_status 2 "$sc" lint --runtime nosuch tests/lint/cases/clean.toml
expect_err "unknown runtime 'nosuch'" "$sc" lint --runtime nosuch tests/lint/cases/clean.toml
# The runtimes' calls are their measured baselines (what compile --runtime adds), containerd's
# too; seccompose run's is execve alone.
expect_grep "execve is denied (Errno(EPERM)): containerd calls it under the container's filter" \
	"$sc" lint --runtime containerd tests/lint/cases/runtime.toml
expect_out "1" sh -c "'$sc' lint --runtime seccompose tests/lint/cases/runtime.toml | grep -c 'warning: execve is denied.*seccompose run'"
expect_status 2 "$sc" lint
printf 'default_action = "Allw"\n' > "$dir/bad.toml"
expect_status 3 "$sc" lint "$dir/bad.toml"
# --json: an array, the same findings.
expect_out "[]" "$sc" lint --json tests/lint/cases/clean.toml
if command -v python3 >/dev/null; then
	expect_out "enosys-fallback 3 10" sh -c "'$sc' lint --json tests/lint/cases/enosys.toml | python3 -c 'import json,sys; f=json.load(sys.stdin); print(f[0][\"id\"], f[0][\"line\"], f[0][\"col\"])'"
	expect_out "2" sh -c "'$sc' lint --json builtin:nosuch 2>/dev/null; '$sc' lint --json tests/lint/cases/no-exit.toml | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'"
fi
# The OCI limits: 130 rules for ioctl in TOML and in OCI JSON, and over 1 MiB of OCI JSON.
{
	echo 'default_action = "Errno"'
	echo 'default_errno_ret = "EPERM"'
	echo '[[syscalls]]'
	echo 'names = ["exit", "exit_group", "rt_sigreturn", "execve", "rt_sigprocmask", "tgkill"]'
	echo 'action = "Allow"'
	i=0
	while [ $i -lt 130 ]; do
		printf '[[syscalls]]\nnames = ["ioctl"]\naction = "Allow"\nconditions = [{ argument = "cmd", type = "equals", value = %d }]\n' $((0x5400 + i))
		i=$((i + 1))
	done
} > "$dir/entries.toml"
# The exporter refuses more than 128 OCI rules for one syscall (what libseccomp builds in time):
# said for an OCI runtime only. An OCI profile over the limits is measured as written.
expect_grep "entries.toml:1:18: warning: the policy cannot be deployed as OCI JSON: .*more than 128 OCI rules.* (oci-export)" \
	"$sc" lint --runtime runc "$dir/entries.toml"
expect_status 0 "$sc" lint "$dir/entries.toml"
expect_status 0 "$sc" lint --runtime seccompose "$dir/entries.toml"
{
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": ['
	echo '{"names": ["exit", "exit_group", "rt_sigreturn", "rt_sigprocmask", "tgkill"], "action": "SCMP_ACT_ALLOW"},'
	i=0
	while [ $i -lt 130 ]; do
		printf '{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": %d, "op": "SCMP_CMP_EQ"}]},\n' $((0x5400 + i))
		i=$((i + 1))
	done
	printf '{"names": ["read"], "action": "SCMP_ACT_ALLOW", "comment": "'
	head -c 1100000 /dev/zero | tr '\0' x
	printf '"}]}\n'
} > "$dir/big.json"
expect_grep "big.json:3:12: warning: ioctl has 130 entries in OCI JSON, over the 128 per syscall a Kubernetes OCI artifact may hold (oci-entries)" \
	"$sc" lint "$dir/big.json"
expect_grep "big.json:1:19: warning: the policy is 11[0-9]* bytes of OCI JSON, over the 1 MiB a Kubernetes OCI artifact may hold (oci-size)" \
	"$sc" lint "$dir/big.json"
finish
