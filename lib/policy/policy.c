/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy.c — the policy model's life cycle, warnings, and cond_build().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy.h"
#include "catalog/constants.h"

struct sc_policy *policy_new_owned(const char *file, char *src, size_t len)
{
	struct sc_policy *p = xcalloc(1, sizeof(*p));

	p->file = xstrdup(file ? file : "");
	p->src = src;
	p->srclen = len;
	p->def.type = SC_ACT_KILL_PROCESS;
	return p;
}

struct sc_policy *policy_new(const char *file, const char *src, size_t len)
{
	char *copy = xcalloc(len + 1, 1);

	if (len)
		memcpy(copy, src, len);
	return policy_new_owned(file, copy, len);
}

struct pol_rule *policy_add_rule(struct sc_policy *p)
{
	p->rules = xgrow_n(p->rules, p->nrules, 1, sizeof(*p->rules));
	memset(&p->rules[p->nrules], 0, sizeof(p->rules[0]));
	return &p->rules[p->nrules++];
}

struct pol_cond *rule_add_cond(struct pol_rule *r)
{
	r->conds = xgrow_n(r->conds, r->nconds, 1, sizeof(*r->conds));
	memset(&r->conds[r->nconds], 0, sizeof(r->conds[0]));
	r->conds[r->nconds].index = -1;
	return &r->conds[r->nconds++];
}

struct pol_name *rule_add_name(struct pol_rule *r, const char *name, struct pol_loc loc)
{
	r->names = xgrow_n(r->names, r->nnames, 1, sizeof(*r->names));
	r->names[r->nnames].name = xstrdup(name);
	r->names[r->nnames].loc = loc;
	return &r->names[r->nnames++];
}

void cond_clear(struct pol_cond *c)
{
	free(c->arg);
	free(c->value.text);
	free(c->mask.text);
	for (size_t i = 0; i < c->nvalues; i++)
		free(c->values[i].text);
	free(c->values);
}

void rule_clear(struct pol_rule *r)
{
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i].name);
	free(r->names);
	for (size_t i = 0; i < r->nconds; i++)
		cond_clear(&r->conds[i]);
	free(r->conds);
	free(r->origin);
}

void policy_diag(const struct sc_policy *p, struct sc_diag *d, struct pol_loc loc, const char *fmt,
		 ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sc_diag_set(d, p->file, p->src, p->srclen, loc.line, loc.col, loc.span, "%s", msg);
}

void policy_warn(struct sc_policy *p, struct pol_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	struct sc_diag *d;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->warnings = xgrow_n(p->warnings, p->nwarnings, 1, sizeof(*p->warnings));
	d = &p->warnings[p->nwarnings++];
	policy_diag(p, d, loc, "%s", msg);
	d->warning = true;
}

SC_EXPORT struct sc_policy *sc_policy_free(struct sc_policy *p)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->nrules; i++)
		rule_clear(&p->rules[i]);
	free(p->rules);
	free(p->arches);
	free(p->arch_locs);
	free(p->warnings);
	if (p->shared_groups)
		sc_groups_unref(p->shared_groups);
	else
		groups_free(p->groups);
	free(p->file);
	free(p->src);
	free(p->weights);
	free(p);
	return NULL;
}

SC_EXPORT size_t sc_policy_warning_count(const struct sc_policy *p)
{
	return p ? p->nwarnings : 0;
}

SC_EXPORT const struct sc_diag *sc_policy_warning(const struct sc_policy *p, size_t i)
{
	return p && i < p->nwarnings ? &p->warnings[i] : NULL;
}

SC_EXPORT size_t sc_policy_group_count(const struct sc_policy *p)
{
	return p && p->groups ? p->groups->ngroups : 0;
}

SC_EXPORT const char *sc_policy_group(const struct sc_policy *p, size_t i, const char **ret_description)
{
	if (i >= sc_policy_group_count(p))
		return NULL;
	if (ret_description)
		*ret_description = p->groups->groups[i].description;
	return p->groups->groups[i].name;
}

SC_EXPORT unsigned sc_policy_flags(const struct sc_policy *p)
{
	return p ? p->flags : 0;
}

SC_EXPORT bool sc_policy_restricts_ptrace(const struct sc_policy *p)
{
	return p && p->restrict_ptrace;
}

static struct pol_value copy_value(const struct pol_value *v)
{
	struct pol_value c = *v;
	c.text = xstrdup(v->text);
	return c;
}

int cond_build(const char *file, const char *src, size_t len, const struct cond_fields *f,
	       struct pol_cond *out, struct sc_diag *d)
{
	enum pol_op op;

	if (!f->type) {
		sc_diag_set(d, file, src, len, f->loc.line, f->loc.col, f->loc.span,
			    "condition has no %s", f->oci ? "'op'" : "'type'");
		sc_diag_hint(d, "add %s", f->oci ? "\"op\": \"SCMP_CMP_EQ\"" : "type = \"equals\"");
		return -EINVAL;
	}
	if (pol_op_parse(f->type, &op) < 0) {
		const char *names[32], *best[4];
		char list[256];
		size_t n = pol_op_names(names, 32), nb;
		sc_diag_set(d, file, src, len, f->type_loc.line, f->type_loc.col, f->type_loc.span,
			    "unknown condition type '%s'", f->type);
		nb = sc_suggest(f->type, names, n, best, 1);
		if (nb)
			sc_diag_hint(d, "did you mean '%s'?", best[0]);
		else
			sc_diag_hint(d, "expected %s", pol_op_list(list, sizeof(list)));
		return -EINVAL;
	}
	if (f->arg && f->has_index) {
		sc_diag_set(d, file, src, len, f->index_loc.line, f->index_loc.col, f->index_loc.span,
			    "condition names both an argument and an index");
		sc_diag_hint(d, "keep one: 'argument' names the kernel's parameter, 'index' its position");
		return -EINVAL;
	}
	if (!f->arg && !f->has_index) {
		sc_diag_set(d, file, src, len, f->loc.line, f->loc.col, f->loc.span,
			    "condition names no argument");
		sc_diag_hint(d, "add argument = \"<name>\" (the kernel's parameter name) or index = <0-5>");
		return -EINVAL;
	}
	if (f->has_index && (f->index < 0 || f->index > 5)) {
		sc_diag_set(d, file, src, len, f->index_loc.line, f->index_loc.col, f->index_loc.span,
			    "expected an argument index from 0 to 5, found %lld", (long long)f->index);
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	out->index = f->has_index ? (int)f->index : -1;
	out->arg = xstrdup(f->arg);
	out->arg_loc = f->arg ? f->arg_loc : f->index_loc;
	out->op = op;
	out->loc = f->loc;

	if (op == POL_ANY_OF) {
		if (!f->has_values || f->nvalues == 0) {
			sc_diag_set(d, file, src, len, f->loc.line, f->loc.col, f->loc.span,
				    "'any_of' needs a non-empty 'values' list");
			cond_clear(out);
			return -EINVAL;
		}
		out->values = xcalloc(f->nvalues, sizeof(*out->values));
		for (size_t i = 0; i < f->nvalues; i++)
			out->values[i] = copy_value(&f->values[i]);
		out->nvalues = f->nvalues;
		return 0;
	}
	if (op == POL_MASKED_EQ) {
		/* OCI (runc, crun → libseccomp): value is the mask, valueTwo the datum. */
		const struct pol_value *mask = f->oci ? &f->value : &f->mask;
		const struct pol_value *val = f->oci ? &f->value_two : &f->value;
		bool has_mask = f->oci ? f->has_value : f->has_mask;
		bool has_val = f->oci ? f->has_value_two : f->has_value;
		if (!has_mask) {
			sc_diag_set(d, file, src, len, f->loc.line, f->loc.col, f->loc.span,
				    "'masked_equals' needs a %s", f->oci ? "'value' (the mask)" : "'mask'");
			cond_clear(out);
			return -EINVAL;
		}
		out->mask = copy_value(mask);
		if (has_val)
			out->value = copy_value(val);
		else
			out->value.loc = mask->loc; /* a missing datum is 0, as in OCI */
		return 0;
	}
	/* Bit tests take their bits from `flags` (the seed's key) or `value`. */
	if (f->has_flags && (op == POL_BITS_ALL || op == POL_BITS_ANY || op == POL_BITS_NONE ||
			     op == POL_FLAGS_SUBSET)) {
		out->value = copy_value(&f->flags);
		return 0;
	}
	if (!f->has_value) {
		sc_diag_set(d, file, src, len, f->loc.line, f->loc.col, f->loc.span,
			    "condition '%s' has no value", f->type);
		sc_diag_hint(d, "add value = <integer or constant>");
		cond_clear(out);
		return -EINVAL;
	}
	out->value = copy_value(&f->value);
	return 0;
}

int policy_parse_version(const char *s, unsigned *ret)
{
	unsigned major = 0, minor = 0;
	char tail;

	if (sscanf(s, "%u.%u%c", &major, &minor, &tail) != 2 || major == 0 || major > 99 || minor > 999)
		return -EINVAL;
	*ret = major * 1000 + minor;
	return 0;
}

int pol_errno(const struct sc_policy *p, struct sc_diag *d, struct pol_loc loc, const char *name,
	      int64_t num, uint16_t *ret)
{
	const struct constants_row *k;
	const char *best[1];

	if (!name) {
		if (num < 0 || num > 4095) {
			policy_diag(p, d, loc, "expected an errno from 0 to 4095, found %lld", (long long)num);
			return -EINVAL;
		}
		*ret = (uint16_t)num;
		return 0;
	}
	k = constants_find(name);
	if (!k || strcmp(constants_string(k->group), "errno") != 0 || k->value > 4095) {
		policy_diag(p, d, loc, "unknown errno name '%s'", name);
		if (sc_constant_suggest(name, best, 1))
			sc_diag_hint(d, "did you mean '%s'?", best[0]);
		return -EINVAL;
	}
	*ret = (uint16_t)k->value;
	return 0;
}
