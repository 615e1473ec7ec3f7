# Real containers for the tests of tests/containers/ (POSIX sh, sourced after tests/cli/lib.sh).
#
#   ct_setup RUNTIME     runc | crun | podman-runc | podman-crun | ctr: checks that it can run
#                        here (else exit 77 with the reason), makes a busybox rootfs, starts a
#                        private containerd (ctr) or imports the rootfs as an image (podman)
#   ct_run NAME PROFILE CMD   runs `sh -c CMD` in a new container NAME (PROFILE: an OCI seccomp
#                        profile, or "" for none), prints its output, returns its exit status;
#                        with ct_hook=PATH recorded into PATH by seccompose's OCI hook
#   ct_start NAME CMD, ct_pid NAME, ct_wait NAME   the same detached, its init pid, its end
#   ct_cleanup           stops what ct_setup started (the EXIT trap calls it)
#   ct_until_recording PID ERR   waits until a recorder says it is recording (or ended)
#   ct_prove PROFILE WORK WHAT   under PROFILE WORK exits 0 and prints plain.out again; mkdir denied
#
# Facts of this machine the helpers handle: a hybrid v1/v2 cgroup host without systemd (crun
# wants cgroup2 alone: a private mount namespace with cgroup2 on /sys/fs/cgroup and no cgroup
# manager), and a root without CAP_SYS_RESOURCE (podman's default rlimits are above the hard
# ones: lower ones are asked for; crun cannot load its eBPF device filter, see ct_start).
ct_skip() { echo "SKIP: $*"; exit 77; }

ct_setup() {
	ct_runtime=$1
	[ "$(id -u)" -eq 0 ] || ct_skip "needs root"
	[ -x /bin/busybox ] || ct_skip "busybox-static is not installed"
	ct_dir=$(mktemp -d)
	trap 'ct_cleanup' EXIT
	mkdir -p "$ct_dir/b/rootfs/bin" "$ct_dir/b/rootfs/proc" "$ct_dir/b/rootfs/dev" \
		"$ct_dir/b/rootfs/sys" "$ct_dir/b/rootfs/tmp" "$ct_dir/b/rootfs/etc" "$ct_dir/b/rootfs/www" "$ct_dir/b/rootfs/go"
	cp /bin/busybox "$ct_dir/b/rootfs/bin/"
	for c in sh echo uname cat ls mkdir sleep true hostname httpd wget kill; do
		ln -s busybox "$ct_dir/b/rootfs/bin/$c"
	done
	echo "from the rootfs" > "$ct_dir/b/rootfs/etc/motd"
	echo "<p>served</p>" > "$ct_dir/b/rootfs/www/index.html"
	case $ct_runtime in
	runc | crun)
		command -v "$ct_runtime" >/dev/null || ct_skip "$ct_runtime is not installed"
		(cd "$ct_dir/b" && "$ct_runtime" spec) >/dev/null 2>&1 || ct_skip "$ct_runtime spec failed" ;;
	podman-runc | podman-crun)
		command -v podman >/dev/null || ct_skip "podman is not installed"
		command -v "${ct_runtime#podman-}" >/dev/null || ct_skip "${ct_runtime#podman-} is not installed"
		# What podman does on its first run, done here so that it is done outside the
		# private namespace podman+crun runs in (ct_podman_crun).
		if [ "$ct_runtime" = podman-crun ] && ! grep -q ' /run/netns .* shared:' /proc/self/mountinfo; then
			mkdir -p /run/netns && mount --bind /run/netns /run/netns && mount --make-shared /run/netns ||
				ct_skip "cannot make /run/netns a shared mount for podman+crun"
		fi
		ct_image=localhost/sc-test-$$
		tar -C "$ct_dir/b/rootfs" -c . | podman import - "$ct_image" >/dev/null 2>&1 ||
			ct_skip "podman cannot import an image here" ;;
	ctr)
		command -v containerd >/dev/null && command -v ctr >/dev/null || ct_skip "containerd is not installed"
		ctr oci spec > "$ct_dir/b/config.json" 2>/dev/null || ct_skip "ctr oci spec failed"
		cat > "$ct_dir/ctrd.toml" <<EOF
version = 2
root = "$ct_dir/ctrd-root"
state = "$ct_dir/ctrd-state"
[grpc]
  address = "$ct_dir/ctrd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  disable = true
EOF
		containerd --config "$ct_dir/ctrd.toml" > "$ct_dir/ctrd.log" 2>&1 &
		ct_ctrd_pid=$!
		for _ in $(seq 100); do
			ctr --address "$ct_dir/ctrd.sock" version >/dev/null 2>&1 && break
			sleep 0.1
		done
		ctr --address "$ct_dir/ctrd.sock" version >/dev/null 2>&1 || ct_skip "containerd did not start" ;;
	*) echo "ct_setup: unknown runtime $ct_runtime"; exit 1 ;;
	esac
	# A control run: a runtime that cannot run a container here is a skip, not a failure.
	ct_run control "" "echo control" > "$ct_dir/control" 2>&1
	grep -q '^control$' "$ct_dir/control" ||
		ct_skip "$ct_runtime runs no container here: $(head -c 300 "$ct_dir/control")"
}

ct_cleanup() {
	if [ -n "${ct_ctrd_pid:-}" ]; then
		kill "$ct_ctrd_pid" 2>/dev/null
		wait "$ct_ctrd_pid" 2>/dev/null
	fi
	[ -n "${ct_image:-}" ] && podman rmi -f "$ct_image" >/dev/null 2>&1
	[ -n "${ct_dir:-}" ] && rm -rf "$ct_dir"
}

# The bundle's config.json for runc and crun (and ctr's with ct_hook: `ctr oci spec`'s, its
# root absolute, its cgroup /default/NAME as ctr makes it): the spec's defaults, a writable
# root, no rlimits (raising RLIMIT_NOFILE is refused here), for runc and crun no_new_privileges
# off (as podman and docker run containers: the runtime installs the filter before dropping
# privileges, the case the baseline is for), @2 as `sh -c`, @1 the profile; @3 = 1: no device
# rules (ct_start, below). With ct_hook=PATH, the config.json form of docs/oci-hook.md:
# annotated io.seccompose.record=PATH, `seccompose oci-hook --runtime R` at ct_hook_stage
# (prestart unless told) and poststop.
ct_bundle() { # ct_bundle PROFILE CMD [NO-DEVICE-RULES [NAME]]
	python3 - "$ct_dir/b" "$1" "$2" "${3:-0}" "${4:-}" "$ct_runtime" "${ct_hook:-}" \
		"${ct_hook_stage:-prestart}" "$SECCOMPOSE" "$(ct_baseline_name)" <<'PY'
import json, sys
bundle, profile, cmd, no_devices, name, runtime, hook, stage, sc, baseline = sys.argv[1:11]
path = bundle + "/config.json"
c = json.load(open(path))
c["process"]["args"] = ["/bin/sh", "-c", cmd]
c["process"]["terminal"] = False
if runtime != "ctr":
    c["process"]["noNewPrivileges"] = False
c["process"].pop("rlimits", None)
c["root"]["readonly"] = False
c["linux"].pop("seccomp", None)
if profile:
    c["linux"]["seccomp"] = json.load(open(profile))
if no_devices == "1":
    c["linux"].get("resources", {}).pop("devices", None)
if runtime == "ctr":
    c["root"]["path"] = bundle + "/rootfs"
    c["linux"]["cgroupsPath"] = "/default/" + name
c.pop("hooks", None)
c.get("annotations", {}).pop("io.seccompose.record", None)
if hook:
    run = {"path": sc, "args": ["seccompose", "oci-hook", "--runtime", baseline]}
    c["hooks"] = {stage: [run], "poststop": [run]}
    c.setdefault("annotations", {})["io.seccompose.record"] = hook
json.dump(c, open(path, "w"))
PY
}

# ct_run NAME PROFILE CMD; with ct_hook=PATH the container is recorded by seccompose's OCI
# hook into PATH: runc, crun and ctr (`ctr run --config`) through config.json (ct_bundle),
# podman through --hooks-dir $ct_dir/hooks (the test puts `oci-hook --hooks-json` there).
ct_run() { # ct_run NAME PROFILE CMD
	ct_n=$((${ct_n:-0} + 1))
	ct_name=sc-$1-$$-$ct_n
	case $ct_runtime in
	runc)
		ct_bundle "$2" "$3"
		runc run -b "$ct_dir/b" "$ct_name" ;;
	crun)
		ct_bundle "$2" "$3"
		ct_crun --cgroup-manager=disabled run -b "$ct_dir/b" "$ct_name" ;;
	podman-runc)
		podman --runtime runc --cgroup-manager=cgroupfs ${ct_hook:+--hooks-dir "$ct_dir/hooks"} \
			run --rm --name "$ct_name" ${ct_hook:+--annotation io.seccompose.record="$ct_hook"} \
			--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
			${2:+--security-opt seccomp="$2"} "$ct_image" /bin/sh -c "$3" ;;
	podman-crun)
		ct_podman_crun --cgroup-manager=cgroupfs ${ct_hook:+--hooks-dir "$ct_dir/hooks"} \
			run --rm --cgroups=disabled --name "$ct_name" ${ct_hook:+--annotation io.seccompose.record="$ct_hook"} \
			--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
			${2:+--security-opt seccomp="$2"} "$ct_image" /bin/sh -c "$3" ;;
	ctr)
		if [ -n "${ct_hook:-}" ]; then
			ct_bundle "$2" "$3" 0 "$ct_name"
			ctr --address "$ct_dir/ctrd.sock" run --rm --config "$ct_dir/b/config.json" "$ct_name"
		else
			ctr --address "$ct_dir/ctrd.sock" run --rm --rootfs ${2:+--seccomp --seccomp-profile "$2"} \
				"$ct_dir/b/rootfs" "$ct_name" /bin/sh -c "$3"
		fi ;;
	esac
}

# Which --runtime a test's runtime is: podman's own, and containerd's for ctr.
ct_baseline_name() {
	case $ct_runtime in
	podman-*) echo podman ;;
	ctr) echo containerd ;;
	*) echo "$ct_runtime" ;;
	esac
}

# ct_start NAME CMD: like ct_run, detached (/go is the rootfs's go/ for every runtime: a test
# tells the container to go on by making a file there; output into $ct_dir/NAME.out, or
# podman's log); ct_wait NAME waits for it to end and removes it (podman, ctr: their own wait;
# runc, crun: their state). ct_pid NAME: its init process, as the host sees it.
#
# With ct_own_cgroup=1, crun's container gets a cgroup v2 of its own: crun's cgroupfs manager
# in the private namespace's cgroup2 (the host's /sys/fs/cgroup/unified) and no
# linux.resources.devices, since on cgroup v2 the device rules are an eBPF program crun loads
# only after raising RLIMIT_MEMLOCK ("setrlimit (RLIM_MEMLOCK): Operation not permitted" for
# a root without CAP_SYS_RESOURCE). Without it crun runs as ct_run does, cgroup manager off,
# in pid 1's cgroup v2. podman+crun has no such way: podman always asks for device rules.
ct_crun() { # ct_crun CRUN-ARGS...: crun with cgroup2 alone on /sys/fs/cgroup
	unshare -m sh -c 'mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; exec crun "$@"' sh "$@"
}
# podman+crun in such a namespace; /run/netns keeps its shared propagation (podman's
# own bind mount), so the network namespace a container gets is seen by podman outside.
ct_podman_crun() { # ct_podman_crun PODMAN-ARGS-AFTER-THE-RUNTIME...
	unshare -m --propagation unchanged sh -c 'mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; exec "$@"' \
		sh podman --runtime crun "$@"
}
ct_start() {
	case $ct_runtime in
	runc)
		ct_bundle "" "$2"
		runc run -d -b "$ct_dir/b" "$1" > "$ct_dir/$1.out" 2>&1 < /dev/null ;;
	crun)
		ct_bundle "" "$2" "${ct_own_cgroup:-0}"
		if [ "${ct_own_cgroup:-0}" = 1 ]; then
			ct_crun --cgroup-manager=cgroupfs run -d -b "$ct_dir/b" "$1" > "$ct_dir/$1.out" 2>&1 < /dev/null
		else
			ct_crun --cgroup-manager=disabled run -d -b "$ct_dir/b" "$1" > "$ct_dir/$1.out" 2>&1 < /dev/null
		fi ;;
	podman-runc)
		podman --runtime runc --cgroup-manager=cgroupfs run -d --name "$1" -v "$ct_dir/b/rootfs/go:/go" \
			--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 "$ct_image" /bin/sh -c "$2" > /dev/null ;;
	podman-crun)
		ct_podman_crun --cgroup-manager=cgroupfs run -d --cgroups=disabled --name "$1" \
			-v "$ct_dir/b/rootfs/go:/go" --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
			"$ct_image" /bin/sh -c "$2" > /dev/null ;;
	ctr)
		ctr --address "$ct_dir/ctrd.sock" run -d --rootfs "$ct_dir/b/rootfs" "$1" /bin/sh -c "$2" > /dev/null ;;
	*) return 1 ;;
	esac
}
ct_pid() {
	case $ct_runtime in
	runc | crun)
		"$ct_runtime" state "$1" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["pid"])' ;;
	podman-*)
		podman inspect --format '{{.State.Pid}}' "$1" 2>/dev/null ;;
	ctr)
		ctr --address "$ct_dir/ctrd.sock" task ls 2>/dev/null | awk -v n="$1" '$1 == n { print $2 }' ;;
	esac
}
# Why the runtime's container has no cgroup v2 of its own here (test-record-container.sh's
# cgroup mode skips with it): podman+crun's asked for once with cgroups, its error quoted.
ct_no_cgroup_reason() {
	case $ct_runtime in
	podman-crun)
		if why=$(ct_podman_crun --cgroup-manager=cgroupfs run --rm --ulimit nofile=1024:1024 \
			--ulimit nproc=4096:4096 "$ct_image" /bin/true 2>&1); then
			echo "podman+crun with cgroups runs here, but lib.sh runs it with --cgroups=disabled"
		else
			echo "crun runs here only with podman's --cgroups=disabled; with cgroups podman asks for" \
				"device rules, an eBPF program crun loads after raising RLIMIT_MEMLOCK, which a root" \
				"without CAP_SYS_RESOURCE cannot (podman with cgroups: $(echo "$why" | tail -1))"
		fi ;;
	*) echo "$ct_runtime made none" ;;
	esac
}
ct_wait() {
	case $ct_runtime in
	runc | crun)
		while "$ct_runtime" state "$1" 2>/dev/null | grep -q '"status": "running"'; do sleep 0.2; done
		if [ "$ct_runtime" = crun ]; then
			ct_crun delete -f "$1" >/dev/null 2>&1
		else
			runc delete -f "$1" >/dev/null 2>&1
		fi ;;
	podman-*)
		podman wait "$1" >/dev/null 2>&1
		podman logs "$1" > "$ct_dir/$1.out" 2>&1
		podman rm -f "$1" >/dev/null 2>&1 ;;
	ctr)
		while ctr --address "$ct_dir/ctrd.sock" task ls 2>/dev/null | grep -q "^$1 .*RUNNING"; do sleep 0.2; done
		ctr --address "$ct_dir/ctrd.sock" task rm -f "$1" >/dev/null 2>&1
		ctr --address "$ct_dir/ctrd.sock" container rm "$1" >/dev/null 2>&1 ;;
	esac
}

# ct_until_recording PID ERR: wait (up to 15 s) until the recorder PID says on ERR that it is
# recording, or has ended.
ct_until_recording() {
	for _ in $(seq 150); do
		grep -q "^seccompose: recording" "$2" && return 0
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
}

# ct_prove PROFILE WORK WHAT: the proof every recording test ends with — under PROFILE (WHAT,
# for the messages) the workload WORK exits 0 and prints $ct_dir/plain.out again, and mkdir,
# never recorded, is denied.
ct_prove() {
	ct_run again "$1" "$2" > "$ct_dir/again.out" 2>&1
	rc=$?
	sed 's/^/# under the profile: /' "$ct_dir/again.out" | head -8
	check "under $3 the workload exits 0 (exit $rc)" test "$rc" -eq 0
	check "and prints what it prints without one" cmp "$ct_dir/plain.out" "$ct_dir/again.out"
	ct_run mkdir "$1" "$2; mkdir /tmp/new && echo mkdir-ok || echo mkdir-denied" > "$ct_dir/mkdir.out" 2>&1
	check "mkdir, never recorded, is denied" grep -q '^mkdir-denied$' "$ct_dir/mkdir.out"
}
