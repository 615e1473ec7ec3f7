#!/bin/sh
# The collection step, deploy/kubernetes/collect-profiles.sh, on a directory laid out as the
# recorder pods' copies are (<node>/<recording>), without a cluster: one workload's
# recordings from two nodes (x86_64 and aarch64) merged, the other workload's left out, and
# compiled to a SeccompProfile valid against SPO's CRD (tests/cli/check-spo.py) that says
# what the merged policy's OCI profile says, and to the OCI artifact (pushed with skopeo to
# a local dir: transport). What needs a cluster (`kubectl cp`, `kubectl apply`, a registry)
# is not run here.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
COLLECT="$SC_SOURCE_ROOT/deploy/kubernetes/collect-profiles.sh"
CRD="$SC_SOURCE_ROOT/data/third_party/reference/spo-seccompprofile-crd.yaml"
CHECK_SPO="$SC_SOURCE_ROOT/tests/cli/check-spo.py"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export SECCOMPOSE="$S"

mkdir -p "$dir/rec/node-a" "$dir/rec/node-b"
cat >"$dir/rec/node-a/default_web-7d9f_app.toml" <<'EOF2'
default_action = "Errno"
default_errno_ret = "EPERM"
architectures = ["SCMP_ARCH_X86_64"]

[[syscalls]]
names = ["exit_group", "read", "write", "close", "accept4"]
action = "Allow"

[[syscalls]]
names = ["openat"]
action = "Allow"
conditions = [ { argument = "flags", type = "masked_equals", mask = "O_ACCMODE", value = "O_RDONLY" } ]
EOF2
cat >"$dir/rec/node-b/default_web-5c2b_app.toml" <<'EOF2'
default_action = "Errno"
default_errno_ret = "EPERM"
architectures = ["SCMP_ARCH_AARCH64"]

[[syscalls]]
names = ["exit_group", "read", "write", "close", "sendfile"]
action = "Allow"
EOF2
cat >"$dir/rec/node-b/default_db-0_postgres.toml" <<'EOF2'
default_action = "Errno"
architectures = ["SCMP_ARCH_AARCH64"]

[[syscalls]]
names = ["exit_group", "fsync"]
action = "Allow"
EOF2

sh "$COLLECT" --from-dir "$dir/rec" --match 'default_web-*' --name web --format spo \
	-o "$dir/web.yaml" --keep-merged "$dir/merged.toml" 2>"$dir/err"
rc=$?
count=$((count + 1))
if [ $rc -eq 0 ]; then echo "ok $count - collect-profiles.sh --from-dir --format spo"
else echo "not ok $count - collect-profiles.sh exited $rc"; cat "$dir/err"; failures=$((failures + 1)); fi
check "it says how many recordings matched" grep -q "2 recording(s) match 'default_web-\*'" "$dir/err"
check "a SeccompProfile" grep -q '^kind: SeccompProfile$' "$dir/web.yaml"
check "named web" grep -q '^  name: "web"$' "$dir/web.yaml"
check "for both nodes' ABIs" sh -c "grep -q SCMP_ARCH_X86_64 '$dir/web.yaml' && grep -q SCMP_ARCH_AARCH64 '$dir/web.yaml'"
check "with both nodes' calls" sh -c "grep -q accept4 '$dir/web.yaml' && grep -q sendfile '$dir/web.yaml'"
check "and not the other workload's" sh -c "! grep -q fsync '$dir/web.yaml'"
expect_out "Allow" "$S" check "$dir/merged.toml" --arch x86_64 accept4 3 0 0 0
expect_out "Allow" "$S" check "$dir/merged.toml" --arch aarch64 sendfile
expect_out "Errno(EPERM)" "$S" check "$dir/merged.toml" --arch aarch64 fsync 3
if python3 -c 'import yaml' 2>/dev/null; then
	"$S" compile "$dir/merged.toml" --format oci -o "$dir/merged.json"
	check "the SeccompProfile is valid against SPO's CRD and says what the merged OCI profile says" \
		python3 "$CHECK_SPO" --oci "$dir/merged.json" "$CRD" "$dir/web.yaml"
else
	echo "# no python3-yaml: the CRD check is skipped"
fi

# One recording alone is its own policy; --arch retargets the result.
expect_status 0 sh "$COLLECT" --from-dir "$dir/rec" --match 'default_db-*' --name db --format spo \
	--arch aarch64,x86_64 -o "$dir/db.yaml"
check "--arch gives the profile both ABIs" sh -c "grep -q SCMP_ARCH_X86_64 '$dir/db.yaml'"

# The OCI artifact, and its push (skopeo to a local dir: transport stands for a registry).
if command -v skopeo >/dev/null 2>&1; then
	expect_status 0 sh "$COLLECT" --from-dir "$dir/rec" --match 'default_web-*' --name web \
		--format oci-artifact -o "$dir/web.oci" --push "dir:$dir/pushed"
	check "the artifact was pushed (manifest and blobs)" test -s "$dir/pushed/manifest.json"
	check "its config is the seccomp profile's" \
		grep -q 'application/vnd.cncf.seccomp-profile.config.v1+json' "$dir/pushed/manifest.json"
else
	expect_status 0 sh "$COLLECT" --from-dir "$dir/rec" --match 'default_web-*' --name web \
		--format oci-artifact -o "$dir/web.oci"
	echo "# no skopeo: the push is not run"
fi
check "the layout is there" test -s "$dir/web.oci/index.json"

# What it refuses.
expect_status 2 sh "$COLLECT" --from-dir "$dir/rec" --match 'nothing-*' --name x --format spo -o "$dir/x.yaml"
expect_err "no recording matches 'nothing-\*'" sh "$COLLECT" --from-dir "$dir/rec" --match 'nothing-*' --name x --format spo -o "$dir/x.yaml"
expect_status 2 sh "$COLLECT" --from-dir "$dir/rec" --name x --format yaml -o "$dir/x.yaml"
expect_status 2 sh "$COLLECT" --from-dir "$dir/rec" --name x --format spo -o "$dir/x.yaml" --push docker://r/x
expect_status 2 sh "$COLLECT" --from-dir "$dir/none" --name x --format spo -o "$dir/x.yaml"
expect_status 0 sh "$COLLECT" --help
finish
