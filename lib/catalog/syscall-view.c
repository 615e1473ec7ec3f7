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
#include <stdint.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "base/alloc.h"

/* struct sc_syscall[count], then the parameters they point at */
static _Atomic(void *) views[CATALOG_MAX_ARCHES];

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

/*
 * An ABI's view carries its own copy of the parameters its syscalls name, the run
 * of catalog_syscall_args from its first to its last (two thirds of all ABIs' for x86_64).
 * A view of every ABI's parameters, shared, cost a scan of every ABI's rows and 39 KB filled
 * for the one ABI a run mostly touches. The copy lives in the view's own block.
 */
const struct sc_syscall *catalog_syscalls(size_t arch_index)
{
	struct sc_syscall *v = atomic_load_explicit(&views[arch_index], memory_order_acquire);
	const struct catalog_table *t = &catalog_tables[arch_index];
	size_t nv = t->count ? t->count : 1, lo = SIZE_MAX, hi = 0;
	struct sc_syscall_arg *args;

	if (v)
		return v;
	for (size_t i = 0; i < t->count; i++) {
		const struct catalog_syscall *s = &t->by_nr[i];
		if (s->nargs == 0)
			continue;
		if (s->args < lo)
			lo = s->args;
		if ((size_t)s->args + s->nargs > hi)
			hi = (size_t)s->args + s->nargs;
	}
	if (hi == 0)
		lo = 0;
	/* sc_syscall_arg needs no more alignment than sc_syscall (pointers): it can follow */
	v = xcalloc(1, nv * sizeof(*v) + (hi - lo) * sizeof(*args));
	args = (struct sc_syscall_arg *)(v + nv);
	for (size_t i = lo; i < hi; i++) {
		const struct catalog_arg *g = &catalog_syscall_args[i];
		args[i - lo] = (struct sc_syscall_arg){
			.name = catalog_syscall_string(g->name),
			.type = catalog_syscall_string(g->type),
			.kind = (enum sc_arg_kind)g->kind,
			.pointer = g->pointer,
		};
	}
	for (size_t i = 0; i < t->count; i++) {
		const struct catalog_syscall *s = &t->by_nr[i];
		v[i] = (struct sc_syscall){
			.name = catalog_syscall_string(s->name),
			.nr = s->nr,
			.abi = catalog_syscall_string(s->abi),
			.entry_point = catalog_syscall_string(s->entry_point),
			.nargs = s->nargs,
			.args = s->nargs ? &args[s->args - lo] : NULL,
			.args_source = catalog_syscall_string(s->args_source),
			.since = s->since,
		};
	}
	return publish(&views[arch_index], v);
}
