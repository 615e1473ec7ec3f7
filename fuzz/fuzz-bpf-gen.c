/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-bpf-gen — the native back end (lib/bpf/bpf-gen.c) against the rule set's own meaning.
 *
 * The input bytes are read as a rule set (below), bpf_gen compiles it, the kernel's checks
 * (bpf_sim_check) must accept the program, and for calls derived from the rules (each rule's
 * values, one off either side, garbage in the high half of narrow arguments, other ABIs,
 * numbers no rule names, x32's numbers) the interpreter must give what ir_eval gives.
 *
 * Input, a byte at a time (a byte past the end reads as 0, so every input is a rule set):
 *	default action, then a byte of flags: which of x86_64, x86, x32, aarch64 are listed
 *	and whether numbers above some bound get Errno(ENOSYS); then per ABI a count of
 *	syscalls, each a number (2 bytes) and a count of rules, each rule an action, a count of
 *	comparisons, each comparison argument/width/operator in one byte, then value and mask
 *	as a byte naming an edge value (0, 2^31, 2^32 - 1, ...) or, for 0xff, 8 raw bytes.
 * What remains after the rule set seeds extra calls.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "bpf/bpf-gen.h"
#include "bpf/bpf-sim.h"
#include "catalog/catalog.h"
#include "compile/ir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CALLS 64  /* syscalls per ABI */
#define MAX_RULES 24  /* rules per syscall */
#define MAX_CMPS 4    /* comparisons per rule */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t bytes(struct input *in, unsigned count)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < count; i++)
		v |= (uint64_t)byte(in) << (8 * i);
	return v;
}

static const struct sc_action actions[] = {
	{ SC_ACT_ALLOW, 0 }, { SC_ACT_ERRNO, 1 },  { SC_ACT_KILL_PROCESS, 0 }, { SC_ACT_ERRNO, 38 },
	{ SC_ACT_LOG, 0 },   { SC_ACT_TRAP, 0 },   { SC_ACT_TRACE, 7 },        { SC_ACT_ERRNO, 13 },
	{ SC_ACT_KILL_THREAD, 0 },
};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

/* Values where comparisons turn: around 2^31, 2^32, 2^63, the sign-extended negatives. */
static const uint64_t edges[] = {
	0, 1, 2, 0x28, 0x5401, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x100000005ULL, 0x200000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	0xffffffffffffff9cULL, UINT64_MAX,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static uint64_t value(struct input *in)
{
	uint8_t b = byte(in);

	if (b == 0xff)
		return bytes(in, 8);
	/* an edge, or an edge one off */
	return edges[(b & 0x3f) % NEDGES] + (uint64_t)(b >> 6 == 1) - (uint64_t)(b >> 6 == 2);
}

static const char *const abi_names[] = { "x86_64", "x86", "x32", "aarch64" };

static void read_arch(struct ir *ir, struct input *in, struct ir_arch *a,
		      const struct sc_arch *arch)
{
	static const unsigned widths[] = { 8, 16, 32, 64 };
	size_t ncalls = byte(in) % MAX_CALLS + 1;

	a->arch = arch;
	a->calls = xcalloc(ncalls, sizeof(*a->calls));
	for (size_t i = 0; i < ncalls; i++) {
		uint32_t nr = arch->nr_bit + (uint32_t)(bytes(in, 2) % 600);
		size_t at = 0, nrules = byte(in) % MAX_RULES + 1;
		struct ir_syscall *s;

		/* sorted by number, each number once (ir.h) */
		while (at < a->ncalls && a->calls[at].nr < nr)
			at++;
		if (at < a->ncalls && a->calls[at].nr == nr)
			continue;
		memmove(&a->calls[at + 1], &a->calls[at], (a->ncalls - at) * sizeof(*a->calls));
		s = &a->calls[at];
		a->ncalls++;
		memset(s, 0, sizeof(*s));
		s->nr = nr;
		s->rules = xcalloc(nrules, sizeof(*s->rules));
		s->nrules = nrules;
		for (size_t k = 0; k < nrules; k++) {
			struct ir_rule *r = &s->rules[k];
			r->action = actions[byte(in) % NACTIONS];
			struct ir_cmp *cmps;
			r->ncmp = (uint8_t)(byte(in) % (MAX_CMPS + 1));
			r->cmp = cmps = ir_cmp_alloc(ir, r->ncmp);
			for (unsigned j = 0; j < r->ncmp; j++) {
				struct ir_cmp *c = &cmps[j];
				uint8_t b = byte(in);
				c->arg = (uint8_t)(b % 6);
				c->bits = (uint8_t)widths[(b / 6) % 4];
				c->op = (uint8_t)((b / 24) % IR_OP_COUNT);
				c->value = value(in) & arg_width_mask(c->bits);
				if (c->op == IR_MASKED_EQ) {
					c->mask = value(in) & arg_width_mask(c->bits);
					if (b & 0x80) /* often the value inside the mask, as resolve makes it */
						c->value &= c->mask;
				}
			}
		}
	}
}

/* Arguments that exercise @r: each value, one off, with garbage above narrow arguments. */
static void args_for(const struct ir_rule *r, unsigned variant, uint64_t args[6])
{
	memset(args, 0, 6 * sizeof(*args));
	for (unsigned k = 0; r && k < r->ncmp; k++) {
		uint64_t v = r->cmp[k].value;
		switch ((variant + k) % 5) {
		case 1: v++; break;
		case 2: v--; break;
		case 3: v |= UINT64_C(0xdead0000) << 32; break;
		case 4: v = ~v; break;
		default: break;
		}
		args[r->cmp[k].arg] = v;
	}
}

static void check_call(const struct ir *ir, const struct sock_filter *prog, size_t len,
		       const struct sc_arch *arch, uint32_t nr, const uint64_t args[6])
{
	struct seccomp_data d = { .nr = (int)nr };
	uint32_t got, want;

	/* x86_64 and x32 share an audit value: the filter sends 0x40000000 and up to x32. */
	if (arch->flags & SC_ARCH_SHARES_AUDIT)
		arch = sc_arch_lookup(nr >= 0x40000000 ? "x32" : "x86_64");
	d.arch = arch->audit_arch;
	for (int i = 0; i < 6; i++)
		d.args[i] = args[i]; /* every ABI here is little-endian, as the host */
	got = bpf_sim_run(prog, len, &d);
	want = sc_action_to_ret(ir_eval(ir, arch, nr, args));
	if (got != want) {
		fprintf(stderr, "fuzz-bpf-gen: %s nr %#x args %#llx %#llx %#llx %#llx %#llx %#llx: "
			"BPF %#x, rule set %#x\n", arch->name, nr, (unsigned long long)args[0],
			(unsigned long long)args[1], (unsigned long long)args[2],
			(unsigned long long)args[3], (unsigned long long)args[4],
			(unsigned long long)args[5], got, want);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct ir ir = { 0 };
	struct sock_filter *prog = NULL;
	struct sc_diag d = { 0 };
	char err[256];
	size_t len = 0;
	uint8_t flags;
	int r;

	ir.def = actions[byte(&in) % NACTIONS];
	ir.bad_arch = (struct sc_action){ SC_ACT_KILL_PROCESS, 0 };
	ir.enosys = (struct sc_action){ SC_ACT_ERRNO, ENOSYS };
	flags = byte(&in);
	ir.arches = xcalloc(4, sizeof(*ir.arches));
	for (unsigned i = 0; i < 4; i++)
		if (flags & (1u << i) || (i == 0 && (flags & 0xf) == 0)) {
			struct ir_arch *a = &ir.arches[ir.narches++];
			read_arch(&ir, &in, a, sc_arch_lookup(abi_names[i]));
			if (flags & 0x10)
				a->enosys_above = a->arch->nr_bit + 300 + (flags >> 5) * 40;
		}

	r = bpf_gen(&ir, &prog, &len, &d);
	if (r == -E2BIG) /* past the kernel's 4,096 instructions: refused, rightly */
		goto out;
	if (r < 0) {
		fprintf(stderr, "fuzz-bpf-gen: bpf_gen failed: %s\n", d.message);
		abort();
	}
	if (bpf_sim_check(prog, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz-bpf-gen: the kernel would refuse the program: %s\n", err);
		abort();
	}
	for (size_t i = 0; i < ir.narches; i++) {
		const struct ir_arch *a = &ir.arches[i];
		for (size_t k = 0; k < a->ncalls; k++) {
			const struct ir_syscall *s = &a->calls[k];
			uint64_t args[6];
			for (size_t j = 0; j < s->nrules; j++)
				for (unsigned variant = 0; variant < 5; variant++) {
					args_for(&s->rules[j], variant, args);
					check_call(&ir, prog, len, a->arch, s->nr, args);
					/* the same number and arguments from every other ABI */
					check_call(&ir, prog, len, sc_arch_lookup(abi_names[variant % 4]), s->nr,
						   args);
				}
			args_for(NULL, 0, args);
			check_call(&ir, prog, len, a->arch, s->nr + 1, args); /* a neighbour */
		}
	}
	/* What is left: calls of its own (ABI, number, first argument). */
	while (in.n >= 4) {
		uint64_t args[6] = { 0 };
		const struct sc_arch *arch = sc_arch_lookup(abi_names[byte(&in) % 4]);
		uint32_t nr = (uint32_t)bytes(&in, 2);
		uint8_t b = byte(&in);
		if (b & 1)
			nr |= 0x40000000;
		if (b == 0xff)
			nr = UINT32_MAX;
		args[b % 6] = value(&in);
		check_call(&ir, prog, len, arch, nr, args);
	}
out:
	free(prog);
	ir_clear(&ir);
	return 0;
}
