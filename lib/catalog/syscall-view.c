/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscall-view.c — the public struct sc_syscall of a generated row, built the first time the
 * API hands that syscall out.
 *
 * The generated tables hold offsets, not pointers (catalog.h says why); the public API hands
 * out struct sc_syscall, whose strings are pointers. Relocating them for all twenty ABIs at
 * load time cost milliseconds on every start; building a whole ABI at its first lookup cost
 * 47 KB written for x86_64 — a dozen fresh pages, which a run that looks up one syscall
 * (`run` asks whether the filter lets execve through) paid at about 10 µs each. So, as
 * constant-view.c does for constants, each syscall is built on its own, behind a table of
 * pointers per ABI (3.7 KB for x86_64). Compiling builds none: resolve.c copies the rows it
 * reads into its own memory (catalog_syscall_copy()).
 * Views are never freed: pointers to them are the API's promise for the life of the
 * process. Threads may race to build one: the first to publish it wins, the others free
 * theirs.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "base/alloc.h"
#include "base/publish.h"

/* Per ABI: _Atomic(struct catalog_syscall_copy *)[catalog_tables[i].count] */
static _Atomic(void *) tables[CATALOG_MAX_ARCHES];

static struct sc_syscall_arg public_arg(const struct catalog_arg *g)
{
	return (struct sc_syscall_arg){
		.name = catalog_syscall_string(g->name),
		.type = catalog_syscall_string(g->type),
		.kind = (enum sc_arg_kind)g->kind,
		.pointer = g->pointer,
	};
}

const struct sc_syscall *catalog_syscall_copy(const struct catalog_syscall *row,
					      struct catalog_syscall_copy *out)
{
	unsigned n = row->nargs < CATALOG_MAX_ARGS ? row->nargs : CATALOG_MAX_ARGS;

	for (unsigned i = 0; i < n; i++)
		out->args[i] = public_arg(&catalog_syscall_args[row->args + i]);
	out->sys = (struct sc_syscall){
		.name = catalog_syscall_string(row->name),
		.nr = row->nr,
		.abi = catalog_syscall_string(row->abi),
		.entry_point = catalog_syscall_string(row->entry_point),
		.nargs = n,
		.args = n ? out->args : NULL,
		.args_source = catalog_syscall_string(row->args_source),
		.since = row->since,
	};
	return &out->sys;
}

const struct sc_syscall *catalog_syscall_public(size_t arch_index, size_t row)
{
	const struct catalog_table *t = &catalog_tables[arch_index];
	_Atomic(void *) *slots = atomic_load_explicit(&tables[arch_index], memory_order_acquire);
	struct catalog_syscall_copy *c;

	if (!slots)
		slots = publish_once(&tables[arch_index],
				     xcalloc(t->count ? t->count : 1, sizeof(*slots)));
	c = atomic_load_explicit(&slots[row], memory_order_acquire);
	if (!c) {
		/* The copy's args point into itself: it is built where it will stay. */
		c = xcalloc(1, sizeof(*c));
		catalog_syscall_copy(&t->by_nr[row], c);
		c = publish_once(&slots[row], c);
	}
	return &c->sys;
}
