/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* filter.h — struct sc_filter, shared by filter.c, the exporters and explain. */
#ifndef SC_FILTER_H
#define SC_FILTER_H

#include <linux/filter.h>
#include <stdio.h>

#include "ir.h"

struct sc_filter {
	struct sc_policy *policy; /* borrowed: the caller keeps it alive */
	struct sc_policy *owned_policy; /* a merge's own (sc_filter_union), freed with the filter */
	struct ir *ir;
	struct sock_filter *prog;
	size_t len;
};

/* A file name into a comment of an output (TOML, C): printable ASCII as is, other bytes and
 * the '/' of a "*\/" as \xNN, so that a name from outside can neither end the comment nor add
 * a line to the policy (atomic-file.c). */
void file_name_put(FILE *m, const char *name);

/* The seccomp_data a call on @arch presents to a filter, laid out for this host's
 * interpreter (argument halves swapped when the ABI's byte order is not the host's). */
struct seccomp_data;
void filter_seccomp_data(const struct sc_arch *arch, uint32_t nr, const uint64_t args[6],
			 struct seccomp_data *ret);

#endif
