/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xorshift.h — the tests' random numbers: xorshift64*, seeded by each test, so a failing
 * draw comes back on every run.
 */
#ifndef SC_TEST_XORSHIFT_H
#define SC_TEST_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

#endif
