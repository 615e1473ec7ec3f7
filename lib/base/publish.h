/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * publish.h — a value built once, by whichever thread gets there first: the catalog's public
 * views (syscall-view.c, constant-view.c) are built on first use and never freed.
 */
#ifndef SC_PUBLISH_H
#define SC_PUBLISH_H

#include <stdatomic.h>
#include <stdlib.h>

/* Publish @built (malloc'd) in *@slot unless another thread did first; what is there then.
 * The loser's @built is freed: nobody else has seen it. */
static inline void *publish_once(_Atomic(void *) *slot, void *built)
{
	void *expected = NULL;

	if (atomic_compare_exchange_strong_explicit(slot, &expected, built, memory_order_acq_rel,
						    memory_order_acquire))
		return built;
	free(built);
	return expected;
}

#endif
