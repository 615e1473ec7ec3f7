/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * name-index.h — one ABI's syscalls by name, hashed, for one resolve.
 *
 * resolve.c looks up every syscall name of a policy on every ABI it lists, and every name
 * missing there on the other ABIs: a few thousand lookups per compile. The catalog answers
 * each by a binary search of string comparisons; this index answers by one hash and,
 * almost always, one comparison. Built from the catalog's table the first time a process
 * resolves for an ABI and kept (the catalog never changes): it holds no fact of its own.
 */
#ifndef SC_NAME_INDEX_H
#define SC_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

struct catalog_table;
struct catalog_syscall_copy;

/* It reads the catalog's rows and strings, not the public struct sc_syscall: a lookup copies
 * the one syscall it finds into the caller's memory, and the view of the whole ABI is never
 * built for a compile. */
struct name_index {
	const struct sc_arch *arch;
	size_t arch_index;                 /* in catalog_arches[] */
	const struct catalog_table *table; /* catalog_tables[arch_index] */
	uint16_t *slot;                    /* open addressing: a row of table->by_nr + 1; 0: empty */
	uint32_t *hash;                    /* each slot's name hash: most misses need no strcmp */
	size_t mask;                       /* slots - 1, a power of two minus one */
};

/* @arch's index (an ABI the catalog has no table for: an empty one), built on first use
 * and kept for the process; safe from any thread. */
const struct name_index *name_index_of(const struct sc_arch *arch);
/* What sc_syscall_lookup(x->arch, @name) answers, copied into @out (catalog.h): NULL when
 * x->arch has no such syscall. */
const struct sc_syscall *name_index_find(const struct name_index *x, const char *name,
					 struct catalog_syscall_copy *out);
/* Whether x->arch has a syscall called @name (name_index_find() != NULL, without the view). */
bool name_index_has(const struct name_index *x, const char *name);

#endif
