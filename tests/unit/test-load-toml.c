/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/policy/load-toml.c: what each key of our TOML means in the policy model
 * (struct sc_policy, before any name is resolved), and errors placed at file:line:col with
 * their message and hint.
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

static struct sc_policy *load(const char *text)
{
	return fixture_load("p.toml", text, NULL);
}

/* Loading @text fails at @line:@col with exactly @msg (and @hint when not NULL). */
static void expect_error(const char *text, unsigned line, unsigned col, const char *msg,
			 const char *hint)
{
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_load_buffer("p.toml", text, strlen(text), NULL, &p, &d) != -EINVAL)
		fail_msg("accepted: %s", text);
	assert_null(p);
	assert_string_equal(d.file, "p.toml");
	assert_string_equal(d.message, msg);
	assert_int_equal(d.line, line);
	assert_int_equal(d.col, col);
	if (hint)
		assert_string_equal(d.hint, hint);
	assert_false(d.warning);
}

static void top_level_keys(void **state)
{
	struct sc_policy *p = load("default_action = \"SCMP_ACT_ERRNO\"\n"
				   "default_errno_ret = \"EACCES\"\n"
				   "architectures = [\"SCMP_ARCH_X86_64\", \"i386\", \"arm64\"]\n"
				   "flags = [\"tsync\", \"SECCOMP_FILTER_FLAG_LOG\", \"spec_allow\"]\n"
				   "multiplexed = \"allow\"\n"
				   "bad_arch_action = \"Errno\"\nbad_arch_errno_ret = 38\n"
				   "enosys_after = \"5.10\"\nenosys_unknown = true\n"
				   "restrict_ptrace = true\ncomment = \"ignored\"\n");

	(void)state;
	assert_int_equal(sc_policy_format(p), SC_FORMAT_TOML);
	assert_string_equal(p->file, "p.toml");
	assert_action(p->def, SC_ACT_ERRNO, EACCES);
	assert_int_equal(p->def_loc.line, 1);
	assert_int_equal(p->def_loc.col, 18);
	assert_int_equal(p->narches, 3);
	assert_ptr_equal(p->arches[0], sc_arch_lookup("x86_64"));
	assert_ptr_equal(p->arches[1], sc_arch_lookup("x86"));
	assert_ptr_equal(p->arches[2], sc_arch_lookup("aarch64"));
	assert_int_equal(p->arch_locs[1].line, 3);
	assert_int_equal(p->arch_locs[1].col, 38);
	assert_int_equal(sc_policy_flags(p), SC_FILTER_TSYNC | SC_FILTER_LOG | SC_FILTER_SPEC_ALLOW);
	assert_int_equal(p->mux, POL_MUX_ALLOW);
	assert_true(p->bad_arch_set);
	assert_action(p->bad_arch, SC_ACT_ERRNO, 38);
	assert_int_equal(p->enosys_after, 5010);
	assert_true(p->enosys_unknown);
	assert_true(sc_policy_restricts_ptrace(p));
	/* TOML policies keep rules equal to the default (they may still take precedence). */
	assert_false(p->drop_default_rules);
	assert_int_equal(p->nrules, 0);
	assert_int_equal(sc_policy_warning_count(p), 0);
	sc_policy_free(p);
}

static void defaults_when_keys_are_absent(void **state)
{
	struct sc_policy *p = load("architectures = [\"x86_64\"]\n");

	(void)state;
	/* A policy that says nothing denies: KillProcess. */
	assert_action(p->def, SC_ACT_KILL_PROCESS, 0);
	assert_int_equal(sc_policy_flags(p), 0);
	assert_int_equal(p->mux, POL_MUX_DENY);
	assert_false(p->bad_arch_set);
	assert_int_equal(p->enosys_after, 0);
	assert_false(p->enosys_unknown);
	assert_false(sc_policy_restricts_ptrace(p));
	sc_policy_free(p);

	/* Errno carries EPERM unless told otherwise; "multiplexed = deny" is the default spelled. */
	p = load("default_action = \"Errno\"\nmultiplexed = \"deny\"\n");
	assert_action(p->def, SC_ACT_ERRNO, EPERM);
	assert_int_equal(p->mux, POL_MUX_DENY);
	assert_int_equal(p->narches, 0);
	sc_policy_free(p);
}

static void rules_and_their_conditions(void **state)
{
	struct sc_policy *p = load(
		"default_action = \"Allow\"\n"
		"[[abstract_syscalls]]\nnames = [\"seek_ops\", \"fd_stat\"]\naction = \"Log\"\n"
		"[[syscalls]]\nnames = [\"ptrace\", \"bpf\"]\naction = \"Errno\"\nerrno_ret = 1\n"
		"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Trace\"\nerrno_ret = \"EIO\"\n"
		"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TIOCSTI\" },\n"
		"               { index = 0, type = \"less_than\", value = 3, comment = \"stdio\" } ]\n"
		"[[syscalls]]\nnames = [\"socket\"]\naction = \"KillThread\"\n"
		"conditions = [ { argument = \"family\", type = \"any_of\", values = [\"AF_PACKET\", 17] } ]\n"
		"[[syscalls]]\nnames = [\"mmap\"]\naction = \"Trap\"\n"
		"conditions = [ { index = 2, op = \"SCMP_CMP_MASKED_EQ\", value = 4, value_two = 4 } ]\n");
	const struct pol_rule *r;

	(void)state;
	/* Groups come first ([[abstract_syscalls]] is read before [[syscalls]]). */
	assert_int_equal(p->nrules, 5);
	r = &p->rules[0];
	assert_true(r->is_group);
	assert_int_equal(r->nnames, 2);
	assert_string_equal(r->names[0].name, "seek_ops");
	assert_string_equal(r->names[1].name, "fd_stat");
	assert_int_equal(r->names[1].loc.line, 3);
	assert_int_equal(r->names[1].loc.col, 22);
	assert_int_equal(r->names[1].loc.span, 9);
	assert_action(r->action, SC_ACT_LOG, 0);
	assert_string_equal(r->origin, "abstract_syscalls[0]");

	r = &p->rules[1];
	assert_false(r->is_group);
	assert_string_equal(r->origin, "syscalls[0]");
	assert_int_equal(r->nnames, 2);
	assert_string_equal(r->names[1].name, "bpf");
	assert_action(r->action, SC_ACT_ERRNO, 1);
	assert_int_equal(r->nconds, 0);

	r = &p->rules[2];
	assert_action(r->action, SC_ACT_TRACE, EIO);
	assert_int_equal(r->nconds, 2);
	assert_string_equal(r->conds[0].arg, "cmd");
	assert_int_equal(r->conds[0].op, POL_EQ);
	assert_string_equal(r->conds[0].value.text, "TIOCSTI"); /* resolved later, per ABI */
	assert_null(r->conds[1].arg);
	assert_int_equal(r->conds[1].index, 0);
	assert_int_equal(r->conds[1].op, POL_LT);
	assert_null(r->conds[1].value.text);
	assert_int_equal(r->conds[1].value.num, 3);
	assert_false(r->split_conds);

	r = &p->rules[3];
	assert_action(r->action, SC_ACT_KILL_THREAD, 0);
	assert_int_equal(r->conds[0].op, POL_ANY_OF);
	assert_int_equal(r->conds[0].nvalues, 2);
	assert_string_equal(r->conds[0].values[0].text, "AF_PACKET");
	assert_int_equal(r->conds[0].values[1].num, 17);

	/* The seed's OCI-style row: `op` with value = mask, value_two = datum. */
	r = &p->rules[4];
	assert_action(r->action, SC_ACT_TRAP, 0);
	assert_int_equal(r->conds[0].op, POL_MASKED_EQ);
	assert_int_equal(r->conds[0].index, 2);
	assert_int_equal(r->conds[0].mask.num, 4);
	assert_int_equal(r->conds[0].value.num, 4);
	sc_policy_free(p);
}

/* Every condition type by name, to the operator the resolver lowers. */
static void condition_types(void **state)
{
	static const struct {
		const char *type;
		enum pol_op op;
	} types[] = {
		{ "equals", POL_EQ },           { "not_equals", POL_NE },
		{ "less_than", POL_LT },        { "less_or_equal", POL_LE },
		{ "greater_than", POL_GT },     { "greater_or_equal", POL_GE },
		{ "bitmask_all", POL_BITS_ALL }, { "bitmask_any", POL_BITS_ANY },
		{ "bitmask_none", POL_BITS_NONE }, { "flags_subset", POL_FLAGS_SUBSET },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char text[256];
		struct sc_policy *p;
		snprintf(text, sizeof(text),
			 "[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\n"
			 "conditions = [ { argument = \"fd\", type = \"%s\", value = 7 } ]\n",
			 types[i].type);
		p = load(text);
		assert_int_equal(p->rules[0].conds[0].op, types[i].op);
		assert_int_equal(p->rules[0].conds[0].value.num, 7);
		sc_policy_free(p);
	}
}

static void errors_are_placed(void **state)
{
	(void)state;
	expect_error("defualt_action = \"Allow\"\n", 1, 1, "unknown key 'defualt_action' in the policy",
		     "did you mean 'default_action'?");
	expect_error("default_action = \"Alow\"\n", 1, 18, "unknown action 'Alow'", "did you mean 'Allow'?");
	expect_error("default_action = 1\n", 1, 18, "expected an action name (a string), found an integer",
		     NULL);
	expect_error("default_action = \"Allow\"\ndefault_errno_ret = 1\n", 2, 21,
		     "'default_errno_ret' given for the default action 'Allow', which returns no errno", NULL);
	expect_error("default_action = \"Errno\"\ndefault_errno_ret = 4096\n", 2, 21,
		     "expected an errno from 0 to 4095, found 4096", NULL);
	expect_error("default_action = \"Errno\"\ndefault_errno_ret = \"EPREM\"\n", 2, 21,
		     "unknown errno name 'EPREM'", "did you mean 'EPERM'?");
	expect_error("architectures = [\"x86_64\", \"amd46\"]\n", 1, 28, "unknown architecture 'amd46'",
		     NULL);
	expect_error("architectures = \"x86_64\"\n", 1, 17, "expected a list of architectures", NULL);
	expect_error("flags = [\"tsync\", \"lgo\"]\n", 1, 19,
		     "unknown flag 'lgo'; expected tsync, log, spec_allow or wait_killable_recv", NULL);
	expect_error("multiplexed = \"maybe\"\n", 1, 15, "expected 'deny' or 'allow', found 'maybe'", NULL);
	expect_error("enosys_after = \"five\"\n", 1, 16,
		     "expected a kernel version such as \"5.4\", found 'five'", NULL);
	expect_error("restrict_ptrace = \"yes\"\n", 1, 19, "expected true or false, found a string", NULL);
	expect_error("syscalls = 1\n", 1, 12, "expected [[syscalls]] tables", NULL);
	expect_error("default_action = \"Allow\"\n\n[[syscalls]]\naction = \"Errno\"\n", 3, 1,
		     "[[syscalls]] has no 'names'", NULL);
	expect_error("[[syscalls]]\nnames = []\naction = \"Errno\"\n", 2, 9,
		     "expected a non-empty list of syscall names", NULL);
	expect_error("[[syscalls]]\nnames = [\"read\"]\n", 1, 1, "[[syscalls]] has no 'action'", NULL);
	expect_error("[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\nerrno_ret = 1\n", 4, 13,
		     "'errno_ret' given for the action 'Allow', which returns no errno", NULL);
	expect_error("[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\nnmaes = 1\n", 4, 1,
		     "unknown key 'nmaes' in [[syscalls]]", "did you mean 'names'?");
	expect_error("[[abstract_syscalls]]\nnames = [\"seek_ops\"]\naction = \"Allow\"\n"
		     "conditions = []\n",
		     4, 1, "unknown key 'conditions' in [[abstract_syscalls]]", NULL);
	expect_error("[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"fd\", type = \"equal\", value = 1 } ]\n",
		     4, 42, "unknown condition type 'equal'", "did you mean 'equals'?");
	expect_error("[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\n"
		     "conditions = [ { argument = \"fd\", type = \"equals\" } ]\n",
		     4, 16, "condition 'equals' has no value", "add value = <integer or constant>");
	/* A syntax error: the TOML parser's message, where it happened. */
	expect_error("default_action = \"Allow\"\n[[syscalls]\n", 2, 11,
		     "expected ']]' after the table name, found ']'", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(top_level_keys),
		cmocka_unit_test(defaults_when_keys_are_absent),
		cmocka_unit_test(rules_and_their_conditions),
		cmocka_unit_test(condition_types),
		cmocka_unit_test(errors_are_placed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
