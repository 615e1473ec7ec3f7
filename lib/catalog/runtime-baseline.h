/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime-baseline.h — what container runtimes call after installing a container's seccomp
 * filter and before its entrypoint runs, as measured (data/runtime-baselines/, generated into
 * the library by tools/gen-runtime-baselines.py).
 */
#ifndef SC_RUNTIME_BASELINE_H
#define SC_RUNTIME_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "seccompose.h"

/* One measurement: a data/runtime-baselines/<name>.txt file. */
struct rt_measurement {
	const char *name;            /* the file's name: "runc", "podman-crun" … */
	const char *runtime;         /* its `# runtime:` line: the versions measured */
	const char *measured;        /* its `# measured:` line: date, machine, kernel */
	const char *const *calls;    /* syscall names, sorted, NULL-terminated */
};
extern const struct rt_measurement rt_measurements[];
extern const size_t rt_measurement_count;

/* Is @call in @runtime's baseline? (false for an unknown runtime) */
bool rt_baseline_has(const char *runtime, const char *call);

#endif
