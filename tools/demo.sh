#!/bin/sh
# `make demo`: the main job on the built-in default. A policy written with groups is
# explained, compiled, and enforced on real programs; a forbidden action is denied.
set -u
build=${1:-build}
sc="$build/cli/seccompose"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
run() { printf '\033[36m$ seccompose %s\033[0m\n' "$*"; "$sc" "$@"; echo "(exit $?)"; }

py=/usr/bin/python3
say "Record what a program does: every thread and child followed, a ptrace stop only for what is new"
prog="import os, socket; print(open('/etc/hostname').read().strip(), len(os.listdir('/etc')))"
run record --abstract -o "$tmp/py.toml" -- "$py" -B -c "$prog"
say "The least-privilege policy it wrote (arguments that decide kept, with constant names)"
sed -n '1,/^\[\[syscalls\]\]/p' "$tmp/py.toml"
echo "  … $(grep -c '^  "' "$tmp/py.toml") syscalls allowed by name …"
grep -B2 '^conditions' "$tmp/py.toml" | grep -v '^--$' | grep -v '^action' | head -14
say "The same program under the recorded policy: it behaves as before"
run run -p "$tmp/py.toml" -- "$py" -B -c "$prog"
say "What the recording never saw is denied: a socket, a file opened for writing"
last() { printf '\033[36m$ seccompose %s\033[0m\n' "$*"; "$sc" "$@" 2>&1 | tail -n 1; }
last run -p "$tmp/py.toml" -- "$py" -B -c "import socket; socket.socket()"
last run -p "$tmp/py.toml" -- "$py" -B -c "open('$tmp/new', 'w')"

say "The built-in default policy: a container-like baseline written with groups"
"$sc" groups | grep -E '^(default_safe|stdio_app|open_read|socket_inet) '
say "What it ends up doing with a few syscalls (explain shows every rule and its origin)"
printf '\033[36m$ seccompose explain data/policies/default.toml | grep -A4 -E "^(openat|ioctl|clone) "\033[0m\n'
"$sc" explain data/policies/default.toml 2>/dev/null | grep -A4 -E '^(openat|ioctl|clone) \(' | head -24

say "A program runs under it as usual"
run run -- ls -l /etc/hostname

say "A forbidden action is denied: namespaces are not in the baseline"
run run -- unshare --user --map-root-user true

say "Ask without running anything: the filter runs in seccompose's BPF interpreter"
run check data/policies/default.toml ioctl 0 TCGETS
run check data/policies/default.toml ioctl 0 TIOCSTI
run check --arch x32 data/policies/default.toml getpid

say "Export it for a runtime: OCI JSON for runc/crun/Kubernetes, raw BPF for bubblewrap"
run compile data/policies/default.toml --format oci -o "$tmp/profile.json"
printf '%s rules in the OCI profile\n' "$(grep -c '"action"' "$tmp/profile.json")"
run compile data/policies/default.toml --format bpf -o "$tmp/filter.bpf"
echo "$(($(wc -c <"$tmp/filter.bpf") / 8)) BPF instructions"

say "Typos are caught with a suggestion, not turned into holes"
printf 'default_action = "Errno"\n[[syscalls]]\nnames = ["opneat"]\naction = "Allow"\n' >"$tmp/typo.toml"
run compile "$tmp/typo.toml"
