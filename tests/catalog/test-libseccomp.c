/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The catalog agrees with libseccomp on every syscall both know, on every architecture both
 * know, in both directions (name → number and number → name); and it knows syscalls the
 * installed libseccomp does not. Prints the counts.
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccompose.h"

static const char *libseccomp_name(const char *ours)
{
	return ours;
}

int main(void)
{
	unsigned long both = 0, only_ours = 0, bad = 0, reverse = 0, arches = 0, pseudo = 0;

	for (size_t i = 0; i < sc_arch_count(); i++) {
		const struct sc_arch *a = sc_arch_at(i);
		uint32_t token = seccomp_arch_resolve_name(a->name);
		unsigned long mine = 0;

		if (token == 0) {
			printf("# %s: not known to this libseccomp, skipped\n", a->name);
			continue;
		}
		arches++;
		for (size_t k = 0; k < sc_syscall_count(a); k++) {
			const struct sc_syscall *s = sc_syscall_at(a, k);
			int nr = seccomp_syscall_resolve_name_arch(token, libseccomp_name(s->name));
			if (nr != __NR_SCMP_ERROR && nr < 0) {
				/* libseccomp's pseudo-number: it routes i386/ppc/s390 socket and
				 * IPC calls through socketcall/ipc, where we keep the direct call. */
				pseudo++;
				continue;
			}
			if (nr == __NR_SCMP_ERROR) {
				only_ours++;
				mine++;
				if (getenv("VERBOSE"))
					printf("# %s: %s (%u) unknown to libseccomp\n", a->name, s->name, s->nr);
				continue;
			}
			both++;
			if ((uint32_t)nr != s->nr) {
				printf("MISMATCH %s: %s is %u here, %d in libseccomp\n", a->name, s->name,
				       s->nr, nr);
				bad++;
			}
		}
		/* The other direction: every number libseccomp names, we name the same. */
		for (size_t k = 0; k < sc_syscall_count(a); k++) {
			const struct sc_syscall *s = sc_syscall_at(a, k);
			char *name = seccomp_syscall_resolve_num_arch(token, (int)s->nr);
			if (!name)
				continue;
			reverse++;
			if (strcmp(name, libseccomp_name(s->name)) != 0 &&
			    sc_syscall_lookup(a, name) != NULL) {
				printf("MISMATCH %s: %u is %s here, %s in libseccomp\n", a->name, s->nr,
				       s->name, name);
				bad++;
			}
			free(name);
		}
		printf("# %-12s %lu syscalls only in seccompose\n", a->name, mine);
	}
	{
		/* Named facts the issue asks for. */
		const struct sc_arch *x = sc_arch_lookup("x86_64");
		uint32_t t = seccomp_arch_resolve_name("x86_64");
		const char *newer[] = { "mseal", "listns" };
		for (size_t i = 0; i < 2; i++) {
			if (!sc_syscall_lookup(x, newer[i])) {
				printf("MISSING %s\n", newer[i]);
				bad++;
			}
			if (seccomp_syscall_resolve_name_arch(t, newer[i]) >= 0)
				printf("# note: this libseccomp knows %s too\n", newer[i]);
		}
	}
	printf("# %lu architectures compared, %lu syscalls known to both, %lu reverse lookups, "
	       "%lu pseudo-numbered there, %lu only in seccompose, %lu mismatches\n",
	       arches, both, reverse, pseudo, only_ours, bad);
	return bad ? 1 : 0;
}
