/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ref-libseccomp.c — the reference back end: an OCI profile compiled by libseccomp the way
 * runc compiles it (libcontainer/seccomp/seccomp_linux.go), so tests can hold our native
 * back end against the field's own compiler, syscall by syscall.
 *
 * It takes the loaded policy (Docker's includes/excludes and archMap already applied, as
 * the engine does before runc sees the profile), not the rule set: runc's meaning is what
 * is being reproduced, quirks included — whole-register comparisons, rules with the
 * default action skipped, several args on one index turned into one rule per arg.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "policy/policy.h"
#include "bpf/ref-libseccomp.h"

static uint32_t scmp_action(struct sc_action a)
{
	switch (a.type) {
	case SC_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SC_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SC_ACT_TRAP: return SCMP_ACT_TRAP;
	case SC_ACT_ERRNO: return SCMP_ACT_ERRNO(a.data);
	case SC_ACT_USER_NOTIF: return SCMP_ACT_NOTIFY;
	case SC_ACT_TRACE: return SCMP_ACT_TRACE(a.data);
	case SC_ACT_LOG: return SCMP_ACT_LOG;
	case SC_ACT_ALLOW: return SCMP_ACT_ALLOW;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static const enum scmp_compare scmp_ops[] = {
	[POL_EQ] = SCMP_CMP_EQ, [POL_NE] = SCMP_CMP_NE, [POL_LT] = SCMP_CMP_LT,
	[POL_LE] = SCMP_CMP_LE, [POL_GT] = SCMP_CMP_GT, [POL_GE] = SCMP_CMP_GE,
	[POL_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

int ref_libseccomp_compile(const struct sc_policy *p, bool binary_tree, struct sock_filter **ret,
			   size_t *ret_len)
{
	scmp_filter_ctx ctx;
	const struct sc_arch *native = sc_arch_native();
	int r = 0, fd = -1;
	off_t size;

	if (p->format != POL_FORMAT_OCI)
		return -EINVAL;
	ctx = seccomp_init(scmp_action(p->def));
	if (!ctx)
		return -ENOMEM;
	/* runc leaves libseccomp's default (a linear list); level 2 sorts syscalls into a tree. */
	if (binary_tree)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	/* runc: the native architecture is in by default; the listed ones are added. */
	for (size_t i = 0; i < p->narches && r == 0; i++) {
		uint32_t token = seccomp_arch_resolve_name(p->arches[i]->name);
		if (token == 0)
			r = -EINVAL;
		else if (p->arches[i] != native)
			r = seccomp_arch_add(ctx, token);
		if (r == -EEXIST)
			r = 0;
	}
	for (size_t i = 0; i < p->nrules && r == 0; i++) {
		const struct pol_rule *rule = &p->rules[i];
		struct scmp_arg_cmp cmps[6];
		unsigned n = 0;

		if (scmp_action(rule->action) == scmp_action(p->def))
			continue; /* runc skips these (callAct == defAct): libseccomp refuses them */
		for (size_t k = 0; k < rule->nconds && n < 6; k++) {
			const struct pol_cond *c = &rule->conds[k];
			cmps[n].arg = (unsigned)c->index;
			cmps[n].op = scmp_ops[c->op];
			if (c->op == POL_MASKED_EQ) {
				cmps[n].datum_a = c->mask.num;
				cmps[n].datum_b = c->value.num;
			} else {
				cmps[n].datum_a = c->value.num;
				cmps[n].datum_b = 0;
			}
			n++;
		}
		for (size_t k = 0; k < rule->nnames && r == 0; k++) {
			int nr = seccomp_syscall_resolve_name(rule->names[k].name);
			if (nr == __NR_SCMP_ERROR)
				continue; /* runc: unknown names are skipped */
			if (rule->split_conds) {
				for (unsigned c = 0; c < n && r == 0; c++)
					r = seccomp_rule_add_array(ctx, scmp_action(rule->action), nr, 1, &cmps[c]);
			} else {
				r = seccomp_rule_add_array(ctx, scmp_action(rule->action), nr, n, cmps);
			}
		}
	}
	if (r == 0) {
		fd = memfd_create("seccompose-ref", MFD_CLOEXEC);
		r = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	}
	if (r == 0) {
		size = lseek(fd, 0, SEEK_END);
		*ret = xcalloc((size_t)size / sizeof(struct sock_filter) + 1, sizeof(struct sock_filter));
		*ret_len = (size_t)size / sizeof(struct sock_filter);
		if (pread(fd, *ret, (size_t)size, 0) != size) {
			free(*ret);
			r = -EIO;
		}
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return r;
}
