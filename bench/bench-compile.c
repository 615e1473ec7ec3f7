/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Filter size and speed, measured: seccompose's native back end against libseccomp (compiling
 * the same OCI profile the way runc does, binary tree, and the way crun does, linear) in one
 * run. Per profile, one row per compiler with issue 11's columns:
 *
 *	len x86_64   program length for the profile restricted to x86_64
 *	len 3 ABIs   program length for x86_64 + x86 + x32 (what runc builds on amd64)
 *	mean mix     instructions executed per call on x86_64, weighted by the build-and-tools
 *	             syscall mix (data/third_party/reference/syscall-mix-build-and-tools.txt),
 *	             arguments zero
 *	mean mix/3   the same native calls through the three-ABI program
 *	worst allow  the longest path that ends in ALLOW on x86_64, over every syscall with
 *	             arguments zero and with arguments built to satisfy each allowing rule
 *	compile      ms to compile the three-ABI program in-process (median of 20, each compile timed on its own)
 *
 * Then compile time against rule count: N rules on one syscall (ioctl allowed for N request
 * values, an OCI profile on x86_64: 2,000 values fit one filter there, not on three ABIs) for
 * N and 10 N; the issue asks ≤ 12× the time.
 *
 * Instructions are counted by the interpreter (bpf-sim.c).
 *
 *	build/bench/bench-compile [PROFILE.json...]   (default: both profiles in data/third_party/profiles;
 *	run it from the source root)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf/bpf-gen.h"
#include "bpf/bpf-sim.h"
#include "api/filter.h"
#include "policy/policy.h"
#include "bpf/ref-libseccomp.h"

#define MIX_FILE "data/third_party/reference/syscall-mix-build-and-tools.txt"
#define RUNS 20

struct mix_entry {
	uint32_t nr;
	double count;
};

struct mix {
	struct mix_entry *v;
	size_t n;
};

/* The mix as x86_64 numbers; names x86_64 does not have are skipped. */
static int mix_load(const struct sc_arch *a, struct mix *m)
{
	FILE *f = fopen(MIX_FILE, "r");
	char name[128];
	double count;
	size_t cap = 0;

	if (!f) {
		perror(MIX_FILE);
		return -1;
	}
	m->v = NULL;
	m->n = 0;
	while (fscanf(f, "%lf %127s", &count, name) == 2) {
		const struct sc_syscall *s = sc_syscall_lookup(a, name);
		if (!s)
			continue;
		if (m->n == cap) {
			cap = cap ? 2 * cap : 256;
			m->v = realloc(m->v, cap * sizeof(*m->v));
			if (!m->v)
				abort();
		}
		m->v[m->n++] = (struct mix_entry){ s->nr, count };
	}
	fclose(f);
	return 0;
}

static double mix_mean(const struct sock_filter *p, size_t n, const struct sc_arch *a,
		       const struct mix *m)
{
	double total = 0, weight = 0;
	uint64_t args[6] = { 0 };

	for (size_t i = 0; i < m->n; i++) {
		struct seccomp_data d;
		size_t steps;
		filter_seccomp_data(a, m->v[i].nr, args, &d);
		bpf_sim_run_count(p, n, &d, &steps);
		total += m->v[i].count * (double)steps;
		weight += m->v[i].count;
	}
	return weight > 0 ? total / weight : 0;
}

/* Arguments that satisfy each comparison of @r taken alone (later ones on the same argument
 * win; the caller keeps the vector only when the program allows it). */
static void satisfy(const struct ir_rule *r, uint64_t args[6])
{
	memset(args, 0, 6 * sizeof(*args));
	for (unsigned k = 0; k < r->ncmp; k++) {
		const struct ir_cmp *c = &r->cmp[k];
		switch ((enum ir_op)c->op) {
		case IR_EQ:
		case IR_LE:
		case IR_GE:
		case IR_MASKED_EQ:
			args[c->arg] = c->value;
			break;
		case IR_NE:
		case IR_GT:
			args[c->arg] = c->value + 1;
			break;
		case IR_LT:
			args[c->arg] = c->value - 1;
			break;
		case IR_OP_COUNT:
			break;
		}
	}
}

static size_t run_steps(const struct sock_filter *p, size_t n, const struct sc_arch *a, uint32_t nr,
			const uint64_t args[6], uint32_t *ret)
{
	struct seccomp_data d;
	size_t steps;
	filter_seccomp_data(a, nr, args, &d);
	*ret = bpf_sim_run_count(p, n, &d, &steps);
	return steps;
}

/* The longest path ending in ALLOW over the ABI's table (see the header); @ir supplies the
 * rules whose arguments are tried. */
static size_t worst_allowed(const struct sock_filter *p, size_t n, const struct ir_arch *ia,
			    const char **ret_name)
{
	const struct sc_arch *a = ia->arch;
	size_t worst = 0;
	uint64_t args[6] = { 0 };
	uint32_t ret;

	*ret_name = "-";
	for (size_t i = 0; i < sc_syscall_count(a); i++) {
		const struct sc_syscall *s = sc_syscall_at(a, i);
		const struct ir_syscall *is = ir_find(ia, s->nr);
		size_t steps;

		memset(args, 0, sizeof(args));
		steps = run_steps(p, n, a, s->nr, args, &ret);
		if (ret == SECCOMP_RET_ALLOW && steps > worst) {
			worst = steps;
			*ret_name = s->name;
		}
		for (size_t k = 0; is && k < is->nrules; k++) {
			satisfy(&is->rules[k], args);
			steps = run_steps(p, n, a, s->nr, args, &ret);
			if (ret == SECCOMP_RET_ALLOW && steps > worst) {
				worst = steps;
				*ret_name = s->name;
			}
		}
	}
	return worst;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum compiler { OURS, LSC_TREE, LSC_LINEAR, NCOMPILERS };
static const char *const compiler_names[NCOMPILERS] = { "seccompose", "libseccomp tree (runc)",
							"libseccomp linear (crun)" };

static int compile_with(enum compiler c, struct sc_policy *p, struct sc_filter **f,
			struct sock_filter **prog, size_t *len)
{
	struct sc_diag d = { 0 };

	if (c != OURS)
		return ref_libseccomp_compile(p, c == LSC_TREE, prog, len);
	if (sc_policy_compile(p, f, &d) < 0) {
		sc_diag_print(&d, stderr);
		return -1;
	}
	*prog = (*f)->prog;
	*len = (*f)->len;
	return 0;
}

static void release(enum compiler c, struct sc_filter *f, struct sock_filter *prog)
{
	if (c == OURS)
		sc_filter_free(f);
	else
		free(prog);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @n timings (sorts them). */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The policy's architectures narrowed to @only (restored by the caller). */
static int narrow(struct sc_policy *p, const struct sc_arch *only)
{
	for (size_t i = 0; i < p->narches; i++)
		if (p->arches[i] == only) {
			p->arches += i;
			p->arch_locs += i;
			p->narches = 1;
			return 0;
		}
	return -1;
}

static int bench_profile(const char *file, const struct mix *m, const struct sc_arch *x86_64)
{
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	const struct sc_arch **arches;
	struct pol_loc *locs;
	size_t narches;
	double t_gen = 0;

	if (sc_policy_load_file(file, NULL, &p, &d) < 0) {
		sc_diag_print(&d, stderr);
		return -1;
	}
	arches = p->arches;
	locs = p->arch_locs;
	narches = p->narches;
	printf("\n%s (%zu ABIs listed)\n", base, narches);
	printf("  %-26s %7s %7s %8s %8s %12s %18s\n", "", "len", "len", "mean", "mean", "compile",
	       "worst allowed");
	printf("  %-26s %7s %7s %8s %8s %12s %18s\n", "", "x86_64", "3 ABIs", "mix", "mix/3",
	       "3 ABIs ms", "path (x86_64)");
	for (int c = 0; c < NCOMPILERS; c++) {
		struct sc_filter *f1 = NULL, *f3 = NULL;
		struct sock_filter *p1 = NULL, *p3 = NULL;
		size_t n1 = 0, n3 = 0, worst;
		const char *worst_name;
		double t0, t, times[RUNS];

		/* Each compile timed on its own, the median kept: a burst of another process's
		 * work moves a mean of 20, not the middle of them. */
		for (int i = 0; i < RUNS; i++) {
			if (i)
				release(c, f3, p3);
			f3 = NULL;
			t0 = now();
			if (compile_with(c, p, &f3, &p3, &n3) < 0)
				return -1;
			times[i] = now() - t0;
		}
		t = median(times, RUNS);
		if (c == OURS) { /* the back end alone, on the same rule set */
			struct sock_filter *prog = NULL;
			size_t len;
			for (int i = 0; i < RUNS; i++) {
				free(prog);
				t0 = now();
				if (bpf_gen(f3->ir, &prog, &len, &d) < 0)
					return -1;
				times[i] = now() - t0;
			}
			t_gen = median(times, RUNS);
			free(prog);
		}
		if (narrow(p, x86_64) < 0) {
			fprintf(stderr, "%s: does not list x86_64\n", base);
			return -1;
		}
		if (compile_with(c, p, &f1, &p1, &n1) < 0)
			return -1;
		{
			/* Our rule set for x86_64 names the rules whose arguments are tried. */
			struct sc_filter *fo = NULL;
			struct sock_filter *po;
			size_t no;
			if (compile_with(OURS, p, &fo, &po, &no) < 0)
				return -1;
			worst = worst_allowed(p1, n1, &fo->ir->arches[0], &worst_name);
			sc_filter_free(fo);
		}
		p->arches = arches;
		p->arch_locs = locs;
		p->narches = narches;
		printf("  %-26s %7zu %7zu %8.2f %8.2f %12.3f %7zu %-10s\n", compiler_names[c], n1, n3,
		       mix_mean(p1, n1, x86_64, m), mix_mean(p3, n3, x86_64, m), t * 1e3, worst,
		       worst_name);
		release(c, f1, p1);
		release(c, f3, p3);
	}
	printf("  (seccompose's compile: %.3f ms of it in bpf_gen, the rest resolving the policy)\n",
	       t_gen * 1e3);
	sc_policy_free(p);
	return 0;
}

/* An OCI profile on x86_64: a few plain calls and ioctl allowed for @nrules values. */
static char *ioctl_profile(size_t nrules, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fprintf(f, "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		   " \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
		   " \"syscalls\": [\n"
		   "  {\"names\": [\"read\", \"write\", \"close\", \"exit_group\"], "
		   "\"action\": \"SCMP_ACT_ALLOW\"}");
	for (size_t i = 0; i < nrules; i++)
		fprintf(f, ",\n  {\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			   "[{\"index\": 1, \"value\": %zu, \"op\": \"SCMP_CMP_EQ\"}]}",
			(size_t)0x5400 + 3 * i);
	fprintf(f, "\n ]\n}\n");
	fclose(f);
	*ret_len = len;
	return buf;
}

/* ms per in-process compile of @nrules ioctl rules (best of 5 means of RUNS / 4 compiles:
 * the best, so another process's burst does not pass for non-linearity). */
static double compile_ms(size_t nrules)
{
	size_t len;
	char *text = ioctl_profile(nrules, &len);
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };
	double best = 1e9;

	if (sc_policy_load_buffer("ioctl.json", text, len, NULL, &p, &d) < 0) {
		sc_diag_print(&d, stderr);
		exit(1);
	}
	for (int round = 0; round < 5; round++) {
		double t0 = now(), t;
		for (int i = 0; i < RUNS / 4; i++) {
			struct sc_filter *f = NULL;
			if (sc_policy_compile(p, &f, &d) < 0) {
				sc_diag_print(&d, stderr);
				exit(1);
			}
			sc_filter_free(f);
		}
		t = (now() - t0) / (RUNS / 4) * 1e3;
		best = t < best ? t : best;
	}
	sc_policy_free(p);
	free(text);
	return best;
}

static void bench_scaling(void)
{
	static const size_t counts[] = { 100, 1000, 200, 2000 };

	printf("\ncompile time against rule count (ioctl allowed for N values, x86_64, seccompose)\n");
	printf("  %8s %12s %8s %12s %10s\n", "N", "ms", "10 N", "ms", "ratio");
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i += 2) {
		double small = compile_ms(counts[i]), large = compile_ms(counts[i + 1]);
		printf("  %8zu %12.3f %8zu %12.3f %9.2fx\n", counts[i], small, counts[i + 1], large,
		       large / small);
	}
}

int main(int argc, char **argv)
{
	const char *defaults[] = { "data/third_party/profiles/docker-default.json",
				   "data/third_party/profiles/containers-common.json" };
	const char *const *files = argc > 1 ? (const char *const *)argv + 1 : defaults;
	int nfiles = argc > 1 ? argc - 1 : 2;
	const struct sc_arch *x86_64 = sc_arch_lookup("x86_64");
	struct mix m;

	if (mix_load(x86_64, &m) < 0)
		return 1;
	for (int fi = 0; fi < nfiles; fi++)
		if (bench_profile(files[fi], &m, x86_64) < 0)
			return 1;
	bench_scaling();
	printf("\n(len: program instructions; mean: BPF instructions executed per x86_64 call, weighted\n"
	       " by the syscall mix in " MIX_FILE ",\n"
	       " in the x86_64-only program and in the three-ABI one; worst allowed path: the longest\n"
	       " run ending in ALLOW on x86_64; compile: in-process, three ABIs, median of %d)\n",
	       RUNS);
	free(m.v);
	return 0;
}
