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
struct pol_loc json_index_locate(const struct json_index *x, const struct jpath *path, size_t depth);
void json_index_free(struct json_index *x);

#endif
