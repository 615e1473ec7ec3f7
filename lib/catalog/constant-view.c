/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * constant-view.c — the public struct sc_constant of a generated row, built the first time
 * the API hands that constant out.
 *
 * The generated table holds offsets, not pointers (catalog.h says why); sc_constant_lookup()
 * and friends return struct sc_constant, whose strings are pointers. A policy names a few
 * dozen of the 2,000 constants, so each is built on its own: the view's memory stays
 * untouched (and unmapped, for calloc's fresh pages) where nothing asked. Never freed:
 * pointers to it are the API's promise for the life of the process. Threads may race: one
 * claims an entry and fills it, the others wait for it to say it is ready.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "catalog/constants.h"
#include "base/alloc.h"

enum { ENTRY_EMPTY, ENTRY_FILLING, ENTRY_READY };

static _Atomic(void *) view_entries; /* struct sc_constant[constants_table_count] */
static _Atomic(void *) view_states;  /* atomic_uchar[constants_table_count]: ENTRY_* */

/* *@slot, allocated zeroed (@n of @size) by the first thread to get here. */
static void *shared_zeroed(_Atomic(void *) *slot, size_t n, size_t size)
{
	void *v = atomic_load_explicit(slot, memory_order_acquire), *expected = NULL;

	if (v)
		return v;
	v = xcalloc(n, size);
	if (atomic_compare_exchange_strong_explicit(slot, &expected, v, memory_order_acq_rel,
						    memory_order_acquire))
		return v;
	free(v);
	return expected;
}

const struct sc_constant *constants_public(size_t i)
{
	struct sc_constant *v = shared_zeroed(&view_entries, constants_table_count, sizeof(*v));
	atomic_uchar *state = shared_zeroed(&view_states, constants_table_count, sizeof(*state));
	unsigned char expected = ENTRY_EMPTY;

	if (atomic_load_explicit(&state[i], memory_order_acquire) == ENTRY_READY)
		return &v[i];
	if (atomic_compare_exchange_strong_explicit(&state[i], &expected, ENTRY_FILLING,
						    memory_order_acquire, memory_order_acquire)) {
		const struct constants_row *c = &constants_table[i];
		v[i] = (struct sc_constant){
			.name = constants_string(c->name),
			.value = c->value,
			.group = constants_string(c->group),
			.uses = constants_string(c->uses),
		};
		atomic_store_explicit(&state[i], ENTRY_READY, memory_order_release);
	} else {
		while (atomic_load_explicit(&state[i], memory_order_acquire) != ENTRY_READY)
			; /* another thread is writing four words */
	}
	return &v[i];
}
