#!/bin/bash
# The restructuring's numbers, measured in one run against references taken in the same
# run (so machine load moves both): what `record --abstract`, `run` and `compile` cost as
# whole processes, and how loading grows with the policy. Each measurement is run N times,
# interleaved with its reference, and the medians are compared with the issue's limits:
#
#   record --abstract -o OUT -- true    ≤ 300 ms, and ≤ 3× `record -o OUT -- true`
#   run [-p builtin:default] -- true    ≤ 3 ms more than plain `true` (median of paired rounds)
#   compile Docker's profile -f bpf -o  ≤ 1× bench-ref-compile (jansson + libseccomp, as runc)
#   load a 10,000-rule policy           ≤ 12× a 1,000-rule one (TOML and OCI; in-process time)
#   peak RSS of a load                  ≤ the empty policy's RSS (the catalog) + 10× the input
#
# Builds nothing: run `meson compile -C BUILD` first. Every output goes into a temporary
# directory (never `-o /dev/null`: an atomic writer would rename a regular file over it).
# Prints a table; exits 0 unless --strict is given and a limit is missed (or a run failed).
#
#	bench/bench-house.sh [--strict] [-n RUNS] [BUILD-DIR]   (from the source root; defaults: 7, build)
set -u

runs=7
strict=0
build=build
while [ $# -gt 0 ]; do
	case $1 in
	--strict) strict=1 ;;
	-n) runs=${2:?-n needs a number}; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bench-house: unknown option $1" >&2; exit 2 ;;
	*) build=$1 ;;
	esac
	shift
done

sc=$build/cli/seccompose
bexec=$build/bench/bench-exec
bload=$build/bench/bench-load
bref=$build/bench/bench-ref-compile
docker_profile=data/third_party/profiles/docker-default.json
for f in "$sc" "$bexec" "$bload" "$bref"; do
	[ -x "$f" ] || { echo "bench-house: $f missing: run 'meson compile -C $build' first" >&2; exit 2; }
done
[ -r "$docker_profile" ] || { echo "bench-house: run from the source root ($docker_profile)" >&2; exit 2; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# median < numbers, one a line → the middle one (the mean of the middle two for an even count)
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed FILE COMMAND... → appends "<wall-ns> <maxrss-kB> <cpu-ns>" of one whole-process run to FILE
timed() {
	local out=$1 line
	shift
	if ! line=$("$bexec" -- "$@" | tail -n 1) || [ -z "$line" ]; then
		echo "bench-house: failed: $*" >&2
		echo "nan nan nan" >>"$out"
		return 1
	fi
	echo "$line" >>"$out"
}

# loaded FILE POLICY → appends "<load-ns> <maxrss-kB>": bench-load's own timing of
# sc_policy_load_file(), and the peak RSS of its process
loaded() {
	local out=$1 lines
	if ! lines=$("$bexec" -k -- "$bload" "$2") || [ -z "$lines" ]; then
		echo "bench-house: failed to load $2" >&2
		echo "nan nan" >>"$out"
		return 1
	fi
	printf '%s %s\n' "$(sed -n 1p <<<"$lines")" "$(sed -n '$p' <<<"$lines" | cut -d' ' -f2)" >>"$out"
}

# col FILE N → the median of column N of FILE
col() {
	if grep -q nan "$1"; then
		echo nan # a failed run: no median to trust
	else
		cut -d' ' -f"$2" "$1" | median
	fi
}

printf '%-44s %11s %-30s %11s %9s %-12s %s\n' measurement median reference "ref median" ratio limit verdict
rule() { printf '%.0s-' $(seq 1 130); echo; }
rule

# row NAME VALUE UNIT REFNAME REFVALUE SHOWN LIMIT-TEXT OK(0/1/info)
row() {
	local verdict
	case $8 in
	1) verdict=PASS ;;
	0) verdict=FAIL; failed=1 ;;
	*) verdict=$8 ;;
	esac
	printf '%-44s %11s %-30s %11s %9s %-12s %s\n' "$1" "$2 $3" "$4" "${5:+$5 $3}" "$6" "$7" "$verdict"
}

# check EXPR → 1 when the awk expression holds, 0 when not or when a value is missing
check() {
	awk "BEGIN { print (index(\"$1\", \"nan\") == 0 && ($1)) ? 1 : 0 }"
}

ms() { awk -v n="$1" 'BEGIN { if (n == "nan") print "nan"; else printf "%.2f", n / 1e6 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "nan"; else printf "%.2f", a / b }'; }

# --- record --abstract against record, and against 300 ms -------------------------
for _ in $(seq "$runs"); do
	timed "$tmp/rec-abstract" "$sc" record --abstract -o "$tmp/abstract.toml" -- true
	timed "$tmp/rec-plain" "$sc" record -o "$tmp/plain.toml" -- true
done
abs=$(ms "$(col "$tmp/rec-abstract" 1)")
plain=$(ms "$(col "$tmp/rec-plain" 1)")
ratio=$(div "$abs" "$plain")
row "record --abstract -o OUT -- true" "$abs" ms "(absolute)" "" "" "<= 300 ms" "$(check "$abs <= 300")"
row "record --abstract -o OUT -- true" "$abs" ms "record -o OUT -- true" "$plain" "${ratio}x" "<= 3.00x" \
	"$(check "$ratio <= 3")"
abs=$(ms "$(col "$tmp/rec-abstract" 3)")
plain=$(ms "$(col "$tmp/rec-plain" 3)")
row "  CPU time (user+sys)" "$abs" ms "  CPU time (user+sys)" "$plain" "$(div "$abs" "$plain")x" "-" info

# --- run against plain true ---------------------------------------------------------
# A few milliseconds each, so three times RUNS rounds; in each, plain true and the runs in
# turn, the order rotating, and what a run adds is the median of each round's difference to
# that round's own true: a machine that slows down for a while moves both sides of a
# difference, where two medians taken apart would each catch it at other times.
# `run` with a built-in policy installs the program the build compiled from it
# (cli/builtin-programs.h); the same default policy as a file (-p FILE) is parsed and
# compiled at start: an info row, what a policy of one's own costs.
true_bin=$(command -v true)
default_file=data/policies/default.toml
rounds=$((runs * 3))
for i in $(seq "$rounds"); do
	case $((i % 4)) in
	0) order="true run-default run run-file" ;;
	1) order="run-default run run-file true" ;;
	2) order="run run-file true run-default" ;;
	3) order="run-file true run-default run" ;;
	esac
	for what in $order; do
		case $what in
		true) timed "$tmp/true" "$true_bin" ;;
		run-default) timed "$tmp/run-default" "$sc" run -p builtin:default -- "$true_bin" ;;
		run) timed "$tmp/run" "$sc" run -- "$true_bin" ;;
		run-file) timed "$tmp/run-file" "$sc" run -p "$default_file" -- "$true_bin" ;;
		esac
	done
done
# paired FILE-A FILE-B N → the median over rounds of column N of B minus that of A, in ms
paired() {
	if grep -q nan "$1" "$2"; then
		echo nan
	else
		paste -d' ' "$1" "$2" | awk -v n="$3" '{ split($0, f, " "); print f[n + 3] - f[n] }' | median |
			awk '{ printf "%.2f", $1 / 1e6 }'
	fi
}
t_true=$(ms "$(col "$tmp/true" 1)")
c_true=$(ms "$(col "$tmp/true" 3)")
for m in "run-default:run -p builtin:default -- true" "run:run -- true" \
	"run-file:run -p default.toml -- true"; do
	t=$(ms "$(col "$tmp/${m%%:*}" 1)")
	added=$(paired "$tmp/true" "$tmp/${m%%:*}" 1)
	if [ "${m%%:*}" = run-file ]; then
		row "${m#*:}" "$t" ms "true" "$t_true" "+${added}ms" "-" info
	else
		row "${m#*:}" "$t" ms "true" "$t_true" "+${added}ms" "<= +3 ms" "$(check "$added <= 3")"
	fi
	t=$(ms "$(col "$tmp/${m%%:*}" 3)")
	added=$(paired "$tmp/true" "$tmp/${m%%:*}" 3)
	row "  CPU time (user+sys)" "$t" ms "  CPU time (user+sys)" "$c_true" "+${added}ms" "-" info
done

# --- compile Docker's profile against libseccomp ------------------------------------
for _ in $(seq "$runs"); do
	timed "$tmp/compile" "$sc" compile "$docker_profile" -f bpf -o "$tmp/ours.bpf"
	timed "$tmp/compile-ref" "$bref" "$docker_profile" -o "$tmp/ref.bpf"
	# The same to standard output (discarded): without our atomic write's fsync.
	timed "$tmp/compile-stdout" "$sc" compile "$docker_profile" -f bpf
	timed "$tmp/compile-ref-stdout" "$bref" "$docker_profile"
done
ours=$(ms "$(col "$tmp/compile" 1)")
ref=$(ms "$(col "$tmp/compile-ref" 1)")
ratio=$(div "$ours" "$ref")
row "compile docker-default.json -f bpf -o OUT" "$ours" ms "jansson+libseccomp -o OUT" "$ref" "${ratio}x" \
	"<= 1.00x" "$(check "$ratio <= 1")"
ours=$(ms "$(col "$tmp/compile" 3)")
ref=$(ms "$(col "$tmp/compile-ref" 3)")
row "  CPU time (user+sys)" "$ours" ms "  CPU time (user+sys)" "$ref" "$(div "$ours" "$ref")x" "-" info
ours=$(ms "$(col "$tmp/compile-stdout" 1)")
ref=$(ms "$(col "$tmp/compile-ref-stdout" 1)")
row "  the same to stdout (no fsync)" "$ours" ms "jansson+libseccomp to stdout" "$ref" \
	"$(div "$ours" "$ref")x" "-" info

# --- loading: linear in the rules, memory within 10x the input ----------------------
# Rules on fd-taking syscalls, each with its own value, so none merges with another.
gen_toml() { # RULES → a TOML policy
	awk -v n="$1" 'BEGIN {
		split("read write close fstat lseek ioctl fcntl dup", sys, " ")
		print "default_action = \"Errno\""
		for (i = 0; i < n; i++)
			printf "\n[[syscalls]]\nnames = [\"%s\"]\naction = \"Allow\"\nconditions = [ { index = 0, type = \"equals\", value = %d } ]\n", sys[i % 8 + 1], i
	}'
}
gen_oci() { # RULES → an OCI JSON profile
	awk -v n="$1" 'BEGIN {
		split("read write close fstat lseek ioctl fcntl dup", sys, " ")
		printf "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": ["
		for (i = 0; i < n; i++)
			printf "%s\n    {\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"}]}", i ? "," : "", sys[i % 8 + 1], i
		print "\n  ]\n}"
	}'
}
for fmt in toml json; do
	gen=gen_toml
	[ $fmt = json ] && gen=gen_oci
	for n in 0 1000 10000; do
		$gen $n >"$tmp/rules-$n.$fmt"
	done
	for _ in $(seq "$runs"); do
		for n in 0 1000 10000; do
			loaded "$tmp/load-$n-$fmt" "$tmp/rules-$n.$fmt"
		done
	done
	label=TOML
	[ $fmt = json ] && label="OCI JSON"
	t1k=$(ms "$(col "$tmp/load-1000-$fmt" 1)")
	t10k=$(ms "$(col "$tmp/load-10000-$fmt" 1)")
	ratio=$(div "$t10k" "$t1k")
	row "load $label, 10,000 rules" "$t10k" ms "load $label, 1,000 rules" "$t1k" "${ratio}x" "<= 12.00x" \
		"$(check "$ratio <= 12")"
	# The same over what an empty policy's load costs (the catalog's set-up, paid once):
	# the rules' own growth, 10x when linear.
	t0=$(ms "$(col "$tmp/load-0-$fmt" 1)")
	row "  minus the empty policy's load ($t0 ms)" "$(awk -v a="$t10k" -v b="$t0" 'BEGIN { printf "%.2f", a - b }')" ms \
		"  minus the same" "$(awk -v a="$t1k" -v b="$t0" 'BEGIN { printf "%.2f", a - b }')" \
		"$(awk -v a="$t10k" -v b="$t1k" -v z="$t0" 'BEGIN { if (a == "nan" || b == "nan" || z == "nan" || b == z) print "nan"; else printf "%.2f", (a - z) / (b - z) }')x" \
		"~10x" info
	base=$(col "$tmp/load-0-$fmt" 2)
	for n in 1000 10000; do
		rss=$(col "$tmp/load-$n-$fmt" 2)
		size=$(stat -c %s "$tmp/rules-$n.$fmt")
		# bytes held per input byte, over the catalog's baseline
		per=$(awk -v r="$rss" -v b="$base" -v s="$size" 'BEGIN { if (r == "nan" || b == "nan") print "nan"; else printf "%.2f", (r - b) * 1024 / s }')
		row "peak RSS, load $label $n rules ($((size / 1024)) kB)" "$rss" kB "empty policy (the catalog)" "$base" \
			"${per}/B" "<= 10 B/B" "$(check "$per <= 10")"
	done
done

rule
echo "median of $runs runs each; ratio: median / reference median; times are whole processes but for"
echo "load (sc_policy_load_file() timed in bench-load); peak RSS: wait4's ru_maxrss of the loading process;"
echo "CPU time: user+sys of the process and what it reaped (wait4's rusage): less disturbed by a busy"
echo "machine than wall-clock time, which also counts waiting for a CPU."
echo "x/B: bytes of peak RSS above the empty policy's, per byte of input."
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs): on a busy"
echo "machine trust the ratios (taken interleaved) over the absolute times."
if [ $strict = 1 ] && [ $failed = 1 ]; then
	exit 1
fi
exit 0
