/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * intersect.c — the intersection of compiled policies (`seccompose intersect`), with the
 * semantics Kubernetes' OCI-artifact merge (KEP-6061) gives a pulled profile and the node's
 * baseline, and a prediction of where that merge, working on OCI JSON text, denies more.
 *
 * The intersection is defined call by call: every input decides the call, and the most
 * restrictive of their actions is the result, in the runtimes' order
 *
 *   KillProcess > KillThread > Trap > Errno > Trace > UserNotif (Notify) > Log > Allow
 *
 * (Trace before Notify: the merge library's order, not the kernel's precedence); between
 * two of one type the earliest input's (its errno). So a call is allowed exactly when every
 * input allows it. Architectures are intersected (a call from an ABI some input does not
 * list gets the most restrictive bad_arch action), defaults and bad_arch actions picked by
 * the same order, filter flags intersected, restrict_ptrace kept if any input has it. A
 * syscall named by one input only gets that input's rules against the others' defaults;
 * conditions on different argument indexes are ANDed, and so are conditions on one index —
 * exactly, through the rule lists' regions (dnf.c).
 *
 * The runtimes' merge works on the JSON entries instead, per syscall name: two entries (of
 * one profile or of two) whose conditions on one argument index differ cannot be ANDed in
 * OCI JSON, where conditions on one index are alternatives, so the merge denies the whole
 * syscall (KillProcess). runtime_denials() repeats that rule on the entries each runtime
 * would read — an OCI input's own, a TOML input's OCI export — to name those syscalls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "bpf/bpf-gen.h"
#include "bpf/bpf-sim.h"
#include "api/dnf.h"
#include "api/filter.h"
#include "policy/policy.h"

static const char intersect_origin[] = "the intersection of the policies";

/* Restrictiveness in the runtimes' order: lower is more restrictive. */
static int restrictiveness(enum sc_action_type t)
{
	static const int rank[] = {
		[SC_ACT_KILL_PROCESS] = 0, [SC_ACT_KILL_THREAD] = 1, [SC_ACT_TRAP] = 2,
		[SC_ACT_ERRNO] = 3,        [SC_ACT_TRACE] = 4,       [SC_ACT_USER_NOTIF] = 5,
		[SC_ACT_LOG] = 6,          [SC_ACT_ALLOW] = 7,
	};
	return (unsigned)t < sizeof(rank) / sizeof(rank[0]) ? rank[t] : 0;
}

/* The more restrictive of @first and @second; the first on a tie (its errno). */
static struct sc_action pick(struct sc_action first, struct sc_action second)
{
	return restrictiveness(second.type) < restrictiveness(first.type) ? second : first;
}

static bool lists(const struct ir *ir, const struct sc_arch *arch)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			return true;
	return false;
}

static uint32_t floor_of(const struct ir *ir, const struct sc_arch *arch)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			return ir->arches[i].enosys_above;
	return 0;
}

/* @acc := every region of @acc against every region of @next, the pair's pick; empty
 * intersections dropped. */
static int regions_meet(struct region **acc, size_t *nacc, const struct region *next, size_t nnext)
{
	struct region *out = NULL;
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < *nacc && r == 0; i++)
		for (size_t k = 0; k < nnext && r == 0; k++) {
			struct dnf both = { 0 }, kept = { 0 };
			r = dnf_push_all(&both, &(*acc)[i].set);
			if (r == 0)
				r = dnf_and(&both, &next[k].set);
			for (size_t t = 0; t < both.n && r == 0; t++) {
				uint64_t args[6];
				if (term_witness(&both.t[t], args))
					r = dnf_push(&kept, &both.t[t]);
			}
			dnf_free(&both);
			if (r == 0 && kept.n) {
				out = xgrow_n(out, n, 1, sizeof(*out));
				out[n++] = (struct region){ pick((*acc)[i].action, next[k].action), kept };
			} else {
				dnf_free(&kept);
			}
		}
	regions_free(*acc, *nacc);
	*acc = out;
	*nacc = n;
	return r;
}

static void add_rule(struct ir *m, struct ir_syscall *s, struct sc_action act, const struct term *t,
		     size_t *seq)
{
	struct ir_rule *r;

	s->rules = xreallocarray(s->rules, s->nrules + 1, sizeof(*s->rules));
	r = &s->rules[s->nrules++];
	*r = (struct ir_rule){ .action = act, .ncmp = t->n, .origin = intersect_origin, .seq = (*seq)++ };
	r->cmp = ir_cmp_copy(m, t->c, t->n, NULL);
}

static int cmp_rule(const void *x, const void *y)
{
	const struct ir_rule *a = x, *b = y;

	if (a->action.type != b->action.type)
		return a->action.type < b->action.type ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Syscall @nr of the intersection's ABI @ma. */
static int meet_syscall(struct ir *m, struct ir_arch *ma, struct sc_filter *const *in, size_t n,
			uint32_t nr, size_t *seq)
{
	struct region *acc = NULL, *next = NULL;
	size_t nacc = 0, nnext = 0;
	struct sc_action natural = ma->enosys_above && nr > ma->enosys_above ? m->enosys : m->def;
	struct ir_syscall *s;
	bool differs = false;
	int r = syscall_regions(in[0]->ir, ma->arch, nr, &acc, &nacc);

	for (size_t i = 1; i < n && r == 0; i++) {
		r = syscall_regions(in[i]->ir, ma->arch, nr, &next, &nnext);
		if (r == 0)
			r = regions_meet(&acc, &nacc, next, nnext);
		regions_free(next, nnext);
		next = NULL;
		nnext = 0;
	}
	if (r < 0)
		goto out;
	/* No rule needed when every call gets what no rule gives. */
	for (size_t i = 0; i < nacc && !differs; i++)
		differs = !ir_action_equal(acc[i].action, m->def);
	if (!differs && ir_action_equal(m->def, natural))
		goto out;
	/* Rules for what does not get the default; the regions are disjoint, so their order
	 * does not matter (they are still sorted most restrictive first, as rule sets are). */
	s = ir_syscall_slot(ma, nr);
	for (size_t i = 0; i < nacc && r == 0; i++) {
		if (ir_action_equal(acc[i].action, m->def))
			continue;
		for (size_t t = 0; t < acc[i].set.n && r == 0; t++) {
			if (acc[i].set.t[t].n > IR_MAX_CMP)
				r = -E2BIG;
			else
				add_rule(m, s, acc[i].action, &acc[i].set.t[t], seq);
		}
	}
	if (r == 0 && s->nrules == 0) /* everything gets the default, but that is not what no rule gives */
		add_rule(m, s, m->def, &(struct term){ .n = 0 }, seq);
	if (s->nrules > 1)
		qsort(s->rules, s->nrules, sizeof(*s->rules), cmp_rule);
out:
	regions_free(acc, nacc);
	return r;
}

static int meet_arch(struct ir *m, struct ir_arch *ma, struct sc_filter *const *in, size_t n,
		     struct sc_diag *reterr)
{
	size_t seq = 0;
	int r = 0;

	/* Every catalog syscall (defaults and floors differ between inputs), then the numbers
	 * rules name that the catalog does not. */
	for (size_t k = 0; k < sc_syscall_count(ma->arch) && r == 0; k++)
		r = meet_syscall(m, ma, in, n, sc_syscall_at(ma->arch, k)->nr, &seq);
	for (size_t i = 0; i < n && r == 0; i++)
		for (size_t a = 0; a < in[i]->ir->narches && r == 0; a++) {
			const struct ir_arch *ia = &in[i]->ir->arches[a];
			if (ia->arch != ma->arch)
				continue;
			for (size_t k = 0; k < ia->ncalls && r == 0; k++)
				if (!sc_syscall_by_nr(ma->arch, ia->calls[k].nr) && !ir_find(ma, ia->calls[k].nr))
					r = meet_syscall(m, ma, in, n, ia->calls[k].nr, &seq);
		}
	if (r == -E2BIG) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the intersection of these policies is too complex to state on %s "
			    "(over %d alternatives or %d comparisons in one)",
			    ma->arch->name, DNF_MAX_TERMS, IR_MAX_CMP);
		r = -EINVAL;
	}
	return r;
}

/* ==== What the runtimes' merge denies (KEP-6061, on OCI JSON entries) ==== */

struct rt_arg {
	int index;
	int op;
	uint64_t value, value2;
};

/* One syscall name's entry as the merge holds it. */
struct rt_entry {
	char *name;
	struct rt_arg *args;
	size_t nargs;
	bool denied;
};

static int cmp_rt_arg(const void *x, const void *y)
{
	const struct rt_arg *a = x, *b = y;

	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->value2 != b->value2)
		return a->value2 < b->value2 ? -1 : 1;
	return (a->op > b->op) - (a->op < b->op);
}

static bool rt_args_equal(const struct rt_arg *a, size_t na, const struct rt_arg *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].index != b[i].index || a[i].op != b[i].op || a[i].value != b[i].value ||
		    a[i].value2 != b[i].value2)
			return false;
	return true;
}

/* The args of @idx in @e, sorted, into @ret (malloc'd). */
static size_t rt_group(const struct rt_entry *e, int idx, struct rt_arg **ret)
{
	size_t n = 0;

	*ret = xcalloc(e->nargs + 1, sizeof(**ret));
	for (size_t i = 0; i < e->nargs; i++)
		if (e->args[i].index == idx)
			(*ret)[n++] = e->args[i];
	qsort(*ret, n, sizeof(**ret), cmp_rt_arg);
	return n;
}

/* @l := the merge of @l and @r's args: one side's when the other has none, either when
 * equal, else index by index — an index both condition differently denies the syscall. */
static void rt_meet(struct rt_entry *l, const struct rt_entry *r)
{
	bool denied = false;

	if (r->nargs == 0 || rt_args_equal(l->args, l->nargs, r->args, r->nargs))
		return;
	if (l->nargs == 0) {
		l->args = xreallocarray(l->args, r->nargs, sizeof(*l->args));
		memcpy(l->args, r->args, r->nargs * sizeof(*l->args));
		l->nargs = r->nargs;
		return;
	}
	for (int idx = 0; idx < 6 && !denied; idx++) {
		struct rt_arg *a, *b;
		size_t na = rt_group(l, idx, &a), nb = rt_group(r, idx, &b);
		denied = na && nb && !rt_args_equal(a, na, b, nb);
		free(a);
		free(b);
	}
	if (denied) {
		/* KillProcess without args: what follows may add args again, the kill stays. */
		l->denied = true;
		l->nargs = 0;
		return;
	}
	for (size_t i = 0; i < r->nargs; i++) {
		bool have = false;
		for (size_t k = 0; k < l->nargs && !have; k++)
			have = l->args[k].index == r->args[i].index;
		if (have)
			continue; /* equal groups: kept once */
		l->args = xreallocarray(l->args, l->nargs + 1, sizeof(*l->args));
		l->args[l->nargs++] = r->args[i];
	}
}

struct rt_profile {
	struct rt_entry *e;
	size_t n;
};

static struct rt_entry *rt_find(struct rt_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->e[i].name, name) == 0)
			return &p->e[i];
	return NULL;
}

static void rt_profile_free(struct rt_profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->e[i].name);
		free(p->e[i].args);
	}
	free(p->e);
	*p = (struct rt_profile){ 0 };
}

/* @pol's entries, one per name, the entries of one name merged in order. */
static void rt_normalize(const struct sc_policy *pol, struct rt_profile *ret)
{
	*ret = (struct rt_profile){ 0 };
	for (size_t i = 0; i < pol->nrules; i++) {
		const struct pol_rule *pr = &pol->rules[i];
		struct rt_entry single = { 0 };
		single.args = xcalloc(pr->nconds + 1, sizeof(*single.args));
		for (size_t c = 0; c < pr->nconds; c++) {
			const struct pol_cond *pc = &pr->conds[c];
			bool masked = pc->op == POL_MASKED_EQ;
			single.args[single.nargs++] = (struct rt_arg){
				.index = pc->index, .op = (int)pc->op,
				.value = masked ? pc->mask.num : pc->value.num,
				.value2 = masked ? pc->value.num : 0,
			};
		}
		for (size_t k = 0; k < pr->nnames; k++) {
			struct rt_entry *have = rt_find(ret, pr->names[k].name);
			if (have) {
				rt_meet(have, &single);
				continue;
			}
			ret->e = xgrow_n(ret->e, ret->n, 1, sizeof(*ret->e));
			ret->e[ret->n] = single;
			ret->e[ret->n].name = xstrdup(pr->names[k].name);
			ret->e[ret->n].args = xcalloc(single.nargs + 1, sizeof(*single.args));
			memcpy(ret->e[ret->n].args, single.args, single.nargs * sizeof(*single.args));
			ret->n++;
		}
		free(single.args);
	}
}

/* The OCI JSON a runtime reads for input @f: its own text when it was OCI JSON, else the
 * OCI export, loaded as a policy. */
static int runtime_profile(const struct sc_filter *f, struct sc_policy **owned,
			   const struct sc_policy **ret, struct sc_diag *reterr)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	*owned = NULL;
	if (f->policy && f->policy->format == POL_FORMAT_OCI) {
		*ret = f->policy;
		return 0;
	}
	r = sc_filter_export(f, SC_FORMAT_OCI, &buf, &len, reterr);
	if (r == 0)
		r = sc_policy_load_buffer("<export>.json", buf, len, NULL, owned, reterr);
	free(buf);
	*ret = *owned;
	return r;
}

static int runtime_denials(struct sc_filter *const *in, size_t n, char ***ret, size_t *ret_n,
			   struct sc_diag *reterr)
{
	struct rt_profile acc = { 0 };
	char **names = NULL;
	size_t nnames = 0;
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		struct sc_policy *owned = NULL;
		const struct sc_policy *pol = NULL;
		struct rt_profile p;
		r = runtime_profile(in[i], &owned, &pol, reterr);
		if (r < 0) {
			sc_policy_free(owned);
			break;
		}
		rt_normalize(pol, &p);
		if (i == 0) {
			acc = p;
		} else {
			for (size_t k = 0; k < p.n; k++) {
				struct rt_entry *have = rt_find(&acc, p.e[k].name);
				if (have) {
					have->denied |= p.e[k].denied;
					rt_meet(have, &p.e[k]);
					continue;
				}
				acc.e = xgrow_n(acc.e, acc.n, 1, sizeof(*acc.e));
				acc.e[acc.n++] = p.e[k];
				p.e[k].args = NULL;
				p.e[k].name = NULL;
			}
			rt_profile_free(&p);
		}
		for (size_t k = 0; k < acc.n; k++)
			if (acc.e[k].denied) {
				bool dup = false;
				for (size_t j = 0; j < nnames && !dup; j++)
					dup = strcmp(names[j], acc.e[k].name) == 0;
				if (!dup) {
					names = xgrow_n(names, nnames, 1, sizeof(*names));
					names[nnames++] = xstrdup(acc.e[k].name);
				}
			}
		sc_policy_free(owned);
	}
	rt_profile_free(&acc);
	if (r < 0) {
		for (size_t j = 0; j < nnames; j++)
			free(names[j]);
		free(names);
		return r;
	}
	*ret = names;
	*ret_n = nnames;
	return 0;
}

/* Every syscall of the intersection named @name on any ABI: one KillProcess rule. */
static void deny_wholly(struct ir *m, const char *name)
{
	for (size_t a = 0; a < m->narches; a++) {
		const struct sc_syscall *sys = sc_syscall_lookup(m->arches[a].arch, name);
		struct ir_syscall *s;
		size_t seq = 0;
		if (!sys)
			continue;
		s = ir_syscall_slot(&m->arches[a], sys->nr);
		free(s->rules);
		s->rules = NULL;
		s->nrules = 0;
		add_rule(m, s, (struct sc_action){ SC_ACT_KILL_PROCESS, 0 }, &(struct term){ .n = 0 }, &seq);
	}
}

SC_EXPORT int sc_filter_intersect(struct sc_filter *const *in, size_t n, unsigned flags,
				  struct sc_filter **ret, char ***ret_denied, size_t *ret_ndenied,
				  struct sc_diag *reterr)
{
	struct sc_filter *f;
	struct ir *m;
	char **denied = NULL;
	size_t ndenied = 0;
	char err[256];
	int r = 0;

	if (n == 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "nothing to intersect");
		return -EINVAL;
	}
	m = xcalloc(1, sizeof(*m));
	m->def = in[0]->ir->def;
	m->bad_arch = in[0]->ir->bad_arch;
	m->flags = in[0]->ir->flags;
	m->enosys = (struct sc_action){ SC_ACT_ERRNO, ENOSYS };
	for (size_t i = 0; i < n; i++) {
		m->def = pick(m->def, in[i]->ir->def);
		m->bad_arch = pick(m->bad_arch, in[i]->ir->bad_arch);
		m->flags &= in[i]->ir->flags;
		m->restrict_ptrace |= in[i]->ir->restrict_ptrace;
	}
	/* The ABIs every input lists, in the first one's order; the ENOSYS floor where they
	 * agree on it (named syscalls get their exact action either way). */
	for (size_t a = 0; a < in[0]->ir->narches; a++) {
		const struct sc_arch *arch = in[0]->ir->arches[a].arch;
		bool all = true, same_floor = true;
		for (size_t i = 1; i < n && all; i++) {
			all = lists(in[i]->ir, arch);
			same_floor &= floor_of(in[i]->ir, arch) == floor_of(in[0]->ir, arch);
		}
		if (!all)
			continue;
		m->arches = xreallocarray(m->arches, m->narches + 1, sizeof(*m->arches));
		m->arches[m->narches++] = (struct ir_arch){
			.arch = arch, .enosys_above = same_floor ? floor_of(in[0]->ir, arch) : 0 };
	}
	if (m->narches == 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the policies have no architecture in common: their intersection allows nothing");
		r = -EINVAL;
	}
	for (size_t a = 0; a < m->narches && r == 0; a++)
		r = meet_arch(m, &m->arches[a], in, n, reterr);
	if (r == 0 && (flags & SC_INTERSECT_AS_RUNTIME)) {
		r = runtime_denials(in, n, &denied, &ndenied, reterr);
		for (size_t i = 0; i < ndenied && r == 0; i++)
			deny_wholly(m, denied[i]);
	}
	f = xcalloc(1, sizeof(*f));
	f->ir = m;
	f->owned_policy = policy_new("<intersect>", "", 0);
	f->policy = f->owned_policy;
	if (r == 0)
		r = bpf_gen(m, &f->prog, &f->len, reterr);
	if (r == 0 && bpf_sim_check(f->prog, f->len, err, sizeof(err)) < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "internal error: intersected filter is invalid: %s", err);
		r = -EINVAL;
	}
	if (r < 0) {
		for (size_t i = 0; i < ndenied; i++)
			free(denied[i]);
		free(denied);
		sc_filter_free(f);
		return r;
	}
	*ret = f;
	if (ret_denied) {
		*ret_denied = denied;
		*ret_ndenied = ndenied;
	} else {
		for (size_t i = 0; i < ndenied; i++)
			free(denied[i]);
		free(denied);
	}
	return 0;
}
