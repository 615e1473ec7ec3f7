/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dnf.c — sets of calls as formulas over a rule set's comparisons, in disjunctive normal
 * form: what merge.c unites, diff.c compares and intersect.c intersects.
 *
 * A formula is a list of terms, each a conjunction of comparisons — an IR rule's shape.
 * Negating one needs each comparison negated: == and !=, < and >=, <= and > swap, and
 * `arg & mask == value` fails when some bit of the mask differs, one single-bit masked
 * comparison per bit. Sizes are bounded: a formula past DNF_MAX_TERMS terms, or a term past
 * DNF_MAX_CMP comparisons, gives -E2BIG, which callers report naming the syscall rather than
 * computing slowly. Cheap contradictions (x == 1 and x == 2) are dropped as terms are built;
 * term_witness() decides the rest exactly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "api/dnf.h"

static bool cmp_same(const struct ir_cmp *a, const struct ir_cmp *b)
{
	return a->arg == b->arg && a->bits == b->bits && a->op == b->op && a->value == b->value &&
	       ((a->op != IR_MASKED_EQ && a->op != DNF_MASKED_NE) || a->mask == b->mask);
}

/* Two comparisons on the same argument and width that no value satisfies together (the
 * cheap cases: enough to keep products of negations small). */
static bool cmp_contradict(const struct ir_cmp *a, const struct ir_cmp *b)
{
	if (a->arg != b->arg || a->bits != b->bits)
		return false;
	if (a->op == IR_EQ && b->op == IR_EQ)
		return a->value != b->value;
	if ((a->op == IR_EQ && b->op == IR_NE) || (a->op == IR_NE && b->op == IR_EQ))
		return a->value == b->value;
	if (a->op == IR_EQ && b->op == IR_MASKED_EQ)
		return (a->value & b->mask) != b->value;
	if (a->op == IR_MASKED_EQ && b->op == IR_EQ)
		return (b->value & a->mask) != a->value;
	if (a->op == IR_MASKED_EQ && b->op == IR_MASKED_EQ)
		return ((a->value ^ b->value) & a->mask & b->mask) != 0;
	return false;
}

/* Add @c to @t. Returns 1 when added (or already there), 0 when @t became unsatisfiable,
 * -E2BIG when @t is full. */
int term_add(struct term *t, const struct ir_cmp *c)
{
	for (unsigned i = 0; i < t->n; i++) {
		if (cmp_same(&t->c[i], c))
			return 1;
		if (cmp_contradict(&t->c[i], c))
			return 0;
	}
	if (t->n == DNF_MAX_CMP)
		return -E2BIG;
	t->c[t->n++] = *c;
	return 1;
}

void dnf_free(struct dnf *d)
{
	free(d->t);
	d->t = NULL;
	d->n = 0;
}

bool dnf_is_true(const struct dnf *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].n == 0)
			return true;
	return false;
}

/* Every comparison of @a is in @b: @a holds wherever @b does, so @b adds nothing next to it. */
static bool term_implied_by(const struct term *a, const struct term *b)
{
	for (unsigned i = 0; i < a->n; i++) {
		bool found = false;
		for (unsigned k = 0; k < b->n && !found; k++)
			found = cmp_same(&a->c[i], &b->c[k]);
		if (!found)
			return false;
	}
	return true;
}

/* @a and @b are equal but for one single-bit masked test that each takes the other way
 * (`prot & PROT_EXEC == 0` and `== PROT_EXEC`): their union drops that test. Returns the
 * index of that test in @a, or -1. */
static int complementary_bit(const struct term *a, const struct term *b)
{
	int at = -1;

	if (a->n != b->n)
		return -1;
	for (unsigned i = 0; i < a->n; i++) {
		bool found = false;
		for (unsigned k = 0; k < b->n && !found; k++)
			found = cmp_same(&a->c[i], &b->c[k]);
		if (found)
			continue;
		if (at >= 0 || a->c[i].op != IR_MASKED_EQ || (a->c[i].mask & (a->c[i].mask - 1)))
			return -1;
		at = (int)i;
	}
	if (at < 0)
		return -1;
	for (unsigned k = 0; k < b->n; k++) {
		const struct ir_cmp *x = &a->c[at], *y = &b->c[k];
		if (y->op == IR_MASKED_EQ && y->arg == x->arg && y->bits == x->bits && y->mask == x->mask &&
		    y->value != x->value)
			return at;
	}
	return -1;
}

int dnf_push(struct dnf *d, const struct term *t)
{
	/* Kept small as it grows: a term implied by another is dropped, and two terms that
	 * differ only in one bit's two values become one without that test. */
	for (size_t i = 0; i < d->n; i++)
		if (term_implied_by(&d->t[i], t))
			return 0;
	for (size_t i = 0; i < d->n;) {
		if (term_implied_by(t, &d->t[i]))
			d->t[i] = d->t[--d->n];
		else
			i++;
	}
	for (size_t i = 0; i < d->n; i++) {
		int at = complementary_bit(t, &d->t[i]);
		if (at >= 0) {
			struct term merged = *t;
			merged.c[at] = merged.c[--merged.n];
			d->t[i] = d->t[--d->n];
			return dnf_push(d, &merged);
		}
	}
	if (d->n == DNF_MAX_TERMS)
		return -E2BIG;
	d->t = xgrow_n(d->t, d->n, 1, sizeof(*d->t));
	d->t[d->n++] = *t;
	return 0;
}

int dnf_push_rule(struct dnf *d, const struct ir_rule *r)
{
	struct term t = { .n = r->ncmp };

	if (t.n) /* a rule without comparisons may have no array */
		memcpy(t.c, r->cmp, sizeof(t.c[0]) * t.n);
	return dnf_push(d, &t);
}

int dnf_push_all(struct dnf *d, const struct dnf *s)
{
	int r = 0;
	for (size_t i = 0; i < s->n && r == 0; i++)
		r = dnf_push(d, &s->t[i]);
	return r;
}

/* @a := @a ∧ @b */
int dnf_and(struct dnf *a, const struct dnf *b)
{
	struct dnf out = { 0 };
	int r = 0;

	for (size_t i = 0; i < a->n && r == 0; i++)
		for (size_t k = 0; k < b->n && r == 0; k++) {
			struct term t = a->t[i];
			int ok = 1;
			for (unsigned j = 0; j < b->t[k].n && ok == 1; j++)
				ok = term_add(&t, &b->t[k].c[j]);
			if (ok < 0)
				r = ok;
			else if (ok == 1)
				r = dnf_push(&out, &t);
		}
	dnf_free(a);
	if (r < 0) {
		dnf_free(&out);
		return r;
	}
	*a = out;
	return 0;
}

/* ¬c as a DNF of single comparisons. */
int cmp_not(const struct ir_cmp *c, struct dnf *ret)
{
	static const uint8_t neg[] = {
		[IR_EQ] = IR_NE, [IR_NE] = IR_EQ, [IR_LT] = IR_GE,
		[IR_LE] = IR_GT, [IR_GT] = IR_LE, [IR_GE] = IR_LT,
	};
	struct term t = { .n = 1 };
	int r = 0;

	*ret = (struct dnf){ 0 };
	if (c->op != IR_MASKED_EQ) {
		t.c[0] = *c;
		t.c[0].op = neg[c->op];
		return dnf_push(ret, &t);
	}
	if (c->value & ~c->mask)
		return dnf_push(ret, &(struct term){ .n = 0 }); /* never true: its negation always */
	for (unsigned b = 0; b < 64 && r == 0; b++) {
		uint64_t bit = UINT64_C(1) << b;
		if (!(c->mask & bit & arg_width_mask(c->bits)))
			continue;
		t.c[0] = (struct ir_cmp){ .arg = c->arg, .bits = c->bits, .op = IR_MASKED_EQ,
					  .mask = bit, .value = ~c->value & bit };
		r = dnf_push(ret, &t);
	}
	return r;
}

/* @d := ¬@d */
int dnf_not(struct dnf *d)
{
	struct dnf out = { 0 };
	int r = dnf_push(&out, &(struct term){ .n = 0 });

	for (size_t i = 0; i < d->n && r == 0; i++) {
		struct dnf nt = { 0 };
		if (d->t[i].n == 0) { /* ¬true */
			dnf_free(&out);
			break;
		}
		for (unsigned j = 0; j < d->t[i].n && r == 0; j++) {
			struct dnf nc;
			r = cmp_not(&d->t[i].c[j], &nc);
			if (r == 0)
				r = dnf_push_all(&nt, &nc);
			dnf_free(&nc);
		}
		if (r == 0)
			r = dnf_and(&out, &nt);
		dnf_free(&nt);
		if (out.n == 0)
			break; /* false already */
	}
	dnf_free(d);
	if (r < 0) {
		dnf_free(&out);
		return r;
	}
	*d = out;
	return 0;
}


/*
 * term_witness: one argument's comparisons are decided bit by bit, from bit 63 down. Every
 * comparison becomes bounds and fixed bits: x >= lo, x <= hi (== is both, < and > move the
 * bound by one), x != v, and masked bits that must equal the value's. A bound is "tight"
 * while the bits chosen so far equal its own: choosing a bit above it satisfies a lower
 * bound for good, below it fails. What the lower bits can still do depends only on the
 * set of bounds still tight, so a set that failed at one bit fails again: remembered, the
 * search stays within (bits × tight sets) steps however the widths mix.
 */
enum bound_kind { BOUND_GE, BOUND_LE, BOUND_NE, BOUND_MASK };

struct bound {
	uint8_t kind;
	uint8_t bits;  /* the width compared: bits at or above it do not matter to this bound */
	uint64_t v;    /* the bound, the excluded value, or the masked bits' values */
	uint64_t mask; /* BOUND_MASK: the bits that must equal v's; BOUND_NE: the bits compared */
};

#define WITNESS_MEMO 4096

struct tight {
	uint64_t w[4]; /* bit i: bound i is still tight (2 * DNF_MAX_CMP bounds) */
};

struct memo_key {
	struct tight t;
	int bit; /* -1: empty slot */
};

struct search {
	struct bound b[2 * DNF_MAX_CMP];
	unsigned n;
	struct memo_key failed[WITNESS_MEMO];
};

static bool is_tight(const struct tight *t, unsigned i)
{
	return t->w[i / 64] >> (i % 64) & 1;
}

static size_t memo_slot(const struct memo_key *k)
{
	uint64_t h = (k->t.w[0] * 0x9e3779b97f4a7c15ULL) ^ (k->t.w[1] * 0xc2b2ae3d27d4eb4fULL) ^
		     (k->t.w[2] * 0x165667b19e3779f9ULL) ^ (k->t.w[3] * 0x27d4eb2f165667c5ULL) ^ (uint64_t)k->bit;
	return (size_t)((h ^ h >> 29) % WITNESS_MEMO);
}

static bool memo_has(const struct search *s, const struct memo_key *key)
{
	for (size_t i = memo_slot(key), k = 0; k < WITNESS_MEMO; i = (i + 1) % WITNESS_MEMO, k++) {
		if (s->failed[i].bit < 0)
			return false;
		if (s->failed[i].bit == key->bit && memcmp(&s->failed[i].t, &key->t, sizeof(key->t)) == 0)
			return true;
	}
	return false;
}

static void memo_add(struct search *s, const struct memo_key *key)
{
	for (size_t i = memo_slot(key), k = 0; k < WITNESS_MEMO; i = (i + 1) % WITNESS_MEMO, k++)
		if (s->failed[i].bit < 0) {
			s->failed[i] = *key;
			return;
		}
}

/* Bits @bit..0 of the value, given the bounds still @tight; the chosen bits go into @x. */
static bool search_bits(struct search *s, int bit, struct tight tight, uint64_t *x)
{
	struct memo_key key = { .t = tight, .bit = bit };

	if (bit < 0) {
		for (unsigned i = 0; i < s->n; i++)
			if (s->b[i].kind == BOUND_NE && is_tight(&tight, i))
				return false; /* equal to the excluded value */
		return true;
	}
	if (memo_has(s, &key))
		return false;
	for (uint64_t xb = 0; xb < 2; xb++) {
		struct tight next = tight;
		bool dead = false;
		for (unsigned i = 0; i < s->n && !dead; i++) {
			const struct bound *c = &s->b[i];
			uint64_t vb = c->v >> bit & 1;
			if ((unsigned)bit >= c->bits)
				continue;
			switch (c->kind) {
			case BOUND_MASK:
				dead = (c->mask >> bit & 1) && xb != vb;
				break;
			case BOUND_NE:
				if (is_tight(&tight, i) && (c->mask >> bit & 1) && xb != vb)
					next.w[i / 64] &= ~(UINT64_C(1) << (i % 64));
				break;
			case BOUND_GE:
			case BOUND_LE:
				if (!is_tight(&tight, i) || xb == vb)
					break;
				if ((c->kind == BOUND_GE && xb < vb) || (c->kind == BOUND_LE && xb > vb))
					dead = true;
				else
					next.w[i / 64] &= ~(UINT64_C(1) << (i % 64));
				break;
			}
		}
		if (dead)
			continue;
		if (search_bits(s, bit - 1, next, x)) {
			*x = (*x & ~(UINT64_C(1) << bit)) | xb << bit;
			return true;
		}
	}
	memo_add(s, &key);
	return false;
}

static bool bound_add(struct search *s, enum bound_kind kind, unsigned bits, uint64_t v, uint64_t mask)
{
	s->b[s->n++] = (struct bound){ .kind = kind, .bits = bits, .v = v, .mask = mask };
	return true;
}

/* One argument's comparisons of @t; false when they cannot hold together. */
static bool arg_witness(const struct term *t, unsigned arg, uint64_t *ret)
{
	struct search *s = xcalloc(1, sizeof(*s));
	bool ok = true;

	for (unsigned i = 0; i < t->n && ok; i++) {
		const struct ir_cmp *c = &t->c[i];
		uint64_t w = arg_width_mask(c->bits), v = c->value & w;
		if (c->arg != arg)
			continue;
		switch ((enum ir_op)c->op) {
		case IR_EQ:
			bound_add(s, BOUND_GE, c->bits, v, 0);
			bound_add(s, BOUND_LE, c->bits, v, 0);
			break;
		case IR_NE: bound_add(s, BOUND_NE, c->bits, v, w); break;
		case IR_LT: ok = v != 0 && bound_add(s, BOUND_LE, c->bits, v - 1, 0); break;
		case IR_LE: bound_add(s, BOUND_LE, c->bits, v, 0); break;
		case IR_GT: ok = v != w && bound_add(s, BOUND_GE, c->bits, v + 1, 0); break;
		case IR_GE: bound_add(s, BOUND_GE, c->bits, v, 0); break;
		case IR_MASKED_EQ:
			ok = (v & ~c->mask) == 0 && bound_add(s, BOUND_MASK, c->bits, v, c->mask & w);
			break;
		case IR_OP_COUNT: /* DNF_MASKED_NE */
			/* Never true when a bit outside the mask is set in the value: never equal. */
			if ((v & ~c->mask) == 0)
				bound_add(s, BOUND_NE, c->bits, v, c->mask & w);
			break;
		}
	}
	*ret = 0;
	if (ok) {
		struct tight all = { { 0 } };
		for (unsigned i = 0; i < s->n; i++)
			all.w[i / 64] |= UINT64_C(1) << (i % 64);
		for (size_t i = 0; i < WITNESS_MEMO; i++)
			s->failed[i].bit = -1;
		ok = search_bits(s, 63, all, ret);
	}
	free(s);
	return ok;
}

bool term_witness(const struct term *t, uint64_t ret_args[6])
{
	for (unsigned a = 0; a < 6; a++)
		if (!arg_witness(t, a, &ret_args[a]))
			return false;
	return true;
}

static void region_push(struct region **r, size_t *n, struct sc_action act, struct dnf *set)
{
	*r = xgrow_n(*r, *n, 1, sizeof(**r));
	(*r)[(*n)++] = (struct region){ .action = act, .set = *set };
	*set = (struct dnf){ 0 };
}

void regions_free(struct region *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dnf_free(&r[i].set);
	free(r);
}

int syscall_regions(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
		    struct region **ret, size_t *ret_n)
{
	const struct ir_arch *a = NULL;
	const struct ir_syscall *s = NULL;
	struct region *out = NULL;
	struct dnf rest = { 0 }; /* the calls no earlier rule took */
	size_t n = 0;
	int r;

	for (size_t i = 0; i < ir->narches && !a; i++)
		if (ir->arches[i].arch == arch)
			a = &ir->arches[i];
	s = a ? ir_find(a, nr) : NULL;
	r = dnf_push(&rest, &(struct term){ .n = 0 });
	if (!a || !s) {
		struct sc_action act = !a ? ir->bad_arch
				       : a->enosys_above && nr > a->enosys_above ? ir->enosys : ir->def;
		region_push(&out, &n, act, &rest);
		*ret = out;
		*ret_n = n;
		return 0;
	}
	/* Rules in blocks of one action: a block takes what it matches of what is left. */
	for (size_t k = 0; k < s->nrules && r == 0 && rest.n;) {
		struct sc_action act = s->rules[k].action;
		struct dnf block = { 0 }, taken = { 0 };
		for (; k < s->nrules && r == 0 && ir_action_equal(s->rules[k].action, act); k++) {
			r = dnf_push_rule(&block, &s->rules[k]);
		}
		if (r == 0)
			r = dnf_push_all(&taken, &block);
		if (r == 0)
			r = dnf_and(&taken, &rest);
		if (r == 0 && taken.n)
			region_push(&out, &n, act, &taken);
		if (r == 0)
			r = dnf_not(&block);
		if (r == 0)
			r = dnf_and(&rest, &block);
		dnf_free(&block);
		dnf_free(&taken);
	}
	if (r == 0 && rest.n)
		region_push(&out, &n, ir->def, &rest);
	dnf_free(&rest);
	if (r < 0) {
		regions_free(out, n);
		return r;
	}
	*ret = out;
	*ret_n = n;
	return 0;
}
