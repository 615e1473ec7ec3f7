#!/bin/sh
# deploy/kubernetes/ by its fields (check-manifests.py, python3-yaml): hostPID, the three
# capabilities and no more, not privileged, the cgroup/BTF/tracing mounts, the recordings'
# hostPath, the command. The checker is shown to refuse what it must refuse.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
K8S="$SC_SOURCE_ROOT/deploy/kubernetes"
CHECK="$SC_SOURCE_ROOT/tests/deploy/check-manifests.py"
if ! python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP: no python3-yaml (Debian: python3-yaml)"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

check "deploy/kubernetes/ holds what the recorder needs" python3 "$CHECK" "$K8S"
python3 "$CHECK" "$K8S"

# Each edit breaks one fact; the checker must notice each.
mutate() { # name sed-expression
	mkdir -p "$dir/$1"
	cp "$K8S"/*.yaml "$dir/$1/"
	sed -i "$2" "$dir/$1/02-daemonset.yaml"
	count=$((count + 1))
	if cmp -s "$K8S/02-daemonset.yaml" "$dir/$1/02-daemonset.yaml"; then
		echo "not ok $count - the edit '$1' changed nothing"; failures=$((failures + 1))
	elif python3 "$CHECK" "$dir/$1" >/dev/null; then
		echo "not ok $count - check-manifests.py accepts '$1'"; failures=$((failures + 1))
	else
		echo "ok $count - check-manifests.py refuses '$1'"
	fi
}
mutate sys-admin 's/- SYS_PTRACE/- SYS_PTRACE\n                - SYS_ADMIN/'
mutate no-hostpid 's/hostPID: true/hostPID: false/'
mutate privileged 's/privileged: false/privileged: true/'
mutate no-btf 's#path: /sys/kernel/btf#path: /sys/kernel/btfx#'
mutate writable-cgroup '/mountPath: \/sys\/fs\/cgroup/{n;s/readOnly: true/readOnly: false/}'
mutate other-out-dir 's#^            - /var/lib/seccompose/recordings#            - /tmp/rec#'
mutate no-drop 's/- ALL/- NET_RAW/'
finish
