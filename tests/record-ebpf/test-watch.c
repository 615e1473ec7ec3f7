/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-watch.c — the sc_watch_* interface (what `record --container` and the OCI hook build
 * on) on the real kernel: two cgroups watched by one recorder at once, each one's calls kept
 * apart; from_exec counting from the execve on (the call that makes it included); a cgroup's
 * subtree counted for it; done when empty; removed targets forgotten; bad targets refused.
 * Skips where the eBPF recorder cannot run (not root, no BTF …).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "record/record.h"

static char parent[512];

/* A cgroup under ours, made for the test. */
static void make_cgroup(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", parent, name);
	assert_int_equal(mkdir(out, 0755), 0);
}

static void remove_cgroup(const char *dir)
{
	for (int i = 0; i < 50 && rmdir(dir) < 0 && errno == EBUSY; i++)
		usleep(20000);
}

/* Run in cgroup @dir: personality(@marker), then exec @exe (NULL: exit). Returns its status. */
static int run_in(const char *dir, unsigned long marker, const char *exe)
{
	char path[600], text[32];
	int go[2], status;
	pid_t pid;
	FILE *f;

	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 0)
			_exit(100);
		syscall(SYS_personality, marker);
		if (exe)
			execl(exe, exe, (char *)NULL);
		_exit(0);
	}
	close(go[0]);
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(text, sizeof(text), "%d", (int)pid);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	close(go[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* Did @r see personality(@value)? */
static bool saw_personality(const struct rec_set *s, uint64_t value)
{
	const struct sc_arch *arch = sc_arch_native();
	const struct sc_syscall *sys = sc_syscall_lookup(arch, "personality");

	for (size_t i = 0; i < rec_set_count(s); i++) {
		const struct rec_obs *o = rec_set_at(s, i);
		if (o->arch == arch && o->nr == sys->nr && o->nargs == 1 && o->argv[0] == value)
			return true;
	}
	return false;
}

static bool saw(const struct rec_set *s, const char *name)
{
	const struct sc_arch *arch = sc_arch_native();
	const struct sc_syscall *sys = sc_syscall_lookup(arch, name);

	for (size_t i = 0; i < rec_set_count(s); i++)
		if (rec_set_at(s, i)->arch == arch && rec_set_at(s, i)->nr == sys->nr)
			return true;
	return false;
}

static void two_targets(void **state)
{
	char a[600], b[600], sub[700];
	struct sc_watch *w = NULL;
	struct sc_diag d = { 0 };
	struct sc_recording *ra = sc_recording_new(), *rb = sc_recording_new();
	int ia, ib;

	(void)state;
	make_cgroup("a", a, sizeof(a));
	make_cgroup("b", b, sizeof(b));
	snprintf(sub, sizeof(sub), "%s/sub", a);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(sc_watch_new(&w, &d), 0);
	ia = sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = a }, &d);
	ib = sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = b, .from_exec = true }, &d);
	assert_true(ia >= 0 && ib >= 0 && ia != ib);
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = a }, &d), -EEXIST);
	assert_true(sc_watch_done(w, ia)); /* nobody in it yet */

	assert_int_equal(run_in(a, 0x0a, NULL), 0);
	assert_int_equal(run_in(sub, 0x5b, NULL), 0);     /* the subtree counts for a */
	assert_int_equal(run_in(b, 0x0b, "/bin/true"), 0); /* before the exec: not b's */
	assert_true(sc_watch_poll(w, 100) >= 0);
	assert_int_equal(sc_watch_take(w, ia, ra), 0);
	assert_int_equal(sc_watch_take(w, ib, rb), 0);

	assert_true(saw_personality((struct rec_set *)ra, 0x0a));
	assert_true(saw_personality((struct rec_set *)ra, 0x5b));
	assert_false(saw_personality((struct rec_set *)ra, 0x0b));
	assert_false(saw_personality((struct rec_set *)rb, 0x0b));
	assert_true(saw((struct rec_set *)rb, "execve"));   /* the call that started it */
	assert_true(saw((struct rec_set *)rb, "exit_group"));
	assert_true(sc_watch_done(w, ia));

	/* Removed: its id is unknown, a new run in its cgroup is nobody's. */
	sc_watch_remove(w, ia);
	assert_int_equal(sc_watch_take(w, ia, ra), -ENOENT);
	assert_int_equal(run_in(a, 0x0c, NULL), 0);
	sc_watch_poll(w, 0);
	sc_recording_free(rb);
	rb = sc_recording_new();
	assert_int_equal(sc_watch_take(w, ib, rb), 0);
	assert_false(saw_personality((struct rec_set *)rb, 0x0c));

	sc_watch_free(w);
	sc_recording_free(ra);
	sc_recording_free(rb);
	remove_cgroup(sub);
	remove_cgroup(a);
	remove_cgroup(b);
}

static void bad_targets(void **state)
{
	struct sc_watch *w = NULL;
	struct sc_diag d = { 0 };

	(void)state;
	assert_int_equal(sc_watch_new(&w, &d), 0);
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ 0 }, &d), -EINVAL);
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = parent, .pid = 1 }, &d),
			 -EINVAL);
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = "/nonexistent-cg" }, &d),
			 -ENOENT);
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = "/tmp" }, &d), -ENOTDIR);
	assert_non_null(strstr(d.message, "not a cgroup v2 directory"));
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = "relative" }, &d),
			 -EINVAL);
	assert_int_equal(sc_watch_add(w, &(struct sc_watch_target){ .pid = 999999999 }, &d), -ENOENT);
	assert_true(sc_watch_done(w, 12345));
	sc_watch_remove(w, 12345);
	sc_watch_free(w);
	assert_null(sc_watch_free(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_targets),
		cmocka_unit_test(bad_targets),
	};
	struct sc_diag d = { 0 };
	char mnt[400];
	int rc;

	if (sc_ebpf_available(&d) < 0 || cgroup2_mount(mnt, sizeof(mnt)) < 0) {
		printf("# skip: the eBPF recorder cannot run here: %s\n", d.message);
		return 77;
	}
	snprintf(parent, sizeof(parent), "%s/sc-test-watch-%d", mnt, (int)getpid());
	if (mkdir(parent, 0755) < 0) {
		printf("# skip: cannot make a cgroup: %s\n", strerror(errno));
		return 77;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_cgroup(parent);
	return rc;
}
