#!/bin/sh
# A daemon recorded while it serves (usage: test-daemon.sh runc|podman-runc): Python's
# http.server in a container that shares the host's network namespace, serving /www on
# 127.0.0.1:PORT. `record --container NAME --runtime R` records it from its first execve while
# the test makes loopback
# requests (GETs of a few files and of the directory, a 404, a HEAD), and is stopped by SIGINT
# while the server still runs. The server then starts again under the exported profile and
# answers the same requests with the same status codes and bodies; mkdir, which the server
# never made, is denied to a second process in that container (`runc exec`, `podman exec`),
# which the profile covers as it covers the container's own. Skips (77) without the runtime or
# the eBPF recorder.
#
# The rootfs is a minimal one made here, not the busybox bundle: the host's /usr bind-mounted
# read-only (Debian's /usr/bin/python3 and its libraries; the host is merged-/usr, so /bin, /lib,
# /lib64 are the same symlinks into it), empty /proc /dev /sys /tmp, and /www to serve. runc
# runs it as a bundle (config.json from `runc spec`), podman as --rootfs.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
. "$SC_SOURCE_ROOT/tests/containers/lib.sh"
sc=$SECCOMPOSE
case ${1:-} in runc | podman-runc) ;; *) echo "usage: test-daemon.sh runc|podman-runc"; exit 1 ;; esac
"$sc" record --ebpf -o /dev/stdout -- true >/dev/null 2>&1 || { echo "SKIP: the eBPF recorder cannot run here"; exit 77; }
[ -x /usr/bin/python3 ] || ct_skip "no /usr/bin/python3 to serve with"
# Python for the helpers' JSON without a version manager's shims (a shell script per call).
[ -x /usr/bin/python3 ] && python3() { /usr/bin/python3 "$@"; }
ct_setup "$1"
d=$ct_dir

# The rootfs and the bundle (config.json from `runc spec`, made by daemon_bundle PROFILE CMD).
r=$d/py/rootfs
mkdir -p "$r/usr" "$r/proc" "$r/dev" "$r/sys" "$r/tmp" "$r/etc" "$r/www/sub" "$r/go"
for l in bin sbin lib lib64; do
	if [ -L "/$l" ]; then
		ln -s "$(readlink "/$l")" "$r/$l"
	elif [ -d "/$l" ]; then
		mkdir -p "$r/$l"
	fi
done
printf '<p>served</p>\n' > "$r/www/index.html"
printf 'plain text\n' > "$r/www/a.txt"
head -c 70000 /bin/busybox > "$r/www/sub/blob.bin"
[ "$ct_runtime" = runc ] && { (cd "$d/py" && runc spec) || ct_skip "runc spec failed"; }
daemon_bundle() { # daemon_bundle PROFILE CMD
	python3 - "$d/py/config.json" "$1" "$2" <<'PY'
import json, os, sys
path, profile, cmd = sys.argv[1:4]
c = json.load(open(path))
p = c["process"]
p["args"] = ["/bin/sh", "-c", cmd]
p["terminal"] = False
p["noNewPrivileges"] = False
p.pop("rlimits", None)
c["root"]["readonly"] = False
# The host's network namespace: the test's requests reach 127.0.0.1 there.
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
mounts = [m for m in c["mounts"] if m["destination"] not in ("/usr", "/bin", "/lib", "/lib64", "/sbin")]
mounts.append({"destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind", "ro"]})
for top in ("bin", "sbin", "lib", "lib64"):  # a host that is not merged-/usr
    if os.path.isdir("/" + top) and not os.path.islink("/" + top):
        mounts.append({"destination": "/" + top, "type": "bind", "source": "/" + top, "options": ["rbind", "ro"]})
c["mounts"] = mounts
c["linux"].pop("seccomp", None)
if profile:
    c["linux"]["seccomp"] = json.load(open(profile))
json.dump(c, open(path, "w"))
PY
}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve="exec /usr/bin/python3 -m http.server --bind 127.0.0.1 --directory /www $port"
# The requests: status and body of each (HEAD: no body), one line per request then the body.
cat > "$d/client.py" <<'PY'
import http.client, sys
port, out = int(sys.argv[1]), open(sys.argv[2], "wb")
for method, path in [("GET", "/index.html"), ("GET", "/a.txt"), ("GET", "/sub/blob.bin"),
                     ("GET", "/"), ("GET", "/sub/"), ("GET", "/no-such-file"), ("HEAD", "/a.txt"),
                     ("GET", "/a.txt")]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path)
    resp = conn.getresponse()
    body = resp.read()
    out.write(b"%s %s %d %d\n" % (method.encode(), path.encode(), resp.status, len(body)))
    out.write(body + b"\n")
    conn.close()
PY
# The runtime's side: start NAME (detached, PROFILE or "" for none, CMD as `sh -c`), is it
# running, a second process in it, stop and remove it.
podman_rc() { podman --runtime runc --cgroup-manager=cgroupfs "$@"; }
d_start() { # d_start NAME PROFILE CMD
	case $ct_runtime in
	runc)
		daemon_bundle "$2" "$3"
		runc run -d -b "$d/py" "$1" > "$d/$1.out" 2>&1 < /dev/null ;;
	podman-runc)
		# --rootfs is a flag: the rootfs stands where the image would.
		podman_rc run -d --name "$1" --network host -v /usr:/usr:ro \
			--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
			${2:+--security-opt seccomp="$2"} --rootfs "$r" /bin/sh -c "$3" > "$d/$1.out" 2>&1 ;;
	esac
}
d_running() {
	case $ct_runtime in
	runc) runc state "$1" 2>/dev/null | grep -q '"status": "running"' ;;
	podman-runc) [ "$(podman_rc inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ] ;;
	esac
}
d_exec() { # d_exec NAME CMD
	case $ct_runtime in
	runc) runc exec "$1" /bin/sh -c "$2" ;;
	podman-runc) podman_rc exec "$1" /bin/sh -c "$2" ;;
	esac
}
d_stop() {
	case $ct_runtime in
	runc)
		runc kill "$1" KILL >/dev/null 2>&1
		for _ in $(seq 50); do d_running "$1" || break; sleep 0.1; done
		runc delete -f "$1" >/dev/null 2>&1 ;;
	podman-runc) podman_rc rm -f -t 0 "$1" >/dev/null 2>&1 ;;
	esac
}
# A server left by a failing check would hold its port: stopped on the way out.
name=sc-daemon-$$
name2=sc-daemon2-$$
trap 'd_stop "$name"; d_stop "$name2"; ct_cleanup' EXIT
serving() { # serving NAME: the server answers (while its container runs)
	for _ in $(seq 300); do
		python3 -c 'import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=2)
c.request("HEAD", "/index.html"); sys.exit(c.getresponse().status != 200)' "$port" 2>/dev/null && return 0
		d_running "$1" || return 1
		sleep 0.1
	done
	return 1
}

# 1. Recorded while serving: the container waits (builtins only) until the recorder is on it,
# then starts the server in a shell of its own, so its start-up is recorded too.
d_start "$name" "" "while [ ! -e /go/go ]; do :; done; sh -c '$serve'" ||
	{ sed 's/^/# /' "$d/$name.out"; ct_skip "$ct_runtime cannot start the server's container here"; }
"$sc" record --container "$name" --runtime "$(ct_baseline_name)" -o "$d/daemon.json" 2> "$d/rec.err" &
rec_pid=$!
ct_until_recording "$rec_pid" "$d/rec.err"
touch "$r/go/go"
check "the server answers while recorded" serving "$name"
python3 "$d/client.py" "$port" "$d/first.out"
check "the requests were answered" test -s "$d/first.out"
grep -a '^\(GET\|HEAD\) /' "$d/first.out" | sed 's/^/# recorded: /'
kill -INT "$rec_pid"
wait "$rec_pid"
rec_rc=$?
sed 's/^/# /' "$d/rec.err"
check "record stops on SIGINT (exit $rec_rc)" test "$rec_rc" -eq 0
check "while the server still runs" d_running "$name"
# Without a profile a second process may mkdir (after the recording: not a call it saw).
d_exec "$name" 'mkdir /tmp/control && echo mkdir-ok' > "$d/control.out" 2>&1
check "without the profile, mkdir works in the container" grep -q '^mkdir-ok$' "$d/control.out"
check "and writes the profile" test -s "$d/daemon.json"
check "which is an OCI profile denying what was not seen" \
	python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); sys.exit(p["defaultAction"] == "SCMP_ACT_ALLOW")' "$d/daemon.json"
d_stop "$name"

# 2. The same server under the exported profile: the same answers.
d_start "$name2" "$d/daemon.json" "$serve"
sed 's/^/# start: /' "$d/$name2.out" | grep -v '^# start: [0-9a-f]\{64\}$' | head -5
check "the server starts under its profile" serving "$name2"
python3 "$d/client.py" "$port" "$d/again.out"
check "and answers the same requests with the same status codes and bodies" cmp "$d/first.out" "$d/again.out"
# 3. A call it never made, by a second process of the container (its filter is the profile).
d_exec "$name2" 'echo exec-ok' > "$d/exec.out" 2>&1
sed 's/^/# exec: /' "$d/exec.out" | head -3
check "a second process runs in the container under the profile" grep -q '^exec-ok$' "$d/exec.out"
d_exec "$name2" 'mkdir /tmp/new && echo mkdir-ok || echo mkdir-denied' > "$d/mkdir.out" 2>&1
sed 's/^/# exec mkdir: /' "$d/mkdir.out" | head -3
check "mkdir, never recorded, is denied" grep -q '^mkdir-denied$' "$d/mkdir.out"
check "and made nothing" test ! -e "$r/tmp/new"
check "the server still serves after the denial" serving "$name2"
d_stop "$name2"
finish
