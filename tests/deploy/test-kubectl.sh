#!/bin/sh
# kubectl parses deploy/kubernetes/: `kubectl apply --dry-run=client --validate=false`, which
# maps every manifest to its API resource. Client-side dry runs still ask the server for its
# API groups and for each object: fake-apiserver.py answers discovery and "not found", so
# nothing needs a cluster. Skipped where kubectl is missing (CI).
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
K8S="$SC_SOURCE_ROOT/deploy/kubernetes"
if ! command -v kubectl >/dev/null 2>&1; then
	echo "SKIP: no kubectl (Debian: kubernetes-client)"
	exit 77
fi
dir=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid"; rm -rf "$dir"' EXIT
python3 "$SC_SOURCE_ROOT/tests/deploy/fake-apiserver.py" "$dir/port" 2>"$dir/server.log" &
pid=$!
for _ in $(seq 1 100); do
	[ -s "$dir/port" ] && break
	sleep 0.1
done
[ -s "$dir/port" ] || { echo "not ok - fake-apiserver.py did not start"; cat "$dir/server.log"; exit 1; }
cat >"$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {server: "http://127.0.0.1:$(cat "$dir/port")"}
users:
- name: fake
  user: {token: fake}
contexts:
- name: fake
  context: {cluster: fake, user: fake}
current-context: fake
KC
# kubectl caches discovery under $HOME/.kube: a home of its own.
k() { HOME=$dir kubectl --kubeconfig "$dir/kubeconfig" --request-timeout=20s "$@"; }

k apply --dry-run=client --validate=false -f "$K8S/" >"$dir/out" 2>"$dir/err"
rc=$?
count=$((count + 1))
if [ $rc -eq 0 ]; then echo "ok $count - kubectl apply --dry-run=client -f deploy/kubernetes/"
else echo "not ok $count - kubectl apply --dry-run=client: exit $rc"; cat "$dir/err"; failures=$((failures + 1)); fi
cat "$dir/out"
for obj in namespace/seccompose serviceaccount/seccompose-recorder daemonset.apps/seccompose-recorder; do
	check "kubectl read $obj" grep -q "^$obj created (dry run)" "$dir/out"
done
expect_out "3" sh -c "grep -c 'created (dry run)' '$dir/out'"
# kubectl's own parse reports a broken manifest (the fake server is not what accepts them).
mkdir "$dir/bad"
cp "$K8S"/*.yaml "$dir/bad/"
sed -i 's/^spec:/spec: [/' "$dir/bad/02-daemonset.yaml"
expect_status 1 k apply --dry-run=client --validate=false -f "$dir/bad/"
finish
