/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/text/json-loc.c: where values are (json_index), in a whole text and in a
 * part of one, and a long list split into its items with the rest of the text keeping its
 * lines and columns (json_items_split); texts it must not split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/json-loc.h"

static void expect_loc(const struct json_index *x, const struct jpath *path, size_t n,
		       unsigned line, unsigned col, unsigned span)
{
	struct pol_loc l = json_index_locate(x, path, n);

	if (l.line != line || l.col != col || l.span != span)
		fail_msg("expected %u:%u+%u, got %u:%u+%u", line, col, span, l.line, l.col, l.span);
}

static void index_of_a_part_counts_from_where_it_starts(void **state)
{
	const char *text = "{\"a\": \"é\", \"b\": [1,\n  {\"c\": true}]}";
	const char *part = strstr(text, "{\"c\"");
	struct jpath c[] = { JKEY("b"), JIDX(1), JKEY("c") };
	struct jpath pc[] = { JKEY("c") };
	struct json_index *whole = json_index_new(text, strlen(text));
	struct json_index *x = json_index_new_at(part, strlen(part) - 2, 2, 3);

	(void)state;
	expect_loc(whole, c, 3, 2, 9, 4);
	expect_loc(x, pc, 1, 2, 9, 4);
	expect_loc(x, NULL, 0, 2, 3, 1);
	expect_loc(x, c, 1, 1, 1, 1); /* no such key: {1,1,1} */
	json_index_free(x);
	json_index_free(whole);
}

static void items_split_with_positions_kept(void **state)
{
	const char *text = "{\"x\": \"ü\", \"syscalls\": [ {\"n\": \"é\"},\n"
			   "   {\"n\": [1, 2]} ,\"s\",\n"
			   " 3 ], \"after\": \"ñ\" , \"z\": [\"é\", {\"syscalls\": 1}]}";
	const char *rest = "{\"x\": \"ü\", \"syscalls\": [\n"
			   "\n"
			   "   ], \"after\": \"ñ\" , \"z\": [\"é\", {\"syscalls\": 1}]}";
	struct jpath after[] = { JKEY("after") }, z1[] = { JKEY("z"), JIDX(1) };
	struct json_items it;
	struct json_index *whole, *x;

	(void)state;
	assert_int_equal(json_items_split(text, strlen(text), "syscalls", &it), 0);
	assert_int_equal(it.n, 4);
	assert_string_equal(it.rest, rest);
	assert_int_equal(it.restlen, strlen(rest));
	assert_int_equal(it.items[0].off, (size_t)(strstr(text, "{\"n\": \"é") - text));
	assert_int_equal(it.items[0].len, strlen("{\"n\": \"é\"}"));
	assert_int_equal(it.items[0].line, 1);
	assert_int_equal(it.items[0].col, 26);
	assert_int_equal(it.items[1].line, 2);
	assert_int_equal(it.items[1].col, 4);
	assert_int_equal(it.items[1].len, strlen("{\"n\": [1, 2]}"));
	assert_memory_equal(text + it.items[2].off, "\"s\"", 3);
	assert_int_equal(it.items[2].len, 3);
	assert_int_equal(it.items[2].col, 19);
	assert_int_equal(it.items[3].len, 1);
	assert_int_equal(it.items[3].line, 3);
	assert_int_equal(it.items[3].col, 2);

	/* The rest's places are the text's. */
	whole = json_index_new(text, strlen(text));
	x = json_index_new(it.rest, it.restlen);
	expect_loc(whole, after, 1, 3, 16, 3);
	expect_loc(x, after, 1, 3, 16, 3);
	expect_loc(x, z1, 2, 3, 33, 1);
	expect_loc(whole, z1, 2, 3, 33, 1);
	json_index_free(x);
	json_index_free(whole);
	json_items_free(&it);

	assert_int_equal(json_items_split("{\"syscalls\": []}", 16, "syscalls", &it), 0);
	assert_int_equal(it.n, 0);
	assert_string_equal(it.rest, "{\"syscalls\": []}");
	json_items_free(&it);
}

/* Where the scan cannot vouch for the split, the caller reads the whole text. */
static void texts_not_split(void **state)
{
	static const char *const texts[] = {
		"{\"a\": 1}",                               /* no such member */
		"{\"syscalls\": 1}",                        /* not an array */
		"[{\"syscalls\": []}]",                     /* not an object */
		"{\"a\": {\"syscalls\": [1]}}",             /* not the root's */
		"{\"syscalls\": [1,]}",                     /* a trailing comma */
		"{\"syscalls\": [,1]}",
		"{\"syscalls\": [1 2]}",                    /* no comma */
		"{\"syscalls\": [{}",                       /* cut short */
		"{\"syscalls\": [1, 2",
		"{\"a\" 1, \"syscalls\": []}",              /* not JSON before it */
		"{\"syscalls\": [1\0]}",                    /* a NUL between items */
		"",
	};
	struct json_items it;
	char deep[2 * JSON_ITEMS_MAX_DEPTH + 64];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = i == 10 ? 18 : strlen(texts[i]);
		if (json_items_split(texts[i], len, "syscalls", &it) != -1)
			fail_msg("split: %s", texts[i]);
		assert_null(it.items);
		assert_null(it.rest);
	}
	/* Items nested deeper than the limit: the whole text, whose parser counts the depth. */
	n = (size_t)snprintf(deep, sizeof(deep), "{\"syscalls\": [");
	for (int i = 0; i <= JSON_ITEMS_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i <= JSON_ITEMS_MAX_DEPTH; i++)
		deep[n++] = ']';
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "]}");
	assert_int_equal(json_items_split(deep, n, "syscalls", &it), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_of_a_part_counts_from_where_it_starts),
		cmocka_unit_test(items_split_with_positions_kept),
		cmocka_unit_test(texts_not_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
