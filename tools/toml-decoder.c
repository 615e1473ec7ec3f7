/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * toml-decoder — the toml-test "decoder" interface over lib/text/toml.c.
 *
 * Reads TOML on standard input. Valid input: the suite's tagged JSON on standard output
 * ({"type": "integer", "value": "42"} for each scalar), exit 0. Invalid input: a message
 * "line:col: message" on standard error, exit 1.
 *
 *	toml-decoder               decode
 *	toml-decoder --roundtrip   decode, write with toml_write(), decode that again, and
 *	                           require the same tree; print the second tree's JSON
 *	toml-decoder --write       print toml_write()'s text instead of JSON
 *
 * Exit 2 for a failed round trip or a usage or I/O error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/toml.h"

struct sbuf {
	char *data;
	size_t len, cap;
};

static int read_all(FILE *f, struct sbuf *b)
{
	for (;;) {
		size_t n;

		if (b->cap - b->len < 4096) {
			size_t cap = b->cap ? b->cap * 2 : 65536;
			char *d = realloc(b->data, cap);
			if (!d)
				return -1;
			b->data = d;
			b->cap = cap;
		}
		n = fread(b->data + b->len, 1, b->cap - b->len, f);
		b->len += n;
		if (n == 0)
			return ferror(f) ? -1 : 0;
	}
}

static void json_string(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f); /* the parser let only valid UTF-8 through */
	}
	fputc('"', f);
}

static void json_tagged(FILE *f, const char *type, const char *value)
{
	fprintf(f, "{\"type\": \"%s\", \"value\": ", type);
	json_string(f, value, strlen(value));
	fputc('}', f);
}

static void json_value(FILE *f, const struct toml_value *v)
{
	char buf[32];

	switch (toml_type(v)) {
	case TOML_TABLE:
		fputc('{', f);
		for (size_t i = 0; i < toml_table_len(v); i++) {
			if (i)
				fputs(", ", f);
			json_string(f, toml_table_key(v, i), toml_table_key_len(v, i));
			fputs(": ", f);
			json_value(f, toml_table_value(v, i));
		}
		fputc('}', f);
		break;
	case TOML_ARRAY:
		fputc('[', f);
		for (size_t i = 0; i < toml_array_len(v); i++) {
			if (i)
				fputs(", ", f);
			json_value(f, toml_array_at(v, i));
		}
		fputc(']', f);
		break;
	case TOML_STRING:
		fputs("{\"type\": \"string\", \"value\": ", f);
		json_string(f, toml_string(v), toml_string_len(v));
		fputc('}', f);
		break;
	case TOML_INTEGER:
		snprintf(buf, sizeof(buf), "%" PRId64, toml_integer(v));
		json_tagged(f, "integer", buf);
		break;
	case TOML_FLOAT:
		toml_format_double(toml_float(v), buf);
		json_tagged(f, "float", buf);
		break;
	case TOML_BOOL:
		json_tagged(f, "bool", toml_bool(v) ? "true" : "false");
		break;
	case TOML_DATETIME:
		json_tagged(f, "datetime", toml_datetime_text(v));
		break;
	case TOML_DATETIME_LOCAL:
		json_tagged(f, "datetime-local", toml_datetime_text(v));
		break;
	case TOML_DATE_LOCAL:
		json_tagged(f, "date-local", toml_datetime_text(v));
		break;
	case TOML_TIME_LOCAL:
		json_tagged(f, "time-local", toml_datetime_text(v));
		break;
	case TOML_TYPE_COUNT:
		break;
	}
}

int main(int argc, char **argv)
{
	bool roundtrip = false, write = false;
	struct sbuf in = { 0 };
	struct toml_error err;
	struct toml_value *root, *again;
	char *text = NULL;
	size_t textlen = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--roundtrip") == 0) {
			roundtrip = true;
		} else if (strcmp(argv[i], "--write") == 0) {
			write = true;
		} else {
			fprintf(stderr,
				"usage: toml-decoder [--roundtrip | --write] < file.toml\n");
			return 2;
		}
	}
	if (read_all(stdin, &in) < 0) {
		perror("toml-decoder: reading standard input");
		return 2;
	}
	root = toml_parse(in.data, in.len, &err);
	free(in.data);
	if (!root) {
		fprintf(stderr, "toml-decoder: %u:%u: %s\n", err.line, err.col, err.msg);
		return 1;
	}
	if (roundtrip || write) {
		r = toml_write(root, &text, &textlen);
		if (r < 0) {
			fprintf(stderr, "toml-decoder: toml_write() failed: %s\n", strerror(-r));
			toml_free(root);
			return 2;
		}
	}
	if (write) {
		fwrite(text, 1, textlen, stdout);
		free(text);
		toml_free(root);
		return 0;
	}
	if (roundtrip) {
		again = toml_parse(text, textlen, &err);
		if (!again || !toml_equal(root, again)) {
			if (!again)
				fprintf(
				    stderr,
				    "toml-decoder: the written text does not parse: %u:%u: %s\n",
				    err.line, err.col, err.msg);
			else
				fprintf(stderr,
					"toml-decoder: the written text parses to another tree\n");
			fprintf(stderr, "--- written:\n%s---\n", text);
			free(text);
			toml_free(root);
			toml_free(again);
			return 2;
		}
		free(text);
		toml_free(root);
		root = again;
	}
	json_value(stdout, root);
	fputc('\n', stdout);
	toml_free(root);
	return fflush(stdout) == 0 ? 0 : 2;
}
