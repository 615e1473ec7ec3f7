/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export-toml.c — the rule set as our TOML, which loads back to the same rule set.
 *
 * Rules go out in the order they apply (most restrictive first, written order within an
 * action), which is the order loading gives them again. Conditions name the kernel's
 * argument and the constants that fit; every comparison is a `masked_equals`, `equals`,
 * `not_equals` or order test on the argument's kernel width, which is what the loader
 * reads back. Comparisons wider than the kernel reads (OCI profiles' whole registers)
 * have no TOML spelling: the export says so instead of changing their meaning.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "constants.h"
#include "export.h"
#include "file-name.h"
#include "flags.h"

static const char *const op_types[] = {
	[IR_EQ] = "equals",       [IR_NE] = "not_equals",    [IR_LT] = "less_than",
	[IR_LE] = "less_or_equal", [IR_GT] = "greater_than", [IR_GE] = "greater_or_equal",
	[IR_MASKED_EQ] = "masked_equals",
};

/* A value as a TOML string the loader turns back into the same number. */
void toml_value_text(const struct sc_syscall *sys, const char *arg, uint64_t v, char *buf,
			 size_t len)
{
	char names[256];
	const struct sc_constant *k;

	if (v != 0 && constants_format(sys->name, arg, v, names, sizeof(names)) > 0) {
		snprintf(buf, len, "\"%s\"", names);
		return;
	}
	if (v == 0 && (k = sc_constant_for_value(sys->name, arg, 0)) != NULL) {
		snprintf(buf, len, "\"%s\"", k->name);
		return;
	}
	snprintf(buf, len, v < 10 ? "%" PRIu64 : "\"0x%" PRIx64 "\"", v);
}

static void write_action(FILE *m, struct sc_action a, const char *key, const char *errno_key)
{
	fprintf(m, "%s = \"%s\"\n", key, sc_action_name(a.type));
	if (a.type == SC_ACT_ERRNO || a.type == SC_ACT_TRACE || (a.type == SC_ACT_TRAP && a.data)) {
		const struct sc_constant *k =
			a.type == SC_ACT_ERRNO ? sc_constant_for_value("action", "errno", a.data) : NULL;
		if (k)
			fprintf(m, "%s = \"%s\"\n", errno_key, k->name);
		else
			fprintf(m, "%s = %u\n", errno_key, a.data);
	}
}

static int write_rules(const struct ir *ir, const struct rule_class *g, FILE *m,
		       struct sc_diag *d)
{
	const struct ir_syscall *s = g->rules;
	const struct sc_arch *arch = ir->arches[0].arch;

	for (size_t i = 0; i < s->nrules; i++) {
		const struct ir_rule *r = &s->rules[i];
		fprintf(m, "\n[[syscalls]]\nnames = [");
		for (size_t k = 0; k < g->nnames; k++)
			fprintf(m, "%s\"%s\"", k ? ", " : "", g->names[k]);
		fprintf(m, "]\n");
		write_action(m, r->action, "action", "errno_ret");
		if (r->ncmp == 0)
			continue;
		fprintf(m, "conditions = [\n");
		for (unsigned k = 0; k < r->ncmp; k++) {
			const struct ir_cmp *c = &r->cmp[k];
			const char *arg = c->arg < s->sys->nargs ? s->sys->args[c->arg].name : NULL;

			/* Syscalls grouped for sharing rules may name that argument differently. */
			for (size_t j = 0; arg && j < g->nnames; j++) {
				const struct sc_syscall *o = sc_syscall_lookup(arch, g->names[j]);
				if (o && (c->arg >= o->nargs || strcmp(o->args[c->arg].name, arg) != 0))
					arg = NULL;
			}
			char v[300], mk[300];

			/* The loader gives each name of the group the width the kernel reads for
			 * that parameter (a register's past the last one of a call without any),
			 * and refuses an index past a call's parameters: each must keep @c's. */
			for (size_t j = 0; j < g->nnames; j++) {
				const struct sc_syscall *o = sc_syscall_lookup(arch, g->names[j]);
				unsigned kernel_bits;
				if (!o)
					continue;
				if (c->arg >= o->nargs && o->nargs) {
					sc_diag_set(d, NULL, NULL, 0, 0, 0, 0,
						    "cannot export '%s' to TOML: it tests argument index %u, and "
						    "it has only %u parameter%s", o->name, c->arg, o->nargs,
						    o->nargs == 1 ? "" : "s");
					sc_diag_hint(d, "export it with --format oci, which can state that test");
					return -EINVAL;
				}
				kernel_bits = c->arg < o->nargs ? sc_syscall_arg_bits(arch, o, c->arg)
								: arch->word_bits;
				/* a mask within the parameter's bits tests the same on them */
				if (c->op == IR_MASKED_EQ && c->bits > kernel_bits &&
				    (c->mask >> kernel_bits) == 0)
					continue;
				if (c->bits != kernel_bits) {
					sc_diag_set(d, NULL, NULL, 0, 0, 0, 0,
						    "cannot export '%s' to TOML: it compares %u bits of argument "
						    "%u, which the kernel reads as %u (an OCI profile's "
						    "whole-register test)", o->name, c->bits, c->arg, kernel_bits);
					sc_diag_hint(d, "export it with --format oci, which keeps that meaning");
					return -EINVAL;
				}
			}
			toml_value_text(s->sys, arg ? arg : "?", c->value, v, sizeof(v));
			if (arg)
				fprintf(m, "  { argument = \"%s\", type = \"%s\"", arg, op_types[c->op]);
			else
				fprintf(m, "  { index = %u, type = \"%s\"", c->arg, op_types[c->op]);
			if (c->op == IR_MASKED_EQ) {
				char text[280];
				mask_text(s->sys, arg, c->mask, c->bits, text, sizeof(text));
				snprintf(mk, sizeof(mk), "\"%s\"", text);
				fprintf(m, ", mask = %s", mk);
			}
			fprintf(m, ", value = %s },\n", v);
		}
		fprintf(m, "]\n");
	}
	return 0;
}

int export_toml(const struct ir *ir, const char *file, struct export_warnings *warnings,
		char **ret_buf, size_t *ret_len, struct sc_diag *reterr)
{
	struct rule_class *g;
	size_t n = rule_classes(ir, &g, warnings), len = 0;
	char *buf = NULL;
	FILE *m = open_memstream(&buf, &len);
	int r = 0;

	if (!m) {
		rule_classes_free(g, n);
		return -ENOMEM;
	}
	fprintf(m, "# Generated by seccompose %s from ", sc_version());
	file_name_put(m, file);
	fputc('\n', m);
	write_action(m, ir->def, "default_action", "default_errno_ret");
	fprintf(m, "architectures = [");
	for (size_t i = 0; i < ir->narches; i++)
		fprintf(m, "%s\"%s\"", i ? ", " : "", ir->arches[i].arch->scmp_name);
	fprintf(m, "]\n");
	{
		size_t nflags = 0;
		for (size_t i = 0; i < filter_flag_count; i++)
			if (ir->flags & filter_flags[i].flag)
				fprintf(m, "%s\"%s\"", nflags++ ? ", " : "flags = [", filter_flags[i].name);
		if (nflags)
			fprintf(m, "]\n");
	}
	if (ir->restrict_ptrace)
		fprintf(m, "restrict_ptrace = true\n");
	/* Stated whatever the source said, so it survives a change of default action. */
	write_action(m, ir->bad_arch, "bad_arch_action", "bad_arch_errno_ret");
	for (size_t i = 0; i < n && r == 0; i++)
		r = write_rules(ir, &g[i], m, reterr);
	rule_classes_free(g, n);
	if (fclose(m) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
