/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* filter.h — struct sc_filter, shared by filter.c and the modules that build filters (merge.c). */
#ifndef SC_FILTER_H
#define SC_FILTER_H

#include <linux/filter.h>
#include <stdio.h>

#include "compile/ir.h"

struct sc_filter {
	struct sc_policy *policy; /* borrowed: the caller keeps it alive */
	struct sc_policy *owned_policy; /* a merge's own (sc_filter_union), freed with the filter */
	struct ir *ir;
	struct sock_filter *prog;
	size_t len;
};

/* The seccomp_data a call on @arch presents to a filter, laid out for this host's
 * interpreter (argument halves swapped when the ABI's byte order is not the host's). */
struct seccomp_data;
void filter_seccomp_data(const struct sc_arch *arch, uint32_t nr, const uint64_t args[6],
			 struct seccomp_data *ret);

#endif
