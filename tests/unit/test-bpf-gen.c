/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The native back end at scale, on rule sets built directly (no policy in between): large
 * value sets (a 2,000-value ioctl allow-list must fit in ≤ 1.5 instructions a value),
 * 64-bit values under several high words, hundreds of syscalls with many distinct actions
 * on three ABIs, so that jumps pass the 255-instruction reach of a conditional jump. Every
 * program must pass the kernel's checks (bpf_sim_check) and give every call the action
 * ir_eval gives it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/seccomp.h>

#include "bpf/bpf-sim.h"
#include "api/filter.h"
#include "bpf/bpf-gen.h"
#include "catalog/catalog.h"
#include "compile/ir.h"
#include "policy/policy.h"
#include "xorshift.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return xorshift64s(&rng);
}

static struct sc_action pick_action(unsigned distinct)
{
	static const struct sc_action some[] = {
		{ SC_ACT_ALLOW, 0 }, { SC_ACT_ERRNO, 1 }, { SC_ACT_KILL_PROCESS, 0 },
		{ SC_ACT_ERRNO, 38 }, { SC_ACT_LOG, 0 }, { SC_ACT_TRAP, 0 },
		{ SC_ACT_TRACE, 7 }, { SC_ACT_ERRNO, 13 }, { SC_ACT_KILL_THREAD, 0 },
	};
	unsigned n = distinct < 9 ? distinct : 9;
	return some[rnd() % n];
}

static uint64_t some_value(unsigned bits)
{
	static const uint64_t v[] = { 0, 1, 2, 0x28, 0x5401, 0x7fffffff, 0x80000000, 0xffffffff,
				      0x100000000ULL, 0x100000005ULL, 0x200000000ULL,
				      0x8000000000000000ULL, 0xffffffffffffff9cULL };
	uint64_t x = rnd() % 3 ? v[rnd() % (sizeof(v) / sizeof(v[0]))] : rnd();
	switch (rnd() % 4) {
	case 0: x++; break;
	case 1: x--; break;
	default: break;
	}
	return x & arg_width_mask(bits);
}

static const unsigned widths[] = { 8, 16, 32, 64 };

static void random_cmp(struct ir_cmp *c, unsigned arg, unsigned bits)
{
	c->arg = (uint8_t)arg;
	c->bits = (uint8_t)bits;
	c->op = (uint8_t)(rnd() % IR_OP_COUNT);
	c->value = some_value(bits);
	c->mask = c->op == IR_MASKED_EQ ? some_value(bits) : 0;
	if (c->op == IR_MASKED_EQ && rnd() % 2)
		c->value &= c->mask;
}

/* A run of `arg == value` rules: the value sets. */
static void value_rules(struct ir *ir, struct ir_syscall *s, size_t n, unsigned bits, unsigned nactions)
{
	unsigned arg = (unsigned)(rnd() % 6);
	uint64_t hi_words[3] = { 0, 1, rnd() };
	s->rules = xreallocarray(s->rules, s->nrules + n, sizeof(*s->rules));
	for (size_t i = 0; i < n; i++) {
		struct ir_rule *r = &s->rules[s->nrules++];
		memset(r, 0, sizeof(*r));
		r->action = pick_action(nactions);
		struct ir_cmp *c = ir_cmp_alloc(ir, 1);
		r->ncmp = 1;
		r->cmp = c;
		c->arg = (uint8_t)arg;
		c->bits = (uint8_t)bits;
		c->op = IR_EQ;
		c->value = (rnd() % 4000) & arg_width_mask(bits);
		if (bits == 64)
			c->value |= hi_words[rnd() % 3] << 32;
	}
}

static void random_rules(struct ir *ir, struct ir_syscall *s, size_t n, unsigned nactions)
{
	s->rules = xreallocarray(s->rules, s->nrules + n, sizeof(*s->rules));
	for (size_t i = 0; i < n; i++) {
		struct ir_rule *r = &s->rules[s->nrules++];
		memset(r, 0, sizeof(*r));
		r->action = pick_action(nactions);
		r->ncmp = (uint8_t)(i + 1 == n && rnd() % 4 == 0 ? 0 : 1 + rnd() % 3);
		struct ir_cmp *c = ir_cmp_alloc(ir, r->ncmp);
		r->cmp = c;
		for (unsigned k = 0; k < r->ncmp; k++) {
			/* Often the same argument and width again: shared loads and high words. */
			unsigned arg = rnd() % 2 ? 0 : (unsigned)(rnd() % 6);
			unsigned bits = rnd() % 2 ? 64 : widths[rnd() % 4];
			random_cmp(&c[k], arg, bits);
		}
	}
}

static int cmp_nr(const void *x, const void *y)
{
	const struct ir_syscall *a = x, *b = y;
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

static void random_arch(struct ir *ir, struct ir_arch *a, const struct sc_arch *arch, size_t ncalls,
			unsigned nactions)
{
	a->arch = arch;
	a->calls = xcalloc(ncalls, sizeof(*a->calls));
	a->ncalls = 0;
	a->enosys_above = rnd() % 3 == 0 ? arch->nr_bit + 300 + (uint32_t)(rnd() % 200) : 0;
	for (size_t i = 0; i < ncalls; i++) {
		uint32_t nr = arch->nr_bit + (uint32_t)(rnd() % 600);
		bool dup = false;
		for (size_t k = 0; k < a->ncalls; k++)
			dup |= a->calls[k].nr == nr;
		if (dup)
			continue;
		struct ir_syscall *s = &a->calls[a->ncalls++];
		memset(s, 0, sizeof(*s));
		s->nr = nr;
		switch (rnd() % 8) {
		case 0:
			value_rules(ir, s, 2 + rnd() % 12, widths[rnd() % 4], nactions);
			break;
		case 1:
			random_rules(ir, s, 1 + rnd() % 4, nactions);
			break;
		default: /* mostly plain: one unconditional rule, as most allowed syscalls are */
			random_rules(ir, s, 1, nactions);
			s->rules[0].ncmp = 0;
			break;
		}
	}
	qsort(a->calls, a->ncalls, sizeof(*a->calls), cmp_nr);
}

static void args_for(const struct ir_syscall *s, uint64_t args[6])
{
	for (unsigned i = 0; i < 6; i++)
		args[i] = rnd() % 3 ? 0 : rnd();
	if (s && s->nrules && rnd() % 4) {
		const struct ir_rule *r = &s->rules[rnd() % s->nrules];
		for (unsigned k = 0; k < r->ncmp; k++) {
			uint64_t v = r->cmp[k].value;
			switch (rnd() % 5) {
			case 0: v++; break;
			case 1: v--; break;
			case 2: v |= rnd() << 32; break; /* garbage above a narrow argument */
			default: break;
			}
			args[r->cmp[k].arg] = v;
		}
	}
}

/* The program for @ir against ir_eval on @ncalls random calls (and every named number). */
static size_t check_ir(const struct ir *ir, unsigned ncalls)
{
	struct sock_filter *prog = NULL;
	size_t len = 0;
	struct sc_diag d = { 0 };
	char err[128];
	static const char *const audit_archs[] = { "x86_64", "x86", "x32", "aarch64", "s390x" };
	int r = bpf_gen(ir, &prog, &len, &d);

	if (r == -E2BIG)
		return 0;
	assert_int_equal(r, 0);
	if (bpf_sim_check(prog, len, err, sizeof(err)) < 0)
		fail_msg("the kernel would refuse the program: %s", err);
	for (unsigned i = 0; i < ncalls; i++) {
		const struct sc_arch *arch = sc_arch_lookup(audit_archs[rnd() % 5]);
		const struct ir_arch *ia = &ir->arches[rnd() % ir->narches];
		const struct ir_syscall *s = NULL;
		uint32_t nr;
		uint64_t args[6];
		struct seccomp_data data;

		if (rnd() % 2 && ia->ncalls) {
			s = &ia->calls[rnd() % ia->ncalls];
			nr = s->nr;
			arch = ia->arch;
		} else {
			nr = (uint32_t)(rnd() % 3 ? rnd() % 700 : rnd());
			if (rnd() % 3 == 0)
				nr |= 0x40000000;
			if (rnd() % 16 == 0)
				nr = UINT32_MAX;
		}
		/* x86_64 and x32 share an audit value: the filter sends every number from
		 * 0x40000000 up to x32's side (as libseccomp does). */
		if (arch->flags & SC_ARCH_SHARES_AUDIT)
			arch = sc_arch_lookup(nr >= 0x40000000 ? "x32" : "x86_64");
		args_for(s, args);
		filter_seccomp_data(arch, nr, args, &data);
		uint32_t got = bpf_sim_run(prog, len, &data);
		uint32_t want = sc_action_to_ret(ir_eval(ir, arch, nr, args));
		if (got != want)
			fail_msg("%s nr %#x args %#llx %#llx %#llx: BPF %#x, rule set %#x", arch->name, nr,
				 (unsigned long long)args[0], (unsigned long long)args[1],
				 (unsigned long long)args[2], got, want);
	}
	free(prog);
	return len;
}

static struct ir base_ir(void)
{
	struct ir ir = { 0 };
	ir.def = (struct sc_action){ SC_ACT_ERRNO, 1 };
	ir.bad_arch = (struct sc_action){ SC_ACT_KILL_PROCESS, 0 };
	ir.enosys = (struct sc_action){ SC_ACT_ERRNO, 38 };
	return ir;
}

/* ioctl allowed for a 2,000-value command list: ≤ 1.5 instructions a value, and it fits. */
static void ioctl_allow_list(void **state)
{
	(void)state;
	for (unsigned bits = 32; bits <= 64; bits += 32) {
		struct ir ir = base_ir();
		struct ir_syscall *s;
		size_t plain, listed;

		ir.arches = xcalloc(1, sizeof(*ir.arches));
		ir.narches = 1;
		ir.arches[0].arch = sc_arch_lookup("x86_64");
		ir.arches[0].calls = s = xcalloc(1, sizeof(*s));
		ir.arches[0].ncalls = 1;
		s->nr = 16; /* ioctl */
		s->rules = xcalloc(1, sizeof(*s->rules));
		s->nrules = 1;
		s->rules[0].action = (struct sc_action){ SC_ACT_ALLOW, 0 };
		plain = check_ir(&ir, 200);
		free(s->rules);
		s->rules = xcalloc(2000, sizeof(*s->rules));
		s->nrules = 2000;
		for (size_t i = 0; i < 2000; i++) {
			struct ir_rule *r = &s->rules[i];
			r->action = (struct sc_action){ SC_ACT_ALLOW, 0 };
			r->ncmp = 1;
			r->cmp = ir_cmp_copy(&ir, &(struct ir_cmp){ 1, (uint8_t)bits, IR_EQ, 0, 0x5400 + 3 * i },
					     1, NULL);
		}
		listed = check_ir(&ir, 20000);
		assert_true(listed > 0); /* it fits */
		print_message("%u-bit ioctl allow-list of 2000 values: %zu instructions (%.2f a value)\n",
			      bits, listed, (double)(listed - plain) / 2000);
		assert_true(listed - plain <= 3000);
		ir_clear(&ir);
	}
}

/* Random rule sets, small to large, on one to three ABIs. */
static void random_rule_sets(void **state)
{
	static const char *const names[] = { "x86_64", "x86", "x32", "aarch64" };
	size_t long_ones = 0, longest = 0;

	(void)state;
	for (int round = 0; round < 400; round++) {
		struct ir ir = base_ir();
		size_t ncalls = round % 4 == 0 ? 250 + rnd() % 300 : 1 + rnd() % 40;
		unsigned nactions = 2 + (unsigned)(rnd() % 8);
		bool seen[4] = { false };

		ir.def = pick_action(nactions);
		ir.arches = xcalloc(4, sizeof(*ir.arches));
		for (size_t i = 0, n = 1 + rnd() % 3; i < n; i++) {
			unsigned which = (unsigned)(rnd() % 4);
			if (seen[which])
				continue;
			seen[which] = true;
			random_arch(&ir, &ir.arches[ir.narches++], sc_arch_lookup(names[which]), ncalls,
				    nactions);
		}
		size_t len = check_ir(&ir, 3000);
		long_ones += len > 255;
		longest = len > longest ? len : longest;
		ir_clear(&ir);
	}
	print_message("%zu programs past a conditional jump's reach (255), the longest %zu\n",
		      long_ones, longest);
	assert_true(long_ones >= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ioctl_allow_list),
		cmocka_unit_test(random_rule_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
