/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lift.c — a recording as a policy a person reads: what was observed is allowed, nothing
 * else (default Errno EPERM); captured arguments become conditions with constant names;
 * with `abstract`, groups whose every member was observed replace those members.
 *
 * Lifting is checked, not guessed: each group is resolved on its own into a rule set (in
 * memory, on the one group database), and an observation counts as explained by it only
 * when that rule set allows it whatever the arguments
 * the recording did not capture (probed with several values). A group qualifies when every
 * syscall it names has an explained observation; groups are then taken greedily, largest
 * first, while they explain something new. What no group explains stays explicit.
 *
 * The output is a policy model built with the builder (builder.c) and written by the one
 * TOML writer (policy-toml.c), or compiled as it is for OCI: no text is parsed back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "catalog/catalog.h"
#include "catalog/constants.h"
#include "export/export.h"
#include "policy/policy.h"
#include "record/record.h"
#include "export/render.h"

/* Values for the arguments a recording did not keep: a group must allow them all. */
static const uint64_t probes[] = { 0, 1, 3, 0x7fffffff, 0xffffffffffffffffULL };
#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

struct lgroup {
	const char *name;      /* points into the group database */
	struct sc_policy *p;
	struct ir *ir;         /* the group alone, resolved for the lifting ABI */
	size_t explains;       /* observations it explains */
	bool *expl;            /* per observation */
};

static bool explained_by(const struct ir *ir, const struct rec_obs *o)
{
	for (size_t k = 0; k < N_PROBES; k++) {
		uint64_t args[6];
		for (int i = 0; i < 6; i++)
			args[i] = probes[k];
		for (unsigned i = 0; i < o->nargs; i++)
			args[o->argi[i]] = o->argv[i];
		if (ir_eval(ir, o->arch, o->nr, args).type != SC_ACT_ALLOW)
			return false;
	}
	return true;
}

/* Resolve group @name alone for @arch into *@ret_ir; false when it does not resolve there. */
static bool group_ir(struct sc_groups *groups, const char *name, const struct sc_arch *arch,
		     struct sc_policy **ret_p, struct ir **ret_ir)
{
	struct sc_policy *p = sc_policy_new("<lift>", groups);
	struct sc_diag d;
	size_t r;

	sc_policy_add_arch(p, arch);
	r = sc_policy_add_rule(p, SC_RULE_GROUPS, (struct sc_action){ SC_ACT_ALLOW, 0 });
	sc_rule_add_name(p, r, name);
	if (resolve_policy(p, ret_ir, &d) < 0) {
		sc_policy_free(p);
		return false;
	}
	*ret_p = p;
	return true;
}

/* Does @r pin every argument the recording keeps for @sys to one value (an equality, or a
 * mask over all the kept bits)? A `!=` or a range would allow values never observed. */
static bool pins_captured(const struct ir_rule *r, const struct sc_syscall *sys,
			  const struct argcap *cap, size_t ncap)
{
	for (size_t k = 0; k < ncap; k++) {
		int idx = sc_syscall_arg_index(sys, cap[k].arg);
		bool pinned = false;
		if (idx < 0)
			continue;
		for (unsigned c = 0; c < r->ncmp && !pinned; c++) {
			const struct ir_cmp *cm = &r->cmp[c];
			uint64_t w = arg_width_mask(cm->bits);
			uint64_t kept = cap[k].keep_mask & w;
			pinned = cm->arg == idx && (cm->op == IR_EQ ||
						    (cm->op == IR_MASKED_EQ && (cm->mask & kept) == kept));
		}
		if (!pinned)
			return false;
	}
	return true;
}

/* Every member of the group — each of its rules, on each syscall it names on @arch — was
 * observed: some explained observation matches that rule. And where the recording keeps a
 * syscall's arguments, the group must test them too: lifting `ioctl` with a recorded TCGETS
 * into "ioctl with any request" would lose exactly what the recording was for. */
static bool fully_observed(const struct ir *ir, const struct sc_arch *arch,
			   const struct rec_set *s, const bool *expl)
{
	const struct ir_arch *ia = NULL;

	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			ia = &ir->arches[i];
	if (!ia)
		return false;
	for (size_t i = 0; i < ia->ncalls; i++) {
		const struct ir_syscall *sc = &ia->calls[i];
		const struct sc_syscall *sys = ir_call_sys(ia, sc);
		const struct argcap *cap = NULL;
		size_t ncap = sys ? argcap_lookup(sys->name, &cap) : 0;
		for (size_t r = 0; r < sc->nrules; r++) {
			bool seen = false;
			if (sc->rules[r].action.type != SC_ACT_ALLOW)
				continue;
			if (!pins_captured(&sc->rules[r], sys, cap, ncap))
				return false;
			for (size_t k = 0; k < rec_set_count(s) && !seen; k++) {
				const struct rec_obs *o = rec_set_at(s, k);
				uint64_t args[6] = { 0 };
				if (!expl[k] || o->arch != arch || o->nr != sc->nr)
					continue;
				for (unsigned a = 0; a < o->nargs; a++)
					args[o->argi[a]] = o->argv[a];
				seen = ir_rule_matches(&sc->rules[r], args);
			}
			if (!seen)
				return false;
		}
	}
	return true;
}

static int by_explains(const void *a, const void *b)
{
	const struct lgroup *x = a, *y = b;
	return x->explains < y->explains ? 1 : x->explains > y->explains ? -1 : strcmp(x->name, y->name);
}

/* Choose groups of @groups; mark the observations they cover in @covered. Returns the
 * names chosen (pointing into @groups), in *@ret_names. */
static size_t lift(struct sc_groups *groups, const struct rec_set *s, const struct sc_arch *arch,
		   bool *covered, const char ***ret_names)
{
	size_t ng = sc_groups_count(groups), nchosen = 0, n = rec_set_count(s);
	struct lgroup *g = xcalloc(ng, sizeof(*g));
	const char **chosen = xcalloc(ng + 1, sizeof(*chosen));

	for (size_t i = 0; i < ng; i++) {
		g[i].name = sc_groups_at(groups, i, NULL);
		if (!group_ir(groups, g[i].name, arch, &g[i].p, &g[i].ir))
			continue;
		g[i].expl = xcalloc(n + 1, sizeof(bool));
		for (size_t k = 0; k < n; k++) {
			const struct rec_obs *o = rec_set_at(s, k);
			if (o->arch == arch && explained_by(g[i].ir, o)) {
				g[i].expl[k] = true;
				g[i].explains++;
			}
		}
		if (!g[i].explains || !fully_observed(g[i].ir, arch, s, g[i].expl))
			g[i].explains = 0;
	}
	qsort(g, ng, sizeof(*g), by_explains);
	for (size_t i = 0; i < ng && g[i].explains; i++) {
		bool adds = false;
		for (size_t k = 0; k < n && !adds; k++)
			adds = g[i].expl[k] && !covered[k];
		if (!adds)
			continue;
		for (size_t k = 0; k < n; k++)
			covered[k] |= g[i].expl[k];
		chosen[nchosen++] = g[i].name;
	}
	for (size_t i = 0; i < ng; i++) {
		ir_free(g[i].ir);
		sc_policy_free(g[i].p);
		free(g[i].expl);
	}
	free(g);
	*ret_names = chosen;
	return nchosen;
}

/*
 * Calls every process needs whatever a run showed: to end (exit, exit_group) and to return
 * from a signal handler (rt_sigreturn, sigreturn on the ABIs that have it, restart_syscall
 * after an interrupted sleep). A run cut short by a signal never makes them, and a policy
 * without them kills the next program at its exit or its first handled signal.
 */
static const char *const always_allowed[] = {
	"exit", "exit_group", "rt_sigreturn", "sigreturn", "restart_syscall",
};
#define N_ALWAYS (sizeof(always_allowed) / sizeof(always_allowed[0]))

static bool is_always_allowed(const char *name)
{
	for (size_t i = 0; i < N_ALWAYS; i++)
		if (strcmp(name, always_allowed[i]) == 0)
			return true;
	return false;
}

/* Captured argument @i of @o as a policy value, named for its context where another captured
 * argument decides what it means (setsockopt's optname by level, socket's protocol by family). */
static void value_in_context(const struct rec_obs *o, const struct sc_syscall *sys, unsigned i,
			     struct pol_value *out)
{
	const char *arg = sys->args[o->argi[i]].name;
	char names[256];

	for (unsigned j = 0; j < o->nargs; j++) {
		const char *by = sys->args[o->argi[j]].name;
		if (j == i || !constants_has_context(sys->name, arg, by))
			continue;
		if (constants_format_context(sys->name, arg, o->argv[i], by, o->argv[j], names,
					     sizeof(names)) > 0)
			render_text(names, out);
		else
			render_number(o->argv[i], out);
		return;
	}
	render_value(sys, arg, o->argv[i], out);
}

/* The captured arguments of @o as conditions of rule @r: equal where every bit is kept, else
 * equal under the mask of the bits kept. */
static void add_conditions(struct pol_rule *r, const struct rec_obs *o, const struct sc_syscall *sys)
{
	const struct argcap *cap = NULL;
	size_t ncap = argcap_lookup(sys->name, &cap);

	for (unsigned i = 0; i < o->nargs; i++) {
		const char *arg = sys->args[o->argi[i]].name;
		struct pol_cond *c = rule_add_cond(r);
		uint64_t keep = UINT64_MAX;
		unsigned bits = sc_syscall_arg_bits(o->arch, sys, o->argi[i]);
		uint64_t w = arg_width_mask(bits);

		for (size_t k = 0; k < ncap; k++)
			if (strcmp(cap[k].arg, arg) == 0)
				keep = cap[k].keep_mask;
		c->arg = xstrdup(arg);
		value_in_context(o, sys, i, &c->value);
		if ((keep & w) == w) {
			c->op = POL_EQ;
		} else {
			char text[280], dropped[256];
			/* A mask that keeps all but a few named bits reads as people write it:
			 * ~(SOCK_NONBLOCK|SOCK_CLOEXEC), not SOCK_DCCP|0xfff7f7f9. */
			int nd = constants_format(sys->name, arg, w & ~keep, dropped, sizeof(dropped));
			c->op = POL_MASKED_EQ;
			if (nd > 0 && !strstr(dropped, "0x")) {
				snprintf(text, sizeof(text), nd > 1 ? "~(%s)" : "~%s", dropped);
				render_text(text, &c->mask);
			} else {
				render_mask(sys, arg, keep & w, bits, &c->mask);
			}
		}
	}
}

/* Layout of the recording's rules, grown beside them. */
struct layout_rules {
	struct policy_toml_rule *rules;
	size_t n;
};

static struct policy_toml_rule *layout_rule(struct layout_rules *l, size_t rule)
{
	l->rules = xgrow_n(l->rules, l->n, rule + 1 - l->n, sizeof(*l->rules));
	while (l->n <= rule)
		l->rules[l->n++] = (struct policy_toml_rule){ 0 };
	return &l->rules[rule];
}

static const char *const always_comment[] = {
	"Always allowed, observed or not: a process must be able to end and to return",
	"from a signal handler, even when the recorded run was cut short.",
};

/* The recording as a policy model (default Errno EPERM, rules as observed) and its layout;
 * *@ret_trailer gets the comment lines for what cannot be named. */
static struct sc_policy *build_policy(struct sc_groups *groups, const struct rec_set *s,
				      const struct rec_output *o, struct layout_rules *lay,
				      char ***ret_trailer, size_t *ret_ntrailer)
{
	size_t n = rec_set_count(s), nlifted = 0, ntrailer = 0;
	bool *covered = xcalloc(n + 1, sizeof(bool));
	const char **lifted = NULL;
	char **trailer = NULL;
	struct sc_policy *p = sc_policy_new("<recording>", groups);
	const struct sc_action allow = { SC_ACT_ALLOW, 0 };
	size_t r, byname = SIZE_MAX;

	sc_policy_set_default(p, (struct sc_action){ SC_ACT_ERRNO, EPERM });
	for (size_t k = 0; k < n && p->narches < 16; k++)
		sc_policy_add_arch(p, rec_set_at(s, k)->arch);
	if (o->abstract && p->narches)
		nlifted = lift(groups, s, p->arches[0], covered, &lifted);
	if (nlifted) {
		r = sc_policy_add_rule(p, SC_RULE_GROUPS, allow);
		for (size_t i = 0; i < nlifted; i++)
			sc_rule_add_name(p, r, lifted[i]);
	}
	free(lifted);
	r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, allow);
	for (size_t i = 0; i < N_ALWAYS; i++)
		sc_rule_add_name(p, r, always_allowed[i]);
	layout_rule(lay, r)->comments = always_comment;
	layout_rule(lay, r)->ncomments = sizeof(always_comment) / sizeof(always_comment[0]);
	/* Calls recorded by name alone: one rule, a name a line. */
	for (size_t k = 0; k < n; k++) {
		const struct rec_obs *ob = rec_set_at(s, k);
		const struct sc_syscall *sys = sc_syscall_by_nr(ob->arch, ob->nr);
		bool dup = false;
		if (covered[k] || ob->nargs || !sys || is_always_allowed(sys->name))
			continue;
		if (byname == SIZE_MAX) {
			byname = sc_policy_add_rule(p, SC_RULE_SYSCALLS, allow);
			layout_rule(lay, byname)->names_per_line = true;
		}
		for (size_t i = 0; i < p->rules[byname].nnames && !dup; i++)
			dup = strcmp(p->rules[byname].names[i].name, sys->name) == 0;
		if (!dup)
			sc_rule_add_name(p, byname, sys->name);
	}
	/* Calls whose arguments were kept: a rule each, conditions by name and constant. */
	for (size_t k = 0; k < n; k++) {
		const struct rec_obs *ob = rec_set_at(s, k);
		const struct sc_syscall *sys = sc_syscall_by_nr(ob->arch, ob->nr);
		if (covered[k] || !ob->nargs || !sys)
			continue;
		r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, allow);
		sc_rule_add_name(p, r, sys->name);
		add_conditions(&p->rules[r], ob, sys);
		layout_rule(lay, r)->conds_inline = true;
	}
	layout_rule(lay, p->nrules ? p->nrules - 1 : 0);
	/* Observations of numbers the catalog does not name cannot be written by name. */
	for (size_t k = 0; k < n; k++) {
		const struct rec_obs *ob = rec_set_at(s, k);
		char line[128];
		if (sc_syscall_by_nr(ob->arch, ob->nr))
			continue;
		snprintf(line, sizeof(line), "not in the catalog, left to the default: %s syscall %u",
			 ob->arch->name, ob->nr);
		trailer = xgrow_n(trailer, ntrailer, 1, sizeof(*trailer));
		trailer[ntrailer++] = xstrdup(line);
	}
	free(covered);
	*ret_trailer = trailer;
	*ret_ntrailer = ntrailer;
	return p;
}

static void free_layout(struct layout_rules *lay, char **trailer, size_t ntrailer)
{
	for (size_t i = 0; i < ntrailer; i++)
		free(trailer[i]);
	free(trailer);
	free(lay->rules);
}

int rec_policy(const struct rec_set *s, bool abstract, struct sc_policy **ret, struct sc_diag *reterr)
{
	const struct rec_output o = { abstract, NULL, SC_FORMAT_TOML };
	struct sc_groups *groups = NULL;
	struct layout_rules lay = { 0 };
	char **trailer = NULL;
	size_t ntrailer = 0;
	int r = sc_groups_load(NULL, &groups, reterr);

	if (r < 0)
		return r;
	*ret = build_policy(groups, s, &o, &lay, &trailer, &ntrailer);
	free_layout(&lay, trailer, ntrailer);
	sc_groups_unref(groups); /* the policy holds its own reference */
	return 0;
}

int rec_write_policy(const struct rec_set *s, const struct rec_output *o, char **ret_buf,
		     size_t *ret_len, struct sc_diag *reterr)
{
	struct sc_groups *groups = NULL;
	struct sc_policy *p;
	struct layout_rules lay = { 0 };
	char **trailer = NULL, stamp[64], recorded[256], observed[128], *command = NULL;
	const char *header[3];
	size_t ntrailer = 0, nheader = 0;
	struct utsname u;
	time_t now = time(NULL);
	int r;

	r = sc_groups_load(NULL, &groups, reterr);
	if (r < 0)
		return r;
	p = build_policy(groups, s, o, &lay, &trailer, &ntrailer);
	if (o->format == SC_FORMAT_OCI) {
		/* The same policy, through the compiler, as OCI JSON. */
		struct sc_filter *f = NULL;
		r = sc_policy_compile(p, &f, reterr);
		if (r == 0)
			r = sc_filter_export(f, SC_FORMAT_OCI, ret_buf, ret_len, reterr);
		sc_filter_free(f);
	} else {
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
		if (uname(&u) < 0)
			snprintf(u.release, sizeof(u.release), "unknown");
		snprintf(recorded, sizeof(recorded), "Recorded by seccompose %s on %s, Linux %s",
			 sc_version(), stamp, u.release);
		header[nheader++] = recorded;
		if (o->command) {
			command = xcalloc(strlen(o->command) + 16, 1);
			sprintf(command, "Command: %s", o->command);
			header[nheader++] = command;
		}
		snprintf(observed, sizeof(observed), "%zu distinct calls observed%s.", rec_set_count(s),
			 o->abstract ? ", lifted into groups where every member was observed" : "");
		header[nheader++] = observed;
		r = policy_write_toml(p, &(struct policy_toml_layout){
						 .header = header, .nheader = nheader,
						 .rules = lay.rules,
						 .trailer = (const char *const *)trailer,
						 .ntrailer = ntrailer },
				      ret_buf, ret_len);
	}
	free_layout(&lay, trailer, ntrailer);
	free(command);
	sc_policy_free(p);
	sc_groups_unref(groups);
	return r;
}
