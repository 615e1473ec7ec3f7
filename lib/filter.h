/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* filter.h — struct sc_filter, shared by filter.c, the exporters and explain. */
#ifndef SC_FILTER_H
#define SC_FILTER_H

#include <linux/filter.h>

#include "ir.h"

struct sc_filter {
	struct sc_policy *policy; /* borrowed: the caller keeps it alive */
	struct ir *ir;
	struct sock_filter *prog;
	size_t len;
};

#endif
