/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * suggest.h — "did you mean": pick the known names closest to an unknown one.
 *
 * Calling sequence, for a table that is not a plain array:
 *
 *	struct suggest s;
 *	suggest_init(&s, "opneat");
 *	for (each known name) suggest_add(&s, name);
 *	n = suggest_done(&s, best, 4);      // best[0] == "openat"
 *
 * Names passed to suggest_add() must outlive suggest_done()'s result.
 */
#ifndef SC_SUGGEST_H
#define SC_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#define SUGGEST_MAX 8

struct suggest {
	const char *word;
	unsigned best;                  /* lowest distance seen */
	size_t n;                       /* candidates at that distance */
	const char *cand[SUGGEST_MAX];
};

void suggest_init(struct suggest *s, const char *word);
void suggest_add(struct suggest *s, const char *candidate);
size_t suggest_done(const struct suggest *s, const char **ret_best, size_t max);

/* Is @word one of the space-separated words of @list (any case)? Used for alias lists. */
bool words_contain(const char *list, const char *word);

/* The weighted edit distance used (exposed for tests). */
unsigned suggest_distance(const char *a, const char *b);

#endif
