/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-asm.c — symbolic classic BPF and its layout (see bpf-asm.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "bpf/bpf-asm.h"
#include "base/alloc.h"
#include "base/kept.h"

#define JUMP_REACH 255 /* a conditional jump's 8-bit offset */

static struct asm_a a_meet(struct asm_a x, struct asm_a y)
{
	if (x.kind == ASM_A_UNREACHED)
		return y;
	if (y.kind == ASM_A_UNREACHED)
		return x;
	if (x.kind == ASM_A_WORD && y.kind == ASM_A_WORD && x.off == y.off && x.mask == y.mask)
		return x;
	return (struct asm_a){ ASM_A_UNKNOWN, 0, 0 };
}

static void put(struct bpf_asm *as, uint16_t code, uint32_t k, struct asm_target jt,
		struct asm_target jf)
{
	as->insn = kept_grow(as->insn, &as->cap, as->n + 1, sizeof(*as->insn));
	as->insn[as->n++] = (struct asm_insn){ code, k, jt, jf };
}

/* The state on the way to @t from here. */
static void flow_to(struct bpf_asm *as, struct asm_target t)
{
	if (t.kind == ASM_LABEL)
		as->label_a[t.v] = a_meet(as->label_a[t.v], as->a);
}

size_t asm_label(struct bpf_asm *as)
{
	size_t cap = as->caplabels;
	as->label_at = kept_grow(as->label_at, &cap, as->nlabels + 1, sizeof(*as->label_at));
	as->label_a = kept_grow(as->label_a, &as->caplabels, as->nlabels + 1, sizeof(*as->label_a));
	as->label_at[as->nlabels] = SIZE_MAX;
	as->label_a[as->nlabels] = (struct asm_a){ ASM_A_UNREACHED, 0, 0 };
	return as->nlabels++;
}

void asm_place(struct bpf_asm *as, size_t label)
{
	as->label_at[label] = as->n;
	as->a = a_meet(as->a, as->label_a[label]);
}

void asm_assume(struct bpf_asm *as, uint32_t off, uint32_t mask)
{
	as->a = (struct asm_a){ ASM_A_WORD, off, mask };
}

void asm_load(struct bpf_asm *as, uint32_t off, uint32_t mask)
{
	const struct asm_a *a = &as->a;

	if (a->kind == ASM_A_WORD && a->off == off && a->mask == mask)
		return;
	/* A holds a wider mask of the same word: narrowing it is one `and`. */
	if (!(a->kind == ASM_A_WORD && a->off == off && (mask & ~a->mask) == 0))
		put(as, BPF_LD | BPF_W | BPF_ABS, off, asm_next(), asm_next());
	if (mask != UINT32_MAX)
		put(as, BPF_ALU | BPF_AND | BPF_K, mask, asm_next(), asm_next());
	asm_assume(as, off, mask);
}

void asm_jump(struct bpf_asm *as, uint16_t op, uint32_t k, struct asm_target jt,
	      struct asm_target jf)
{
	put(as, BPF_JMP | op | BPF_K, k, jt, jf);
	flow_to(as, jt);
	flow_to(as, jf);
	if (jt.kind != ASM_NEXT && jf.kind != ASM_NEXT)
		as->a.kind = ASM_A_UNREACHED;
}

void asm_goto(struct bpf_asm *as, struct asm_target t)
{
	if (t.kind == ASM_NEXT)
		return;
	put(as, BPF_JMP | BPF_JA, 0, t, t);
	flow_to(as, t);
	as->a.kind = ASM_A_UNREACHED;
}

void asm_free(struct bpf_asm *as)
{
	kept_put(as->insn);
	kept_put(as->label_at);
	kept_put(as->label_a);
}

/* The longest path from @t, @len holding it for instructions @start on. */
static size_t longest_to(const struct bpf_asm *as, const size_t *len, size_t start, size_t i,
			 struct asm_target t)
{
	switch ((enum asm_target_kind)t.kind) {
	case ASM_NEXT: return i + 1 < as->n ? len[i + 1 - start] : 0;
	case ASM_LABEL:
		return as->label_at[t.v] < as->n && as->label_at[t.v] >= start
			       ? len[as->label_at[t.v] - start]
			       : 0;
	case ASM_RET: return 1;
	}
	return 0;
}

size_t asm_longest_from(const struct bpf_asm *as, size_t start)
{
	size_t *len = kept_calloc(as->n - start + 1, sizeof(*len)), r;

	for (size_t i = as->n; i-- > start;) {
		const struct asm_insn *in = &as->insn[i];
		size_t t, f;
		if (BPF_CLASS(in->code) != BPF_JMP) {
			len[i - start] = 1 + (i + 1 < as->n ? len[i + 1 - start] : 0);
			continue;
		}
		t = longest_to(as, len, start, i, in->jt);
		if (BPF_OP(in->code) == BPF_JA) {
			len[i - start] = t;
			continue;
		}
		f = longest_to(as, len, start, i, in->jf);
		len[i - start] = 1 + (t > f ? t : f);
	}
	r = as->n > start ? len[0] : 0;
	kept_put(len);
	return r;
}

size_t asm_longest(const struct bpf_asm *as)
{
	return asm_longest_from(as, 0);
}

struct asm_mark asm_mark(const struct bpf_asm *as)
{
	return (struct asm_mark){ as->n, as->nlabels, as->a };
}

void asm_rewind(struct bpf_asm *as, struct asm_mark m)
{
	as->n = m.n;
	as->nlabels = m.nlabels;
	as->a = m.a;
}

/* ---- layout, from the end backwards ------------------------------------------------ */

/* Positions count from the program's end: the last instruction is 0. A jump at position
 * p reaches position t (< p) with offset p - t - 1. */
struct linker {
	struct sock_filter *rev;
	size_t n, cap;
	struct ret_copy {
		uint32_t k;
		size_t at; /* the copy nearest the front so far */
	} *rets;
	size_t nrets, caprets;
};

static size_t lput(struct linker *l, struct sock_filter f)
{
	l->rev = kept_grow(l->rev, &l->cap, l->n + 1, sizeof(*l->rev));
	l->rev[l->n] = f;
	return l->n++;
}

static bool is_ret(const struct linker *l, size_t t)
{
	return BPF_CLASS(l->rev[t].code) == BPF_RET;
}

static struct ret_copy *ret_copy(struct linker *l, uint32_t k)
{
	for (size_t i = 0; i < l->nrets; i++)
		if (l->rets[i].k == k)
			return &l->rets[i];
	return NULL;
}

static size_t put_ret(struct linker *l, uint32_t k)
{
	struct ret_copy *c = ret_copy(l, k);
	size_t at = lput(l, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, k));

	if (!c) {
		l->rets = xgrow(l->rets, &l->caprets, l->nrets + 1, sizeof(*l->rets));
		c = &l->rets[l->nrets++];
		c->k = k;
	}
	c->at = at;
	return at;
}

/* The nearest equivalent of @t: for a `ret`, its latest copy. */
static size_t nearest(struct linker *l, size_t t)
{
	if (is_ret(l, t)) {
		size_t c = ret_copy(l, l->rev[t].k)->at;
		if (c > t)
			return c;
	}
	return t;
}

/* A position a jump emitted after @slack more instructions reaches in 8 bits: @t, a copy of
 * its `ret`, or a `ja` trampoline to it. */
static size_t reach(struct linker *l, size_t t, size_t slack)
{
	t = nearest(l, t);
	if (l->n + slack - t - 1 <= JUMP_REACH)
		return t;
	if (is_ret(l, t))
		return put_ret(l, l->rev[t].k);
	return lput(l, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(l->n - t - 1)));
}

/* Make position @t the next instruction for one emitted now (a fall-through). */
static void fall_to(struct linker *l, size_t t)
{
	t = nearest(l, t);
	if (t + 1 == l->n)
		return;
	if (is_ret(l, t))
		put_ret(l, l->rev[t].k);
	else
		lput(l, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(l->n - t - 1)));
}

static int resolve(const struct bpf_asm *as, struct linker *l, const size_t *pos, size_t i,
		   struct asm_target t, size_t *ret)
{
	struct ret_copy *c;
	size_t at;

	switch ((enum asm_target_kind)t.kind) {
	case ASM_NEXT:
		if (i + 1 >= as->n)
			return -EINVAL;
		*ret = pos[i + 1];
		return 0;
	case ASM_LABEL:
		at = as->label_at[t.v];
		if (at == SIZE_MAX || at <= i || at >= as->n)
			return -EINVAL;
		*ret = pos[at];
		return 0;
	case ASM_RET:
		c = ret_copy(l, t.v);
		*ret = c ? c->at : put_ret(l, t.v);
		return 0;
	}
	return -EINVAL;
}

int asm_link(const struct bpf_asm *as, struct sock_filter **ret, size_t *ret_len)
{
	struct linker l = { 0 };
	size_t *pos = kept_calloc(as->n + 1, sizeof(*pos));
	int r = 0;

	for (size_t i = as->n; i-- > 0 && r == 0;) {
		const struct asm_insn *in = &as->insn[i];
		size_t tt, tf;

		if (BPF_CLASS(in->code) != BPF_JMP) { /* a load or an ALU op: falls through */
			if (i + 1 >= as->n) {
				r = -EINVAL;
				break;
			}
			fall_to(&l, pos[i + 1]);
			pos[i] = lput(&l, (struct sock_filter)BPF_STMT(in->code, in->k));
			continue;
		}
		r = resolve(as, &l, pos, i, in->jt, &tt);
		if (r == 0 && BPF_OP(in->code) != BPF_JA)
			r = resolve(as, &l, pos, i, in->jf, &tf);
		else
			tf = tt;
		if (r < 0)
			break;
		if (nearest(&l, tt) == nearest(&l, tf)) { /* a `ja`, or both ways the same */
			pos[i] = nearest(&l, tt);
			continue;
		}
		tt = reach(&l, tt, 1);
		tf = reach(&l, tf, 0);
		pos[i] = lput(&l, (struct sock_filter)BPF_JUMP(in->code, in->k,
							       (uint8_t)(l.n - tt - 1),
							       (uint8_t)(l.n - tf - 1)));
	}
	if (r == 0 && as->n > 0)
		fall_to(&l, pos[0]); /* the program starts where its first instruction went */
	kept_put(pos);
	free(l.rets);
	if (r < 0 || l.n == 0) {
		kept_put(l.rev);
		return r < 0 ? r : -EINVAL;
	}
	/* The program in its own block of its own size (the filter keeps it), front first;
	 * the working one goes back to the kept blocks. */
	*ret = xreallocarray(NULL, l.n, sizeof(**ret));
	for (size_t i = 0; i < l.n; i++)
		(*ret)[i] = l.rev[l.n - 1 - i];
	*ret_len = l.n;
	kept_put(l.rev);
	return 0;
}
