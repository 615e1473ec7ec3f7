/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our compile of an OCI profile and libseccomp's compile of the same profile (built the way
 * runc builds it, lib/bpf/ref-libseccomp.c) give the same action, both run in the userspace
 * interpreter. Three sources of profiles:
 *
 *  - one fixed case per class where seccompose once read a profile otherwise than runc
 *    (issue 9); each also checks the action runc gives, so a regression on both sides
 *    cannot pass;
 *  - RANDOM profiles (fixed seed): every operator, several args on one index and on
 *    different ones, values near 2^31, 2^32 and 2^63, x86_64/x86/x32 listed or not,
 *    defaultErrnoRet/errnoRet on any action. Both compiles are also judged by a small
 *    model of runc + libseccomp written here from their documentation and source (first
 *    unconditional rule decides, whole-register compares, (arg & mask) == (datum & mask),
 *    mask 0 drops the test, unlisted ABIs KILL_THREAD, nr -1 the default);
 *  - the profiles given on the command line: every syscall number 0–1023 on every
 *    listed architecture, arguments drawn at random and from the profile's constants.
 *
 * The one documented class allowed to differ (docs/policy-language.md): when conditional
 * rules with different actions both match one call, libseccomp's tree order and ours
 * (most restrictive first) may pick differently; such calls are counted apart, and each
 * side must still give one of the matching rules' actions.
 * Usage: test-ref-agreement [PROFILE.json...]
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/bpf-sim.h"
#include "api/filter.h"
#include "policy/policy.h"
#include "bpf/ref-libseccomp.h"
#include "xorshift.h"

#define DRAWS 48
#define RANDOM_PROFILES 1500
#define RANDOM_DRAWS 16

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

static unsigned long cases, differ, skipped, overlaps, refused, ref_refused, miscompiles;

/* ---- a model of runc + libseccomp 2.5.4 ----------------------------------------------- */

static bool listed(const struct sc_policy *p, const struct sc_arch *a)
{
	if (p->narches == 0)
		return a == sc_arch_native();
	for (size_t i = 0; i < p->narches; i++)
		if (p->arches[i] == a)
			return true;
	return false;
}

/* A condition as libseccomp compares it: the whole register (32 bits on 32-bit ABIs and
 * x32), MASKED_EQ as (arg & mask) == (datum & mask). */
static bool cond_holds(const struct pol_cond *c, const struct sc_arch *a, const uint64_t args[6])
{
	uint64_t w = a->oci_arg_bits >= 64 ? UINT64_MAX : UINT32_MAX;
	uint64_t x = args[c->index] & w, v = c->value.num & w, m = c->mask.num & w;

	switch (c->op) {
	case POL_EQ: return x == v;
	case POL_NE: return x != v;
	case POL_LT: return x < v;
	case POL_LE: return x <= v;
	case POL_GT: return x > v;
	case POL_GE: return x >= v;
	case POL_MASKED_EQ: return (x & m) == (v & m);
	default: return false;
	}
}

static bool cond_dropped(const struct pol_cond *c, const struct sc_arch *a)
{
	uint64_t w = a->oci_arg_bits >= 64 ? UINT64_MAX : UINT32_MAX;
	return c->op == POL_MASKED_EQ && (c->mask.num & w) == 0;
}

static bool rule_names(const struct pol_rule *r, const struct sc_arch *a, uint32_t nr)
{
	for (size_t k = 0; k < r->nnames; k++) {
		const struct sc_syscall *s = sc_syscall_lookup(a, r->names[k].name);
		if (s && (s->nr | a->nr_bit) == nr)
			return true;
	}
	return false;
}

/* One alternative of rule @r (runc: with two args on one index, each arg is a rule). */
static void alt_eval(const struct pol_rule *r, size_t j, const struct sc_arch *a,
		     const uint64_t args[6], bool *uncond, bool *holds)
{
	size_t from = r->split_conds ? j : 0, to = r->split_conds ? j + 1 : r->nconds;

	*uncond = true;
	*holds = true;
	for (size_t k = from; k < to; k++) {
		if (cond_dropped(&r->conds[k], a))
			continue;
		*uncond = false;
		*holds &= cond_holds(&r->conds[k], a, args);
	}
}

/* runc's action for a call; when conditional rules with different actions match, their
 * actions in @alts (the documented overlap class). */
static uint32_t model(const struct sc_policy *p, const struct sc_arch *a, uint32_t nr,
		      const uint64_t args[6], uint32_t alts[8], size_t *nalts)
{
	uint32_t def = sc_action_to_ret(p->def), found = def;

	*nalts = 0;
	if (!listed(p, a))
		return SECCOMP_RET_KILL_THREAD; /* libseccomp's bad-arch action, runc keeps it */
	if (nr == UINT32_MAX)
		return def; /* a tracer's skipped call: no rule can name it */
	/* libseccomp: the first unconditional rule added replaces the conditional ones and
	 * refuses later ones. */
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pol_rule *r = &p->rules[i];
		size_t nalt = r->split_conds ? r->nconds : 1;
		if (sc_action_to_ret(r->action) == def || !rule_names(r, a, nr))
			continue;
		for (size_t j = 0; j < nalt; j++) {
			bool uncond, holds;
			alt_eval(r, j, a, args, &uncond, &holds);
			if (uncond)
				return sc_action_to_ret(r->action);
		}
	}
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pol_rule *r = &p->rules[i];
		size_t nalt = r->split_conds ? r->nconds : 1;
		if (sc_action_to_ret(r->action) == def || !rule_names(r, a, nr))
			continue;
		for (size_t j = 0; j < nalt; j++) {
			bool uncond, holds, seen = false;
			uint32_t act = sc_action_to_ret(r->action);
			alt_eval(r, j, a, args, &uncond, &holds);
			if (!holds)
				continue;
			for (size_t k = 0; k < *nalts; k++)
				seen |= alts[k] == act;
			if (!seen && *nalts < 8)
				alts[(*nalts)++] = act;
			found = act;
		}
	}
	if (*nalts <= 1)
		*nalts = 0;
	return found;
}

/* ---- comparing ------------------------------------------------------------------------- */

struct pair {
	const char *name;
	struct sc_policy *p;
	struct sc_filter *f;
	struct sock_filter *ref;
	size_t nref;
};

static bool in(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* libseccomp 2.5.4 miscompiles some syscalls whose several conditional rules it merges
 * into one tree: range comparisons (GHSA-4q85-33p6-j5g6 for 64-bit ones; here on x86 as
 * well: a KILL for `arg0 > 0x80000000` with arg0 1), and an NE beside an EQ on one
 * argument (a LOG for `arg0 == 0` with arg0 0xff). Such calls are counted apart when our
 * answer is the rules' own meaning (the model). Does @nr have more than one rule? */
static bool tree_merge(const struct sc_policy *p, const struct sc_arch *a, uint32_t nr)
{
	size_t alts = 0;

	for (size_t i = 0; i < p->nrules; i++)
		if (rule_names(&p->rules[i], a, nr) && p->rules[i].nconds)
			alts += p->rules[i].split_conds ? p->rules[i].nconds : 1;
	return alts > 1;
}

/* One call: ours, libseccomp's and the model's answers. Returns false on a difference. */
static bool compare_call(const struct pair *c, const struct sc_arch *arch, uint32_t nr,
			 const uint64_t args[6], bool use_model)
{
	struct seccomp_data sd = { 0 };
	uint32_t ours, theirs, want = 0, alts[8];
	size_t nalts = 0;
	bool ok;

	filter_seccomp_data(arch, nr, args, &sd);
	ours = bpf_sim_run(c->f->prog, c->f->len, &sd);
	theirs = bpf_sim_run(c->ref, c->nref, &sd);
	cases++;
	if (use_model)
		want = model(c->p, arch, nr, args, alts, &nalts);
	if (nalts > 1) {
		ok = in(alts, nalts, ours) && (in(alts, nalts, theirs) || tree_merge(c->p, arch, nr));
		overlaps += ok && ours != theirs;
	} else if (use_model && ours == want && theirs != want && tree_merge(c->p, arch, nr)) {
		ok = true; /* libseccomp's, not ours: counted apart */
		miscompiles++;
	} else {
		ok = ours == theirs && (!use_model || ours == want);
	}
	if (!ok) {
		if (differ < 20) {
			const struct sc_syscall *s = sc_syscall_by_nr(arch, nr);
			printf("DIFFER %s %s %s (%#x) args=%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ": ours %#x, "
			       "libseccomp %#x", c->name, arch->name, s ? s->name : "?", nr, args[0], args[1],
			       args[2], ours, theirs);
			if (use_model)
				printf(", runc's meaning %#x%s", want, nalts > 1 ? " (overlap)" : "");
			printf("\n");
		}
		differ++;
	}
	return ok;
}

/* sc_policy_load_buffer() for OCI text, without the built-in group database that an OCI
 * profile never uses (parsing it would take most of this test's time). */
static int load_oci_text(const char *name, const char *buf, size_t len, struct sc_policy **ret,
			 struct sc_diag *d)
{
	struct sc_policy *p = policy_new(name, buf, len);
	int r;

	p->format = POL_FORMAT_OCI;
	p->groups = groups_new();
	r = load_oci(p, NULL, d);
	if (r < 0) {
		sc_policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

static int pair_build(struct pair *c, const char *name, const char *buf, size_t len, bool file)
{
	struct sc_diag d = { 0 };
	int r;

	memset(c, 0, sizeof(*c));
	c->name = name;
	r = file ? sc_policy_load_file(name, NULL, &c->p, &d)
		 : load_oci_text(name, buf, len, &c->p, &d);
	if (r == 0)
		r = sc_policy_compile(c->p, &c->f, &d);
	if (r < 0 && c->p) {
		sc_policy_free(c->p);
		c->p = NULL;
	}
	if (r < 0) {
		if (!file && strstr(d.message, "is wider than the 32-bit argument registers")) {
			refused++; /* libseccomp would truncate it: refused with a message (docs) */
			return 1;
		}
		printf("%s: ", name);
		sc_diag_print(&d, stdout);
		if (!file)
			printf("%.*s\n", (int)len, buf);
		return -1;
	}
	r = ref_libseccomp_compile(c->p, false, &c->ref, &c->nref);
	if (r == -EEXIST && !file) {
		/* libseccomp refuses some overlapping rules for one syscall (runc then fails to
		 * start the container); we compile them (docs/policy-language.md). */
		ref_refused++;
		sc_filter_free(c->f);
		sc_policy_free(c->p);
		return 1;
	}
	if (r < 0) {
		printf("libseccomp could not compile %s: %s\n", name, strerror(-r));
		sc_filter_free(c->f);
		sc_policy_free(c->p);
		return -1;
	}
	return 0;
}

static void pair_free(struct pair *c)
{
	free(c->ref);
	sc_filter_free(c->f);
	sc_policy_free(c->p);
}

/* ---- one fixed case per class ------------------------------------------------------------- */

struct fixed {
	const char *what, *json;
	const char *arch, *sys; /* the call to check ("-1": nr -1) */
	uint64_t a0;
	uint32_t want;          /* what runc gives it */
};

static const struct fixed fixed_cases[] = {
	{ "native arch always in the filter",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],\"syscalls\":["
	  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}",
	  "x86_64", "getppid", 0, SECCOMP_RET_ERRNO | 13 },
	{ "MASKED_EQ datum with bits outside the mask",
	  "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],"
	  "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":255,\"valueTwo\":264,"
	  "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
	  "x86_64", "personality", 8, SECCOMP_RET_ALLOW },
	{ "nr -1 on x86_64 gets the default",
	  "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"architectures\":"
	  "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
	  "x86_64", "-1", 0, SECCOMP_RET_ERRNO | 38 },
	{ "defaultErrnoRet with an Allow default is ignored",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1,\"syscalls\":["
	  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}",
	  "x86_64", "getppid", 0, SECCOMP_RET_ERRNO | 13 },
	{ "errnoRet on a Trap rule is ignored",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
	  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_TRAP\",\"errnoRet\":5},"
	  "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_LOG\",\"errnoRet\":5}]}",
	  "x86_64", "getppid", 0, SECCOMP_RET_TRAP },
	{ "MASKED_EQ with mask 0 is unconditional: the first unconditional rule decides",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
	  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,\"args\":"
	  "[{\"index\":0,\"value\":0,\"valueTwo\":7,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
	  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":"
	  "[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	  "x86_64", "getppid", 1, SECCOMP_RET_ERRNO | 13 },
};

static const char *const probe_arches[] = { "x86_64", "x86", "x32" };

/* Every call of every syscall the profile names (and its neighbours, and nr -1) on the
 * x86 family, listed or not, with @draws argument vectors from @vals. */
static void compare_named(const struct pair *c, const uint64_t *vals, size_t nvals, int draws)
{
	for (size_t ai = 0; ai < sizeof(probe_arches) / sizeof(probe_arches[0]); ai++) {
		const struct sc_arch *arch = sc_arch_lookup(probe_arches[ai]);
		uint32_t nrs[64];
		size_t n = 0;
		for (size_t i = 0; i < c->p->nrules; i++)
			for (size_t k = 0; k < c->p->rules[i].nnames && n + 3 < 60; k++) {
				const struct sc_syscall *s = sc_syscall_lookup(arch, c->p->rules[i].names[k].name);
				if (!s)
					continue;
				nrs[n++] = s->nr | arch->nr_bit;
				nrs[n++] = (s->nr + 1) | arch->nr_bit;
			}
		nrs[n++] = (uint32_t)(rnd() % 450) | arch->nr_bit;
		if (arch->audit_arch == AUDIT_ARCH_X86_64 && !arch->nr_bit)
			nrs[n++] = UINT32_MAX;
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < draws; k++) {
				uint64_t args[6];
				for (int j = 0; j < 6; j++) {
					uint64_t v = vals[rnd() % nvals];
					switch (k == 0 ? 9 : rnd() % 8) {
					case 0: v = rnd(); break;
					case 1: v += 1; break;
					case 2: v -= 1; break;
					case 3: v ^= UINT64_C(1) << 32; break;
					case 9: v = 0; break;
					}
					args[j] = v;
				}
				compare_call(c, arch, nrs[i], args, true);
			}
	}
}

static int run_fixed(void)
{
	unsigned long bad = 0;

	for (size_t i = 0; i < sizeof(fixed_cases) / sizeof(fixed_cases[0]); i++) {
		const struct fixed *fc = &fixed_cases[i];
		const struct sc_arch *arch = sc_arch_lookup(fc->arch);
		uint64_t args[6] = { fc->a0 }, vals[] = { 0, 1, 7, 8, 13, 255, 264, UINT64_MAX };
		uint32_t nr = strcmp(fc->sys, "-1") == 0 ? UINT32_MAX : sc_syscall_lookup(arch, fc->sys)->nr;
		unsigned long before = differ;
		struct pair c;
		struct seccomp_data sd;
		uint32_t ours, theirs;

		if (pair_build(&c, fc->what, fc->json, strlen(fc->json), false) != 0) {
			bad++;
			printf("not ok - %s: does not compile\n", fc->what);
			continue;
		}
		filter_seccomp_data(arch, nr, args, &sd);
		ours = bpf_sim_run(c.f->prog, c.f->len, &sd);
		theirs = bpf_sim_run(c.ref, c.nref, &sd);
		compare_named(&c, vals, sizeof(vals) / sizeof(vals[0]), 8);
		if (ours != fc->want || theirs != fc->want || differ != before) {
			printf("not ok - %s: %s %s(%#" PRIx64 "): ours %#x, libseccomp %#x, runc's %#x\n",
			       fc->what, fc->arch, fc->sys, fc->a0, ours, theirs, fc->want);
			bad++;
		} else {
			printf("ok - %s\n", fc->what);
		}
		pair_free(&c);
	}
	return bad ? -1 : 0;
}

/* ---- random profiles ---------------------------------------------------------------------- */

/* Known to libseccomp 2.5.4 on x86_64, x86 and x32, and not multiplexed on x86 (socketcall,
 * ipc: a documented difference of their own). */
static const char *const random_names[] = {
	"read", "write", "close", "ioctl", "getppid", "personality", "kill", "prctl", "fcntl",
	"dup3", "lseek", "mprotect", "madvise", "setns", "unshare", "getpid", "umask", "flock",
	"fchmod", "tgkill",
};
static const char *const random_actions[] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
	"SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_KILL_THREAD",
};
static const char *const random_ops[] = {
	"SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE",
	"SCMP_CMP_MASKED_EQ",
};
/* Near 2^31, 2^32 and 2^63, sign-extended negatives, small ones. */
static const uint64_t edges[] = {
	0, 1, 2, 5, 0xff, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
	0x100000000, 0x100000001, 0x1ffffffff, 0x7ffffffffffffffe, 0x7fffffffffffffff,
	0x8000000000000000, 0x8000000000000001, 0xffffffff7fffffff, 0xffffffff80000000,
	0xfffffffffffffffe, 0xffffffffffffffff,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

#define PICK(a) (a)[rnd() % (sizeof(a) / sizeof((a)[0]))]

struct sbuf {
	char s[8192];
	size_t n;
};

__attribute__((format(printf, 2, 3))) static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	b->n += (size_t)vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
}

static uint64_t random_value(bool narrow)
{
	uint64_t v = rnd() % 4 ? edges[rnd() % NEDGES] : rnd() >> (rnd() % 64);

	/* With a 32-bit ABI listed most values fit it, else most profiles are refused. */
	if (narrow && rnd() % 8)
		v &= UINT32_MAX;
	return v;
}

static size_t random_profile(struct sbuf *b, uint64_t *vals, size_t maxvals)
{
	static const char *const arches[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" };
	unsigned archset = (unsigned)(rnd() % 8), nrules = 1 + (unsigned)(rnd() % 6);
	bool narrow = (archset & 6) != 0, first = true;
	size_t nvals = 0;

	b->n = 0;
	put(b, "{\"defaultAction\":\"%s\"", PICK(random_actions));
	if (rnd() % 3 == 0)
		put(b, ",\"defaultErrnoRet\":%u", 1 + (unsigned)(rnd() % 40));
	if (archset || rnd() % 2) {
		put(b, ",\"architectures\":[");
		for (unsigned i = 0; i < 3; i++)
			if (archset & (1u << i)) {
				put(b, "%s\"%s\"", first ? "" : ",", arches[i]);
				first = false;
			}
		put(b, "]");
	}
	put(b, ",\"syscalls\":[");
	for (unsigned i = 0; i < nrules; i++) {
		unsigned nnames = 1 + (unsigned)(rnd() % 2), nargs = (unsigned)(rnd() % 4);
		put(b, "%s{\"names\":[", i ? "," : "");
		for (unsigned k = 0; k < nnames; k++)
			put(b, "%s\"%s\"", k ? "," : "", PICK(random_names));
		put(b, "],\"action\":\"%s\"", PICK(random_actions));
		if (rnd() % 3 == 0)
			put(b, ",\"errnoRet\":%u", 1 + (unsigned)(rnd() % 40));
		if (nargs)
			put(b, ",\"args\":[");
		for (unsigned k = 0; k < nargs; k++) {
			uint64_t v = random_value(narrow), v2 = random_value(narrow);
			const char *op = PICK(random_ops);
			if (strcmp(op, "SCMP_CMP_MASKED_EQ") == 0 && rnd() % 6 == 0)
				v = 0;
			put(b, "%s{\"index\":%u,\"value\":%" PRIu64 ",\"valueTwo\":%" PRIu64 ",\"op\":\"%s\"}",
			    k ? "," : "", (unsigned)(rnd() % 3), v, v2, op);
			if (nvals + 2 <= maxvals) {
				vals[nvals++] = v;
				vals[nvals++] = v2;
			}
		}
		if (nargs)
			put(b, "]");
		put(b, "}");
	}
	put(b, "]}");
	if (nvals + NEDGES <= maxvals)
		for (size_t i = 0; i < NEDGES; i++)
			vals[nvals++] = edges[i];
	return nvals;
}

static int run_random(void)
{
	unsigned long before = differ, profiles = 0, before_cases = cases;
	struct sbuf b;
	uint64_t vals[128];

	rng_state = 0x5eed0c10c1ULL;
	for (int i = 0; i < RANDOM_PROFILES; i++) {
		size_t nvals = random_profile(&b, vals, 128);
		unsigned long had = differ;
		struct pair c;
		int r = pair_build(&c, "random", b.s, b.n, false);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		profiles++;
		compare_named(&c, vals, nvals, RANDOM_DRAWS);
		if (differ != had && had < 20)
			printf("# in profile %d: %s\n", i, b.s);
		pair_free(&c);
	}
	printf("# random: %d profiles, %lu compared; refused by us (a value wider than a listed 32-bit "
	       "ABI's registers) %lu, by libseccomp (EEXIST) %lu\n", RANDOM_PROFILES, profiles, refused,
	       ref_refused);
	printf("# random: %lu calls, %lu differ; documented classes: %lu overlapping conditional rules "
	       "decided otherwise, %lu libseccomp tree-merge miscompiles\n", cases - before_cases,
	       differ - before, overlaps, miscompiles);
	return differ != before ? -1 : 0;
}

/* ---- profiles from files ------------------------------------------------------------------- */

/* Values that make conditions flip: the profile's own, their neighbours, high-bit variants. */
static uint64_t interesting(const struct sc_policy *p)
{
	static uint64_t pool[1024];
	static size_t n;

	if (n == 0) {
		for (size_t i = 0; i < p->nrules && n < 1000; i++)
			for (size_t k = 0; k < p->rules[i].nconds && n < 1000; k++) {
				uint64_t v = p->rules[i].conds[k].value.num;
				pool[n++] = v;
				pool[n++] = v + 1;
				pool[n++] = v - 1;
				pool[n++] = v | (UINT64_C(1) << 32);
			}
		pool[n++] = 0;
	}
	switch (rnd() % 4) {
	case 0: return rnd();
	case 1: return rnd() & 0xffffffff;
	default: return pool[rnd() % n];
	}
}

static int run_file(const char *file)
{
	struct pair c;

	if (pair_build(&c, file, NULL, 0, true) != 0)
		return -1;
	printf("# %s: seccompose %zu instructions, libseccomp %zu\n", file, c.f->len, c.nref);
	for (size_t a = 0; a < c.f->ir->narches; a++) {
		const struct sc_arch *arch = c.f->ir->arches[a].arch;
		unsigned long mine = 0;
		uint32_t token = seccomp_arch_resolve_name(arch->name);
		for (uint32_t i = 0; i < 1024; i++) {
			uint32_t nr = (i + arch->nr_base) | arch->nr_bit;
			/* A syscall newer than this libseccomp: runc would skip its rule, we
			 * keep it. Not a disagreement about meaning; counted apart. */
			const struct sc_syscall *known = sc_syscall_by_nr(arch, nr);
			if (known && seccomp_syscall_resolve_name_arch(token, known->name) < 0 &&
			    sc_filter_rule_count(c.f, arch, nr) > 0) {
				skipped++;
				continue;
			}
			for (int k = 0; k < DRAWS; k++) {
				uint64_t args[6];
				for (int j = 0; j < 6; j++)
					args[j] = k == 0 ? 0 : interesting(c.p);
				compare_call(&c, arch, nr, args, false);
				mine++;
			}
		}
		printf("# %s %s: %lu calls compared\n", file, arch->name, mine);
	}
	pair_free(&c);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	bad |= run_fixed() < 0;
	bad |= run_random() < 0;
	for (int fi = 1; fi < argc; fi++)
		bad |= run_file(argv[fi]) < 0;
	printf("# %lu calls compared, %lu differ; %lu syscall numbers skipped (newer than libseccomp)\n",
	       cases, differ, skipped);
	printf("%lu passed, %lu failed\n", cases - differ, differ + (bad && !differ));
	return bad || differ ? 1 : 0;
}
