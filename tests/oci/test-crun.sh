#!/bin/sh
# A real container: crun runs a busybox rootfs under the OCI profile seccompose exports,
# and the policy's denials happen inside it. Needs root, crun, busybox-static, and a private
# mount namespace with cgroup2 (crun's cgroup manager is disabled: this is not a systemd host).
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v crun >/dev/null || skip "crun is not installed"
[ -x /bin/busybox ] || skip "busybox-static is not installed"
unshare -m true 2>/dev/null || skip "cannot make a mount namespace"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/tmp" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys"
cp /bin/busybox "$dir/rootfs/bin/"
for c in sh ls mkdir cat echo uname hostname id; do ln -s busybox "$dir/rootfs/bin/$c"; done

check "compile exports OCI" "$SECCOMPOSE" compile "$SC_SOURCE_ROOT/tests/oci/container.toml" \
	--format oci -o "$dir/seccomp.json"
(cd "$dir" && crun spec) || skip "crun spec failed"

# A control run without seccomp: if crun cannot run a container that prints here, the test
# says so and skips rather than blaming the profile.
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
c = json.load(open(d + "/config.json"))
c["process"]["args"] = ["/bin/echo", "control"]
c["process"]["terminal"] = False
c["process"].pop("rlimits", None)
json.dump(c, open(d + "/config.json", "w"))
PY
unshare -m sh -c "mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; \
	crun --cgroup-manager=disabled run -b '$dir' seccompose-control-$$" >"$dir/control" 2>&1
grep -q '^control$' "$dir/control" || skip "crun runs no container that prints here: $(head -c 200 "$dir/control")"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
c = json.load(open(d + "/config.json"))
c["process"]["args"] = ["/bin/sh", "-c",
    "uname -s; mkdir /tmp/x || echo mkdir-denied; hostname box || echo hostname-denied; echo end"]
c["process"]["terminal"] = False
c["process"].pop("rlimits", None)   # setrlimit(MEMLOCK) is refused in this sandbox
c["root"]["readonly"] = False
c["linux"]["seccomp"] = json.load(open(d + "/seccomp.json"))
json.dump(c, open(d + "/config.json", "w"))
PY
unshare -m sh -c "mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; \
	crun --cgroup-manager=disabled run -b '$dir' seccompose-test-$$" >"$dir/out" 2>&1
rc=$?
cat "$dir/out"
check "the container ran to the end (exit $rc)" grep -q '^end$' "$dir/out"
check "uname is allowed" grep -q '^Linux$' "$dir/out"
check "mkdir is denied with EACCES" grep -q "Permission denied" "$dir/out"
check "mkdir's denial is reported" grep -q '^mkdir-denied$' "$dir/out"
check "sethostname (not in default_safe) is denied" grep -q '^hostname-denied$' "$dir/out"
finish
