/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * name-index.c — one ABI's syscalls by name, hashed (name-index.h says why).
 */
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

void name_index_init(struct name_index *x, const struct sc_arch *arch)
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

void name_index_free(struct name_index *x)
{
	free(x->slot);
	free(x->hash);
	*x = (struct name_index){ 0 };
}
