/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/record/recset.c (with the capture table of lib/record/argcap.c): the recorder's
 * observations are distinct (ABI, number, captured arguments) in first-seen order; only
 * the arguments that decide are kept, normalised to the bits that matter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "record/record.h"

static uint32_t nr_of(const char *arch, const char *name)
{
	return sc_syscall_lookup(sc_arch_lookup(arch), name)->nr;
}

static int add(struct rec_set *s, const char *arch, const char *name, uint64_t a0, uint64_t a1,
	       uint64_t a2)
{
	const uint64_t args[6] = { a0, a1, a2, 0xaaaa, 0xbbbb, 0xcccc };

	return rec_set_add_call(s, sc_arch_lookup(arch), nr_of(arch, name), args);
}

static void calls_without_capture_dedup_by_number(void **state)
{
	struct rec_set *s = rec_set_new();
	const struct rec_obs *o;

	(void)state;
	assert_int_equal(rec_set_count(s), 0);
	assert_null(rec_set_at(s, 0));
	assert_int_equal(add(s, "x86_64", "read", 0, 0x1000, 10), 1);
	assert_int_equal(add(s, "x86_64", "read", 7, 0x2000, 99), 0); /* arguments not kept */
	assert_int_equal(add(s, "x86_64", "write", 1, 0, 0), 1);
	assert_int_equal(add(s, "x86", "read", 0, 0, 0), 1);         /* another ABI */
	assert_int_equal(add(s, "x86_64", "read", 0, 0, 0), 0);
	assert_int_equal(rec_set_count(s), 3);
	/* First-seen order. */
	o = rec_set_at(s, 0);
	assert_ptr_equal(o->arch, sc_arch_lookup("x86_64"));
	assert_int_equal(o->nr, 0);
	assert_int_equal(o->nargs, 0);
	assert_int_equal(rec_set_at(s, 1)->nr, 1);
	assert_ptr_equal(rec_set_at(s, 2)->arch, sc_arch_lookup("x86"));
	assert_int_equal(rec_set_at(s, 2)->nr, 3);
	assert_null(rec_set_at(s, 3));
	rec_set_free(s);
}

static void deciding_arguments_are_captured(void **state)
{
	struct rec_set *s = rec_set_new();
	const struct rec_obs *o;

	(void)state;
	/* ioctl: the request decides; the fd does not; the upper half of an int is not read. */
	assert_int_equal(add(s, "x86_64", "ioctl", 3, 0x5401, 0), 1);
	assert_int_equal(add(s, "x86_64", "ioctl", 4, 0x5401, 0x7fff0000), 0);
	assert_int_equal(add(s, "x86_64", "ioctl", 3, 0xdead000000005401ULL, 0), 0);
	assert_int_equal(add(s, "x86_64", "ioctl", 3, 0x5412, 0), 1);
	o = rec_set_at(s, 0);
	assert_int_equal(o->nargs, 1);
	assert_int_equal(o->argi[0], 1);
	assert_int_equal(o->argv[0], 0x5401);
	assert_int_equal(rec_set_at(s, 1)->argv[0], 0x5412);

	/* socket: family, type without SOCK_NONBLOCK|SOCK_CLOEXEC, protocol. */
	assert_int_equal(add(s, "x86_64", "socket", 2, 1 | 0x80000 | 0x800, 6), 1);
	assert_int_equal(add(s, "x86_64", "socket", 2, 1, 6), 0);
	assert_int_equal(add(s, "x86_64", "socket", 10, 1, 6), 1);
	o = rec_set_at(s, 2);
	assert_int_equal(o->nargs, 3);
	assert_int_equal(o->argi[0], 0);
	assert_int_equal(o->argi[1], 1);
	assert_int_equal(o->argi[2], 2);
	assert_int_equal(o->argv[0], 2);
	assert_int_equal(o->argv[1], 1);
	assert_int_equal(o->argv[2], 6);

	/* openat: access mode, O_CREAT and O_TRUNC kept; O_CLOEXEC, O_NONBLOCK dropped. */
	assert_int_equal(add(s, "x86_64", "openat", (uint64_t)-100, 0, 0x80000 | 0x800), 1);
	assert_int_equal(add(s, "x86_64", "openat", 5, 0, 0), 0);
	assert_int_equal(add(s, "x86_64", "openat", 5, 0, 0x241), 1); /* O_WRONLY|O_CREAT|O_TRUNC */
	o = rec_set_at(s, 4);
	assert_int_equal(o->nargs, 1);
	assert_int_equal(o->argi[0], 2);
	assert_int_equal(o->argv[0], 0);
	assert_int_equal(rec_set_at(s, 5)->argv[0], 0x241);

	/* mmap: only whether the memory is executable. */
	assert_int_equal(add(s, "x86_64", "mmap", 0, 4096, 3), 1);
	assert_int_equal(add(s, "x86_64", "mmap", 0, 8192, 1), 0);
	assert_int_equal(add(s, "x86_64", "mmap", 0, 4096, 5), 1);
	assert_int_equal(rec_set_at(s, 6)->argv[0], 0);
	assert_int_equal(rec_set_at(s, 7)->argv[0], 4);
	assert_int_equal(rec_set_count(s), 8);
	rec_set_free(s);
}

static void the_capture_table(void **state)
{
	const struct argcap *c = NULL;

	(void)state;
	assert_true(argcap_count() > 20);
	assert_int_equal(argcap_lookup("socket", &c), 3);
	assert_string_equal(c[0].arg, "family");
	assert_int_equal(c[0].keep_mask, UINT64_MAX);
	assert_string_equal(c[1].arg, "type");
	assert_int_equal(c[1].keep_mask, ~UINT64_C(0x80800));
	assert_int_equal(argcap_lookup("mmap", &c), 1);
	assert_int_equal(c[0].keep_mask, 4);
	assert_int_equal(argcap_lookup("read", &c), 0);
	for (size_t i = 0; i < argcap_count(); i++)
		assert_true(argcap_at(i)->why[0] != '\0');
	assert_null(argcap_at(argcap_count()));
}

static void many_observations_grow_the_set(void **state)
{
	struct rec_set *s = rec_set_new();

	(void)state;
	for (uint64_t sig = 0; sig < 5000; sig++)
		assert_int_equal(add(s, "x86_64", "kill", 1, sig, 0), 1);
	for (uint64_t sig = 0; sig < 5000; sig++)
		assert_int_equal(add(s, "x86_64", "kill", 2, sig, 0), 0);
	assert_int_equal(rec_set_count(s), 5000);
	for (size_t i = 0; i < 5000; i++)
		assert_int_equal(rec_set_at(s, i)->argv[0], i);
	rec_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calls_without_capture_dedup_by_number),
		cmocka_unit_test(deciding_arguments_are_captured),
		cmocka_unit_test(the_capture_table),
		cmocka_unit_test(many_observations_grow_the_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
