/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy-toml.c — the policy model (policy.h) as our TOML: the one writer of policies.
 *
 * Every policy the project writes goes out here: `compile --format toml` (export-toml.c
 * builds a model from the rule set), `record` (lift.c builds one from the observations)
 * and `merge` (through the TOML export). It writes what the model holds, in the order the
 * loader documents (load-toml.c): default action, architectures, flags and the other
 * top-level keys, then each rule as a [[syscalls]] or [[abstract_syscalls]] table. Values
 * written as text (constant expressions) become strings, integers stay integers.
 *
 * What a person reads beside the policy — comments, one name per line — is layout, given
 * apart from the model (struct policy_toml_layout). Every string goes through the writer
 * core of toml-write.c: quoted and escaped, comments with every non-ASCII byte escaped, so
 * no name or command line from outside can add a key or a rule.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog/action.h"
#include "catalog/constants.h"
#include "catalog/flags.h"
#include "policy/policy.h"
#include "text/toml.h"

static void put_action(struct toml_out *o, struct sc_action a, const char *key, const char *errno_key)
{
	toml_out_key(o, key);
	toml_out_str(o, " = ");
	toml_out_quoted(o, sc_action_name(a.type));
	toml_out_str(o, "\n");
	if (action_data_written(a)) {
		const struct sc_constant *k =
			a.type == SC_ACT_ERRNO ? sc_constant_for_value("action", "errno", a.data) : NULL;
		toml_out_key(o, errno_key);
		toml_out_str(o, " = ");
		if (k)
			toml_out_quoted(o, k->name);
		else
			toml_out_printf(o, "%u", a.data);
		toml_out_str(o, "\n");
	}
}

static void put_value(struct toml_out *o, const struct pol_value *v)
{
	char hex[32];

	if (v->text) {
		toml_out_quoted(o, v->text);
	} else if (v->num <= INT64_MAX) {
		toml_out_printf(o, "%" PRIu64, v->num);
	} else {
		/* TOML integers are signed 64-bit: the loader reads this text as the same number */
		snprintf(hex, sizeof(hex), "0x%" PRIx64, v->num);
		toml_out_quoted(o, hex);
	}
}

static void put_cond(struct toml_out *o, const struct pol_cond *c)
{
	if (c->arg) {
		toml_out_str(o, "{ argument = ");
		toml_out_quoted(o, c->arg);
	} else {
		toml_out_printf(o, "{ index = %d", c->index);
	}
	toml_out_str(o, ", type = ");
	toml_out_quoted(o, pol_op_name(c->op));
	if (c->op == POL_MASKED_EQ) {
		toml_out_str(o, ", mask = ");
		put_value(o, &c->mask);
	}
	if (c->op == POL_ANY_OF) {
		toml_out_str(o, ", values = [");
		for (size_t i = 0; i < c->nvalues; i++) {
			toml_out_str(o, i ? ", " : "");
			put_value(o, &c->values[i]);
		}
		toml_out_str(o, "] }");
		return;
	}
	toml_out_str(o, ", value = ");
	put_value(o, &c->value);
	toml_out_str(o, " }");
}

static void put_rule(struct toml_out *o, const struct pol_rule *r, const struct policy_toml_rule *l)
{
	toml_out_str(o, "\n");
	for (size_t i = 0; l && i < l->ncomments; i++)
		toml_out_comment(o, l->comments[i]);
	toml_out_str(o, r->is_group ? "[[abstract_syscalls]]\nnames = [" : "[[syscalls]]\nnames = [");
	for (size_t i = 0; i < r->nnames; i++) {
		if (l && l->names_per_line) {
			toml_out_str(o, "\n  ");
		} else if (i) {
			toml_out_str(o, ", ");
		}
		toml_out_quoted(o, r->names[i].name);
		if (l && l->names_per_line)
			toml_out_str(o, ",");
	}
	toml_out_str(o, l && l->names_per_line && r->nnames ? "\n]\n" : "]\n");
	put_action(o, r->action, "action", "errno_ret");
	if (!r->nconds)
		return;
	if (l && l->conds_inline) {
		toml_out_str(o, "conditions = [");
		for (size_t i = 0; i < r->nconds; i++) {
			toml_out_str(o, i ? ", " : " ");
			put_cond(o, &r->conds[i]);
		}
		toml_out_str(o, " ]\n");
		return;
	}
	toml_out_str(o, "conditions = [\n");
	for (size_t i = 0; i < r->nconds; i++) {
		toml_out_str(o, "  ");
		put_cond(o, &r->conds[i]);
		toml_out_str(o, ",\n");
	}
	toml_out_str(o, "]\n");
}

int policy_write_toml(const struct sc_policy *p, const struct policy_toml_layout *l, char **ret_buf,
		      size_t *ret_len)
{
	struct toml_out o = { 0 };
	size_t nflags = 0;

	for (size_t i = 0; l && i < l->nheader; i++)
		toml_out_comment(&o, l->header[i]);
	put_action(&o, p->def, "default_action", "default_errno_ret");
	toml_out_str(&o, "architectures = [");
	for (size_t i = 0; i < p->narches; i++) {
		toml_out_str(&o, i ? ", " : "");
		toml_out_quoted(&o, p->arches[i]->scmp_name);
	}
	toml_out_str(&o, "]\n");
	for (size_t i = 0; i < filter_flag_count; i++)
		if (p->flags & filter_flags[i].flag) {
			toml_out_str(&o, nflags++ ? ", " : "flags = [");
			toml_out_quoted(&o, filter_flags[i].name);
		}
	if (nflags)
		toml_out_str(&o, "]\n");
	if (p->restrict_ptrace)
		toml_out_str(&o, "restrict_ptrace = true\n");
	if (p->mux == POL_MUX_ALLOW)
		toml_out_str(&o, "multiplexed = \"allow\"\n");
	if (p->enosys_after)
		toml_out_printf(&o, "enosys_after = \"%u.%u\"\n", p->enosys_after / 1000,
				p->enosys_after % 1000);
	if (p->enosys_unknown)
		toml_out_str(&o, "enosys_unknown = true\n");
	if (p->bad_arch_set)
		put_action(&o, p->bad_arch, "bad_arch_action", "bad_arch_errno_ret");
	for (size_t i = 0; i < p->nrules; i++)
		put_rule(&o, &p->rules[i], l && l->rules ? &l->rules[i] : NULL);
	for (size_t i = 0; l && i < l->ntrailer; i++)
		toml_out_comment(&o, l->trailer[i]);
	return toml_out_finish(&o, ret_buf, ret_len);
}
