/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscalls.c — syscall lookups by name and number over the generated tables.
 *
 * Tables are sorted by number with a by-name index beside them (data/gen/syscalls.c),
 * so both directions bisect; tests/unit/test-syscalls.c checks the ordering. The searches
 * read the generated rows; what they return is the ABI's public view (syscall-view.c).
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "base/suggest.h"

static const struct catalog_table *table_of(const struct sc_arch *arch)
{
	if (!arch)
		return NULL;
	return &catalog_tables[catalog_arch_index(arch)];
}

SC_EXPORT size_t sc_syscall_count(const struct sc_arch *arch)
{
	const struct catalog_table *t = table_of(arch);
	return t ? t->count : 0;
}

SC_EXPORT const struct sc_syscall *sc_syscall_at(const struct sc_arch *arch, size_t i)
{
	const struct catalog_table *t = table_of(arch);
	return t && i < t->count ? catalog_syscall_public(catalog_arch_index(arch), (size_t)i) : NULL;
}

/* Index in @t->by_nr of the syscall called @name, or -1. */
static long find_name(const struct catalog_table *t, const char *name)
{
	size_t lo = 0, hi;

	for (hi = t->count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		uint16_t i = t->by_name[mid];
		int c = strcmp(name, catalog_syscall_string(t->by_nr[i].name));
		if (c == 0)
			return i;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

bool catalog_syscall_nr(const struct sc_arch *arch, const char *name, uint32_t *ret)
{
	const struct catalog_table *t = table_of(arch);
	long i;

	if (!t || !name || (i = find_name(t, name)) < 0)
		return false;
	*ret = t->by_nr[i].nr;
	return true;
}

SC_EXPORT const struct sc_syscall *sc_syscall_lookup(const struct sc_arch *arch, const char *name)
{
	const struct catalog_table *t = table_of(arch);
	long i;

	if (!t || !name || (i = find_name(t, name)) < 0)
		return NULL;
	return catalog_syscall_public(catalog_arch_index(arch), (size_t)i);
}

SC_EXPORT const struct sc_syscall *sc_syscall_by_nr(const struct sc_arch *arch, uint32_t nr)
{
	const struct catalog_table *t = table_of(arch);
	size_t lo = 0, hi;

	if (!t)
		return NULL;
	for (hi = t->count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->by_nr[mid].nr == nr)
			return catalog_syscall_public(catalog_arch_index(arch), mid);
		if (nr < t->by_nr[mid].nr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

SC_EXPORT bool sc_syscall_known(const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < catalog_arch_count; i++)
		if (find_name(&catalog_tables[i], name) >= 0)
			return true;
	return false;
}

SC_EXPORT int sc_syscall_arg_index(const struct sc_syscall *sys, const char *name)
{
	if (!sys || !name)
		return -1;
	for (unsigned i = 0; i < sys->nargs; i++)
		if (strcmp(sys->args[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct catalog_arg_width *catalog_arg_width(const struct sc_arch *arch, const struct sc_syscall *sys,
						  unsigned index)
{
	size_t a = catalog_arch_index(arch);

	/* A few dozen entries, looked up when a policy is compiled: a scan is enough. */
	for (size_t i = 0; i < catalog_arg_width_count; i++) {
		const struct catalog_arg_width *w = &catalog_arg_widths[i];
		if (w->arch == a && w->nr == sys->nr && w->arg == index)
			return w;
	}
	return NULL;
}

SC_EXPORT unsigned sc_syscall_arg_bits(const struct sc_arch *arch, const struct sc_syscall *sys,
				       unsigned index)
{
	const struct catalog_arg_width *w;

	if (!arch || !sys || index >= sys->nargs)
		return 0;
	/* The kernel may read fewer bits than the type declares (clone's flags go through
	 * lower_32_bits()): garbage above them must not slip past a deny rule. */
	w = catalog_arg_width(arch, sys, index);
	if (w)
		return w->bits;
	switch (sys->args[index].kind) {
	case SC_ARG_U8:
		return 8;
	case SC_ARG_U16:
		return 16;
	case SC_ARG_U32:
		return 32;
	case SC_ARG_U64:
	case SC_ARG_WORD:
	case SC_ARG_NONE:
		/* A 32-bit ABI's register holds 32 bits; a U64 parameter spans two of them. */
		return arch->word_bits;
	}
	return arch->word_bits;
}

SC_EXPORT size_t sc_syscall_suggest(const struct sc_arch *arch, const char *word,
				    const char **ret_best, size_t max)
{
	struct suggest s;

	suggest_init(&s, word);
	for (size_t a = 0; a < catalog_arch_count; a++) {
		if (arch && arch != &catalog_arches[a])
			continue;
		for (size_t i = 0; i < catalog_tables[a].count; i++)
			suggest_add(&s, catalog_syscall_string(catalog_tables[a].by_nr[i].name));
	}
	return suggest_done(&s, ret_best, max);
}
