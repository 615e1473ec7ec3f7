/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * name-index.c — one ABI's syscalls by name, hashed (name-index.h says why).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/catalog.h"
#include "compile/name-index.h"

/* FNV-1a: syscall names are short, and this spreads them well enough for linear probing
 * in a table at most half full. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void name_index_init(struct name_index *x, const struct sc_arch *arch)
{
	size_t cap = 16;

	x->arch = arch;
	x->arch_index = catalog_arch_index(arch);
	x->table = &catalog_tables[x->arch_index];
	while (cap < 2 * x->table->count)
		cap *= 2;
	x->slot = xcalloc(cap, sizeof(*x->slot));
	x->hash = xreallocarray(NULL, cap, sizeof(*x->hash));
	x->mask = cap - 1;
	for (size_t i = 0; i < x->table->count; i++) {
		uint32_t h = name_hash(catalog_syscall_string(x->table->by_nr[i].name));
		size_t k = h & x->mask;
		while (x->slot[k]) /* names are unique in a table (gen-syscalls.py checks) */
			k = (k + 1) & x->mask;
		x->slot[k] = (uint16_t)(i + 1); /* tables hold fewer rows (by_name is uint16_t) */
		x->hash[k] = h;
	}
}

/* The row of x->table->by_nr called @name, or -1. */
static long find_row(const struct name_index *x, const char *name)
{
	uint32_t h = name_hash(name);

	for (size_t k = h & x->mask; x->slot[k]; k = (k + 1) & x->mask) {
		size_t row = x->slot[k] - 1u;
		if (x->hash[k] == h && strcmp(catalog_syscall_string(x->table->by_nr[row].name), name) == 0)
			return (long)row;
	}
	return -1;
}

const struct sc_syscall *name_index_find(const struct name_index *x, const char *name,
					 struct catalog_syscall_copy *out)
{
	long row = find_row(x, name);

	return row < 0 ? NULL : catalog_syscall_copy(&x->table->by_nr[row], out);
}

bool name_index_has(const struct name_index *x, const char *name)
{
	return find_row(x, name) >= 0;
}

/* The indexes made so far, newest first. Two threads may make the same ABI's at once: both
 * are kept, the first found answers. */
struct kept {
	const struct sc_arch *arch;
	struct name_index x;
	struct kept *next;
};

static _Atomic(struct kept *) kept_indexes;

const struct name_index *name_index_of(const struct sc_arch *arch)
{
	struct kept *k, *head = atomic_load_explicit(&kept_indexes, memory_order_acquire);

	for (k = head; k; k = k->next)
		if (k->arch == arch)
			return &k->x;
	k = xcalloc(1, sizeof(*k));
	name_index_init(&k->x, arch);
	k->arch = arch;
	k->next = head;
	/* on failure k->next is the new head: publish in front of it */
	while (!atomic_compare_exchange_weak_explicit(&kept_indexes, &k->next, k, memory_order_release,
						      memory_order_acquire))
		;
	return &k->x;
}
