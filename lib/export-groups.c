/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export-groups.c — what the name-based formats (OCI, TOML) need from a rule set: one
 * entry per distinct list of rules, naming every syscall that has it.
 *
 * Those formats name syscalls for every architecture at once. A name is taken from the
 * first architecture that has it; a later architecture whose rules for that name differ
 * (a multiplexer route, arguments held in memory) gets a warning on the policy.
 */
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "policy.h"

void export_groups_free(struct export_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].names);
	free(g);
}

size_t export_groups(const struct sc_filter *f, struct export_group **ret)
{
	const struct ir *ir = f->ir;
	struct export_group *g = NULL;
	size_t n = 0, cap = 0;

	for (size_t ai = 0; ai < ir->narches; ai++) {
		const struct ir_arch *a = &ir->arches[ai];
		for (size_t i = 0; i < a->ncalls; i++) {
			const struct ir_syscall *s = &a->calls[i];
			const struct export_group *seen = NULL;
			size_t k;

			if (!s->sys)
				continue;
			for (k = 0; k < n && !seen; k++)
				for (size_t j = 0; j < g[k].nnames; j++)
					if (strcmp(g[k].names[j], s->sys->name) == 0) {
						seen = &g[k];
						break;
					}
			if (seen) {
				if (!ir_rules_equal(seen->rules, s))
					policy_warn(f->policy, (struct pol_loc){ 0, 0, 0 },
						    "'%s' has other rules on %s than on %s; the export states the "
						    "%s ones", s->sys->name, a->arch->name, ir->arches[0].arch->name,
						    ir->arches[0].arch->name);
				continue;
			}
			for (k = 0; k < n; k++)
				if (ir_rules_equal(g[k].rules, s))
					break;
			if (k == n) {
				g = xgrow(g, &cap, n + 1, sizeof(*g));
				memset(&g[n], 0, sizeof(g[n]));
				g[n++].rules = s;
			}
			g[k].names = xgrow_n(g[k].names, g[k].nnames, 1, sizeof(char *));
			g[k].names[g[k].nnames++] = s->sys->name;
		}
	}
	*ret = g;
	return n;
}
