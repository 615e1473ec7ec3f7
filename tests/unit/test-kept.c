/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/base/kept.c: a block given back is what the next request of its size
 * gets (that is the point: no fresh pages for the next compile); small and huge blocks are
 * not kept; growing keeps the contents; the cache never holds more than KEPT_MAX; and
 * threads that compile and end leave nothing behind (the ASan/UBSan run's leak check
 * would name a block a thread's cache kept past its end), while compiles on several
 * threads at once give the same program as on one. And the shared library unloaded while a
 * thread that compiled with it still lives: that thread's end must not call into the
 * unmapped library, and its blocks are not lost.
 */
#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/filter.h>

#include "seccompose.h"
#include "base/kept.h"

static void test_a_block_given_back_is_reused(void **state)
{
	char *p = kept_get(64 << 10), *q;

	(void)state;
	memset(p, 'x', 64 << 10);
	kept_put(p);
	q = kept_get(40 << 10); /* the smallest kept block that fits */
	assert_ptr_equal(q, p);
	kept_put(q);
	q = kept_get(128 << 10); /* none fits: a new one */
	assert_ptr_not_equal(q, p);
	kept_put(q);
	/* both are kept now; a request for one of them gets one */
	p = kept_get(64 << 10);
	q = kept_get(128 << 10);
	kept_put(p);
	kept_put(q);
}

static void test_small_and_huge_blocks_are_not_kept(void **state)
{
	char *p = kept_get(100), *q;

	(void)state;
	kept_put(p); /* freed: a small request is malloc's */
	p = kept_get(KEPT_MAX + 4096);
	kept_put(p); /* freed: more than a thread keeps */
	q = kept_get(KEPT_MAX + 4096);
	kept_put(q);
	kept_put(NULL);
}

static void test_the_cache_stays_under_its_limit(void **state)
{
	void *p[64];

	(void)state;
	/* more blocks than the cache has room for, of sizes that add up past KEPT_MAX: each
	 * put either keeps its block (giving up smaller ones) or frees it; a leak check names
	 * anything lost on the way */
	for (size_t i = 0; i < 64; i++)
		p[i] = kept_get((size_t)(i % 8 + 1) * (256 << 10));
	for (size_t i = 0; i < 64; i++)
		kept_put(p[i]);
}

static void test_growing_keeps_the_contents(void **state)
{
	uint32_t *v = NULL;
	size_t cap = 0, n = 0;

	(void)state;
	for (uint32_t i = 0; i < 100000; i++) {
		v = kept_grow(v, &cap, n + 1, sizeof(*v));
		v[n++] = i * 7;
	}
	for (uint32_t i = 0; i < 100000; i++)
		assert_int_equal(v[i], i * 7);
	kept_put(v);
	v = NULL;
	n = 0;
	for (uint32_t i = 0; i < 50000; i++) {
		v = kept_grow_n(v, n, 1, sizeof(*v));
		v[n++] = i ^ 0x5a5a;
	}
	for (uint32_t i = 0; i < 50000; i++)
		assert_int_equal(v[i], i ^ 0x5a5a);
	kept_put(v);
}

/* An ioctl allow-list of @n values: the compile whose blocks the cache is for. */
static char *ioctl_policy(size_t n)
{
	size_t cap = 100 + n * 120, len = 0;
	char *t = malloc(cap);

	assert_non_null(t);
	len += (size_t)snprintf(t + len, cap - len,
				"default_action = \"Errno\"\narchitectures = [\"x86_64\"]\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len,
					"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
					"conditions = [ { argument = \"cmd\", type = \"equals\", value = %zu } ]\n",
					0x5400 + 3 * i);
	return t;
}

struct compiler {
	const char *text;
	struct sock_filter *prog;
	size_t len;
};

static void *compile_some(void *arg)
{
	struct compiler *c = arg;

	for (int round = 0; round < 5; round++) {
		struct sc_policy *p = NULL;
		struct sc_filter *f = NULL;
		struct sc_diag d = { 0 };
		const struct sock_filter *prog;
		size_t len;
		if (sc_policy_load_buffer("ioctl.toml", c->text, strlen(c->text), NULL, &p, &d) < 0 ||
		    sc_policy_compile(p, &f, &d) < 0) {
			sc_diag_print(&d, stderr);
			abort();
		}
		prog = (const struct sock_filter *)sc_filter_program(f, &len);
		if (round == 0) {
			c->prog = malloc(len * sizeof(*prog));
			memcpy(c->prog, prog, len * sizeof(*prog));
			c->len = len;
		} else if (len != c->len || memcmp(prog, c->prog, len * sizeof(*prog)) != 0) {
			abort();
		}
		sc_filter_free(f);
		sc_policy_free(p);
	}
	return NULL;
}

static void test_threads_compile_alike_and_leave_nothing(void **state)
{
	char *text = ioctl_policy(1000);
	struct compiler one = { text, NULL, 0 }, many[4];
	pthread_t t[4];

	(void)state;
	compile_some(&one);
	for (size_t i = 0; i < 4; i++) {
		many[i] = (struct compiler){ text, NULL, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, compile_some, &many[i]), 0);
	}
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(many[i].len, one.len);
		assert_memory_equal(many[i].prog, one.prog, one.len * sizeof(*one.prog));
		free(many[i].prog);
	}
	free(one.prog);
	free(text);
}

/* The library, loaded with dlopen: a second copy beside the one this test links. */
struct loaded {
	int (*load_builtin)(const char *, const struct sc_load_options *, struct sc_policy **,
			    struct sc_diag *);
	int (*compile)(struct sc_policy *, struct sc_filter **, struct sc_diag *);
	struct sc_filter *(*filter_free)(struct sc_filter *);
	void (*policy_free)(struct sc_policy *);
	pthread_barrier_t unloaded;
	int ok;
};

static void *compile_then_outlive(void *arg)
{
	struct loaded *l = arg;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };

	l->ok = l->load_builtin("default", NULL, &p, &d) == 0 && l->compile(p, &f, &d) == 0;
	l->filter_free(f); /* its blocks go to this thread's cache */
	l->policy_free(p);
	pthread_barrier_wait(&l->unloaded); /* the library goes while this thread lives */
	pthread_barrier_wait(&l->unloaded);
	return NULL; /* ends: no destructor of the unloaded library may run */
}

/* In a child that ends with _exit: the library's caches for the life of the process (the
 * syscall views, name indexes) are not freed at unload, and a leak check at this test's
 * exit would name them. What is checked is that nothing crashes. */
static int unload_while_a_thread_lives(const char *path)
{
	struct loaded l = { 0 };
	pthread_t t;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		return 2;
	*(void **)&l.load_builtin = dlsym(h, "sc_policy_load_builtin");
	*(void **)&l.compile = dlsym(h, "sc_policy_compile");
	*(void **)&l.filter_free = dlsym(h, "sc_filter_free");
	*(void **)&l.policy_free = dlsym(h, "sc_policy_free");
	if (!l.load_builtin || !l.compile || !l.filter_free || !l.policy_free ||
	    pthread_barrier_init(&l.unloaded, NULL, 2) != 0 ||
	    pthread_create(&t, NULL, compile_then_outlive, &l) != 0)
		return 3;
	pthread_barrier_wait(&l.unloaded);
	if (dlclose(h) != 0)
		return 4;
	pthread_barrier_wait(&l.unloaded);
	if (pthread_join(t, NULL) != 0)
		return 5;
	return l.ok ? 0 : 6;
}

static void test_unloading_the_library_leaves_no_destructor_behind(void **state)
{
	const char *root = getenv("SC_BUILD_ROOT");
	char path[4096];
	int status;
	pid_t pid;

	(void)state;
	if (!root)
		skip();
	snprintf(path, sizeof(path), "%s/lib/libseccompose.so", root);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unload_while_a_thread_lives(path));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("the child died of signal %d", WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_block_given_back_is_reused),
		cmocka_unit_test(test_small_and_huge_blocks_are_not_kept),
		cmocka_unit_test(test_the_cache_stays_under_its_limit),
		cmocka_unit_test(test_growing_keeps_the_contents),
		cmocka_unit_test(test_threads_compile_alike_and_leave_nothing),
		cmocka_unit_test(test_unloading_the_library_leaves_no_destructor_behind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
