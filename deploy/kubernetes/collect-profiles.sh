#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# collect-profiles.sh — the fleet recipe's second half (docs/kubernetes.md): gather the
# recordings the node recorder (02-daemonset.yaml) wrote on every node, merge them into one
# policy (`seccompose merge`: a call is allowed when any node's recording allowed it) and
# compile that into what rolls out: a Security Profiles Operator SeccompProfile (--format
# spo, optionally applied) or a KEP-6061 OCI artifact (--format oci-artifact, optionally
# pushed with skopeo or oras).
#
# The recordings come from the running recorder pods (`kubectl cp`, the default) or from a
# directory already copied off the nodes' hostPath (--from-dir). Nothing here needs more of
# the cluster than `kubectl get pods` and `kubectl cp` in the recorder's namespace.
set -eu

usage() {
	cat <<'EOF'
usage: collect-profiles.sh [--from-cluster | --from-dir DIR] [--match GLOB] [--arch LIST]
                           --name NAME --format spo|oci-artifact -o OUT [--apply | --push REF]

  --from-cluster       copy /var/lib/seccompose/recordings out of every recorder pod with
                       `kubectl cp` (the default)
  --from-dir DIR       use the recordings under DIR instead (*.toml and *.json, at any depth:
                       a copy of each node's /var/lib/seccompose/recordings)
  --namespace NS       the recorder's namespace (default: seccompose)
  --match GLOB         only recordings whose file name matches GLOB (one workload's
                       containers, e.g. 'default_web-*'); default: all
  --arch LIST          compile for these ABIs (seccompose compile --arch), e.g. a fleet of
                       x86_64 and aarch64 nodes: x86_64,aarch64
  --name NAME          the profile's name (SPO metadata.name)
  --format FMT         spo (a SeccompProfile YAML file) or oci-artifact (an OCI image layout
                       directory)
  -o OUT               where the profile goes (a file for spo, a new directory for oci-artifact)
  --keep-merged FILE   also keep the merged policy (our TOML) here
  --apply              spo: `kubectl apply -f OUT` afterwards
  --push REF           oci-artifact: copy it to REF (docker://registry/repo:tag) with skopeo,
                       or with oras when skopeo is missing

Environment: SECCOMPOSE (default: seccompose), KUBECTL (default: kubectl).
EOF
}

die() {
	echo "collect-profiles: error: $*" >&2
	exit 2
}

S=${SECCOMPOSE:-seccompose}
K=${KUBECTL:-kubectl}
from=cluster src= ns=seccompose match='*' arch= name= format= out= keep= apply=0 push=
while [ $# -gt 0 ]; do
	case $1 in
	--from-cluster) from=cluster ;;
	--from-dir) from=dir src=${2:?--from-dir needs a directory}; shift ;;
	--namespace) ns=${2:?--namespace needs a namespace}; shift ;;
	--match) match=${2:?--match needs a pattern}; shift ;;
	--arch) arch=${2:?--arch needs a list}; shift ;;
	--name) name=${2:?--name needs a name}; shift ;;
	--format) format=${2:?--format needs spo or oci-artifact}; shift ;;
	-o | --output) out=${2:?-o needs a path}; shift ;;
	--keep-merged) keep=${2:?--keep-merged needs a file}; shift ;;
	--apply) apply=1 ;;
	--push) push=${2:?--push needs a reference}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
[ -n "$name" ] && [ -n "$out" ] || { usage >&2; exit 2; }
case $format in
spo) [ -z "$push" ] || die "--push is for --format oci-artifact" ;;
oci-artifact) [ "$apply" -eq 0 ] || die "--apply is for --format spo" ;;
*) die "--format takes spo or oci-artifact" ;;
esac
[ "$from" = cluster ] || [ -d "$src" ] || die "no directory '$src'"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# 1. The recordings: each recorder pod's directory under $work/nodes/<node>/.
if [ "$from" = cluster ]; then
	src=$work/nodes
	mkdir -p "$src"
	"$K" -n "$ns" get pods -l app.kubernetes.io/name=seccompose-recorder \
		-o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{"\n"}{end}' >"$work/pods"
	[ -s "$work/pods" ] || die "no recorder pods in namespace '$ns' (kubectl apply -f deploy/kubernetes/)"
	while read -r pod node; do
		echo "collect-profiles: copying the recordings of node $node (pod $pod)" >&2
		"$K" -n "$ns" cp -c recorder "$pod:/var/lib/seccompose/recordings" "$src/${node:-$pod}" >&2 ||
			echo "collect-profiles: warning: nothing copied from $pod" >&2
	done <"$work/pods"
fi

# 2. The ones that match, in a stable order (the merge's default errno is the first's).
find "$src" -type f \( -name '*.toml' -o -name '*.json' \) -name "$match" | LC_ALL=C sort >"$work/list"
n=$(wc -l <"$work/list")
[ "$n" -gt 0 ] || die "no recording matches '$match' under $src"
echo "collect-profiles: $n recording(s) match '$match'" >&2
set --
while IFS= read -r f; do
	set -- "$@" "$f"
done <"$work/list"

# 3. One policy: their union (a single recording is its own).
merged=$work/merged.toml
if [ "$n" -eq 1 ]; then
	"$S" compile "$1" --format toml -o "$merged"
else
	"$S" merge "$@" --format toml -o "$merged"
fi
[ -z "$keep" ] || cp "$merged" "$keep"

# 4. What rolls out.
if [ "$format" = spo ]; then
	"$S" compile "$merged" ${arch:+--arch "$arch"} --format spo --name "$name" -o "$out"
	[ "$apply" -eq 0 ] || "$K" apply -f "$out"
else
	"$S" compile "$merged" ${arch:+--arch "$arch"} --format oci-artifact -o "$out"
	if [ -n "$push" ]; then
		if command -v skopeo >/dev/null 2>&1; then
			skopeo copy "oci:$out" "$push"
		elif command -v oras >/dev/null 2>&1; then
			oras cp --from-oci-layout "$out:latest" "${push#docker://}"
		else
			die "neither skopeo nor oras to push with"
		fi
	fi
fi
echo "collect-profiles: wrote $out" >&2
