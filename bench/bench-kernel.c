/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Filters in the kernel: ns per system call under seccompose's filter and libseccomp's tree
 * (runc) and linear (crun) filters of the same OCI profile, alone and stacked 2 and 3 deep.
 *
 * Each configuration runs in a forked child that installs the filter(s) and times four calls:
 *
 *	getppid      allowed whatever its arguments: the kernel's action cache answers, the
 *	             filter does not run (what every compiler should keep so)
 *	personality  personality(0xffffffff), a query: allowed only by an argument check
 *	syslog       denied (Errno) — the default action, the full search
 *	x32 getppid  getppid through x32's number (nr | 0x40000000): filtered on every call (the
 *	             cache is the native ABI's); ENOSYS afterwards when the kernel lacks x32
 *
 * Each number is the median of RUNS runs of ITERS calls, each run in its own child, the
 * configurations taking turns run by run, in an order that rotates from run to run (so a burst of
 * load elsewhere, or whatever the first child after a pause pays, hits them alike). The ratio is
 * the median of the runs' own ratios — this run's time over libseccomp's tree's in the same run at
 * the same stack depth — which cancels drift that a ratio of two medians keeps. A call costs ~1 µs
 * and a filter tens of ns, so differences of a few per cent are noise: the cached getppid row,
 * where no filter runs at all, shows how large the noise is. The programs' actions for the four
 * calls are checked with the interpreter first, so all three compilers are timed doing the same
 * thing.
 *
 *	build/bench/bench-kernel [-n RUNS] [PROFILE.json]   (default 15 runs and
 *	data/third_party/profiles/docker-default.json; run it from the source root, on x86_64)
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/filter.h"
#include "bpf/bpf-sim.h"
#include "bpf/ref-libseccomp.h"
#include "policy/policy.h"

#define MAX_RUNS 101
#define ITERS 100000
#define MAX_STACK 3
#define X32_BIT 0x40000000u

enum probe { P_CACHED, P_ARGS, P_DENIED, P_X32, NPROBES };

static const struct {
	const char *name;
	const char *abi;  /* the ABI the number is in */
	const char *sys;  /* its name there */
	uint64_t arg0;
} probes[NPROBES] = {
	[P_CACHED] = { "getppid", "x86_64", "getppid", 0 },
	[P_ARGS] = { "personality(~0)", "x86_64", "personality", 0xffffffff },
	[P_DENIED] = { "syslog (denied)", "x86_64", "syslog", 10 /* SYSLOG_ACTION_SIZE_BUFFER */ },
	[P_X32] = { "x32 getppid", "x32", "getppid", 0 },
};

enum compiler { NONE, OURS, LSC_TREE, LSC_LINEAR, NCOMPILERS };
static const char *const compiler_names[NCOMPILERS] = { "no filter", "seccompose",
							"libseccomp tree", "libseccomp linear" };

struct prog {
	struct sock_filter *insns;
	size_t len;
};

static long nr_of(enum probe p)
{
	const struct sc_syscall *s = sc_syscall_lookup(sc_arch_lookup(probes[p].abi), probes[p].sys);

	if (!s) {
		fprintf(stderr, "%s has no %s\n", probes[p].abi, probes[p].sys);
		exit(1);
	}
	return (long)s->nr; /* x32's numbers carry the x32 bit already */
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t); /* the vDSO: no system call, not filtered */
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* In the child: ns per call of each probe, one run. */
static void time_probes(double ret[NPROBES])
{
	for (int p = 0; p < NPROBES; p++) {
		long nr = nr_of((enum probe)p);
		unsigned long arg0 = (unsigned long)probes[p].arg0;
		double t0 = now_ns();
		for (int i = 0; i < ITERS; i++)
			syscall(nr, arg0, 0, 0);
		ret[p] = (now_ns() - t0) / ITERS;
	}
}

/* Fork, install @prog @depth times, time the probes; -1 when the kernel refuses. */
static int measure(const struct prog *prog, int depth, double ret[NPROBES])
{
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct sock_fprog fp = { (unsigned short)(prog ? prog->len : 0),
					 prog ? prog->insns : NULL };
		double t[NPROBES];
		close(fds[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(2);
		for (int i = 0; prog && i < depth; i++)
			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0) {
				perror("seccomp");
				_exit(3);
			}
		time_probes(t);
		if (write(fds[1], t, sizeof(t)) != (ssize_t)sizeof(t))
			_exit(4);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], ret, NPROBES * sizeof(double));
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    n != (ssize_t)(NPROBES * sizeof(double)))
		return -1;
	return 0;
}

/* What @prog answers each probe (the interpreter): the same for every compiler, or the
 * comparison would time different work. */
static void actions(const struct prog *prog, char ret[NPROBES][64])
{
	for (int p = 0; p < NPROBES; p++) {
		uint64_t args[6] = { probes[p].arg0 };
		struct seccomp_data d;
		filter_seccomp_data(sc_arch_lookup(probes[p].abi), (uint32_t)nr_of((enum probe)p), args, &d);
		bpf_action_name(bpf_sim_run(prog->insns, prog->len, &d), ret[p], 64);
	}
}

int main(int argc, char **argv)
{
	const char *file = "data/third_party/profiles/docker-default.json";
	int nruns = 15;
	struct prog progs[NCOMPILERS] = { { 0 } };
	static double runs[NCOMPILERS][MAX_STACK + 1][NPROBES][MAX_RUNS];
	static double ratios[NCOMPILERS][MAX_STACK + 1][NPROBES][MAX_RUNS];
	double t[NCOMPILERS][MAX_STACK + 1][NPROBES], ratio[NCOMPILERS][MAX_STACK + 1][NPROBES];
	char act[NCOMPILERS][NPROBES][64];
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	bool differ = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			nruns = atoi(argv[++i]);
			if (nruns < 1 || nruns > MAX_RUNS) {
				fprintf(stderr, "bench-kernel: -n takes 1 to %d runs\n", MAX_RUNS);
				return 2;
			}
		} else {
			file = argv[i];
		}
	}
	if (sc_arch_native() != sc_arch_lookup("x86_64")) {
		fprintf(stderr, "bench-kernel: x86_64 only (its probes are x86_64 and x32 calls)\n");
		return 1;
	}
	if (sc_policy_load_file(file, NULL, &p, &d) < 0 || sc_policy_compile(p, &f, &d) < 0) {
		sc_diag_print(&d, stderr);
		return 1;
	}
	progs[OURS] = (struct prog){ f->prog, f->len };
	for (int c = LSC_TREE; c <= LSC_LINEAR; c++)
		if (ref_libseccomp_compile(p, c == LSC_TREE, &progs[c].insns, &progs[c].len) < 0) {
			fprintf(stderr, "bench-kernel: libseccomp refused %s\n", file);
			return 1;
		}

	printf("%s: ns per call, median of %d runs of %d calls, each in a forked child\n", file, nruns,
	       ITERS);
	printf("  %-20s %6s", "filter", "length");
	for (int pr = 0; pr < NPROBES; pr++)
		printf(" %17s", probes[pr].name);
	printf("\n  %-20s %6s", "  (action)", "");
	for (int c = OURS; c < NCOMPILERS; c++)
		actions(&progs[c], act[c]);
	for (int pr = 0; pr < NPROBES; pr++) {
		printf(" %17s", act[OURS][pr]);
		for (int c = LSC_TREE; c < NCOMPILERS; c++)
			differ |= strcmp(act[c][pr], act[OURS][pr]) != 0;
	}
	printf("\n");
	if (differ)
		printf("  (the compilers' programs do not answer the probes alike: ratios compare unlike work)\n");

	for (int r = 0; r < nruns; r++)
		for (int depth = 0; depth <= MAX_STACK; depth++)
			for (int k = 0; k < (depth ? NCOMPILERS - OURS : 1); k++) {
				/* depth 0 is the bare call; above it the compilers take turns, the
				 * first of them rotating with the run */
				int c = depth ? OURS + (k + r) % (NCOMPILERS - OURS) : NONE;
				double one[NPROBES];
				if (measure(c == NONE ? NULL : &progs[c], depth, one) < 0) {
					fprintf(stderr, "bench-kernel: the child failed (%s x%d)\n",
						compiler_names[c], depth);
					return 1;
				}
				for (int pr = 0; pr < NPROBES; pr++)
					runs[c][depth][pr][r] = one[pr];
			}
	for (int c = 0; c < NCOMPILERS; c++)
		for (int depth = 0; depth <= MAX_STACK; depth++)
			for (int pr = 0; pr < NPROBES; pr++) {
				if (depth && c != NONE) {
					for (int r = 0; r < nruns; r++)
						ratios[c][depth][pr][r] =
							runs[c][depth][pr][r] / runs[LSC_TREE][depth][pr][r];
					qsort(ratios[c][depth][pr], (size_t)nruns, sizeof(double), cmp_double);
					ratio[c][depth][pr] = ratios[c][depth][pr][nruns / 2];
				}
			}
	for (int c = 0; c < NCOMPILERS; c++)
		for (int depth = 0; depth <= MAX_STACK; depth++)
			for (int pr = 0; pr < NPROBES; pr++) {
				qsort(runs[c][depth][pr], (size_t)nruns, sizeof(double), cmp_double);
				t[c][depth][pr] = runs[c][depth][pr][nruns / 2];
			}

	printf("  %-20s %6s", compiler_names[NONE], "-");
	for (int pr = 0; pr < NPROBES; pr++)
		printf(" %17.1f", t[NONE][0][pr]);
	printf("\n");
	for (int depth = 1; depth <= MAX_STACK; depth++)
		for (int c = OURS; c < NCOMPILERS; c++) {
			char label[64];
			snprintf(label, sizeof(label), "%s x%d", compiler_names[c], depth);
			printf("  %-20s %6zu", label, progs[c].len);
			for (int pr = 0; pr < NPROBES; pr++)
				printf(" %9.1f (%4.2fx)", t[c][depth][pr], ratio[c][depth][pr]);
			printf("\n");
		}
	printf("\n(ratio: the median over the runs of the time over libseccomp's tree's in the same run, at the\n"
	       " same depth; xN: the program installed N times; getppid is answered by the action cache, so\n"
	       " its ratios are the noise)\n");
	sc_filter_free(f);
	free(progs[LSC_TREE].insns);
	free(progs[LSC_LINEAR].insns);
	sc_policy_free(p);
	return 0;
}
