/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ir.h — the rule set: what a policy means, per architecture, with every name resolved.
 *
 * resolve.c builds it from a policy; bpf-gen.c (and the exporters, explain and check)
 * consume it. Per architecture, per syscall number, an ordered list of rules: the first
 * rule whose comparisons all hold decides; when none does, the default applies. Rules are
 * ordered most restrictive first (enum sc_action_type's order), so "the most restrictive
 * matching rule wins" and "the first matching rule wins" are the same statement.
 *
 * Comparisons are unsigned and on the low `bits` bits of the argument register.
 */
#ifndef SC_IR_H
#define SC_IR_H

#include "catalog/catalog.h" /* arg_width_mask: W below */
#include "policy/cond-types.h" /* enum pol_op: the lowering below */
#include "seccompose.h"

enum ir_op {
	IR_EQ,        /* (arg & W) == value */
	IR_NE,        /* (arg & W) != value */
	IR_LT,        /* (arg & W) <  value */
	IR_LE,        /* (arg & W) <= value */
	IR_GT,        /* (arg & W) >  value */
	IR_GE,        /* (arg & W) >= value */
	IR_MASKED_EQ, /* (arg & mask & W) == value */
	IR_OP_COUNT
};

/* The policy's comparisons are the rule set's, one for one and in order: resolve.c lowers
 * them with ir_op_from_pol(), the exports lift them back with ir_op_to_pol(). The other
 * condition types (bitmask_*, any_of, flags_subset) lower into these. */
_Static_assert((int)IR_MASKED_EQ - IR_EQ == (int)POL_MASKED_EQ - POL_EQ &&
		       (int)IR_OP_COUNT == (int)POL_BITS_ALL,
	       "enum ir_op and enum pol_op out of step");

static inline enum ir_op ir_op_from_pol(enum pol_op op)
{
	return (enum ir_op)(IR_EQ + (op - POL_EQ));
}

static inline enum pol_op ir_op_to_pol(enum ir_op op)
{
	return (enum pol_op)(POL_EQ + (op - IR_EQ));
}

#define IR_MAX_CMP 16

struct ir_cmp {
	uint8_t arg;     /* 0..5 */
	uint8_t bits;    /* 8, 16, 32 or 64: W = 2^bits - 1 */
	uint8_t op;      /* enum ir_op */
	uint64_t mask;   /* IR_MASKED_EQ; already & W */
	uint64_t value;  /* already & W */
};

/* A rule's comparisons live out of line, in the pool of the rule set that made them
 * (ir_cmp_alloc): a rule is ~48 bytes, not ~420, so the lists that are sorted, copied and
 * grown while compiling stay small (a 2,000-value ioctl list is ~100 KB, not ~850 KB: below
 * the sizes at which malloc returns memory to the kernel and every compile faults it back
 * in). Copies of a rule share its comparisons; nothing writes through @cmp once the rule is
 * made — a rule with other comparisons takes a new array from the pool. */
struct ir_rule {
	struct sc_action action;
	uint8_t ncmp;
	const struct ir_cmp *cmp;
	const char *origin; /* "policy.toml:12 (group open_read)"; owned by the ir's string pool */
	uint32_t rule;      /* index + 1 of the policy rule it came from; 0 when none (a union) */
	size_t seq;         /* order of appearance, to keep sorting stable */
};

struct ir_syscall {
	uint32_t nr;
	struct ir_rule *rules;
	size_t nrules;
};

struct ir_arch {
	const struct sc_arch *arch;
	struct ir_syscall *calls; /* sorted by nr */
	size_t ncalls;
	/* Numbers above this (and no rule) get enosys instead of the default; 0: off. */
	uint32_t enosys_above;
};

struct ir {
	struct sc_action def;
	struct sc_action bad_arch;   /* calls from ABIs the policy does not list */
	struct sc_action enosys;     /* Errno(ENOSYS), used when enosys_above is set */
	struct ir_arch *arches;
	size_t narches;
	unsigned flags;              /* enum sc_filter_flags */
	bool restrict_ptrace;        /* the policy's restrict_ptrace, for the TOML export */
	char *weights;               /* call counts for bpf-gen's number search (syscall-freq.h),
					NULL: the built-in table */
	size_t weights_len;
	struct ir_pool *texts;       /* pool for origins (ir_string) */
	struct ir_pool *cmps;        /* pool for the rules' comparisons (ir_cmp_alloc) */
};

/* A call socketcall or ipc makes (@mux) under call number @call (linux/net.h, linux/ipc.h). */
struct ir_muxed {
	const char *name, *mux;
	uint32_t call;
};
/* resolve.c's table of them, sorted by name (lint reads it too). */
const struct ir_muxed *ir_muxed_table(size_t *ret_n);

/* Resolve @p into a rule set (resolve.c). Returns 0 or -EINVAL with @reterr filled.
 * Warnings go to @p. */
int resolve_policy(struct sc_policy *p, struct ir **ret, struct sc_diag *reterr);

/* The rule set's own operations (ir.c). */
void ir_free(struct ir *ir);
/* Free what @ir holds, not @ir itself (a rule set built in place, as tests and fuzzers do). */
void ir_clear(struct ir *ir);
/* A copy of @s that lives as long as @ir (for origins). */
const char *ir_string(struct ir *ir, const char *s);
/* Room for @n comparisons that lives (and stays where it is) as long as @ir. */
struct ir_cmp *ir_cmp_alloc(struct ir *ir, size_t n);
/* @n comparisons @c, then @extra (when not NULL), copied into @ir's pool. */
const struct ir_cmp *ir_cmp_copy(struct ir *ir, const struct ir_cmp *c, size_t n,
				 const struct ir_cmp *extra);
/* @nr's entry in @a, inserted in order (empty) when there is none. */
struct ir_syscall *ir_syscall_slot(struct ir_arch *a, uint32_t nr);
/* The catalog's syscall numbered @s->nr on @a's ABI, NULL for a number it does not name
 * (the public view: for exporters and reports; compiling never builds it). */
const struct sc_syscall *ir_call_sys(const struct ir_arch *a, const struct ir_syscall *s);
const struct ir_syscall *ir_find(const struct ir_arch *a, uint32_t nr);
const char *ir_op_symbol(enum ir_op op);
/* Two syscalls' rule lists say the same (origins aside); NULLs are equal to each other. */
bool ir_rules_equal(const struct ir_syscall *a, const struct ir_syscall *b);
bool ir_action_equal(struct sc_action a, struct sc_action b);
/* Same action and comparisons (origins aside). */
bool ir_rule_equal(const struct ir_rule *x, const struct ir_rule *y);
/* Does rule @r match the call (args as the registers hold them)? */
bool ir_rule_matches(const struct ir_rule *r, const uint64_t args[6]);
/* What decides a call in the rule set: a rule (*ret_rule), the default, the ENOSYS floor
 * (enosys_above), or bad_arch for an ABI the rule set does not list. */
enum ir_decider { IR_BY_RULE, IR_BY_DEFAULT, IR_BY_ENOSYS, IR_BY_BAD_ARCH };
enum ir_decider ir_decide(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
			  const uint64_t args[6], const struct ir_rule **ret_rule);
/* The action the rule set gives a call (reference semantics for tests and `check`). */
struct sc_action ir_eval(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
			 const uint64_t args[6]);

#endif
