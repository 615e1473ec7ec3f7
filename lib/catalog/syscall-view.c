/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscall-view.c — the public struct sc_syscall of an ABI, built from the generated tables
 * the first time anything asks for that ABI.
 *
 * The generated tables hold offsets, not pointers (catalog.h says why); the public API hands
 * out struct sc_syscall, whose strings are pointers. Building those for the one to three
 * ABIs a run touches costs a few microseconds; relocating them for all twenty at load time
 * cost milliseconds on every start. Views are never freed: pointers to them are the API's
 * promise for the life of the process. Threads may race to build one: the first to publish
 * it wins, the others free theirs.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "base/alloc.h"

static _Atomic(void *) views[CATALOG_MAX_ARCHES]; /* struct sc_syscall[count] */
/* Every parameter list of every ABI, shared like the generated ones. */
static _Atomic(void *) args_view; /* struct sc_syscall_arg[] */

/* Publish @built in *@slot unless another thread did first; what is there then. */
static void *publish(_Atomic(void *) *slot, void *built)
{
	void *expected = NULL;

	if (atomic_compare_exchange_strong_explicit(slot, &expected, built, memory_order_acq_rel,
						    memory_order_acquire))
		return built;
	free(built);
	return expected;
}

static const struct sc_syscall_arg *syscall_args(void)
{
	struct sc_syscall_arg *v = atomic_load_explicit(&args_view, memory_order_acquire);
	size_t n = 0;

	if (v)
		return v;
	/* The runs of all ABIs end at the last one's last parameter. */
	for (size_t a = 0; a < catalog_arch_count; a++)
		for (size_t i = 0; i < catalog_tables[a].count; i++) {
			const struct catalog_syscall *s = &catalog_tables[a].by_nr[i];
			if ((size_t)s->args + s->nargs > n)
				n = (size_t)s->args + s->nargs;
		}
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		const struct catalog_arg *g = &catalog_syscall_args[i];
		v[i] = (struct sc_syscall_arg){
			.name = catalog_syscall_string(g->name),
			.type = catalog_syscall_string(g->type),
			.kind = (enum sc_arg_kind)g->kind,
			.pointer = g->pointer,
		};
	}
	return publish(&args_view, v);
}

const struct sc_syscall *catalog_syscalls(size_t arch_index)
{
	struct sc_syscall *v = atomic_load_explicit(&views[arch_index], memory_order_acquire);
	const struct catalog_table *t = &catalog_tables[arch_index];
	const struct sc_syscall_arg *args;

	if (v)
		return v;
	args = syscall_args();
	v = xcalloc(t->count ? t->count : 1, sizeof(*v));
	for (size_t i = 0; i < t->count; i++) {
		const struct catalog_syscall *s = &t->by_nr[i];
		v[i] = (struct sc_syscall){
			.name = catalog_syscall_string(s->name),
			.nr = s->nr,
			.abi = catalog_syscall_string(s->abi),
			.entry_point = catalog_syscall_string(s->entry_point),
			.nargs = s->nargs,
			.args = s->nargs ? &args[s->args] : NULL,
			.args_source = catalog_syscall_string(s->args_source),
			.since = s->since,
		};
	}
	return publish(&views[arch_index], v);
}
