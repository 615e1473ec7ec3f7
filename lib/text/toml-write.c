/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * toml-write.c — a tree from toml.c back to TOML text.
 *
 * The document's style is kept where the tree records it: inline tables stay inline,
 * arrays made by [[header]]s stay [[header]] sections, and every other table becomes a
 * [section]. Within a table the plain keys come first, then its sections, each group in
 * document order: nothing can be added to a table once another header has started, so
 * that is the only order sections allow. Strings are basic strings with escapes for what
 * TOML forbids raw; floats the shortest text that reads back to the same double.
 */
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/toml.h"

/* The output is a struct toml_out (toml.h); its err: 0, -ENOMEM, or -EINVAL for a tree
 * nested deeper than a parsed one can be. */

/* The key path from the root to the table being written, for its header. */
struct path {
	const char *key[TOML_MAX_DEPTH + 1];
	size_t len[TOML_MAX_DEPTH + 1];
	size_t n;
};

static void put(struct toml_out *o, const char *s, size_t n)
{
	if (o->err)
		return;
	if (o->cap - o->len <= n) {
		size_t cap = o->cap ? o->cap : 256;
		char *d;
		while (cap - o->len <= n) {
			if (cap > SIZE_MAX / 2) {
				o->err = -ENOMEM;
				return;
			}
			cap *= 2;
		}
		d = realloc(o->data, cap);
		if (!d) {
			o->err = -ENOMEM;
			return;
		}
		o->data = d;
		o->cap = cap;
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
	o->data[o->len] = '\0';
}

static void put_str(struct toml_out *o, const char *s)
{
	put(o, s, strlen(s));
}

static bool is_bare(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* A basic string: escapes for the quote, the backslash and every control character. */
static void put_quoted(struct toml_out *o, const char *s, size_t len)
{
	size_t i, run = 0;

	put(o, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
			continue;
		put(o, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': put_str(o, "\\\""); break;
		case '\\': put_str(o, "\\\\"); break;
		case '\b': put_str(o, "\\b"); break;
		case '\t': put_str(o, "\\t"); break;
		case '\n': put_str(o, "\\n"); break;
		case '\f': put_str(o, "\\f"); break;
		case '\r': put_str(o, "\\r"); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			put_str(o, esc);
			break;
		}
	}
	put(o, s + run, i - run);
	put(o, "\"", 1);
}

static void put_key(struct toml_out *o, const char *k, size_t len)
{
	bool bare = len > 0;

	for (size_t i = 0; i < len && bare; i++)
		bare = is_bare((unsigned char)k[i]);
	if (bare)
		put(o, k, len);
	else
		put_quoted(o, k, len);
}

int toml_format_double(double d, char buf[static 32])
{
	locale_t c, old = (locale_t)0;
	double mag;
	int n = 0;

	if (isnan(d))
		return snprintf(buf, 32, "nan"); /* TOML's nan has no meaningful sign */
	if (isinf(d))
		return snprintf(buf, 32, "%s", d < 0 ? "-inf" : "inf");
	/* snprintf() and strtod() follow LC_NUMERIC: use "C" for this thread meanwhile */
	c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c)
		old = uselocale(c);
	for (int prec = 1; prec <= 17; prec++) {
		n = snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	mag = d < 0 ? -d : d; /* not fabs(): the library does not link libm */
	if (strchr(buf, 'e') && mag >= 1 && mag < 1e16) {
		/* 100 reads better as 100.0 than as 1e+02 */
		for (int prec = 1; prec <= 17; prec++) {
			n = snprintf(buf, 32, "%.*f", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
	}
	if (c) {
		uselocale(old);
		freelocale(c);
	}
	if (!strpbrk(buf, ".e")) {
		/* "%g" writes 5.0 as "5", which TOML would read as an integer */
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	return n;
}

/* The writer core for other writers of TOML (policy-toml.c): one escaping for everything. */
void toml_out_put(struct toml_out *o, const char *s, size_t n)
{
	put(o, s, n);
}

void toml_out_str(struct toml_out *o, const char *s)
{
	put_str(o, s);
}

void toml_out_printf(struct toml_out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		if (!o->err)
			o->err = -EINVAL; /* callers format numbers and short names only */
		return;
	}
	put(o, buf, (size_t)n);
}

void toml_out_quoted(struct toml_out *o, const char *s)
{
	put_quoted(o, s, strlen(s));
}

void toml_out_key(struct toml_out *o, const char *k)
{
	put_key(o, k, strlen(k));
}

/*
 * "# " and @s on one line: printable ASCII as is, every other byte (newline, control bytes,
 * invalid UTF-8) as \xNN, so that no string from outside (a command line, a file name) can
 * end the comment and become policy. Callers that want shell quoting quote first.
 */
void toml_out_comment(struct toml_out *o, const char *s)
{
	put_str(o, "# ");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		if (*p >= 0x20 && *p < 0x7f) {
			put(o, (const char *)p, 1);
			continue;
		}
		snprintf(esc, sizeof(esc), "\\x%02x", *p);
		put_str(o, esc);
	}
	put_str(o, "\n");
}

int toml_out_finish(struct toml_out *o, char **ret_buf, size_t *ret_len)
{
	int err;

	put(o, "", 0); /* an empty document is still NUL-terminated */
	err = o->err;
	if (err) {
		free(o->data);
		*o = (struct toml_out){ 0 };
		return err;
	}
	*ret_buf = o->data;
	if (ret_len)
		*ret_len = o->len;
	return 0;
}

/* A [section] or [[sections]] rather than key = value. */
static bool is_section(const struct toml_value *v)
{
	if (toml_type(v) == TOML_TABLE)
		return !toml_is_inline_table(v);
	/* an array of tables made by [[header]] always has at least one */
	return toml_is_table_array(v) && toml_array_len(v) > 0;
}

/* A value on the right of '=': scalars, and arrays and tables written inline. */
static void put_value(struct toml_out *o, const struct toml_value *v)
{
	char buf[32];

	switch (toml_type(v)) {
	case TOML_TABLE:
		put_str(o, "{");
		for (size_t i = 0; i < toml_table_len(v); i++) {
			put_str(o, i ? ", " : " ");
			put_key(o, toml_table_key(v, i), toml_table_key_len(v, i));
			put_str(o, " = ");
			put_value(o, toml_table_value(v, i));
		}
		put_str(o, toml_table_len(v) ? " }" : "}");
		break;
	case TOML_ARRAY:
		put_str(o, "[");
		for (size_t i = 0; i < toml_array_len(v); i++) {
			if (i)
				put_str(o, ", ");
			put_value(o, toml_array_at(v, i));
		}
		put_str(o, "]");
		break;
	case TOML_STRING:
		put_quoted(o, toml_string(v), toml_string_len(v));
		break;
	case TOML_INTEGER:
		snprintf(buf, sizeof(buf), "%" PRId64, toml_integer(v));
		put_str(o, buf);
		break;
	case TOML_FLOAT:
		toml_format_double(toml_float(v), buf);
		put_str(o, buf);
		break;
	case TOML_BOOL:
		put_str(o, toml_bool(v) ? "true" : "false");
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		put_str(o, toml_datetime_text(v));
		break;
	case TOML_TYPE_COUNT:
		break;
	}
}

static void put_header(struct toml_out *o, const struct path *p, bool aot)
{
	put_str(o, aot ? "\n[[" : "\n[");
	for (size_t i = 0; i < p->n; i++) {
		if (i)
			put_str(o, ".");
		put_key(o, p->key[i], p->len[i]);
	}
	put_str(o, aot ? "]]\n" : "]\n");
}

static void put_table(struct toml_out *o, const struct toml_value *t, struct path *p)
{
	size_t n = toml_table_len(t), i, k;

	for (i = 0; i < n; i++) {
		const struct toml_value *v = toml_table_value(t, i);
		if (is_section(v))
			continue;
		put_key(o, toml_table_key(t, i), toml_table_key_len(t, i));
		put_str(o, " = ");
		put_value(o, v);
		put_str(o, "\n");
	}
	for (i = 0; i < n; i++) {
		const struct toml_value *v = toml_table_value(t, i);
		bool table = toml_type(v) == TOML_TABLE;

		if (!is_section(v))
			continue;
		/* the parser's depth limit bounds the path, but a tree is not only the parser's */
		if (p->n > TOML_MAX_DEPTH) {
			o->err = -EINVAL;
			return;
		}
		p->key[p->n] = toml_table_key(t, i);
		p->len[p->n] = toml_table_key_len(t, i);
		p->n++;
		if (table) {
			put_header(o, p, false);
			put_table(o, v, p);
		} else {
			for (k = 0; k < toml_array_len(v); k++) {
				put_header(o, p, true);
				put_table(o, toml_array_at(v, k), p);
			}
		}
		p->n--;
	}
}

int toml_write(const struct toml_value *root, char **ret_buf, size_t *ret_len)
{
	struct toml_out o = { 0 };
	struct path *p;

	if (toml_type(root) != TOML_TABLE)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	put(&o, "", 0); /* an empty table is an empty document, still NUL-terminated */
	put_table(&o, root, p);
	free(p);
	if (o.err) {
		free(o.data);
		return o.err;
	}
	/* drop the blank line put before the first header of a document without plain keys */
	if (o.len && o.data[0] == '\n') {
		memmove(o.data, o.data + 1, o.len);
		o.len--;
	}
	*ret_buf = o.data;
	if (ret_len)
		*ret_len = o.len;
	return 0;
}
