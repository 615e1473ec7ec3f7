/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-loc.c — find a value's line and column in a JSON text already validated by jansson.
 * The scanner only skips; it trusts the text to be JSON and stops at the end on anything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-loc.h"

struct scan {
	const char *s, *end;
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
		if (*c->s == '{' || *c->s == '[')
			depth++;
		else if (*c->s == '}' || *c->s == ']')
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

static struct pol_loc loc_of(const char *src, const char *at, const char *vend)
{
	struct pol_loc l = { 1, 1, 1 };
	const char *p;

	for (p = src; p < at; p++) {
		if (*p == '\n') {
			l.line++;
			l.col = 1;
		} else if ((*p & 0xc0) != 0x80) {
			l.col++;
		}
	}
	for (l.span = 0, p = at; p < vend && *p != '\n'; p++)
		l.span += (*p & 0xc0) != 0x80;
	if (l.span == 0)
		l.span = 1;
	return l;
}

struct pol_loc json_locate(const char *src, size_t len, const struct jpath *path, size_t depth)
{
	struct scan c = { src, src + len };
	const struct pol_loc none = { 1, 1, 1 };
	const char *start;

	for (size_t d = 0; d < depth; d++) {
		skip_ws(&c);
		if (c.s >= c.end)
			return none;
		if (path[d].key) {
			if (*c.s != '{')
				return none;
			c.s++;
			for (;;) {
				const char *b, *e;
				skip_ws(&c);
				if (c.s >= c.end || *c.s != '"')
					return none;
				skip_string(&c, &b, &e);
				skip_ws(&c);
				if (c.s < c.end && *c.s == ':')
					c.s++;
				if ((size_t)(e - b) == strlen(path[d].key) &&
				    memcmp(b, path[d].key, (size_t)(e - b)) == 0)
					break;
				skip_value(&c);
				skip_ws(&c);
				if (c.s < c.end && *c.s == ',')
					c.s++;
				else
					return none;
			}
		} else {
			if (*c.s != '[')
				return none;
			c.s++;
			for (size_t i = 0; i < path[d].index; i++) {
				skip_value(&c);
				skip_ws(&c);
				if (c.s < c.end && *c.s == ',')
					c.s++;
				else
					return none;
			}
		}
	}
	skip_ws(&c);
	start = c.s;
	skip_value(&c);
	return loc_of(src, start, c.s);
}

/* ---- the index --------------------------------------------------------------------- */

struct jentry {
	char *path; /* keys and indexes joined by \x1f */
	struct pol_loc loc;
};

struct json_index {
	struct jentry *e;
	size_t n, cap;
	const char *src;
};

struct iscan {
	struct scan c;
	struct json_index *x;
	unsigned line, col; /* position of c.s, kept up to date as the scan moves */
	const char *at;     /* where line/col were last computed */
};

/* Advance the line/column bookkeeping to @to (always forward). */
static void track(struct iscan *s, const char *to)
{
	for (; s->at < to; s->at++) {
		if (*s->at == '\n') {
			s->line++;
			s->col = 1;
		} else if ((*s->at & 0xc0) != 0x80) {
			s->col++;
		}
	}
}

static void add(struct iscan *s, const char *path, size_t plen, const char *start, const char *end)
{
	struct json_index *x = s->x;
	struct pol_loc l;
	const char *p;

	track(s, start);
	l.line = s->line;
	l.col = s->col;
	for (l.span = 0, p = start; p < end && *p != '\n'; p++)
		l.span += (*p & 0xc0) != 0x80;
	if (l.span == 0)
		l.span = 1;
	x->e = xgrow(x->e, &x->cap, x->n + 1, sizeof(*x->e));
	x->e[x->n].path = xcalloc(plen + 1, 1);
	memcpy(x->e[x->n].path, path, plen);
	x->e[x->n++].loc = l;
}

static void index_value(struct iscan *s, char *path, size_t plen, int depth)
{
	struct scan *c = &s->c;
	const char *start;
	char *p2;

	skip_ws(c);
	if (c->s >= c->end || depth > 256)
		return;
	start = c->s;
	if (*c->s != '{' && *c->s != '[') {
		skip_value(c);
		add(s, path, plen, start, c->s);
		return;
	}
	add(s, path, plen, start, start + 1);
	p2 = xcalloc(plen + 40 + (size_t)(c->end - c->s), 1);
	memcpy(p2, path, plen);
	if (*c->s == '{') {
		c->s++;
		for (;;) {
			const char *b, *e;
			size_t n;
			skip_ws(c);
			if (c->s >= c->end || *c->s != '"')
				break;
			skip_string(c, &b, &e);
			n = plen;
			p2[n++] = '\x1f';
			memcpy(p2 + n, b, (size_t)(e - b));
			n += (size_t)(e - b);
			skip_ws(c);
			if (c->s < c->end && *c->s == ':')
				c->s++;
			index_value(s, p2, n, depth + 1);
			skip_ws(c);
			if (c->s < c->end && *c->s == ',')
				c->s++;
			else
				break;
		}
	} else {
		c->s++;
		for (size_t i = 0;; i++) {
			size_t n = plen;
			skip_ws(c);
			if (c->s >= c->end || *c->s == ']')
				break;
			n += (size_t)sprintf(p2 + n, "\x1f%zu", i);
			index_value(s, p2, n, depth + 1);
			skip_ws(c);
			if (c->s < c->end && *c->s == ',')
				c->s++;
			else
				break;
		}
	}
	skip_ws(c);
	if (c->s < c->end)
		c->s++; /* the closing bracket */
	free(p2);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct jentry *)a)->path, ((const struct jentry *)b)->path);
}

struct json_index *json_index_new(const char *src, size_t len)
{
	struct json_index *x = xcalloc(1, sizeof(*x));
	struct iscan s = { { src, src + len }, x, 1, 1, src };
	char root[1] = "";

	x->src = src;
	index_value(&s, root, 0, 0);
	qsort(x->e, x->n, sizeof(*x->e), by_path);
	return x;
}

struct pol_loc json_index_locate(const struct json_index *x, const struct jpath *path, size_t depth)
{
	const struct pol_loc none = { 1, 1, 1 };
	struct jentry key, *hit;
	char buf[1024];
	size_t n = 0;

	if (!x)
		return none;
	for (size_t d = 0; d < depth && n < sizeof(buf) - 32; d++) {
		if (path[d].key)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\x1f%s", path[d].key);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\x1f%zu", path[d].index);
		if (n >= sizeof(buf))
			return none;
	}
	buf[n] = '\0';
	key.path = buf;
	hit = bsearch(&key, x->e, x->n, sizeof(*x->e), by_path);
	return hit ? hit->loc : none;
}

void json_index_free(struct json_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++)
		free(x->e[i].path);
	free(x->e);
	free(x);
}
