/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/catalog/action.c: every spelling people write maps to one action type, every
 * type to its SECCOMP_RET_* value and back, the data an action carries survives the trip,
 * and actions format the way diagnostics and explain print them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/seccomp-compat.h"
#include "seccompose.h"

/* The kernel's values, written out here so that a table edit in action.c cannot move them. */
static const struct {
	enum sc_action_type type;
	const char *name, *oci;
	uint32_t ret;
} expected[] = {
	{ SC_ACT_KILL_PROCESS, "KillProcess", "SCMP_ACT_KILL_PROCESS", 0x80000000U },
	{ SC_ACT_KILL_THREAD, "KillThread", "SCMP_ACT_KILL_THREAD", 0x00000000U },
	{ SC_ACT_TRAP, "Trap", "SCMP_ACT_TRAP", 0x00030000U },
	{ SC_ACT_ERRNO, "Errno", "SCMP_ACT_ERRNO", 0x00050000U },
	{ SC_ACT_USER_NOTIF, "Notify", "SCMP_ACT_NOTIFY", 0x7fc00000U },
	{ SC_ACT_TRACE, "Trace", "SCMP_ACT_TRACE", 0x7ff00000U },
	{ SC_ACT_LOG, "Log", "SCMP_ACT_LOG", 0x7ffc0000U },
	{ SC_ACT_ALLOW, "Allow", "SCMP_ACT_ALLOW", 0x7fff0000U },
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static enum sc_action_type parse_ok(const char *name)
{
	enum sc_action_type t = (enum sc_action_type)-1;

	if (sc_action_parse(name, &t) != 0)
		fail_msg("'%s' did not parse", name);
	return t;
}

static void names_and_values_are_the_kernels(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++) {
		struct sc_action a = { expected[i].type, 0 };
		assert_string_equal(sc_action_name(expected[i].type), expected[i].name);
		assert_string_equal(sc_action_oci_name(expected[i].type), expected[i].oci);
		assert_int_equal(sc_action_to_ret(a), expected[i].ret);
	}
	/* The header's macros agree with the values written above. */
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_ALLOW, 0 }), SECCOMP_RET_ALLOW);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_KILL_PROCESS, 0 }),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_USER_NOTIF, 0 }),
			 SECCOMP_RET_USER_NOTIF);
	/* Out of range: "?" and, as the kernel reads an unknown value, kill the process. */
	assert_string_equal(sc_action_name((enum sc_action_type)8), "?");
	assert_string_equal(sc_action_oci_name((enum sc_action_type)8), "?");
	assert_int_equal(sc_action_to_ret((struct sc_action){ (enum sc_action_type)8, 5 }),
			 SECCOMP_RET_KILL_PROCESS);
}

/* The enum's order is the kernel's precedence: a lower type wins (resolve.c sorts by it). */
static void enum_order_is_precedence(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++)
		assert_int_equal(expected[i].type, (enum sc_action_type)i);
	for (size_t i = 0; i + 1 < N_EXPECTED; i++) {
		/* The kernel: for the action parts, a smaller signed value wins. */
		assert_true((int32_t)(expected[i].ret & SECCOMP_RET_ACTION_FULL) <
			    (int32_t)(expected[i + 1].ret & SECCOMP_RET_ACTION_FULL));
	}
}

static void every_spelling_parses(void **state)
{
	static const struct {
		const char *spelling;
		enum sc_action_type type;
	} spellings[] = {
		{ "KillProcess", SC_ACT_KILL_PROCESS }, { "SCMP_ACT_KILL_PROCESS", SC_ACT_KILL_PROCESS },
		{ "kill_process", SC_ACT_KILL_PROCESS }, { "killprocess", SC_ACT_KILL_PROCESS },
		{ "KillThread", SC_ACT_KILL_THREAD },    { "SCMP_ACT_KILL_THREAD", SC_ACT_KILL_THREAD },
		{ "kill_thread", SC_ACT_KILL_THREAD },   { "Kill", SC_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL", SC_ACT_KILL_THREAD }, { "scmp_act_kill", SC_ACT_KILL_THREAD },
		{ "Trap", SC_ACT_TRAP },                 { "SCMP_ACT_TRAP", SC_ACT_TRAP },
		{ "TRAP", SC_ACT_TRAP },                 { "Errno", SC_ACT_ERRNO },
		{ "SCMP_ACT_ERRNO", SC_ACT_ERRNO },      { "errno", SC_ACT_ERRNO },
		{ "Notify", SC_ACT_USER_NOTIF },         { "SCMP_ACT_NOTIFY", SC_ACT_USER_NOTIF },
		{ "UserNotif", SC_ACT_USER_NOTIF },      { "user_notif", SC_ACT_USER_NOTIF },
		{ "Trace", SC_ACT_TRACE },               { "SCMP_ACT_TRACE", SC_ACT_TRACE },
		{ "Log", SC_ACT_LOG },                   { "SCMP_ACT_LOG", SC_ACT_LOG },
		{ "Allow", SC_ACT_ALLOW },               { "SCMP_ACT_ALLOW", SC_ACT_ALLOW },
		{ "ALLOW", SC_ACT_ALLOW },               { "scmp_act_allow", SC_ACT_ALLOW },
	};
	static const char *const wrong[] = {
		"", "Allowed", "SCMP_ACT_", "SCMP_ACT_KILL_PROC", "Kill Process", "Errno(1)",
		"ALLOW ", " Allow", "notif", "SCMP_ACT_USER_NOTIF",
	};
	enum sc_action_type t = SC_ACT_LOG;

	(void)state;
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		enum sc_action_type got = parse_ok(spellings[i].spelling);
		if (got != spellings[i].type)
			fail_msg("'%s' parsed as %d", spellings[i].spelling, (int)got);
	}
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		if (sc_action_parse(wrong[i], &t) != -EINVAL)
			fail_msg("'%s' was accepted", wrong[i]);
		assert_int_equal(t, SC_ACT_LOG); /* untouched on failure */
	}
	assert_int_equal(sc_action_parse(NULL, &t), -EINVAL);
	/* Each type's own names parse back to it. */
	for (size_t i = 0; i < N_EXPECTED; i++) {
		assert_int_equal(parse_ok(sc_action_name(expected[i].type)), expected[i].type);
		assert_int_equal(parse_ok(sc_action_oci_name(expected[i].type)), expected[i].type);
	}
}

/* Errno, Trace and Trap carry 16 bits of data in SECCOMP_RET_DATA; the others none. */
static void data_is_carried(void **state)
{
	(void)state;
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_ERRNO, EPERM }), 0x00050001U);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_ERRNO, 4095 }), 0x00050fffU);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_TRACE, 0xffff }), 0x7ff0ffffU);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_TRAP, 7 }), 0x00030007U);
	/* Data on an action without any is not let into the return value. */
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_ALLOW, 13 }), 0x7fff0000U);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_LOG, 13 }), 0x7ffc0000U);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_KILL_PROCESS, 13 }), 0x80000000U);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_KILL_THREAD, 13 }), 0U);
	assert_int_equal(sc_action_to_ret((struct sc_action){ SC_ACT_USER_NOTIF, 13 }), 0x7fc00000U);

	for (size_t i = 0; i < N_EXPECTED; i++) {
		static const uint16_t datas[] = { 0, 1, 38, 4095, 0x8000, 0xffff };
		for (size_t k = 0; k < sizeof(datas) / sizeof(datas[0]); k++) {
			enum sc_action_type t = expected[i].type;
			bool carries = t == SC_ACT_ERRNO || t == SC_ACT_TRACE || t == SC_ACT_TRAP;
			struct sc_action a = { t, datas[k] };
			struct sc_action back = sc_action_from_ret(sc_action_to_ret(a));
			assert_int_equal(back.type, t);
			assert_int_equal(back.data, carries ? datas[k] : 0);
		}
	}
}

static void values_read_back_as_the_kernel_reads_them(void **state)
{
	struct sc_action a;

	(void)state;
	/* The data of actions that carry none is dropped. */
	a = sc_action_from_ret(0x7fff0005U);
	assert_int_equal(a.type, SC_ACT_ALLOW);
	assert_int_equal(a.data, 0);
	a = sc_action_from_ret(0x00000001U);
	assert_int_equal(a.type, SC_ACT_KILL_THREAD);
	assert_int_equal(a.data, 0);
	a = sc_action_from_ret(0x0005000dU);
	assert_int_equal(a.type, SC_ACT_ERRNO);
	assert_int_equal(a.data, 13);
	/* Unknown actions are KillProcess, as the kernel treats them. */
	a = sc_action_from_ret(0x00010000U);
	assert_int_equal(a.type, SC_ACT_KILL_PROCESS);
	assert_int_equal(a.data, 0);
	a = sc_action_from_ret(0x7ffe0000U);
	assert_int_equal(a.type, SC_ACT_KILL_PROCESS);
	a = sc_action_from_ret(0xffff0000U);
	assert_int_equal(a.type, SC_ACT_KILL_PROCESS);
}

static void formatting(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_ERRNO, EPERM }, buf, sizeof(buf)),
			    "Errno(EPERM)");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_ERRNO, ENOSYS }, buf, sizeof(buf)),
			    "Errno(ENOSYS)");
	/* 95 has two names; the one constants.list gives first for an action's errno. */
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_ERRNO, 95 }, buf, sizeof(buf)),
			    "Errno(EOPNOTSUPP)");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_ERRNO, 0 }, buf, sizeof(buf)),
			    "Errno(0)");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_ERRNO, 4000 }, buf, sizeof(buf)),
			    "Errno(4000)");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_TRACE, 7 }, buf, sizeof(buf)),
			    "Trace(7)");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_TRAP, 0 }, buf, sizeof(buf)),
			    "Trap(0)");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_ALLOW, 3 }, buf, sizeof(buf)),
			    "Allow");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_LOG, 0 }, buf, sizeof(buf)), "Log");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_USER_NOTIF, 0 }, buf, sizeof(buf)),
			    "Notify");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_KILL_THREAD, 0 }, buf, sizeof(buf)),
			    "KillThread");
	assert_string_equal(sc_action_format((struct sc_action){ SC_ACT_KILL_PROCESS, 0 }, buf, sizeof(buf)),
			    "KillProcess");
	/* A short buffer is cut, never overrun, and the pointer returned is the buffer. */
	assert_ptr_equal(sc_action_format((struct sc_action){ SC_ACT_ERRNO, EPERM }, buf, 6), buf);
	assert_string_equal(buf, "Errno");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_values_are_the_kernels),
		cmocka_unit_test(enum_order_is_precedence),
		cmocka_unit_test(every_spelling_parses),
		cmocka_unit_test(data_is_carried),
		cmocka_unit_test(values_read_back_as_the_kernel_reads_them),
		cmocka_unit_test(formatting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
