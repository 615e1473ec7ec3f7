/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * supervise-learn.c — `run --learn`'s result: the policy widened by exactly the calls the
 * supervisor let through (supervise.c), each an Allow rule built with the builder from the
 * recorder's observation (the capture table's arguments, narrowed as `record` narrows them),
 * with a "# learned: …" comment saying which call by which process asked for it.
 *
 * Appending Allow rules widens a policy only where no rule of its own denies the call (the
 * most restrictive matching rule wins): so the result is checked, every learned call against
 * its compiled filter, and where one is still denied (a deny rule of the policy decided it),
 * the union of the policy and the learned rules (sc_filter_union: allowed when either
 * allows) is written instead, the comments above it. An OCI policy is widened by that union
 * too, in its own format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/filter.h"
#include "api/supervise.h"
#include "base/alloc.h"
#include "catalog/catalog.h"
#include "catalog/constants.h"
#include "export/export.h"
#include "policy/policy.h"

/* The observation @o as an Allow rule of @p; false when its number has no name. */
static bool add_rule(struct sc_policy *p, const struct rec_obs *o)
{
	const struct sc_syscall *sys = sc_syscall_by_nr(o->arch, o->nr);
	const struct argcap *cap = NULL;
	size_t ncap, r;

	if (!sys)
		return false;
	ncap = argcap_lookup(sys->name, &cap);
	r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, (struct sc_action){ SC_ACT_ALLOW, 0 });
	sc_rule_add_name(p, r, sys->name);
	for (unsigned i = 0; i < o->nargs; i++) {
		const char *arg = sys->args[o->argi[i]].name;
		uint64_t w = arg_width_mask(sc_syscall_arg_bits(o->arch, sys, o->argi[i]));
		uint64_t keep = UINT64_MAX;
		char names[256], mask[280];
		struct sc_cond c = { .arg = arg, .value = o->argv[i] };

		for (size_t k = 0; k < ncap; k++)
			if (strcmp(cap[k].arg, arg) == 0)
				keep = cap[k].keep_mask;
		if (o->argv[i] && constants_format(sys->name, arg, o->argv[i], names, sizeof(names)) > 0)
			c.value_expr = names;
		if ((keep & w) == w) {
			c.op = SC_COND_EQ;
		} else {
			c.op = SC_COND_MASKED_EQ;
			c.mask = keep & w;
			c.mask_expr = mask_text(sys, arg, keep & w,
						sc_syscall_arg_bits(o->arch, sys, o->argi[i]), mask, sizeof(mask));
		}
		sc_rule_add_cond(p, r, &c);
	}
	return true;
}

/* Does @f allow every learned call? */
static bool allows_all(const struct sc_filter *f, const struct sc_supervision *s)
{
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct sv_call *c = &s->calls[i];
		struct sc_action a = sc_action_from_ret(sc_filter_eval(f, c->arch, c->nr, c->args));
		if (a.type != SC_ACT_ALLOW && a.type != SC_ACT_LOG)
			return false;
	}
	return true;
}

/* The learned rules on their own, denying the rest as @p does: one input of the union. */
static int learned_filter(const struct sc_supervision *s, const struct sc_policy *p,
			  const struct sc_filter *f, struct sc_policy **ret_p, struct sc_filter **ret_f, struct sc_diag *d)
{
	struct sc_policy *l = sc_policy_new("<learned>", NULL);

	/* Allowing nothing else. Where the policy's default allows, the union gives what
	 * neither allows a deny action taken from its inputs: let it be the one the policy
	 * gave the first learned call, so no action foreign to the policy comes in. */
	if ((p->def.type == SC_ACT_ALLOW || p->def.type == SC_ACT_LOG) && s->ncalls)
		sc_policy_set_default(l, sc_action_from_ret(sc_filter_eval(f, s->calls[0].arch,
									   s->calls[0].nr, s->calls[0].args)));
	else
		sc_policy_set_default(l, p->def);
	for (size_t i = 0; i < s->ncalls; i++) {
		sc_policy_add_arch(l, s->calls[i].arch);
		add_rule(l, rec_set_at(s->set, i));
	}
	*ret_p = l;
	return sc_policy_compile(l, ret_f, d);
}

static int widen_by_union(const struct sc_supervision *s, const struct sc_policy *p,
			  const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *d)
{
	struct sc_policy *lp = NULL;
	struct sc_filter *lf = NULL, *u = NULL;
	char *text = NULL;
	size_t len = 0;
	bool toml = p->format == POL_FORMAT_TOML;
	int r;

	r = learned_filter(s, p, f, &lp, &lf, d);
	if (r == 0)
		r = sc_filter_union((struct sc_filter *const[]){ (struct sc_filter *)f, lf }, 2, &u, d);
	if (r == 0)
		r = sc_filter_export(u, toml ? SC_FORMAT_TOML : SC_FORMAT_OCI, &text, &len, d);
	if (r == 0 && !allows_all(u, s)) {
		sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "internal error: the widened policy still denies a learned call");
		r = -EINVAL;
	}
	if (r == 0 && toml) {
		/* What each added rule is for, above the union's text. */
		char *buf = NULL;
		size_t blen = 0;
		FILE *m = open_memstream(&buf, &blen);
		if (!m) {
			r = -ENOMEM;
		} else {
			fprintf(m, "# Widened by `seccompose run --learn` (the union of the policy and what\n"
				   "# it denied: a rule of the policy decided these calls):\n");
			for (size_t i = 0; i < s->ncalls; i++) {
				fputs("# ", m);
				/* A comm is any bytes the process chose: TOML comments take
				 * printable ASCII and tabs. */
				for (const unsigned char *c = (const unsigned char *)s->calls[i].comment; *c; c++)
					fputc((*c < 0x20 && *c != '\t') || *c >= 0x7f ? '?' : *c, m);
				fputc('\n', m);
			}
			fwrite(text, 1, len, m);
			if (fclose(m) != 0)
				r = -ENOMEM;
			free(text);
			text = buf;
			len = blen;
		}
	}
	if (r == 0) {
		*ret_buf = text;
		*ret_len = len;
	} else {
		free(text);
	}
	sc_filter_free(u);
	sc_filter_free(lf);
	sc_policy_free(lp);
	return r;
}

SC_EXPORT int sc_supervision_widen(const struct sc_supervision *s, struct sc_policy *p,
				   const struct sc_filter *f, char **ret_buf, size_t *ret_len,
				   struct sc_diag *reterr)
{
	size_t first = p->nrules, n;
	struct policy_toml_rule *lay;
	const char **comments;
	struct sc_filter *wide = NULL;
	static const char *const header[] = {
		"Widened by `seccompose run --learn`: the rules marked 'learned' were added",
		"for calls the policy denied.",
	};
	int r;

	if (p->format != POL_FORMAT_TOML)
		return widen_by_union(s, p, f, ret_buf, ret_len, reterr);
	for (size_t i = 0; i < s->ncalls; i++)
		if (!add_rule(p, rec_set_at(s->set, i)))
			return widen_by_union(s, p, f, ret_buf, ret_len, reterr);
	r = sc_policy_compile(p, &wide, reterr);
	if (r < 0)
		return r;
	if (!allows_all(wide, s)) {
		sc_filter_free(wide);
		return widen_by_union(s, p, f, ret_buf, ret_len, reterr);
	}
	sc_filter_free(wide);
	n = p->nrules;
	lay = xcalloc(n ? n : 1, sizeof(*lay));
	comments = xcalloc(s->ncalls ? s->ncalls : 1, sizeof(*comments));
	for (size_t i = 0; i < s->ncalls; i++) {
		comments[i] = s->calls[i].comment;
		lay[first + i] = (struct policy_toml_rule){ &comments[i], 1, false, true };
	}
	r = policy_write_toml(p, &(struct policy_toml_layout){
		.header = s->ncalls ? header : NULL,
		.nheader = s->ncalls ? 2 : 0,
		.rules = lay,
	}, ret_buf, ret_len);
	free(lay);
	free(comments);
	return r;
}
