/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for lib/base/diag.c and lib/base/file-write.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "seccompose.h"

static char *print_to_string(const struct sc_diag *d)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sc_diag_print(d, f);
	fclose(f);
	return buf;
}

static void gnu_form_with_caret(void **state)
{
	const char src[] = "a = 1\nsyscalls = [\"opneat\", \"read\"]\n";
	struct sc_diag d;

	(void)state;
	sc_diag_set(&d, "policy.toml", src, sizeof(src) - 1, 2, 14, 6, "unknown syscall '%s'", "opneat");
	sc_diag_hint(&d, "did you mean '%s'?", "openat");
	assert_string_equal(print_to_string(&d),
			    "policy.toml:2:14: error: unknown syscall 'opneat'\n"
			    "     2 | syscalls = [\"opneat\", \"read\"]\n"
			    "       |              ^^^^^^\n"
			    "hint: did you mean 'openat'?\n");
}

static void tabs_expand_to_eight(void **state)
{
	const char src[] = "\tx = y\n";
	struct sc_diag d;

	(void)state;
	sc_diag_set(&d, "f", src, sizeof(src) - 1, 1, 6, 1, "bad");
	assert_string_equal(print_to_string(&d), "f:1:6: error: bad\n"
						 "     1 |         x = y\n"
						 "       |             ^\n");
}

static void columns_count_characters(void **state)
{
	const char src[] = "name = \"é\" x\n";
	struct sc_diag d;

	(void)state;
	sc_diag_set(&d, "f", src, sizeof(src) - 1, 1, 12, 1, "bad");
	assert_string_equal(print_to_string(&d), "f:1:12: error: bad\n"
						 "     1 | name = \"é\" x\n"
						 "       |            ^\n");
}

static void no_place(void **state)
{
	struct sc_diag d;

	(void)state;
	sc_diag_set(&d, NULL, NULL, 0, 0, 0, 0, "no policy given");
	assert_string_equal(print_to_string(&d), "seccompose: error: no policy given\n");
	d.warning = true;
	assert_string_equal(print_to_string(&d), "seccompose: warning: no policy given\n");
}

/* A 1 MB name is quoted as a line's worth, cut with "…"; the long line is shown as a window
 * around the column, with carets only under what is shown. */
static void long_input_is_quoted_short(void **state)
{
	size_t n = 1 << 20;
	char *src = malloc(n + 32), *out;
	struct sc_diag d;

	(void)state;
	memcpy(src, "names = [\"", 10);
	memset(src + 10, 'x', n);
	memcpy(src + 10 + n, "\"]\n", 4);
	sc_diag_set(&d, "p.toml", src, n + 14, 1, 11, (unsigned)n, "unknown syscall '%.*s'", (int)n,
		    src + 10);
	out = print_to_string(&d);
	for (char *l = out; *l; l = strchr(l, '\n') + 1)
		assert_true(strcspn(l, "\n") < 200);
	assert_non_null(strstr(out, "p.toml:1:11: error: unknown syscall 'xxx"));
	assert_non_null(strstr(out, "\xe2\x80\xa6'\n")); /* cut, the closing quote kept */
	free(src);
}

/* No source text (a file that could not be read): nothing to quote, and no arithmetic on
 * the NULL pointer (UBSan: "applying zero offset to null pointer", found by fuzzing). */
static void no_source_text(void **state)
{
	struct sc_diag d;

	(void)state;
	sc_diag_set(&d, "f", NULL, 0, 3, 2, 1, "bad");
	assert_string_equal(print_to_string(&d), "f:3:2: error: bad\n");
}

static void atomic_write_replaces_whole(void **state)
{
	char dir[] = "/tmp/sc-atomic-XXXXXX", path[256];
	char buf[64] = { 0 };
	FILE *f;
	DIR *dh;
	struct dirent *e;
	int entries = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	assert_int_equal(sc_file_write_atomic(path, "old", 3), 0);
	assert_int_equal(sc_file_write_atomic(path, "new!", 4), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 4);
	fclose(f);
	assert_string_equal(buf, "new!");
	dh = opendir(dir); /* no temporary left behind */
	while ((e = readdir(dh)))
		entries += e->d_name[0] != '.';
	closedir(dh);
	assert_int_equal(entries, 1);
	/* A directory that does not exist: an error, nothing created. */
	snprintf(path, sizeof(path), "%s/missing/out.json", dir);
	assert_true(sc_file_write_atomic(path, "x", 1) < 0);
	snprintf(path, sizeof(path), "%s/out.json", dir);
	unlink(path);
	rmdir(dir);
}

static void read_whole_or_refuse(void **state)
{
	char dir[] = "/tmp/sc-read-XXXXXX", path[256], *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/in", dir);
	assert_int_equal(sc_file_write_atomic(path, "abc\n", 4), 0);
	assert_int_equal(sc_file_read(path, 0, &buf, &len), 0);
	assert_int_equal(len, 4);
	assert_string_equal(buf, "abc\n");
	free(buf);
	assert_int_equal(sc_file_read(path, 3, &buf, &len), -EFBIG); /* the bound holds */
	unlink(path);
	assert_int_equal(sc_file_read(path, 0, &buf, &len), -ENOENT);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnu_form_with_caret),
		cmocka_unit_test(tabs_expand_to_eight),
		cmocka_unit_test(columns_count_characters),
		cmocka_unit_test(no_place),
		cmocka_unit_test(long_input_is_quoted_short),
		cmocka_unit_test(no_source_text),
		cmocka_unit_test(atomic_write_replaces_whole),
		cmocka_unit_test(read_whole_or_refuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
