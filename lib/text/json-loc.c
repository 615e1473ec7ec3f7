/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-loc.c — find values' lines and columns in a JSON text already validated by jansson.
 * The scanner only skips; it trusts the text to be JSON and stops at the end on anything else.
 * Splitting a list into its items (json_items_split) comes before jansson: it checks the
 * list's own commas and brackets, and leaves the rest of JSON to jansson's parse of each part.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "text/json-loc.h"

struct scan {
	const char *s, *end;
	int deepest; /* the deepest nesting skip_value() went through */
};

static void skip_ws(struct scan *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r'))
		c->s++;
}

/* Skip a string starting at '"'; return its raw contents' bounds. */
static void skip_string(struct scan *c, const char **b, const char **e)
{
	c->s++;
	*b = c->s;
	while (c->s < c->end && *c->s != '"') {
		if (*c->s == '\\' && c->s + 1 < c->end)
			c->s++;
		c->s++;
	}
	*e = c->s;
	if (c->s < c->end)
		c->s++;
}

static void skip_value(struct scan *c)
{
	const char *b, *e;
	int depth = 0;

	skip_ws(c);
	do {
		if (c->s >= c->end)
			return;
		if (*c->s == '"') {
			skip_string(c, &b, &e);
			continue;
		}
		if (*c->s == '{' || *c->s == '[') {
			if (++depth > c->deepest)
				c->deepest = depth;
		} else if (*c->s == '}' || *c->s == ']')
			depth--;
		else if (depth == 0) {
			/* a scalar: up to the next delimiter */
			while (c->s < c->end && !strchr(",}] \t\r\n", *c->s))
				c->s++;
			return;
		}
		c->s++;
	} while (depth > 0);
}

/* ---- the index --------------------------------------------------------------------- */

/*
 * One node per value, in document order, and for each container the list of its children:
 * an array's in order (an index is a subscript), an object's sorted by key (a key is a binary
 * search). Keys are offsets into the text, so the index costs a fixed size per value whatever
 * the depth or the length of the keys: linear in the document, 32 bytes a value. (It used to
 * keep each value's whole path as a string, and a buffer the size of the rest of the document
 * per container: quadratic, 33 GB asked for a 10,000-rule profile.)
 */
struct jnode {
	struct pol_loc loc;
	unsigned first;       /* its children: kids[first .. first + n) */
	unsigned n : 31;
	unsigned object : 1;
};

struct jkid {
	unsigned key, klen; /* in an object: the raw key's offset in the text, its length */
	unsigned node;
};

struct json_index {
	const char *src;
	struct jnode *v;
	size_t n, cap;
	struct jkid *kids;
	size_t nkids, kidscap;
};

/* Line and column of a scan, moved forward over [at, to): columns count characters, not
 * bytes (UTF-8 continuation bytes do not move them). */
struct place {
	const char *at;
	unsigned line, col;
};

static void place_move(struct place *pl, const char *to)
{
	for (; pl->at < to; pl->at++) {
		if (*pl->at == '\n') {
			pl->line++;
			pl->col = 1;
		} else if ((*pl->at & 0xc0) != 0x80) {
			pl->col++;
		}
	}
}

struct iscan {
	struct scan c;
	struct json_index *x;
	struct place pos; /* where line and column were last computed, moved as the scan moves */
	/* The children of the containers being scanned, innermost last: a container's are
	 * moved to x->kids in one piece when it closes, so each list is contiguous. */
	struct jkid *open;
	size_t nopen, opencap;
};

/* A node for the value in [start, end) (a container's opening bracket), listed as a child
 * of the container being scanned, if any, under @key. */
static unsigned add(struct iscan *s, bool child, const char *key, size_t klen, const char *start,
		    const char *end)
{
	struct json_index *x = s->x;
	struct jnode *v;
	const char *p;

	place_move(&s->pos, start);
	x->v = xgrow(x->v, &x->cap, x->n + 1, sizeof(*x->v));
	v = &x->v[x->n];
	memset(v, 0, sizeof(*v));
	v->loc.line = s->pos.line;
	v->loc.col = s->pos.col;
	for (p = start; p < end && *p != '\n'; p++)
		v->loc.span += (*p & 0xc0) != 0x80;
	if (v->loc.span == 0)
		v->loc.span = 1;
	v->object = *start == '{';
	if (child) {
		s->open = xgrow(s->open, &s->opencap, s->nopen + 1, sizeof(*s->open));
		s->open[s->nopen++] = (struct jkid){ key ? (unsigned)(key - x->src) : 0,
						     (unsigned)klen, (unsigned)x->n };
	}
	return (unsigned)x->n++;
}

static int keycmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);
	return r ? r : (alen > blen) - (alen < blen);
}

/* qsort_r()'s comparison of two object members; @src: the text the keys are offsets into */
static int by_key(const void *a, const void *b, void *src)
{
	const struct jkid *x = a, *y = b;
	const char *text = src;
	int r = keycmp(text + x->key, x->klen, text + y->key, y->klen);
	/* Equal keys (jansson keeps the last one) stay in document order. */
	return r ? r : (x->node > y->node) - (x->node < y->node);
}

/* Container @me's children are the open list's entries from @from on: move them to kids. */
static void close_container(struct iscan *s, unsigned me, size_t from)
{
	struct json_index *x = s->x;
	size_t n = s->nopen - from;

	x->v[me].first = (unsigned)x->nkids;
	x->v[me].n = (unsigned)n;
	if (n == 0)
		return;
	x->kids = xgrow(x->kids, &x->kidscap, x->nkids + n, sizeof(*x->kids));
	memcpy(&x->kids[x->nkids], &s->open[from], n * sizeof(*x->kids));
	if (x->v[me].object && n > 1)
		qsort_r(&x->kids[x->nkids], n, sizeof(*x->kids), by_key, (void *)x->src);
	x->nkids += n;
	s->nopen = from;
}

static void index_value(struct iscan *s, bool child, const char *key, size_t klen, int depth)
{
	struct scan *c = &s->c;
	const char *start;
	unsigned me;
	size_t from;

	skip_ws(c);
	if (c->s >= c->end || depth > 256 || s->x->n >= (UINT32_MAX >> 1) - 1)
		return;
	start = c->s;
	if (*c->s != '{' && *c->s != '[') {
		skip_value(c);
		add(s, child, key, klen, start, c->s);
		return;
	}
	me = add(s, child, key, klen, start, start + 1);
	from = s->nopen;
	if (*c->s == '{') {
		c->s++;
		for (;;) {
			const char *b, *e;
			skip_ws(c);
			if (c->s >= c->end || *c->s != '"')
				break;
			skip_string(c, &b, &e);
			skip_ws(c);
			if (c->s < c->end && *c->s == ':')
				c->s++;
			index_value(s, true, b, (size_t)(e - b), depth + 1);
			skip_ws(c);
			if (c->s < c->end && *c->s == ',')
				c->s++;
			else
				break;
		}
	} else {
		c->s++;
		for (;;) {
			skip_ws(c);
			if (c->s >= c->end || *c->s == ']')
				break;
			index_value(s, true, NULL, 0, depth + 1);
			skip_ws(c);
			if (c->s < c->end && *c->s == ',')
				c->s++;
			else
				break;
		}
	}
	close_container(s, me, from);
	skip_ws(c);
	if (c->s < c->end)
		c->s++; /* the closing bracket */
}

struct json_index *json_index_new_at(const char *src, size_t len, unsigned line, unsigned col)
{
	struct json_index *x = xcalloc(1, sizeof(*x));
	struct iscan s = { { src, src + len, 0 }, x, { src, line, col }, NULL, 0, 0 };

	x->src = src;
	index_value(&s, false, NULL, 0, 0);
	free(s.open);
	return x;
}

struct json_index *json_index_new(const char *src, size_t len)
{
	return json_index_new_at(src, len, 1, 1);
}

struct pol_loc json_index_locate(const struct json_index *x, const struct jpath *path, size_t depth)
{
	const struct pol_loc none = { 1, 1, 1 };
	size_t at = 0;

	if (!x || x->n == 0)
		return none;
	for (size_t d = 0; d < depth; d++) {
		const struct jnode *v = &x->v[at];
		const struct jkid *k = &x->kids[v->first];
		if (path[d].key) {
			size_t klen = strlen(path[d].key), lo = 0, hi = v->n;
			if (!v->object)
				return none;
			/* The last of equal keys: the one jansson keeps. */
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (keycmp(x->src + k[mid].key, k[mid].klen, path[d].key, klen) <= 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == 0 ||
			    keycmp(x->src + k[lo - 1].key, k[lo - 1].klen, path[d].key, klen) != 0)
				return none;
			at = k[lo - 1].node;
		} else {
			if (v->object || path[d].index >= v->n)
				return none;
			at = k[path[d].index].node;
		}
	}
	return x->v[at].loc;
}

void json_index_free(struct json_index *x)
{
	if (!x)
		return;
	free(x->v);
	free(x->kids);
	free(x);
}

/* ---- a long list, item by item ------------------------------------------------------ */


/* The items of the array at c->s ('['), into @ret; c->s left after its ']'. Every item must
 * end where a ',' or the ']' follows (blanks between), as in JSON. */
static int split_items(struct scan *c, const char *src, struct json_items *ret, size_t *cap)
{
	struct place pl = { src, 1, 1 };

	c->s++;
	skip_ws(c);
	if (c->s < c->end && *c->s == ']') {
		c->s++;
		return 0;
	}
	for (;;) {
		struct json_item *it;
		const char *start = c->s;

		if (c->s >= c->end || *c->s == ']' || *c->s == ',')
			return -1;
		c->deepest = 0;
		skip_value(c);
		if (c->s == start || c->deepest > JSON_ITEMS_MAX_DEPTH)
			return -1;
		place_move(&pl, start);
		ret->items = xgrow(ret->items, cap, ret->n + 1, sizeof(*ret->items));
		it = &ret->items[ret->n++];
		*it = (struct json_item){ (size_t)(start - src), (size_t)(c->s - start), pl.line, pl.col };
		skip_ws(c);
		if (c->s < c->end && *c->s == ']') {
			c->s++;
			return 0;
		}
		if (c->s >= c->end || *c->s != ',')
			return -1;
		c->s++;
		skip_ws(c);
	}
}

/* @src without [from, to): what was there kept as its line breaks and, after the last, as
 * many spaces as it had characters, so that what follows stays at its line and column. */
static char *cut_out(const char *src, size_t len, size_t from, size_t to, size_t *ret_len)
{
	size_t breaks = 0, width = 0, n = 0;
	char *out;

	for (size_t i = from; i < to; i++) {
		if (src[i] == '\n') {
			breaks++;
			width = 0;
		} else if ((src[i] & 0xc0) != 0x80) {
			width++;
		}
	}
	out = xcalloc(len - (to - from) + breaks + width + 1, 1);
	memcpy(out, src, from);
	n = from;
	memset(out + n, '\n', breaks);
	n += breaks;
	memset(out + n, ' ', width);
	n += width;
	memcpy(out + n, src + to, len - to);
	n += len - to;
	*ret_len = n;
	return out;
}

int json_items_split(const char *src, size_t len, const char *key, struct json_items *ret)
{
	struct scan c = { src, src + len, 0 };
	size_t klen = strlen(key), cap = 0;

	memset(ret, 0, sizeof(*ret));
	skip_ws(&c);
	if (c.s >= c.end || *c.s != '{')
		return -1;
	c.s++;
	for (;;) {
		const char *b, *e;

		skip_ws(&c);
		if (c.s >= c.end || *c.s != '"')
			return -1;
		skip_string(&c, &b, &e);
		skip_ws(&c);
		if (c.s >= c.end || *c.s != ':')
			return -1;
		c.s++;
		skip_ws(&c);
		if ((size_t)(e - b) == klen && memcmp(b, key, klen) == 0) {
			const char *open = c.s, *close;

			if (c.s >= c.end || *c.s != '[' || split_items(&c, src, ret, &cap) < 0) {
				json_items_free(ret);
				return -1;
			}
			close = c.s - 1;
			ret->rest = cut_out(src, len, (size_t)(open + 1 - src), (size_t)(close - src),
					    &ret->restlen);
			return 0;
		}
		skip_value(&c);
		skip_ws(&c);
		if (c.s >= c.end || *c.s != ',')
			return -1; /* '}' (no such member) or not JSON */
		c.s++;
	}
}

void json_items_free(struct json_items *it)
{
	free(it->items);
	free(it->rest);
	memset(it, 0, sizeof(*it));
}
