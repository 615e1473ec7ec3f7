/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-load — how long sc_policy_load_file() takes over one file, timed in the process so
 * that process start-up (the same for every size) does not hide how loading grows with
 * the policy. Uses only the public header, as the CLI does. Prints the load time in
 * nanoseconds; with --compile, a second line with sc_policy_compile()'s.
 *
 * Run it under bench-exec to read its peak memory (bench-house.sh does): the process
 * does nothing but load, so its ru_maxrss is the catalog plus what the load holds.
 *
 *	build/bench/bench-load [--compile] POLICY
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "seccompose.h"

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d;
	int compile = 0, i = 1, r;
	long long t0, t1;

	if (i < argc && strcmp(argv[i], "--compile") == 0) {
		compile = 1;
		i++;
	}
	if (i + 1 != argc) {
		fprintf(stderr, "usage: bench-load [--compile] POLICY\n");
		return 2;
	}
	memset(&d, 0, sizeof(d));
	t0 = now_ns();
	r = sc_policy_load_file(argv[i], NULL, &p, &d);
	t1 = now_ns();
	if (r < 0) {
		sc_diag_print(&d, stderr);
		return 3;
	}
	printf("%lld\n", t1 - t0);
	if (compile) {
		t0 = now_ns();
		r = sc_policy_compile(p, &f, &d);
		t1 = now_ns();
		if (r < 0) {
			sc_diag_print(&d, stderr);
			return 3;
		}
		printf("%lld\n", t1 - t0);
	}
	sc_filter_free(f);
	sc_policy_free(p);
	return 0;
}
