/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/record/lift.c, through sc_recording_write(): a recording becomes a policy
 * that allows what was observed (captured arguments as conditions) and nothing else, and
 * with `abstract` groups replace their members only when every member was observed.
 * Each written policy is loaded and compiled again, and asked about exact calls.
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
#include "record/record.h"

/* A struct sc_recording is the recorder's observation set (lib/record/record.c): observations are
 * added with rec_set_add_call(), as the tracer adds them. */
static struct rec_set *set_of(struct sc_recording *r)
{
	return (struct rec_set *)r;
}

static void observe(struct sc_recording *r, const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const struct sc_arch *a = sc_arch_lookup("x86_64");
	const uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	rec_set_add_call(set_of(r), a, sc_syscall_lookup(a, name)->nr, args);
}

static char *write_policy(const struct sc_recording *r, bool abstract, enum sc_format format)
{
	struct sc_diag d = { 0 };
	char *text = NULL;
	size_t len = 0;

	if (sc_recording_write(r, abstract, "prog --flag", format, &text, &len, &d) != 0)
		fail_msg("write failed: %s", d.message);
	assert_int_equal(strlen(text), len);
	return text;
}

static struct sc_filter *compile(const char *text, const char *name)
{
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_load_buffer(name, text, strlen(text), NULL, &p, &d) != 0)
		fail_msg("the written policy does not load: %u:%u: %s\n%s", d.line, d.col, d.message, text);
	if (sc_policy_compile(p, &f, &d) != 0)
		fail_msg("the written policy does not compile: %s", d.message);
	sc_policy_free(p);
	return f;
}

static struct sc_action eval(const struct sc_filter *f, const char *name, uint64_t a0, uint64_t a1,
			     uint64_t a2)
{
	const struct sc_arch *a = sc_arch_lookup("x86_64");
	const uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	return sc_action_from_ret(sc_filter_eval(f, a, sc_syscall_lookup(a, name)->nr, args));
}

static void recording_becomes_policy(void **state)
{
	struct sc_recording *r = sc_recording_new();
	struct sc_filter *f;
	char *text;

	(void)state;
	observe(r, "read", 0, 0, 0);
	observe(r, "ioctl", 1, 0x5401 /* TCGETS */, 0);
	observe(r, "socket", 1 /* AF_UNIX */, 1 | 0x80000 /* SOCK_STREAM|SOCK_CLOEXEC */, 0);
	observe(r, "openat", (uint64_t)-100, 0, 0 /* O_RDONLY */);
	assert_int_equal(sc_recording_count(r), 4);
	text = write_policy(r, false, SC_FORMAT_TOML);
	/* What people read: the command, the count, constants by name. */
	assert_non_null(strstr(text, "# Command: prog --flag\n"));
	assert_non_null(strstr(text, "# 4 distinct calls observed.\n"));
	assert_non_null(strstr(text, "default_action = \"Errno\"\ndefault_errno_ret = \"EPERM\"\n"
				     "architectures = [\"SCMP_ARCH_X86_64\"]\n"));
	assert_non_null(strstr(text, "{ argument = \"cmd\", type = \"equals\", value = \"TCGETS\" }"));
	assert_null(strstr(text, "[[abstract_syscalls]]"));
	f = compile(text, "rec.toml");
	assert_action(eval(f, "read", 9, 9, 9), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "ioctl", 7, 0x5401, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "ioctl", 7, 0x5412 /* TIOCSTI */, 0), SC_ACT_ERRNO, EPERM);
	/* socket's type modifiers do not matter; the family and base type do. */
	assert_action(eval(f, "socket", 1, 1, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "socket", 1, 1 | 0x800, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "socket", 2, 1, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(f, "socket", 1, 2, 0), SC_ACT_ERRNO, EPERM);
	/* openat: read-only allowed (O_CLOEXEC changes nothing), writing not. */
	assert_action(eval(f, "openat", 3, 0, 0x80000), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "openat", 3, 0, 1), SC_ACT_ERRNO, EPERM);
	/* Not observed: denied; always allowed whatever was observed: exit and signal return. */
	assert_action(eval(f, "write", 1, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(f, "exit_group", 0, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "rt_sigreturn", 0, 0, 0), SC_ACT_ALLOW, 0);
	sc_filter_free(f);
	free(text);

	/* The same policy as OCI JSON means the same. */
	text = write_policy(r, false, SC_FORMAT_OCI);
	assert_non_null(strstr(text, "\"defaultAction\": \"SCMP_ACT_ERRNO\""));
	f = compile(text, "rec.json");
	assert_action(eval(f, "ioctl", 7, 0x5401, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "ioctl", 7, 0x5412, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(f, "socket", 1, 1 | 0x800, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "socket", 2, 1, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(f, "write", 1, 0, 0), SC_ACT_ERRNO, EPERM);
	sc_filter_free(f);
	free(text);

	/* Only TOML and OCI. */
	{
		struct sc_diag d = { 0 };
		char *t = NULL;
		size_t len;
		assert_int_equal(sc_recording_write(r, false, NULL, SC_FORMAT_BPF, &t, &len, &d), -EINVAL);
		assert_string_equal(d.message, "a recording is written as TOML or OCI");
	}
	sc_recording_free(r);
}

static bool lifts(const char *text, const char *group)
{
	char want[128];

	snprintf(want, sizeof(want), "\"%s\"", group);
	return strstr(text, "[[abstract_syscalls]]") && strstr(strstr(text, "[[abstract_syscalls]]"), want) &&
	       strstr(strstr(text, "[[abstract_syscalls]]"), want) < strstr(text, "[[syscalls]]");
}

static void groups_only_when_every_member_was_observed(void **state)
{
	struct sc_recording *r = sc_recording_new();
	struct sc_filter *f;
	char *text;

	(void)state;
	/* cwd_ops is getcwd, chdir and fchdir: two of three are not enough. */
	observe(r, "getcwd", 0, 0, 0);
	observe(r, "chdir", 0, 0, 0);
	/* fcntl_any allows every command; the recording kept F_GETFL alone: never lifted (a
	 * group must test the arguments the recording keeps). (Each abstract write compiles
	 * every group: one recording serves both cases, to keep the test fast.) */
	observe(r, "fcntl", 3, 3 /* F_GETFL */, 0);
	text = write_policy(r, true, SC_FORMAT_TOML);
	assert_non_null(strstr(text, ", lifted into groups where every member was observed.\n"));
	assert_false(lifts(text, "cwd_ops"));
	assert_null(strstr(text, "[[abstract_syscalls]]"));
	f = compile(text, "rec.toml");
	assert_action(eval(f, "getcwd", 0, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "fchdir", 0, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(f, "fcntl", 3, 3, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "fcntl", 3, 8 /* F_SETOWN */, 0), SC_ACT_ERRNO, EPERM);
	sc_filter_free(f);
	free(text);

	observe(r, "fchdir", 3, 0, 0);
	text = write_policy(r, true, SC_FORMAT_TOML);
	assert_true(lifts(text, "cwd_ops"));
	/* Lifted members are not repeated as syscall rules. */
	assert_null(strstr(text, "\"getcwd\""));
	f = compile(text, "rec.toml");
	assert_action(eval(f, "getcwd", 0, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "fchdir", 0, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(f, "mkdir", 0, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_false(lifts(text, "fcntl_any"));
	assert_action(eval(f, "fcntl", 3, 8, 0), SC_ACT_ERRNO, EPERM);
	sc_filter_free(f);
	free(text);
	sc_recording_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recording_becomes_policy),
		cmocka_unit_test(groups_only_when_every_member_was_observed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
