/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-loc.c — find a value's line and column in a JSON text already validated by jansson.
 * The scanner only skips; it trusts the text to be JSON and stops at the end on anything else.
 */
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
