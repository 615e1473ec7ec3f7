/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rule-classes.c — what the name-based formats (OCI, TOML) need from a rule set: one
 * entry per distinct list of rules, naming every syscall that has it.
 *
 * Those formats name syscalls for every architecture at once. A name is taken from the
 * first architecture that has it; a later architecture whose rules for that name differ
 * (a multiplexer route, arguments held in memory) gets a warning.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "export/rule-classes.h"

void export_warn(struct export_warnings *w, const char *fmt, ...)
{
	struct sc_diag *d;
	va_list ap;

	if (!w)
		return;
	w->v = xgrow_n(w->v, w->n, 1, sizeof(*w->v));
	d = &w->v[w->n++];
	memset(d, 0, sizeof(*d));
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	d->warning = true;
}

void export_warnings_clear(struct export_warnings *w)
{
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

void rule_classes_free(struct rule_class *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].names);
	free(g);
}

size_t rule_classes(const struct ir *ir, struct rule_class **ret, struct export_warnings *w)
{
	struct rule_class *g = NULL;
	size_t n = 0, cap = 0;

	for (size_t ai = 0; ai < ir->narches; ai++) {
		const struct ir_arch *a = &ir->arches[ai];
		for (size_t i = 0; i < a->ncalls; i++) {
			const struct ir_syscall *s = &a->calls[i];
			const struct sc_syscall *sys = ir_call_sys(a, s);
			const struct rule_class *seen = NULL;
			size_t k;

			if (!sys)
				continue;
			for (k = 0; k < n && !seen; k++)
				for (size_t j = 0; j < g[k].nnames; j++)
					if (strcmp(g[k].names[j], sys->name) == 0) {
						seen = &g[k];
						break;
					}
			if (seen) {
				if (!ir_rules_equal(seen->rules, s))
					export_warn(w, "'%s' has other rules on %s than on %s; the export "
						    "states the %s ones", sys->name, a->arch->name,
						    ir->arches[0].arch->name, ir->arches[0].arch->name);
				continue;
			}
			for (k = 0; k < n; k++)
				if (ir_rules_equal(g[k].rules, s))
					break;
			if (k == n) {
				g = xgrow(g, &cap, n + 1, sizeof(*g));
				memset(&g[n], 0, sizeof(g[n]));
				g[n].sys = sys;
				g[n++].rules = s;
			}
			g[k].names = xgrow_n(g[k].names, g[k].nnames, 1, sizeof(char *));
			g[k].names[g[k].nnames++] = sys->name;
		}
	}
	*ret = g;
	return n;
}
