/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cond-types.c — condition types by every spelling, in enum pol_op's order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/cond-types.h"

static const struct {
	const char *name; /* ours (and the seed's) */
	const char *oci;  /* runtime-spec / libseccomp, or NULL */
} cond_types[POL_OP_COUNT] = {
	[POL_EQ] = { "equals", "SCMP_CMP_EQ" },
	[POL_NE] = { "not_equals", "SCMP_CMP_NE" },
	[POL_LT] = { "less_than", "SCMP_CMP_LT" },
	[POL_LE] = { "less_or_equal", "SCMP_CMP_LE" },
	[POL_GT] = { "greater_than", "SCMP_CMP_GT" },
	[POL_GE] = { "greater_or_equal", "SCMP_CMP_GE" },
	[POL_MASKED_EQ] = { "masked_equals", "SCMP_CMP_MASKED_EQ" },
	[POL_BITS_ALL] = { "bitmask_all", NULL },
	[POL_BITS_ANY] = { "bitmask_any", NULL },
	[POL_BITS_NONE] = { "bitmask_none", NULL },
	[POL_ANY_OF] = { "any_of", NULL },
	[POL_FLAGS_SUBSET] = { "flags_subset", NULL },
};

int pol_op_parse(const char *name, enum pol_op *ret)
{
	for (unsigned i = 0; name && i < POL_OP_COUNT; i++)
		if (strcasecmp(cond_types[i].name, name) == 0) {
			*ret = (enum pol_op)i;
			return 0;
		}
	for (unsigned i = 0; name && i < POL_OP_COUNT; i++)
		if (cond_types[i].oci && strcasecmp(cond_types[i].oci, name) == 0) {
			*ret = (enum pol_op)i;
			return 0;
		}
	return -EINVAL;
}

const char *pol_op_name(enum pol_op op)
{
	return (unsigned)op < POL_OP_COUNT ? cond_types[op].name : "?";
}

const char *pol_op_oci_name(enum pol_op op)
{
	return (unsigned)op < POL_OP_COUNT ? cond_types[op].oci : NULL;
}

size_t pol_op_names(const char **ret, size_t max)
{
	size_t n = 0;

	for (unsigned i = 0; i < POL_OP_COUNT && n < max; i++)
		ret[n++] = cond_types[i].name;
	for (unsigned i = 0; i < POL_OP_COUNT && n < max; i++)
		if (cond_types[i].oci)
			ret[n++] = cond_types[i].oci;
	return n;
}

const char *pol_op_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < POL_OP_COUNT && used < len; i++) {
		int k = snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i + 1 < POL_OP_COUNT ? ", " : " or ",
				 cond_types[i].name);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	return buf;
}
