/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * catalog.h — the generated tables behind the arch and syscall modules.
 *
 * data/gen/arches.c and data/gen/syscalls.c (tools/gen-syscalls.py) define these;
 * lib/catalog/arch.c and lib/catalog/syscalls.c search them; other modules use only arg_width_mask().
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

/*
 * A parameter the kernel reads fewer bits of than its declared type holds: clone's
 * `unsigned long clone_flags` goes through lower_32_bits(). From the kernel source by
 * tools/gen-arg-widths.py (data/syscall-arg-widths.txt), with the line that narrows it.
 */
struct catalog_arg_width {
	const struct sc_syscall *sys; /* into one ABI's catalog_tables[].by_nr */
	unsigned arg;                 /* parameter index */
	unsigned bits;                /* what the kernel reads */
	const char *where;            /* "kernel/fork.c:2977" in Linux 6.12 */
	const char *text;             /* that line */
};

extern const struct sc_arch catalog_arches[];
extern const size_t catalog_arch_count;
extern const struct catalog_table catalog_tables[]; /* indexed like catalog_arches */
extern const char *const catalog_arch_aliases[];  /* every alias word, for suggestions */
extern const size_t catalog_arch_alias_count;
extern const struct catalog_arg_width catalog_arg_widths[];
extern const size_t catalog_arg_width_count;

/* The bits of an argument register the kernel reads when it reads @bits of them (8, 16, 32
 * or 64): every comparison on a narrowed parameter is on these. */
static inline uint64_t arg_width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* Index of @arch in catalog_arches[] (it must point into it). */
size_t catalog_arch_index(const struct sc_arch *arch);

/* The narrowing of parameter @index of @sys (a catalog entry), or NULL when the kernel
 * reads all the bits its type has. */
const struct catalog_arg_width *catalog_arg_width(const struct sc_syscall *sys, unsigned index);

#endif
