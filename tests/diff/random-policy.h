/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * random-policy.h — random policies for the diff and intersect tests, built in memory with
 * the builder (no text in between), and the calls to try them with: a few syscalls whose
 * arguments are numbers, conditions of every operator on them with values from a small pool
 * (so that rules of two policies overlap), random actions and errnos, one or two ABIs.
 */
#ifndef SC_TEST_RANDOM_POLICY_H
#define SC_TEST_RANDOM_POLICY_H

#include <stdint.h>
#include <string.h>

#include "seccompose.h"
#include "xorshift.h"

/* Syscalls and the arguments conditions go on (numbers, not pointers). */
static const struct {
	const char *name;
	unsigned args[3];
	unsigned nargs;
} rp_syscalls[] = {
	{ "ioctl", { 0, 1 }, 2 },       { "socket", { 0, 1, 2 }, 3 }, { "fcntl", { 0, 1, 2 }, 3 },
	{ "prctl", { 0, 1, 2 }, 3 },    { "kill", { 0, 1 }, 2 },       { "mmap", { 2, 3, 4 }, 3 },
	{ "personality", { 0 }, 1 },   { "close", { 0 }, 1 },         { "dup3", { 0, 1, 2 }, 3 },
	{ "lseek", { 0, 1, 2 }, 3 },    { "getpid", { 0 }, 0 },        { "read", { 0 }, 1 },
	{ "setsockopt", { 0, 1, 2 }, 3 },
};
#define RP_NSYSCALLS (sizeof(rp_syscalls) / sizeof(rp_syscalls[0]))

static const uint64_t rp_values[] = {
	0, 1, 2, 3, 5, 16, 0x5401, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, UINT64_MAX,
};
#define RP_NVALUES (sizeof(rp_values) / sizeof(rp_values[0]))

static const uint64_t rp_masks[] = { 1, 2, 3, 0xf0, 0x80000000, 0xff, 0x100000001ULL };
#define RP_NMASKS (sizeof(rp_masks) / sizeof(rp_masks[0]))

static const struct sc_action rp_actions[] = {
	{ SC_ACT_ALLOW, 0 }, { SC_ACT_ALLOW, 0 }, { SC_ACT_ALLOW, 0 }, { SC_ACT_ERRNO, EPERM },
	{ SC_ACT_ERRNO, EACCES }, { SC_ACT_KILL_PROCESS, 0 }, { SC_ACT_TRAP, 0 }, { SC_ACT_LOG, 0 },
	{ SC_ACT_KILL_THREAD, 0 },
};
#define RP_NACTIONS (sizeof(rp_actions) / sizeof(rp_actions[0]))

enum rp_variant {
	RP_PLAIN,  /* the policy the seed gives */
	RP_REPEAT, /* the same, its first rule said twice: equal */
	RP_MUTATE, /* the same, one value of its last rule changed */
};

static inline uint64_t rp_value(uint64_t *rng)
{
	uint64_t v = rp_values[xorshift64s(rng) % RP_NVALUES];
	switch (xorshift64s(rng) % 6) {
	case 0: return v + 1;
	case 1: return v - 1;
	case 2: return xorshift64s(rng);
	default: return v;
	}
}

struct rp_cond {
	unsigned index;
	enum sc_cond_op op;
	uint64_t value, mask;
};

struct rp_rule {
	unsigned sys;
	struct sc_action action;
	struct rp_cond c[3];
	unsigned nc;
};

/* A policy and its filter (which borrows it). */
struct rp_policy {
	struct sc_policy *p;
	struct sc_filter *f;
};

static inline void rp_free(struct rp_policy *x)
{
	sc_filter_free(x->f);
	sc_policy_free(x->p);
	*x = (struct rp_policy){ 0 };
}

/* The policy @seed gives (with @variant), compiled; f NULL when it does not compile. */
static inline struct rp_policy rp_compile(uint64_t seed, enum rp_variant variant)
{
	uint64_t rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	struct rp_rule rules[12];
	unsigned nrules = 2 + xorshift64s(&rng) % 9;
	struct sc_policy *p = sc_policy_new("<random>", NULL);
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };

	sc_policy_set_default(p, rp_actions[xorshift64s(&rng) % RP_NACTIONS]);
	const struct sc_arch *x86_64 = sc_arch_lookup("x86_64");
	bool i386 = xorshift64s(&rng) % 3 == 0;

	sc_policy_add_arch(p, x86_64);
	if (i386)
		sc_policy_add_arch(p, sc_arch_lookup("i386"));
	for (unsigned i = 0; i < nrules; i++) {
		struct rp_rule *r = &rules[i];
		r->sys = xorshift64s(&rng) % RP_NSYSCALLS;
		r->action = rp_actions[xorshift64s(&rng) % RP_NACTIONS];
		r->nc = rp_syscalls[r->sys].nargs ? xorshift64s(&rng) % 3 : 0;
		for (unsigned k = 0; k < r->nc; k++) {
			struct rp_cond *c = &r->c[k];
			c->index = rp_syscalls[r->sys].args[xorshift64s(&rng) % rp_syscalls[r->sys].nargs];
			c->op = (enum sc_cond_op)(xorshift64s(&rng) % (SC_COND_FLAGS_SUBSET + 1));
			c->value = rp_value(&rng);
			c->mask = rp_masks[xorshift64s(&rng) % RP_NMASKS];
			/* Values the argument can hold on every ABI listed (the loader refuses others). */
			unsigned bits = i386 ? 32 : sc_syscall_arg_bits(x86_64, sc_syscall_lookup(x86_64, rp_syscalls[r->sys].name), c->index);
			if (bits < 64) {
				c->value &= (UINT64_C(1) << bits) - 1;
				c->mask &= (UINT64_C(1) << bits) - 1;
			}
			if (c->op == SC_COND_MASKED_EQ)
				c->value &= c->mask;
			if (c->op >= SC_COND_BITS_ALL)
				c->value = c->mask;
		}
	}
	if (variant == RP_REPEAT && nrules < 12)
		rules[nrules++] = rules[0];
	if (variant == RP_MUTATE) {
		struct rp_rule *r = &rules[nrules - 1];
		if (r->nc)
			r->c[0].value ^= 1;
		else
			r->action = r->action.type == SC_ACT_ALLOW ? (struct sc_action){ SC_ACT_ERRNO, EPERM }
								 : (struct sc_action){ SC_ACT_ALLOW, 0 };
	}
	for (unsigned i = 0; i < nrules; i++) {
		size_t r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, rules[i].action);
		sc_rule_add_name(p, r, rp_syscalls[rules[i].sys].name);
		for (unsigned k = 0; k < rules[i].nc; k++)
			sc_rule_add_cond(p, r, &(struct sc_cond){ .index = (int)rules[i].c[k].index,
								  .op = rules[i].c[k].op,
								  .value = rules[i].c[k].value,
								  .mask = rules[i].c[k].mask });
	}
	if (sc_policy_compile(p, &f, &d) < 0)
		f = NULL;
	return (struct rp_policy){ p, f };
}

/* A call to try: an ABI the policies may list (or not), a syscall of the pool (or another
 * number), arguments from the pool and its neighbours, or random. */
static inline void rp_call(uint64_t *rng, const struct sc_arch **arch, uint32_t *nr, uint64_t args[6])
{
	static const char *const arches[] = { "x86_64", "x86_64", "i386", "aarch64" };
	const struct sc_syscall *s;

	*arch = sc_arch_lookup(arches[xorshift64s(rng) % 4]);
	s = sc_syscall_lookup(*arch, rp_syscalls[xorshift64s(rng) % RP_NSYSCALLS].name);
	*nr = s && xorshift64s(rng) % 8 ? s->nr : (uint32_t)(xorshift64s(rng) % 600);
	for (int i = 0; i < 6; i++)
		args[i] = rp_value(rng);
}

#endif
