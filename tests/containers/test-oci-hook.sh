#!/bin/sh
# seccompose oci-hook for real with podman+runc (usage: test-oci-hook.sh podman-runc): the
# hooks.d JSON from `oci-hook --hooks-json` in a --hooks-dir, a container annotated
# io.seccompose.record=PATH is recorded from its entrypoint on, PATH is there when podman
# returns; the workload under that profile prints the same and exits 0, mkdir (never
# recorded) is denied; a container without the annotation leaves nothing. Skips (77) without
# podman or the eBPF recorder.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
"$sc" record --ebpf -o /dev/stdout -- true >/dev/null 2>&1 || { echo "SKIP: the eBPF recorder cannot run here"; exit 77; }
ct_setup "$1"
d=$ct_dir
work='echo start; uname -s; cat /etc/motd; ls /www; echo end'
mkdir "$d/hooks"
"$sc" oci-hook --hooks-json --runtime podman > "$d/hooks/seccompose.json"
check "the hooks.d JSON is JSON with the annotation" python3 -c "
import json, sys
h = json.load(open(sys.argv[1]))
assert h['version'] == '1.0.0' and 'prestart' in h['stages'] and 'poststop' in h['stages']
assert list(h['when']['annotations']) == ['^io\\\\.seccompose\\\\.record\$']" "$d/hooks/seccompose.json"
hooked() { # hooked ANNOTATION-ARGS... -- CMD
	podman --runtime runc --cgroup-manager=cgroupfs --hooks-dir "$d/hooks" run --rm \
		--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 "$@"
}
ct_run plain "" "$work" > "$d/plain.out" 2>&1
hooked --annotation io.seccompose.record="$d/hook.json" "$ct_image" /bin/sh -c "$work" > "$d/hooked.out" 2>&1
check "the annotated container runs as without the hook" cmp "$d/plain.out" "$d/hooked.out"
check "the hook wrote the profile by the time podman returned" test -s "$d/hook.json"
hooked "$ct_image" /bin/sh -c "echo no-annotation" > /dev/null 2>&1
check "a container without the annotation leaves no recorder" sh -c "! ls /run/seccompose/hook-* 2>/dev/null | grep -q ."
ct_run again "$d/hook.json" "$work" > "$d/again.out" 2>&1
rc=$?
check "under the hook's profile the workload exits 0 (exit $rc)" test "$rc" -eq 0
check "and prints the same" cmp "$d/plain.out" "$d/again.out"
ct_run mkdir "$d/hook.json" "$work; mkdir /tmp/new && echo mkdir-ok || echo mkdir-denied" > "$d/mkdir.out" 2>&1
check "mkdir, never recorded, is denied" grep -q '^mkdir-denied$' "$d/mkdir.out"
echo '{"ociVersion":"1.0.2","id":"x","status":"created","pid":1}' > "$d/state.json"
expect_status 0 "$sc" oci-hook < "$d/state.json"
finish
