/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * suggest.c — weighted Damerau-Levenshtein with a floor, after git's help.c.
 *
 * git's weights: a transposition is free, a substitution costs 2, an insertion 1 and a
 * deletion 3, because people drop and swap letters far more than they add them. A name
 * that starts with the unknown word ("rdonly" → "O_RDONLY" does not; "clock_get" →
 * "clock_gettime" does) counts as distance 0. Comparison ignores case.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seccompose.h"
#include "base/suggest.h"

#define W_SWAP  0
#define W_SUBST 2
#define W_INS   1
#define W_DEL   3
#define NAME_MAX_LEN 128 /* longer words are not worth a suggestion */

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;
	return m < c ? m : c;
}

unsigned suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned rows[3][NAME_MAX_LEN + 1];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return (unsigned)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j * W_INS;
	for (size_t i = 0; i < la; i++) {
		cur[0] = (unsigned)(i + 1) * W_DEL;
		for (size_t j = 0; j < lb; j++) {
			int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[j]);
			cur[j + 1] = min3(prev[j] + (ca == cb ? 0 : W_SUBST), prev[j + 1] + W_DEL,
					  cur[j] + W_INS);
			if (i > 0 && j > 0 && ca == tolower((unsigned char)b[j - 1]) &&
			    tolower((unsigned char)a[i - 1]) == cb && prev2[j - 1] + W_SWAP < cur[j + 1])
				cur[j + 1] = prev2[j - 1] + W_SWAP;
		}
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* Past this distance a guess misleads more than it helps (git's SIMILARITY_FLOOR is 7). */
static unsigned floor_for(const char *word)
{
	size_t n = strlen(word);
	return n < 4 ? 2 : n < 8 ? 5 : 7;
}

void suggest_init(struct suggest *s, const char *word)
{
	memset(s, 0, sizeof(*s));
	s->word = word;
	s->best = floor_for(word) + 1;
}

void suggest_add(struct suggest *s, const char *candidate)
{
	size_t wl = strlen(s->word);
	unsigned d;

	if (!candidate || strcasecmp(candidate, s->word) == 0)
		return;
	if (wl >= 3 && strncasecmp(candidate, s->word, wl) == 0)
		d = 0;
	else
		d = suggest_distance(s->word, candidate);
	if (d > s->best)
		return;
	if (d < s->best) {
		s->best = d;
		s->n = 0;
	}
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->cand[i], candidate) == 0)
			return;
	if (s->n < SUGGEST_MAX)
		s->cand[s->n++] = candidate;
}

size_t suggest_done(const struct suggest *s, const char **ret_best, size_t max)
{
	size_t n = s->n < max ? s->n : max;

	for (size_t i = 0; i < n; i++)
		ret_best[i] = s->cand[i];
	return n;
}

bool words_contain(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		size_t w = strcspn(p, " ");
		if (w == n && strncasecmp(p, word, n) == 0)
			return true;
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

SC_EXPORT size_t sc_suggest(const char *word, const char *const *candidates, size_t n,
			    const char **ret_best, size_t max)
{
	struct suggest s;

	if (!word || !ret_best)
		return 0;
	suggest_init(&s, word);
	for (size_t i = 0; i < n; i++)
		suggest_add(&s, candidates[i]);
	return suggest_done(&s, ret_best, max);
}
