#!/bin/sh
# Kubernetes outputs: `compile --format spo` validated against SPO's CRD (the copy in
# data/third_party/reference, read by check-spo.py) and saying what `--format oci` says;
# `compile --format oci-artifact` read back by Debian's skopeo byte for byte; `install
# --kubelet` into a temporary kubelet root.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
CRD="$SC_SOURCE_ROOT/data/third_party/reference/spo-seccompprofile-crd.yaml"
CHECK="$SC_SOURCE_ROOT/tests/cli/check-spo.py"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# --- SeccompProfile ------------------------------------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
	for p in default cli-filter compiler static-web-server; do
		check "compile builtin:$p --format spo" "$S" compile "builtin:$p" --format spo -o "$dir/$p.yaml"
		"$S" compile "builtin:$p" --format oci -o "$dir/$p.json"
		check "builtin:$p's SeccompProfile is valid against the CRD and says what its OCI profile says" \
			python3 "$CHECK" --oci "$dir/$p.json" "$CRD" "$dir/$p.yaml"
	done
	# The checker itself refuses what the CRD refuses.
	sed 's/SCMP_ACT_ALLOW/SCMP_ACT_PERMIT/' "$dir/default.yaml" >"$dir/bad-action.yaml"
	sed 's/^metadata:/metadata:\n  namespace: "x"/' "$dir/default.yaml" >"$dir/bad-namespace.yaml"
	sed 's/value: 1$/value: -1/' "$dir/default.yaml" >"$dir/bad-value.yaml"
	for b in bad-action bad-namespace bad-value; do
		expect_status 1 python3 "$CHECK" "$CRD" "$dir/$b.yaml"
	done
	check "the negative value edit took" grep -q 'value: -1$' "$dir/bad-value.yaml"
else
	echo "# no python3-yaml: the CRD checks are skipped"
fi
expect_grep '^kind: SeccompProfile$' "$S" compile builtin:default --format spo
expect_grep '^apiVersion: security-profiles-operator.x-k8s.io/v1$' "$S" compile builtin:default --format spo
expect_out "" sh -c "'$S' compile builtin:default --format spo | grep '^  namespace:'"
expect_grep '^  name: "web.v2"$' "$S" compile builtin:default --format spo --name web.v2
expect_grep '^  name: "built-in-default"$' "$S" compile builtin:default --format spo
for bad in Web 'a b' -web 'web-' '' 'a..b'; do
	expect_status 2 "$S" compile builtin:default --format spo --name "$bad"
done
expect_err "is not a Kubernetes object name" "$S" compile builtin:default --format spo --name Web
expect_status 2 "$S" compile builtin:default --format oci --name web

# The source file's name and digest are annotations; a hostile name stays one string.
hostile="$dir/we\"b: {x}'
- \\ é.toml"
"$S" compile builtin:default --format toml -o "$hostile"
digest=$(sha256sum "$hostile" | cut -d' ' -f1)
"$S" compile "$hostile" --format spo -o "$dir/hostile.yaml"
check "the digest annotation is the source file's SHA-256" \
	grep -qx "    seccompose/source-sha256: \"$digest\"" "$dir/hostile.yaml"
if python3 -c 'import yaml' 2>/dev/null; then
	check "a hostile file name is valid YAML, one annotation, escaped" python3 -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
src = d["metadata"]["annotations"]["seccompose/source"]
assert src.endswith("we\"b: {x}\x27\\x0a- \\ \\xc3\\xa9.toml"), src
assert d["metadata"]["name"] == "we-b-x", d["metadata"]["name"]
assert set(d) == {"apiVersion", "kind", "metadata", "spec"}
' "$dir/hostile.yaml"
	check "the hostile name's profile is valid against the CRD" python3 "$CHECK" "$CRD" "$dir/hostile.yaml"
fi

# Values the CRD cannot carry (int64 >= 0): rewritten where an equivalent exists ...
cat >"$dir/wide.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
 {"names": ["fchdir"], "action": "SCMP_ACT_ALLOW",
  "args": [{"index": 0, "value": 18446744073709551615, "valueTwo": 18446744073709551516, "op": "SCMP_CMP_MASKED_EQ"}]},
 {"names": ["prctl"], "action": "SCMP_ACT_ALLOW",
  "args": [{"index": 1, "value": 18446744073709551615, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]}]}
EOF
"$S" compile "$dir/wide.json" --format spo -o "$dir/wide.yaml"
"$S" compile "$dir/wide.json" --format oci -o "$dir/wide-oci.json"
expect_grep 'valueTwo: 4294967196$' cat "$dir/wide.yaml"
expect_grep 'op: "SCMP_CMP_EQ"$' cat "$dir/wide.yaml"
if python3 -c 'import yaml' 2>/dev/null; then
	check "rewritten values: valid, and the same tests" python3 "$CHECK" --oci "$dir/wide-oci.json" "$CRD" "$dir/wide.yaml"
fi
# ... and refused, naming the rule, where none does (bit 63 of a 64-bit argument: -1 on prctl's arg2).
cat >"$dir/bit63.toml" <<'EOF'
default_action = "Errno"
architectures = ["x86_64"]

[[syscalls]]
names = ["prctl"]
action = "Allow"
conditions = [ { argument = "arg2", type = "equals", value = -1 } ]
EOF
expect_status 3 "$S" compile "$dir/bit63.toml" --format spo
expect_err "bit63.toml:4:1: error: .*tests argument 1 against 0xffffffffffffffff" "$S" compile "$dir/bit63.toml" --format spo
check "nothing written for a refused profile" sh -c "! '$S' compile '$dir/bit63.toml' --format spo -o '$dir/refused.yaml' 2>/dev/null && test ! -e '$dir/refused.yaml'"
# An architecture the CRD lacks is refused; a default errno the runtime cannot keep warns.
printf 'default_action = "Errno"\narchitectures = ["loongarch64"]\n' >"$dir/loong.toml"
expect_status 3 "$S" compile "$dir/loong.toml" --format spo
expect_err "SPO's CRD has no architecture SCMP_ARCH_LOONGARCH64" "$S" compile "$dir/loong.toml" --format spo
printf 'default_action = "Errno"\ndefault_errno_ret = "ENOSYS"\n[[syscalls]]\nnames = ["read"]\naction = "Allow"\n' >"$dir/enosys.toml"
expect_err "warning: a SeccompProfile has no defaultErrnoRet: the default action Errno(ENOSYS) becomes Errno(EPERM)" \
	"$S" compile "$dir/enosys.toml" --format spo
expect_out "" sh -c "'$S' compile builtin:default --format spo 2>&1 >/dev/null"

# --- OCI artifact --------------------------------------------------------------------------
"$S" compile builtin:default --format oci -o "$dir/profile.json"
check "compile --format oci-artifact" "$S" compile builtin:default --format oci-artifact -o "$dir/art"
check "oci-layout, index.json, blobs/sha256" sh -c \
	"test -f '$dir/art/oci-layout' && test -f '$dir/art/index.json' && test -d '$dir/art/blobs/sha256'"
check "every blob is named by its SHA-256" sh -c \
	"cd '$dir/art/blobs/sha256' && for b in *; do echo \"\$b  \$b\"; done | sha256sum -c --quiet"
expect_status 1 "$S" compile builtin:default --format oci-artifact -o "$dir/art"
expect_err "is not empty" "$S" compile builtin:default --format oci-artifact -o "$dir/art"
mkdir "$dir/kept" && echo mine >"$dir/kept/file"
expect_status 1 "$S" compile builtin:default --format oci-artifact -o "$dir/kept"
check "a non-empty directory is left as it was" sh -c "test \"\$(ls '$dir/kept')\" = file && grep -qx mine '$dir/kept/file'"
mkdir "$dir/empty"
check "an empty directory takes the layout" "$S" compile builtin:default --format oci-artifact -o "$dir/empty"
expect_status 2 "$S" compile builtin:default --format oci-artifact
expect_status 2 "$S" compile builtin:default --format oci-artifact -o -
# What runtimes reject is refused, and nothing is left behind.
printf 'default_action = "Errno"\n[[syscalls]]\nnames = ["read"]\naction = "Notify"\n' >"$dir/notify.toml"
printf 'default_action = "Errno"\nflags = ["wait_killable_recv"]\n[[syscalls]]\nnames = ["read"]\naction = "Allow"\n' >"$dir/wk.toml"
expect_err "'read' gets Notify" "$S" compile "$dir/notify.toml" --format oci-artifact -o "$dir/n"
expect_err "WAIT_KILLABLE_RECV" "$S" compile "$dir/wk.toml" --format oci-artifact -o "$dir/n"
# Over 1 MiB: 40 syscalls, each with its own 124 rules (a range as masked blocks, twice).
"$S" syscalls --json | python3 -c '
import json, sys
calls = [c["name"] for c in json.load(sys.stdin) if len(c["args"]) >= 2 and c["args"][0]["bits"] == 32
         and not c["args"][0]["pointer"] and c["name"] not in ("socketcall", "ipc")][:40]
print("default_action = \"Errno\"\narchitectures = [\"x86_64\"]")
for k, n in enumerate(calls):
    print("[[syscalls]]\nnames = [\"%s\"]\naction = \"Allow\"\nconditions = [ { index = 0, type = \"greater_or_equal\", value = 1 }, "
          "{ index = 0, type = \"less_or_equal\", value = 0xfffffffe }, { index = 1, type = \"any_of\", values = [%d, %d] } ]"
          % (n, k, k + 1000))' >"$dir/big.toml"
expect_err "the profile is [0-9]* bytes, and runtimes take at most 1048576" \
	"$S" compile "$dir/big.toml" --format oci-artifact -o "$dir/n"
expect_status 3 "$S" compile "$dir/notify.toml" --format oci-artifact -o "$dir/n"
check "no directory for a refused artifact" test ! -e "$dir/n"

if command -v skopeo >/dev/null; then
	skopeo inspect --raw "oci:$dir/art" >"$dir/manifest.json" 2>"$dir/skopeo.err"
	check "skopeo inspect --raw reads the layout" test -s "$dir/manifest.json"
	check "the manifest: KEP-6061 artifact type and config, exactly one JSON layer" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
t = "application/vnd.cncf.seccomp-profile.config.v1+json"
assert m["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert m["artifactType"] == t and m["config"]["mediaType"] == t
assert len(m["layers"]) == 1 and m["layers"][0]["mediaType"] == "application/json"
' "$dir/manifest.json"
	check "skopeo copy oci:DIR dir:OUT" skopeo copy --quiet "oci:$dir/art" "dir:$dir/out"
	layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][0]["digest"].split(":")[1])' "$dir/manifest.json")
	check "the layer skopeo copied is byte-identical to compile --format oci" cmp "$dir/out/$layer" "$dir/profile.json"
	check "and the digest skopeo checked is the layer's" sh -c "sha256sum '$dir/out/$layer' | grep -q '^$layer '"
else
	echo "# no skopeo: the layout is checked by its digests only"
fi

# --- install --kubelet ---------------------------------------------------------------------
root="$dir/kubelet"
mkdir "$root"
expect_out 'securityContext:
  seccompProfile:
    type: Localhost
    localhostProfile: "apps/web.json"' "$S" install builtin:default --kubelet --root "$root" --name apps/web.json
check "the localhost profile is the OCI export" cmp "$root/seccomp/apps/web.json" "$dir/profile.json"
check "installed again over itself" "$S" install builtin:cli-filter --kubelet --root "$root" --name apps/web.json
"$S" compile builtin:cli-filter --format oci -o "$dir/cli-filter.json"
check "the second install replaced it" cmp "$root/seccomp/apps/web.json" "$dir/cli-filter.json"
check "no temporary file is left beside it" sh -c "test \"\$(ls -A '$root/seccomp/apps')\" = web.json"
for bad in /abs.json ../up.json a/../b.json ./a.json a//b.json web.yaml .json 'we b.json' 'a"b.json'; do
	expect_status 2 "$S" install builtin:default --kubelet --root "$root" --name "$bad"
done
check "a refused name writes nothing" sh -c "test ! -e '$dir/up.json' && test ! -e '$root/abs.json'"
expect_status 2 "$S" install builtin:default --root "$root" --name x.json
expect_status 2 "$S" install builtin:default --kubelet --root "$root"
expect_status 1 "$S" install builtin:default --kubelet --root "$dir/missing" --name x.json
printf 'default_action = "Nope"\n' >"$dir/invalid.toml"
expect_status 3 "$S" install "$dir/invalid.toml" --kubelet --root "$root" --name invalid.json
check "an invalid policy installs nothing" test ! -e "$root/seccomp/invalid.json"
finish
