/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our compile of an OCI profile and libseccomp's compile of the same profile (built the way
 * runc builds it, lib/ref-libseccomp.c) give the same action for every syscall number
 * 0–1023 (plus each ABI's base and x32 bit) on every architecture the profile lists, with
 * arguments drawn at random and from the profile's own constants. Both programs run in the
 * userspace interpreter. Usage: test-ref-agreement PROFILE.json...
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf-sim.h"
#include "filter.h"
#include "policy.h"
#include "ref-libseccomp.h"
#include "xorshift.h"

#define DRAWS 48

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

/* Values that make conditions flip: the profile's own, their neighbours, high-bit variants. */
static uint64_t interesting(const struct sc_policy *p)
{
	static uint64_t pool[1024];
	static size_t n;

	if (n == 0) {
		for (size_t i = 0; i < p->nrules && n < 1000; i++)
			for (size_t k = 0; k < p->rules[i].nconds && n < 1000; k++) {
				uint64_t v = p->rules[i].conds[k].value.num;
				pool[n++] = v;
				pool[n++] = v + 1;
				pool[n++] = v - 1;
				pool[n++] = v | (UINT64_C(1) << 32);
			}
		pool[n++] = 0;
	}
	switch (rnd() % 4) {
	case 0: return rnd();
	case 1: return rnd() & 0xffffffff;
	default: return pool[rnd() % n];
	}
}

int main(int argc, char **argv)
{
	unsigned long cases = 0, differ = 0, skipped = 0;

	for (int fi = 1; fi < argc; fi++) {
		struct sc_policy *p = NULL;
		struct sc_filter *f = NULL;
		struct sock_filter *ref = NULL;
		size_t nref = 0;
		struct sc_diag d = { 0 };
		int r;

		r = sc_policy_load_file(argv[fi], NULL, &p, &d);
		if (r == 0)
			r = sc_policy_compile(p, &f, &d);
		if (r < 0) {
			sc_diag_print(&d, stderr);
			return 1;
		}
		r = ref_libseccomp_compile(p, false, &ref, &nref);
		if (r < 0) {
			fprintf(stderr, "libseccomp could not compile %s: %s\n", argv[fi], strerror(-r));
			return 1;
		}
		printf("# %s: seccompose %zu instructions, libseccomp %zu\n", argv[fi], f->len, nref);
		for (size_t a = 0; a < f->ir->narches; a++) {
			const struct sc_arch *arch = f->ir->arches[a].arch;
			unsigned long mine = 0;
			uint32_t token = seccomp_arch_resolve_name(arch->name);
			for (uint32_t i = 0; i < 1024; i++) {
				struct seccomp_data sd = { 0 };
				const struct sc_syscall *known;
				sd.arch = arch->audit_arch;
				sd.nr = (int)((i + arch->nr_base) | arch->nr_bit);
				/* A syscall newer than this libseccomp: runc would skip its rule, we
				 * keep it. Not a disagreement about meaning; counted apart. */
				known = sc_syscall_by_nr(arch, (uint32_t)sd.nr);
				if (known && seccomp_syscall_resolve_name_arch(token, known->name) < 0 &&
				    sc_filter_rule_count(f, arch, (uint32_t)sd.nr) > 0) {
					skipped++;
					continue;
				}
				for (int k = 0; k < DRAWS; k++) {
					uint32_t ours, theirs;
					uint64_t args[6];
					for (int j = 0; j < 6; j++)
						args[j] = k == 0 ? 0 : interesting(p);
					filter_seccomp_data(arch, (uint32_t)sd.nr, args, &sd);
					ours = bpf_sim_run(f->prog, f->len, &sd);
					theirs = bpf_sim_run(ref, nref, &sd);
					cases++;
					mine++;
					if (ours != theirs) {
						if (differ < 20)
							printf("DIFFER %s %s %s (%d) args=%#llx,%#llx,%#llx: ours %#x, "
							       "libseccomp %#x\n", argv[fi], arch->name,
							       known ? known->name : "?", sd.nr,
							       (unsigned long long)args[0],
							       (unsigned long long)args[1],
							       (unsigned long long)args[2], ours, theirs);
						differ++;
					}
				}
			}
			printf("# %s %s: %lu calls compared\n", argv[fi], arch->name, mine);
		}
		free(ref);
		sc_filter_free(f);
		sc_policy_free(p);
	}
	printf("# %lu calls compared, %lu differ; %lu syscall numbers skipped (newer than libseccomp)\n",
	       cases, differ, skipped);
	printf("%lu passed, %lu failed\n", cases - differ, differ);
	return differ ? 1 : 0;
}
