/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kept.h — a compile's large blocks, kept by the thread for its next compile.
 *
 * A compile allocates a few hundred kilobytes of arrays (a 2,000-value ioctl list: the rule
 * set's pools, the generator's value sets and instruction buffers) and frees them all at the
 * end. glibc then gives the top of its heap back to the kernel (above M_TRIM_THRESHOLD,
 * 128 KB) and hands out blocks of 128 KB and more by mmap, so the next compile pays a page
 * fault for every page again: 120 a compile at 2,000 values, which made compile time grow
 * faster than the rules (issue 11). Changing malloc's thresholds is the program's business,
 * not a library's; instead the blocks that make up most of that memory go back to a small
 * cache of this thread's (at most KEPT_MAX bytes, freed when the thread ends), and the next
 * compile on the thread takes them from there.
 *
 * The blocks are ordinary malloc() blocks: whoever holds one may free() it instead; what
 * kept_put() is given may come from malloc() too. Blocks under KEPT_MIN go straight to
 * malloc: glibc keeps small ones without any cost in faults.
 */
#ifndef SC_KEPT_H
#define SC_KEPT_H

#include <stddef.h>

#define KEPT_MIN (8u << 10)   /* smaller blocks: plain malloc/free */
#define KEPT_MAX (4u << 20)   /* the most a thread keeps */

/* A block of at least @bytes (not zeroed): a kept one when one is large enough. */
void *kept_get(size_t bytes);
/* calloc() through the kept blocks: @n elements of @size, zeroed (at least one byte). */
void *kept_calloc(size_t n, size_t size);
/* Give @p back (NULL is fine): kept when there is room, freed otherwise. */
void kept_put(void *p);
/* Grow @p (of *@cap elements of @size) to hold at least @need, doubling, through the kept
 * blocks: xgrow() for a compile's temporaries and pools. */
void *kept_grow(void *p, size_t *cap, size_t need, size_t size);

/* xgrow_n() through the kept blocks: room for @n + @add elements of an array whose
 * capacity is its count's next power of two. */
void *kept_grow_n(void *p, size_t n, size_t add, size_t size);

#endif
