/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc.c — allocation that does not fail.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort(); /* XXX out of memory: policies are small; no recovery path is worth it */
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);
	if (!q)
		abort();
	return q;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap : 16;
	while (*cap < need)
		*cap *= 2;
	return xreallocarray(p, *cap, size);
}

/*
 * Room for @n + @add elements in an array whose capacity is implied by its count: the next
 * power of two. Arrays grown one element at a time (a rule per [[syscalls]] table) must not
 * be reallocated at every step: two such arrays growing in turn are copied whole each time,
 * quadratic in a 10 MB policy. Shrinking the count keeps the invariant (capacity >= the
 * power of two above the count), so callers may drop elements without reallocating.
 */
size_t grow_n_capacity(const void *p, size_t n, size_t add)
{
	size_t have = 1, want = 1;

	while (have < n)
		have *= 2;
	while (want < n + add)
		want *= 2;
	return p && want <= have ? 0 : want;
}

void *xgrow_n(void *p, size_t n, size_t add, size_t size)
{
	size_t want = grow_n_capacity(p, n, add);

	return want ? xreallocarray(p, want, size) : p;
}

char *xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		abort();
	return d;
}
