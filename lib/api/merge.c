/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * merge.c — the union of compiled policies (`seccompose merge`, `record --append`).
 *
 * The union is defined on what the filters do, not on their text:
 *
 *   - per ABI and syscall number, a call is allowed when any input allows it (Allow only:
 *     Log, Trace, UserNotif, Trap, Errno and Kill count as not allowing);
 *   - a call no input allows gets the union's "deny" action: the most permissive non-Allow
 *     default among the inputs (Errno beats Trap beats KillProcess; between two Errnos the
 *     first input's value); when some input's default is Allow the union's default is Allow
 *     and what it denies gets the most permissive non-Allow action among the inputs'
 *     defaults and rules (Errno(EPERM) when there is none);
 *   - numbers past the catalog keep the inputs' ENOSYS floor only where no input allows them;
 *   - filter flags add up (TSYNC, LOG …); an input that allows calls from ABIs it does not
 *     list (bad_arch_action Allow) is refused: its union would have to allow every ABI; so
 *     is an ABI listed only by deny-by-default inputs when the union's default is Allow
 *     (the union would allow there what no input names).
 *
 * Each input's allowed set for one syscall is a formula over its rules' comparisons: the
 * rules are ordered most restrictive first and the first match decides, so a call is allowed
 * when no non-Allow rule matches and an Allow rule (or an Allow default) does. Formulas are
 * kept in disjunctive normal form (a list of terms, each a conjunction of comparisons — an
 * IR rule's shape); negating one needs each comparison negated: == and !=, < and >=, <= and >
 * swap, and `arg & mask == value` fails when some bit of the mask differs, one single-bit
 * masked comparison per bit. The union of the inputs' sets is the union's Allow rules (or,
 * under an Allow default, its complement the deny rules). Sizes are bounded: a formula past
 * DNF_MAX_TERMS terms, or a term past IR_MAX_CMP comparisons, is refused with a message naming
 * the syscall rather than compiled slowly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "bpf/bpf-gen.h"
#include "bpf/bpf-sim.h"
#include "api/dnf.h"
#include "api/filter.h"
#include "policy/policy.h"

static const char union_origin[] = "the union of the merged policies";

static const struct ir_arch *ir_arch_of(const struct ir *ir, const struct sc_arch *arch)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == arch)
			return &ir->arches[i];
	return NULL;
}

/* What input @ir allows of syscall @nr on @arch, as a DNF. */
static int allowed_set(const struct ir *ir, const struct sc_arch *arch, uint32_t nr, struct dnf *ret)
{
	const struct ir_arch *a = ir_arch_of(ir, arch);
	const struct ir_syscall *s = a ? ir_find(a, nr) : NULL;
	struct dnf deny = { 0 }, allow = { 0 };
	bool def_allows;
	int r = 0;

	*ret = (struct dnf){ 0 };
	if (!a)
		return 0; /* bad_arch, never Allow here (refused up front) */
	if (!s) {
		def_allows = ir->def.type == SC_ACT_ALLOW && !(a->enosys_above && nr > a->enosys_above);
		return def_allows ? dnf_push(ret, &(struct term){ .n = 0 }) : 0;
	}
	for (size_t k = 0; k < s->nrules && r == 0; k++)
		r = dnf_push_rule(s->rules[k].action.type == SC_ACT_ALLOW ? &allow : &deny, &s->rules[k]);
	if (r == 0 && ir->def.type == SC_ACT_ALLOW) {
		dnf_free(&allow);
		r = dnf_push(&allow, &(struct term){ .n = 0 });
	}
	if (r == 0 && deny.n && allow.n) {
		r = dnf_not(&deny);
		if (r == 0)
			r = dnf_and(&allow, &deny);
	}
	dnf_free(&deny);
	if (r < 0) {
		dnf_free(&allow);
		return r;
	}
	*ret = allow;
	return 0;
}

/* Is @a more permissive than @b? By type; equal types keep the first (@b). */
static bool more_permissive(struct sc_action a, struct sc_action b)
{
	return a.type > b.type;
}

static int cmp_nr(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* 0 when every term of @d can be one rule, else -E2BIG (a term may hold more comparisons
 * than a rule). */
static int fits_rules(const struct dnf *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].n > IR_MAX_CMP)
			return -E2BIG;
	return 0;
}

/* One merged syscall: rules with @act, one per term of @d. */
static void put_syscall(struct ir *m, struct ir_arch *ma, uint32_t nr, const struct dnf *d,
			struct sc_action act, size_t *seq)
{
	struct ir_syscall *s;

	ma->calls = xgrow_n(ma->calls, ma->ncalls, 1, sizeof(*ma->calls));
	s = &ma->calls[ma->ncalls++];
	*s = (struct ir_syscall){ .nr = nr };
	s->rules = xcalloc(d->n + 1, sizeof(*s->rules));
	for (size_t i = 0; i < d->n; i++) {
		struct ir_rule *r = &s->rules[s->nrules++];
		r->action = act;
		r->ncmp = d->t[i].n;
		r->cmp = ir_cmp_copy(m, d->t[i].c, r->ncmp, NULL);
		r->origin = union_origin;
		r->seq = (*seq)++;
	}
}

static int merge_arch(struct ir *m, struct ir_arch *ma, struct sc_filter *const *in, size_t n,
		      struct sc_action deny, struct sc_diag *reterr)
{
	uint32_t *nrs = NULL;
	size_t nnr = 0, seq = 0;
	bool all_enosys = true;
	uint32_t enosys_max = 0;
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ir_arch *a = ir_arch_of(in[i]->ir, ma->arch);
		if (!a)
			continue;
		for (size_t k = 0; k < a->ncalls; k++) {
			nrs = xgrow_n(nrs, nnr, 1, sizeof(*nrs));
			nrs[nnr++] = a->calls[k].nr;
		}
		/* Numbers no input names get ENOSYS past the floor only where every input that
		 * could allow them (an Allow default) has a floor too. */
		if (in[i]->ir->def.type == SC_ACT_ALLOW || m->def.type != SC_ACT_ALLOW) {
			if (!a->enosys_above)
				all_enosys = false;
			else if (a->enosys_above > enosys_max)
				enosys_max = a->enosys_above;
		}
	}
	ma->enosys_above = all_enosys ? enosys_max : 0;
	if (nnr)
		qsort(nrs, nnr, sizeof(*nrs), cmp_nr);
	for (size_t k = 0; k < nnr && r == 0; k++) {
		struct dnf u = { 0 };
		if (k && nrs[k] == nrs[k - 1])
			continue;
		for (size_t i = 0; i < n && r == 0; i++) {
			struct dnf s;
			r = allowed_set(in[i]->ir, ma->arch, nrs[k], &s);
			if (r == 0)
				r = dnf_push_all(&u, &s);
			dnf_free(&s);
		}
		if (r == 0 && dnf_is_true(&u)) {
			dnf_free(&u);
			dnf_push(&u, &(struct term){ .n = 0 });
		}
		if (r == 0 && m->def.type != SC_ACT_ALLOW) {
			r = fits_rules(&u);
			if (r == 0 && u.n)
				put_syscall(m, ma, nrs[k], &u, (struct sc_action){ SC_ACT_ALLOW, 0 }, &seq);
		} else if (r == 0) {
			r = dnf_not(&u);
			if (r == 0)
				r = fits_rules(&u);
			if (r == 0 && (u.n || (ma->enosys_above && nrs[k] > ma->enosys_above)))
				put_syscall(m, ma, nrs[k], &u, deny, &seq);
		}
		dnf_free(&u);
		if (r == -E2BIG) {
			const struct sc_syscall *sys = sc_syscall_by_nr(ma->arch, nrs[k]);
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "the union of these policies is too complex to state for %s on %s "
				    "(over %d alternatives or %d comparisons in one)",
				    sys ? sys->name : "a syscall", ma->arch->name, DNF_MAX_TERMS, IR_MAX_CMP);
			r = -EINVAL;
		}
	}
	free(nrs);
	return r;
}

SC_EXPORT int sc_filter_union(struct sc_filter *const *in, size_t n, struct sc_filter **ret,
			      struct sc_diag *reterr)
{
	struct sc_filter *f;
	struct ir *m;
	struct sc_action deny = { SC_ACT_KILL_PROCESS, 0 };
	bool have_deny = false, allow_def = false;
	char err[256];
	int r = 0;

	if (n == 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "nothing to merge");
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (in[i]->ir->bad_arch.type == SC_ACT_ALLOW) {
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "policy %zu of the merge allows calls from architectures it does not "
				    "list (bad_arch_action Allow): its union with others would allow "
				    "every architecture",
				    i + 1);
			return -EINVAL;
		}
	m = xcalloc(1, sizeof(*m));
	/* The deny action: the most permissive non-Allow default, else rule action. */
	for (size_t i = 0; i < n; i++) {
		struct sc_action d = in[i]->ir->def;
		if (d.type == SC_ACT_ALLOW)
			allow_def = true;
		else if (!have_deny || more_permissive(d, deny)) {
			deny = d;
			have_deny = true;
		}
	}
	for (size_t i = 0; i < n && !have_deny; i++)
		for (size_t a = 0; a < in[i]->ir->narches; a++)
			for (size_t k = 0; k < in[i]->ir->arches[a].ncalls; k++) {
				const struct ir_syscall *s = &in[i]->ir->arches[a].calls[k];
				for (size_t j = 0; j < s->nrules; j++) {
					struct sc_action x = s->rules[j].action;
					if (x.type != SC_ACT_ALLOW && (!have_deny || more_permissive(x, deny))) {
						deny = x;
						have_deny = true;
					}
				}
			}
	if (!have_deny)
		deny = (struct sc_action){ SC_ACT_ERRNO, EPERM };
	m->def = allow_def ? (struct sc_action){ SC_ACT_ALLOW, 0 } : deny;
	m->bad_arch = in[0]->ir->bad_arch;
	for (size_t i = 1; i < n; i++)
		if (more_permissive(in[i]->ir->bad_arch, m->bad_arch))
			m->bad_arch = in[i]->ir->bad_arch;
	m->enosys = (struct sc_action){ SC_ACT_ERRNO, ENOSYS };
	for (size_t i = 0; i < n; i++) {
		m->flags |= in[i]->ir->flags;
		for (size_t a = 0; a < in[i]->ir->narches; a++) {
			const struct sc_arch *arch = in[i]->ir->arches[a].arch;
			if (ir_arch_of(m, arch))
				continue;
			m->arches = xreallocarray(m->arches, m->narches + 1, sizeof(*m->arches));
			m->arches[m->narches++] = (struct ir_arch){ .arch = arch };
		}
	}
	/* Under an Allow default, an ABI no Allow-default input lists would allow every call
	 * the inputs do not name on it, where they all deny it: refused, said plainly. */
	for (size_t a = 0; a < m->narches && allow_def && r == 0; a++) {
		bool listed = false;
		for (size_t i = 0; i < n && !listed; i++)
			listed = in[i]->ir->def.type == SC_ACT_ALLOW && ir_arch_of(in[i]->ir, m->arches[a].arch);
		if (!listed) {
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "cannot merge: the union's default is Allow (an input allows by default), "
				    "but %s is listed only by inputs that deny by default",
				    m->arches[a].arch->name);
			sc_diag_hint(reterr, "list %s in the policy whose default is Allow, or drop it from the others",
				     m->arches[a].arch->scmp_name);
			r = -EINVAL;
		}
	}
	for (size_t a = 0; a < m->narches && r == 0; a++)
		r = merge_arch(m, &m->arches[a], in, n, deny, reterr);
	f = xcalloc(1, sizeof(*f));
	f->ir = m;
	f->owned_policy = policy_new("<merge>", "", 0);
	f->policy = f->owned_policy;
	if (r == 0)
		r = bpf_gen(m, &f->prog, &f->len, reterr);
	if (r == 0 && bpf_sim_check(f->prog, f->len, err, sizeof(err)) < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "internal error: merged filter is invalid: %s", err);
		r = -EINVAL;
	}
	if (r < 0) {
		sc_filter_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

SC_EXPORT enum sc_format sc_policy_format(const struct sc_policy *p)
{
	return p->format == POL_FORMAT_OCI ? SC_FORMAT_OCI : SC_FORMAT_TOML;
}

SC_EXPORT const struct sc_policy *sc_filter_policy(const struct sc_filter *f)
{
	return f->policy;
}
