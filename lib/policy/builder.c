/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * builder.c — a policy built from C values (seccompose.h, "Building a policy in memory"):
 * the group database loaded once and shared, then a policy model filled field by field.
 *
 * Callers that make policies (the recorder's lifting, `groups`, exports) used to print
 * TOML and load it back: each load re-read the 84 KB group database, and every name printed
 * into the text was a chance to inject syntax. The builder fills the same model the loaders
 * fill (policy.h), so resolve.c, the compiler and the TOML writer (policy-toml.c) see no
 * difference; names are checked where any policy's are, when it is compiled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/syscall-freq.h"
#include "policy/policy.h"

/* A weights file larger than this is no list of syscall counts. */
#define WEIGHTS_MAX (16u << 20)

#define MAX_GROUPS_SIZE (64u << 20) /* a group file larger than this is a mistake */

SC_EXPORT int sc_groups_load(const struct sc_load_options *opts, struct sc_groups **ret,
			     struct sc_diag *reterr)
{
	struct sc_groups *g = xcalloc(1, sizeof(*g));
	char *buf;
	size_t len;
	int r;

	g->refs = 1;
	g->db = groups_new();
	r = groups_load_builtin(g->db, reterr);
	if (r == 0 && opts && opts->groups_file) {
		r = sc_file_read(opts->groups_file, MAX_GROUPS_SIZE, &buf, &len);
		if (r < 0) {
			sc_diag_set(reterr, opts->groups_file, NULL, 0, 0, 0, 0,
				    "cannot read the group file: %s", strerror(-r));
		} else {
			r = groups_load(g->db, opts->groups_file, buf, len, reterr, &g->warnings,
					&g->nwarnings);
			free(buf);
		}
	}
	if (r < 0) {
		sc_groups_unref(g);
		return r;
	}
	*ret = g;
	return 0;
}

SC_EXPORT struct sc_groups *sc_groups_ref(struct sc_groups *g)
{
	if (g)
		g->refs++;
	return g;
}

SC_EXPORT struct sc_groups *sc_groups_unref(struct sc_groups *g)
{
	if (!g || --g->refs > 0)
		return NULL;
	groups_free(g->db);
	free(g->warnings);
	free(g);
	return NULL;
}

SC_EXPORT size_t sc_groups_count(const struct sc_groups *g)
{
	return g ? g->db->ngroups : 0;
}

SC_EXPORT const char *sc_groups_at(const struct sc_groups *g, size_t i, const char **ret_description)
{
	if (i >= sc_groups_count(g))
		return NULL;
	if (ret_description)
		*ret_description = g->db->groups[i].description;
	return g->db->groups[i].name;
}

SC_EXPORT bool sc_groups_has(const struct sc_groups *g, const char *name)
{
	return g && groups_find(g->db, name) != NULL;
}

SC_EXPORT size_t sc_groups_warning_count(const struct sc_groups *g)
{
	return g ? g->nwarnings : 0;
}

SC_EXPORT const struct sc_diag *sc_groups_warning(const struct sc_groups *g, size_t i)
{
	return i < sc_groups_warning_count(g) ? &g->warnings[i] : NULL;
}

SC_EXPORT struct sc_policy *sc_policy_new(const char *name, struct sc_groups *groups)
{
	struct sc_policy *p = policy_new(name ? name : "<built>", "", 0);

	if (groups) {
		p->shared_groups = sc_groups_ref(groups);
		p->groups = groups->db;
	} else {
		p->groups = groups_new(); /* owned: rules naming groups find none */
	}
	return p;
}

SC_EXPORT void sc_policy_set_default(struct sc_policy *p, struct sc_action a)
{
	p->def = a;
}

SC_EXPORT void sc_policy_set_bad_arch(struct sc_policy *p, struct sc_action a)
{
	p->bad_arch = a;
	p->bad_arch_set = true;
}

SC_EXPORT void sc_policy_add_arch(struct sc_policy *p, const struct sc_arch *arch)
{
	for (size_t i = 0; i < p->narches; i++)
		if (p->arches[i] == arch)
			return;
	p->arches = xreallocarray(p->arches, p->narches + 1, sizeof(*p->arches));
	p->arch_locs = xreallocarray(p->arch_locs, p->narches + 1, sizeof(*p->arch_locs));
	p->arch_locs[p->narches] = (struct pol_loc){ 0, 0, 0 };
	p->arches[p->narches++] = arch;
}

SC_EXPORT void sc_policy_set_flags(struct sc_policy *p, unsigned flags)
{
	p->flags = flags;
}

int policy_apply_options(struct sc_policy *p, const struct sc_load_options *o,
			 struct sc_diag *reterr)
{
	/* The command line's kernel floor wins over the policy's. */
	if (o->enosys_after && policy_parse_version(o->enosys_after, &p->enosys_after) < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "expected a kernel version such as 5.4, found '%s'", o->enosys_after);
		return -EINVAL;
	}
	if (o->flags & SC_LOAD_ENOSYS_UNKNOWN)
		p->enosys_unknown = true;
	if (o->weights_file) {
		char *text = NULL;
		size_t len = 0;
		int r = sc_file_read(o->weights_file, WEIGHTS_MAX, &text, &len);
		if (r < 0) {
			sc_diag_set(reterr, o->weights_file, NULL, 0, 0, 0, 0,
				    "cannot read the weights file: %s", strerror(-r));
			return r;
		}
		r = syscall_freq_check(o->weights_file, text, len, reterr);
		if (r < 0) {
			free(text);
			return r;
		}
		free(p->weights);
		p->weights = text;
		p->weights_len = len;
	}
	return 0;
}

SC_EXPORT int sc_policy_set_options(struct sc_policy *p, const struct sc_load_options *o,
				    struct sc_diag *reterr)
{
	if (!o)
		return 0;
	p->allow_unknown = o->flags & SC_LOAD_ALLOW_UNKNOWN;
	p->mux = o->flags & SC_LOAD_MUX_ALLOW ? POL_MUX_ALLOW : POL_MUX_DENY;
	p->enosys_unknown = o->flags & SC_LOAD_ENOSYS_UNKNOWN;
	return policy_apply_options(p, o, reterr);
}

SC_EXPORT size_t sc_policy_add_rule(struct sc_policy *p, enum sc_rule_names kind, struct sc_action a)
{
	struct pol_rule *r;
	size_t same = 0;
	char origin[64];

	/* Named as the loader names a rule (explain's origins): its table and index there. */
	for (size_t i = 0; i < p->nrules; i++)
		same += p->rules[i].is_group == (kind == SC_RULE_GROUPS);
	r = policy_add_rule(p);
	r->is_group = kind == SC_RULE_GROUPS;
	r->action = a;
	snprintf(origin, sizeof(origin), "%s[%zu]", r->is_group ? "abstract_syscalls" : "syscalls", same);
	r->origin = xstrdup(origin);
	return p->nrules - 1;
}

SC_EXPORT int sc_rule_add_name(struct sc_policy *p, size_t rule, const char *name)
{
	if (rule >= p->nrules || !name)
		return -EINVAL;
	rule_add_name(&p->rules[rule], name, (struct pol_loc){ 0, 0, 0 });
	return 0;
}

/* The public operators in the model's terms: one row each, whatever order either enum has. */
static const struct {
	enum sc_cond_op op;
	enum pol_op pol;
} cond_ops[] = {
	{ SC_COND_EQ, POL_EQ },
	{ SC_COND_NE, POL_NE },
	{ SC_COND_LT, POL_LT },
	{ SC_COND_LE, POL_LE },
	{ SC_COND_GT, POL_GT },
	{ SC_COND_GE, POL_GE },
	{ SC_COND_MASKED_EQ, POL_MASKED_EQ },
	{ SC_COND_BITS_ALL, POL_BITS_ALL },
	{ SC_COND_BITS_ANY, POL_BITS_ANY },
	{ SC_COND_BITS_NONE, POL_BITS_NONE },
	{ SC_COND_FLAGS_SUBSET, POL_FLAGS_SUBSET },
};

static void set_value(struct pol_value *v, const char *expr, uint64_t num)
{
	*v = (struct pol_value){ .text = xstrdup(expr), .num = num };
}

SC_EXPORT int sc_rule_add_cond(struct sc_policy *p, size_t rule, const struct sc_cond *c)
{
	struct pol_cond *pc;
	size_t i = 0;

	while (i < sizeof(cond_ops) / sizeof(cond_ops[0]) && cond_ops[i].op != c->op)
		i++;
	if (rule >= p->nrules || i == sizeof(cond_ops) / sizeof(cond_ops[0]) ||
	    (!c->arg && (c->index < 0 || c->index > 5)))
		return -EINVAL;
	pc = rule_add_cond(&p->rules[rule]);
	pc->op = cond_ops[i].pol;
	if (c->arg)
		pc->arg = xstrdup(c->arg);
	else
		pc->index = c->index;
	set_value(&pc->value, c->value_expr, c->value);
	if (pc->op == POL_MASKED_EQ)
		set_value(&pc->mask, c->mask_expr, c->mask);
	return 0;
}

SC_EXPORT int sc_policy_write_toml(const struct sc_policy *p, char **ret_buf, size_t *ret_len)
{
	return policy_write_toml(p, NULL, ret_buf, ret_len);
}
