/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ref-libseccomp.h — libseccomp compiling an OCI profile as runc does (tests, benchmarks). */
#ifndef SC_REF_LIBSECCOMP_H
#define SC_REF_LIBSECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>

#include "policy/policy.h"

/* Returns 0 with a malloc'd program, or a negative errno (-EINVAL for non-OCI policies).
 * @binary_tree asks libseccomp for its binary-tree layout (SCMP_FLTATR_CTL_OPTIMIZE 2). */
int ref_libseccomp_compile(const struct sc_policy *p, bool binary_tree, struct sock_filter **ret,
			   size_t *ret_len);

#endif
