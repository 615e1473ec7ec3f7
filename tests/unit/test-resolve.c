/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/compile/resolve.c: a policy (written as TOML, loaded through the public API)
 * becomes a rule set whose every name is a number. Groups expand, syscall names become each
 * ABI's numbers, argument names an index and the width the kernel reads, constants values;
 * any_of and bitmask_any become alternative rules; socketcall/ipc routes, the ENOSYS floor,
 * the order of rules, dead rules, and errors placed at file:line:col.
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

#include "compile/ir.h"
#include "policy/policy.h"
#include "policy-fixture.h"

/* ---- helpers ---------------------------------------------------------------------- */

static struct sc_policy *load(const char *text)
{
	return fixture_load("t.toml", text, NULL);
}

/* Load and resolve @text; the policy is returned too, for its warnings. */
static struct ir *resolve_text(const char *text, struct sc_policy **ret_p)
{
	struct sc_policy *p = load(text);
	struct sc_diag d = { 0 };
	struct ir *ir = NULL;

	if (resolve_policy(p, &ir, &d) != 0)
		fail_msg("resolve failed: %s:%u:%u: %s", d.file, d.line, d.col, d.message);
	if (ret_p)
		*ret_p = p;
	else
		sc_policy_free(p);
	return ir;
}

/* Resolving @text fails at @line:@col with exactly @msg (and @hint, when not NULL). */
static void expect_error(const char *text, unsigned line, unsigned col, const char *msg,
			 const char *hint)
{
	struct sc_policy *p = load(text);
	struct sc_diag d = { 0 };
	struct ir *ir = NULL;

	assert_int_equal(resolve_policy(p, &ir, &d), -EINVAL);
	assert_null(ir);
	assert_string_equal(d.message, msg);
	assert_string_equal(d.file, "t.toml");
	assert_int_equal(d.line, line);
	assert_int_equal(d.col, col);
	if (hint)
		assert_string_equal(d.hint, hint);
	sc_policy_free(p);
}

static const struct ir_arch *arch_of(const struct ir *ir, const char *name)
{
	const struct sc_arch *a = sc_arch_lookup(name);

	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == a)
			return &ir->arches[i];
	fail_msg("no rules for %s", name);
	return NULL;
}

/* The rules of @sys on @arch (NULL when it has none). */
static const struct ir_syscall *call(const struct ir *ir, const char *arch, const char *sys)
{
	const struct ir_arch *a = arch_of(ir, arch);
	const struct sc_syscall *s = sc_syscall_lookup(a->arch, sys);

	assert_non_null(s);
	return ir_find(a, s->nr);
}

static struct sc_action eval(const struct ir *ir, const char *arch, const char *sys, uint64_t a0,
			     uint64_t a1, uint64_t a2)
{
	const struct sc_arch *a = sc_arch_lookup(arch);
	const uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	return ir_eval(ir, a, sc_syscall_lookup(a, sys)->nr, args);
}

static void assert_cmp(const struct ir_cmp *c, unsigned arg, unsigned bits, enum ir_op op,
		       uint64_t mask, uint64_t value)
{
	assert_int_equal(c->arg, arg);
	assert_int_equal(c->bits, bits);
	assert_int_equal(c->op, op);
	assert_int_equal(c->mask, mask);
	assert_int_equal(c->value, value);
}

static bool has_warning(const struct sc_policy *p, const char *msg)
{
	return fixture_has_warning(p, msg);
}

/* ---- names ------------------------------------------------------------------------ */

static void names_become_each_abis_numbers(void **state)
{
	struct ir *ir = resolve_text("default_action = \"Errno\"\n"
				     "architectures = [\"x86_64\", \"aarch64\", \"x86\"]\n"
				     "[[syscalls]]\nnames = [\"openat\", \"open\"]\naction = \"Allow\"\n",
				     NULL);
	const struct ir_syscall *s;

	(void)state;
	assert_int_equal(ir->narches, 3);
	assert_action(ir->def, SC_ACT_ERRNO, EPERM);
	s = call(ir, "x86_64", "openat");
	assert_non_null(s);
	assert_int_equal(s->nr, 257);
	assert_string_equal(ir_call_sys(arch_of(ir, "x86_64"), s)->name, "openat");
	assert_int_equal(s->nrules, 1);
	assert_int_equal(s->rules[0].ncmp, 0);
	assert_action(s->rules[0].action, SC_ACT_ALLOW, 0);
	assert_int_equal(call(ir, "x86_64", "open")->nr, 2);
	assert_int_equal(call(ir, "aarch64", "openat")->nr, 56);
	assert_int_equal(call(ir, "x86", "openat")->nr, 295);
	assert_int_equal(call(ir, "x86", "open")->nr, 5);
	/* `open` does not exist on aarch64: it drops out there, silently. */
	assert_int_equal(arch_of(ir, "aarch64")->ncalls, 1);
	assert_int_equal(arch_of(ir, "x86_64")->ncalls, 2);
	ir_free(ir);
}

static void no_architectures_means_the_native_one(void **state)
{
	struct ir *ir = resolve_text("default_action = \"Allow\"\n", NULL);

	(void)state;
	assert_int_equal(ir->narches, 1);
	assert_ptr_equal(ir->arches[0].arch, sc_arch_native());
	ir_free(ir);
}

static void groups_expand_recursively(void **state)
{
	struct ir *ir = resolve_text("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
				     "[[abstract_syscalls]]\nnames = [\"seek_ops\", \"io_multiplexing\"]\n"
				     "action = \"Log\"\n",
				     NULL);
	static const char *const members[] = {
		"lseek", "select", "pselect6", "poll", "ppoll", "epoll_create", "epoll_create1",
		"epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	};
	const struct ir_syscall *s;

	(void)state;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		s = call(ir, "x86_64", members[i]);
		if (!s)
			fail_msg("%s is not in the rule set", members[i]);
		assert_int_equal(s->nrules, 1);
		assert_action(s->rules[0].action, SC_ACT_LOG, 0);
	}
	assert_int_equal(arch_of(ir, "x86_64")->ncalls, sizeof(members) / sizeof(members[0]));
	/* Origins name the rule and the innermost group. */
	s = call(ir, "x86_64", "lseek");
	assert_non_null(strstr(s->rules[0].origin, "seek_ops"));
	s = call(ir, "x86_64", "epoll_wait");
	assert_non_null(strstr(s->rules[0].origin, "epoll_ops"));
	ir_free(ir);
}

static void group_conditions_keep_their_meaning(void **state)
{
	/* file_lock: flock, and fcntl for the six locking commands only. */
	struct ir *ir = resolve_text("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
				     "[[abstract_syscalls]]\nnames = [\"file_lock\"]\naction = \"Allow\"\n",
				     NULL);
	const struct ir_syscall *s = call(ir, "x86_64", "fcntl");

	(void)state;
	assert_non_null(call(ir, "x86_64", "flock"));
	assert_non_null(s);
	assert_int_equal(s->nrules, 6);
	for (size_t i = 0; i < s->nrules; i++) {
		assert_int_equal(s->rules[i].ncmp, 1);
		assert_int_equal(s->rules[i].cmp[0].arg, 1);
		assert_int_equal(s->rules[i].cmp[0].bits, 32);
		assert_int_equal(s->rules[i].cmp[0].op, IR_EQ);
	}
	assert_action(eval(ir, "x86_64", "fcntl", 3, 5 /* F_GETLK */, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "fcntl", 3, 37 /* F_OFD_SETLKW */, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "fcntl", 3, 4 /* F_SETFL */, 0), SC_ACT_ERRNO, EPERM);
	ir_free(ir);
}

/* ---- arguments and values --------------------------------------------------------- */

static void argument_names_become_index_and_width(void **state)
{
	struct ir *ir = resolve_text(
		"default_action = \"Errno\"\narchitectures = [\"x86_64\", \"x86\"]\n"
		"[[syscalls]]\nnames = [\"openat\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"flags\", type = \"equals\", value = 0 } ]\n"
		"[[syscalls]]\nnames = [\"fchmod\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"mode\", type = \"equals\", value = 0o644 } ]\n"
		"[[syscalls]]\nnames = [\"lseek\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"offset\", type = \"less_than\", value = 4096 } ]\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
		"conditions = [ { index = 1, type = \"equals\", value = \"TCGETS\" } ]\n",
		NULL);
	const struct ir_syscall *s;

	(void)state;
	/* int flags: 32 bits; umode_t: 16; off_t: the register; an index gets the parameter's. */
	s = call(ir, "x86_64", "openat");
	assert_int_equal(s->rules[0].ncmp, 1);
	assert_cmp(&s->rules[0].cmp[0], 2, 32, IR_EQ, 0, 0);
	assert_cmp(&call(ir, "x86_64", "fchmod")->rules[0].cmp[0], 1, 16, IR_EQ, 0, 0644);
	assert_cmp(&call(ir, "x86_64", "lseek")->rules[0].cmp[0], 1, 64, IR_LT, 0, 4096);
	assert_cmp(&call(ir, "x86_64", "ioctl")->rules[0].cmp[0], 1, 32, IR_EQ, 0, 0x5401);
	/* On a 32-bit ABI every register is 32 bits; umode_t is still 16. */
	assert_cmp(&call(ir, "x86", "lseek")->rules[0].cmp[0], 1, 32, IR_LT, 0, 4096);
	assert_cmp(&call(ir, "x86", "fchmod")->rules[0].cmp[0], 1, 16, IR_EQ, 0, 0644);
	/* The width is what is compared: garbage in the upper half does not matter. */
	assert_action(eval(ir, "x86_64", "ioctl", 1, 0xdead000000005401ULL, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "ioctl", 1, 0x5402, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86_64", "lseek", 1, 0x100000000ULL, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86_64", "lseek", 1, 4095, 0), SC_ACT_ALLOW, 0);
	ir_free(ir);
}

static void constants_become_values(void **state)
{
	struct ir *ir = resolve_text(
		"default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		"[[syscalls]]\nnames = [\"openat\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"dfd\", type = \"equals\", value = \"-100\" },\n"
		"               { argument = \"flags\", type = \"masked_equals\", mask = \"O_ACCMODE\", value = \"O_WRONLY|O_RDWR\" } ]\n"
		"[[syscalls]]\nnames = [\"socket\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"type\", type = \"masked_equals\", mask = \"~(SOCK_NONBLOCK|SOCK_CLOEXEC)\", value = \"SOCK_STREAM\" } ]\n"
		"[[syscalls]]\nnames = [\"kill\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"sig\", type = \"equals\", value = \"0x0f\" } ]\n",
		NULL);
	const struct ir_syscall *s = call(ir, "x86_64", "openat");

	(void)state;
	assert_int_equal(s->rules[0].ncmp, 2);
	/* -100 sign-extended, cut to the 32 bits of `int dfd`. */
	assert_cmp(&s->rules[0].cmp[0], 0, 32, IR_EQ, 0, 0xffffff9c);
	assert_cmp(&s->rules[0].cmp[1], 2, 32, IR_MASKED_EQ, 3, 3);
	assert_cmp(&call(ir, "x86_64", "socket")->rules[0].cmp[0], 1, 32, IR_MASKED_EQ,
		   0xffffffff & ~(0x800U | 0x80000U), 1);
	assert_cmp(&call(ir, "x86_64", "kill")->rules[0].cmp[0], 1, 32, IR_EQ, 0, 15);
	assert_action(eval(ir, "x86_64", "openat", (uint64_t)-100, 0, 3), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "openat", 0xffffff9c, 0, 3 | 0x80000), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "openat", (uint64_t)-100, 0, 1), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86_64", "socket", 2, 1 | 0x80000 | 0x800, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "socket", 2, 2, 0), SC_ACT_ERRNO, EPERM);
	ir_free(ir);
}

static void operators_lower_to_masks(void **state)
{
	struct ir *ir = resolve_text(
		"default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		"[[syscalls]]\nnames = [\"clone\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"clone_flags\", type = \"bitmask_all\", value = \"CLONE_VM|CLONE_THREAD\" } ]\n"
		"[[syscalls]]\nnames = [\"unshare\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"unshare_flags\", type = \"bitmask_none\", value = \"CLONE_NEWUSER\" } ]\n"
		"[[syscalls]]\nnames = [\"mmap\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"prot\", type = \"flags_subset\", value = \"PROT_READ|PROT_WRITE\" } ]\n",
		NULL);

	(void)state;
	assert_cmp(&call(ir, "x86_64", "clone")->rules[0].cmp[0], 0, 32, IR_MASKED_EQ, 0x10100, 0x10100);
	/* unshare_flags and prot are `unsigned long`, read whole: 64 bits. */
	assert_cmp(&call(ir, "x86_64", "unshare")->rules[0].cmp[0], 0, 64, IR_MASKED_EQ, 0x10000000, 0);
	assert_cmp(&call(ir, "x86_64", "mmap")->rules[0].cmp[0], 2, 64, IR_MASKED_EQ, ~UINT64_C(3), 0);
	assert_action(eval(ir, "x86_64", "mmap", 0, 4096, 3), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "mmap", 0, 4096, 7), SC_ACT_ERRNO, EPERM);
	ir_free(ir);
}

static void any_of_and_bitmask_any_become_alternatives(void **state)
{
	struct ir *ir = resolve_text(
		"default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		"[[syscalls]]\nnames = [\"socket\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"family\", type = \"any_of\", values = [\"AF_INET\", \"AF_INET6\"] },\n"
		"               { argument = \"type\", type = \"any_of\", values = [1, 2, 3] } ]\n"
		"[[syscalls]]\nnames = [\"openat\"]\naction = \"Trap\"\n"
		"conditions = [ { argument = \"flags\", type = \"bitmask_any\", value = \"O_WRONLY|O_RDWR\" } ]\n"
		"[[syscalls]]\nnames = [\"kill\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"sig\", type = \"bitmask_any\", value = 0 } ]\n",
		NULL);
	const struct ir_syscall *s = call(ir, "x86_64", "socket");

	(void)state;
	/* Two families times three types: six rules of two comparisons each. */
	assert_int_equal(s->nrules, 6);
	for (size_t i = 0; i < s->nrules; i++) {
		assert_int_equal(s->rules[i].ncmp, 2);
		assert_int_equal(s->rules[i].cmp[0].op, IR_EQ);
		assert_int_equal(s->rules[i].cmp[1].op, IR_EQ);
	}
	for (uint64_t fam = 0; fam < 12; fam++)
		for (uint64_t type = 0; type < 5; type++)
			assert_int_equal(eval(ir, "x86_64", "socket", fam, type, 0).type,
					 (fam == 2 || fam == 10) && type >= 1 && type <= 3 ? SC_ACT_ALLOW
											   : SC_ACT_ERRNO);
	/* One rule per bit. */
	s = call(ir, "x86_64", "openat");
	assert_int_equal(s->nrules, 2);
	assert_cmp(&s->rules[0].cmp[0], 2, 32, IR_MASKED_EQ, 1, 1);
	assert_cmp(&s->rules[1].cmp[0], 2, 32, IR_MASKED_EQ, 2, 2);
	assert_action(eval(ir, "x86_64", "openat", 0, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86_64", "openat", 0, 0, 1), SC_ACT_TRAP, 0);
	assert_action(eval(ir, "x86_64", "openat", 0, 0, 2), SC_ACT_TRAP, 0);
	/* No bit to test: never true, so no rule at all. */
	assert_null(call(ir, "x86_64", "kill"));
	ir_free(ir);
}

/* ---- socketcall / ipc ------------------------------------------------------------- */

static void unconditional_rules_open_the_multiplexer_for_their_call(void **state)
{
	struct ir *ir = resolve_text("default_action = \"Errno\"\narchitectures = [\"x86\"]\n"
				     "[[syscalls]]\nnames = [\"connect\", \"shmget\"]\naction = \"Allow\"\n",
				     NULL);
	const struct ir_syscall *s;

	(void)state;
	s = call(ir, "x86", "socketcall");
	assert_non_null(s);
	assert_int_equal(s->nrules, 1);
	assert_cmp(&s->rules[0].cmp[0], 0, 32, IR_EQ, 0, 3 /* SYS_CONNECT */);
	s = call(ir, "x86", "ipc");
	assert_non_null(s);
	assert_int_equal(s->nrules, 1);
	assert_cmp(&s->rules[0].cmp[0], 0, 32, IR_EQ, 0, 23 /* SHMGET */);
	assert_action(eval(ir, "x86", "socketcall", 3, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86", "socketcall", 1, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86", "connect", 3, 0, 0), SC_ACT_ALLOW, 0);
	ir_free(ir);
}

static void conditional_rules_and_the_multiplexer(void **state)
{
	static const char deny[] =
		"default_action = \"Errno\"\narchitectures = [\"x86\"]\n"
		"[[syscalls]]\nnames = [\"socket\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"family\", type = \"equals\", value = \"AF_UNIX\" } ]\n"
		"[[syscalls]]\nnames = [\"bind\"]\naction = \"KillProcess\"\n"
		"conditions = [ { argument = \"addrlen\", type = \"greater_than\", value = 100 } ]\n";
	char allow[sizeof(deny) + 32];
	struct sc_policy *p;
	struct ir *ir;
	const struct ir_syscall *s;

	(void)state;
	ir = resolve_text(deny, &p);
	assert_true(has_warning(p, "'socket' on x86 can also be called through 'socketcall', which "
				   "hides its arguments: that route is denied"));
	assert_true(has_warning(p, "'bind' on x86 can also be called through 'socketcall', which "
				   "hides its arguments: that route is denied whatever the arguments"));
	s = call(ir, "x86", "socketcall");
	assert_non_null(s);
	assert_int_equal(s->nrules, 1); /* the kill for bind; nothing for socket */
	assert_action(s->rules[0].action, SC_ACT_KILL_PROCESS, 0);
	assert_action(eval(ir, "x86", "socketcall", 1, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86", "socketcall", 2, 0, 0), SC_ACT_KILL_PROCESS, 0);
	assert_action(eval(ir, "x86", "socket", 1, 0, 0), SC_ACT_ALLOW, 0);
	ir_free(ir);
	sc_policy_free(p);

	snprintf(allow, sizeof(allow), "multiplexed = \"allow\"\n%s", deny);
	ir = resolve_text(allow, &p);
	assert_true(has_warning(p, "'socket' on x86 can also be called through 'socketcall', which "
				   "hides its arguments: that route is allowed unchecked"));
	assert_action(eval(ir, "x86", "socketcall", 1, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86", "socketcall", 2, 0, 0), SC_ACT_KILL_PROCESS, 0);
	assert_action(eval(ir, "x86", "socketcall", 3, 0, 0), SC_ACT_ERRNO, EPERM);
	ir_free(ir);
	sc_policy_free(p);
}

/* ---- ENOSYS floor ----------------------------------------------------------------- */

static void enosys_floor(void **state)
{
	const struct sc_arch *x = sc_arch_lookup("x86_64");
	const uint64_t args[6] = { 0 };
	struct ir *ir = resolve_text("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
				     "enosys_after = \"5.4\"\n"
				     "[[syscalls]]\nnames = [\"faccessat2\", \"openat\"]\naction = \"Allow\"\n",
				     NULL);

	(void)state;
	/* openat2 (5.6) and close_range (5.9) are newer than 5.4 and named by no rule. */
	assert_action(eval(ir, "x86_64", "openat2", 0, 0, 0), SC_ACT_ERRNO, ENOSYS);
	assert_action(eval(ir, "x86_64", "close_range", 0, 0, 0), SC_ACT_ERRNO, ENOSYS);
	/* faccessat2 (5.8) is named; clone3 (5.3) and getpid are old: the default. */
	assert_action(eval(ir, "x86_64", "faccessat2", 0, 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "clone3", 0, 0, 0), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86_64", "getpid", 0, 0, 0), SC_ACT_ERRNO, EPERM);
	/* Numbers past the catalog's: ENOSYS too. */
	assert_true(arch_of(ir, "x86_64")->enosys_above > 400);
	assert_action(ir_eval(ir, x, 1000, args), SC_ACT_ERRNO, ENOSYS);
	ir_free(ir);

	/* Under a default that lets calls through there is nothing to fall back from. */
	ir = resolve_text("default_action = \"Log\"\narchitectures = [\"x86_64\"]\nenosys_after = \"5.4\"\n",
			  NULL);
	assert_action(eval(ir, "x86_64", "openat2", 0, 0, 0), SC_ACT_LOG, 0);
	assert_int_equal(arch_of(ir, "x86_64")->enosys_above, 0);
	ir_free(ir);

	/* enosys_unknown: only past the catalog. */
	ir = resolve_text("default_action = \"KillProcess\"\narchitectures = [\"x86_64\"]\n"
			  "enosys_unknown = true\n",
			  NULL);
	assert_action(eval(ir, "x86_64", "openat2", 0, 0, 0), SC_ACT_KILL_PROCESS, 0);
	assert_action(ir_eval(ir, x, 1000, args), SC_ACT_ERRNO, ENOSYS);
	ir_free(ir);
}

/* ---- order and dead rules --------------------------------------------------------- */

static void most_restrictive_first(void **state)
{
	struct ir *ir = resolve_text(
		"default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Log\"\n"
		"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TCGETS\" } ]\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Errno\"\nerrno_ret = \"EACCES\"\n"
		"conditions = [ { argument = \"fd\", type = \"equals\", value = 5 } ]\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Errno\"\nerrno_ret = \"EIO\"\n"
		"conditions = [ { argument = \"fd\", type = \"equals\", value = 6 } ]\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Trap\"\n"
		"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TIOCSTI\" } ]\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"KillProcess\"\n"
		"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TIOCSTI\" },\n"
		"               { argument = \"fd\", type = \"equals\", value = 0 } ]\n",
		NULL);
	const struct ir_syscall *s = call(ir, "x86_64", "ioctl");

	(void)state;
	assert_int_equal(s->nrules, 6);
	assert_action(s->rules[0].action, SC_ACT_KILL_PROCESS, 0);
	assert_action(s->rules[1].action, SC_ACT_TRAP, 0);
	assert_action(s->rules[2].action, SC_ACT_ERRNO, EACCES); /* written first of the two */
	assert_action(s->rules[3].action, SC_ACT_ERRNO, EIO);
	assert_action(s->rules[4].action, SC_ACT_LOG, 0);
	assert_action(s->rules[5].action, SC_ACT_ALLOW, 0);
	assert_int_equal(s->rules[5].ncmp, 0);
	/* The most restrictive matching rule wins, whatever the order written. */
	assert_action(eval(ir, "x86_64", "ioctl", 0, 0x5412, 0), SC_ACT_KILL_PROCESS, 0);
	assert_action(eval(ir, "x86_64", "ioctl", 1, 0x5412, 0), SC_ACT_TRAP, 0);
	assert_action(eval(ir, "x86_64", "ioctl", 5, 0x5401, 0), SC_ACT_ERRNO, EACCES);
	assert_action(eval(ir, "x86_64", "ioctl", 6, 0x5401, 0), SC_ACT_ERRNO, EIO);
	assert_action(eval(ir, "x86_64", "ioctl", 1, 0x5401, 0), SC_ACT_LOG, 0);
	assert_action(eval(ir, "x86_64", "ioctl", 1, 0x5402, 0), SC_ACT_ALLOW, 0);
	ir_free(ir);
}

static void dead_rules_are_dropped(void **state)
{
	struct ir *ir = resolve_text(
		"default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		/* the default's own action, unconditional: changes nothing */
		"[[syscalls]]\nnames = [\"getpid\"]\naction = \"Errno\"\n"
		/* after an unconditional kill nothing is reached */
		"[[syscalls]]\nnames = [\"ptrace\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"request\", type = \"equals\", value = 0 } ]\n"
		"[[syscalls]]\nnames = [\"ptrace\"]\naction = \"KillProcess\"\n"
		/* a conditional rule beside an unconditional one with its action adds nothing */
		"[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\n"
		"conditions = [ { argument = \"fd\", type = \"equals\", value = 0 } ]\n"
		"[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\n"
		/* the same rule twice (here once directly, once through a group) is kept once */
		"[[syscalls]]\nnames = [\"lseek\"]\naction = \"Trap\"\n"
		"[[abstract_syscalls]]\nnames = [\"seek_ops\"]\naction = \"Trap\"\n"
		/* a conditional rule giving the default after the last deciding one */
		"[[syscalls]]\nnames = [\"close\"]\naction = \"Errno\"\n"
		"conditions = [ { argument = \"fd\", type = \"equals\", value = 9 } ]\n"
		"[[syscalls]]\nnames = [\"close\"]\naction = \"Log\"\n"
		"conditions = [ { argument = \"fd\", type = \"equals\", value = 1 } ]\n",
		NULL);
	const struct ir_syscall *s;

	(void)state;
	assert_null(call(ir, "x86_64", "getpid"));
	s = call(ir, "x86_64", "ptrace");
	assert_int_equal(s->nrules, 1);
	assert_action(s->rules[0].action, SC_ACT_KILL_PROCESS, 0);
	assert_int_equal(s->rules[0].ncmp, 0);
	s = call(ir, "x86_64", "read");
	assert_int_equal(s->nrules, 1);
	assert_int_equal(s->rules[0].ncmp, 0);
	s = call(ir, "x86_64", "lseek");
	assert_int_equal(s->nrules, 1);
	assert_action(s->rules[0].action, SC_ACT_TRAP, 0);
	/* close: Errno(EPERM) for fd 9 precedes Log, and so still decides: it stays. */
	s = call(ir, "x86_64", "close");
	assert_int_equal(s->nrules, 2);
	assert_action(s->rules[0].action, SC_ACT_ERRNO, EPERM);
	assert_action(s->rules[1].action, SC_ACT_LOG, 0);
	assert_int_equal(arch_of(ir, "x86_64")->ncalls, 4);
	ir_free(ir);

	/* A trailing rule with the default action is dropped: Allow default, Allow rule. */
	ir = resolve_text("default_action = \"Allow\"\narchitectures = [\"x86_64\"]\n"
			  "[[syscalls]]\nnames = [\"close\"]\naction = \"KillThread\"\n"
			  "conditions = [ { argument = \"fd\", type = \"equals\", value = 9 } ]\n"
			  "[[syscalls]]\nnames = [\"close\"]\naction = \"Allow\"\n"
			  "conditions = [ { argument = \"fd\", type = \"equals\", value = 1 } ]\n",
			  NULL);
	s = call(ir, "x86_64", "close");
	assert_int_equal(s->nrules, 1);
	assert_action(s->rules[0].action, SC_ACT_KILL_THREAD, 0);
	ir_free(ir);
}

static void unlisted_abis_get_bad_arch_action(void **state)
{
	struct ir *ir;

	(void)state;
	ir = resolve_text("default_action = \"Allow\"\narchitectures = [\"x86_64\"]\n", NULL);
	assert_action(ir->bad_arch, SC_ACT_KILL_PROCESS, 0);
	assert_action(eval(ir, "x32", "read", 0, 0, 0), SC_ACT_KILL_PROCESS, 0);
	assert_action(eval(ir, "x86", "read", 0, 0, 0), SC_ACT_KILL_PROCESS, 0);
	ir_free(ir);
	ir = resolve_text("default_action = \"Errno\"\ndefault_errno_ret = 38\narchitectures = [\"x86_64\"]\n",
			  NULL);
	assert_action(eval(ir, "aarch64", "read", 0, 0, 0), SC_ACT_ERRNO, 38);
	ir_free(ir);
	ir = resolve_text("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
			  "bad_arch_action = \"Trap\"\n",
			  NULL);
	assert_action(eval(ir, "x86", "read", 0, 0, 0), SC_ACT_TRAP, 0);
	ir_free(ir);
}

/* ---- errors ----------------------------------------------------------------------- */

static void errors_name_the_place(void **state)
{
	(void)state;
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[syscalls]]\nnames = [\"read\", \"opneat\"]\naction = \"Allow\"\n",
		     4, 18, "unknown syscall 'opneat'", "did you mean 'openat'?");
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[abstract_syscalls]]\nnames = [\"seek_opz\"]\naction = \"Allow\"\n",
		     4, 10, "unknown group 'seek_opz'", "did you mean 'seek_ops'?");
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[syscalls]]\nnames = [\"openat\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"flagz\", type = \"equals\", value = 0 } ]\n",
		     6, 29, "'openat' has no argument 'flagz'", "did you mean 'flags'?");
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[syscalls]]\nnames = [\"getpid\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"fd\", type = \"equals\", value = 0 } ]\n",
		     6, 29, "'getpid' has no argument 'fd'", "'getpid' takes no arguments");
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[syscalls]]\nnames = [\"close\"]\naction = \"Allow\"\n"
		     "conditions = [ { index = 3, type = \"equals\", value = 0 } ]\n",
		     6, 26, "'close' has 1 argument; index 3 is past them", NULL);
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TCGETZ\" } ]\n",
		     6, 61, "unknown constant 'TCGETZ' in the value of 'cmd' of 'ioctl'",
		     "did you mean 'TCGETA' or 'TCGETS'?");
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
		     "[[syscalls]]\nnames = [\"close\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"fd\", type = \"less_than\", value = 0x100000000 } ]\n",
		     6, 63,
		     "value 0x100000000 is wider than the 32-bit argument 'fd' of 'close' on x86_64: "
		     "it would be cut to 0",
		     "the kernel reads only the low 32 bits of 'fd'; give a value below 0x100000000 "
		     "(or a negative 32-bit one)");
	expect_error("default_action = \"Errno\"\narchitectures = [\"x86\"]\n"
		     "[[syscalls]]\nnames = [\"fanotify_mark\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"dfd\", type = \"equals\", value = 0 } ]\n",
		     6, 29,
		     "cannot locate argument 'dfd' of 'fanotify_mark' on x86: 'mask' before it "
		     "takes two registers there",
		     NULL);
}

static void unknown_syscalls_may_warn_instead(void **state)
{
	static const char text[] = "default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n"
				   "[[syscalls]]\nnames = [\"read\", \"opneat\"]\naction = \"Allow\"\n";
	struct sc_load_options o = { .flags = SC_LOAD_ALLOW_UNKNOWN };
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };
	struct ir *ir = NULL;
	const struct sc_diag *w;

	(void)state;
	assert_int_equal(sc_policy_load_buffer("t.toml", text, sizeof(text) - 1, &o, &p, &d), 0);
	assert_int_equal(resolve_policy(p, &ir, &d), 0);
	assert_non_null(call(ir, "x86_64", "read"));
	assert_int_equal(sc_policy_warning_count(p), 1);
	w = sc_policy_warning(p, 0);
	assert_true(w->warning);
	assert_string_equal(w->message, "unknown syscall 'opneat', skipping");
	assert_int_equal(w->line, 4);
	assert_int_equal(w->col, 18);
	ir_free(ir);
	sc_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_become_each_abis_numbers),
		cmocka_unit_test(no_architectures_means_the_native_one),
		cmocka_unit_test(groups_expand_recursively),
		cmocka_unit_test(group_conditions_keep_their_meaning),
		cmocka_unit_test(argument_names_become_index_and_width),
		cmocka_unit_test(constants_become_values),
		cmocka_unit_test(operators_lower_to_masks),
		cmocka_unit_test(any_of_and_bitmask_any_become_alternatives),
		cmocka_unit_test(unconditional_rules_open_the_multiplexer_for_their_call),
		cmocka_unit_test(conditional_rules_and_the_multiplexer),
		cmocka_unit_test(enosys_floor),
		cmocka_unit_test(most_restrictive_first),
		cmocka_unit_test(dead_rules_are_dropped),
		cmocka_unit_test(unlisted_abis_get_bad_arch_action),
		cmocka_unit_test(errors_name_the_place),
		cmocka_unit_test(unknown_syscalls_may_warn_instead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
