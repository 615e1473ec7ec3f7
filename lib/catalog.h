/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * catalog.h — the generated tables behind the arch and syscall modules.
 *
 * data/gen/arches.c and data/gen/syscalls.c (tools/gen-syscalls.py) define these;
 * lib/arch.c and lib/syscalls.c search them. Nothing else should include this.
 */
#ifndef SC_CATALOG_H
#define SC_CATALOG_H

#include "seccompose.h"

/* One architecture's syscalls: sorted by number, plus an index sorted by name. */
struct catalog_table {
	const struct sc_syscall *by_nr;
	const uint16_t *by_name; /* indexes into by_nr, strcmp order */
	size_t count;
};

extern const struct sc_arch catalog_arches[];
extern const size_t catalog_arch_count;
extern const struct catalog_table catalog_tables[]; /* indexed like catalog_arches */
extern const char *const catalog_arch_aliases[];  /* every alias word, for suggestions */
extern const size_t catalog_arch_alias_count;

/* Index of @arch in catalog_arches[] (it must point into it). */
size_t catalog_arch_index(const struct sc_arch *arch);

#endif
