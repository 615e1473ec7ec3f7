/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* flags.h — filter flags by name: ours ("tsync") and OCI's ("SECCOMP_FILTER_FLAG_TSYNC"). */
#ifndef SC_FLAGS_H
#define SC_FLAGS_H

#include "seccompose.h"

struct filter_flag {
	const char *name, *oci;
	unsigned flag; /* enum sc_filter_flags */
};
extern const struct filter_flag filter_flags[];
extern const size_t filter_flag_count;
/* The row for @name (only OCI's spelling when @oci_only), or NULL. */
const struct filter_flag *filter_flag_parse(const char *name, bool oci_only);

#endif
