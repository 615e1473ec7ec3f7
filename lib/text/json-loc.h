/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-loc.h — where a value is in a JSON text.
 *
 * jansson parses our JSON inputs but keeps no positions for values; errors about a
 * policy must still say file:line:col. Once jansson has accepted a text, this scanner
 * indexes the same text once; a path of keys and indexes then finds where a value starts.
 *
 *	struct json_index *x = json_index_new(src, len);
 *	struct jpath path[] = { JKEY("syscalls"), JIDX(3), JKEY("names"), JIDX(0) };
 *	struct pol_loc loc = json_index_locate(x, path, 4);
 *
 * The same places let a long list be parsed one item at a time (json_items_split): each
 * item where it is, the rest of the text with its lines and columns kept.
 */
#ifndef SC_JSON_LOC_H
#define SC_JSON_LOC_H

#include <stddef.h>

#include "base/loc.h"

struct jpath {
	const char *key; /* NULL: index */
	size_t index;
};
#define JKEY(k) ((struct jpath){ .key = (k) })
#define JIDX(i) ((struct jpath){ .key = NULL, .index = (i) })

/* Every value's path and position, found in one scan, then each look-up a binary search:
 * the value's first character, span its length on that line; {1,1,1} when the path does not
 * lead anywhere. json_index_locate(NULL, …) answers {1,1,1}. */
struct json_index;
struct json_index *json_index_new(const char *src, size_t len);
/* The same for a part of a text that starts at @line:@col of the whole (json_items). */
struct json_index *json_index_new_at(const char *src, size_t len, unsigned line, unsigned col);
struct pol_loc json_index_locate(const struct json_index *x, const struct jpath *path, size_t depth);
void json_index_free(struct json_index *x);

/*
 * A long list read one item at a time: the items of the root object's array member @key
 * (the first member of that name), each a JSON text of its own, and the rest of the text
 * without them. A loader parses the rest, then parses, uses and frees each item in turn,
 * so that a whole document's tree is never held at once.
 *
 * @rest keeps every line and column outside the items where they were (the items' lines
 * stay as empty lines, the last one's width as spaces), so its positions are the text's.
 * An item's own positions start at its line:col. Parsed apart, the rest and the items are
 * valid JSON if and only if the text is, but for the nesting depth: items nested deeper than
 * JSON_ITEMS_MAX_DEPTH are not split. Which key is a duplicate is left to the parser.
 *
 * Returns 0, or -1 when the text has no such member, it is not an array, or the text is not
 * plainly JSON as far as the scan goes (the caller then parses the whole text).
 */
#define JSON_ITEMS_MAX_DEPTH 1024
struct json_item {
	size_t off, len;     /* in the text */
	unsigned line, col;  /* where it starts */
};
struct json_items {
	struct json_item *items;
	size_t n;
	char *rest;          /* NUL-terminated */
	size_t restlen;
};
int json_items_split(const char *src, size_t len, const char *key, struct json_items *ret);
void json_items_free(struct json_items *it);

#endif
