#!/bin/sh
# Runtime baselines for real (usage: test-runtime-baseline.sh runc|crun|podman-runc|podman-crun|ctr).
# A busybox workload recorded with `seccompose record` alone (ptrace, in a chroot of the
# container's rootfs) is run in a container under the profile: the runtime's own calls after
# the filter are missing (runc: "error closing exec fds … operation not permitted"). Recorded
# with --runtime R, or compiled with --runtime R, the container starts, prints what it prints
# without a profile and exits 0; a call the recording never saw (mkdir) is denied in it.
# Skips (77) when the runtime cannot run a container here.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
ct_setup "$1"
rt=$(ct_baseline_name)
d=$ct_dir
work='echo start; uname -s; cat /etc/motd; ls /www; echo end'

ct_run plain "" "$work" > "$d/plain.out" 2>&1
check "$ct_runtime runs the workload without a profile" grep -q '^end$' "$d/plain.out"
check "record the workload alone" "$sc" record -o "$d/alone.json" -- chroot "$d/b/rootfs" /bin/sh -c "$work"
check "record it with --runtime $rt" "$sc" record --runtime "$rt" -o "$d/rt.json" -- chroot "$d/b/rootfs" /bin/sh -c "$work"
check "compile the lone recording with --runtime $rt" "$sc" compile --runtime "$rt" "$d/alone.json" --format oci -o "$d/compiled.json"
# lint reads the same measured baselines: it finds the missing calls.
expect_status 1 "$sc" lint --runtime "$rt" "$d/alone.json"

ct_run alone "$d/alone.json" "$work" > "$d/alone.out" 2>&1
rc=$?
sed 's/^/# alone: /' "$d/alone.out" | head -5
check "the recording alone does not run the workload under $ct_runtime (exit $rc)" \
	sh -c "[ $rc -ne 0 ] && ! cmp -s '$d/plain.out' '$d/alone.out'"
if [ "$ct_runtime" = runc ]; then
	check "runc says it could not close the exec fds" grep -q "error closing exec fds.*operation not permitted" "$d/alone.out"
fi
for p in rt compiled; do
	ct_run "$p" "$d/$p.json" "$work" > "$d/$p.out" 2>&1
	rc=$?
	check "with the $rt baseline ($p) the container exits 0 (exit $rc)" test "$rc" -eq 0
	check "with the $rt baseline ($p) its output is the same" cmp "$d/plain.out" "$d/$p.out"
done
ct_run mkdir "" "mkdir /tmp/new && echo mkdir-ok" > "$d/mkdir-plain.out" 2>&1
check "mkdir works without a profile" grep -q '^mkdir-ok$' "$d/mkdir-plain.out"
ct_run mkdir "$d/rt.json" "$work; mkdir /tmp/new && echo mkdir-ok || echo mkdir-denied" > "$d/mkdir.out" 2>&1
check "mkdir, never recorded, is denied under the profile" grep -q '^mkdir-denied$' "$d/mkdir.out"
finish
