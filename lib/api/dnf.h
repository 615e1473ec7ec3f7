/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dnf.h — sets of calls as formulas in disjunctive normal form (dnf.c says how). */
#ifndef SC_DNF_H
#define SC_DNF_H

#include "compile/ir.h"

#define DNF_MAX_TERMS 4096
/* A term may hold more comparisons than an IR rule (a call that is none of 40 ioctl
 * requests): diff.c compares such sets; who writes terms as rules checks IR_MAX_CMP. */
#define DNF_MAX_CMP 128
/* A term's own operator beside enum ir_op: (arg & mask & W) != value, the negation of a
 * masked comparison as one test (diff.c's search); never in a rule. */
#define DNF_MASKED_NE IR_OP_COUNT

struct term {
	uint8_t n;
	struct ir_cmp c[DNF_MAX_CMP];
};

struct dnf {
	struct term *t;
	size_t n;
};

/* Add @c to @t. Returns 1 when added (or already there), 0 when @t became unsatisfiable,
 * -E2BIG when @t is full. */
int term_add(struct term *t, const struct ir_cmp *c);
void dnf_free(struct dnf *d);
/* @d holds a term without comparisons: every call. */
bool dnf_is_true(const struct dnf *d);
/* Add @t to @d (kept small: implied terms dropped, complementary single bits joined). */
int dnf_push(struct dnf *d, const struct term *t);
/* Push rule @r's comparisons as one term (its action is the caller's to read). */
int dnf_push_rule(struct dnf *d, const struct ir_rule *r);
int dnf_push_all(struct dnf *d, const struct dnf *s);
/* @a := @a ∧ @b */
int dnf_and(struct dnf *a, const struct dnf *b);
/* ¬c as a DNF of single comparisons. */
int cmp_not(const struct ir_cmp *c, struct dnf *ret);
/* @d := ¬@d */
int dnf_not(struct dnf *d);
/* Arguments satisfying every comparison of @t into @ret_args (the others 0): true, or false
 * when no call satisfies @t. Exact, for every operator and width mix. */
bool term_witness(const struct term *t, uint64_t ret_args[6]);

/* One action of a syscall's rule list and the calls it gets (regions of one list are disjoint
 * and cover every call). */
struct region {
	struct sc_action action;
	struct dnf set;
};

/* What @ir does with syscall @nr of @arch, as regions: a rule list's first match (and the
 * default after it), the ENOSYS floor, bad_arch for an ABI @ir does not list. */
int syscall_regions(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
		    struct region **ret, size_t *ret_n);
void regions_free(struct region *r, size_t n);

#endif
