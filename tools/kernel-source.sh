#!/bin/sh
# Make the Linux 6.12 source that tools/gen-prototypes.py and tools/gen-arg-widths.py read
# available, and print its directory. Debian's linux-source-6.12 ships the tree as one tarball; only the few
# files with syscall prototypes and definitions are unpacked. Cached in $SC_KERNEL_CACHE.
set -eu
cache=${SC_KERNEL_CACHE:-/var/cache/seccompose}
dir="$cache/linux-source-6.12"
# include/linux/audit.h: the headers too (gen-arg-widths follows calls into static inlines);
# a cache from before they were unpacked is completed.
if [ -f "$dir/include/linux/syscalls.h" ] && [ -f "$dir/include/linux/audit.h" ]; then
	echo "$dir"
	exit 0
fi
mkdir -p "$cache"
cd "$cache"
if ! ls linux-source-6.12_*.deb >/dev/null 2>&1; then
	apt-get download linux-source-6.12 >/dev/null 2>&1 || {
		echo "seccompose: error: cannot download the Debian package linux-source-6.12" >&2
		exit 1
	}
fi
rm -rf x && mkdir x
dpkg-deb -x linux-source-6.12_*.deb x
# The C files whose SYSCALL_DEFINEs name every parameter, and the headers (prototypes, and
# the static inline functions syscalls call).
tar -xJf x/usr/src/linux-source-6.12.tar.xz --wildcards --skip-old-files \
	--exclude='linux-source-6.12/drivers/*' --exclude='linux-source-6.12/sound/*' \
	--exclude='linux-source-6.12/tools/*' --exclude='linux-source-6.12/Documentation/*' \
	--exclude='linux-source-6.12/samples/*' --exclude='linux-source-6.12/lib/*' \
	--exclude='linux-source-6.12/crypto/*' \
	'linux-source-6.12/*.c' \
	'linux-source-6.12/*.h'
rm -rf x
echo "$dir"
