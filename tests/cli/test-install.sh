#!/bin/sh
# `make install` puts the command, the library, the header and seccompose.pc in place, and
# the README's library example builds against them with pkg-config and runs.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
command -v pkg-config >/dev/null || { echo "SKIP: no pkg-config"; exit 77; }
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
check "meson install" meson install -C "$SC_BUILD_ROOT" --destdir "$dest" --no-rebuild --quiet
pc=$(find "$dest" -name seccompose.pc | head -n 1)
check "seccompose.pc is installed" test -n "$pc"
check "seccompose.h is installed" test -n "$(find "$dest" -name seccompose.h)"
check "the command is installed" test -n "$(find "$dest" -path '*/bin/seccompose')"
lib=$(dirname "$(find "$dest" -name 'libseccompose.so*' | head -n 1)")
prefix=$(sed -n 's/^prefix=//p' "$pc")
cat >"$dest/example.c" <<'C'
#include <stdio.h>
#include <seccompose.h>

int main(void)
{
	const struct sc_arch *a = sc_arch_lookup("arm64");
	const struct sc_syscall *s = sc_syscall_lookup(a, "ioctl");
	printf("%s is %u on %s; cmd is %u-bit\n", s->name, s->nr, a->name,
	       sc_syscall_arg_bits(a, s, (unsigned)sc_syscall_arg_index(s, "cmd")));
	return 0;
}
C
flags=$(PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs seccompose)
check "the README example compiles against the installed files" \
	cc -std=c11 -o "$dest/example" "$dest/example.c" $flags
# A sanitized library cannot be loaded by an unsanitized program: run it only in plain builds.
if ldd "$lib/libseccompose.so" 2>/dev/null | grep -q 'libasan'; then
	echo "# sanitized build: the example is compiled, not run"
else
	expect_out "ioctl is 29 on aarch64; cmd is 32-bit" env LD_LIBRARY_PATH="$lib" "$dest/example"
fi
# The manual pages (when scdoc built them) are installed, one per command.
if [ -f "$SC_BUILD_ROOT/man/seccompose.1" ]; then
	for c in "" $("$SECCOMPOSE" __commands); do
		check "seccompose${c:+-$c}(1) is installed" \
			test -n "$(find "$dest" -path "*/man1/seccompose${c:+-$c}.1")"
	done
fi
# The shell completions are installed where bash, zsh and fish look.
check "bash completion is installed" test -n "$(find "$dest" -path '*/bash-completion/completions/seccompose')"
check "zsh completion is installed" test -n "$(find "$dest" -path '*/zsh/site-functions/_seccompose')"
check "fish completion is installed" test -n "$(find "$dest" -path '*/fish/vendor_completions.d/seccompose.fish')"
# The installed command runs as installed: it finds the installed library by itself (no
# LD_LIBRARY_PATH, no ldconfig), not the build tree's.
bin=$(find "$dest" -path '*/bin/seccompose' | head -n 1)
expect_out 257 env -u LD_LIBRARY_PATH "$bin" syscalls openat -q --arch x86_64
# A static command (-Dstatic_cli, the default where the archives are) loads no library; a
# dynamic one (sanitizer builds) must load the installed one, not the build tree's.
if file -L "$bin" 2>/dev/null | grep -q 'statically linked' ||
	! env -u LD_LIBRARY_PATH ldd "$bin" >/dev/null 2>&1; then
	check "the installed command is one static executable" sh -c \
		"env -u LD_LIBRARY_PATH ldd '$bin' 2>&1 | grep -q 'not a dynamic executable'"
else
	check "the installed command loads the installed library" sh -c \
		"env -u LD_LIBRARY_PATH ldd '$bin' | grep 'libseccompose.so' | grep -q '$dest'"
fi
check "only sc_ symbols are exported" sh -c \
	"! nm -D --defined-only '$lib'/libseccompose.so.* | awk 'NF == 3 {print \$3}' | grep -v '^sc_'"
: "$prefix"
finish
