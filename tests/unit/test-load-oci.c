/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/policy/load-oci.c: an OCI profile means what runc (through libseccomp) makes
 * of it — the native architecture added, MASKED_EQ as (arg & value) == (valueTwo & value),
 * errnoRet ignored on actions that return none, several args on one index an OR, rules with
 * the default action skipped, the first unconditional rule deciding — and errors located.
 * The native architecture is fixed to x86_64 through the load options.
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

static const struct sc_load_options x86_64_host = { .native_arch = "x86_64", .kernel = "6.1" };

static struct sc_policy *load_with(const char *text, const struct sc_load_options *o)
{
	return fixture_load("p.json", text, o);
}

static struct sc_policy *load(const char *text)
{
	return load_with(text, &x86_64_host);
}

static struct ir *resolve(struct sc_policy *p)
{
	struct sc_diag d = { 0 };
	struct ir *ir = NULL;

	if (resolve_policy(p, &ir, &d) != 0)
		fail_msg("resolve failed: %s:%u:%u: %s", d.file, d.line, d.col, d.message);
	return ir;
}

static void expect_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_load_buffer("p.json", text, strlen(text), &x86_64_host, &p, &d) != -EINVAL)
		fail_msg("accepted: %s", text);
	assert_string_equal(d.message, msg);
	assert_string_equal(d.file, "p.json");
	assert_int_equal(d.line, line);
	assert_int_equal(d.col, col);
}

static struct sc_action eval(const struct ir *ir, const char *arch, const char *sys, uint64_t a0,
			     uint64_t a1)
{
	const struct sc_arch *a = sc_arch_lookup(arch);
	const uint64_t args[6] = { a0, a1, 0, 0, 0, 0 };

	return ir_eval(ir, a, sc_syscall_lookup(a, sys)->nr, args);
}

static const struct ir_syscall *call(const struct ir *ir, const char *arch, const char *sys)
{
	const struct sc_arch *a = sc_arch_lookup(arch);

	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == a)
			return ir_find(&ir->arches[i], sc_syscall_lookup(a, sys)->nr);
	return NULL;
}

static bool has_warning(const struct sc_policy *p, const char *msg)
{
	return fixture_has_warning(p, msg);
}

static void keys_and_defaults(void **state)
{
	struct sc_policy *p = load(
		"{\n"
		"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		"  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
		"  \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\"],\n"
		"  \"syscalls\": [\n"
		"    { \"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\" },\n"
		"    { \"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1 },\n"
		"    { \"names\": [\"bpf\"], \"action\": \"SCMP_ACT_TRACE\" },\n"
		"    { \"names\": [\"kill\"], \"action\": \"SCMP_ACT_KILL\" }\n"
		"  ]\n"
		"}\n");

	(void)state;
	assert_int_equal(sc_policy_format(p), SC_FORMAT_OCI);
	/* defaultErrnoRet absent: EPERM, as runc. */
	assert_action(p->def, SC_ACT_ERRNO, EPERM);
	assert_int_equal(p->def_loc.line, 2);
	assert_int_equal(p->narches, 2);
	assert_int_equal(sc_policy_flags(p), SC_FILTER_TSYNC | SC_FILTER_LOG);
	/* libseccomp's bad-architecture action, which neither runtime changes. */
	assert_true(p->bad_arch_set);
	assert_action(p->bad_arch, SC_ACT_KILL_THREAD, 0);
	assert_true(p->drop_default_rules);
	assert_int_equal(p->nrules, 4);
	assert_string_equal(p->rules[0].origin, "syscalls[0]");
	assert_int_equal(p->rules[0].names[1].loc.line, 6);
	assert_action(p->rules[0].action, SC_ACT_ALLOW, 0);
	assert_action(p->rules[1].action, SC_ACT_ERRNO, 1);
	assert_action(p->rules[2].action, SC_ACT_TRACE, EPERM); /* runc: Trace carries EPERM too */
	assert_action(p->rules[3].action, SC_ACT_KILL_THREAD, 0); /* SCMP_ACT_KILL is KILL_THREAD */
	assert_int_equal(sc_policy_warning_count(p), 0);
	sc_policy_free(p);

	/* Errno names, as the containers projects write them, win over numbers. */
	p = load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrno\": \"ENOSYS\", \"defaultErrnoRet\": 1,"
		 " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"EACCES\","
		 " \"errnoRet\": 5}]}");
	assert_action(p->def, SC_ACT_ERRNO, ENOSYS);
	assert_action(p->rules[0].action, SC_ACT_ERRNO, EACCES);
	/* No architectures: none listed, the native one alone at resolve time. */
	assert_int_equal(p->narches, 0);
	sc_policy_free(p);
}

static void native_architecture_is_added(void **state)
{
	struct sc_policy *p = load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"],"
				   " \"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	struct ir *ir;

	(void)state;
	assert_int_equal(p->narches, 2);
	assert_ptr_equal(p->arches[0], sc_arch_lookup("x86"));
	assert_ptr_equal(p->arches[1], sc_arch_lookup("x86_64"));
	ir = resolve(p);
	assert_action(eval(ir, "x86_64", "getpid", 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86", "getpid", 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x32", "getpid", 0, 0), SC_ACT_KILL_THREAD, 0);
	ir_free(ir);
	sc_policy_free(p);

	/* Another host: its architecture is the one added. */
	{
		struct sc_load_options o = { .native_arch = "aarch64" };
		p = load_with("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_ARM\"]}", &o);
		assert_int_equal(p->narches, 2);
		assert_ptr_equal(p->arches[1], sc_arch_lookup("aarch64"));
		sc_policy_free(p);
	}
}

static void masked_eq_compares_datum_and_mask(void **state)
{
	struct sc_policy *p = load(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [\n"
		" {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"  \"args\": [{\"index\": 0, \"value\": 255, \"valueTwo\": 4660, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},\n"
		" {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"  \"args\": [{\"index\": 0, \"value\": 0, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
	struct ir *ir = resolve(p);
	const struct ir_syscall *s = call(ir, "x86_64", "personality");

	(void)state;
	assert_int_equal(p->rules[0].conds[0].mask.num, 255);
	assert_int_equal(p->rules[0].conds[0].value.num, 4660);
	assert_int_equal(s->nrules, 1);
	/* (arg & 0xff) == (0x1234 & 0xff), on the whole 64-bit register. */
	assert_int_equal(s->rules[0].cmp[0].op, IR_MASKED_EQ);
	assert_int_equal(s->rules[0].cmp[0].bits, 64);
	assert_int_equal(s->rules[0].cmp[0].mask, 0xff);
	assert_int_equal(s->rules[0].cmp[0].value, 0x34);
	assert_action(eval(ir, "x86_64", "personality", 0x34, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "personality", 0xffffff34, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "personality", 0x1234 + 1, 0), SC_ACT_ERRNO, EPERM);
	/* A mask of 0: no test, the rule is unconditional. */
	s = call(ir, "x86_64", "getpid");
	assert_int_equal(s->nrules, 1);
	assert_int_equal(s->rules[0].ncmp, 0);
	ir_free(ir);
	sc_policy_free(p);
}

static void errno_ret_ignored_on_other_actions(void **state)
{
	/* runc: under an Allow default with defaultErrnoRet, {getppid: ALLOW} is a rule with the
	 * default action, skipped; the later {getppid: ERRNO 13} decides. */
	struct sc_policy *p = load(
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1,\n"
		" \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [\n"
		" {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1},\n"
		" {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}]}");
	struct ir *ir;

	(void)state;
	assert_action(p->def, SC_ACT_ALLOW, 0);
	assert_action(p->rules[0].action, SC_ACT_ALLOW, 0);
	assert_int_equal(sc_policy_warning_count(p), 2);
	assert_true(has_warning(p, "'defaultErrnoRet' given for SCMP_ACT_ALLOW, which returns no errno: "
				   "ignored, as runc ignores it"));
	assert_true(has_warning(p, "'errnoRet' given for SCMP_ACT_ALLOW, which returns no errno: "
				   "ignored, as runc ignores it"));
	assert_int_equal(sc_policy_warning(p, 0)->line, 1);
	assert_int_equal(sc_policy_warning(p, 1)->line, 3);
	ir = resolve(p);
	assert_action(eval(ir, "x86_64", "getppid", 0, 0), SC_ACT_ERRNO, 13);
	assert_action(eval(ir, "x86_64", "getpid", 0, 0), SC_ACT_ALLOW, 0);
	ir_free(ir);
	sc_policy_free(p);
}

static void args_on_one_index_are_an_or(void **state)
{
	struct sc_policy *p = load(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [\n"
		" {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
		"   {\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"},\n"
		"   {\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},\n"
		" {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
		"   {\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},\n"
		"   {\"index\": 1, \"value\": 15, \"op\": \"SCMP_CMP_EQ\"}]}]}");
	struct ir *ir = resolve(p);

	(void)state;
	assert_true(p->rules[0].split_conds);
	assert_false(p->rules[1].split_conds);
	assert_int_equal(call(ir, "x86_64", "personality")->nrules, 2);
	assert_action(eval(ir, "x86_64", "personality", 0, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "personality", 8, 0), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "personality", 4, 0), SC_ACT_ERRNO, EPERM);
	/* On different indexes: ANDed, compared on whole registers. */
	assert_int_equal(call(ir, "x86_64", "kill")->nrules, 1);
	assert_action(eval(ir, "x86_64", "kill", 1, 15), SC_ACT_ALLOW, 0);
	assert_action(eval(ir, "x86_64", "kill", 1, 9), SC_ACT_ERRNO, EPERM);
	assert_action(eval(ir, "x86_64", "kill", 0x100000001ULL, 15), SC_ACT_ERRNO, EPERM);
	ir_free(ir);
	sc_policy_free(p);
}

static void first_unconditional_rule_decides(void **state)
{
	/* containers-common's setns: allowed by the big list, the later ERRNO is ignored. */
	struct sc_policy *p = load(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [\n"
		" {\"names\": [\"setns\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
		" {\"names\": [\"setns\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\"},\n"
		" {\"names\": [\"no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	struct ir *ir = resolve(p);

	(void)state;
	assert_action(eval(ir, "x86_64", "setns", 0, 0), SC_ACT_ALLOW, 0);
	assert_int_equal(call(ir, "x86_64", "setns")->nrules, 1);
	assert_action(eval(ir, "x86_64", "read", 0, 0), SC_ACT_ALLOW, 0);
	/* Unknown names are skipped, with a warning naming them (runc skips them silently). */
	assert_true(has_warning(p, "unknown syscall 'no_such_call', skipping"));
	ir_free(ir);
	sc_policy_free(p);
}

static void docker_extensions(void **state)
{
	static const char profile[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		" \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]},\n"
		"             {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}],\n"
		" \"syscalls\": [\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"\"},\n"
		" {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_PTRACE\"]}},\n"
		" {\"names\": [\"chown\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_CHOWN\"]}},\n"
		" {\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}},\n"
		" {\"names\": [\"sync\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"arm64\"]}},\n"
		" {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.8\"}},\n"
		" {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_KILL\"]}}]}";
	struct sc_policy *p = load(profile);

	(void)state;
	/* The engine's entry and its sub-architectures; the other entry is ignored. */
	assert_int_equal(p->narches, 3);
	assert_ptr_equal(p->arches[0], sc_arch_lookup("x86_64"));
	assert_ptr_equal(p->arches[1], sc_arch_lookup("x86"));
	assert_ptr_equal(p->arches[2], sc_arch_lookup("x32"));
	/* Docker's default caps have CAP_CHOWN and CAP_KILL, not CAP_SYS_PTRACE; kernel 6.1. */
	assert_int_equal(p->nrules, 4);
	assert_string_equal(p->rules[0].names[0].name, "read");
	assert_string_equal(p->rules[1].names[0].name, "chown");
	assert_string_equal(p->rules[2].names[0].name, "arch_prctl");
	assert_string_equal(p->rules[3].names[0].name, "getpid");
	sc_policy_free(p);

	{
		struct sc_load_options o = { .native_arch = "x86_64", .kernel = "5.4",
					     .caps = "CAP_SYS_PTRACE" };
		p = load_with(profile, &o);
		assert_int_equal(p->nrules, 4);
		assert_string_equal(p->rules[1].names[0].name, "ptrace");
		assert_string_equal(p->rules[2].names[0].name, "arch_prctl");
		assert_string_equal(p->rules[3].names[0].name, "getppid");
		sc_policy_free(p);
	}
}

static void wide_values_and_their_limits(void **state)
{
	struct sc_policy *p = load(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [\n"
		" {\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"  \"args\": [{\"index\": 1, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\"}]}]}");
	struct sc_diag d = { 0 };
	struct ir *ir = NULL;
	static const char on_x86[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"], \"syscalls\": [\n"
		" {\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"  \"args\": [{\"index\": 1, \"value\": 4294967296, \"op\": \"SCMP_CMP_LT\"}]}]}";

	(void)state;
	/* Above INT64_MAX: read as the uint64 runc reads. */
	assert_int_equal(p->rules[0].conds[0].value.num, UINT64_MAX);
	ir = resolve(p);
	assert_action(eval(ir, "x86_64", "lseek", 0, UINT64_MAX), SC_ACT_ALLOW, 0);
	ir_free(ir);
	sc_policy_free(p);

	/* On a 32-bit ABI libseccomp would compare the low half: refused at the value. */
	p = load(on_x86);
	assert_int_equal(resolve_policy(p, &ir, &d), -EINVAL);
	assert_string_equal(d.message, "value 0x100000000 is wider than the 32-bit argument registers of "
				       "SCMP_ARCH_X86: libseccomp would compare 'offset' (index 1) of "
				       "'lseek' with its low 32 bits (0)");
	assert_string_equal(d.hint, "give a value below 0x100000000, or drop SCMP_ARCH_X86 from 'architectures'");
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 34);
	sc_policy_free(p);
}

static void warnings_for_what_is_ignored(void **state)
{
	struct sc_policy *p = load("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/x.sock\",\n"
				   " \"defualtErrnoRet\": 1}");
	const struct sc_diag *w;

	(void)state;
	assert_int_equal(sc_policy_warning_count(p), 2);
	w = sc_policy_warning(p, 0);
	assert_true(w->warning);
	assert_string_equal(w->message, "unknown key 'defualtErrnoRet', ignoring");
	assert_string_equal(w->hint, "did you mean 'defaultErrnoRet'?");
	/* Placed at the key's value. */
	assert_int_equal(w->line, 2);
	assert_int_equal(w->col, 21);
	w = sc_policy_warning(p, 1);
	assert_string_equal(w->message, "'listenerPath' is the runtime's business: seccompose does not "
					"pass the notification fd anywhere, ignoring");
	sc_policy_free(p);
}

static void errors_are_located(void **state)
{
	(void)state;
	expect_error("{\"syscalls\": []}", 1, 1, "the profile has no 'defaultAction'");
	expect_error("[1]", 1, 1, "expected an object with 'defaultAction' and 'syscalls'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ALOW\"}", 1, 19, "unknown action 'SCMP_ACT_ALOW'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"architectures\": [\"SCMP_ARCH_X86_46\"]}", 2,
		     20, "unknown architecture 'SCMP_ARCH_X86_46'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_TSNYC\"]}", 1,
		     47, "unknown seccomp flag 'SECCOMP_FILTER_FLAG_TSNYC'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", 1, 49,
		     "expected a list of syscall rules");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     "  {\"names\": [\"read\"]}]}",
		     2, 3, "syscall rule has no 'action'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     "  {\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		     2, 3, "syscall rule names no syscall");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     "  {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		     "   \"args\": [{\"index\": \"0\", \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		     3, 23, "expected an integer 'index' from 0 to 5");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     "  {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		     "   \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQUAL\"}]}]}",
		     3, 44, "unknown condition type 'SCMP_CMP_EQUAL'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     "  {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5000}]}",
		     2, 63, "expected an errno from 0 to 4095, found 5000");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"architectures\": [\"SCMP_ARCH_X86\"],\n"
		     " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
		     3, 13, "'architectures' and 'archMap' both given");
	/* JSON syntax: jansson's message, where it stopped. */
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n}", 2, 1,
		     "string or '}' expected near '}'");
}

/* The rules are parsed and read one at a time (json_items_split), yet a text that is not
 * JSON is reported as jansson reports the whole of it, even after a rule that is wrong, and
 * a rule's errors are placed in the whole text. */
static void rules_read_one_at_a_time(void **state)
{
	(void)state;
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     " {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALOW\"},\n"
		     " {\"names\": [\"x\"] \"action\": 1}]}",
		     3, 25, "'}' expected near '\"action\"'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
		     "\"action\": \"SCMP_ACT_ALOW\"}], \"flags\": [1,]}",
		     1, 111, "unexpected token near ']'");
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNOX\", \"syscalls\": [{\"names\": [\"read\"], "
		     "\"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"write\"], \"action\": 1,}]}",
		     1, 133, "string or '}' expected near '}'");
	/* the second rule on a line after a two-byte character */
	expect_error("{\"comment\": \"\xc3\xa9\", \"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
		     "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"write\"], "
		     "\"action\": \"SCMP_ACT_ALOW\"}]}",
		     1, 146, "unknown action 'SCMP_ACT_ALOW'");
	/* a wrong rule, and the rest is JSON: the rule's error */
	expect_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		     " {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		     "  \"args\": [{\"index\": 9, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},\n"
		     " {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		     3, 22, "expected an argument index from 0 to 5, found 9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_and_defaults),
		cmocka_unit_test(native_architecture_is_added),
		cmocka_unit_test(masked_eq_compares_datum_and_mask),
		cmocka_unit_test(errno_ret_ignored_on_other_actions),
		cmocka_unit_test(args_on_one_index_are_an_or),
		cmocka_unit_test(first_unconditional_rule_decides),
		cmocka_unit_test(docker_extensions),
		cmocka_unit_test(wide_values_and_their_limits),
		cmocka_unit_test(warnings_for_what_is_ignored),
		cmocka_unit_test(errors_are_located),
		cmocka_unit_test(rules_read_one_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
