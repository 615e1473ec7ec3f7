/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's action cache stays at its limit: since Linux 5.11 the kernel decides, when
 * a filter is attached, which syscall numbers the filter allows whatever the arguments
 * (seccomp_cache_prepare, by running the program with only arch and nr known), and skips
 * the filter for those calls. A number is cached only if every instruction on its path is
 * one the emulation understands and no argument is loaded. So every syscall a policy
 * allows unconditionally must reach `ret ALLOW` through arch and nr tests alone.
 *
 * const_allow() below reimplements the emulation's rules as kernel/seccomp.c
 * (seccomp_is_const_allow, Linux 6.12) states them; it is checked against the rule set for
 * every syscall of every cacheable ABI (the ones without a number bit: x32's calls are
 * never cached) of every built-in policy and reference profile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "api/filter.h"
#include "compile/ir.h"
#include "policy/policy.h"

/*
 * The verdict of the kernel's cache emulation for (@arch, @nr): true only when the run
 * reaches `ret ALLOW`. A is 0 at the start; loads of nr and arch are the only loads it
 * follows; `and #k` and the jumps jeq/jge/jgt/jset with a constant are followed; any other
 * instruction (an argument load, X, scratch memory) means "not constant": not cached.
 */
static bool const_allow(const struct sock_filter *prog, size_t len, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;
	size_t pc = 0;

	while (pc < len) {
		const struct sock_filter *in = &prog[pc];
		bool taken;

		if (in->code == (BPF_RET | BPF_K))
			return in->k == SECCOMP_RET_ALLOW;
		if (in->code == (BPF_LD | BPF_W | BPF_ABS)) {
			if (in->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (in->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return false;
			pc++;
			continue;
		}
		if (in->code == (BPF_ALU | BPF_AND | BPF_K)) {
			a &= in->k;
			pc++;
			continue;
		}
		if (in->code == (BPF_JMP | BPF_JA)) {
			pc += 1 + (size_t)in->k;
			continue;
		}
		switch (in->code) {
		case BPF_JMP | BPF_JEQ | BPF_K: taken = a == in->k; break;
		case BPF_JMP | BPF_JGE | BPF_K: taken = a >= in->k; break;
		case BPF_JMP | BPF_JGT | BPF_K: taken = a > in->k; break;
		case BPF_JMP | BPF_JSET | BPF_K: taken = (a & in->k) != 0; break;
		default: return false;
		}
		pc += 1 + (size_t)(taken ? in->jt : in->jf);
	}
	return false; /* ran off the end: the kernel warns and does not cache */
}

/* Does the rule set allow (@a, @nr) whatever the arguments? */
static bool allows_always(const struct ir *ir, const struct ir_arch *a, uint32_t nr)
{
	const struct ir_syscall *s = ir_find(a, nr);

	if (s)
		return s->nrules > 0 && s->rules[0].ncmp == 0 &&
		       s->rules[0].action.type == SC_ACT_ALLOW;
	if (a->enosys_above && nr > a->enosys_above)
		return ir->enosys.type == SC_ACT_ALLOW;
	return ir->def.type == SC_ACT_ALLOW;
}

static size_t check_filter(const char *name, const struct sc_filter *f)
{
	size_t cached = 0;

	for (size_t i = 0; i < f->ir->narches; i++) {
		const struct ir_arch *a = &f->ir->arches[i];
		if (a->arch->nr_bit)
			continue; /* x32: the kernel never caches it */
		for (size_t k = 0; k < sc_syscall_count(a->arch); k++) {
			uint32_t nr = sc_syscall_at(a->arch, k)->nr;
			bool want = allows_always(f->ir, a, nr);
			bool got = const_allow(f->prog, f->len, a->arch->audit_arch, nr);
			if (want != got)
				fail_msg("%s: %s %s: the rule set %s it unconditionally, the cache "
					 "emulation says %s", name, a->arch->name,
					 sc_syscall_at(a->arch, k)->name, want ? "allows" : "does not allow",
					 got ? "allowed" : "not constant or not allowed");
			cached += got;
		}
	}
	return cached;
}

static void builtin_policies(void **state)
{
	const char *text;
	size_t len;

	(void)state;
	for (size_t i = 0; sc_builtin_policy(i, &text, &len); i++) {
		const char *name = sc_builtin_policy(i, &text, &len);
		struct sc_policy *p = NULL;
		struct sc_filter *f = NULL;
		struct sc_diag d = { 0 };

		if (sc_policy_load_builtin(name, NULL, &p, &d) < 0 || sc_policy_compile(p, &f, &d) < 0)
			fail_msg("%s: %s", name, d.message);
		print_message("built-in %s: %zu syscalls cached\n", name, check_filter(name, f));
		sc_filter_free(f);
		sc_policy_free(p);
	}
}

static void reference_profiles(void **state)
{
	static const char *const files[] = {
		"data/third_party/profiles/docker-default.json",
		"data/third_party/profiles/containers-common.json",
		"tests/oci/container.toml",
	};
	const char *root = getenv("SC_SOURCE_ROOT");

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		struct sc_policy *p = NULL;
		struct sc_filter *f = NULL;
		struct sc_diag d = { 0 };

		snprintf(path, sizeof(path), "%s/%s", root ? root : ".", files[i]);
		if (sc_policy_load_file(path, NULL, &p, &d) < 0 || sc_policy_compile(p, &f, &d) < 0)
			fail_msg("%s: %s", files[i], d.message);
		print_message("%s: %zu syscalls cached\n", files[i], check_filter(files[i], f));
		sc_filter_free(f);
		sc_policy_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_policies),
		cmocka_unit_test(reference_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
