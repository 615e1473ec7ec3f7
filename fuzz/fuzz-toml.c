/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-toml — lib/text/toml.c and lib/text/toml-write.c on arbitrary bytes.
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers' part) it checks what
 * the parser promises: an error has a place and a message of valid UTF-8; every value and
 * key starts where its place says (a string at a quote, an array at '['); and whatever
 * parses, written back with toml_write(), parses again to an equal tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct doc {
	const char *start, *end;
	const char **lines; /* start of each line */
	size_t nlines;
};

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-toml: %s\n", what);
		abort();
	}
}

/* The byte at @pos: lines by '\n', columns by UTF-8 code points. */
static const char *at(const struct doc *d, struct toml_pos pos)
{
	const char *p;
	unsigned col = 1;

	check(pos.line >= 1 && pos.line <= d->nlines && pos.col >= 1, "position out of range");
	for (p = d->lines[pos.line - 1]; col < pos.col; col++) {
		check(p < d->end && *p != '\n', "column past the end of its line");
		/* one character: a byte and its continuation bytes */
		for (p++; p < d->end && ((unsigned char)*p & 0xc0) == 0x80; p++)
			;
	}
	return p;
}

static bool key_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '"' || c == '\'';
}

static void check_places(const struct doc *d, const struct toml_value *v, bool root)
{
	const char *p = at(d, toml_pos(v));
	char c = p < d->end ? *p : '\0';

	switch (toml_type(v)) {
	case TOML_TABLE:
		/* '{' inline, '[' a header, a key for a table made on the way; the root at 1:1 */
		check(root || c == '{' || c == '[' || key_start(c), "table misplaced");
		for (size_t i = 0; i < toml_table_len(v); i++) {
			const char *k = at(d, toml_table_key_pos(v, i));
			check(k < d->end && key_start(*k), "key misplaced");
			check_places(d, toml_table_value(v, i), false);
		}
		break;
	case TOML_ARRAY:
		check(c == '[', "array misplaced");
		for (size_t i = 0; i < toml_array_len(v); i++)
			check_places(d, toml_array_at(v, i), false);
		break;
	case TOML_STRING:
		check(c == '"' || c == '\'', "string misplaced");
		break;
	case TOML_INTEGER:
	case TOML_FLOAT:
		check((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'i' || c == 'n',
		      "number misplaced");
		break;
	case TOML_BOOL:
		check(c == 't' || c == 'f', "boolean misplaced");
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		check(c >= '0' && c <= '9', "date-time misplaced");
		break;
	case TOML_TYPE_COUNT:
		check(false, "value without a type");
		break;
	}
}

static bool valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		int n = *u < 0x80   ? 1
			: *u < 0xc2 ? 0
			: *u < 0xe0 ? 2
			: *u < 0xf0 ? 3
			: *u < 0xf5 ? 4
				    : 0;
		if (n == 0)
			return false;
		for (int i = 1; i < n; i++)
			if ((u[i] & 0xc0) != 0x80)
				return false;
		u += n;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct toml_error err;
	struct toml_value *root, *again;
	struct doc d = { buf, buf + size, NULL, 0 };
	char *text;
	size_t len;

	root = toml_parse(buf, size, &err);
	if (size >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		d.start += 3; /* columns on line 1 count from after a byte order mark */
	d.lines = malloc((size + 1) * sizeof(*d.lines));
	check(d.lines != NULL, "out of memory");
	d.lines[d.nlines++] = d.start;
	for (const char *p = d.start; p < d.end; p++)
		if (*p == '\n')
			d.lines[d.nlines++] = p + 1;
	if (!root) {
		check(err.msg[0] != '\0', "error without a message");
		check(valid_utf8(err.msg), "error message is not UTF-8");
		check(err.line >= 1 && err.line <= d.nlines && err.col >= 1, "error misplaced");
		at(&d, (struct toml_pos){ err.line, err.col });
		free(d.lines);
		return 0;
	}
	check_places(&d, root, true);
	free(d.lines);
	check(toml_write(root, &text, &len) == 0, "toml_write() failed");
	again = toml_parse(text, len, &err);
	if (!again)
		fprintf(stderr, "fuzz-toml: written text fails at %u:%u: %s\n---\n%s---\n",
			err.line, err.col, err.msg, text);
	check(again != NULL, "written text does not parse");
	check(toml_equal(root, again), "written text parses to another tree");
	toml_free(again);
	free(text);
	toml_free(root);
	return 0;
}
