/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * name-index.c — one ABI's syscalls by name, hashed (name-index.h says why).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
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
	size_t n = sc_syscall_count(arch), cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	x->arch = arch;
	x->slot = xcalloc(cap, sizeof(*x->slot));
	x->hash = xreallocarray(NULL, cap, sizeof(*x->hash));
	x->mask = cap - 1;
	for (size_t i = 0; i < n; i++) {
		const struct sc_syscall *s = sc_syscall_at(arch, i);
		uint32_t h = name_hash(s->name);
		size_t k = h & x->mask;
		while (x->slot[k]) /* names are unique in a table (gen-syscalls.py checks) */
			k = (k + 1) & x->mask;
		x->slot[k] = s;
		x->hash[k] = h;
	}
}

const struct sc_syscall *name_index_find(const struct name_index *x, const char *name)
{
	uint32_t h = name_hash(name);

	for (size_t k = h & x->mask; x->slot[k]; k = (k + 1) & x->mask)
		if (x->hash[k] == h && strcmp(x->slot[k]->name, name) == 0)
			return x->slot[k];
	return NULL;
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
