/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * flags.c — the filter flags (enum sc_filter_flags) by name, for the loaders and exporters.
 */
#include <string.h>

#include "catalog/flags.h"

/* Our TOML's names and OCI's, one row each. */
const struct filter_flag filter_flags[] = {
	{ "tsync", "SECCOMP_FILTER_FLAG_TSYNC", SC_FILTER_TSYNC },
	{ "log", "SECCOMP_FILTER_FLAG_LOG", SC_FILTER_LOG },
	{ "spec_allow", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SC_FILTER_SPEC_ALLOW },
	{ "wait_killable_recv", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SC_FILTER_WAIT_KILLABLE_RECV },
};
const size_t filter_flag_count = sizeof(filter_flags) / sizeof(filter_flags[0]);

const struct filter_flag *filter_flag_parse(const char *name, bool oci_only)
{
	for (size_t i = 0; name && i < filter_flag_count; i++)
		if (strcmp(name, filter_flags[i].oci) == 0 || (!oci_only && strcmp(name, filter_flags[i].name) == 0))
			return &filter_flags[i];
	return NULL;
}
