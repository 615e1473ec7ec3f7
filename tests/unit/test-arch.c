/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for lib/catalog/arch.c: every name resolves, audit values and quirks are right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "seccompose.h"

static void lookup_by_every_spelling(void **state)
{
	(void)state;
	static const struct {
		const char *spelling, *name;
	} cases[] = {
		{ "x86_64", "x86_64" },     { "SCMP_ARCH_X86_64", "x86_64" }, { "amd64", "x86_64" },
		{ "scmp_arch_x86_64", "x86_64" }, { "x32", "x32" },           { "SCMP_ARCH_X32", "x32" },
		{ "x86", "x86" },           { "i386", "x86" },                { "SCMP_ARCH_X86", "x86" },
		{ "arm64", "aarch64" },     { "SCMP_ARCH_AARCH64", "aarch64" }, { "arm", "arm" },
		{ "riscv64", "riscv64" },   { "SCMP_ARCH_LOONGARCH64", "loongarch64" },
		{ "ppc64le", "ppc64le" },   { "SCMP_ARCH_PPC64", "ppc64" },   { "s390x", "s390x" },
		{ "SCMP_ARCH_S390", "s390" }, { "mips", "mips" },             { "mipsel", "mipsel" },
		{ "SCMP_ARCH_MIPSEL64", "mipsel64" }, { "mips64n32", "mips64n32" },
		{ "SCMP_ARCH_MIPSEL64N32", "mipsel64n32" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sc_arch *a = sc_arch_lookup(cases[i].spelling);
		assert_non_null(a);
		assert_string_equal(a->name, cases[i].name);
	}
	assert_null(sc_arch_lookup("amd65"));
	assert_null(sc_arch_lookup(""));
	assert_null(sc_arch_lookup(NULL));
}

static void audit_values(void **state)
{
	(void)state;
	assert_int_equal(sc_arch_lookup("x86_64")->audit_arch, 0xc000003e);
	assert_int_equal(sc_arch_lookup("x32")->audit_arch, 0xc000003e);
	assert_int_equal(sc_arch_lookup("x32")->nr_bit, 0x40000000);
	assert_int_equal(sc_arch_lookup("x86")->audit_arch, 0x40000003);
	assert_int_equal(sc_arch_lookup("aarch64")->audit_arch, 0xc00000b7);
	assert_int_equal(sc_arch_lookup("arm")->audit_arch, 0x40000028);
	assert_int_equal(sc_arch_lookup("riscv64")->audit_arch, 0xc00000f3);
	assert_int_equal(sc_arch_lookup("loongarch64")->audit_arch, 0xc0000102);
	assert_int_equal(sc_arch_lookup("ppc64")->audit_arch, 0x80000015);
	assert_int_equal(sc_arch_lookup("ppc64le")->audit_arch, 0xc0000015);
	assert_int_equal(sc_arch_lookup("s390x")->audit_arch, 0x80000016);
	assert_int_equal(sc_arch_lookup("mips")->audit_arch, 0x00000008);
	assert_int_equal(sc_arch_lookup("mipsel64")->audit_arch, 0xc0000008);
	assert_int_equal(sc_arch_lookup("mips64n32")->audit_arch, 0xa0000008);
	assert_int_equal(sc_arch_lookup("mips")->nr_base, 4000);
	assert_int_equal(sc_arch_lookup("mips64")->nr_base, 5000);
	assert_int_equal(sc_arch_lookup("mips64n32")->nr_base, 6000);
}

static void quirks(void **state)
{
	(void)state;
	assert_true(sc_arch_lookup("x86")->flags & SC_ARCH_SOCKETCALL);
	assert_true(sc_arch_lookup("x86")->flags & SC_ARCH_IPC);
	assert_false(sc_arch_lookup("x86_64")->flags & SC_ARCH_SOCKETCALL);
	assert_false(sc_arch_lookup("aarch64")->flags & SC_ARCH_SOCKETCALL);
	assert_true(sc_arch_lookup("x32")->flags & SC_ARCH_SHARES_AUDIT);
	assert_int_equal(sc_arch_lookup("x86")->word_bits, 32);
	assert_int_equal(sc_arch_lookup("s390x")->endian, SC_ENDIAN_BIG);
}

static void by_audit(void **state)
{
	(void)state;
	assert_string_equal(sc_arch_by_audit(0xc000003e, 1)->name, "x86_64");
	assert_string_equal(sc_arch_by_audit(0xc000003e, 0x40000001)->name, "x32");
	assert_string_equal(sc_arch_by_audit(0x40000003, 1)->name, "x86");
	assert_null(sc_arch_by_audit(0x1234, 1));
}

/* One table, names unique across every spelling: one home per fact. */
static void names_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < sc_arch_count(); i++) {
		const struct sc_arch *a = sc_arch_at(i);
		assert_ptr_equal(sc_arch_lookup(a->name), a);
		assert_ptr_equal(sc_arch_lookup(a->scmp_name), a);
		assert_true(strncmp(a->scmp_name, "SCMP_ARCH_", 10) == 0);
	}
	assert_null(sc_arch_at(sc_arch_count()));
}

static void native(void **state)
{
	(void)state;
#if defined(__x86_64__) && !defined(__ILP32__)
	assert_string_equal(sc_arch_native()->name, "x86_64");
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_by_every_spelling), cmocka_unit_test(audit_values),
		cmocka_unit_test(quirks),                   cmocka_unit_test(by_audit),
		cmocka_unit_test(names_unique),             cmocka_unit_test(native),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
