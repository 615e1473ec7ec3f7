/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rule-classes.h — a rule set's syscalls classed by equal rule lists, as the name-based
 * formats (OCI, TOML) state them: one entry per distinct list, naming every syscall that
 * has it. What cannot be stated that way comes back as warnings for the caller to place.
 */
#ifndef SC_RULE_CLASSES_H
#define SC_RULE_CLASSES_H

#include "compile/ir.h"

/* Warnings an export has for its reader; the caller decides where they go (filter.c adds
 * them to the policy's). */
struct export_warnings {
	struct sc_diag *v;
	size_t n;
};
void export_warn(struct export_warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void export_warnings_clear(struct export_warnings *w);

struct rule_class {
	const struct ir_syscall *rules; /* the first architecture's that has these names */
	const struct sc_syscall *sys;   /* the syscall @rules are of, on that architecture */
	const char **names;             /* borrowed from the catalog */
	size_t nnames;
};
/* The classes of @ir, in order of first appearance; a name whose rules differ on a later
 * architecture is a warning in @w (which may be NULL). */
size_t rule_classes(const struct ir *ir, struct rule_class **ret, struct export_warnings *w);
void rule_classes_free(struct rule_class *c, size_t n);

#endif
