/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/text/toml.c and lib/text/toml-write.c: the error messages verbatim with their
 * places, the places of values and keys, and the edges (64-bit limits, bad UTF-8, nesting
 * limits, NUL in strings, floats and dates). Compliance as a whole is tests/toml-test/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <math.h>
#include <cmocka.h>

#include "text/toml.h"

static struct toml_value *parse_ok(const char *doc)
{
	struct toml_error err;
	struct toml_value *root = toml_parse(doc, strlen(doc), &err);

	if (!root)
		fail_msg("unexpected error %u:%u: %s\n--- in:\n%s", err.line, err.col, err.msg,
			 doc);
	return root;
}

/* @doc (of @len bytes) must fail at @line:@col with exactly @msg. */
static void expect_errorn(const char *doc, size_t len, unsigned line, unsigned col,
			  const char *msg)
{
	struct toml_error err;
	struct toml_value *root;

	memset(&err, 0, sizeof(err));
	root = toml_parse(doc, len, &err);
	if (root) {
		toml_free(root);
		fail_msg("accepted: %s", doc);
	}
	if (strcmp(err.msg, msg) != 0 || err.line != line || err.col != col)
		fail_msg("expected %u:%u: %s\n     got %u:%u: %s", line, col, msg, err.line,
			 err.col, err.msg);
}

static void expect_error(const char *doc, unsigned line, unsigned col, const char *msg)
{
	expect_errorn(doc, strlen(doc), line, col, msg);
}

static void expect_reject(const char *doc, size_t len)
{
	struct toml_error err;
	struct toml_value *root = toml_parse(doc, len, &err);

	if (root) {
		toml_free(root);
		fail_msg("accepted: %.*s", (int)len, doc);
	}
	assert_true(err.line >= 1 && err.col >= 1 && err.msg[0]);
}

/* --- messages ---------------------------------------------------------------------- */

static void messages_say_expected_and_found(void **state)
{
	(void)state;
	expect_error("a = 1\nb x = 2\n", 2, 3, "expected '=' after key, found 'x'");
	expect_error("a =\n", 1, 4, "expected a value, found end of line");
	expect_error("a =", 1, 4, "expected a value, found end of file");
	expect_error("a = yes\n", 1, 5, "expected a value, found 'yes'");
	expect_error("a = 1 b = 2\n", 1, 7, "expected end of line after the value, found 'b'");
	expect_error("a = [1, 2\n", 2, 1,
		     "expected ',' or ']' after an array element, found end of file");
	expect_error("a = [1 2]\n", 1, 8, "expected ',' or ']' after an array element, found '2'");
	expect_error("a = {b = 1,}\n", 1, 11, "a trailing comma is not allowed in an inline table");
	expect_error("a = {b = 1\n}\n", 1, 11,
		     "expected ',' or '}' after a key/value in an inline table, found end of line "
		     "(an inline table must be on one line)");
	expect_error("= 1\n", 1, 1, "expected a key, found '='");
	expect_error("[a\n", 1, 3, "expected ']' after the table name, found end of line");
	expect_error("[[a]\n", 1, 4, "expected ']]' after the table name, found ']'");
	expect_error("a = \"abc\n", 1, 9, "expected '\"' to close the string, found end of line");
	expect_error("a = '''\nabc", 2, 4,
		     "expected \"'''\" to close the string opened at 1:5, found end of file");
	expect_error("a = \"\\q\"\n", 1, 6, "invalid escape sequence '\\q'");
	expect_error("a = \"\\uD800\"\n", 1, 6, "'\\uD800' is not a Unicode scalar value");
	expect_error("a = \"\\U00110000\"\n", 1, 6, "'\\U00110000' is not a Unicode scalar value");
	expect_error("a = \"\\u12\"\n", 1, 10,
		     "expected 4 hexadecimal digits after '\\u', found '\"'");
}

static void messages_for_tables(void **state)
{
	(void)state;
	expect_error("a = 1\na = 2\n", 2, 1, "duplicate key 'a' (first defined at 1:1)");
	expect_error("[t]\nx.y = 1\nx.y = 2\n", 3, 3,
		     "duplicate key 't.x.y' (first defined at 2:3)");
	expect_error("[a]\n[a]\n", 2, 2, "table 'a' is already defined (at 1:1)");
	expect_error("[a]\nb.c = 1\n[a.b]\n", 3, 4, "table 'a.b' is already defined (at 2:1)");
	expect_error("a = 1\n[a.b]\n", 2, 2,
		     "key 'a' is already an integer (defined at 1:1), so it cannot hold a [table]");
	expect_error("a = {}\na.b = 1\n", 2, 1,
		     "cannot add keys to inline table 'a' (defined at 1:1): inline tables are "
		     "complete as written");
	expect_error("[a.b.c]\n[a]\nb.c.d = 1\n", 3, 1,
		     "cannot add keys to table 'a.b' with a dotted key: it was made by a [table] "
		     "header");
	expect_error("a = []\n[[a]]\n", 2, 3,
		     "cannot append to 'a' with [[a]]: it is already an array (defined at 1:1)");
	expect_error("[[a]]\n[a]\n", 2, 2,
		     "key 'a' is already an array of tables (defined at 1:3)");
	expect_error("\"a b\" = 1\n\"a b\" = 2\n", 2, 1,
		     "duplicate key '\"a b\"' (first defined at 1:1)");
}

static void messages_for_numbers_and_dates(void **state)
{
	(void)state;
	expect_error("a = 9223372036854775808\n", 1, 5,
		     "integer '9223372036854775808' does not fit in 64 bits");
	expect_error("a = -9223372036854775809\n", 1, 5,
		     "integer '-9223372036854775809' does not fit in 64 bits");
	expect_error("a = 0x8000000000000000\n", 1, 5,
		     "integer '0x8000000000000000' does not fit in 64 bits");
	expect_error("a = 012\n", 1, 5, "leading zeros are not allowed in '012'");
	expect_error("a = 1__2\n", 1, 7, "expected a digit after '_', found '_2'");
	expect_error("a = 1_\n", 1, 7, "expected a digit after '_', found end of line");
	expect_error("a = -0x1\n", 1, 5, "a hexadecimal integer may not have a sign");
	expect_error("a = 0o8\n", 1, 7, "expected an octal digit after '0o', found '8'");
	expect_error("a = 1.\n", 1, 7,
		     "expected a digit after the decimal point, found end of line");
	expect_error("a = 1e\n", 1, 7, "expected a digit in the exponent, found end of line");
	expect_error("a = 1e400\n", 1, 5, "float '1e400' is out of range");
	expect_error("a = 0x\n", 1, 7,
		     "expected a hexadecimal digit after '0x', found end of line");
	expect_error("a = 2023-02-29\n", 1, 13, "day of month 29 is out of range (01 to 28)");
	expect_error("a = 1900-02-29\n", 1, 13, "day of month 29 is out of range (01 to 28)");
	expect_error("a = 2023-13-01\n", 1, 10, "month 13 is out of range (01 to 12)");
	expect_error("a = 2023-1-01\n", 1, 10, "expected a 2-digit month, found '1'");
	expect_error("a = 24:00:00\n", 1, 5, "hour 24 is out of range (00 to 23)");
	expect_error("a = 23:60:00\n", 1, 8, "minute 60 is out of range (00 to 59)");
	expect_error("a = 23:59:61\n", 1, 11, "second 61 is out of range (00 to 60)");
	expect_error("a = 23:59\n", 1, 10, "expected ':' after the minute, found end of line");
	expect_error("a = 23:59:00.\n", 1, 14,
		     "expected a digit after the decimal point in the seconds, found end of line");
	expect_error("a = 2023-01-01T00:00:00+24:00\n", 1, 25,
		     "offset hour 24 is out of range (00 to 23)");
	expect_error("a = 2023-01-01T00:00:00x\n", 1, 24,
		     "expected 'Z' or an offset like '+01:00' after the time, found 'x'");
	expect_error("a = 12023-01-01\n", 1, 5, "expected a 4-digit year, found '12023'");
}

/* Columns count characters: a tab is one, "é" (two bytes) is one. */
static void columns_count_characters(void **state)
{
	(void)state;
	expect_error("a = \"é\" y\n", 1, 9, "expected end of line after the value, found 'y'");
	expect_error("\ta = 1 x\n", 1, 8, "expected end of line after the value, found 'x'");
	expect_error("# 日本語\n\"日本\" = 1 z\n", 2, 10,
		     "expected end of line after the value, found 'z'");
	/* a byte order mark is not a column */
	expect_error("\xef\xbb\xbf" "a = 1 z\n", 1, 7,
		     "expected end of line after the value, found 'z'");
	/* CRLF lines count like LF lines */
	expect_error("a = 1\r\nb = 2\r\nc = x\r\n", 3, 5, "expected a value, found 'x'");
}

static void control_characters(void **state)
{
	(void)state;
	expect_error("a = 1\rb = 2\n", 1, 6,
		     "expected a line feed after a carriage return, found 'b'");
	expect_errorn("a = \"\0\"\n", 8, 1, 6,
		      "control character U+0000 must be escaped in a string");
	expect_errorn("a = 1\0\n", 7, 1, 6,
		      "expected end of line after the value, found control character U+0000");
	expect_error("# \x7f\n", 1, 3, "control character U+007F is not allowed in a comment");
	expect_error("a = 'x\x01'\n", 1, 7,
		     "control character U+0001 must be escaped in a literal string");
	expect_error("a = \"\"\"\x1b\"\"\"\n", 1, 8,
		     "control character U+001B must be escaped in a multi-line string");
}

/* --- UTF-8 ------------------------------------------------------------------------- */

static void bad_utf8_is_rejected(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong, 3 bytes */
		"\xf0\x80\x80\xaf", /* overlong, 4 bytes */
		"\xed\xa0\x80",     /* U+D800, a surrogate */
		"\xed\xbf\xbf",     /* U+DFFF */
		"\xf4\x90\x80\x80", /* U+110000 */
		"\xf8\x88\x80\x80\x80",
		"\x80",             /* a lone continuation byte */
		"\xe2\x82",         /* truncated */
		"\xff",
	};
	char doc[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = snprintf(doc, sizeof(doc), "a = \"%s\"\n", bad[i]);
		expect_reject(doc, (size_t)n);
		n = snprintf(doc, sizeof(doc), "a = '%s'\n", bad[i]);
		expect_reject(doc, (size_t)n);
		n = snprintf(doc, sizeof(doc), "a = 1 # %s\n", bad[i]);
		expect_reject(doc, (size_t)n);
		n = snprintf(doc, sizeof(doc), "\"%s\" = 1\n", bad[i]);
		expect_reject(doc, (size_t)n);
		/* truncated at the very end of the input, too */
		n = snprintf(doc, sizeof(doc), "a = 1 # %s", bad[i]);
		expect_reject(doc, (size_t)n);
	}
	expect_error("a = \"\xed\xa0\x80\"\n", 1, 6, "invalid UTF-8 in a string (byte 0xED)");
	expect_error("# \xc3\n", 1, 3, "invalid UTF-8 in a comment (byte 0xC3)");
}

static void good_utf8_is_kept(void **state)
{
	struct toml_value *root;

	(void)state;
	root =
	    parse_ok("a = \"\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xef\xbf\xbf \\U0001F600\\u00e9\"\n");
	assert_string_equal(
	    toml_string(toml_table_get(root, "a")),
	    "\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xef\xbf\xbf \xf0\x9f\x98\x80\xc3\xa9");
	toml_free(root);
}

/* --- values ------------------------------------------------------------------------ */

static void integers_at_the_64_bit_edges(void **state)
{
	struct toml_value *root;

	(void)state;
	root = parse_ok("max = 9223372036854775807\nmin = -9223372036854775808\n"
			"hex = 0x7FFF_FFFF_FFFF_FFFF\noct = 0o777777777777777777777\n"
			"bin = 0b111111111111111111111111111111111111111111111111111111111111111\n"
			"zero = -0\nplus = +1_000\nh = 0xdead_BEEF\n");
	assert_true(toml_integer(toml_table_get(root, "max")) == INT64_MAX);
	assert_true(toml_integer(toml_table_get(root, "min")) == INT64_MIN);
	assert_true(toml_integer(toml_table_get(root, "hex")) == INT64_MAX);
	assert_true(toml_integer(toml_table_get(root, "oct")) == INT64_MAX);
	assert_true(toml_integer(toml_table_get(root, "bin")) == INT64_MAX);
	assert_true(toml_integer(toml_table_get(root, "zero")) == 0);
	assert_true(toml_integer(toml_table_get(root, "plus")) == 1000);
	assert_true(toml_integer(toml_table_get(root, "h")) == 0xdeadbeef);
	toml_free(root);
	expect_reject("a = 0b1111111111111111111111111111111111111111111111111111111111111111\n",
		      70);
	expect_reject("a = 0o1000000000000000000000\n", 29);
	expect_reject("a = 99999999999999999999999999999\n", 34);
}

static void floats(void **state)
{
	struct toml_value *root;
	char buf[32];

	(void)state;
	root = parse_ok("a = 3.14\nb = -0.0\nc = 1e1_0\nd = +inf\ne = -inf\nf = nan\ng = -nan\n"
			"h = 6.626e-34\ni = 5e-324\nj = 1.7976931348623157e308\nk = 0.1\n");
	assert_true(toml_float(toml_table_get(root, "a")) == 3.14);
	assert_true(signbit(toml_float(toml_table_get(root, "b"))));
	assert_true(toml_float(toml_table_get(root, "c")) == 1e10);
	assert_true(isinf(toml_float(toml_table_get(root, "d"))));
	assert_true(toml_float(toml_table_get(root, "e")) < 0);
	assert_true(isnan(toml_float(toml_table_get(root, "f"))));
	assert_true(isnan(toml_float(toml_table_get(root, "g"))));
	assert_true(toml_float(toml_table_get(root, "h")) == 6.626e-34);
	assert_true(toml_float(toml_table_get(root, "i")) == 5e-324);
	assert_true(toml_float(toml_table_get(root, "j")) == 1.7976931348623157e308);
	toml_free(root);

	/* shortest text that reads back the same, always recognisably a float */
	toml_format_double(0.1, buf);
	assert_string_equal(buf, "0.1");
	toml_format_double(100, buf);
	assert_string_equal(buf, "100.0");
	toml_format_double(-0.0, buf);
	assert_string_equal(buf, "-0.0");
	toml_format_double(1e300, buf);
	assert_string_equal(buf, "1e+300");
	toml_format_double(5e-324, buf);
	assert_string_equal(buf, "5e-324");
	toml_format_double(1.0 / 3, buf);
	assert_string_equal(buf, "0.3333333333333333");
	toml_format_double(1.7976931348623157e308, buf);
	assert_string_equal(buf, "1.7976931348623157e+308");
	toml_format_double(-INFINITY, buf);
	assert_string_equal(buf, "-inf");
	toml_format_double(NAN, buf);
	assert_string_equal(buf, "nan");
}

/*
 * A locale with a decimal comma must not change how floats read or print. Machines often
 * have none installed: then build one with localedef into a temporary LOCPATH.
 */
static void floats_ignore_the_locale(void **state)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8" };
	char dir[] = "/tmp/test-toml-locale-XXXXXX", cmd[256];
	struct toml_value *root;
	bool made = false, have = false, tested = false;
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !have; i++)
		have = setlocale(LC_NUMERIC, names[i]) != NULL;
	if (!have && mkdtemp(dir)) {
		made = true;
		snprintf(cmd, sizeof(cmd),
			 "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
		if (system(cmd) == 0 && setenv("LOCPATH", dir, 1) == 0)
			have = setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
	}
	if (have && strcmp(localeconv()->decimal_point, ",") == 0) {
		root = parse_ok("a = 2.5\n");
		toml_format_double(2.5, buf);
		setlocale(LC_NUMERIC, "C");
		assert_true(toml_float(toml_table_get(root, "a")) == 2.5);
		assert_string_equal(buf, "2.5");
		toml_free(root);
		tested = true;
	}
	setlocale(LC_NUMERIC, "C");
	if (made) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fail_msg("could not remove %s", dir);
		unsetenv("LOCPATH");
	}
	if (!tested)
		skip(); /* no locale with a decimal comma, and none could be made */
}

static void strings_of_every_kind(void **state)
{
	struct toml_value *root;
	const struct toml_value *v;

	(void)state;
	root = parse_ok("a = \"\\b\\t\\n\\f\\r\\\"\\\\\\u0041\\U00000042\"\n"
			"b = 'C:\\path\\'\n"
			"c = \"\"\"\nline1\n  line2 \\\n    line3\"\"\"\n"
			"d = '''\nraw \\n ''text'''''\n"
			"e = \"\"\"two quotes at the end\"\"\"\"\"\n"
			"f = \"nul\\u0000inside\"\n"
			"g = \"\"\"crlf\r\nline\"\"\"\n");
	assert_string_equal(toml_string(toml_table_get(root, "a")), "\b\t\n\f\r\"\\AB");
	assert_string_equal(toml_string(toml_table_get(root, "b")), "C:\\path\\");
	assert_string_equal(toml_string(toml_table_get(root, "c")), "line1\n  line2 line3");
	assert_string_equal(toml_string(toml_table_get(root, "d")), "raw \\n ''text''");
	assert_string_equal(toml_string(toml_table_get(root, "e")), "two quotes at the end\"\"");
	v = toml_table_get(root, "f");
	assert_int_equal(toml_string_len(v), 10);
	assert_memory_equal(toml_string(v), "nul\0inside", 11);
	assert_string_equal(toml_string(toml_table_get(root, "g")), "crlf\nline");
	toml_free(root);
	expect_error("a = \"\"\"x\"\"\"\"\"\"\n", 1, 14,
		     "too many quotes at the end of a multi-line string");
	expect_error("a = \"\"\"x\\ y\"\"\"\n", 1, 9,
		     "a backslash followed by spaces must end the line in a multi-line string");
	expect_error("\"\"\"k\"\"\" = 1\n", 1, 1, "expected a key, found a multi-line string");
}

static void dates_and_times(void **state)
{
	struct toml_value *root;
	const struct toml_datetime *dt;
	const struct toml_value *v;

	(void)state;
	root = parse_ok("a = 1979-05-27t07:32:00.999999999999z\n"
			"b = 1979-05-27 07:32:00-07:30\n"
			"c = 2000-02-29T23:59:60\n"
			"d = 2024-02-29\n"
			"e = 00:00:00.5\n"
			"f = 1979-05-27 # a date, then a comment\n");
	v = toml_table_get(root, "a");
	assert_int_equal(toml_type(v), TOML_DATETIME);
	assert_string_equal(toml_datetime_text(v), "1979-05-27T07:32:00.999999999Z");
	dt = toml_datetime(v);
	assert_int_equal(dt->nanosecond, 999999999); /* truncated, not rounded */
	assert_true(dt->offset_z);
	v = toml_table_get(root, "b");
	assert_string_equal(toml_datetime_text(v), "1979-05-27T07:32:00-07:30");
	assert_int_equal(toml_datetime(v)->offset_minutes, -450);
	v = toml_table_get(root, "c");
	assert_int_equal(toml_type(v), TOML_DATETIME_LOCAL);
	assert_int_equal(toml_datetime(v)->second, 60);
	v = toml_table_get(root, "d");
	assert_int_equal(toml_type(v), TOML_DATE_LOCAL);
	assert_string_equal(toml_datetime_text(v), "2024-02-29");
	v = toml_table_get(root, "e");
	assert_int_equal(toml_type(v), TOML_TIME_LOCAL);
	assert_string_equal(toml_datetime_text(v), "00:00:00.5");
	assert_int_equal(toml_datetime(v)->nanosecond, 500000000);
	assert_int_equal(toml_type(toml_table_get(root, "f")), TOML_DATE_LOCAL);
	toml_free(root);
}

/* --- places ------------------------------------------------------------------------ */

static void assert_pos(const struct toml_value *v, unsigned line, unsigned col)
{
	assert_non_null(v);
	if (toml_line(v) != line || toml_col(v) != col)
		fail_msg("expected %u:%u, got %u:%u", line, col, toml_line(v), toml_col(v));
}

static void values_and_keys_keep_their_place(void **state)
{
	static const char doc[] = "# policy\n"                               /* 1 */
				  "name = \"x\"\n"                               /* 2 */
				  "[[syscalls]]\n"                               /* 3 */
				  "names = [\"read\",\n"                         /* 4 */
				  "\t\"écrire\", 'write']\n"                    /* 5 */
				  "cond = { arg.index = 1, value = 0x10 }\n"    /* 6 */
				  "[table.sub]\n"                                /* 7 */
				  "  when = 1979-05-27\n";                       /* 8 */
	struct toml_value *root = parse_ok(doc);
	const struct toml_value *sc, *t, *names, *cond;

	(void)state;
	assert_pos(root, 1, 1);
	assert_pos(toml_table_get(root, "name"), 2, 8);
	assert_int_equal(toml_table_key_line(root, 0), 2);
	assert_int_equal(toml_table_key_col(root, 0), 1);
	sc = toml_table_get(root, "syscalls");
	assert_pos(sc, 3, 1);
	t = toml_array_at(sc, 0);
	assert_pos(t, 3, 1);
	names = toml_table_get(t, "names");
	assert_pos(names, 4, 9);
	assert_pos(toml_array_at(names, 0), 4, 10);
	assert_pos(toml_array_at(names, 1), 5, 2);
	assert_pos(toml_array_at(names, 2), 5, 12); /* "écrire" is 8 characters, 9 bytes */
	cond = toml_table_get(t, "cond");
	assert_pos(cond, 6, 8);
	assert_pos(toml_table_get(cond, "arg"), 6, 10);
	assert_pos(toml_table_get(toml_table_get(cond, "arg"), "index"), 6, 22);
	assert_int_equal(toml_table_key_col(toml_table_get(cond, "arg"), 0), 14);
	assert_pos(toml_table_get(cond, "value"), 6, 33);
	assert_pos(toml_table_get(root, "table"), 7, 2);               /* made on the way */
	assert_pos(toml_table_get(toml_table_get(root, "table"), "sub"), 7, 1); /* defined */
	assert_pos(toml_table_get(toml_table_get(toml_table_get(root, "table"), "sub"), "when"),
		   8, 10);
	toml_free(root);
}

static void tables_keep_key_order(void **state)
{
	struct toml_value *root;
	char doc[40000], key[16];
	size_t o = 0;

	(void)state;
	root = parse_ok("b = 1\na = 2\nc.z = 3\nc.a = 4\n[d]\n[0]\n");
	assert_int_equal(toml_table_len(root), 5);
	assert_string_equal(toml_table_key(root, 0), "b");
	assert_string_equal(toml_table_key(root, 1), "a");
	assert_string_equal(toml_table_key(root, 2), "c");
	assert_string_equal(toml_table_key(root, 3), "d");
	assert_string_equal(toml_table_key(root, 4), "0");
	assert_string_equal(toml_table_key(toml_table_get(root, "c"), 0), "z");
	toml_free(root);

	/* a big table (hash-indexed): every key found, order kept, duplicates caught */
	for (int i = 0; i < 2000; i++)
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "k%d = %d\n", (i * 7919) % 2000, i);
	root = parse_ok(doc);
	assert_int_equal(toml_table_len(root), 2000);
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k%d", (i * 7919) % 2000);
		assert_string_equal(toml_table_key(root, (size_t)i), key);
		assert_int_equal(toml_integer(toml_table_get(root, key)), i);
	}
	assert_null(toml_table_get(root, "k2000"));
	toml_free(root);
	snprintf(doc + o, sizeof(doc) - o, "k1999 = 0\n");
	expect_reject(doc, strlen(doc));
}

static void keys_may_hold_nul(void **state)
{
	struct toml_value *root = parse_ok("\"a\\u0000b\" = 1\n\"a\" = 2\n");

	(void)state;
	assert_int_equal(toml_table_len(root), 2);
	assert_int_equal(toml_table_key_len(root, 0), 3);
	assert_int_equal(toml_integer(toml_table_getn(root, "a\0b", 3)), 1);
	assert_int_equal(toml_integer(toml_table_get(root, "a")), 2);
	toml_free(root);
}

/* --- limits ------------------------------------------------------------------------ */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1), *p = s;

	assert_non_null(s);
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void nesting_is_limited(void **state)
{
	struct toml_error err;
	struct toml_value *root;
	char *doc, *open, *close;

	(void)state;
	/* the key's value is level 1, so 256 arrays fit */
	open = repeat("a = ", "[", 256, "");
	close = repeat(open, "]", 256, "\n");
	root = parse_ok(close);
	toml_free(root);
	free(open);
	free(close);
	open = repeat("a = ", "[", 257, "");
	close = repeat(open, "]", 257, "\n");
	expect_error(close, 1, 261, "values nested too deeply (the limit is 256 levels)");
	free(open);
	free(close);
	/* far deeper, unterminated: an error, not a stack overflow */
	doc = repeat("a = ", "[{b=", 200000, "");
	assert_null(toml_parse(doc, strlen(doc), &err));
	assert_string_equal(err.msg, "values nested too deeply (the limit is 256 levels)");
	free(doc);
	doc = repeat("a", ".a", 300, " = 1\n");
	expect_error(doc, 1, 513, "key has too many parts (the limit is 256)");
	free(doc);
	/* a [[header]] 256 keys deep: its array is level 256, the array's table 257 */
	doc = repeat("[[", "a.", 255, "b]]\n");
	expect_error(doc, 1, 1, "values nested too deeply (the limit is 256 levels)");
	free(doc);
	doc = repeat("[", "a.", 255, "b]\n");
	toml_free(parse_ok(doc));
	free(doc);
}

static void no_error_struct_needed(void **state)
{
	(void)state;
	assert_null(toml_parse("a = ", 4, NULL));
	assert_null(toml_free(NULL));
}

static void empty_documents(void **state)
{
	struct toml_value *root;

	(void)state;
	root = parse_ok("");
	assert_int_equal(toml_type(root), TOML_TABLE);
	assert_int_equal(toml_table_len(root), 0);
	toml_free(root);
	root = toml_parse(NULL, 0, NULL);
	assert_non_null(root);
	toml_free(root);
	root = parse_ok("\xef\xbb\xbf# only a comment\r\n\n   \t\n");
	assert_int_equal(toml_table_len(root), 0);
	toml_free(root);
}

static void accessors_are_type_safe(void **state)
{
	struct toml_value *root = parse_ok("s = 'x'\ni = 1\n");
	const struct toml_value *s = toml_table_get(root, "s");

	(void)state;
	assert_null(toml_table_get(s, "x"));
	assert_null(toml_array_at(s, 0));
	assert_int_equal(toml_array_len(s), 0);
	assert_int_equal(toml_table_len(s), 0);
	assert_null(toml_table_key(root, 5));
	assert_int_equal(toml_integer(s), 0);
	assert_null(toml_string(toml_table_get(root, "i")));
	assert_null(toml_datetime_text(s));
	assert_int_equal(toml_type(NULL), TOML_TYPE_COUNT);
	assert_int_equal(toml_line(NULL), 0);
	assert_null(toml_table_get(NULL, "a"));
	assert_string_equal(toml_type_name(TOML_DATETIME), "offset date-time");
	toml_free(root);
}

/* --- the writer -------------------------------------------------------------------- */

static void writer_layout(void **state)
{
	struct toml_value *root, *again;
	char *text;
	size_t len;

	(void)state;
	root =
	    parse_ok("t.x = 1\ntop = \"q\\\"\\u0001\"\nf = 2.0\n"
		     "[[syscalls]]\nnames = ['read', \"write\"]\naction = 'Allow'\n"
		     "cond = [{ index = 0, value = 1 }]\n"
		     "[[syscalls]]\nnames = []\n[syscalls.sub]\n\"a b\" = 1979-05-27T00:00:00z\n");
	assert_int_equal(toml_write(root, &text, &len), 0);
	assert_string_equal(text, "top = \"q\\\"\\u0001\"\n"
				  "f = 2.0\n"
				  "\n[t]\n"
				  "x = 1\n"
				  "\n[[syscalls]]\n"
				  "names = [\"read\", \"write\"]\n"
				  "action = \"Allow\"\n"
				  "cond = [{ index = 0, value = 1 }]\n"
				  "\n[[syscalls]]\n"
				  "names = []\n"
				  "\n[syscalls.sub]\n"
				  "\"a b\" = 1979-05-27T00:00:00Z\n");
	assert_int_equal(len, strlen(text));
	again = parse_ok(text);
	assert_true(toml_equal(root, again));
	toml_free(again);
	free(text);
	toml_free(root);
	assert_int_equal(toml_write(NULL, &text, &len), -22);
}

static void equality(void **state)
{
	struct toml_value *a = parse_ok("x = 1\ny = [nan, -0.0]\n");
	struct toml_value *b = parse_ok("y = [-nan, -0.0]\nx = 1\n");
	struct toml_value *c = parse_ok("x = 1\ny = [nan, 0.0]\n");
	struct toml_value *d = parse_ok("x = 1.0\ny = [nan, -0.0]\n");

	(void)state;
	assert_true(toml_equal(a, b)); /* tables are maps; every NaN equals every NaN */
	assert_false(toml_equal(a, c)); /* -0.0 is not 0.0 */
	assert_false(toml_equal(a, d)); /* 1 is not 1.0 */
	toml_free(a);
	toml_free(b);
	toml_free(c);
	toml_free(d);
}

/* Keys and strings up to 11 bytes are kept in the tree's nodes, longer ones apart: both read
 * back whole, with their lengths, NULs and places; a table's and an array's room grows past
 * its first; an array item freed early reads as absent while the rest stays. */
static void short_and_long_keys_and_strings(void **state)
{
	const char *doc = "k2345678901 = \"s2345678901\"\n"
			  "k23456789012 = \"s23456789012\"\n"
			  "\"a\\u0000b\" = \"x\\u0000y\"\n"
			  "t = { a = 1, b = 2, c = 3, d = 4, e = 5 }\n"
			  "[[r]]\nn = [\"read\", \"write\", \"a-rather-long-name\"]\n"
			  "[[r]]\nn = [\"close\"]\n"
			  "[[r]]\nn = []\n";
	struct toml_value *root = parse_ok(doc);
	const struct toml_value *t, *r, *n;

	(void)state;
	assert_string_equal(toml_table_key(root, 0), "k2345678901");
	assert_int_equal(toml_table_key_len(root, 0), 11);
	assert_string_equal(toml_string(toml_table_get(root, "k2345678901")), "s2345678901");
	assert_string_equal(toml_table_key(root, 1), "k23456789012");
	assert_int_equal(toml_table_key_len(root, 1), 12);
	assert_int_equal(toml_table_key_line(root, 1), 2);
	assert_int_equal(toml_table_key_col(root, 1), 1);
	assert_string_equal(toml_string(toml_table_get(root, "k23456789012")), "s23456789012");
	assert_int_equal(toml_string_len(toml_table_get(root, "k23456789012")), 12);
	assert_int_equal(toml_table_key_len(root, 2), 3);
	assert_memory_equal(toml_table_key(root, 2), "a\0b", 4);
	n = toml_table_getn(root, "a\0b", 3);
	assert_int_equal(toml_string_len(n), 3);
	assert_memory_equal(toml_string(n), "x\0y", 4);
	assert_int_equal(toml_col(n), 14);
	t = toml_table_get(root, "t");
	assert_int_equal(toml_table_len(t), 5);
	assert_string_equal(toml_table_key(t, 4), "e");
	assert_int_equal(toml_integer(toml_table_get(t, "d")), 4);
	r = toml_table_get(root, "r");
	assert_int_equal(toml_array_len(r), 3);
	n = toml_table_get(toml_array_at(r, 0), "n");
	assert_int_equal(toml_array_len(n), 3);
	assert_string_equal(toml_string(toml_array_at(n, 2)), "a-rather-long-name");

	toml_array_free_item((struct toml_value *)r, 0);
	assert_null(toml_array_at(r, 0));
	assert_int_equal(toml_type(toml_array_at(r, 0)), TOML_TYPE_COUNT);
	assert_int_equal(toml_array_len(r), 3);
	n = toml_table_get(toml_array_at(r, 1), "n");
	assert_string_equal(toml_string(toml_array_at(n, 0)), "close");
	toml_array_free_item((struct toml_value *)r, 0); /* again: nothing */
	toml_array_free_item((struct toml_value *)r, 3); /* past the end: nothing */
	toml_array_free_item(NULL, 0);
	toml_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(messages_say_expected_and_found),
		cmocka_unit_test(messages_for_tables),
		cmocka_unit_test(messages_for_numbers_and_dates),
		cmocka_unit_test(columns_count_characters),
		cmocka_unit_test(control_characters),
		cmocka_unit_test(bad_utf8_is_rejected),
		cmocka_unit_test(good_utf8_is_kept),
		cmocka_unit_test(integers_at_the_64_bit_edges),
		cmocka_unit_test(floats),
		cmocka_unit_test(floats_ignore_the_locale),
		cmocka_unit_test(strings_of_every_kind),
		cmocka_unit_test(dates_and_times),
		cmocka_unit_test(values_and_keys_keep_their_place),
		cmocka_unit_test(tables_keep_key_order),
		cmocka_unit_test(keys_may_hold_nul),
		cmocka_unit_test(nesting_is_limited),
		cmocka_unit_test(no_error_struct_needed),
		cmocka_unit_test(empty_documents),
		cmocka_unit_test(accessors_are_type_safe),
		cmocka_unit_test(writer_layout),
		cmocka_unit_test(equality),
		cmocka_unit_test(short_and_long_keys_and_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
