/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * constant-view.c — the public struct sc_constant of a generated row, built the first time
 * the API hands that constant out.
 *
 * The generated table holds offsets, not pointers (catalog.h says why); sc_constant_lookup()
 * and friends return struct sc_constant, whose strings are pointers. A policy names a few
 * dozen of the 2,000 constants, so each is built on its own, behind a table of pointers:
 * 16 KB zeroed instead of 64 KB of structs written at every start. Never freed: pointers to
 * them are the API's promise for the life of the process. Threads may race to build one: the
 * first to publish it wins, the others free theirs.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "catalog/constants.h"
#include "base/alloc.h"
#include "base/publish.h"

static _Atomic(void *) view; /* _Atomic(struct sc_constant *)[constants_table_count] */

const struct sc_constant *constants_public(size_t i)
{
	_Atomic(void *) *slots = atomic_load_explicit(&view, memory_order_acquire);
	const struct constants_row *row = &constants_table[i];
	struct sc_constant *c;

	if (!slots)
		slots = publish_once(&view, xcalloc(constants_table_count, sizeof(*slots)));
	c = atomic_load_explicit(&slots[i], memory_order_acquire);
	if (c)
		return c;
	c = xcalloc(1, sizeof(*c));
	*c = (struct sc_constant){
		.name = constants_string(row->name),
		.value = row->value,
		.group = constants_string(row->group),
		.uses = constants_string(row->uses),
	};
	return publish_once(&slots[i], c);
}
