/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cond-types.h — condition types by name: ours (docs/policy-language.md, the seed's) and
 * OCI's SCMP_CMP_*. The one table is in cond-types.c; loaders parse with it, exporters name
 * with it.
 */
#ifndef SC_COND_TYPES_H
#define SC_COND_TYPES_H

#include <stddef.h>

#include "policy.h"

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
