#!/bin/sh
# The DaemonSet's command line is one `seccompose record` takes: every option it gives is in
# `seccompose record --help`. The node recorder (--all-containers, --out-dir) comes with the
# containers/ebpf work: until this build has it, this test is skipped, saying so.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
if ! python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP: no python3-yaml (Debian: python3-yaml)"
	exit 77
fi
help=$("$SECCOMPOSE" record --help)
if ! printf '%s\n' "$help" | grep -q -- '--all-containers'; then
	echo "SKIP: this build's 'seccompose record' has no --all-containers (the node recorder)"
	exit 77
fi
cmd=$(python3 "$SC_SOURCE_ROOT/tests/deploy/check-manifests.py" --command "$SC_SOURCE_ROOT/deploy/kubernetes")
for w in $cmd; do
	case $w in
	--*) check "record --help lists $w" sh -c "printf '%s\n' \"\$1\" | grep -q -- \"\$2\"" _ "$help" "$w" ;;
	esac
done
finish
