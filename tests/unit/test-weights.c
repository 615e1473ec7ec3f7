/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `--weights FILE` (lib/catalog/syscall-freq.c, bpf-gen.c's number search): a weights file is
 * checked line by line with its place named; its counts put the calls made most at the top
 * of the search; and they change only the layout, never what the filter decides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <errno.h>

#include "api/filter.h"
#include "bpf/bpf-sim.h"
#include "catalog/syscall-freq.h"

static const char policy[] =
	"default_action = \"Errno\"\n"
	"[[abstract_syscalls]]\n"
	"names = [\"stdio_app\", \"open_read\", \"socket_inet\", \"pid_get\", \"fd_stat\"]\n"
	"action = \"Allow\"\n";

static void bad_lines_are_named(void **state)
{
	struct sc_diag d = { 0 };
	const char ok[] = "# counts\n\n20831 read\n  7 write  \n";
	const char typo[] = "10 read\n5 getpdi\n";
	const char nocount[] = "10 read\nclose 4\n";
	const char huge[] = "99999999999999999999 read\n";

	(void)state;
	assert_int_equal(syscall_freq_check("w.txt", ok, strlen(ok), &d), 0);
	assert_int_equal(syscall_freq_check("w.txt", typo, strlen(typo), &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 3);
	assert_non_null(strstr(d.message, "unknown syscall 'getpdi'"));
	assert_non_null(strstr(d.hint, "getpid"));
	assert_int_equal(syscall_freq_check("w.txt", nocount, strlen(nocount), &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 1);
	assert_int_equal(syscall_freq_check("w.txt", huge, strlen(huge), &d), -EINVAL);
}

static void table_reads_names_per_abi(void **state)
{
	const char text[] = "# x\n30 read\n20 open\n10 openat\n";
	struct syscall_freq *f = NULL;
	size_t n;

	(void)state;
	n = syscall_freq_table(text, strlen(text), sc_arch_lookup("x86_64"), &f);
	assert_int_equal(n, 3);
	assert_int_equal(f[0].nr, 0);
	assert_true(f[0].count == 30);
	free(f);
	n = syscall_freq_table(text, strlen(text), sc_arch_lookup("aarch64"), &f); /* no open */
	assert_int_equal(n, 2);
	free(f);
}

/* Instructions the filter runs for @name on the native ABI, and its answer. */
static size_t steps(const struct sc_filter *f, const char *name, uint32_t *ret)
{
	const struct sc_arch *a = sc_arch_native();
	struct seccomp_data d = { .nr = (int)sc_syscall_lookup(a, name)->nr, .arch = a->audit_arch };
	size_t n = 0;

	*ret = bpf_sim_run_count(f->prog, f->len, &d, &n);
	return n;
}

static struct sc_filter *compile(const char *weights, struct sc_policy **ret_p)
{
	struct sc_load_options o = { 0 };
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	char path[] = "/tmp/sc-weights-XXXXXX";
	int fd = -1;

	if (weights) {
		fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, weights, strlen(weights)), (ssize_t)strlen(weights));
		close(fd);
		o.weights_file = path;
	}
	assert_int_equal(sc_policy_load_buffer("p.toml", policy, strlen(policy), &o, &p, &d), 0);
	assert_int_equal(sc_policy_compile(p, &f, &d), 0);
	if (weights)
		unlink(path);
	*ret_p = p; /* the filter borrows it */
	return f;
}

static void weights_put_hot_calls_first(void **state)
{
	struct sc_policy *pp, *ph;
	struct sc_filter *plain = compile(NULL, &pp);
	struct sc_filter *hot = compile("1000000000 getppid\n1000000000 fstat\n", &ph);
	const char *calls[] = { "getppid", "fstat", "read", "write", "openat", "socket", "ptrace",
				"mount", "kexec_load", "getpid" };
	uint32_t a, b;

	(void)state;
	/* getppid is rare in the built-in table: deep in the search without the weights. */
	print_message("getppid: %zu instructions with the weights, %zu without\n",
		      steps(hot, "getppid", &a), steps(plain, "getppid", &b));
	assert_true(steps(hot, "getppid", &a) < steps(plain, "getppid", &b));
	assert_true(steps(hot, "getppid", &a) <= 7); /* arch, nr, three jumps, return */
	/* The same answers for every call tried: only the layout moved. */
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		steps(hot, calls[i], &a);
		steps(plain, calls[i], &b);
		assert_int_equal(a, b);
	}
	sc_filter_free(hot);
	sc_filter_free(plain);
	sc_policy_free(ph);
	sc_policy_free(pp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_lines_are_named),
		cmocka_unit_test(table_reads_names_per_abi),
		cmocka_unit_test(weights_put_hot_calls_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
