/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for lib/base/suggest.c: the "did you mean" picks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seccompose.h"
#include "base/suggest.h"

static void distance_weights(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("openat", "openat"), 0);
	assert_int_equal(suggest_distance("opneat", "openat"), 0); /* a swap is free */
	assert_int_equal(suggest_distance("opena", "openat"), 1);  /* a dropped letter */
	assert_int_equal(suggest_distance("openatt", "openat"), 3);
	assert_int_equal(suggest_distance("opxnat", "openat"), 2);
	assert_int_equal(suggest_distance("OPENAT", "openat"), 0);
}

static void syscall_suggestions(void **state)
{
	const char *best[4];
	const struct sc_arch *x86_64 = sc_arch_lookup("x86_64");
	size_t n;

	(void)state;
	n = sc_syscall_suggest(x86_64, "opneat", best, 4);
	assert_true(n >= 1);
	assert_string_equal(best[0], "openat");
	n = sc_syscall_suggest(x86_64, "exceve", best, 4);
	assert_true(n >= 1);
	assert_string_equal(best[0], "execve");
	n = sc_syscall_suggest(x86_64, "clock_get", best, 4); /* a prefix */
	assert_true(n >= 1);
	n = sc_syscall_suggest(x86_64, "zzzzzzzzzz", best, 4);
	assert_int_equal(n, 0);
}

static void ties_and_dedup(void **state)
{
	const char *cands[] = { "read", "read", "readv", "ready" };
	const char *best[4];
	size_t n;

	(void)state;
	n = sc_suggest("rea", cands, 4, best, 4);
	assert_int_equal(n, 3); /* the prefix matches, "read" once */
	n = sc_suggest("read", cands, 4, best, 4);
	assert_int_equal(n, 2); /* the exact word itself is not a suggestion */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distance_weights),
		cmocka_unit_test(syscall_suggestions),
		cmocka_unit_test(ties_and_dedup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
