/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-gen.c — the native back end: rule set → classic BPF.
 *
 * Layout (every path reads arch, then nr, then — only inside a syscall's block — args, so
 * the kernel's action cache can decide arg-free syscalls without running us):
 *
 *	ld [arch]; one `jeq AUDIT` per ABI family, else ret BAD_ARCH
 *	section: ld [nr]; x32 split on 0x40000000 where x86_64 and x32 share an audit value;
 *	         the number line cut into intervals that behave alike (a run of allowed
 *	         syscalls and the gaps of the default are one interval each), found by a
 *	         balanced binary search of `jge` — each leaf is its interval's block inline
 *	block:   for each rule (most restrictive first): its comparisons, each failing to the
 *	         next rule; then `ret ACTION`. After the last rule, `ret DEFAULT`.
 *
 * Conditional jumps only ever go forward a short way (to the next rule, over one block,
 * or over one `ja`); long jumps are `ja`, whose offset is 32 bits. 32-bit arguments load
 * only their low word, so high garbage cannot change the outcome (CVE-2019-10063).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "bpf/bpf-gen.h"

#define NEXT ((size_t)-1)    /* jump target: the next instruction */

struct fix {
	size_t at;
	size_t label;
	char field; /* 't', 'f' or 'k' */
};

struct prog {
	struct sock_filter *insn;
	size_t n, cap;
	struct fix *fix;
	size_t nfix, capfix;
	size_t *labels; /* label → instruction index, NEXT while unplaced */
	size_t nlabels, caplabels;
};

static size_t label_new(struct prog *p)
{
	p->labels = xgrow(p->labels, &p->caplabels, p->nlabels + 1, sizeof(*p->labels));
	p->labels[p->nlabels] = NEXT;
	return p->nlabels++;
}

static void label_place(struct prog *p, size_t l)
{
	p->labels[l] = p->n;
}

static void fixup(struct prog *p, char field, size_t label)
{
	if (label == NEXT)
		return;
	p->fix = xgrow(p->fix, &p->capfix, p->nfix + 1, sizeof(*p->fix));
	p->fix[p->nfix++] = (struct fix){ p->n - 1, label, field };
}

static struct sock_filter *next_insn(struct prog *p)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->insn = xreallocarray(p->insn, p->cap, sizeof(*p->insn));
	}
	return &p->insn[p->n++];
}

static void emit(struct prog *p, uint16_t code, uint32_t k)
{
	*next_insn(p) = (struct sock_filter)BPF_STMT(code, k);
}

/* A conditional jump; targets are labels or NEXT. */
static void emit_jmp(struct prog *p, uint16_t op, uint32_t k, size_t jt, size_t jf)
{
	*next_insn(p) = (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, k, 0, 0);
	fixup(p, 't', jt);
	fixup(p, 'f', jf);
}

/* A conditional jump with fixed offsets (0 = next instruction). */
static void emit_jmp_off(struct prog *p, uint16_t op, uint32_t k, uint8_t jt, uint8_t jf)
{
	*next_insn(p) = (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, k, jt, jf);
}

static void emit_ja(struct prog *p, size_t label)
{
	emit(p, BPF_JMP | BPF_JA, 0);
	fixup(p, 'k', label);
}

static void emit_ret(struct prog *p, struct sc_action a)
{
	emit(p, BPF_RET | BPF_K, sc_action_to_ret(a));
}

static void prog_free(struct prog *p)
{
	free(p->insn);
	free(p->fix);
	free(p->labels);
}

static int prog_resolve(struct prog *p, struct sc_diag *d)
{
	for (size_t i = 0; i < p->nfix; i++) {
		struct fix *f = &p->fix[i];
		size_t to = p->labels[f->label];
		size_t off;
		if (to == NEXT || to <= f->at) {
			sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "internal error: jump to an unplaced label");
			return -EINVAL;
		}
		off = to - f->at - 1;
		if (f->field == 'k') {
			p->insn[f->at].k = (uint32_t)off;
		} else if (off > 255) {
			sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "internal error: conditional jump too long");
			return -EINVAL;
		} else if (f->field == 't') {
			p->insn[f->at].jt = (uint8_t)off;
		} else {
			p->insn[f->at].jf = (uint8_t)off;
		}
	}
	return 0;
}

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

/* Load a 32-bit half and mask it (skipping a mask of all ones). */
static void load_half(struct prog *p, uint32_t off, uint32_t mask)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, off);
	if (mask != UINT32_MAX)
		emit(p, BPF_ALU | BPF_AND | BPF_K, mask);
}

/* One comparison; falls through when it holds, jumps to @fail when not. */
static void emit_cmp(struct prog *p, const struct sc_arch *a, const struct ir_cmp *c, size_t fail)
{
	uint32_t w = (uint32_t)arg_width_mask(c->bits); /* the low word's part */
	uint32_t vl = (uint32_t)c->value, vh = (uint32_t)(c->value >> 32);
	uint32_t ml = (uint32_t)c->mask, mh = (uint32_t)(c->mask >> 32);
	bool wide = c->bits > 32;
	size_t pass;

	if (!wide) { /* the low word only: what the kernel reads of a 32-bit parameter */
		switch ((enum ir_op)c->op) {
		case IR_EQ: load_half(p, arg_lo(a, c->arg), w); emit_jmp(p, BPF_JEQ, vl, NEXT, fail); return;
		case IR_NE: load_half(p, arg_lo(a, c->arg), w); emit_jmp(p, BPF_JEQ, vl, fail, NEXT); return;
		case IR_LT: load_half(p, arg_lo(a, c->arg), w); emit_jmp(p, BPF_JGE, vl, fail, NEXT); return;
		case IR_LE: load_half(p, arg_lo(a, c->arg), w); emit_jmp(p, BPF_JGT, vl, fail, NEXT); return;
		case IR_GT: load_half(p, arg_lo(a, c->arg), w); emit_jmp(p, BPF_JGT, vl, NEXT, fail); return;
		case IR_GE: load_half(p, arg_lo(a, c->arg), w); emit_jmp(p, BPF_JGE, vl, NEXT, fail); return;
		case IR_MASKED_EQ:
			if ((ml & w) == 0) {
				if (vl != 0)
					emit_ja(p, fail);
				return;
			}
			load_half(p, arg_lo(a, c->arg), ml & w);
			emit_jmp(p, BPF_JEQ, vl, NEXT, fail);
			return;
		case IR_OP_COUNT:
			return;
		}
		return;
	}
	pass = label_new(p);
	switch ((enum ir_op)c->op) {
	case IR_EQ:
		load_half(p, arg_hi(a, c->arg), UINT32_MAX);
		emit_jmp(p, BPF_JEQ, vh, NEXT, fail);
		load_half(p, arg_lo(a, c->arg), UINT32_MAX);
		emit_jmp(p, BPF_JEQ, vl, NEXT, fail);
		break;
	case IR_NE:
		load_half(p, arg_hi(a, c->arg), UINT32_MAX);
		emit_jmp(p, BPF_JEQ, vh, NEXT, pass);
		load_half(p, arg_lo(a, c->arg), UINT32_MAX);
		emit_jmp(p, BPF_JEQ, vl, fail, NEXT);
		break;
	case IR_GT:
	case IR_GE:
		/* hi > vh: holds; hi < vh: fails; equal: decided by the low word. */
		load_half(p, arg_hi(a, c->arg), UINT32_MAX);
		emit_jmp(p, BPF_JGT, vh, pass, NEXT);
		emit_jmp(p, BPF_JEQ, vh, NEXT, fail);
		load_half(p, arg_lo(a, c->arg), UINT32_MAX);
		emit_jmp(p, c->op == IR_GT ? BPF_JGT : BPF_JGE, vl, NEXT, fail);
		break;
	case IR_LT:
	case IR_LE:
		load_half(p, arg_hi(a, c->arg), UINT32_MAX);
		emit_jmp(p, BPF_JGT, vh, fail, NEXT);
		emit_jmp(p, BPF_JEQ, vh, NEXT, pass);
		load_half(p, arg_lo(a, c->arg), UINT32_MAX);
		emit_jmp(p, c->op == IR_LT ? BPF_JGE : BPF_JGT, vl, fail, NEXT);
		break;
	case IR_MASKED_EQ:
		if (mh == 0 && vh != 0) {
			emit_ja(p, fail);
			break;
		}
		if (mh != 0) {
			load_half(p, arg_hi(a, c->arg), mh);
			emit_jmp(p, BPF_JEQ, vh, NEXT, fail);
		}
		if (ml == 0 && vl != 0)
			emit_ja(p, fail);
		else if (ml != 0) {
			load_half(p, arg_lo(a, c->arg), ml);
			emit_jmp(p, BPF_JEQ, vl, NEXT, fail);
		}
		break;
	case IR_OP_COUNT:
		break;
	}
	label_place(p, pass);
}

/* ---- blocks, dispatch, sections ------------------------------------------------------- */

struct gen {
	const struct ir *ir;
	struct prog *p;
	struct sc_diag *d;
	bool failed;
};

static void emit_default(struct gen *g, const struct ir_arch *a)
{
	/* A still holds nr here. */
	if (a->enosys_above) {
		emit_jmp_off(g->p, BPF_JGT, a->enosys_above, 0, 1);
		emit_ret(g->p, g->ir->enosys);
	}
	emit_ret(g->p, g->ir->def);
}

static void emit_block(struct prog *p, const struct ir *ir, const struct ir_arch *a,
		       const struct ir_syscall *s)
{
	for (size_t i = 0; i < s->nrules; i++) {
		const struct ir_rule *r = &s->rules[i];
		size_t next = label_new(p);
		for (unsigned k = 0; k < r->ncmp; k++)
			emit_cmp(p, a->arch, &r->cmp[k], next);
		emit_ret(p, r->action);
		label_place(p, next);
		if (r->ncmp == 0)
			return; /* nothing after an unconditional rule is reached */
	}
	emit_ret(p, ir->def);
}

/* What one rule costs in its syscall's block: its comparisons and its return, as
 * emit_block writes them. Used to say which rules make a filter too long. */
size_t bpf_rule_cost(const struct ir_arch *a, const struct ir_rule *r)
{
	struct prog t = { 0 };
	size_t next = label_new(&t), n;

	for (unsigned k = 0; k < r->ncmp; k++)
		emit_cmp(&t, a->arch, &r->cmp[k], next);
	emit_ret(&t, r->action);
	n = t.n;
	prog_free(&t);
	return n;
}

/* The number line cut into intervals of equal behaviour: [start, next start). */
struct interval {
	uint32_t start;
	const struct ir_syscall *s; /* NULL: the default */
};

static size_t intervals(const struct ir_arch *a, struct interval **ret)
{
	struct interval *v = xcalloc(2 * a->ncalls + 2, sizeof(*v));
	size_t n = 0;
	uint64_t cur = 0;

	for (size_t i = 0; i < a->ncalls; i++) {
		const struct ir_syscall *s = &a->calls[i];
		if (s->nr > cur)
			v[n++] = (struct interval){ (uint32_t)cur, NULL };
		v[n++] = (struct interval){ s->nr, s };
		cur = (uint64_t)s->nr + 1;
	}
	if (cur <= UINT32_MAX)
		v[n++] = (struct interval){ (uint32_t)cur, NULL };
	/* Merge neighbours that behave alike: two syscalls with the same rules share a leaf. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || !ir_rules_equal(v[m - 1].s, v[i].s))
			v[m++] = v[i];
	*ret = v;
	return m;
}

/* A resolved, self-contained piece of program (every path ends in a ret). */
struct piece {
	struct sock_filter *insn;
	size_t n, cap;
};

static void piece_append(struct piece *p, const struct sock_filter *insn, size_t n)
{
	p->insn = xgrow(p->insn, &p->cap, p->n + n, sizeof(*p->insn));
	memcpy(p->insn + p->n, insn, n * sizeof(*insn));
	p->n += n;
}

static int leaf(const struct gen *g, const struct ir_arch *a, const struct interval *iv,
		struct piece *out, struct sc_diag *d)
{
	struct prog t = { 0 };
	struct gen tg = { g->ir, &t, d, false };
	int r;

	if (iv->s)
		emit_block(&t, g->ir, a, iv->s);
	else
		emit_default(&tg, a);
	r = prog_resolve(&t, d);
	if (r == 0)
		piece_append(out, t.insn, t.n);
	prog_free(&t);
	return r;
}

/* A binary search over intervals [lo, hi): `jge start[mid]` splits; A holds nr throughout. */
static int tree(const struct gen *g, const struct ir_arch *a, const struct interval *v, size_t lo,
		size_t hi, struct piece *out, struct sc_diag *d)
{
	struct piece left = { 0 }, right = { 0 };
	size_t mid;
	int r;

	if (hi - lo == 1)
		return leaf(g, a, &v[lo], out, d);
	mid = lo + (hi - lo) / 2;
	r = tree(g, a, v, lo, mid, &left, d);
	if (r == 0)
		r = tree(g, a, v, mid, hi, &right, d);
	if (r == 0) {
		if (left.n <= 255) {
			struct sock_filter j = BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, v[mid].start,
							(uint8_t)left.n, 0);
			piece_append(out, &j, 1);
		} else {
			struct sock_filter j[2] = {
				BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, v[mid].start, 0, 1),
				BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)left.n),
			};
			piece_append(out, j, 2);
		}
		piece_append(out, left.insn, left.n);
		piece_append(out, right.insn, right.n);
	}
	free(left.insn);
	free(right.insn);
	return r;
}

static void emit_arch(struct gen *g, const struct ir_arch *a)
{
	struct interval *v;
	size_t n = intervals(a, &v);
	struct piece pc = { 0 };

	if (tree(g, a, v, 0, n, &pc, g->d) < 0)
		g->failed = true;
	for (size_t i = 0; i < pc.n; i++)
		*next_insn(g->p) = pc.insn[i];
	free(pc.insn);
	free(v);
}

/* Is there an ABI in the catalog sharing @audit but told apart by a number bit (x32)? */
static uint32_t shared_nr_bit(uint32_t audit)
{
	for (size_t i = 0; i < sc_arch_count(); i++)
		if (sc_arch_at(i)->audit_arch == audit && sc_arch_at(i)->nr_bit)
			return sc_arch_at(i)->nr_bit;
	return 0;
}

/* One audit value: its plain ABI and/or its bit-marked ABI (x86_64 / x32). */
static void emit_section(struct gen *g, uint32_t audit)
{
	const struct ir_arch *plain = NULL, *marked = NULL;
	uint32_t bit = shared_nr_bit(audit);
	struct prog *p = g->p;

	for (size_t i = 0; i < g->ir->narches; i++) {
		const struct ir_arch *a = &g->ir->arches[i];
		if (a->arch->audit_arch != audit)
			continue;
		if (a->arch->nr_bit)
			marked = a;
		else
			plain = a;
	}
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	if (!bit) {
		emit_arch(g, plain);
		return;
	}
	if (plain && marked) {
		size_t l_marked = label_new(p);
		emit_jmp_off(p, BPF_JGE, bit, 0, 1);
		emit_ja(p, l_marked);
		emit_arch(g, plain);
		label_place(p, l_marked);
		emit_arch(g, marked);
	} else if (plain) { /* an x32 number on an x86_64-only policy: an unlisted ABI … */
		/* … except nr -1, which a tracer writes to skip a call (and the kernel then
		 * returns ENOSYS): libseccomp 2.5.4's gen_bpf lets -1 through to the x86_64
		 * dispatch, where no rule names it, so it gets the default, not a kill. */
		emit_jmp_off(p, BPF_JGE, bit, 0, 3);
		emit_jmp_off(p, BPF_JEQ, UINT32_MAX, 0, 1);
		emit_ret(p, g->ir->def);
		emit_ret(p, g->ir->bad_arch);
		emit_arch(g, plain);
	} else {
		emit_jmp_off(p, BPF_JGE, bit, 1, 0);
		emit_ret(p, g->ir->bad_arch);
		emit_arch(g, marked);
	}
}

int bpf_gen(const struct ir *ir, struct sock_filter **ret, size_t *ret_len, struct sc_diag *reterr)
{
	struct prog p = { 0 };
	struct gen g = { ir, &p, reterr, false };
	uint32_t audits[64];
	size_t naudit = 0, *sections;
	int r;

	for (size_t i = 0; i < ir->narches && naudit < 64; i++) {
		bool seen = false;
		for (size_t k = 0; k < naudit; k++)
			seen |= audits[k] == ir->arches[i].arch->audit_arch;
		if (!seen)
			audits[naudit++] = ir->arches[i].arch->audit_arch;
	}
	sections = xcalloc(naudit, sizeof(*sections));
	emit(&p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	for (size_t i = 0; i < naudit; i++) {
		if (i + 1 == naudit) { /* the last one falls through into its section */
			emit_jmp_off(&p, BPF_JEQ, audits[i], 1, 0);
			emit_ret(&p, ir->bad_arch);
			sections[i] = NEXT;
			break;
		}
		sections[i] = label_new(&p);
		emit_jmp_off(&p, BPF_JEQ, audits[i], 0, 1);
		emit_ja(&p, sections[i]);
	}
	/* The last audit value's section comes first: it is what its jeq fell into. */
	if (naudit > 0) {
		emit_section(&g, audits[naudit - 1]);
		for (size_t i = 0; i + 1 < naudit; i++) {
			label_place(&p, sections[i]);
			emit_section(&g, audits[i]);
		}
	}
	free(sections);
	r = g.failed ? -EINVAL : prog_resolve(&p, reterr);
	if (r == 0 && p.n > BPF_MAXINSNS) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the filter needs %zu instructions; the kernel accepts at most %d", p.n,
			    BPF_MAXINSNS);
		*ret_len = p.n; /* for the caller's account of what costs most */
		r = -E2BIG;
	}
	if (r < 0) {
		prog_free(&p);
		return r;
	}
	free(p.fix);
	free(p.labels);
	*ret = p.insn;
	*ret_len = p.n;
	return 0;
}
