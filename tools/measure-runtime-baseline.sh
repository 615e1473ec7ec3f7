#!/bin/sh
# Measure what a container runtime calls after installing the container's seccomp filter and
# before the entrypoint runs — the calls a profile recorded from the workload alone lacks, so
# the container does not start (runc: "error closing exec fds: … operation not permitted").
#
#   tools/measure-runtime-baseline.sh runc|crun|podman-runc|podman-crun|containerd-runc|docker-runc [RUNS]
#
# prints data/runtime-baselines/<name>.txt on standard output. Needs root, strace, busybox-static
# and the runtime. Method: the runtime runs a busybox container (entrypoint /bin/echo) whose
# profile allows everything but acct(2) (so a filter is installed), under `strace -f`, RUNS
# times (default 5) with no_new_privileges false and RUNS times with it true (where the runtime
# takes it from the config: with it false runc installs the filter before dropping
# privileges, which adds capset, setgroups, setuid …); tools/baseline-from-strace.py keeps every
# call a task under the filter starts up to the entrypoint's execve. The union of all runs is
# the baseline: a call made in one run only (Go's scheduler) is made some day in production too.
set -u
name=${1:?usage: measure-runtime-baseline.sh runc|crun|podman-runc|podman-crun|containerd-runc|docker-runc [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "measure-runtime-baseline: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root"
command -v strace >/dev/null || die "needs strace"
[ -x /bin/busybox ] || die "needs busybox-static"

dir=$(mktemp -d)
cleanup() {
	[ -n "${ctrd_pid:-}" ] && kill "$ctrd_pid" 2>/dev/null && wait "$ctrd_pid" 2>/dev/null
	[ -n "${dockerd_pid:-}" ] && kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null
	[ -n "${podman_image:-}" ] && podman rmi -f "$podman_image" >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir/b/rootfs/bin" "$dir/b/rootfs/proc" "$dir/b/rootfs/dev" "$dir/b/rootfs/sys" "$dir/b/rootfs/tmp" "$dir/traces"
cp /bin/busybox "$dir/b/rootfs/bin/"
for c in sh echo true; do ln -s busybox "$dir/b/rootfs/bin/$c"; done
cat > "$dir/seccomp.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [{"names": ["acct"], "action": "SCMP_ACT_ERRNO"}]}
EOF
# A runtime binary that is the real one under strace, one log per invocation (for podman, ctr).
wrapper() { # wrapper REAL
	# Named as the real one: podman decides what a runtime supports by its name.
	mkdir -p "$dir/wrap"
	cat > "$dir/wrap/$1" <<EOF
#!/bin/sh
# -D: strace runs beside, not above, the runtime, which exits when its caller expects
# (\`runc create\` leaves its init waiting for \`runc start\`).
exec strace -D -f -qq -s 0 -o "$dir/traces/\$\$.\$(date +%s%N)" $(command -v "$1") "\$@"
EOF
	chmod +x "$dir/wrap/$1"
	echo "$dir/wrap/$1"
}
# config.json for runc/crun run -b: the spec's defaults, echo as the entrypoint, our profile.
bundle_config() { # bundle_config RUNTIME NNP
	(cd "$dir/b" && rm -f config.json && "$1" spec) || die "$1 spec failed"
	python3 - "$dir" "$2" <<'PY'
import json, sys
d, nnp = sys.argv[1], sys.argv[2] == "true"
c = json.load(open(d + "/b/config.json"))
c["process"]["args"] = ["/bin/echo", "measured"]
c["process"]["terminal"] = False
c["process"]["noNewPrivileges"] = nnp
c["process"].pop("rlimits", None)
c["linux"]["seccomp"] = json.load(open(d + "/seccomp.json"))
json.dump(c, open(d + "/b/config.json", "w"))
PY
}
run_once() { # run_once N NNP: one traced run into $dir/traces, its output into $dir/out
	case $name in
	runc)
		strace -f -qq -s 0 -o "$dir/traces/$1" runc run -b "$dir/b" "scbase-$$-$1" > "$dir/out" 2>&1 ;;
	crun)
		# crun needs a cgroup2 mount of its own here (a hybrid v1/v2 host, no systemd).
		strace -f -qq -s 0 -o "$dir/traces/$1" unshare -m sh -c "mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; \
			crun --cgroup-manager=disabled run -b '$dir/b' scbase-$$-$1" > "$dir/out" 2>&1 ;;
	podman-*)
		nnp=; [ "$2" = true ] && nnp="--security-opt=no-new-privileges"
		# Limits below this host's hard ones (podman's defaults are above them and raising
		# needs CAP_SYS_RESOURCE, which this root lacks).
		set -- podman --runtime "$wrap" --cgroup-manager=cgroupfs run --rm --ulimit nofile=1024:1024 \
			--ulimit nproc=4096:4096 $nnp --security-opt "seccomp=$dir/seccomp.json"
		if [ "$name" = podman-crun ]; then
			# crun refuses a hybrid v1/v2 host: cgroup2 alone in a mount namespace of
			# its own, and no cgroup (crun would raise RLIMIT_MEMLOCK for its device filter).
			unshare -m sh -c 'mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' sh \
				"$@" --cgroups=disabled "$podman_image" /bin/echo measured > "$dir/out" 2>&1
		else
			"$@" "$podman_image" /bin/echo measured > "$dir/out" 2>&1
		fi ;;
	containerd-runc)
		ctr --address "$dir/ctrd.sock" run --rm --rootfs --runc-binary "$wrap" \
			--seccomp --seccomp-profile "$dir/seccomp.json" "$dir/b/rootfs" "scbase-$$-$1" /bin/echo measured > "$dir/out" 2>&1 ;;
	docker-runc)
		nnp=; [ "$2" = true ] && nnp="--security-opt=no-new-privileges"
		docker -H "unix://$dir/docker.sock" run --rm --network none --runtime sc-traced $nnp \
			--security-opt "seccomp=$dir/seccomp.json" scbase /bin/echo measured > "$dir/out" 2>&1 ;;
	esac
	# Detached tracers (wrapper) finish when the container's processes are gone.
	for _ in $(seq 100); do
		grep -qs "$dir/traces" /proc/[0-9]*/cmdline || break
		sleep 0.1
	done
	grep -q '^measured$' "$dir/out" || die "$name did not run the container: $(head -c 300 "$dir/out")"
}

nnp_values="false true"
case $name in
runc | crun)
	command -v "$name" >/dev/null || die "$name is not installed"
	version=$("$name" --version | head -1) ;;
podman-runc | podman-crun)
	real=${name#podman-}
	command -v podman >/dev/null || die "podman is not installed"
	wrap=$(wrapper "$real")
	podman_image=localhost/scbase-$$
	tar -C "$dir/b/rootfs" -c . | podman import - "$podman_image" >/dev/null || die "podman import failed"
	version="$(podman --version), $("$real" --version | head -1)" ;;
containerd-runc)
	command -v containerd >/dev/null && command -v ctr >/dev/null || die "containerd is not installed"
	wrap=$(wrapper runc)
	nnp_values=default # ctr takes no no_new_privileges option: its spec's default
	cat > "$dir/ctrd.toml" <<EOF
version = 2
root = "$dir/ctrd-root"
state = "$dir/ctrd-state"
[grpc]
  address = "$dir/ctrd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  disable = true
EOF
	containerd --config "$dir/ctrd.toml" > "$dir/ctrd.log" 2>&1 &
	ctrd_pid=$!
	for _ in $(seq 50); do ctr --address "$dir/ctrd.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
	version="$(containerd --version | cut -d' ' -f1,3), $(runc --version | head -1)" ;;
docker-runc)
	# A private dockerd: no network (no bridge, no iptables), vfs storage, its state and
	# socket in $dir, its own containerd; runc through the wrapper as runtime "sc-traced"
	# (containerd's runc v2 shim runs it as docker's default runc).
	command -v dockerd >/dev/null && command -v docker >/dev/null || die "docker (dockerd) is not installed"
	wrap=$(wrapper runc)
	dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
		--data-root "$dir/dockerd-root" --exec-root "$dir/dockerd-exec" --pidfile "$dir/dockerd.pid" \
		-H "unix://$dir/docker.sock" --add-runtime "sc-traced=$wrap" > "$dir/dockerd.log" 2>&1 &
	dockerd_pid=$!
	for _ in $(seq 100); do docker -H "unix://$dir/docker.sock" version >/dev/null 2>&1 && break; sleep 0.2; done
	tar -C "$dir/b/rootfs" -c . | docker -H "unix://$dir/docker.sock" import - scbase >/dev/null ||
		die "dockerd did not start or cannot import: $(tail -c 300 "$dir/dockerd.log")"
	version="$(dockerd --version | sed 's/,.*//'), $(runc --version | head -1)" ;;
*) die "unknown runtime '$name' (runc, crun, podman-runc, podman-crun, containerd-runc, docker-runc)" ;;
esac

for nnp in $nnp_values; do
	[ "$name" = runc ] || [ "$name" = crun ] && bundle_config "$name" "$nnp"
	for i in $(seq "$runs"); do
		run_once "$nnp-$i" "$nnp"
	done
done
calls=$(python3 "$here/baseline-from-strace.py" /bin/echo "$dir"/traces/*) || die "no measurement"
cat <<EOF
# The calls $name makes after installing a container's seccomp filter and before its
# entrypoint runs: a profile for a container under $name must allow them.
# runtime: $version
# measured: $(date -u +%Y-%m-%d) on $(uname -m), Linux $(uname -r)
# how: tools/measure-runtime-baseline.sh $name $runs — strace -f of the runtime running a
#   busybox container (profile: everything but acct allowed), $runs runs for each
#   no_new_privileges setting ($nnp_values), every call a task under the filter starts up to the
#   entrypoint's execve (tools/baseline-from-strace.py), the union of the runs.
EOF
echo "$calls"
