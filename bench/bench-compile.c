/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Filter speed, measured: seccompose's native back end against libseccomp (compiling the same
 * OCI profile the way runc does) in one run. For every syscall number of each listed ABI, the
 * instructions the kernel would execute (counted by the interpreter: the BPF that runs on every
 * syscall), plus program size and compile time. Prints the ratios.
 *
 *	build/bench/bench-compile [PROFILE.json...]   (default: both profiles in data/third_party/profiles;
 *	run it from the source root)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf/bpf-sim.h"
#include "api/filter.h"
#include "policy/policy.h"
#include "bpf/ref-libseccomp.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Mean and worst instructions executed per syscall over the ABI's whole table. */
static void cost(const struct sock_filter *p, size_t n, const struct sc_arch *a, double *mean,
		 size_t *worst)
{
	size_t total = 0, calls = 0;
	uint64_t args[6] = { 0 };

	*worst = 0;
	for (size_t i = 0; i < sc_syscall_count(a); i++) {
		struct seccomp_data d;
		size_t steps;
		filter_seccomp_data(a, sc_syscall_at(a, i)->nr, args, &d);
		bpf_sim_run_count(p, n, &d, &steps);
		total += steps;
		calls++;
		if (steps > *worst)
			*worst = steps;
	}
	*mean = calls ? (double)total / (double)calls : 0;
}

int main(int argc, char **argv)
{
	const char *defaults[] = { "data/third_party/profiles/docker-default.json",
				   "data/third_party/profiles/containers-common.json" };
	const char *const *files = argc > 1 ? (const char *const *)argv + 1 : defaults;
	int nfiles = argc > 1 ? argc - 1 : 2;

	printf("%-24s %-7s %8s %8s %8s %7s %7s %6s %6s %6s %6s\n", "profile", "arch", "ours",
	       "lsc", "lsc-tree", "ratio", "r-tree", "size", "lsc", "tree", "r-size");
	for (int fi = 0; fi < nfiles; fi++) {
		struct sc_policy *p = NULL;
		struct sc_filter *f = NULL;
		struct sock_filter *ref = NULL, *tree = NULL;
		size_t ntree = 0;
		struct sc_diag d = { 0 };
		size_t nref = 0;
		double t0, t_ours, t_ref;
		const char *base = strrchr(files[fi], '/') ? strrchr(files[fi], '/') + 1 : files[fi];

		if (sc_policy_load_file(files[fi], NULL, &p, &d) < 0) {
			sc_diag_print(&d, stderr);
			return 1;
		}
		t0 = now();
		for (int i = 0; i < 20; i++) {
			sc_filter_free(f);
			if (sc_policy_compile(p, &f, &d) < 0) {
				sc_diag_print(&d, stderr);
				return 1;
			}
		}
		t_ours = (now() - t0) / 20;
		t0 = now();
		for (int i = 0; i < 20; i++) {
			free(ref);
			if (ref_libseccomp_compile(p, false, &ref, &nref) < 0)
				return 1;
		}
		t_ref = (now() - t0) / 20;
		if (ref_libseccomp_compile(p, true, &tree, &ntree) < 0)
			return 1;
		for (size_t a = 0; a < f->ir->narches; a++) {
			const struct sc_arch *arch = f->ir->arches[a].arch;
			double m1, m2, m3;
			size_t w1, w2, w3;
			cost(f->prog, f->len, arch, &m1, &w1);
			cost(ref, nref, arch, &m2, &w2);
			cost(tree, ntree, arch, &m3, &w3);
			printf("%-24s %-7s %8.1f %8.1f %8.1f %6.2fx %6.2fx %6zu %6zu %6zu %5.2fx\n", base,
			       arch->name, m1, m2, m3, m2 / m1, m3 / m1, f->len, nref, ntree,
			       (double)ntree / (double)f->len);
		}
		printf("%-24s compile: seccompose %.2f ms, libseccomp %.2f ms\n", base, t_ours * 1e3,
		       t_ref * 1e3);
		free(ref);
		free(tree);
		sc_filter_free(f);
		sc_policy_free(p);
	}
	printf("(ours/lsc/lsc-tree: mean BPF instructions executed per syscall of the ABI's table —\n"
	       " what the kernel runs on every call, lower is faster — for seccompose, libseccomp's\n"
	       " linear layout (crun's), and its binary tree (runc's SetOptimize(2) above 32 rules);\n"
	       " size: program instructions; ratios: libseccomp / seccompose)\n");
	return 0;
}
