/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for the exporters, through sc_filter_export(): a policy exported as TOML or
 * OCI and loaded again is the same rule set (TOML: rule for rule; OCI: call for call, as
 * runc's whole-register reading states ours differently), and what a format cannot state
 * is refused with a message naming the syscall.
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
#include "compile/ir.h"
#include "policy/policy.h"

static const char policy[] =
	"default_action = \"Errno\"\ndefault_errno_ret = \"EACCES\"\narchitectures = [\"x86_64\"]\n"
	"flags = [\"tsync\"]\n"
	"[[abstract_syscalls]]\nnames = [\"seek_ops\", \"file_lock\"]\naction = \"Allow\"\n"
	"[[syscalls]]\nnames = [\"read\", \"write\"]\naction = \"Allow\"\n"
	"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
	"conditions = [ { argument = \"cmd\", type = \"any_of\", values = [\"TCGETS\", \"TIOCGWINSZ\"] } ]\n"
	"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"KillProcess\"\n"
	"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TIOCSTI\" } ]\n"
	"[[syscalls]]\nnames = [\"openat\"]\naction = \"Allow\"\n"
	"conditions = [ { argument = \"flags\", type = \"masked_equals\", mask = \"O_ACCMODE\", value = \"O_RDONLY\" },\n"
	"               { argument = \"dfd\", type = \"equals\", value = -100 } ]\n"
	"[[syscalls]]\nnames = [\"socket\"]\naction = \"Trace\"\nerrno_ret = 7\n"
	"conditions = [ { argument = \"family\", type = \"less_than\", value = 3 } ]\n"
	"[[syscalls]]\nnames = [\"kill\"]\naction = \"Log\"\n"
	"conditions = [ { argument = \"sig\", type = \"not_equals\", value = 9 } ]\n"
	"[[syscalls]]\nnames = [\"ptrace\"]\naction = \"Errno\"\nerrno_ret = \"EPERM\"\n";

static struct sc_policy *load(const char *name, const char *text)
{
	return fixture_load(name, text, NULL);
}

static struct sc_filter *compile(struct sc_policy *p)
{
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_compile(p, &f, &d) != 0)
		fail_msg("compile failed: %s", d.message);
	return f;
}

static char *export(const struct sc_filter *f, enum sc_format format)
{
	struct sc_diag d = { 0 };
	char *text = NULL;
	size_t len = 0;

	if (sc_filter_export(f, format, &text, &len, &d) != 0)
		fail_msg("export failed: %s", d.message);
	assert_int_equal(strlen(text), len);
	return text;
}

/* Argument values around every constant and boundary the policy uses. */
static const uint64_t probes[] = {
	0, 1, 2, 3, 4, 7, 9, 0x5401, 0x5412, 0x5413, 0x80000, 0x80001, 0xffffff9c,
	0xffffffffffffff9cULL, 0x100005401ULL, UINT64_MAX,
};
#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

/* The two filters answer every syscall number on x86_64 alike, for every probe in args 0-2. */
static void assert_same_answers(const struct sc_filter *a, const struct sc_filter *b)
{
	const struct sc_arch *x = sc_arch_lookup("x86_64");

	for (uint32_t nr = 0; nr < 480; nr++)
		for (size_t i = 0; i < N_PROBES; i++)
			for (size_t k = 0; k < N_PROBES; k += 3) {
				uint64_t args[6] = { probes[k], probes[i], probes[(i + k) % N_PROBES], 0, 0, 0 };
				uint32_t ra = sc_filter_eval(a, x, nr, args), rb = sc_filter_eval(b, x, nr, args);
				if (ra != rb)
					fail_msg("nr %u args %#llx %#llx %#llx: %#x before, %#x after", nr,
						 (unsigned long long)args[0], (unsigned long long)args[1],
						 (unsigned long long)args[2], ra, rb);
			}
}

static void toml_round_trip_is_the_same_rule_set(void **state)
{
	struct sc_policy *p = load("p.toml", policy), *q;
	struct sc_filter *f = compile(p), *g;
	struct ir *a = NULL, *b = NULL;
	struct sc_diag d = { 0 };
	char *text = export(f, SC_FORMAT_TOML);

	(void)state;
	q = load("exported.toml", text);
	g = compile(q);
	assert_int_equal(sc_policy_flags(q), SC_FILTER_TSYNC);
	assert_int_equal(resolve_policy(p, &a, &d), 0);
	assert_int_equal(resolve_policy(q, &b, &d), 0);
	assert_int_equal(a->def.type, b->def.type);
	assert_int_equal(a->def.data, b->def.data);
	assert_int_equal(a->bad_arch.type, b->bad_arch.type);
	assert_int_equal(a->narches, 1);
	assert_int_equal(b->narches, 1);
	assert_int_equal(a->arches[0].ncalls, b->arches[0].ncalls);
	for (size_t i = 0; i < a->arches[0].ncalls; i++) {
		const struct ir_syscall *s = &a->arches[0].calls[i];
		if (!ir_rules_equal(s, ir_find(&b->arches[0], s->nr)))
			fail_msg("'%s' has other rules after the round trip:\n%s",
				 ir_call_sys(&a->arches[0], s)->name, text);
	}
	assert_same_answers(f, g);
	/* Calls from an unlisted ABI too: TOML states bad_arch_action. */
	{
		const uint64_t args[6] = { 0 };
		assert_int_equal(sc_filter_eval(g, sc_arch_lookup("x86"), 3, args), 0x0005000dU);
		assert_int_equal(sc_filter_eval(f, sc_arch_lookup("x86"), 3, args), 0x0005000dU);
	}
	ir_free(a);
	ir_free(b);
	sc_filter_free(g);
	sc_policy_free(q);
	free(text);
	sc_filter_free(f);
	sc_policy_free(p);
}

static void oci_round_trip_answers_alike(void **state)
{
	struct sc_policy *p = load("p.toml", policy), *q;
	struct sc_filter *f = compile(p), *g;
	char *text = export(f, SC_FORMAT_OCI);

	(void)state;
	assert_non_null(strstr(text, "\"defaultAction\": \"SCMP_ACT_ERRNO\""));
	assert_non_null(strstr(text, "\"SCMP_ARCH_X86_64\""));
	q = load("exported.json", text);
	assert_int_equal(sc_policy_format(q), SC_FORMAT_OCI);
	assert_int_equal(sc_policy_flags(q), SC_FILTER_TSYNC);
	g = compile(q);
	assert_same_answers(f, g);
	/* OCI has no bad-architecture action: runc's libseccomp kills the thread. */
	{
		const uint64_t args[6] = { 0 };
		assert_int_equal(sc_filter_eval(g, sc_arch_lookup("x86"), 3, args), 0U);
	}
	sc_filter_free(g);
	sc_policy_free(q);
	free(text);
	sc_filter_free(f);
	sc_policy_free(p);
}

static void expect_refusal(const char *name, const char *text, enum sc_format format, const char *msg,
			   const char *hint)
{
	struct sc_policy *p = load(name, text);
	struct sc_filter *f = compile(p);
	struct sc_diag d = { 0 };
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(sc_filter_export(f, format, &out, &len, &d), -EINVAL);
	assert_null(out);
	assert_string_equal(d.message, msg);
	if (hint)
		assert_string_equal(d.hint, hint);
	sc_filter_free(f);
	sc_policy_free(p);
}

static void refusals_name_the_syscall(void **state)
{
	(void)state;
	/* OCI: x86's socketcall would get the conditional rule with other arguments. */
	expect_refusal("p.toml",
		       "default_action = \"Errno\"\narchitectures = [\"x86_64\", \"x86\"]\n"
		       "[[syscalls]]\nnames = [\"socket\"]\naction = \"Allow\"\n"
		       "conditions = [ { argument = \"family\", type = \"equals\", value = \"AF_UNIX\" } ]\n",
		       SC_FORMAT_OCI,
		       "cannot export 'socket' to OCI: on x86 runc's libseccomp also applies its conditional "
		       "rules to the multiplexer (socketcall, ipc), whose arguments are not the ones they test",
		       "export for fewer architectures (drop x86 from 'architectures')");
	/* TOML: an OCI profile's whole-register test of a 32-bit parameter. */
	expect_refusal("p.json",
		       "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
		       " \"syscalls\": [{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		       "  \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		       SC_FORMAT_TOML,
		       "cannot export 'ioctl' to TOML: it compares 64 bits of argument 1, which the kernel "
		       "reads as 32 (an OCI profile's whole-register test)",
		       "export it with --format oci, which keeps that meaning");
	/* TOML: an index past the call's parameters, which our TOML refuses to load. */
	expect_refusal("p.json",
		       "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
		       " \"syscalls\": [{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		       "  \"args\": [{\"index\": 3, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		       SC_FORMAT_TOML,
		       "cannot export 'close' to TOML: it tests argument index 3, and it has only 1 parameter",
		       "export it with --format oci, which can state that test");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(toml_round_trip_is_the_same_rule_set),
		cmocka_unit_test(oci_round_trip_answers_alike),
		cmocka_unit_test(refusals_name_the_syscall),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
