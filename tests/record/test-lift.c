/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A recording as a policy (lift.c): constants named for their context (setsockopt's optname
 * by level, socket's protocol by family), masks as people write them, the calls every
 * process needs always allowed, the command line kept a comment — and the text read back
 * allows exactly the recorded values.
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
#include <linux/seccomp.h>

#include "record/record.h"

struct call {
	const char *name;
	uint64_t a[3];
};

static char *write_policy(const struct call *calls, size_t n, const char *command, struct sc_policy **ret_p,
			  struct sc_filter **ret_f)
{
	const struct sc_arch *x = sc_arch_lookup("x86_64");
	struct rec_set *s = rec_set_new();
	struct rec_output o = { .command = command, .format = SC_FORMAT_TOML };
	struct sc_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t args[6] = { calls[i].a[0], calls[i].a[1], calls[i].a[2], 0, 0, 0 };
		rec_set_add_call(s, x, sc_syscall_lookup(x, calls[i].name)->nr, args);
	}
	assert_int_equal(rec_write_policy(s, &o, &buf, &len, &d), 0);
	rec_set_free(s);
	if (sc_policy_load_buffer("rec.toml", buf, len, NULL, ret_p, &d) < 0 ||
	    sc_policy_compile(*ret_p, ret_f, &d) < 0)
		fail_msg("the recording does not load: %s\n%s", d.message, buf ? buf : "(none)");
	return buf;
}

static bool allows(const struct sc_filter *f, const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const struct sc_arch *x = sc_arch_lookup("x86_64");
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	return sc_filter_eval(f, x, sc_syscall_lookup(x, name)->nr, args) == SECCOMP_RET_ALLOW;
}

static void expect_text(const char *buf, const char *want)
{
	if (!buf || !strstr(buf, want))
		fail_msg("the recording lacks '%s':\n%s", want, buf ? buf : "(none)");
}

static void context_names(void **state)
{
	static const struct call calls[] = {
		{ "setsockopt", { 3, 6, 1 } },      /* SOL_TCP, TCP_NODELAY */
		{ "setsockopt", { 3, 41, 26 } },    /* SOL_IPV6, IPV6_V6ONLY */
		{ "setsockopt", { 3, 1, 2 } },      /* SOL_SOCKET, SO_REUSEADDR */
		{ "getsockopt", { 3, 0, 2 } },      /* SOL_IP, IP_TTL */
		{ "setsockopt", { 3, 263, 1 } },    /* SOL_PACKET: no family here, a number */
		{ "socket", { 16, 3, 9 } },         /* AF_NETLINK, SOCK_RAW, NETLINK_AUDIT */
		{ "socket", { 2, 1 | 0x800 | 0x80000, 6 } }, /* AF_INET, SOCK_STREAM|NONBLOCK|CLOEXEC, IPPROTO_TCP */
	};
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char *buf;
	size_t checked = 0;

	(void)state;
	buf = write_policy(calls, sizeof(calls) / sizeof(calls[0]), "x", &p, &f);
	expect_text(buf, "\"TCP_NODELAY\"");
	expect_text(buf, "\"IPV6_V6ONLY\"");
	expect_text(buf, "\"SO_REUSEADDR\"");
	expect_text(buf, "\"IP_TTL\"");
	expect_text(buf, "\"NETLINK_AUDIT\"");
	expect_text(buf, "\"IPPROTO_TCP\"");
	expect_text(buf, "mask = \"~(SOCK_NONBLOCK|SOCK_CLOEXEC)\"");
	if (strstr(buf, "SO_DEBUG") || strstr(buf, "SO_ATTACH_FILTER") || strstr(buf, "SOCK_DCCP") ||
	    strstr(buf, "IPPROTO_ESP"))
		fail_msg("a constant named out of its context:\n%s", buf ? buf : "(none)");
	/* The text means the recording: each recorded call allowed, its neighbours not. */
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct call *c = &calls[i];
		assert_true(allows(f, c->name, c->a[0], c->a[1], c->a[2]));
		if (strcmp(c->name, "socket") == 0) {
			assert_false(allows(f, c->name, c->a[0], c->a[1], c->a[2] + 1));
			assert_true(allows(f, c->name, c->a[0], c->a[1] ^ 0x800, c->a[2]));
			assert_false(allows(f, c->name, c->a[0], c->a[1] ^ 2, c->a[2]));
		} else {
			assert_false(allows(f, c->name, c->a[0], c->a[1], c->a[2] + 1));
			assert_false(allows(f, c->name, c->a[0], c->a[1] + 1, c->a[2]));
		}
		checked += 4;
	}
	printf("# %zu context-named values, %zu calls checked against the text read back\n",
	       sizeof(calls) / sizeof(calls[0]), checked);
	free(buf);
	sc_filter_free(f);
	sc_policy_free(p);
}

/* exit, exit_group, rt_sigreturn, restart_syscall: allowed though never observed. */
static void always_allowed(void **state)
{
	static const struct call calls[] = { { "write", { 1, 0, 0 } } };
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char *buf;

	(void)state;
	buf = write_policy(calls, 1, "sh -c 'kill -9 $$'", &p, &f);
	assert_true(allows(f, "exit_group", 0, 0, 0));
	assert_true(allows(f, "exit", 0, 0, 0));
	assert_true(allows(f, "rt_sigreturn", 0, 0, 0));
	assert_true(allows(f, "restart_syscall", 0, 0, 0));
	assert_false(allows(f, "getpid", 0, 0, 0));
	free(buf);
	sc_filter_free(f);
	sc_policy_free(p);
}

/* A command line from a library caller, unquoted: control bytes never end the comment. */
static void command_comment(void **state)
{
	static const struct call calls[] = { { "write", { 1, 0, 0 } } };
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char *buf;

	(void)state;
	buf = write_policy(calls, 1, "a\nbad_arch_action = \"Allow\"\r\n[[syscalls]]\nnames=[\"ptrace\"]\xff", &p, &f);
	assert_null(strstr(buf, "\nbad_arch_action"));
	assert_null(strstr(buf, "\n[[syscalls]]\nnames=[\"ptrace\"]"));
	assert_false(allows(f, "ptrace", 0, 0, 0));
	free(buf);
	sc_filter_free(f);
	sc_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(context_names),
		cmocka_unit_test(always_allowed),
		cmocka_unit_test(command_comment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
