/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loc.h — a place in a source text, kept with every name a policy or group file wrote so
 * that any later diagnostic can point at it.
 */
#ifndef SC_LOC_H
#define SC_LOC_H

/* Where something was written: 1-based line and column, characters to underline. */
struct pol_loc {
	unsigned line, col, span;
};

#endif
