#!/bin/sh
# seccompose oci-hook for real (usage: test-oci-hook.sh runc|crun|podman-runc|podman-crun|ctr
# [prestart|createRuntime]). A container annotated io.seccompose.record=PATH is recorded from
# its entrypoint on and PATH is there when the runtime returns:
#   podman+runc, podman+crun  the hooks.d JSON from `oci-hook --hooks-json` in a --hooks-dir
#   runc, crun                the config.json form of docs/oci-hook.md (hooks and annotation in
#                             the bundle's config.json), at the stage given (prestart unless told)
#   ctr                       the same config.json, given to `ctr run --config`
# The workload under that profile prints the same and exits 0, mkdir (never recorded) is denied;
# a container without the annotation leaves nothing. Skips (77) without the runtime or the eBPF
# recorder.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
"$sc" record --ebpf -o /dev/stdout -- true >/dev/null 2>&1 || { echo "SKIP: the eBPF recorder cannot run here"; exit 77; }
ct_setup "$1"
ct_hook_stage=${2:-prestart}
d=$ct_dir
rt=$(ct_baseline_name)
work='echo start; uname -s; cat /etc/motd; ls /www; echo end'
case $ct_runtime in
podman-*)
	mkdir "$d/hooks"
	"$sc" oci-hook --hooks-json --runtime "$rt" > "$d/hooks/seccompose.json"
	check "the hooks.d JSON is JSON with the annotation" python3 -c "
import json, sys
h = json.load(open(sys.argv[1]))
assert h['version'] == '1.0.0' and 'prestart' in h['stages'] and 'poststop' in h['stages']
assert list(h['when']['annotations']) == ['^io\\\\.seccompose\\\\.record\$']" "$d/hooks/seccompose.json"
	how="podman --hooks-dir" ;;
ctr) how="ctr run --config, config.json's $ct_hook_stage and poststop hooks" ;;
*) how="config.json's $ct_hook_stage and poststop hooks" ;;
esac
ct_run plain "" "$work" > "$d/plain.out" 2>&1
ct_hook=$d/hook.json
ct_run hooked "" "$work" > "$d/hooked.out" 2>&1
rc=$?
ct_hook=
sed 's/^/# hooked: /' "$d/hooked.out" | head -8
check "the annotated container ($how) runs as without the hook (exit $rc)" cmp "$d/plain.out" "$d/hooked.out"
check "the hook wrote the profile by the time $ct_runtime returned" test -s "$d/hook.json"
ls /run/seccompose/ > "$d/hooks-before" 2>/dev/null
ct_run bare "" "echo no-annotation" > /dev/null 2>&1
ls /run/seccompose/ > "$d/hooks-after" 2>/dev/null
check "a container without the annotation starts no recorder" cmp "$d/hooks-before" "$d/hooks-after"
ct_prove "$d/hook.json" "$work" "the hook's profile"
echo '{"ociVersion":"1.0.2","id":"x","status":"created","pid":1}' > "$d/state.json"
expect_status 0 "$sc" oci-hook < "$d/state.json"
finish
