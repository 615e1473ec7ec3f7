/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `compile --format oci` against runc's reading of it: every exported profile is loaded
 * back and compiled by libseccomp the way runc compiles it (lib/bpf/ref-libseccomp.c), in a
 * child with a CPU-time bound (libseccomp's tree building can spin for minutes on some
 * rule shapes, and crun does the same work at container start), and the program it gives
 * is compared call by call with our own filter for the policy, on every ABI the policy
 * lists (x86_64, x86, x32). A refusal must say "cannot export" and name the syscall.
 *
 * Policies: random ones built through the internal model (every operator, several
 * arguments, values near 2^31, 2^32 and 2^63, ABI lists in any order), hand-written cases
 * for the known defects, and the files given on the command line (the built-in policies).
 * Usage: test-export [POLICY...]
 */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/bpf-sim.h"
#include "api/filter.h"
#include "policy/policy.h"
#include "bpf/ref-libseccomp.h"
#include "xorshift.h"

#define CPU_LIMIT_S 2   /* what libseccomp may spend on one profile */
#define DRAWS 8        /* argument draws per syscall number */

static uint64_t rng = 0x6a09e667f3bcc908ULL;
static unsigned long n_exported, n_refused, n_calls, n_differ, n_slow, n_skipped;
static unsigned long policy_differ, n_printed;
static double slowest_ms;
static int failed;

/* Policies come from their own sequence, so SC_ROUND=N gives round N's policy alone. */
static uint64_t policy_rng = 0xbb67ae8584caa73bULL, *cur_rng = &rng;

static uint64_t rnd(void)
{
	return xorshift64s(cur_rng);
}

static const char *const some_syscalls[] = {
	"read", "write", "openat", "ioctl", "socket", "mmap", "mprotect", "clone", "prctl",
	"personality", "kill", "fcntl", "madvise", "futex", "lseek", "getpid", "setsockopt",
};
#define N_SOME (sizeof(some_syscalls) / sizeof(some_syscalls[0]))

static const uint64_t some_values[] = {
	0, 1, 2, 3, 0x28, 0x5401, 0x5412, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x8000000000000000ULL, 0xffffffffffffff9cULL, 0xff, 0x10000, 0x1000,
};
#define N_VALUES (sizeof(some_values) / sizeof(some_values[0]))

static uint64_t some_value(void)
{
	uint64_t v = some_values[rnd() % N_VALUES];
	switch (rnd() % 6) {
	case 0: return v + 1;
	case 1: return v - 1;
	case 2: return v | (rnd() << 32); /* garbage in the high half */
	case 3: return rnd() % 64;
	default: return v;
	}
}

static struct sc_action some_action(void)
{
	static const enum sc_action_type types[] = { SC_ACT_KILL_PROCESS, SC_ACT_TRAP, SC_ACT_ERRNO,
						     SC_ACT_LOG, SC_ACT_ALLOW };
	struct sc_action a = { types[rnd() % 5], 0 };
	if (a.type == SC_ACT_ERRNO)
		a.data = (uint16_t)(1 + rnd() % 3);
	return a;
}

/* A policy in our format over x86_64, x86 and x32 in any order and combination. Values
 * may be wider than the argument: such policies are refused at compile time and skipped. */
static struct sc_policy *random_policy(void)
{
	static const char *const arch_names[] = { "x86_64", "x86", "x32" };
	struct sc_policy *p = policy_new("random.toml", "", 0);
	size_t nrules = 1 + rnd() % 6;
	unsigned first;

	cur_rng = &policy_rng;
	first = rnd() % 4 ? 0 : (unsigned)(rnd() % 3);

	p->format = POL_FORMAT_TOML;
	p->def = some_action();
	p->groups = groups_new();
	p->allow_unknown = true;
	p->mux = POL_MUX_DENY;
	for (unsigned i = 0; i < 3; i++) {
		unsigned k = (first + i) % 3;
		if (i > 0 && rnd() % 3 == 0)
			continue;
		p->arches = xreallocarray(p->arches, p->narches + 1, sizeof(*p->arches));
		p->arches[p->narches++] = sc_arch_lookup(arch_names[k]);
	}
	for (size_t i = 0; i < nrules; i++) {
		struct pol_rule *r = policy_add_rule(p);
		struct pol_loc l = { 1, 1, 1 };
		const struct sc_syscall *s;
		unsigned maxarg;

		r->action = some_action();
		rule_add_name(r, some_syscalls[rnd() % N_SOME], l);
		s = sc_syscall_lookup(sc_arch_lookup("x86_64"), r->names[0].name);
		maxarg = s ? (unsigned)s->nargs : 0;
		for (size_t k = 0, nc = maxarg ? rnd() % 3 : 0; k < nc; k++) {
			struct pol_cond *c = rule_add_cond(r);
			c->index = (int)(rnd() % (maxarg < 3 ? maxarg : 3));
			c->op = (enum pol_op)(rnd() % POL_OP_COUNT);
			c->value.num = some_value();
			c->mask.num = rnd() % 2 ? some_value() : 0xff;
			if (c->op == POL_ANY_OF) {
				c->nvalues = 1 + rnd() % 3;
				c->values = xcalloc(c->nvalues, sizeof(*c->values));
				for (size_t v = 0; v < c->nvalues; v++)
					c->values[v].num = some_value();
			}
		}
	}
	cur_rng = &rng;
	return p;
}

/* libseccomp compiles @q as runc would, in a child bounded to CPU_LIMIT_S of CPU time.
 * Returns 0 with the program, -ETIME when over the bound, another -errno on failure. */
static int bounded_compile(const struct sc_policy *q, struct sock_filter **ret, size_t *ret_len,
			   double *ret_ms)
{
	int fds[2], status;
	struct timespec t0, t1;
	size_t cap = 0, len = 0;
	char *buf = NULL;
	ssize_t k;
	pid_t pid;

	if (pipe(fds) < 0)
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct rlimit rl = { CPU_LIMIT_S, CPU_LIMIT_S + 1 };
		struct sock_filter *prog = NULL;
		size_t n = 0;
		int r;
		close(fds[0]);
		setrlimit(RLIMIT_CPU, &rl);
		alarm(60); /* a wall-clock backstop on a loaded machine */
		r = ref_libseccomp_compile(q, false, &prog, &n);
		if (r < 0)
			_exit(2);
		if (write(fds[1], prog, n * sizeof(*prog)) != (ssize_t)(n * sizeof(*prog)))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		buf = xgrow(buf, &cap, len + 4096, 1);
		k = read(fds[0], buf + len, 4096);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ret_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL ||
				    WTERMSIG(status) == SIGALRM)) {
		free(buf);
		return -ETIME;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || len == 0) {
		free(buf);
		return -EINVAL;
	}
	*ret = (struct sock_filter *)buf;
	*ret_len = len / sizeof(struct sock_filter);
	return 0;
}

/* Values that make the policy's comparisons flip: its own, their neighbours, high halves. */
static uint64_t interesting(const struct ir *ir)
{
	uint64_t pool[64];
	size_t n = 0;

	for (int tries = 0; tries < 4 && n == 0; tries++) {
		const struct ir_arch *a = &ir->arches[rnd() % ir->narches];
		const struct ir_syscall *s;
		const struct ir_rule *r;
		if (!a->ncalls)
			break;
		s = &a->calls[rnd() % a->ncalls];
		if (!s->nrules)
			continue;
		r = &s->rules[rnd() % s->nrules];
		for (unsigned k = 0; k < r->ncmp && n < 60; k++) {
			pool[n++] = r->cmp[k].value;
			pool[n++] = r->cmp[k].value | (r->cmp[k].mask ^ r->cmp[k].value);
		}
	}
	switch (rnd() % 8) {
	case 0: return rnd();
	case 1: return rnd() & 0xffffffff;
	case 2: return some_value();
	default: break;
	}
	if (n == 0)
		return some_value();
	{
		uint64_t v = pool[rnd() % n];
		switch (rnd() % 6) {
		case 0: return v + 1;
		case 1: return v - 1;
		case 2: return v ^ (UINT64_C(1) << (rnd() % 64));
		case 3: return v | (rnd() << 32);
		default: return v;
		}
	}
}

static void compare_arch(const char *what, const struct sc_filter *f, const struct sc_arch *arch,
			 const struct sock_filter *ref, size_t nref, const char *json)
{
	uint32_t token = seccomp_arch_resolve_name(arch->name);
	const struct ir_arch *ia = NULL;

	for (size_t i = 0; i < f->ir->narches; i++)
		if (f->ir->arches[i].arch == arch)
			ia = &f->ir->arches[i];
	/* every number with rules, and a sample of the others */
	for (uint32_t i = 0; i < ia->ncalls + 60; i++) {
		uint32_t nr;
		const struct sc_syscall *known;

		if (i < ia->ncalls)
			nr = ia->calls[i].nr;
		else
			nr = ((uint32_t)(rnd() % 460) + arch->nr_base) | arch->nr_bit;
		known = sc_syscall_by_nr(arch, nr);
		/* newer than this libseccomp: runc skips the name; not a question of meaning */
		if (known && seccomp_syscall_resolve_name_arch(token, known->name) < 0) {
			n_skipped++;
			continue;
		}
		for (int k = 0; k < DRAWS; k++) {
			struct seccomp_data sd;
			uint64_t args[6];
			uint32_t ours, theirs;
			for (int j = 0; j < 6; j++)
				args[j] = k == 0 ? 0 : interesting(f->ir);
			filter_seccomp_data(arch, nr, args, &sd);
			ours = bpf_sim_run(f->prog, f->len, &sd);
			theirs = bpf_sim_run(ref, nref, &sd);
			n_calls++;
			if (ours == theirs)
				continue;
			n_differ++;
			if (policy_differ++ < 2 && n_printed++ < 40) {
				char a[64], b[64];
				printf("DIFFER %s on %s: %s (%u) args %#llx %#llx %#llx %#llx: seccompose %s, "
				       "libseccomp %s\n", what, arch->name, known ? known->name : "?", nr,
				       (unsigned long long)args[0], (unsigned long long)args[1],
				       (unsigned long long)args[2], (unsigned long long)args[3],
				       bpf_action_name(ours, a, sizeof(a)), bpf_action_name(theirs, b, sizeof(b)));
				if (policy_differ == 1 && (n_printed < 8 || getenv("SC_ROUND"))) {
					char *e = NULL;
					sc_filter_explain(f, NULL, &e);
					printf("--- exported:\n%s\n--- ours:\n%s\n", json, e);
					free(e);
				}
			}
			failed = 1;
		}
	}
}

/* Export @p, compile the export as runc does, compare. @p is consumed. */
static void check_policy(const char *what, struct sc_policy *p, bool must_export)
{
	struct sc_filter *f = NULL;
	struct sc_policy *q = NULL;
	struct sc_diag d = { 0 };
	struct sock_filter *ref = NULL;
	size_t len, nref = 0;
	char *json = NULL;
	double ms = 0;
	int r;

	if (sc_policy_compile(p, &f, &d) < 0) {
		if (must_export) {
			printf("FAIL %s does not compile: %s\n", what, d.message);
			failed = 1;
		}
		sc_policy_free(p);
		return;
	}
	if (sc_filter_export(f, SC_FORMAT_OCI, &json, &len, &d) < 0) {
		n_refused++;
		if (!strstr(d.message, "cannot export") || must_export) {
			printf("FAIL %s: export refused: %s\n", what, d.message);
			failed = 1;
		} else if (n_refused <= 5 || !strstr(what, "random")) {
			printf("# refused (%s): %s\n", what, d.message);
		}
		goto out;
	}
	n_exported++;
	if (sc_policy_load_buffer("export.json", json, len, NULL, &q, &d) < 0) {
		printf("FAIL %s: the export does not load: %s\n%s\n", what, d.message, json);
		failed = 1;
		goto out;
	}
	r = bounded_compile(q, &ref, &nref, &ms);
	if (ms > slowest_ms)
		slowest_ms = ms;
	if (r == -ETIME) {
		printf("FAIL %s: libseccomp needed more than %d s of CPU for the export:\n%s\n", what,
		       CPU_LIMIT_S, json);
		n_slow++;
		failed = 1;
		goto out;
	}
	if (r < 0) {
		printf("FAIL %s: libseccomp refused the export:\n%s\n", what, json);
		failed = 1;
		goto out;
	}
	policy_differ = 0;
	if (getenv("SC_ROUND")) {
		char *e = NULL;
		sc_filter_explain(f, NULL, &e);
		printf("--- exported:\n%s\n--- ours:\n%s\n", json, e);
		free(e);
	}
	for (size_t i = 0; i < f->ir->narches; i++)
		compare_arch(what, f, f->ir->arches[i].arch, ref, nref, json);
out:
	free(ref);
	free(json);
	sc_policy_free(q);
	sc_filter_free(f);
	sc_policy_free(p);
}

static struct sc_policy *from_text(const char *name, const char *text)
{
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_load_buffer(name, text, strlen(text), NULL, &p, &d) < 0) {
		printf("FAIL %s does not load: %s\n", name, d.message);
		exit(1);
	}
	return p;
}

/* OCI → TOML: a whole-register test keeps its meaning or is refused with a hint; what is
 * written loads back and means the same on x86_64. */
static void check_toml(const char *name, const char *json, bool must_export)
{
	struct sc_policy *p = from_text(name, json), *q = NULL;
	struct sc_filter *f = NULL, *g = NULL;
	struct sc_diag d = { 0 };
	const struct sc_arch *arch = sc_arch_lookup("x86_64");
	unsigned long calls = 0;
	char *toml = NULL;
	size_t len;

	if (sc_policy_compile(p, &f, &d) < 0) {
		printf("FAIL %s does not compile: %s\n", name, d.message);
		exit(1);
	}
	if (sc_filter_export(f, SC_FORMAT_TOML, &toml, &len, &d) < 0) {
		if (must_export || !strstr(d.message, "cannot export") || !d.hint[0]) {
			printf("FAIL %s: TOML export refused: %s\n", name, d.message);
			failed = 1;
		} else {
			printf("# %s: refused: %s (hint: %s)\n", name, d.message, d.hint);
		}
		goto out;
	}
	if (sc_policy_load_buffer("export.toml", toml, len, NULL, &q, &d) < 0 ||
	    sc_policy_compile(q, &g, &d) < 0) {
		printf("FAIL %s: the TOML export does not load back: %s\n%s\n", name, d.message, toml);
		failed = 1;
		goto out;
	}
	for (int k = 0; k < 5000; k++) {
		const struct ir_arch *ia = &f->ir->arches[0];
		uint32_t nr = ia->calls[rnd() % ia->ncalls].nr, a, b;
		uint64_t args[6];
		for (int j = 0; j < 6; j++)
			args[j] = interesting(f->ir);
		a = sc_filter_eval(f, arch, nr, args);
		b = sc_filter_eval(g, arch, nr, args);
		calls++;
		if (a != b) {
			printf("FAIL %s: nr %u args %#llx %#llx: profile %#x, TOML export %#x\n%s\n", name,
			       nr, (unsigned long long)args[0], (unsigned long long)args[1], a, b, toml);
			failed = 1;
			break;
		}
	}
	printf("# %s: exported to TOML, %lu calls: same action\n", name, calls);
out:
	free(toml);
	sc_filter_free(g);
	sc_policy_free(q);
	sc_filter_free(f);
	sc_policy_free(p);
}

int main(int argc, char **argv)
{
	/* The defects the audit found, each stated as a policy. */
	static const struct {
		const char *name, *text;
		bool must_export;
	} cases[] = {
		/* i386 mmap (old_mmap) reads its arguments from memory: denied whatever they are
		 * there, tested on x86_64: one OCI rule list cannot say both */
		{ "mmap-i386.toml",
		  "default_action = \"Allow\"\narchitectures = [\"x86_64\", \"x86\"]\n"
		  "[[syscalls]]\nnames = [\"mmap\"]\naction = \"Errno\"\nconditions = [\n"
		  "  { argument = \"prot\", type = \"bitmask_all\", value = \"PROT_EXEC\" },\n]\n", false },
		/* ranges on a register-wide argument: exact on both widths */
		{ "range.toml",
		  "default_action = \"Allow\"\narchitectures = [\"x86_64\", \"x86\", \"x32\"]\n"
		  "[[syscalls]]\nnames = [\"lseek\", \"madvise\"]\naction = \"Errno\"\nconditions = [\n"
		  "  { index = 2, type = \"greater_than\", value = 5 },\n"
		  "  { index = 2, type = \"less_than\", value = 1000 },\n]\n", true },
		/* four rules whose precedence made 52 OCI rules and a libseccomp that spins */
		{ "blowup.toml",
		  "default_action = \"Allow\"\narchitectures = [\"x86_64\"]\n"
		  "[[syscalls]]\nnames = [\"clone\"]\naction = \"KillProcess\"\nconditions = [\n"
		  "  { argument = \"clone_flags\", type = \"bitmask_any\", value = \"CLONE_NEWUSER|CLONE_NEWNS\" },\n]\n"
		  "[[syscalls]]\nnames = [\"clone\"]\naction = \"Errno\"\nconditions = [\n"
		  "  { argument = \"clone_flags\", type = \"masked_equals\", mask = \"0xff\", value = 17 },\n"
		  "  { argument = \"newsp\", type = \"not_equals\", value = 0 },\n]\n"
		  "[[syscalls]]\nnames = [\"clone\"]\naction = \"Log\"\nconditions = [\n"
		  "  { argument = \"clone_flags\", type = \"bitmask_none\", value = \"0x7fff0000\" },\n]\n", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_policy(cases[i].name, from_text(cases[i].name, cases[i].text), cases[i].must_export);
	/* a 64-bit != on ioctl's 32-bit cmd, in a group with write, whose arg 1 is a pointer */
	check_toml("ioctl-ne.json",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		   "\"syscalls\":[{\"names\":[\"ioctl\",\"write\"],\"action\":\"SCMP_ACT_ERRNO\","
		   "\"args\":[{\"index\":1,\"value\":21522,\"op\":\"SCMP_CMP_NE\"}]}]}", false);
	/* an index past close's one parameter */
	check_toml("past.json",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		   "\"syscalls\":[{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\","
		   "\"args\":[{\"index\":3,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", false);
	/* what has a TOML spelling is written: cmd's low half, a pointer-wide length */
	check_toml("fits.json",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		   "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ERRNO\","
		   "\"args\":[{\"index\":1,\"value\":4294967295,\"valueTwo\":21522,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
		   "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\","
		   "\"args\":[{\"index\":2,\"value\":4096,\"op\":\"SCMP_CMP_GT\"}]}]}", true);
	printf("# hand-written: %lu exported, %lu refused\n", n_exported, n_refused);
	for (int i = 1; i < argc; i++) {
		struct sc_policy *p = NULL;
		struct sc_diag d = { 0 };
		if (sc_policy_load_file(argv[i], NULL, &p, &d) < 0) {
			printf("FAIL %s does not load: %s\n", argv[i], d.message);
			failed = 1;
			continue;
		}
		check_policy(argv[i], p, false);
		/* and for the three x86 ABIs at once, as a multi-arch container would ask */
		if (sc_policy_load_file(argv[i], NULL, &p, &d) < 0)
			continue;
		p->arches = xreallocarray(p->arches, 3, sizeof(*p->arches));
		p->arches[0] = sc_arch_lookup("x86_64");
		p->arches[1] = sc_arch_lookup("x86");
		p->arches[2] = sc_arch_lookup("x32");
		p->narches = 3;
		check_policy(argv[i], p, false);
	}
	printf("# built-in and given policies: %lu exported, %lu refused so far\n", n_exported, n_refused);
	for (int round = 0; round < 80; round++) {
		char what[32];
		struct sc_policy *p = random_policy();
		snprintf(what, sizeof(what), "random policy %d", round);
		if (getenv("SC_ROUND") && atoi(getenv("SC_ROUND")) != round) {
			sc_policy_free(p);
			continue;
		}
		check_policy(what, p, false);
	}
	printf("# %lu policies exported, %lu refused with a message; %lu over %d s of libseccomp CPU; "
	       "slowest libseccomp compile %.0f ms\n", n_exported, n_refused, n_slow, CPU_LIMIT_S,
	       slowest_ms);
	printf("# %lu calls compared on every listed ABI, %lu differ; %lu syscall numbers skipped "
	       "(newer than libseccomp)\n", n_calls, n_differ, n_skipped);
	return failed;
}
