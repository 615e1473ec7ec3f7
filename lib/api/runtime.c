/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime.c — a container runtime's baseline (catalog/runtime-baseline.c) added to what a
 * policy allows (`compile --runtime`) or to a recording (`record --runtime`), so that a
 * profile made from the workload alone starts its container under that runtime.
 */
#include <errno.h>
#include <stdlib.h>

#include "record/record.h"

SC_EXPORT int sc_policy_add_runtime_baseline(struct sc_policy *p, const char *runtime,
					     struct sc_diag *reterr)
{
	const char **calls = NULL;
	int n = sc_runtime_baseline(runtime, &calls, NULL, reterr);
	size_t rule;

	if (n < 0)
		return n;
	/* One Allow rule: the most restrictive matching rule wins, so a call the policy
	 * denies on purpose stays denied (and `lint --runtime` says the container won't start). */
	rule = sc_policy_add_rule(p, SC_RULE_SYSCALLS, (struct sc_action){ SC_ACT_ALLOW, 0 });
	for (int i = 0; i < n; i++)
		sc_rule_add_name(p, rule, calls[i]);
	free(calls);
	return 0;
}

SC_EXPORT int sc_recording_add_runtime(struct sc_recording *r, const char *runtime,
				       struct sc_diag *reterr)
{
	const struct sc_arch *arch = sc_arch_native();
	const char **calls = NULL;
	int n = sc_runtime_baseline(runtime, &calls, NULL, reterr);

	if (n < 0)
		return n;
	/* By number alone: the runtime calls prctl, fcntl … with arguments the workload's
	 * recording never saw. Native: the runtime's init is the machine's own binary. */
	for (int i = 0; i < n; i++) {
		const struct sc_syscall *s = sc_syscall_lookup(arch, calls[i]);
		if (s)
			rec_set_add_any((struct rec_set *)r, arch, s->nr);
	}
	free(calls);
	return 0;
}
