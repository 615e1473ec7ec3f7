/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cond-types.h — condition types by name: ours (docs/policy-language.md, the seed's) and
 * OCI's SCMP_CMP_*. The one table is in cond-types.c; loaders parse with it, exporters name
 * with it.
 */
#ifndef SC_COND_TYPES_H
#define SC_COND_TYPES_H

#include <stddef.h>

/* Condition operators as policies write them (their names: below); resolve.c lowers
 * them to ir_op, the first seven by offset (the same order). */
enum pol_op {
	POL_EQ,           /* equals */
	POL_NE,           /* not_equals */
	POL_LT,           /* less_than */
	POL_LE,           /* less_or_equal */
	POL_GT,           /* greater_than */
	POL_GE,           /* greater_or_equal */
	POL_MASKED_EQ,    /* masked_equals: (arg & mask) == value */
	POL_BITS_ALL,     /* bitmask_all: every bit of value set */
	POL_BITS_ANY,     /* bitmask_any: at least one bit set (one rule per bit) */
	POL_BITS_NONE,    /* bitmask_none: no bit of value set */
	POL_ANY_OF,       /* any_of: one of values (one rule per value) */
	POL_FLAGS_SUBSET, /* flags_subset: no bit outside value set */
	POL_OP_COUNT
};

/* Parse a condition type name ("equals", "SCMP_CMP_EQ", "masked_equals" …), any case. */
int pol_op_parse(const char *name, enum pol_op *ret);
/* Our name ("greater_or_equal"), and OCI's ("SCMP_CMP_GE") or NULL when OCI has none. */
const char *pol_op_name(enum pol_op op);
const char *pol_op_oci_name(enum pol_op op);
/* Every spelling pol_op_parse accepts, ours first, for suggestions. */
size_t pol_op_names(const char **ret, size_t max);
/* "equals, not_equals, … any_of or flags_subset" into @buf. */
const char *pol_op_list(char *buf, size_t len);

#endif
