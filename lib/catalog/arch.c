/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arch.c — the architecture registry, searched by every name it is known by.
 *
 * One table (data/arches.json → data/gen/arches.c), searched both ways: by name for
 * policies, by audit value + number for what seccomp reports: one home per fact.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "base/suggest.h"

SC_EXPORT size_t sc_arch_count(void)
{
	return catalog_arch_count;
}

SC_EXPORT const struct sc_arch *sc_arch_at(size_t i)
{
	return i < catalog_arch_count ? &catalog_arches[i] : NULL;
}

size_t catalog_arch_index(const struct sc_arch *arch)
{
	return (size_t)(arch - catalog_arches);
}

SC_EXPORT const struct sc_arch *sc_arch_lookup(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < catalog_arch_count; i++) {
		const struct sc_arch *a = &catalog_arches[i];
		if (strcasecmp(a->name, name) == 0 || strcasecmp(a->scmp_name, name) == 0 ||
		    words_contain(a->aliases, name))
			return a;
	}
	return NULL;
}

SC_EXPORT const struct sc_arch *sc_arch_native(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return sc_arch_lookup("x32");
#elif defined(__x86_64__)
	return sc_arch_lookup("x86_64");
#elif defined(__i386__)
	return sc_arch_lookup("x86");
#elif defined(__aarch64__)
	return sc_arch_lookup("aarch64");
#elif defined(__arm__)
	return sc_arch_lookup("arm");
#elif defined(__riscv) && __riscv_xlen == 64
	return sc_arch_lookup("riscv64");
#elif defined(__loongarch64)
	return sc_arch_lookup("loongarch64");
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return sc_arch_lookup("ppc64le");
#elif defined(__powerpc64__)
	return sc_arch_lookup("ppc64");
#elif defined(__powerpc__)
	return sc_arch_lookup("ppc");
#elif defined(__s390x__)
	return sc_arch_lookup("s390x");
#elif defined(__s390__)
	return sc_arch_lookup("s390");
#else
	return NULL; /* XXX MIPS: pick by _MIPS_SIM and endianness when we build there */
#endif
}

SC_EXPORT const struct sc_arch *sc_arch_by_audit(uint32_t audit_arch, uint32_t nr)
{
	const struct sc_arch *found = NULL;

	for (size_t i = 0; i < catalog_arch_count; i++) {
		const struct sc_arch *a = &catalog_arches[i];
		if (a->audit_arch != audit_arch)
			continue;
		/* x86_64 and x32 share AUDIT_ARCH_X86_64; the x32 bit tells them apart. */
		if (a->nr_bit ? (nr & a->nr_bit) != 0 : (found == NULL))
			found = a;
	}
	return found;
}

SC_EXPORT size_t sc_arch_suggest(const char *word, const char **ret_best, size_t max)
{
	struct suggest s;

	suggest_init(&s, word);
	for (size_t i = 0; i < catalog_arch_count; i++) {
		suggest_add(&s, catalog_arches[i].name);
		suggest_add(&s, catalog_arches[i].scmp_name);
	}
	for (size_t i = 0; i < catalog_arch_alias_count; i++)
		suggest_add(&s, catalog_arch_aliases[i]);
	return suggest_done(&s, ret_best, max);
}
