/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-builder.c — policies built from C values (builder.c) compile to what the same policy
 * written as text does, write out as TOML that loads back to the same decisions, keep names
 * from outside as names, and share one group database.
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

#include "seccompose.h"

#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413

static const struct sc_action allow = { SC_ACT_ALLOW, 0 };

static uint32_t eval(const struct sc_filter *f, const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const struct sc_arch *x86 = sc_arch_lookup("x86_64");
	const uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	return sc_filter_eval(f, x86, sc_syscall_lookup(x86, name)->nr, args);
}

/* default Errno(EPERM); ioctl(cmd == TCGETS); group open_read; openat by index with a mask */
static struct sc_policy *build(struct sc_groups *g)
{
	struct sc_policy *p = sc_policy_new("<test>", g);
	size_t r;

	sc_policy_set_default(p, (struct sc_action){ SC_ACT_ERRNO, 1 });
	sc_policy_add_arch(p, sc_arch_lookup("x86_64"));
	sc_policy_add_arch(p, sc_arch_lookup("x86_64")); /* once is enough */
	r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, allow);
	assert_int_equal(sc_rule_add_name(p, r, "ioctl"), 0);
	assert_int_equal(sc_rule_add_cond(p, r, &(struct sc_cond){ .arg = "cmd", .op = SC_COND_EQ,
								   .value = TCGETS }), 0);
	r = sc_policy_add_rule(p, SC_RULE_GROUPS, allow);
	assert_int_equal(sc_rule_add_name(p, r, "open_read"), 0);
	r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, (struct sc_action){ SC_ACT_ERRNO, 13 });
	assert_int_equal(sc_rule_add_name(p, r, "write"), 0);
	assert_int_equal(sc_rule_add_cond(p, r, &(struct sc_cond){ .index = 0, .op = SC_COND_MASKED_EQ,
								   .mask_expr = "0xff", .value = 2 }), 0);
	return p;
}

static void check_decisions(const struct sc_filter *f)
{
	assert_int_equal(eval(f, "ioctl", 0, TCGETS, 0), 0x7fff0000u);
	assert_int_equal(eval(f, "ioctl", 0, TIOCGWINSZ, 0), 0x00050001u);
	assert_int_equal(eval(f, "openat", 0, 0, 0 /* O_RDONLY */), 0x7fff0000u);
	assert_int_equal(eval(f, "openat", 0, 0, 1 /* O_WRONLY */), 0x00050001u);
	assert_int_equal(eval(f, "write", 0x102, 0, 0), 0x0005000du);
	assert_int_equal(eval(f, "write", 1, 0, 0), 0x00050001u);
}

static void built_compiles_and_round_trips(void **state)
{
	struct sc_groups *g = NULL;
	struct sc_policy *p, *back = NULL;
	struct sc_filter *f = NULL, *fb = NULL;
	struct sc_diag d = { 0 };
	char *text = NULL;
	size_t len = 0, ngroups;

	(void)state;
	assert_int_equal(sc_groups_load(NULL, &g, &d), 0);
	ngroups = sc_groups_count(g);
	assert_true(sc_groups_count(g) > 100);
	assert_true(sc_groups_has(g, "open_read"));
	p = build(g);
	assert_int_equal(sc_policy_compile(p, &f, &d), 0);
	check_decisions(f);
	assert_int_equal(sc_policy_write_toml(p, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "default_errno_ret = \"EPERM\"\n"));
	assert_non_null(strstr(text, "\n[[abstract_syscalls]]\nnames = [\"open_read\"]\n"));
	assert_non_null(strstr(text, "  { index = 0, type = \"masked_equals\", mask = \"0xff\", value = 2 },\n"));
	assert_int_equal(sc_policy_load_buffer("back.toml", text, len, NULL, &back, &d), 0);
	assert_int_equal(sc_policy_compile(back, &fb, &d), 0);
	check_decisions(fb);
	free(text);
	sc_filter_free(fb);
	sc_policy_free(back);
	sc_filter_free(f);
	/* the policy holds its own reference: the database outlives the caller's */
	sc_groups_unref(g);
	assert_int_equal(sc_policy_group_count(p), ngroups);
	assert_non_null(sc_policy_group(p, 0, NULL));
	sc_policy_free(p);
}

/* A name from outside stays one string: it cannot close the array or add a table. */
static void hostile_names_stay_names(void **state)
{
	struct sc_policy *p = sc_policy_new("x\n[[syscalls]]", NULL), *back = NULL;
	struct sc_diag d = { 0 };
	char *text = NULL;
	size_t len = 0, r, tables = 0;

	(void)state;
	r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, allow);
	sc_rule_add_name(p, r, "a\"]\n[[syscalls]]\nnames = [\"ptrace\"]\naction = \"Allow\"\n#\x01");
	assert_int_equal(sc_policy_write_toml(p, &text, &len), 0);
	for (const char *s = text; (s = strstr(s, "[[syscalls]]")); s++)
		tables += s == text || s[-1] == '\n';
	assert_int_equal(tables, 1);
	assert_int_equal(sc_policy_load_buffer("back.toml", text, len, NULL, &back, &d), 0);
	free(text);
	sc_policy_free(back);
	sc_policy_free(p);
}

static void bad_input_refused(void **state)
{
	struct sc_policy *p = sc_policy_new(NULL, NULL);
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	size_t r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, allow);

	(void)state;
	assert_int_equal(sc_rule_add_name(p, r + 1, "read"), -EINVAL);
	assert_int_equal(sc_rule_add_cond(p, r, &(struct sc_cond){ .index = 6 }), -EINVAL);
	assert_int_equal(sc_rule_add_cond(p, r, &(struct sc_cond){ .index = 0, .op = 99 }), -EINVAL);
	/* names are checked where a loaded policy's are: when compiled */
	assert_int_equal(sc_rule_add_name(p, r, "no_such_call"), 0);
	assert_int_equal(sc_policy_compile(p, &f, &d), -EINVAL);
	assert_non_null(strstr(d.message, "no_such_call"));
	sc_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(built_compiles_and_round_trips),
		cmocka_unit_test(hostile_names_stay_names),
		cmocka_unit_test(bad_input_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
