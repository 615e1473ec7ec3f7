/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc.h — allocation that does not fail: every module's arrays and strings.
 *
 * Out of memory aborts (alloc.c says why); growing an array one element at a time stays
 * linear (xgrow_n).
 */
#ifndef SC_ALLOC_H
#define SC_ALLOC_H

#include <stddef.h>

char *xstrdup(const char *s); /* NULL stays NULL */
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
/* Grow @p (of *@cap elements) to hold at least @need, doubling; returns the new pointer. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
void *xgrow_n(void *p, size_t n, size_t add, size_t size); /* capacity: next power of two */
/* The capacity xgrow_n() gives array @p of @n for @add more, 0 when it has room already. */
size_t grow_n_capacity(const void *p, size_t n, size_t add);

#endif
