#!/bin/sh
# `make demo`: the main job on a built-in default. Until the policy compiler lands it shows the
# catalog at work: the facts every policy is resolved against.
set -eu
sc="${1:-build}/cli/seccompose"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "seccompose $*"; "$sc" "$@" || true; }

run syscalls --arches
run syscalls openat
run syscalls --arch x32 --arch x86 --arch aarch64 --arch mips ioctl
run syscalls -q listns
run syscalls opneat
run constants TCGETS
run constants 'O_*'
