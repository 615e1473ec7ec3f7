#!/bin/sh
# Shell completions (completions/): bash for real (the function called with COMP_WORDS and
# COMP_LINE as bash sets them), fish for real (`complete -C`), zsh through stubs of compadd and
# friends. What they offer comes from the command table and the option tables: every command,
# and every option of each command.
set -u
. "$SC_SOURCE_ROOT/tests/cli/lib.sh"
S=$SECCOMPOSE
comp="$SC_SOURCE_ROOT/completions"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmds=$("$S" __commands | tr '\n' ' ')

# bash: _seccompose on LINE (completing its last word), as bash splits it at = and :.
cat >"$tmp/bash" <<'SH'
. "$1"; shift
line=$1; shift
COMP_LINE=$line; COMP_POINT=${#line}
s=${line//=/ = }; s=${s//:/ : }; read -ra COMP_WORDS <<<"$s"; [[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_seccompose
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
SH
bash_comp() { bash "$tmp/bash" "$comp/seccompose.bash" "$1" | sed 's/ $//'; }
expect_words() { # expected-words(sorted) description got
	count=$((count + 1))
	if [ "$3" = "$1" ]; then echo "ok $count - $2"; else echo "not ok $count - $2: got '$3', expected '$1'"; failures=$((failures + 1)); fi
}
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }

if command -v bash >/dev/null; then
	expect_words "$(sorted $cmds help --help --version)" "bash: every command" "$(bash_comp "$S ")"
	for c in $cmds; do
		expect_words "$(sorted $("$S" __options "$c" | cut -f1))" "bash: every option of $c" \
			"$(bash_comp "$S $c --")"
	done
	expect_words "compile constants" "bash: co" "$(bash_comp "$S co")"
	expect_words "bpf c disasm oci oci-artifact spo toml" "bash: compile --format " "$(bash_comp "$S compile x.toml --format ")"
	expect_words "oci oci-artifact" "bash: compile --format=o" "$(bash_comp "$S compile --format=o")"
	expect_words "toml" "bash: compile -f t" "$(bash_comp "$S compile -f t")"
	expect_words "aarch64" "bash: options after operands (syscalls openat --arch aa)" \
		"$(bash_comp "$S syscalls openat --arch aa")"
	expect_words "default" "bash: run -p builtin:d (bash split at ':')" "$(bash_comp "$S run -p builtin:d")"
	expect_words "compiler" "bash: check builtin:com (split at :)" "$(bash_comp "$S check builtin:com")"
	expect_words "" "bash: run's command's own options are not ours" "$(bash_comp "$S run -p x ls --ts")"
	expect_words "--tsync" "bash: run --ts" "$(bash_comp "$S run -p x --ts")"
	check "bash: run's command is a command name" sh -c "bash '$tmp/bash' '$comp/seccompose.bash' '$S run -p x.toml ech' | grep -qw echo"
	expect_words "run" "bash: help ru" "$(bash_comp "$S help ru")"
else
	echo "# no bash: bash completion not tried"
fi

if command -v fish >/dev/null; then
	# One fish for every line (it starts slowly): LINE<tab>DESCRIPTION<tab>EXPECTED a line.
	fish_cases() {
		printf 'seccompose \tevery command\t%s\n' "$(sorted $cmds)"
		for c in $cmds; do
			printf 'seccompose %s --\tevery option of %s\t%s\n' "$c" "$c" \
				"$(sorted $("$S" __options "$c" | cut -f1))"
		done
		printf '%s\n' "seccompose compile --format 	compile --format 	bpf c disasm oci oci-artifact spo toml" \
			"seccompose compile --format=o	compile --format=o	--format=oci --format=oci-artifact" \
			"seccompose syscalls openat --arch aa	syscalls openat --arch aa	aarch64" \
			"seccompose run -p builtin:d	run -p builtin:d	builtin:default" \
			"seccompose run -p x ls --ts	run's command's own options are not ours	"
	}
	fish_cases >"$tmp/fish-cases"
	PATH="$(dirname "$S"):$PATH" fish --no-config -c "source '$comp/seccompose.fish'
		while read -l line
			set -l f (string split \t -- \$line)
			echo (complete -C\$f[1] | cut -f1 | sort | string join ' ')
		end" <"$tmp/fish-cases" | sed 's/ $//' >"$tmp/fish-got"
	n=0
	while IFS="$(printf '\t')" read -r line desc want; do
		n=$((n + 1))
		expect_words "$want" "fish: $desc" "$(sed -n "${n}p" "$tmp/fish-got")"
	done <"$tmp/fish-cases"
	# (alone: fish describes commands with whatis, which may read standard input)
	check "fish: run's command is a command name" sh -c "PATH='$(dirname "$S")':\$PATH fish --no-config \
		-c \"source '$comp/seccompose.fish'; complete -C'seccompose run -p x.toml ech'\" </dev/null | grep -qw echo"
else
	echo "# no fish: fish completion not tried"
fi

if command -v zsh >/dev/null; then
	cat >"$tmp/zsh" <<'ZSH'
# Stubs of zsh's completion builtins: print what would be offered for the word ($PREFIX).
compadd() { local -a w; while [[ $1 == -* ]]; do case $1 in -S) shift 2;; -a) w=(${(P)2}); shift 2;; --) shift; break;; *) shift;; esac; done; w+=("$@"); for x in $w; do [[ $x == ${PREFIX}* ]] && print -r -- "$x"; done; }
compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=}; }
_describe() { local -a w; w=(${(P)${@[-1]}}); for x in ${w%%:*}; do [[ $x == ${PREFIX}* ]] && print -r -- "$x"; done; }
_files() { print -r -- "<files>"; }
_command_names() { print -r -- "<commands>"; }
_normal() { print -r -- "<normal ${words[1]} ${words[CURRENT]}>"; }
source "$1" >/dev/null 2>&1
local -a words; words=(${(z)2}); [[ $2 == *' ' ]] && words+=(''); CURRENT=${#words}; PREFIX=${words[CURRENT]}
_seccompose | sort | tr '\n' ' '
ZSH
	zsh_comp() { zsh -f "$tmp/zsh" "$comp/_seccompose" "$1" | sed 's/ $//'; }
	expect_words "$(sorted $cmds)" "zsh: every command" "$(zsh_comp "$S ")"
	for c in $cmds; do
		expect_words "$(sorted $("$S" __options "$c" | cut -f1))" "zsh: every option of $c" \
			"$(zsh_comp "$S $c --")"
	done
	expect_words "bpf c disasm oci oci-artifact spo toml" "zsh: compile --format " "$(zsh_comp "$S compile --format ")"
	expect_words "oci oci-artifact" "zsh: compile --format=o" "$(zsh_comp "$S compile --format=o")"
	expect_words "aarch64" "zsh: syscalls openat --arch aa" "$(zsh_comp "$S syscalls openat --arch aa")"
	expect_words "<files> builtin:default" "zsh: run -p builtin:d" "$(zsh_comp "$S run -p builtin:d")"
	expect_words "<normal ls --ts>" "zsh: run's command's words are its own" "$(zsh_comp "$S run -p x ls --ts")"
	expect_words "<commands>" "zsh: run's command" "$(zsh_comp "$S run -p x ech")"
else
	echo "# no zsh: zsh completion not tried"
fi
finish
