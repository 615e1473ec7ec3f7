/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * toml.h — our TOML 1.0.0 parser and writer (internal; not part of seccompose.h).
 *
 * The parser reads a whole document from memory into a tree. Tables keep their keys in
 * the order the document wrote them, and every value and every key keeps the place it
 * was written, so later stages can point at it. On an error it returns NULL and says
 * where, what it expected and what it found.
 *
 * Positions are 1-based. The column counts characters (UTF-8 code points) from the start
 * of the line, a tab counting as one: "a = é1" reports the '1' at column 6, not 7.
 *
 * Calling sequence:
 *
 *	struct toml_error err;
 *	struct toml_value *root = toml_parse(buf, len, &err);
 *	if (!root) {
 *		fprintf(stderr, "%u:%u: %s\n", err.line, err.col, err.msg);
 *		return -EINVAL;
 *	}
 *	const struct toml_value *v = toml_table_get(root, "default_action");
 *	if (v && toml_type(v) == TOML_STRING)
 *		use(toml_string(v), toml_line(v), toml_col(v));
 *	toml_free(root);
 *
 * Accessors are NULL- and type-safe: asked for the wrong type they return NULL, 0 or
 * false, so a caller checks toml_type() only where it wants to report a type error.
 * Strings are NUL-terminated for convenience, but may contain NUL themselves ("\u0000"):
 * use toml_string_len() where that matters. The same holds for keys.
 *
 * Limits, so that no input can exhaust the stack or hang the parser: documents up to
 * TOML_MAX_SIZE bytes, values nested at most TOML_MAX_DEPTH deep (arrays, inline tables,
 * dotted keys and table headers all count).
 */
#ifndef SC_TOML_H
#define SC_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOML_MAX_DEPTH 256
#define TOML_MAX_SIZE  ((size_t)1 << 30)

enum toml_type {
	TOML_TABLE,
	TOML_ARRAY,
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL, /* local date-time: 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,     /* local date: 1979-05-27 */
	TOML_TIME_LOCAL,     /* local time: 07:32:00 */
	TOML_TYPE_COUNT
};

/* Where something starts: 1-based line, and column in characters (see above). */
struct toml_pos {
	unsigned line, col;
};

struct toml_error {
	unsigned line, col;
	char msg[256];  /* "expected '=' after key, found 'x'" */
};

/* The parts of a date or time; the fields a type lacks are 0. */
struct toml_datetime {
	int year, month, day;
	int hour, minute, second;
	int nanosecond;     /* the fraction, truncated (not rounded) to 9 digits */
	int frac_digits;    /* digits of the fraction as kept, 0 to 9; 0 when none was written */
	int offset_minutes; /* TOML_DATETIME: east of UTC */
	bool offset_z;      /* TOML_DATETIME: written as Z rather than +00:00 */
};

struct toml_value;

/*
 * Parse @len bytes at @buf (need not be NUL-terminated; may contain NUL, which is an
 * error). Returns the root table, which the caller frees with toml_free(), or NULL with
 * @reterr (optional) filled.
 */
struct toml_value *toml_parse(const char *buf, size_t len, struct toml_error *reterr);

/* Free a tree returned by toml_parse(). Accepts NULL; returns NULL. */
struct toml_value *toml_free(struct toml_value *root);

enum toml_type toml_type(const struct toml_value *v);
const char *toml_type_name(enum toml_type type);   /* "table", "integer", "offset date-time" */
struct toml_pos toml_pos(const struct toml_value *v);
unsigned toml_line(const struct toml_value *v);
unsigned toml_col(const struct toml_value *v);

/* Tables: entries in document order. */
size_t toml_table_len(const struct toml_value *t);
const char *toml_table_key(const struct toml_value *t, size_t i);
size_t toml_table_key_len(const struct toml_value *t, size_t i);
struct toml_pos toml_table_key_pos(const struct toml_value *t, size_t i);
unsigned toml_table_key_line(const struct toml_value *t, size_t i);
unsigned toml_table_key_col(const struct toml_value *t, size_t i);
const struct toml_value *toml_table_value(const struct toml_value *t, size_t i);
const struct toml_value *toml_table_get(const struct toml_value *t, const char *key);
const struct toml_value *toml_table_getn(const struct toml_value *t, const char *key, size_t len);

/* Arrays. */
size_t toml_array_len(const struct toml_value *a);
const struct toml_value *toml_array_at(const struct toml_value *a, size_t i);

/*
 * Free item @i of array @a before the rest of its tree: it reads as absent (NULL) from then
 * on. A loader that is done with one [[rule]] lets it go before reading the next, so that
 * a large document's tree and what is built from it are not held whole at the same time.
 * @a is in a tree the caller owns (from toml_parse()).
 */
void toml_array_free_item(struct toml_value *a, size_t i);

/* How a table or array was written, so the writer can keep the document's style: a table
 * as { inline }, an array as [[header]] sections. Not part of the value: toml_equal()
 * ignores it. */
bool toml_is_inline_table(const struct toml_value *t);
bool toml_is_table_array(const struct toml_value *a);

/* Scalars. */
const char *toml_string(const struct toml_value *v);
size_t toml_string_len(const struct toml_value *v);
int64_t toml_integer(const struct toml_value *v);
double toml_float(const struct toml_value *v);
bool toml_bool(const struct toml_value *v);
/* Any of the four date/time types: its parts, and its text normalised to RFC 3339 form
 * ("1979-05-27T07:32:00.5Z": 'T' and 'Z' upper case, the fraction as written). */
const struct toml_datetime *toml_datetime(const struct toml_value *v);
const char *toml_datetime_text(const struct toml_value *v);

/*
 * Same types and values: tables compared as maps (TOML tables are unordered), arrays in
 * order, floats by value with every NaN equal to every NaN, date-times by their parts.
 * Positions are not compared. For round-trip tests.
 */
bool toml_equal(const struct toml_value *a, const struct toml_value *b);

/*
 * toml-write.c: @root (a table) as a TOML document. Tables and arrays of tables written
 * as sections stay [table] and [[array]] sections, after their table's other keys; inline
 * tables stay inline. Floats get the shortest text that reads back to the same double.
 * Parsing the result gives a tree toml_equal() to @root.
 * On success *@ret_buf (NUL-terminated, caller frees) and *@ret_len are set and 0 is
 * returned; otherwise -EINVAL (@root is not a table) or -ENOMEM.
 */
int toml_write(const struct toml_value *root, char **ret_buf, size_t *ret_len);

/*
 * The writer core, for documents built key by key rather than from a tree (policy-toml.c):
 * a growing NUL-terminated buffer that remembers its first error, and the one escaping of
 * strings, keys and comments. Zero-initialise, put, then toml_out_finish().
 */
struct toml_out {
	char *data;
	size_t len, cap;
	int err;
};
void toml_out_put(struct toml_out *o, const char *s, size_t n);
void toml_out_str(struct toml_out *o, const char *s);
/* Short texts only (numbers, names): a result over 255 bytes fails the document. */
void toml_out_printf(struct toml_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void toml_out_quoted(struct toml_out *o, const char *s); /* a basic string, escaped */
void toml_out_key(struct toml_out *o, const char *k);    /* bare when it can be, else quoted */
/* A comment line "# @s\n"; bytes outside printable ASCII as \xNN: @s cannot end it. */
void toml_out_comment(struct toml_out *o, const char *s);
/* The text into *@ret_buf (caller frees), or the first error (the buffer freed). */
int toml_out_finish(struct toml_out *o, char **ret_buf, size_t *ret_len);

/* Helpers shared with the writer and the decoder. */

/* Shortest "%.*g" text of @d that strtod() reads back as @d, in the C locale whatever the
 * process locale; "inf", "-inf", "nan". Returns the length (< 32). */
int toml_format_double(double d, char buf[static 32]);

#endif /* SC_TOML_H */
