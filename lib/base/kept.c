/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kept.c — a compile's large blocks, kept by the thread for its next compile (kept.h says
 * why). A thread's cache is a handful of blocks in thread-local storage, on a list of all
 * threads' caches. A pthread key's destructor frees a thread's blocks when it ends; when
 * the library itself is unloaded (dlclose) or the process ends, the library's destructor
 * frees every thread's and deletes the key, so that no thread ending later calls into code
 * that is gone. The list's lock guards every cache (a few hundred takes and gives a compile,
 * each beside a malloc or free): the destructor may run while another thread compiles.
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
	int registered;            /* on kept_all, and the key's destructor knows it */
	struct kept *next, **pprev;
};

static _Thread_local struct kept kept;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept *kept_all; /* every registered thread's cache */
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;
static int kept_key_made; /* set once, by kept_make_key() */

/* Free @k's blocks and take it off the list (kept_lock held). */
static void kept_empty(struct kept *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->block[i]);
	k->n = 0;
	k->bytes = 0;
	if (k->registered) {
		*k->pprev = k->next;
		if (k->next)
			k->next->pprev = k->pprev;
		k->registered = 0;
	}
}

/* The key's destructor: the thread ends. */
static void kept_release(void *arg)
{
	pthread_mutex_lock(&kept_lock);
	kept_empty(arg);
	pthread_mutex_unlock(&kept_lock);
}

static void kept_make_key(void)
{
	if (pthread_key_create(&kept_key, kept_release) != 0)
		abort();
	kept_key_made = 1;
}

__attribute__((destructor)) static void kept_unload(void)
{
	pthread_mutex_lock(&kept_lock);
	kept_empty(&kept);
	while (kept_all)
		kept_empty(kept_all);
	pthread_mutex_unlock(&kept_lock);
	if (kept_key_made)
		pthread_key_delete(kept_key);
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
	void *p = NULL;

	/* The smallest kept block that fits, and not four times too large: what a compile takes
	 * may live on in its result (a filter's rule arrays), where a block of megabytes for a
	 * few kilobytes would be waste. */
	if (bytes >= KEPT_MIN) {
		pthread_mutex_lock(&kept_lock);
		for (size_t i = 0; i < k->n; i++)
			if (k->size[i] >= bytes && k->size[i] / 4 <= bytes &&
			    (best == SIZE_MAX || k->size[i] < k->size[best]))
				best = i;
		if (best != SIZE_MAX) {
			p = k->block[best];
			kept_drop(k, best);
		}
		pthread_mutex_unlock(&kept_lock);
	}
	if (!p)
		p = malloc(bytes ? bytes : 1);
	if (!p)
		abort(); /* as alloc.c: out of memory is not recovered from */
	return p;
}

void *kept_calloc(size_t n, size_t size)
{
	size_t bytes;

	if (size && n > SIZE_MAX / size)
		abort();
	bytes = n * size;
	if (bytes == 0)
		bytes = 1;
	return memset(kept_get(bytes), 0, bytes);
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
	if (!k->registered) {
		pthread_once(&kept_once, kept_make_key);
		if (pthread_setspecific(kept_key, k) != 0) {
			free(p); /* the key is gone: the library is being unloaded */
			return;
		}
		pthread_mutex_lock(&kept_lock);
		k->next = kept_all;
		if (kept_all)
			kept_all->pprev = &k->next;
		k->pprev = &kept_all;
		kept_all = k;
		k->registered = 1;
		pthread_mutex_unlock(&kept_lock);
	}
	pthread_mutex_lock(&kept_lock);
	/* Room: give up smaller blocks for this one (large blocks cost the most faults). */
	while (k->n == KEPT_SLOTS || k->bytes + size > KEPT_MAX) {
		size_t small = 0;
		for (size_t i = 1; i < k->n; i++)
			if (k->size[i] < k->size[small])
				small = i;
		if (k->n == 0 || k->size[small] >= size) {
			pthread_mutex_unlock(&kept_lock);
			free(p);
			return;
		}
		free(k->block[small]);
		kept_drop(k, small);
	}
	k->block[k->n] = p;
	k->size[k->n] = size;
	k->n++;
	k->bytes += size;
	pthread_mutex_unlock(&kept_lock);
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
