#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Used by `make demo` and `make check` so that both work on a fresh Debian machine.
set -eu
missing=""
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "seccompose: error: missing Debian packages:$missing" >&2
	echo "hint: run 'sudo apt-get install$missing' (or run make as root)" >&2
	exit 1
fi
echo "seccompose: installing missing packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
