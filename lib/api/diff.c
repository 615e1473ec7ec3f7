/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * diff.c — what one compiled policy does that another does not (`seccompose diff`).
 *
 * Defined on the filters, call by call: per ABI either lists and per syscall number, each
 * filter's rule list is cut into regions, the calls each action gets (dnf.c); every pair of
 * regions whose actions differ is intersected, and each satisfiable term of that
 * intersection is one difference, with a call that shows it (term_witness) and its condition
 * written with the parameters' and constants' names. Numbers the catalog does not name and
 * ABIs neither policy lists are compared through a representative call. So "no difference"
 * means the two filters give every call the same action, and every difference reported has
 * a call on which they disagree.
 *
 * A syscall that differs for every argument the same way is a whole difference; where every
 * member of a group (on that ABI) differs wholly in the same way, the members are marked
 * with the group's name so that readers can say "socket_inet" instead of the list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/catalog.h"
#include "api/dnf.h"
#include "api/filter.h"
#include "export/render.h"
#include "policy/policy.h"

struct diffs {
	struct sc_difference *d;
	size_t n;
	uint32_t nr; /* the syscall being compared, for the message when it is too complex */
};

static struct sc_difference *diff_add(struct diffs *ds, const struct sc_arch *arch, uint32_t nr,
				      struct sc_action a, struct sc_action b, const uint64_t args[6])
{
	struct sc_difference *d;
	const struct sc_syscall *sys = arch ? sc_syscall_by_nr(arch, nr) : NULL;

	ds->d = xgrow_n(ds->d, ds->n, 1, sizeof(*ds->d));
	d = &ds->d[ds->n++];
	*d = (struct sc_difference){ .arch = arch, .nr = nr, .a = a, .b = b,
				     .syscall = sys ? sys->name : NULL };
	memcpy(d->args, args, sizeof(d->args));
	return d;
}

static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s", s);
}

/* @c as people write it: "cmd == TCGETS", "prot & PROT_EXEC == 0", "arg3 < 0x100". */
static void cmp_text(const struct sc_syscall *sys, const struct ir_cmp *c, char *buf, size_t size)
{
	const char *arg = sys && c->arg < sys->nargs ? sys->args[c->arg].name : NULL;
	char argbuf[16], num[32];
	struct pol_value v = { 0 }, m = { 0 };

	if (!arg) {
		snprintf(argbuf, sizeof(argbuf), "arg%u", c->arg);
		arg = argbuf;
	}
	render_value(sys, arg, c->value, &v);
	if (!v.text)
		snprintf(num, sizeof(num), "%llu", (unsigned long long)v.num);
	if (c->op == IR_MASKED_EQ) {
		render_mask(sys, arg, c->mask, c->bits, &m);
		snprintf(buf, size, "%s & %s == %s", arg, m.text, v.text ? v.text : num);
	} else {
		snprintf(buf, size, "%s %s %s", arg, ir_op_symbol((enum ir_op)c->op), v.text ? v.text : num);
	}
	free(v.text);
	free(m.text);
}

/* Is @c implied by an == on the same argument and width in @t (then saying it adds nothing)? */
static bool implied_by_eq(const struct term *t, const struct ir_cmp *c)
{
	if (c->op == IR_EQ)
		return false;
	for (unsigned i = 0; i < t->n; i++)
		if (t->c[i].op == IR_EQ && t->c[i].arg == c->arg && t->c[i].bits == c->bits)
			return true;
	return false;
}

static void term_text(const struct sc_syscall *sys, const struct term *t, char *buf, size_t size)
{
	buf[0] = '\0';
	for (unsigned i = 0; i < t->n; i++) {
		char one[160];
		if (implied_by_eq(t, &t->c[i]))
			continue;
		cmp_text(sys, &t->c[i], one, sizeof(one));
		if (buf[0])
			append(buf, size, " && ");
		append(buf, size, one);
	}
}

/*
 * The calls of one syscall the two rule lists give different actions are searched rule
 * pair by rule pair: rule i of @a (action X, the default last, matching everything) and
 * rule j of @b (action Y != X) disagree on a call that matches both and none of the rules
 * before them whose action is not theirs (those would decide first; earlier rules of the
 * same action decide the same). Each excluded rule is a clause "one of its comparisons
 * fails", searched depth first with term_witness() pruning every branch no call satisfies:
 * far less than the negations multiplied out, and the witness comes with it. The condition
 * reported is the pair's own comparisons (what a reader matches against the policies).
 */
#define SEARCH_BUDGET 200000

struct pair_search {
	const struct ir_rule *const *clauses; /* the rules to exclude */
	size_t nclauses;
	size_t steps;
	uint64_t args[6];
};

static int exclude_from(struct pair_search *ps, size_t k, const struct term *t)
{
	if (++ps->steps > SEARCH_BUDGET)
		return -E2BIG;
	if (k == ps->nclauses)
		return term_witness(t, ps->args) ? 1 : 0;
	/* A rule no call of @t matches is excluded already: no branching. */
	{
		struct term with = *t;
		uint64_t probe[6];
		int ok = 1;
		for (unsigned c = 0; c < ps->clauses[k]->ncmp && ok == 1; c++)
			ok = term_add(&with, &ps->clauses[k]->cmp[c]);
		if (ok == 0 || (ok == 1 && !term_witness(&with, probe)))
			return exclude_from(ps, k + 1, t);
	}
	/* One comparison: its negation is one test, no branching. */
	if (ps->clauses[k]->ncmp == 1) {
		static const uint8_t neg[] = {
			[IR_EQ] = IR_NE, [IR_NE] = IR_EQ, [IR_LT] = IR_GE, [IR_LE] = IR_GT,
			[IR_GT] = IR_LE, [IR_GE] = IR_LT, [IR_MASKED_EQ] = DNF_MASKED_NE,
		};
		struct term next = *t;
		struct ir_cmp c = ps->clauses[k]->cmp[0];
		int ok;
		c.op = neg[c.op];
		ok = term_add(&next, &c);
		if (ok <= 0)
			return ok;
		return exclude_from(ps, k + 1, &next);
	}
	for (unsigned c = 0; c < ps->clauses[k]->ncmp; c++) {
		struct dnf neg;
		int r = cmp_not(&ps->clauses[k]->cmp[c], &neg);
		for (size_t i = 0; i < neg.n && r >= 0; i++) {
			struct term next = *t;
			uint64_t probe[6];
			int ok = 1;
			for (unsigned j = 0; j < neg.t[i].n && ok == 1; j++)
				ok = term_add(&next, &neg.t[i].c[j]);
			if (ok < 0) {
				r = ok;
				break;
			}
			if (ok == 0 || !term_witness(&next, probe))
				continue;
			r = exclude_from(ps, k + 1, &next);
			if (r != 0)
				break;
		}
		dnf_free(&neg);
		if (r != 0)
			return r;
	}
	return 0; /* a rule without comparisons cannot be excluded */
}

/* The rules of @s (NULL: none), the default rule @def after them. */
static size_t rule_list(const struct ir_syscall *s, const struct ir_rule *def, const struct ir_rule ***ret)
{
	size_t n = s ? s->nrules : 0;
	const struct ir_rule **l = xcalloc(n + 1, sizeof(*l));

	for (size_t i = 0; i < n; i++)
		l[i] = &s->rules[i];
	l[n] = def;
	*ret = l;
	return n + 1;
}

static const struct ir_syscall *find_syscall(const struct ir *ir, const struct sc_arch *arch, uint32_t nr,
					     struct sc_action *ret_fallback)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch) {
			const struct ir_syscall *s = ir_find(&ir->arches[i], nr);
			*ret_fallback = !s && ir->arches[i].enosys_above && nr > ir->arches[i].enosys_above
						? ir->enosys : ir->def;
			return s;
		}
	*ret_fallback = ir->bad_arch;
	return NULL;
}

/* Syscall @nr of @arch in both filters. */
static int diff_syscall(const struct ir *a, const struct ir *b, const struct sc_arch *arch,
			uint32_t nr, struct diffs *ds)
{
	struct ir_rule def_a = { 0 }, def_b = { 0 };
	const struct ir_syscall *sa = find_syscall(a, arch, nr, &def_a.action);
	const struct ir_syscall *sb = find_syscall(b, arch, nr, &def_b.action);
	const struct ir_rule **la, **lb, **clauses;
	size_t na, nb;
	int r = 0;

	ds->nr = nr;
	if (!sa && !sb) { /* one action each for every argument */
		if (!ir_action_equal(def_a.action, def_b.action))
			diff_add(ds, arch, nr, def_a.action, def_b.action, (uint64_t[6]){ 0 })->whole = true;
		return 0;
	}
	if (sa && sb && ir_rules_equal(sa, sb) && ir_action_equal(def_a.action, def_b.action))
		return 0;
	na = rule_list(sa, &def_a, &la);
	nb = rule_list(sb, &def_b, &lb);
	clauses = xcalloc(na + nb, sizeof(*clauses));
	for (size_t i = 0; i < na && r >= 0; i++)
		for (size_t j = 0; j < nb && r >= 0; j++) {
			struct pair_search ps = { .clauses = clauses };
			struct term t = { .n = 0 };
			int ok = 1;
			if (ir_action_equal(la[i]->action, lb[j]->action))
				continue;
			for (unsigned c = 0; c < la[i]->ncmp && ok == 1; c++)
				ok = term_add(&t, &la[i]->cmp[c]);
			for (unsigned c = 0; c < lb[j]->ncmp && ok == 1; c++)
				ok = term_add(&t, &lb[j]->cmp[c]);
			if (ok <= 0) {
				r = ok;
				continue;
			}
			for (size_t k = 0; k < i; k++)
				if (!ir_action_equal(la[k]->action, la[i]->action))
					clauses[ps.nclauses++] = la[k];
			for (size_t k = 0; k < j; k++)
				if (!ir_action_equal(lb[k]->action, lb[j]->action))
					clauses[ps.nclauses++] = lb[k];
			/* Single comparisons first: they narrow without branching. */
			for (size_t x = 1; x < ps.nclauses; x++)
				for (size_t y = x; y > 0 && ps.clauses[y]->ncmp == 1 && ps.clauses[y - 1]->ncmp != 1; y--) {
					const struct ir_rule *tmp = clauses[y];
					clauses[y] = clauses[y - 1];
					clauses[y - 1] = tmp;
				}
			r = exclude_from(&ps, 0, &t);
			if (r == 1) {
				struct sc_difference *d = diff_add(ds, arch, nr, la[i]->action, lb[j]->action, ps.args);
				d->whole = t.n == 0 && ps.nclauses == 0;
				if (!d->whole)
					term_text(arch ? sc_syscall_by_nr(arch, nr) : NULL, &t, d->when, sizeof(d->when));
			}
		}
	free(clauses);
	free(la);
	free(lb);
	return r < 0 ? r : 0;
}

static bool lists(const struct ir *ir, const struct sc_arch *arch)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			return true;
	return false;
}

static uint32_t enosys_floor(const struct ir *ir, const struct sc_arch *arch)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			return ir->arches[i].enosys_above;
	return 0;
}

static bool has_rules(const struct ir *ir, const struct sc_arch *arch, uint32_t nr)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			return ir_find(&ir->arches[i], nr) != NULL;
	return false;
}

/* Numbers the catalog does not name (and no rule names) take the default or the ENOSYS
 * floor: one representative on each side of each floor. */
static void diff_unnamed(const struct ir *a, const struct ir *b, const struct sc_arch *arch,
			 struct diffs *ds)
{
	uint32_t top = 0, cand[4];
	size_t nc = 0;
	struct sc_action seen_a[4], seen_b[4];
	size_t nseen = 0;

	for (size_t i = 0; i < sc_syscall_count(arch); i++)
		if (sc_syscall_at(arch, i)->nr > top)
			top = sc_syscall_at(arch, i)->nr;
	cand[nc++] = top + 1;
	if (enosys_floor(a, arch))
		cand[nc++] = enosys_floor(a, arch) + 1;
	if (enosys_floor(b, arch))
		cand[nc++] = enosys_floor(b, arch) + 1;
	cand[nc++] = arch->nr_bit | (arch->nr_base + 0xfff0);
	for (size_t i = 0; i < nc; i++) {
		uint32_t nr = cand[i];
		bool dup = false;
		/* The first number at or above the candidate that nothing names. */
		while (sc_syscall_by_nr(arch, nr) || has_rules(a, arch, nr) || has_rules(b, arch, nr))
			nr++;
		struct sc_action x = ir_eval(a, arch, nr, (uint64_t[6]){ 0 });
		struct sc_action y = ir_eval(b, arch, nr, (uint64_t[6]){ 0 });
		if (ir_action_equal(x, y))
			continue;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = ir_action_equal(seen_a[k], x) && ir_action_equal(seen_b[k], y);
		if (dup)
			continue;
		seen_a[nseen] = x;
		seen_b[nseen++] = y;
		diff_add(ds, arch, nr, x, y, (uint64_t[6]){ 0 })->whole = true;
	}
}

/* The syscall names group @g stands for, flattened (nested groups expanded); false when a
 * member rule has conditions (then the group is not a plain list of syscalls). */
static bool group_members(const struct pol_groups *db, const struct pol_group *g, const char ***names,
			  size_t *n, unsigned depth)
{
	if (depth > 8)
		return false;
	for (size_t i = 0; i < g->nrules; i++) {
		const struct pol_rule *r = &g->rules[i];
		if (r->nconds)
			return false;
		for (size_t k = 0; k < r->nnames; k++) {
			if (r->is_group) {
				const struct pol_group *sub = groups_find(db, r->names[k].name);
				if (!sub || !group_members(db, sub, names, n, depth + 1))
					return false;
				continue;
			}
			*names = xgrow_n(*names, *n, 1, sizeof(**names));
			(*names)[(*n)++] = r->names[k].name;
		}
	}
	return true;
}

/* The whole difference of @arch's syscall @name, or NULL. */
static struct sc_difference *whole_of(struct diffs *ds, const struct sc_arch *arch, const char *name)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->d[i].arch == arch && ds->d[i].whole && ds->d[i].syscall && !ds->d[i].unlisted_abi &&
		    strcmp(ds->d[i].syscall, name) == 0)
			return &ds->d[i];
	return NULL;
}

/* Mark whole differences by the largest groups all of whose members (on the ABI) differ alike. */
static void name_groups(struct diffs *ds, const struct pol_groups *db)
{
	size_t *order;

	if (!db || !db->ngroups)
		return;
	order = xcalloc(db->ngroups, sizeof(*order));
	for (size_t i = 0; i < db->ngroups; i++)
		order[i] = i;
	/* Largest first: a group covering more says more (insertion sort: a few hundred). */
	size_t *sizes = xcalloc(db->ngroups, sizeof(*sizes));
	for (size_t i = 0; i < db->ngroups; i++) {
		const char **names = NULL;
		size_t n = 0;
		if (group_members(db, groups_at(db, i), &names, &n, 0))
			sizes[i] = n;
		free(names);
	}
	for (size_t i = 1; i < db->ngroups; i++)
		for (size_t k = i; k > 0 && sizes[order[k]] > sizes[order[k - 1]]; k--) {
			size_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	for (size_t gi = 0; gi < db->ngroups; gi++) {
		const struct pol_group *g = groups_at(db, order[gi]);
		const char **names = NULL;
		size_t n = 0;
		if (sizes[order[gi]] < 2 || !group_members(db, g, &names, &n, 0)) {
			free(names);
			continue;
		}
		for (size_t a = 0; a < sc_arch_count(); a++) {
			const struct sc_arch *arch = sc_arch_at(a);
			struct sc_difference *first = NULL;
			size_t present = 0;
			bool alike = true;
			for (size_t k = 0; k < n && alike; k++) {
				struct sc_difference *d;
				if (!sc_syscall_lookup(arch, names[k]))
					continue;
				present++;
				d = whole_of(ds, arch, names[k]);
				if (!d || d->group)
					alike = false;
				else if (!first)
					first = d;
				else
					alike = ir_action_equal(d->a, first->a) && ir_action_equal(d->b, first->b);
			}
			if (!alike || present < 2)
				continue;
			for (size_t k = 0; k < n; k++) {
				struct sc_difference *d = sc_syscall_lookup(arch, names[k]) ? whole_of(ds, arch, names[k]) : NULL;
				if (d)
					d->group = g->name;
			}
		}
		free(names);
	}
	free(sizes);
	free(order);
}

SC_EXPORT int sc_filter_diff(const struct sc_filter *fa, const struct sc_filter *fb,
			     struct sc_difference **ret, size_t *ret_n, struct sc_diag *reterr)
{
	const struct ir *a = fa->ir, *b = fb->ir;
	struct diffs ds = { 0 };
	int r = 0;

	/* ABIs neither lists: one representative, the first the catalog has that shares its
	 * audit value with no other (x32's calls look like x86_64's to a filter without x32). */
	if (!ir_action_equal(a->bad_arch, b->bad_arch))
		for (size_t i = 0; i < sc_arch_count(); i++) {
			const struct sc_arch *arch = sc_arch_at(i);
			if (lists(a, arch) || lists(b, arch) || (arch->flags & SC_ARCH_SHARES_AUDIT))
				continue;
			struct sc_difference *d = diff_add(&ds, arch, arch->nr_base | arch->nr_bit,
							    a->bad_arch, b->bad_arch, (uint64_t[6]){ 0 });
			d->syscall = NULL;
			d->unlisted_abi = true;
			d->whole = true;
			break;
		}
	for (size_t i = 0; i < sc_arch_count() && r == 0; i++) {
		const struct sc_arch *arch = sc_arch_at(i);
		if (!lists(a, arch) && !lists(b, arch))
			continue;
		/* Every number either names, and every catalog syscall (a default may differ). */
		for (size_t k = 0; k < sc_syscall_count(arch) && r == 0; k++) {
			uint32_t nr = sc_syscall_at(arch, k)->nr;
			r = diff_syscall(a, b, arch, nr, &ds);
		}
		for (int side = 0; side < 2 && r == 0; side++) {
			const struct ir *x = side ? b : a;
			for (size_t k = 0; k < x->narches && r == 0; k++) {
				if (x->arches[k].arch != arch)
					continue;
				for (size_t j = 0; j < x->arches[k].ncalls && r == 0; j++) {
					uint32_t nr = x->arches[k].calls[j].nr;
					if (sc_syscall_by_nr(arch, nr) || (side && has_rules(a, arch, nr)))
						continue;
					r = diff_syscall(a, b, arch, nr, &ds);
				}
			}
		}
		if (r == 0)
			diff_unnamed(a, b, arch, &ds);
		if (r == -E2BIG) {
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "the policies are too complex to compare: %s on %s (its rules take over "
				    "%d steps to search, or %d comparisons at once)",
				    sc_syscall_by_nr(arch, ds.nr) ? sc_syscall_by_nr(arch, ds.nr)->name : "a syscall",
				    arch->name, SEARCH_BUDGET, DNF_MAX_CMP);
			r = -EINVAL;
		}
	}
	if (r < 0) {
		free(ds.d);
		return r;
	}
	name_groups(&ds, fa->policy && fa->policy->groups ? fa->policy->groups
				 : fb->policy ? fb->policy->groups : NULL);
	*ret = ds.d;
	*ret_n = ds.n;
	return 0;
}
