/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Containers found without a runtime (container.c, runtime-baseline.c): Kubernetes' pod
 * cgroups on a fake tree of directories (cgroupfs and systemd drivers, every QoS class),
 * a process's cgroup v2, an unknown runtime and name; and the measured baselines behind
 * every runtime name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog/runtime-baseline.h"
#include "record/container.h"

static char root[] = "/tmp/sc-kubepods-XXXXXX";

static void mkdirs(const char *rel)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	assert_int_equal(mkdir(path, 0755), 0);
}

static const struct sc_container *find(const struct container_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static void test_kubepods_tree(void **state)
{
	struct container_list l = { 0 };
	const struct sc_container *c;
	char want[4096];

	(void)state;
	assert_non_null(mkdtemp(root));
	/* cgroupfs driver: guaranteed pods sit under kubepods itself */
	mkdirs("kubepods/pod1111-aa/0123456789abcdef0123");
	mkdirs("kubepods/burstable/pod2222-bb/fedcba9876543210fedc");
	mkdirs("kubepods/besteffort/pod3333-cc/aaaabbbbccccddddeeee");
	/* systemd driver: uids with underscores, CRI scopes */
	mkdirs("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod4444_dd.slice/"
	       "cri-containerd-1234123412341234.scope");
	mkdirs("kubepods.slice/kubepods-pod5555_ee.slice/crio-5678567856785678.scope");
	/* not pods */
	mkdirs("system.slice/docker-9999.scope");
	mkdirs("kubepods/burstable/notapod");
	container_scan_kubepods(&l, root);
	assert_int_equal(l.n, 5);
	c = find(&l, "pod-1111-aa_0123456789ab");
	assert_non_null(c);
	assert_string_equal(c->runtime, "kubepods");
	assert_int_equal(c->pid, 0);
	snprintf(want, sizeof(want), "%s/kubepods/pod1111-aa/0123456789abcdef0123", root);
	assert_string_equal(c->cgroup, want);
	assert_non_null(find(&l, "pod-2222-bb_fedcba987654"));
	assert_non_null(find(&l, "pod-3333-cc_aaaabbbbcccc"));
	c = find(&l, "pod-4444-dd_123412341234");
	assert_non_null(c);
	assert_string_equal(c->id, "1234123412341234");
	assert_non_null(find(&l, "pod-5555-ee_567856785678"));
	free(l.v);
	snprintf(want, sizeof(want), "rm -rf '%s'", root);
	assert_int_equal(system(want), 0);
}

static void test_cgroup_of_self(void **state)
{
	char buf[4096];
	int rc;

	(void)state;
	rc = container_cgroup_of(getpid(), buf, sizeof(buf));
	if (rc == -ENOTSUP)
		skip(); /* no cgroup2 mount */
	assert_int_equal(rc, 0);
	assert_int_equal(buf[0], '/');
	assert_int_equal(container_cgroup_of(-5, buf, sizeof(buf)) < 0, 1);
}

static void test_unknown(void **state)
{
	struct sc_container c;
	struct sc_diag d = { 0 };

	(void)state;
	assert_int_equal(sc_container_find("x", "nosuch", &c, &d), -EINVAL);
	assert_non_null(strstr(d.message, "unknown container runtime 'nosuch'"));
	/* a name no runtime has: the error names those asked */
	assert_int_equal(sc_container_find("sc-no-such-container-x", "crun", &c, &d), -ENOENT);
	assert_non_null(strstr(d.message, "asked: crun"));
}

static void test_baselines(void **state)
{
	const char **calls = NULL, *oci = NULL;
	struct sc_diag d = { 0 };
	int n;

	(void)state;
	/* every runtime name stands for measurements that exist, each with execve */
	for (size_t i = 0; sc_runtime_at(i); i++) {
		const char *measured = NULL;
		n = sc_runtime_baseline(sc_runtime_at(i), &calls, &oci, &d);
		assert_true(n > 0);
		assert_non_null(oci);
		assert_true(rt_baseline_has(sc_runtime_at(i), "execve"));
		for (int k = 1; k < n; k++)
			assert_true(strcmp(calls[k - 1], calls[k]) < 0); /* sorted, each once */
		assert_null(calls[n]);
		free(calls);
		assert_non_null(sc_runtime_measurement(sc_runtime_at(i), 0, &measured));
		assert_non_null(measured);
	}
	/* runc drops privileges under the filter when no_new_privileges is off */
	assert_true(rt_baseline_has("runc", "capset"));
	assert_true(rt_baseline_has("runc", "setgroups"));
	assert_true(rt_baseline_has("runc", "fcntl")); /* closing the exec fds */
	assert_false(rt_baseline_has("runc", "mkdir"));
	assert_int_equal(sc_runtime_baseline("nosuch", &calls, NULL, &d), -EINVAL);
	assert_non_null(strstr(d.hint, "runc, crun, podman, docker, containerd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kubepods_tree),
		cmocka_unit_test(test_cgroup_of_self),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_baselines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
