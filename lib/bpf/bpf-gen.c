/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-gen.c — the native back end: rule set → classic BPF.
 *
 * Layout (every path reads arch, then nr, then — only inside a syscall's block — args, so
 * the kernel's action cache can decide arg-free syscalls without running us):
 *
 *	ld [arch]; one `jeq AUDIT` per ABI family, the native one first; else BAD_ARCH
 *	section: ld [nr]; the number line of the audit value — x86_64 below 0x40000000 and x32
 *	         at and above it folded into one line — cut into spans that behave alike (a
 *	         run of allowed syscalls, a gap of the default), found by a search of `jge`
 *	         weighted by how often calls happen (syscall-freq.c): an optimal alphabetic
 *	         tree, so read and write are decided in one or two jumps. A span that only
 *	         returns is no code at all: the jumps go to the shared `ret`.
 *	block:   for each rule (most restrictive first): its comparisons, each failing to the
 *	         next rule, the last one jumping to the rule's `ret`; a run of `arg == value`
 *	         rules on one argument is one search over the values. After the last rule,
 *	         the default's `ret`.
 *
 * bpf-asm.c lays it out: one `ret` per distinct value, shared by jumps (copied when out of
 * a conditional jump's 255 reach), and an argument word loaded only where A does not
 * already hold it. 32-bit arguments load only their low word, so high garbage cannot
 * change the outcome (CVE-2019-10063).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/kept.h"
#include "bpf/bpf-gen.h"

#include "bpf/bpf-asm.h"
#include "catalog/syscall-freq.h"

/* ---- argument comparisons ----------------------------------------------------------- */

static uint32_t arg_lo(const struct sc_arch *a, unsigned i)
{
	size_t base = offsetof(struct seccomp_data, args) + 8 * i;
	return (uint32_t)(a->endian == SC_ENDIAN_BIG ? base + 4 : base);
}

static uint32_t arg_hi(const struct sc_arch *a, unsigned i)
{
	size_t base = offsetof(struct seccomp_data, args) + 8 * i;
	return (uint32_t)(a->endian == SC_ENDIAN_BIG ? base : base + 4);
}

/* One comparison: on to @pass when it holds, to @fail when not. */
static void emit_cmp(struct bpf_asm *as, const struct sc_arch *a, const struct ir_cmp *c,
		     struct asm_target pass, struct asm_target fail)
{
	uint32_t w = (uint32_t)arg_width_mask(c->bits); /* the low word's part */
	uint32_t vl = (uint32_t)c->value, vh = (uint32_t)(c->value >> 32);
	uint32_t ml = (uint32_t)c->mask, mh = (uint32_t)(c->mask >> 32);
	uint32_t lo = arg_lo(a, c->arg), hi = arg_hi(a, c->arg);
	size_t after = SIZE_MAX;
	struct asm_target p = pass;

	if (c->bits <= 32) { /* the low word only: what the kernel reads of a 32-bit parameter */
		switch ((enum ir_op)c->op) {
		case IR_EQ: asm_load(as, lo, w); asm_jump(as, BPF_JEQ, vl, pass, fail); return;
		case IR_NE: asm_load(as, lo, w); asm_jump(as, BPF_JEQ, vl, fail, pass); return;
		case IR_LT: asm_load(as, lo, w); asm_jump(as, BPF_JGE, vl, fail, pass); return;
		case IR_LE: asm_load(as, lo, w); asm_jump(as, BPF_JGT, vl, fail, pass); return;
		case IR_GT: asm_load(as, lo, w); asm_jump(as, BPF_JGT, vl, pass, fail); return;
		case IR_GE: asm_load(as, lo, w); asm_jump(as, BPF_JGE, vl, pass, fail); return;
		case IR_MASKED_EQ:
			if ((ml & w) == 0) {
				asm_goto(as, vl != 0 ? fail : pass);
				return;
			}
			asm_load(as, lo, ml & w);
			asm_jump(as, BPF_JEQ, vl, pass, fail);
			return;
		case IR_OP_COUNT:
			return;
		}
		return;
	}
	/* The high word decides unless it equals the value's; where it says "holds", jump
	 * straight to @pass (a label after the comparison when @pass is the next instruction). */
	if (pass.kind == ASM_NEXT && c->op != IR_EQ && c->op != IR_MASKED_EQ) {
		after = asm_label(as);
		p = asm_to(after);
	}
	switch ((enum ir_op)c->op) {
	case IR_EQ:
		asm_load(as, hi, UINT32_MAX);
		asm_jump(as, BPF_JEQ, vh, asm_next(), fail);
		asm_load(as, lo, UINT32_MAX);
		asm_jump(as, BPF_JEQ, vl, pass, fail);
		break;
	case IR_NE:
		asm_load(as, hi, UINT32_MAX);
		asm_jump(as, BPF_JEQ, vh, asm_next(), p);
		asm_load(as, lo, UINT32_MAX);
		asm_jump(as, BPF_JEQ, vl, fail, pass);
		break;
	case IR_GT:
	case IR_GE:
		asm_load(as, hi, UINT32_MAX);
		asm_jump(as, BPF_JGT, vh, p, asm_next());
		asm_jump(as, BPF_JEQ, vh, asm_next(), fail);
		asm_load(as, lo, UINT32_MAX);
		asm_jump(as, c->op == IR_GT ? BPF_JGT : BPF_JGE, vl, pass, fail);
		break;
	case IR_LT:
	case IR_LE:
		asm_load(as, hi, UINT32_MAX);
		asm_jump(as, BPF_JGT, vh, fail, asm_next());
		asm_jump(as, BPF_JEQ, vh, asm_next(), p);
		asm_load(as, lo, UINT32_MAX);
		asm_jump(as, c->op == IR_LT ? BPF_JGE : BPF_JGT, vl, fail, pass);
		break;
	case IR_MASKED_EQ:
		if (mh == 0 && vh != 0) {
			asm_goto(as, fail);
			break;
		}
		if (mh != 0) {
			asm_load(as, hi, mh);
			asm_jump(as, BPF_JEQ, vh, asm_next(), fail);
		}
		if (ml == 0)
			asm_goto(as, vl != 0 ? fail : pass);
		else {
			asm_load(as, lo, ml);
			asm_jump(as, BPF_JEQ, vl, pass, fail);
		}
		break;
	case IR_OP_COUNT:
		break;
	}
	if (after != SIZE_MAX)
		asm_place(as, after);
}

/* ---- value sets: many equalities on one argument ------------------------------------ */

/* Up to this many values are tested one `jeq` each; more are split by a `jge` first:
 * about 1.25 instructions per value, a path of log2(n / 5) + 5. Small sets take runs of
 * three (a shorter path for a `jge` or two more). */
#define VALUE_CHAIN 5
#define VALUE_CHAIN_SMALL 3
#define VALUE_SET_SMALL 16

struct value_case {
	uint32_t v;
	struct asm_target to;
};

/* Jump to the case equal to A, or to @fail. @c sorted by v, distinct. */
static void emit_value_search(struct bpf_asm *as, const struct value_case *c, size_t n,
			      struct asm_target fail, size_t chain)
{
	if (n <= chain) {
		for (size_t i = 0; i < n; i++)
			asm_jump(as, BPF_JEQ, c[i].v, c[i].to, i + 1 < n ? asm_next() : fail);
		return;
	}
	size_t m = n / 2, right = asm_label(as);
	asm_jump(as, BPF_JGE, c[m].v, asm_to(right), asm_next());
	emit_value_search(as, c, m, fail, chain);
	asm_place(as, right);
	emit_value_search(as, c + m, n - m, fail, chain);
}

struct value_rule {
	uint64_t v;
	size_t seq; /* the rule's place: the first of equal values decides */
	uint32_t ret;
};

static int value_rule_cmp(const void *x, const void *y)
{
	const struct value_rule *a = x, *b = y;
	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool is_single_eq(const struct ir_rule *r)
{
	return r->ncmp == 1 && r->cmp[0].op == IR_EQ;
}

static bool same_operand(const struct ir_rule *x, const struct ir_rule *y)
{
	return x->cmp[0].arg == y->cmp[0].arg && x->cmp[0].bits == y->cmp[0].bits;
}

enum known { KEEP, HOLDS, FAILS };

/* Comparison @c on argument @arg once its high word is known to be zero (@hi_zero) or not. */
static enum known with_high(struct ir_cmp *c, unsigned arg, bool hi_zero)
{
	uint32_t vh = (uint32_t)(c->value >> 32), mh = (uint32_t)(c->mask >> 32);

	if (c->arg != arg || c->bits <= 32)
		return KEEP;
	if (hi_zero || (vh == 0 && c->op == IR_MASKED_EQ && mh == 0)) {
		/* (0:lo) against (vh:vl), or a mask that ignores the high word. */
		if (vh != 0) {
			switch ((enum ir_op)c->op) {
			case IR_NE: case IR_LT: case IR_LE: return HOLDS;
			default: return FAILS;
			}
		}
		c->bits = 32;
		c->value &= UINT32_MAX;
		c->mask &= UINT32_MAX;
		return KEEP;
	}
	if (vh != 0 || c->op == IR_MASKED_EQ)
		return KEEP; /* a high word above zero decides nothing yet */
	switch ((enum ir_op)c->op) {
	case IR_NE: case IR_GT: case IR_GE: return HOLDS;
	default: return FAILS;
	}
}

/* A syscall's rules as one copy of its block sees them: all of them as they are, or — after a
 * test of argument @arg's high word — each narrowed by what the test told (with_high), those
 * that cannot hold left out. Narrowed one rule at a time where the block is written, not
 * copied: a block of thousands of rules would need a copy of them all, twice, at every
 * compile — more than malloc keeps between compiles (issue 11). */
struct rule_view {
	const struct ir_syscall *s;
	int arg; /* -1: the rules as they are */
	bool hi_zero;
};

/* A rule's comparisons once narrowed: at most its own (ncmp is 8 bits). */
#define VIEW_CMP_MAX UINT8_MAX

/* Rule @i as @v sees it, its narrowed comparisons in @buf; false when it cannot hold. */
static bool view_rule(const struct rule_view *v, size_t i, struct ir_rule *out, struct ir_cmp *buf)
{
	const struct ir_rule *r = &v->s->rules[i];

	*out = *r;
	if (v->arg < 0)
		return true;
	out->ncmp = 0;
	out->cmp = buf;
	for (unsigned k = 0; k < r->ncmp; k++) {
		struct ir_cmp c = r->cmp[k];
		enum known kn = with_high(&c, (unsigned)v->arg, v->hi_zero);
		if (kn == FAILS)
			return false;
		if (kn == KEEP)
			buf[out->ncmp++] = c;
	}
	return true;
}

/* The first rule at or after @i that @v keeps (into @out), or the number of rules. */
static size_t view_next(const struct rule_view *v, size_t i, struct ir_rule *out, struct ir_cmp *buf)
{
	while (i < v->s->nrules && !view_rule(v, i, out, buf))
		i++;
	return i;
}

/* The @n rules @v keeps among [@from, @to), each `arg == value` on @c0's argument: one
 * search over the values; the high word of 64-bit values is tested once per distinct high
 * word. */
static void emit_value_set(struct bpf_asm *as, const struct sc_arch *a, const struct rule_view *view,
			   size_t from, size_t to, size_t n, const struct ir_cmp *c0,
			   struct asm_target fail)
{
	/* written before read: not zeroed */
	struct value_rule *v = kept_get(n * sizeof(*v));
	struct value_case *cases = kept_get(n * sizeof(*cases));
	size_t nv = 0, chain = n <= VALUE_SET_SMALL ? VALUE_CHAIN_SMALL : VALUE_CHAIN;
	struct ir_cmp buf[VIEW_CMP_MAX];
	struct ir_rule r;

	for (size_t i = view_next(view, from, &r, buf); i < to; i = view_next(view, i + 1, &r, buf))
		v[nv++] = (struct value_rule){ r.cmp[0].value, i, sc_action_to_ret(r.action) };
	n = nv;
	nv = 0;
	qsort(v, n, sizeof(*v), value_rule_cmp);
	for (size_t i = 0; i < n; i++)
		if (nv == 0 || v[nv - 1].v != v[i].v)
			v[nv++] = v[i];
	if (c0->bits <= 32) {
		for (size_t i = 0; i < nv; i++)
			cases[i] = (struct value_case){ (uint32_t)v[i].v, asm_ret(v[i].ret) };
		asm_load(as, arg_lo(a, c0->arg), (uint32_t)arg_width_mask(c0->bits));
		emit_value_search(as, cases, nv, fail, chain);
	} else {
		/* Group by high word: a search over the high words, each leading to a search
		 * over its low words. */
		size_t ng = 0, *labels = kept_get(nv * sizeof(*labels)), *first = kept_get((nv + 1) * sizeof(*first));
		for (size_t i = 0; i < nv; i++)
			if (i == 0 || (v[i].v >> 32) != (v[i - 1].v >> 32)) {
				first[ng] = i;
				labels[ng] = asm_label(as);
				cases[ng] = (struct value_case){ (uint32_t)(v[i].v >> 32), asm_to(labels[ng]) };
				ng++;
			}
		first[ng] = nv;
		asm_load(as, arg_hi(a, c0->arg), UINT32_MAX);
		if (ng == 1)
			asm_jump(as, BPF_JEQ, cases[0].v, asm_next(), fail);
		else
			emit_value_search(as, cases, ng, fail, chain);
		for (size_t g = 0; g < ng; g++) {
			if (ng > 1)
				asm_place(as, labels[g]);
			for (size_t i = first[g]; i < first[g + 1]; i++)
				cases[i - first[g]] = (struct value_case){ (uint32_t)v[i].v, asm_ret(v[i].ret) };
			asm_load(as, arg_lo(a, c0->arg), UINT32_MAX);
			emit_value_search(as, cases, first[g + 1] - first[g], fail, chain);
		}
		kept_put(labels);
		kept_put(first);
	}
	kept_put(cases);
	kept_put(v);
}

/* ---- a syscall's block: its rules in order --------------------------------------------- */

/* The rules @v keeps, in order; every path ends in a return. */
static void emit_rules(struct bpf_asm *as, const struct ir *ir, const struct sc_arch *a,
		       const struct rule_view *v)
{
	uint32_t def = sc_action_to_ret(ir->def);
	size_t nrules = v->s->nrules;
	struct ir_cmp buf[2][VIEW_CMP_MAX];
	struct ir_rule r, q;
	size_t i = view_next(v, 0, &r, buf[0]);

	if (i == nrules)
		asm_goto(as, asm_ret(def));
	while (i < nrules) {
		size_t j, run = 1, next = SIZE_MAX;
		struct asm_target fail;

		if (r.ncmp == 0) { /* nothing after an unconditional rule is reached */
			asm_goto(as, asm_ret(sc_action_to_ret(r.action)));
			return;
		}
		j = view_next(v, i + 1, &q, buf[1]);
		if (is_single_eq(&r))
			while (j < nrules && is_single_eq(&q) && same_operand(&r, &q)) {
				run++;
				j = view_next(v, j + 1, &q, buf[1]);
			}
		if (j < nrules)
			next = asm_label(as);
		fail = next == SIZE_MAX ? asm_ret(def) : asm_to(next);
		if (run > 1) {
			emit_value_set(as, a, v, i, j, run, &r.cmp[0], fail);
		} else {
			for (unsigned k = 0; k < r.ncmp; k++)
				emit_cmp(as, a, &r.cmp[k],
					 k + 1 < r.ncmp ? asm_next() : asm_ret(sc_action_to_ret(r.action)),
					 fail);
		}
		if (next != SIZE_MAX)
			asm_place(as, next);
		i = j;
		if (i < nrules) { /* the next rule, its comparisons where r's are kept */
			r = q;
			if (v->arg >= 0) {
				memcpy(buf[0], q.cmp, q.ncmp * sizeof(*q.cmp));
				r.cmp = buf[0];
			}
		}
	}
}

/* Does comparison @c read the high word of its argument? */
static bool reads_high(const struct ir_cmp *c)
{
	return c->bits > 32 && (c->op != IR_MASKED_EQ || (c->mask >> 32) != 0);
}

/* The argument whose high word the block would read most often (at least twice, and with
 * few comparisons on other arguments to copy into both cases), or -1. */
static int split_arg(const struct ir_syscall *s)
{
	unsigned reads[6] = { 0 }, total = 0;
	int best = -1;

	for (size_t i = 0; i < s->nrules; i++)
		for (unsigned k = 0; k < s->rules[i].ncmp; k++) {
			const struct ir_cmp *c = &s->rules[i].cmp[k];
			total++;
			if (c->arg < 6 && reads_high(c))
				reads[c->arg]++;
		}
	for (int a = 0; a < 6; a++)
		if (reads[a] >= 2 && total - reads[a] <= 4 && (best < 0 || reads[a] > reads[best]))
			best = a;
	return best;
}

/* Where the jump into @v's rules goes: a return when the first rule kept decides alone. */
static struct asm_target block_target(const struct ir *ir, const struct rule_view *v, size_t *label,
				      struct bpf_asm *as)
{
	struct ir_cmp buf[VIEW_CMP_MAX];
	struct ir_rule r;

	if (view_next(v, 0, &r, buf) == v->s->nrules)
		return asm_ret(sc_action_to_ret(ir->def));
	if (r.ncmp == 0)
		return asm_ret(sc_action_to_ret(r.action));
	*label = asm_label(as);
	return asm_to(*label);
}

/* A syscall's block, entered with A = nr. Where one argument's high word would be read by
 * several comparisons, it is tested once: zero (what most values are) and not zero lead to
 * two copies of the rules, each with that argument's comparisons decided or narrowed to
 * the low word. */
static void emit_block(struct bpf_asm *as, const struct ir *ir, const struct sc_arch *a,
		       const struct ir_syscall *s)
{
	int arg = split_arg(s);
	struct rule_view all = { s, -1, false }, zero = { s, arg, true }, nonzero = { s, arg, false };
	size_t lz = SIZE_MAX, lnz = SIZE_MAX;
	struct asm_target tz, tnz;

	if (arg < 0) {
		emit_rules(as, ir, a, &all);
		return;
	}
	tz = block_target(ir, &zero, &lz, as);
	tnz = block_target(ir, &nonzero, &lnz, as);
	asm_load(as, arg_hi(a, (unsigned)arg), UINT32_MAX);
	asm_jump(as, BPF_JEQ, 0, tz, tnz);
	if (lz != SIZE_MAX) {
		asm_place(as, lz);
		emit_rules(as, ir, a, &zero);
	}
	if (lnz != SIZE_MAX) {
		asm_place(as, lnz);
		emit_rules(as, ir, a, &nonzero);
	}
}

/* What one rule costs in its syscall's block: its comparisons (and its return), as
 * emit_block writes a rule alone. Used to say which rules make a filter too long. */
size_t bpf_rule_cost(const struct ir_arch *a, const struct ir_rule *r)
{
	struct bpf_asm as = { 0 };
	size_t fail = asm_label(&as), n;

	for (unsigned k = 0; k < r->ncmp; k++)
		emit_cmp(&as, a->arch, &r->cmp[k], asm_next(), asm_to(fail));
	n = as.n + 1;
	asm_free(&as);
	return n;
}

/* ---- the number search ------------------------------------------------------------------ */

/* The number line cut into spans of equal behaviour: [start, next start). */
struct span {
	uint32_t start;
	const struct ir_syscall *block; /* rules with arguments; NULL: return @ret */
	uint32_t ret;
	double weight;                  /* how often calls land here */
	size_t hole0, nholes;           /* single numbers inside that behave otherwise */
	unsigned cost;                  /* the longest path through the span's own code */
};

/* A single number inside a span, tested with one `jeq` where the search reaches its span. */
struct hole {
	uint32_t nr;
	const struct ir_syscall *block;
	uint32_t ret;
};

struct spans {
	struct span *v;
	size_t n, cap;
	struct hole *holes;
	size_t nholes, capholes;
};

static void span_add(struct spans *sp, uint32_t start, const struct ir_syscall *block, uint32_t ret)
{
	struct span *last = sp->n ? &sp->v[sp->n - 1] : NULL;

	if (last && (block ? last->block && ir_rules_equal(last->block, block)
			   : !last->block && last->ret == ret))
		return; /* the same behaviour goes on */
	sp->v = kept_grow(sp->v, &sp->cap, sp->n + 1, sizeof(*sp->v));
	sp->v[sp->n++] = (struct span){ start, block, ret, 0, 0, 0, 1 };
}

static void gap_add(struct spans *sp, const struct ir *ir, const struct ir_arch *a, uint32_t from,
		    uint32_t to)
{
	uint32_t def = sc_action_to_ret(ir->def), enosys = sc_action_to_ret(ir->enosys);

	if (a->enosys_above && to > a->enosys_above) {
		if (from <= a->enosys_above)
			span_add(sp, from, NULL, def);
		span_add(sp, from > a->enosys_above ? from : a->enosys_above + 1, NULL, enosys);
	} else {
		span_add(sp, from, NULL, def);
	}
}

/* ABI @a's behaviour over numbers [lo, hi]. */
static void arch_spans(struct spans *sp, const struct ir *ir, const struct ir_arch *a, uint32_t lo,
		       uint32_t hi)
{
	uint64_t cur = lo;

	for (size_t i = 0; i < a->ncalls; i++) {
		const struct ir_syscall *s = &a->calls[i];
		if (s->nr < lo || s->nr > hi)
			continue;
		if (s->nr > cur)
			gap_add(sp, ir, a, (uint32_t)cur, s->nr - 1);
		if (s->nrules == 0)
			span_add(sp, s->nr, NULL, sc_action_to_ret(ir->def));
		else if (s->rules[0].ncmp == 0)
			span_add(sp, s->nr, NULL, sc_action_to_ret(s->rules[0].action));
		else
			span_add(sp, s->nr, s, 0);
		cur = (uint64_t)s->nr + 1;
	}
	if (cur <= hi)
		gap_add(sp, ir, a, (uint32_t)cur, hi);
}

/* Every span weighs at least this (calls the table does not list, gaps) against the table's
 * counts: enough that rare allowed calls stay a few levels from the root. */
#define SPAN_FLOOR 100.0

static size_t span_find(const struct spans *sp, uint32_t nr)
{
	size_t lo = 0, hi = sp->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (sp->v[mid].start <= nr)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The built-in table by one ABI's numbers, read once per process and kept (it never
 * changes): most programs are weighted by it, at every compile. Two threads may read the
 * same ABI's at once: both are kept, the first found answers. */
struct builtin_freq {
	const struct sc_arch *arch;
	struct syscall_freq *f;
	size_t n;
	struct builtin_freq *next;
};

static _Atomic(struct builtin_freq *) builtin_freqs;

static const struct builtin_freq *builtin_freq_of(const struct sc_arch *arch)
{
	struct builtin_freq *k, *head = atomic_load_explicit(&builtin_freqs, memory_order_acquire);

	for (k = head; k; k = k->next)
		if (k->arch == arch)
			return k;
	k = xcalloc(1, sizeof(*k));
	k->arch = arch;
	k->n = syscall_freq_table(NULL, 0, arch, &k->f);
	k->next = head;
	/* on failure k->next is the new head: publish in front of it */
	while (!atomic_compare_exchange_weak_explicit(&builtin_freqs, &k->next, k, memory_order_release,
						      memory_order_acquire))
		;
	return k;
}

static void span_weights(struct spans *sp, const struct ir *ir, const struct sc_arch *freq_arch)
{
	struct syscall_freq *own = NULL;
	const struct syscall_freq *f = NULL;
	size_t nf = 0;

	if (freq_arch && ir->weights) {
		nf = syscall_freq_table(ir->weights, ir->weights_len, freq_arch, &own);
		f = own;
	} else if (freq_arch) {
		const struct builtin_freq *b = builtin_freq_of(freq_arch);
		nf = b->n;
		f = b->f;
	}
	for (size_t i = 0; i < sp->n; i++)
		sp->v[i].weight = SPAN_FLOOR;
	for (size_t i = 0; i < nf; i++)
		sp->v[span_find(sp, f[i].nr)].weight += f[i].count;
	free(own);
}

static bool same_behaviour(const struct span *x, const struct span *y)
{
	return x->block ? y->block && ir_rules_equal(x->block, y->block)
			: !y->block && x->ret == y->ret;
}

/* A single number between two spans that behave alike costs two `jge` as a span of its
 * own, one `jeq` as a hole in their union. Only where calls are rare: a hot span would pay
 * the `jeq` on every call. */
#define HOLE_MAX_WEIGHT (6 * SPAN_FLOOR)
#define HOLES_MAX 2

static void make_holes(struct spans *sp)
{
	struct span *v = sp->v;
	size_t m = 0;

	for (size_t i = 0; i < sp->n; i++) {
		struct span *last = m ? &v[m - 1] : NULL;
		if (last && i + 1 < sp->n && v[i + 1].start == v[i].start + 1 &&
		    same_behaviour(last, &v[i + 1]) && last->nholes < HOLES_MAX &&
		    last->weight + v[i + 1].weight <= HOLE_MAX_WEIGHT) {
			sp->holes = xgrow(sp->holes, &sp->capholes, sp->nholes + 1, sizeof(*sp->holes));
			if (last->nholes == 0)
				last->hole0 = sp->nholes;
			sp->holes[sp->nholes++] = (struct hole){ v[i].start, v[i].block, v[i].ret };
			last->nholes++;
			last->weight += v[i].weight + v[i + 1].weight;
			i++;
			continue;
		}
		v[m++] = v[i];
	}
	sp->n = m;
}

/* The split of each range of spans that minimises the expected number of `jge` executed:
 * an optimal alphabetic tree by dynamic programming with Knuth's bound on the root
 * (root(i, j-1) <= root(i, j) <= root(i+1, j)), O(n²); above OPTIMAL_MAX spans, the split
 * that halves the weight. A root is below n <= OPTIMAL_MAX: one byte. */
#define OPTIMAL_MAX 256

struct search {
	const struct spans *sp;
	double *prefix;  /* prefix[i]: weight of spans [0, i) */
	uint8_t *root;   /* root[row[i] + j] for range [i, j), when optimal */
	double *cost;    /* cost[row[i] + j]: the optimal tree's weighted depth for [i, j) */
	size_t *row;     /* see search_rows */
	size_t n;
};

/* The tables hold the ranges [i, j) of n spans (i < j <= n) only, row by row: half the
 * memory of a square, so a plan does not grow the heap past what malloc gives back to the
 * kernel at every compile. Row i holds j = i + 1 … n from i * n - i * (i - 1) / 2 on;
 * row[i] is that minus (i + 1), so that [i, j) is at row[i] + j (modulo SIZE_MAX + 1: row[0]
 * wraps, the sum does not). Down a column (the same j, the next i) the place moves by
 * n - i - 1. */
static void search_rows(size_t *row, size_t n)
{
	for (size_t i = 0; i < n; i++)
		row[i] = i * n - i * (i - 1) / 2 - (i + 1);
}

static double range_weight(const struct search *s, size_t i, size_t j)
{
	return s->prefix[j] - s->prefix[i];
}

static void search_free(struct search *s)
{
	kept_put(s->prefix);
	kept_put(s->root);
	kept_put(s->cost);
	kept_put(s->row);
}

/* Knuth's optimal search tree over the spans' weights, planned again after search_plan
 * reweights a few spans (@reweighted; NULL: all are new). A range's plan depends only on the
 * weights inside it, and the weights are whole numbers (call counts, the floor, doublings):
 * while every cost (at most the total weight times n) stays below 2^53, sums are exact, a
 * range that holds no reweighted span keeps its cost and root, and only the ranges over a
 * reweighted span are planned again — the same tables as planning everything, for a
 * fraction of the work (search_plan reweights one or two spans a round). Past that (a span
 * that cannot meet the budget doubled a dozen times), every range is planned again, with
 * the roundings of a fresh plan.
 * Rows go from the last span to the first, each by growing end: what a range reads (its
 * row's shorter ranges, the next row) is final before it is read. The tables are never
 * zeroed: every entry is written before it is read. */
static void search_optimal(struct search *s, const struct spans *sp, const bool *reweighted)
{
	size_t n = sp->n, cells = n * (n + 1) / 2, dirty = n;
	double *cost;
	uint8_t *root;
	const size_t *row;

	if (s->n != n || !s->prefix) {
		search_free(s);
		s->prefix = kept_get((n + 1) * sizeof(*s->prefix));
		s->root = n > OPTIMAL_MAX || n < 3 ? NULL : kept_get(cells * sizeof(*s->root));
		s->cost = s->root ? kept_get(cells * sizeof(*s->cost)) : NULL;
		s->row = s->root ? kept_get(n * sizeof(*s->row)) : NULL;
		if (s->row)
			search_rows(s->row, n);
		reweighted = NULL;
	}
	s->sp = sp;
	s->n = n;
	s->prefix[0] = 0;
	for (size_t i = 0; i < n; i++)
		s->prefix[i + 1] = s->prefix[i] + sp->v[i].weight;
	if (!s->root)
		return;
	if (s->prefix[n] * (double)n >= 0x1p53)
		reweighted = NULL;
	cost = s->cost;
	root = s->root;
	row = s->row;
	for (size_t i = n; i-- > 0;) {
		/* row i from j = i + 1 on, and row i + 1 from j = i + 2 on (when there is one) */
		double *ci = &cost[row[i] + i + 1], wi = s->prefix[i];
		uint8_t *ri = &root[row[i] + i + 1];
		const uint8_t *below = i + 1 < n ? &root[row[i + 1] + i + 2] : NULL;
		if (!reweighted || reweighted[i])
			dirty = i; /* the first reweighted span at or after i */
		if (!reweighted)
			ci[0] = 0; /* a single span: a leaf, no comparison */
		for (size_t j = dirty + 1 > i + 2 ? dirty + 1 : i + 2; j <= n; j++) {
			size_t lo = j == i + 2 ? i + 1 : ri[j - 1 - (i + 1)];
			size_t hi = j == i + 2 ? i + 1 : below[j - (i + 2)];
			size_t best = i + 1;
			double bestc = -1;
			/* the first of equal costs, as the split nearest the left */
			if (lo <= hi) {
				const double *cm = &cost[row[lo] + j];
				best = lo;
				bestc = ci[lo - (i + 1)] + *cm;
				for (size_t m = lo + 1; m <= hi; m++) {
					double c = ci[m - (i + 1)] + *(cm += n - m);
					if (c < bestc) {
						bestc = c;
						best = m;
					}
				}
			}
			ri[j - (i + 1)] = (uint8_t)best;
			ci[j - (i + 1)] = bestc + (s->prefix[j] - wi);
		}
	}
}

static size_t search_root(const struct search *s, size_t i, size_t j)
{
	size_t lo = i + 1, hi = j - 1, best = i + 1;
	double half, bestd = -1;

	if (s->root)
		return s->root[s->row[i] + j];
	half = (range_weight(s, i, j)) / 2;
	/* The first split whose left side reaches half the weight, or the one before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (range_weight(s, i, mid) < half)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t m = lo > i + 1 ? lo - 1 : lo; m <= lo && m < j; m++) {
		double d = range_weight(s, i, m) - half;
		d = d < 0 ? -d : d;
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = m;
		}
	}
	return best;
}

/* Each span's depth in the search (jumps before its code). */
static void span_depths(const struct search *s, size_t i, size_t j, unsigned d, unsigned *depth)
{
	size_t m;

	if (j - i == 1) {
		depth[i] = d;
		return;
	}
	m = search_root(s, i, j);
	span_depths(s, i, m, d + 1, depth);
	span_depths(s, m, j, d + 1, depth);
}

/* The worst path matters as much as the mean: a rare call with a long block at the bottom
 * of the tree is slow every time it runs. The search leaves this many instructions for the
 * tree and a span's code (16 minus ld [arch], jeq, ld [nr]); spans that exceed it weigh
 * twice as much and the tree is planned again, a few times at most. */
#define PATH_BUDGET 13
#define REPLANS 12

static void search_plan(struct search *s, struct spans *sp)
{
	unsigned *depth = xcalloc(sp->n, sizeof(*depth));
	bool *reweighted = xcalloc(sp->n, sizeof(*reweighted));

	*s = (struct search){ 0 };
	for (unsigned round = 0;; round++) {
		bool over = false;
		search_optimal(s, sp, round ? reweighted : NULL);
		if (round == REPLANS || sp->n < 2)
			break;
		span_depths(s, 0, sp->n, 0, depth);
		for (size_t i = 0; i < sp->n; i++) {
			reweighted[i] = depth[i] + sp->v[i].cost > PATH_BUDGET;
			if (reweighted[i]) {
				/* each level over the budget doubles: fewer plans to reach it */
				unsigned excess = depth[i] + sp->v[i].cost - PATH_BUDGET;
				sp->v[i].weight *= (double)(1u << (excess < 4 ? excess : 4));
				over = true;
			}
		}
		if (!over)
			break;
	}
	free(reweighted);
	free(depth);
}



struct gen {
	const struct ir *ir;
	struct bpf_asm as;
	const struct search *search;
	const struct sc_arch *arch_of_block; /* the ABI whose argument layout blocks use */
	const struct ir_arch *plain, *marked;
	uint32_t bit;
};

static bool range_is_ret(const struct gen *g, size_t i, size_t j)
{
	return j - i == 1 && !g->search->sp->v[i].block && !g->search->sp->v[i].nholes;
}

static const struct sc_arch *arch_of(const struct gen *g, uint32_t nr)
{
	if (g->bit && g->marked && nr >= g->bit)
		return g->marked->arch;
	return g->plain ? g->plain->arch : g->marked->arch;
}

/* One span: its holes' `jeq`s, then its own block or return. */
static void emit_span(struct gen *g, const struct span *v)
{
	/* no holes: no array to point into (NULL + 0 is undefined; the fuzz target's UBSan) */
	const struct hole *h = v->nholes ? &g->search->sp->holes[v->hole0] : NULL;
	size_t labels[HOLES_MAX];

	for (size_t k = 0; k < v->nholes; k++) {
		struct asm_target to, jf = asm_next();
		labels[k] = SIZE_MAX;
		if (h[k].block) {
			labels[k] = asm_label(&g->as);
			to = asm_to(labels[k]);
		} else {
			to = asm_ret(h[k].ret);
		}
		if (k + 1 == v->nholes && !v->block)
			jf = asm_ret(v->ret);
		asm_jump(&g->as, BPF_JEQ, h[k].nr, to, jf);
	}
	if (v->block)
		emit_block(&g->as, g->ir, arch_of(g, v->start), v->block);
	for (size_t k = 0; k < v->nholes; k++)
		if (labels[k] != SIZE_MAX) {
			asm_place(&g->as, labels[k]);
			emit_block(&g->as, g->ir, arch_of(g, h[k].nr), h[k].block);
		}
}

/* Code for spans [i, j), entered with A = nr (not a lone return: its jumps go there). */
static void emit_range(struct gen *g, size_t i, size_t j)
{
	const struct span *v = g->search->sp->v;
	size_t m, right = SIZE_MAX;
	struct asm_target jt, jf;

	if (j - i == 1) {
		emit_span(g, &v[i]);
		return;
	}
	m = search_root(g->search, i, j);
	jf = range_is_ret(g, i, m) ? asm_ret(v[i].ret) : asm_next();
	if (range_is_ret(g, m, j)) {
		jt = asm_ret(v[m].ret);
	} else {
		right = asm_label(&g->as);
		jt = asm_to(right);
	}
	asm_jump(&g->as, BPF_JGE, v[m].start, jt, jf);
	if (jf.kind == ASM_NEXT)
		emit_range(g, i, m);
	if (right != SIZE_MAX) {
		asm_place(&g->as, right);
		emit_range(g, m, j);
	}
}

/* The longest path through each span's code, for search_plan's budget: the span written on
 * trial at the program's end and taken back, so that the program's own memory, which the
 * real code fills next, holds it — not a second program's worth of heap (issue 11). */
static void span_costs(struct gen *g, struct spans *sp)
{
	struct asm_mark m = asm_mark(&g->as);

	for (size_t i = 0; i < sp->n; i++) {
		if (!sp->v[i].block && !sp->v[i].nholes)
			continue;
		asm_assume(&g->as, offsetof(struct seccomp_data, nr), UINT32_MAX);
		emit_span(g, &sp->v[i]);
		sp->v[i].cost = (unsigned)asm_longest_from(&g->as, m.n);
		asm_rewind(&g->as, m);
	}
}

/* Is there an ABI in the catalog sharing @audit but told apart by a number bit (x32)? */
static uint32_t shared_nr_bit(uint32_t audit)
{
	for (size_t i = 0; i < sc_arch_count(); i++)
		if (sc_arch_at(i)->audit_arch == audit && sc_arch_at(i)->nr_bit)
			return sc_arch_at(i)->nr_bit;
	return 0;
}

/* One audit value's number line: its plain ABI below the x32 bit and its bit-marked ABI at
 * and above it, folded into one search. With only the plain ABI listed, marked numbers are
 * an unlisted ABI — except nr -1, which a tracer writes to skip a call (and the kernel then
 * returns ENOSYS): libseccomp 2.5.4's gen_bpf lets -1 through to the x86_64 dispatch, where
 * no rule names it, so it gets the default, not a kill. */
static void section_spans(struct gen *g, struct spans *sp, uint32_t audit)
{
	const struct ir *ir = g->ir;
	uint32_t bad = sc_action_to_ret(ir->bad_arch);

	g->plain = g->marked = NULL;
	g->bit = shared_nr_bit(audit);
	for (size_t i = 0; i < ir->narches; i++) {
		const struct ir_arch *a = &ir->arches[i];
		if (a->arch->audit_arch != audit)
			continue;
		if (a->arch->nr_bit)
			g->marked = a;
		else
			g->plain = a;
	}
	if (!g->bit) {
		arch_spans(sp, ir, g->plain, 0, UINT32_MAX);
	} else {
		if (g->plain)
			arch_spans(sp, ir, g->plain, 0, g->bit - 1);
		else
			span_add(sp, 0, NULL, bad);
		if (g->marked) {
			arch_spans(sp, ir, g->marked, g->bit, UINT32_MAX);
		} else {
			span_add(sp, g->bit, NULL, bad);
			span_add(sp, UINT32_MAX, NULL, sc_action_to_ret(ir->def));
		}
	}
	/* Calls of the plain ABI are what runs; the marked one's weigh as rare. */
	span_weights(sp, g->ir, g->plain ? g->plain->arch : NULL);
	make_holes(sp);
}

/* The section of one audit value: what its `jeq` jumps to. */
static void emit_section(struct gen *g, const struct spans *sp)
{
	asm_load(&g->as, offsetof(struct seccomp_data, nr), UINT32_MAX);
	emit_range(g, 0, sp->n);
}

int bpf_gen(const struct ir *ir, struct sock_filter **ret, size_t *ret_len, struct sc_diag *reterr)
{
	struct gen g = { .ir = ir };
	const struct sc_arch *native = sc_arch_native();
	uint32_t audits[64], bad = sc_action_to_ret(ir->bad_arch);
	size_t naudit = 0;
	int r;

	/* The native ABI first: its calls take no extra jump. */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ir->narches && naudit < 64; i++) {
			uint32_t audit = ir->arches[i].arch->audit_arch;
			bool seen = false;
			if ((pass == 0) != (native && audit == native->audit_arch))
				continue;
			for (size_t k = 0; k < naudit; k++)
				seen |= audits[k] == audit;
			if (!seen)
				audits[naudit++] = audit;
		}
	asm_load(&g.as, offsetof(struct seccomp_data, arch), UINT32_MAX);
	for (size_t i = 0; i < naudit; i++) {
		struct spans sp = { 0 };
		struct search s;
		size_t other = SIZE_MAX;
		struct asm_target section;

		section_spans(&g, &sp, audits[i]);
		g.search = &s;
		s.sp = &sp;
		span_costs(&g, &sp);
		search_plan(&s, &sp);
		section = sp.n == 1 && !sp.v[0].block && !sp.v[0].nholes ? asm_ret(sp.v[0].ret)
									 : asm_next();
		if (i + 1 < naudit)
			other = asm_label(&g.as);
		asm_jump(&g.as, BPF_JEQ, audits[i], section,
			 other == SIZE_MAX ? asm_ret(bad) : asm_to(other));
		if (section.kind == ASM_NEXT)
			emit_section(&g, &sp);
		if (other != SIZE_MAX)
			asm_place(&g.as, other);
		/* Every jump to `other` comes from the arch check. */
		asm_assume(&g.as, offsetof(struct seccomp_data, arch), UINT32_MAX);
		search_free(&s);
		kept_put(sp.v);
		free(sp.holes);
	}
	if (naudit == 0)
		asm_goto(&g.as, asm_ret(bad));
	r = asm_link(&g.as, ret, ret_len);
	asm_free(&g.as);
	if (r < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "internal error: the filter does not link");
		return r;
	}
	if (*ret_len > BPF_MAXINSNS) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the filter needs %zu instructions; the kernel accepts at most %d", *ret_len,
			    BPF_MAXINSNS);
		free(*ret);
		*ret = NULL;
		return -E2BIG; /* *ret_len: for the caller's account of what costs most */
	}
	return 0;
}
