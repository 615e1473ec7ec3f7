/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ir.c — the rule set's own operations: building its per-syscall slots, comparing rules,
 * freeing, and its reference semantics (ir_eval), which tests and `check` hold the BPF
 * program to. Resolution (policy → rule set) is resolve.c's.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/kept.h"
#include "compile/ir.h"

/* One block of a rule set's pool: what the rule set holds in numbers, small and freed all
 * at once (origins, comparisons), is packed into blocks rather than each a block of the
 * allocator's own. Blocks never move, so rules may point into them. */
struct ir_pool {
	struct ir_pool *next;
	size_t used, cap; /* bytes */
	max_align_t data[];
};

/* @bytes (aligned to @align) from the pool at *@pool, whose first block holds @first bytes
 * and each next one twice the last. Not zeroed: a block the first rules leave mostly empty
 * then costs no pages for the empty part. */
static void *pool_alloc(struct ir_pool **pool, size_t bytes, size_t align, size_t first)
{
	struct ir_pool *k = *pool;
	size_t at = k ? (k->used + align - 1) / align * align : 0;

	if (!k || at > k->cap || k->cap - at < bytes) {
		size_t cap = k ? k->cap * 2 : first;
		if (cap < bytes)
			cap = bytes;
		k = kept_get(sizeof(*k) + cap);
		k->used = 0;
		k->cap = cap;
		k->next = *pool;
		*pool = k;
		at = 0;
	}
	k->used = at + bytes;
	return (char *)k->data + at;
}

static void pool_free(struct ir_pool **pool)
{
	while (*pool) {
		struct ir_pool *next = (*pool)->next;
		kept_put(*pool);
		*pool = next;
	}
}

#define IR_TEXT_POOL 4096                          /* bytes in the first block of origins */
#define IR_CMP_POOL (512 * sizeof(struct ir_cmp)) /* … and of comparisons */

const char *ir_string(struct ir *ir, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(pool_alloc(&ir->texts, n, 1, IR_TEXT_POOL), s, n);
}

struct ir_cmp *ir_cmp_alloc(struct ir *ir, size_t n)
{
	return memset(pool_alloc(&ir->cmps, n * sizeof(struct ir_cmp), _Alignof(struct ir_cmp),
				 IR_CMP_POOL),
		      0, n * sizeof(struct ir_cmp));
}

const struct ir_cmp *ir_cmp_copy(struct ir *ir, const struct ir_cmp *c, size_t n,
				 const struct ir_cmp *extra)
{
	struct ir_cmp *out = ir_cmp_alloc(ir, n + (extra != NULL));

	for (size_t i = 0; i < n; i++)
		out[i] = c[i];
	if (extra)
		out[n] = *extra;
	return out;
}

/* The index of the first call whose number is not below @nr (a->calls is sorted). */
static size_t lower_bound(const struct ir_arch *a, uint32_t nr)
{
	size_t lo = 0, hi = a->ncalls;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->calls[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sc_syscall *ir_call_sys(const struct ir_arch *a, const struct ir_syscall *s)
{
	return sc_syscall_by_nr(a->arch, s->nr);
}

struct ir_syscall *ir_syscall_slot(struct ir_arch *a, uint32_t nr)
{
	size_t lo = lower_bound(a, nr);

	if (lo < a->ncalls && a->calls[lo].nr == nr)
		return &a->calls[lo];
	a->calls = xgrow_n(a->calls, a->ncalls, 1, sizeof(*a->calls));
	memmove(&a->calls[lo + 1], &a->calls[lo], (a->ncalls - lo) * sizeof(*a->calls));
	memset(&a->calls[lo], 0, sizeof(a->calls[lo]));
	a->calls[lo].nr = nr;
	a->ncalls++;
	return &a->calls[lo];
}

bool ir_action_equal(struct sc_action a, struct sc_action b)
{
	return a.type == b.type && a.data == b.data;
}

bool ir_rules_equal(const struct ir_syscall *a, const struct ir_syscall *b)
{
	if (!a || !b)
		return a == b;
	if (a->nrules != b->nrules)
		return false;
	for (size_t i = 0; i < a->nrules; i++)
		if (!ir_rule_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

bool ir_rule_equal(const struct ir_rule *x, const struct ir_rule *y)
{
	if (!ir_action_equal(x->action, y->action) || x->ncmp != y->ncmp)
		return false;
	for (unsigned k = 0; k < x->ncmp; k++)
		if (x->cmp[k].arg != y->cmp[k].arg || x->cmp[k].bits != y->cmp[k].bits ||
		    x->cmp[k].op != y->cmp[k].op || x->cmp[k].mask != y->cmp[k].mask ||
		    x->cmp[k].value != y->cmp[k].value)
			return false;
	return true;
}

void ir_clear(struct ir *ir)
{
	/* malloc's blocks, or kept ones (resolve.c): either goes back through kept_put */
	for (size_t i = 0; i < ir->narches; i++) {
		for (size_t k = 0; k < ir->arches[i].ncalls; k++)
			kept_put(ir->arches[i].calls[k].rules);
		kept_put(ir->arches[i].calls);
	}
	free(ir->arches);
	free(ir->weights);
	pool_free(&ir->texts);
	pool_free(&ir->cmps);
}

void ir_free(struct ir *ir)
{
	if (!ir)
		return;
	ir_clear(ir);
	free(ir);
}

/* ---- reference semantics ---------------------------------------------------------- */

const struct ir_syscall *ir_find(const struct ir_arch *a, uint32_t nr)
{
	size_t i = lower_bound(a, nr);
	return i < a->ncalls && a->calls[i].nr == nr ? &a->calls[i] : NULL;
}

bool ir_rule_matches(const struct ir_rule *r, const uint64_t args[6])
{
	for (unsigned i = 0; i < r->ncmp; i++) {
		const struct ir_cmp *c = &r->cmp[i];
		uint64_t a = args[c->arg] & arg_width_mask(c->bits);
		bool ok = false;
		switch ((enum ir_op)c->op) {
		case IR_EQ: ok = a == c->value; break;
		case IR_NE: ok = a != c->value; break;
		case IR_LT: ok = a < c->value; break;
		case IR_LE: ok = a <= c->value; break;
		case IR_GT: ok = a > c->value; break;
		case IR_GE: ok = a >= c->value; break;
		case IR_MASKED_EQ: ok = (a & c->mask) == c->value; break;
		case IR_OP_COUNT: break;
		}
		if (!ok)
			return false;
	}
	return true;
}

enum ir_decider ir_decide(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
			  const uint64_t args[6], const struct ir_rule **ret_rule)
{
	/* nr -1 with the x32 bit: bpf-gen.c gives it the default when only x86_64 of the two
	 * is listed (a tracer's skipped call, as libseccomp does). */
	if (nr == UINT32_MAX && arch->nr_bit) {
		bool plain = false, marked = false;
		for (size_t i = 0; i < ir->narches; i++) {
			plain |= ir->arches[i].arch->audit_arch == arch->audit_arch &&
				 !ir->arches[i].arch->nr_bit;
			marked |= ir->arches[i].arch == arch;
		}
		if (plain && !marked)
			return IR_BY_DEFAULT;
	}
	for (size_t i = 0; i < ir->narches; i++) {
		const struct ir_arch *a = &ir->arches[i];
		const struct ir_syscall *s;
		if (a->arch != arch)
			continue;
		s = ir_find(a, nr);
		for (size_t k = 0; s && k < s->nrules; k++)
			if (ir_rule_matches(&s->rules[k], args)) {
				*ret_rule = &s->rules[k];
				return IR_BY_RULE;
			}
		if (!s && a->enosys_above && nr > a->enosys_above)
			return IR_BY_ENOSYS;
		return IR_BY_DEFAULT;
	}
	return IR_BY_BAD_ARCH;
}

struct sc_action ir_eval(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
			 const uint64_t args[6])
{
	const struct ir_rule *r = NULL;

	switch (ir_decide(ir, arch, nr, args, &r)) {
	case IR_BY_RULE: return r->action;
	case IR_BY_ENOSYS: return ir->enosys;
	case IR_BY_DEFAULT: return ir->def;
	case IR_BY_BAD_ARCH: break;
	}
	return ir->bad_arch;
}


const char *ir_op_symbol(enum ir_op op)
{
	static const char *const sym[] = { "==", "!=", "<", "<=", ">", ">=", "&" };
	return (unsigned)op < IR_OP_COUNT ? sym[op] : "?";
}
