/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * retarget.c — one policy for other ABIs (`compile --arch`, `record --arch`).
 *
 * A policy names syscalls and arguments; resolve.c looks each name up per ABI, so most of a
 * policy carries to another ABI by replacing its list of ABIs. What does not carry by itself:
 *
 *  - a condition given by argument index (OCI `args[].index`) means a register, and the
 *    register a parameter travels in moves between ABIs (clone: clone_flags is the first on
 *    x86_64, the second on s390x). Such a condition is read on the policy's own ABI (its
 *    first, else the native one), and named where its index means another parameter on a
 *    target, so that every ABI compares the parameter the policy meant;
 *  - on a 32-bit ABI a 64-bit parameter (loff_t) spans two registers: a filter sees each
 *    half alone, and the parameters after it move one register on. A condition on such a
 *    parameter, or on one after it, is refused at the condition (on the ABIs the retarget
 *    adds; the policy's own keep what they meant);
 *  - syscalls a target lacks (aarch64 has no open, stat, poll): their rules drop out there,
 *    as resolve.c drops any other ABI's syscall; a warning lists them, with the call a
 *    program makes there instead and whether the policy names it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

/*
 * Legacy syscalls the generic ABIs (aarch64, riscv64, loongarch64) lack, and what libc calls
 * there instead: the first of the list the target has. Only for the note; nothing is added.
 */
static const struct {
	const char *legacy;
	const char *successors[3];
} successor_table[] = {
	{ "access", { "faccessat", "faccessat2" } },
	{ "alarm", { "setitimer" } },
	{ "chmod", { "fchmodat", "fchmodat2" } },
	{ "chown", { "fchownat" } },
	{ "creat", { "openat" } },
	{ "dup2", { "dup3" } },
	{ "epoll_create", { "epoll_create1" } },
	{ "epoll_wait", { "epoll_pwait", "epoll_pwait2" } },
	{ "eventfd", { "eventfd2" } },
	{ "fork", { "clone", "clone3" } },
	{ "futimesat", { "utimensat" } },
	{ "getdents", { "getdents64" } },
	{ "getpgrp", { "getpgid" } },
	{ "inotify_init", { "inotify_init1" } },
	{ "lchown", { "fchownat" } },
	{ "link", { "linkat" } },
	{ "lstat", { "newfstatat", "fstatat64", "statx" } },
	{ "mkdir", { "mkdirat" } },
	{ "mknod", { "mknodat" } },
	{ "open", { "openat", "openat2" } },
	{ "pause", { "ppoll", "rt_sigsuspend" } },
	{ "pipe", { "pipe2" } },
	{ "poll", { "ppoll", "ppoll_time64" } },
	{ "readlink", { "readlinkat" } },
	{ "rename", { "renameat2", "renameat" } },
	{ "rmdir", { "unlinkat" } },
	{ "select", { "pselect6", "pselect6_time64" } },
	{ "signalfd", { "signalfd4" } },
	{ "stat", { "newfstatat", "fstatat64", "statx" } },
	{ "symlink", { "symlinkat" } },
	{ "time", { "clock_gettime", "clock_gettime64" } },
	{ "unlink", { "unlinkat" } },
	{ "utime", { "utimensat", "utimensat_time64" } },
	{ "utimes", { "utimensat", "utimensat_time64" } },
	{ "vfork", { "clone", "clone3" } },
};

/* The call a program makes on @arch instead of @legacy, or NULL. */
static const char *successor(const struct sc_arch *arch, const char *legacy)
{
	for (size_t i = 0; i < sizeof(successor_table) / sizeof(successor_table[0]); i++) {
		if (strcmp(successor_table[i].legacy, legacy) != 0)
			continue;
		for (size_t k = 0; k < 3 && successor_table[i].successors[k]; k++)
			if (sc_syscall_lookup(arch, successor_table[i].successors[k]))
				return successor_table[i].successors[k];
	}
	return NULL;
}

/* Does group @gname (or a group under it, to @depth) name syscall @name? */
static bool group_names(const struct pol_groups *g, const char *gname, const char *name, int depth)
{
	const struct pol_group *grp = g && depth > 0 ? groups_find(g, gname) : NULL;

	for (size_t i = 0; grp && i < grp->nrules; i++)
		for (size_t k = 0; k < grp->rules[i].nnames; k++) {
			const char *n = grp->rules[i].names[k].name;
			if (grp->rules[i].is_group ? group_names(g, n, name, depth - 1) : strcmp(n, name) == 0)
				return true;
		}
	return false;
}

/* Does a rule of @p with action @a name syscall @name, itself or through a group? */
static bool policy_names(const struct sc_policy *p, const char *name, struct sc_action a)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pol_rule *r = &p->rules[i];
		if (r->action.type != a.type)
			continue;
		for (size_t k = 0; k < r->nnames; k++)
			if (r->is_group ? group_names(p->groups, r->names[k].name, name, 16)
					: strcmp(r->names[k].name, name) == 0)
				return true;
	}
	return false;
}

static bool listed(const struct sc_arch *const *arches, size_t n, const struct sc_arch *a)
{
	for (size_t i = 0; i < n; i++)
		if (arches[i] == a)
			return true;
	return false;
}

/* The name of the parameter @index of @name on @source, or NULL when it has none there. */
static const char *param_at(const struct sc_arch *source, const char *name, int index)
{
	const struct sc_syscall *s = sc_syscall_lookup(source, name);

	return s && index >= 0 && (unsigned)index < s->nargs ? s->args[index].name : NULL;
}

/* Does parameter @param of @name travel in another register than @index on a target? A
 * target whose version names it otherwise (i386's compat pread64 has `ubuf`) keeps the index:
 * the name would not find it there. */
static bool moves(const struct sc_arch *const *arches, size_t n, const char *name, const char *param,
		  int index)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_syscall *t = sc_syscall_lookup(arches[i], name);
		int at = t ? sc_syscall_arg_index(t, param) : -1;
		if (at >= 0 && at != index)
			return true;
	}
	return false;
}

static void value_copy(struct pol_value *to, const struct pol_value *from)
{
	*to = *from;
	to->text = xstrdup(from->text);
}

/* A deep copy of @from naming @name alone. */
static void rule_copy_one(struct pol_rule *to, const struct pol_rule *from, const struct pol_name *name)
{
	*to = *from;
	to->names = xcalloc(1, sizeof(*to->names));
	to->names[0] = (struct pol_name){ xstrdup(name->name), name->loc };
	to->nnames = 1;
	to->origin = xstrdup(from->origin);
	to->conds = from->nconds ? xcalloc(from->nconds, sizeof(*to->conds)) : NULL;
	for (size_t i = 0; i < from->nconds; i++) {
		const struct pol_cond *f = &from->conds[i];
		struct pol_cond *c = &to->conds[i];
		*c = *f;
		c->arg = xstrdup(f->arg);
		value_copy(&c->value, &f->value);
		value_copy(&c->mask, &f->mask);
		c->values = f->nvalues ? xcalloc(f->nvalues, sizeof(*c->values)) : NULL;
		for (size_t k = 0; k < f->nvalues; k++)
			value_copy(&c->values[k], &f->values[k]);
	}
}

/*
 * Rule @ri's conditions by index, named where the index means another parameter on a target
 * than on @source. A rule of several syscalls whose parameters at the index differ is split
 * into one rule per syscall first (in place: the rules after it move on).
 */
static void name_moved_conds(struct sc_policy *p, size_t ri, const struct sc_arch *source,
			     const struct sc_arch *const *arches, size_t n)
{
	struct pol_rule *r = &p->rules[ri];
	bool any = false, same = true;

	if (r->is_group)
		return;
	for (size_t i = 0; i < r->nconds; i++) {
		const struct pol_cond *c = &r->conds[i];
		const char *first = c->arg ? NULL : param_at(source, r->names[0].name, c->index);
		for (size_t k = 0; !c->arg && k < r->nnames; k++) {
			const char *param = param_at(source, r->names[k].name, c->index);
			any |= param && moves(arches, n, r->names[k].name, param, c->index);
			same &= param && first && strcmp(param, first) == 0;
		}
	}
	if (!any)
		return;
	if (r->nnames > 1 && !same) {
		struct pol_rule whole = *r;
		size_t extra = whole.nnames - 1;

		p->rules = xreallocarray(p->rules, p->nrules + extra, sizeof(*p->rules));
		memmove(&p->rules[ri + 1 + extra], &p->rules[ri + 1], (p->nrules - ri - 1) * sizeof(*p->rules));
		p->nrules += extra;
		for (size_t k = 0; k < whole.nnames; k++)
			rule_copy_one(&p->rules[ri + k], &whole, &whole.names[k]);
		rule_clear(&whole);
		r = &p->rules[ri];
	}
	/* Now every syscall of the rule (one, or all alike) has the same parameter at each index. */
	for (size_t i = 0; i < r->nconds; i++) {
		struct pol_cond *c = &r->conds[i];
		const char *param = c->arg ? NULL : param_at(source, r->names[0].name, c->index);
		if (param && moves(arches, n, r->names[0].name, param, c->index)) {
			c->arg = xstrdup(param);
			c->arg_loc = c->loc;
			c->index = -1;
		}
	}
}

/* On @arch, a 32-bit ABI, is condition @c of @name on a 64-bit parameter or one after it? */
static const char *split_param(const struct sc_arch *arch, const char *name, const struct pol_cond *c)
{
	const struct sc_syscall *s = sc_syscall_lookup(arch, name);
	int idx = s && c->arg ? sc_syscall_arg_index(s, c->arg) : -1;

	if (arch->word_bits != 32 || idx < 0)
		return NULL;
	for (int i = 0; i <= idx; i++)
		if (s->args[i].kind == SC_ARG_U64)
			return s->args[i].name;
	return NULL;
}

/* A condition that a 32-bit target cannot carry: an error at the condition. */
static int check_split(const struct sc_policy *p, const struct sc_arch *const *old, size_t nold,
		       const struct sc_arch *const *arches, size_t n, struct sc_diag *d)
{
	for (size_t t = 0; t < n; t++) {
		if (listed(old, nold, arches[t]))
			continue;
		for (size_t i = 0; i < p->nrules; i++) {
			const struct pol_rule *r = &p->rules[i];
			for (size_t k = 0; !r->is_group && k < r->nnames; k++)
				for (size_t j = 0; j < r->nconds; j++) {
					const struct pol_cond *c = &r->conds[j];
					const char *wide = split_param(arches[t], r->names[k].name, c);
					if (!wide)
						continue;
					policy_diag(p, d, c->loc,
						    "cannot carry this condition on '%s' of '%s' to %s: '%s' is "
						    "64 bits, two registers on that 32-bit ABI, and a filter sees "
						    "each alone", c->arg, r->names[k].name, arches[t]->name, wide);
					sc_diag_hint(d, "leave %s out of --arch, or write a rule for %s without "
						     "this condition", arches[t]->name, arches[t]->name);
					return -EINVAL;
				}
		}
	}
	return 0;
}

/* One warning per target: the syscalls the policy's rules name that it lacks, of those its
 * own ABIs @old have (a recording's sigreturn, there for the ABIs that have one, is no news). */
static void note_absent(struct sc_policy *p, const struct sc_arch *arch, const struct sc_arch *const *old,
			size_t nold)
{
	char msg[480] = "", alt[480] = "";
	size_t nabsent = 0, nmsg = 0, nalt = 0;
	struct pol_loc first = { 0 };

	for (size_t i = 0; i < p->nrules; i++) {
		const struct pol_rule *r = &p->rules[i];
		if (r->is_group || r->action.type == p->def.type)
			continue;
		for (size_t k = 0; k < r->nnames; k++) {
			const char *name = r->names[k].name, *succ;
			bool dup = false, meant = false;
			if (sc_syscall_lookup(arch, name) || !sc_syscall_known(name))
				continue;
			for (size_t a = 0; a < nold && !meant; a++)
				meant = sc_syscall_lookup(old[a], name) != NULL;
			if (!meant)
				continue;
			for (size_t a = 0; a < i && !dup; a++)
				for (size_t b = 0; b < p->rules[a].nnames && !dup; b++)
					dup = !p->rules[a].is_group && p->rules[a].action.type != p->def.type &&
					      strcmp(p->rules[a].names[b].name, name) == 0;
			for (size_t b = 0; b < k && !dup; b++)
				dup = strcmp(r->names[b].name, name) == 0;
			if (dup)
				continue;
			if (nabsent++ == 0)
				first = r->names[k].loc;
			if (nmsg < sizeof(msg))
				nmsg += (size_t)snprintf(msg + nmsg, sizeof(msg) - nmsg, "%s%s",
							 nabsent > 1 ? ", " : "", name);
			succ = successor(arch, name);
			if (succ && nalt < sizeof(alt))
				nalt += (size_t)snprintf(alt + nalt, sizeof(alt) - nalt, "%s%s → %s (%s)",
							 nalt ? ", " : "", name, succ,
							 policy_names(p, succ, r->action) ? "in the policy"
											  : "not in the policy");
		}
	}
	if (!nabsent)
		return;
	if (nalt)
		policy_warn(p, first, "absent on %s: %s; their rules do not apply there. Called there "
			    "instead: %s", arch->name, msg, alt);
	else
		policy_warn(p, first, "absent on %s: %s; their rules do not apply there", arch->name, msg);
}

SC_EXPORT int sc_policy_retarget(struct sc_policy *p, const struct sc_arch *const *arches, size_t n,
				 struct sc_diag *reterr)
{
	const struct sc_arch *source = p->narches ? p->arches[0] : sc_arch_native();
	const struct sc_arch **old = p->arches;
	size_t nold = p->narches;
	struct sc_diag scratch;

	if (!reterr)
		reterr = &scratch;
	if (n == 0 || n > 64 || !arches) {
		sc_diag_set(reterr, "", NULL, 0, 0, 0, 0, "retargeting needs 1 to 64 architectures");
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (!arches[i]) {
			sc_diag_set(reterr, "", NULL, 0, 0, 0, 0, "an unknown architecture");
			return -EINVAL;
		}
	if (!source) {
		sc_diag_set(reterr, p->file, NULL, 0, 0, 0, 0,
			    "the policy lists no architectures and this machine's is unknown: its "
			    "argument indexes cannot be read");
		return -EINVAL;
	}
	if (nold == 0) {
		old = &source;
		nold = 1;
	}
	for (size_t i = 0; i < p->nrules; i++)
		name_moved_conds(p, i, source, arches, n);
	if (check_split(p, old, nold, arches, n, reterr) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!listed(arches, i, arches[i]))
			note_absent(p, arches[i], old, nold);
	p->arches = xcalloc(n, sizeof(*p->arches));
	p->arch_locs = xreallocarray(p->arch_locs, n, sizeof(*p->arch_locs));
	p->narches = 0;
	for (size_t i = 0; i < n; i++)
		if (!listed(p->arches, p->narches, arches[i])) {
			p->arch_locs[p->narches] = (struct pol_loc){ 0, 0, 0 };
			p->arches[p->narches++] = arches[i];
		}
	if (old != &source)
		free((void *)old);
	return 0;
}
