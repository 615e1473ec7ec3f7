/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * name-index.h — one ABI's syscalls by name, hashed, for one resolve.
 *
 * resolve.c looks up every syscall name of a policy on every ABI it lists, and every name
 * missing there on the other ABIs: a few thousand lookups per compile. The catalog answers
 * each by a binary search of string comparisons; this index answers by one hash and,
 * almost always, one comparison. Built from the catalog's table when resolve starts an ABI
 * and freed when it ends: it holds no fact of its own.
 */
#ifndef SC_NAME_INDEX_H
#define SC_NAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

struct name_index {
	const struct sc_arch *arch;
	const struct sc_syscall **slot; /* open addressing; NULL: empty */
	uint32_t *hash;                 /* each slot's name hash: most misses need no strcmp */
	size_t mask;                    /* slots - 1, a power of two minus one */
};

/* Index @arch's syscalls (an ABI the catalog has no table for: an empty index). */
void name_index_init(struct name_index *x, const struct sc_arch *arch);
/* What sc_syscall_lookup(x->arch, @name) answers. */
const struct sc_syscall *name_index_find(const struct name_index *x, const char *name);
void name_index_free(struct name_index *x);

#endif
