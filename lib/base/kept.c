/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kept.c — a compile's large blocks, kept by the thread for its next compile (kept.h says
 * why). A thread's cache is a handful of blocks in thread-local storage; a pthread key's
 * destructor frees them when the thread ends, so nothing outlives its thread but the main
 * thread's, which the process's end takes.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/kept.h"

#define KEPT_SLOTS 16

struct kept {
	void *block[KEPT_SLOTS];
	size_t size[KEPT_SLOTS];
	size_t n, bytes;
	int registered; /* the key's destructor knows this thread's cache */
};

static _Thread_local struct kept kept;
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_release(void *arg)
{
	struct kept *k = arg;

	for (size_t i = 0; i < k->n; i++)
		free(k->block[i]);
	k->n = 0;
	k->bytes = 0;
	k->registered = 0;
}

static void kept_make_key(void)
{
	if (pthread_key_create(&kept_key, kept_release) != 0)
		abort();
}

static void kept_drop(struct kept *k, size_t i)
{
	k->bytes -= k->size[i];
	k->n--;
	k->block[i] = k->block[k->n];
	k->size[i] = k->size[k->n];
}

void *kept_get(size_t bytes)
{
	struct kept *k = &kept;
	size_t best = SIZE_MAX;
	void *p;

	if (bytes >= KEPT_MIN)
		for (size_t i = 0; i < k->n; i++)
			if (k->size[i] >= bytes && (best == SIZE_MAX || k->size[i] < k->size[best]))
				best = i;
	if (best != SIZE_MAX) {
		p = k->block[best];
		kept_drop(k, best);
		return p;
	}
	p = malloc(bytes ? bytes : 1);
	if (!p)
		abort(); /* as alloc.c: out of memory is not recovered from */
	return p;
}

void kept_put(void *p)
{
	struct kept *k = &kept;
	size_t size;

	if (!p)
		return;
	size = malloc_usable_size(p);
	if (size < KEPT_MIN || size > KEPT_MAX) {
		free(p);
		return;
	}
	/* Room: give up smaller blocks for this one (large blocks cost the most faults). */
	while (k->n == KEPT_SLOTS || k->bytes + size > KEPT_MAX) {
		size_t small = 0;
		for (size_t i = 1; i < k->n; i++)
			if (k->size[i] < k->size[small])
				small = i;
		if (k->n == 0 || k->size[small] >= size) {
			free(p);
			return;
		}
		free(k->block[small]);
		kept_drop(k, small);
	}
	if (!k->registered) {
		pthread_once(&kept_once, kept_make_key);
		if (pthread_setspecific(kept_key, k) != 0) {
			free(p);
			return;
		}
		k->registered = 1;
	}
	k->block[k->n] = p;
	k->size[k->n] = size;
	k->n++;
	k->bytes += size;
}

void *kept_grow_n(void *p, size_t n, size_t add, size_t size)
{
	size_t want = grow_n_capacity(p, n, add);
	void *q;

	if (!want)
		return p;
	if (size && want > SIZE_MAX / size)
		abort();
	q = kept_get(want * size);
	if (p)
		memcpy(q, p, n * size);
	kept_put(p);
	return q;
}

void *kept_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	if (size && c > SIZE_MAX / size)
		abort();
	q = kept_get(c * size);
	if (p)
		memcpy(q, p, *cap * size);
	kept_put(p);
	*cap = c;
	return q;
}
