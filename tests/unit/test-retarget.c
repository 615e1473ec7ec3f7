/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-retarget.c — sc_policy_retarget (retarget.c): the ABI list replaced; conditions by
 * index follow their parameter where it moves (clone on s390x), a rule of several syscalls
 * split when their parameters at that index differ; a 64-bit parameter on an added 32-bit
 * ABI refused at the condition; syscalls a target lacks noted once, with successors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy-fixture.h"
#include "seccompose.h"

#define ALLOW 0x7fff0000u
#define EPERM_RET 0x00050001u

static uint32_t eval(const struct sc_filter *f, const char *arch_name, const char *name, uint64_t a0,
		     uint64_t a1)
{
	const struct sc_arch *arch = sc_arch_lookup(arch_name);
	const uint64_t args[6] = { a0, a1, 0, 0, 0, 0 };
	const struct sc_syscall *s = sc_syscall_lookup(arch, name);

	assert_non_null(s);
	return sc_filter_eval(f, arch, s->nr, args);
}

static struct sc_filter *retarget_compile(struct sc_policy *p, const char *a, const char *b)
{
	const struct sc_arch *arches[2] = { sc_arch_lookup(a), b ? sc_arch_lookup(b) : NULL };
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_retarget(p, arches, b ? 2 : 1, &d) < 0 || sc_policy_compile(p, &f, &d) < 0)
		fail_msg("%s:%u:%u: %s", d.file, d.line, d.col, d.message);
	return f;
}

/* OCI's index 0 of clone is x86_64's clone_flags; on s390x that is the second register. One
 * rule naming clone and pread64 by index 1 is split: clone's newsp moves, pread64's buf not. */
static void index_follows_parameter(void **state)
{
	static const char oci[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		" \"syscalls\": ["
		"  {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"args\": [{\"index\": 0, \"value\": 17, \"op\": \"SCMP_CMP_EQ\"}]},"
		"  {\"names\": [\"clone\", \"pread64\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"args\": [{\"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	struct sc_policy *p = fixture_load("p.json", oci, NULL);
	struct sc_filter *f = retarget_compile(p, "s390x", "x86_64");

	(void)state;
	/* s390x: clone(newsp, clone_flags, …) */
	assert_int_equal(eval(f, "s390x", "clone", 0, 17), ALLOW);
	assert_int_equal(eval(f, "s390x", "clone", 17, 0), EPERM_RET);
	assert_int_equal(eval(f, "s390x", "clone", 7, 0), ALLOW);  /* newsp == 7 */
	assert_int_equal(eval(f, "s390x", "clone", 0, 7), EPERM_RET);
	assert_int_equal(eval(f, "s390x", "pread64", 0, 7), ALLOW); /* buf: register 1 on both */
	/* x86_64 keeps what the profile said. */
	assert_int_equal(eval(f, "x86_64", "clone", 17, 0), ALLOW);
	assert_int_equal(eval(f, "x86_64", "clone", 0, 7), ALLOW);
	assert_int_equal(eval(f, "x86_64", "clone", 7, 0), EPERM_RET);
	assert_int_equal(eval(f, "x86_64", "pread64", 0, 7), ALLOW);
	assert_int_equal(eval(f, "x86_64", "pread64", 7, 0), EPERM_RET);
	sc_filter_free(f);
	sc_policy_free(p);
}

/* A recording-like policy for aarch64: the list replaced (a repeat once), absent names noted
 * once per target with what aarch64 calls instead, other ABIs' calls refused by arch. */
static void absent_names_noted(void **state)
{
	static const char toml[] =
		"default_action = \"Errno\"\n"
		"architectures = [\"x86_64\"]\n"
		"[[syscalls]]\nnames = [\"open\", \"openat\", \"read\"]\naction = \"Allow\"\n"
		"[[syscalls]]\nnames = [\"open\", \"poll\"]\naction = \"Allow\"\n"
		"[[syscalls]]\nnames = [\"stat\"]\naction = \"Errno\"\n";
	struct sc_policy *p = fixture_load("rec.toml", toml, NULL);
	const struct sc_arch *arches[2] = { sc_arch_lookup("aarch64"), sc_arch_lookup("aarch64") };
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	const uint64_t args[6] = { 0 };

	(void)state;
	assert_int_equal(sc_policy_retarget(p, arches, 2, &d), 0);
	assert_true(fixture_has_warning(p, "absent on aarch64: open, poll; their rules do not apply there. "
					   "Called there instead: open → openat (in the policy), "
					   "poll → ppoll (not in the policy)"));
	assert_int_equal(sc_policy_warning_count(p), 1);
	assert_int_equal(sc_policy_warning(p, 0)->line, 4);
	assert_int_equal(sc_policy_compile(p, &f, &d), 0);
	assert_int_equal(eval(f, "aarch64", "openat", 0, 0), ALLOW);
	assert_int_equal(eval(f, "aarch64", "read", 0, 0), ALLOW);
	assert_int_equal(eval(f, "aarch64", "ppoll", 0, 0), EPERM_RET);
	/* x86_64 is no longer listed: its calls get the bad-arch action, not its rules. */
	assert_int_not_equal(sc_filter_eval(f, sc_arch_lookup("x86_64"), 0, args), ALLOW);
	sc_filter_free(f);
	sc_policy_free(p);
}

/* fanotify_mark's mask is a __u64: two registers on x86 (i386). On x86_64 and aarch64 one. */
static void wide_parameter_refused(void **state)
{
	static const char toml[] =
		"default_action = \"Errno\"\n"
		"architectures = [\"x86_64\"]\n"
		"[[syscalls]]\nnames = [\"fanotify_mark\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"flags\", type = \"equals\", value = 1 },\n"
		"               { argument = \"mask\", type = \"bitmask_none\", value = 2 } ]\n";
	const struct sc_arch *to32[2] = { sc_arch_lookup("x86_64"), sc_arch_lookup("x86") };
	const struct sc_arch *to64[1] = { sc_arch_lookup("aarch64") };
	struct sc_policy *p = fixture_load("fan.toml", toml, NULL);
	struct sc_diag d = { 0 };

	(void)state;
	assert_int_equal(sc_policy_retarget(p, to32, 2, &d), -EINVAL);
	assert_string_equal(d.file, "fan.toml");
	assert_int_equal(d.line, 7);
	assert_int_equal(d.col, 16);
	assert_non_null(strstr(d.message, "'mask' of 'fanotify_mark' to x86"));
	sc_policy_free(p);

	p = fixture_load("fan.toml", toml, NULL);
	assert_int_equal(sc_policy_retarget(p, to64, 1, &d), 0);
	sc_policy_free(p);
}

static void bad_arguments(void **state)
{
	struct sc_policy *p = fixture_load("e.toml", "default_action = \"Errno\"\n", NULL);
	const struct sc_arch *none[1] = { NULL };
	struct sc_diag d = { 0 };

	(void)state;
	assert_int_equal(sc_policy_retarget(p, none, 0, &d), -EINVAL);
	assert_int_equal(sc_policy_retarget(p, none, 1, &d), -EINVAL);
	sc_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_follows_parameter),
		cmocka_unit_test(absent_names_noted),
		cmocka_unit_test(wide_parameter_refused),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
