/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime-baseline.c — the calls a container runtime makes between installing the container's
 * seccomp filter and the entrypoint's execve. A profile recorded from the workload alone lacks
 * them, and the container does not start (runc: "error closing exec fds … operation not
 * permitted"). The facts are measurements (data/runtime-baselines/<file>.txt, one per runtime
 * configuration measured, each saying the versions, date and method); this file says which
 * measurements a runtime's name stands for: a runtime that drives an OCI runtime (podman,
 * docker, containerd) makes, after the filter, what that OCI runtime's init makes in the
 * configuration it writes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/runtime-baseline.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;         /* as --runtime takes it */
	const char *oci_runtime;  /* what starts its containers' processes */
	const char *measured[3];  /* the measurements it unites (file names) */
} runtimes[] = {
	{ "runc", "runc", { "runc" } },
	{ "crun", "crun", { "crun" } },
	/* Podman runs crun or runc (containers.conf, --runtime): a profile for podman starts
	 * under either. Measured through podman, with podman's config (no_new_privileges off). */
	{ "podman", "crun or runc", { "podman-crun", "podman-runc" } },
	/* dockerd → containerd → containerd-shim-runc-v2 → runc: measured through a private
	 * dockerd (Debian's docker.io, no network), united with runc's own for the
	 * configurations docker run does not write. */
	{ "docker", "runc", { "docker-runc", "runc" } },
	/* containerd's io.containerd.runc.v2 shim: measured through `ctr run` (its default
	 * spec), united with runc's own for the configurations ctr does not write (CRI's). */
	{ "containerd", "runc", { "containerd-runc", "runc" } },
};

static const struct rt_measurement *measurement(const char *name)
{
	for (size_t i = 0; i < rt_measurement_count; i++)
		if (strcmp(rt_measurements[i].name, name) == 0)
			return &rt_measurements[i];
	return NULL;
}

static int runtime_index(const char *runtime)
{
	for (size_t i = 0; runtime && i < NELEMS(runtimes); i++)
		if (strcmp(runtimes[i].name, runtime) == 0)
			return (int)i;
	return -1;
}

bool rt_baseline_has(const char *runtime, const char *call)
{
	int r = runtime_index(runtime);

	for (size_t m = 0; r >= 0 && m < NELEMS(runtimes[r].measured) && runtimes[r].measured[m]; m++) {
		const struct rt_measurement *mm = measurement(runtimes[r].measured[m]);
		for (size_t k = 0; mm && mm->calls[k]; k++)
			if (strcmp(mm->calls[k], call) == 0)
				return true;
	}
	return false;
}

SC_EXPORT const char *sc_runtime_at(size_t i)
{
	return i < NELEMS(runtimes) ? runtimes[i].name : NULL;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

SC_EXPORT int sc_runtime_baseline(const char *runtime, const char ***ret_calls,
				  const char **ret_oci_runtime, struct sc_diag *reterr)
{
	int r = runtime_index(runtime);
	const char **v = NULL;
	size_t n = 0, cap = 0;

	if (r < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "unknown container runtime '%s'",
			    runtime ? runtime : "");
		sc_diag_hint(reterr, "known: runc, crun, podman, docker, containerd");
		return -EINVAL;
	}
	for (size_t m = 0; m < NELEMS(runtimes[r].measured) && runtimes[r].measured[m]; m++) {
		const struct rt_measurement *mm = measurement(runtimes[r].measured[m]);
		for (size_t k = 0; mm && mm->calls[k]; k++) {
			v = xgrow(v, &cap, n + 2, sizeof(*v));
			v[n++] = mm->calls[k];
		}
	}
	if (!v)
		v = xgrow(v, &cap, 1, sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_name);
	/* The union: drop repeats. */
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (w == 0 || strcmp(v[w - 1], v[i]) != 0)
			v[w++] = v[i];
	v[w] = NULL;
	*ret_calls = v;
	if (ret_oci_runtime)
		*ret_oci_runtime = runtimes[r].oci_runtime;
	return (int)w;
}

SC_EXPORT const char *sc_runtime_measurement(const char *runtime, size_t i, const char **ret_measured)
{
	int r = runtime_index(runtime);
	const struct rt_measurement *mm;

	if (r < 0 || i >= NELEMS(runtimes[r].measured) || !runtimes[r].measured[i])
		return NULL;
	mm = measurement(runtimes[r].measured[i]);
	if (!mm)
		return NULL;
	if (ret_measured)
		*ret_measured = mm->measured;
	return mm->runtime;
}
