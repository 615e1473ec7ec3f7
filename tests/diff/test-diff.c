/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sc_filter_diff() against the filters themselves, on random policy pairs built in memory:
 * random syscalls, conditions of every operator (masked ones and ranges included) on a few
 * arguments, random actions and errno values, one or two ABIs. For each pair:
 *   - every difference reported is witnessed: its call gets the reported actions from the
 *     two compiled filters (run in the interpreter), and they differ;
 *   - when none is reported, no call of a large sample (random, and the boundaries of every
 *     constant the generator uses) gets different actions.
 * Pairs are equal by construction a part of the time (the same policy, or with a rule
 * repeated), so both answers are exercised.
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
#include <errno.h>

#include "seccompose.h"
#include "xorshift.h"

#include "random-policy.h"

static bool same_action(struct sc_action x, struct sc_action y)
{
	return x.type == y.type && x.data == y.data;
}

static struct sc_action eval(const struct sc_filter *f, const struct sc_arch *a, uint32_t nr, const uint64_t args[6])
{
	return sc_action_from_ret(sc_filter_eval(f, a, nr, args));
}

static void check_pair(uint64_t seed_a, uint64_t seed_b, enum rp_variant variant, size_t *stats)
{
	struct rp_policy pa = rp_compile(seed_a, RP_PLAIN), pb = rp_compile(seed_b, variant);
	struct sc_filter *fa = pa.f, *fb = pb.f;
	struct sc_difference *d = NULL;
	struct sc_diag diag = { 0 };
	size_t n = 0;
	uint64_t rng = seed_a ^ 0x5555;

	if (!fa || !fb) {
		rp_free(&pa);
		rp_free(&pb);
		stats[3]++;
		return;
	}
	if (sc_filter_diff(fa, fb, &d, &n, &diag) < 0)
		fail_msg("seed %llu/%llu: %s", (unsigned long long)seed_a, (unsigned long long)seed_b, diag.message);
	for (size_t i = 0; i < n; i++) {
		struct sc_action x = eval(fa, d[i].arch, d[i].nr, d[i].args);
		struct sc_action y = eval(fb, d[i].arch, d[i].nr, d[i].args);
		char bx[64], by[64], ex[64], ey[64];
		if (!same_action(x, d[i].a) || !same_action(y, d[i].b) || same_action(x, y))
			fail_msg("seed %llu/%llu: difference %zu (%s %s [%s]: %s vs %s) not witnessed: %s vs %s",
				 (unsigned long long)seed_a, (unsigned long long)seed_b, i, d[i].arch->name,
				 d[i].syscall ? d[i].syscall : "?", d[i].when, sc_action_format(d[i].a, bx, 64),
				 sc_action_format(d[i].b, by, 64), sc_action_format(x, ex, 64), sc_action_format(y, ey, 64));
		/* A whole difference holds for any arguments. */
		if (d[i].whole && !d[i].unlisted_abi) {
			uint64_t args[6];
			for (int k = 0; k < 6; k++)
				args[k] = rp_value(&rng);
			assert_true(same_action(eval(fa, d[i].arch, d[i].nr, args), d[i].a));
			assert_true(same_action(eval(fb, d[i].arch, d[i].nr, args), d[i].b));
		}
	}
	if (n == 0) {
		for (size_t c = 0; c < 3000; c++) {
			const struct sc_arch *arch;
			uint32_t nr;
			uint64_t args[6];
			rp_call(&rng, &arch, &nr, args);
			if (!same_action(eval(fa, arch, nr, args), eval(fb, arch, nr, args)))
				fail_msg("seed %llu/%llu: diff says equal, but %s nr %u args %#llx %#llx %#llx differ",
					 (unsigned long long)seed_a, (unsigned long long)seed_b, arch->name, nr,
					 (unsigned long long)args[0], (unsigned long long)args[1],
					 (unsigned long long)args[2]);
		}
		stats[0]++;
	} else {
		stats[1]++;
		stats[2] += n;
	}
	free(d);
	rp_free(&pa);
	rp_free(&pb);
}

static void random_pairs(void **state)
{
	size_t stats[4] = { 0 }; /* equal, different, differences, skipped */
	const char *env = getenv("SC_DIFF_PAIRS");
	size_t pairs = env ? strtoul(env, NULL, 10) : 400;

	(void)state;
	for (uint64_t i = 1; i <= pairs; i++) {
		switch (i % 5) {
		case 0: check_pair(i, i, RP_PLAIN, stats); break;      /* the same */
		case 1: check_pair(i, i, RP_REPEAT, stats); break;     /* a rule said twice */
		case 2: check_pair(i, i, RP_MUTATE, stats); break;     /* one value changed */
		default: check_pair(i, i + 100000, RP_PLAIN, stats); break;
		}
	}
	printf("# %zu pairs: %zu equal, %zu different (%zu differences, all witnessed), %zu not compiled\n",
	       pairs, stats[0], stats[1], stats[2], stats[3]);
	assert_true(stats[0] > pairs / 5);
	assert_true(stats[1] > pairs / 5);
}

/* A hand-made pair: a group lost wholly, an ioctl request gained, an errno changed. */
static void readable(void **state)
{
	static const char a[] = "default_action = \"Errno\"\n"
				"[[syscalls]]\nnames = [\"read\", \"openat\"]\naction = \"Allow\"\n"
				"[[abstract_syscalls]]\nnames = [\"sysv_shm\"]\naction = \"Allow\"\n";
	static const char b[] = "default_action = \"Errno\"\n"
				"[[syscalls]]\nnames = [\"read\"]\naction = \"Allow\"\n"
				"[[syscalls]]\nnames = [\"openat\"]\naction = \"Errno\"\nerrno_ret = \"EACCES\"\n"
				"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
				"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TCGETS\" } ]\n";
	struct sc_policy *pa = NULL, *pb = NULL;
	struct sc_filter *fa = NULL, *fb = NULL;
	struct sc_difference *d = NULL;
	struct sc_diag diag = { 0 };
	size_t n = 0, shm = 0;
	bool ioctl = false, openat = false;

	(void)state;
	assert_int_equal(sc_policy_load_buffer("a.toml", a, strlen(a), NULL, &pa, &diag), 0);
	assert_int_equal(sc_policy_load_buffer("b.toml", b, strlen(b), NULL, &pb, &diag), 0);
	assert_int_equal(sc_policy_compile(pa, &fa, &diag), 0);
	assert_int_equal(sc_policy_compile(pb, &fb, &diag), 0);
	assert_int_equal(sc_filter_diff(fa, fb, &d, &n, &diag), 0);
	for (size_t i = 0; i < n; i++) {
		if (d[i].group && strcmp(d[i].group, "sysv_shm") == 0)
			shm++;
		if (d[i].syscall && strcmp(d[i].syscall, "ioctl") == 0) {
			assert_string_equal(d[i].when, "cmd == TCGETS");
			assert_int_equal(d[i].b.type, SC_ACT_ALLOW);
			ioctl = true;
		}
		if (d[i].syscall && strcmp(d[i].syscall, "openat") == 0) {
			assert_true(d[i].whole);
			assert_int_equal(d[i].a.type, SC_ACT_ALLOW);
			assert_int_equal(d[i].b.data, EACCES);
			openat = true;
		}
	}
	assert_int_equal(shm, 4); /* shmget shmat shmdt shmctl */
	assert_true(ioctl && openat);
	assert_int_equal(n, 6);
	free(d);
	assert_int_equal(sc_filter_diff(fa, fa, &d, &n, &diag), 0);
	assert_int_equal(n, 0);
	sc_filter_free(fa);
	sc_filter_free(fb);
	sc_policy_free(pa);
	sc_policy_free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readable),
		cmocka_unit_test(random_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
