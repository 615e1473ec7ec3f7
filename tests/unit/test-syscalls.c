/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for lib/catalog/syscalls.c and the generated tables: ordering invariants and facts. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "catalog/catalog.h"

static const struct sc_arch *A(const char *name)
{
	const struct sc_arch *a = sc_arch_lookup(name);
	assert_non_null(a);
	return a;
}

static uint32_t nr_of(const char *arch, const char *name)
{
	const struct sc_syscall *s = sc_syscall_lookup(A(arch), name);
	assert_non_null(s);
	return s->nr;
}

/* The public views (syscall-view.c, constant-view.c) are built on first use: threads racing
 * to be first all get the one that was published. Runs first, before anything built them. */
#define RACERS 4

struct racer {
	pthread_barrier_t *start;
	const struct sc_syscall *openat, *first_aarch64;
	const struct sc_constant *rdonly;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->start);
	r->openat = sc_syscall_lookup(sc_arch_lookup("x86_64"), "openat");
	r->first_aarch64 = sc_syscall_at(sc_arch_lookup("aarch64"), 0);
	r->rdonly = sc_constant_lookup("O_RDONLY");
	return NULL;
}

static void views_built_once(void **state)
{
	pthread_barrier_t start;
	pthread_t t[RACERS];
	struct racer r[RACERS];

	(void)state;
	assert_int_equal(pthread_barrier_init(&start, NULL, RACERS), 0);
	for (size_t i = 0; i < RACERS; i++) {
		r[i] = (struct racer){ .start = &start };
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (size_t i = 0; i < RACERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&start);
	for (size_t i = 0; i < RACERS; i++) {
		assert_ptr_equal(r[i].openat, sc_syscall_lookup(A("x86_64"), "openat"));
		assert_ptr_equal(r[i].first_aarch64, sc_syscall_at(A("aarch64"), 0));
		assert_ptr_equal(r[i].rdonly, sc_constant_lookup("O_RDONLY"));
	}
	assert_string_equal(r[0].openat->name, "openat");
	assert_string_equal(r[0].openat->args[1].name, "filename");
	assert_string_equal(r[0].rdonly->group, "open_flags");
}

/* The tables' ordering rules, which the lookups' bisection relies on. */
static void tables_sorted_and_unique(void **state)
{
	(void)state;
	for (size_t a = 0; a < catalog_arch_count; a++) {
		const struct catalog_table *t = &catalog_tables[a];
		assert_true(t->count > 300);
		for (size_t i = 1; i < t->count; i++) {
			assert_true(t->by_nr[i - 1].nr < t->by_nr[i].nr);
			assert_true(strcmp(catalog_syscall_string(t->by_nr[t->by_name[i - 1]].name),
					   catalog_syscall_string(t->by_nr[t->by_name[i]].name)) < 0);
		}
	}
}

/* Every implemented syscall has its parameter list (an empty one means "takes none"). */
static void every_syscall_has_parameters(void **state)
{
	(void)state;
	for (size_t a = 0; a < sc_arch_count(); a++) {
		const struct sc_arch *arch = sc_arch_at(a);
		for (size_t i = 0; i < sc_syscall_count(arch); i++) {
			const struct sc_syscall *s = sc_syscall_at(arch, i);
			bool implemented = *s->entry_point && strcmp(s->entry_point, "sys_ni_syscall");
			if (implemented && strcmp(s->args_source, "none") == 0)
				fail_msg("%s:%s has no parameter list", arch->name, s->name);
			for (unsigned k = 0; k < s->nargs; k++) {
				assert_true(*s->args[k].name);
				assert_int_not_equal(s->args[k].kind, SC_ARG_NONE);
			}
		}
	}
}

static void numbers(void **state)
{
	(void)state;
	assert_int_equal(nr_of("x86_64", "read"), 0);
	assert_int_equal(nr_of("x86_64", "openat"), 257);
	assert_int_equal(nr_of("x86_64", "mseal"), 462);   /* newer than libseccomp 2.5.4 */
	assert_int_equal(nr_of("x86_64", "listns"), 470);  /* Linux 6.19 */
	assert_int_equal(nr_of("x32", "read"), 0x40000000);
	assert_int_equal(nr_of("x32", "ioctl"), 0x40000000 | 514);
	assert_int_equal(nr_of("x86", "socketcall"), 102);
	assert_int_equal(nr_of("x86", "socket"), 359);
	assert_int_equal(nr_of("aarch64", "openat"), 56);
	assert_int_equal(nr_of("mips", "read"), 4003);
	assert_int_equal(nr_of("mips64", "read"), 5000);
	assert_int_equal(nr_of("mips64n32", "read"), 6000);
	assert_int_equal(nr_of("arm", "cacheflush"), 0xf0002);
	assert_null(sc_syscall_lookup(A("aarch64"), "open"));
	assert_null(sc_syscall_lookup(A("x86_64"), "socketcall"));
	assert_string_equal(sc_syscall_by_nr(A("x86_64"), 59)->name, "execve");
	assert_string_equal(sc_syscall_by_nr(A("x32"), 0x40000000 | 520)->name, "execve");
	assert_null(sc_syscall_by_nr(A("x86_64"), 100000));
	assert_true(sc_syscall_known("socketcall"));
	assert_false(sc_syscall_known("opneat"));
}

/* Parameters declared wider than the kernel reads them (data/syscall-arg-widths.txt). */
static void truncated_widths(void **state)
{
	static const struct {
		const char *arch, *sys, *arg;
		unsigned bits;
		const char *where, *text; /* a prefix of the source place; a piece of its line */
	} cases[] = {
		{ "x86_64", "clone", "clone_flags", 32, "kernel/fork.c:", "lower_32_bits(clone_flags)" },
		{ "x32", "clone", "clone_flags", 32, "kernel/fork.c:", "lower_32_bits(clone_flags)" },
		{ "aarch64", "clone", "clone_flags", 32, "kernel/fork.c:", "lower_32_bits(clone_flags)" },
		{ "s390x", "clone", "clone_flags", 32, "kernel/fork.c:", "lower_32_bits(clone_flags)" },
		{ "mips64", "clone", "clone_flags", 32, "kernel/fork.c:", "lower_32_bits(clone_flags)" },
		{ "x86_64", "mmap", "fd", 32, "mm/mmap.c:", "(fd, flags)" },
		{ "riscv64", "mmap", "fd", 32, "mm/mmap.c:", "(fd, flags)" },
		{ "x86_64", "ptrace", "pid", 32, "kernel/ptrace.c:", "find_get_task_by_vpid(pid)" },
		{ "x86_64", "mbind", "mode", 32, "mm/mempolicy.c:", "int lmode = mode;" },
	};
	const struct sc_arch *x86 = A("x86");
	const struct sc_syscall *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct catalog_arg_width *w;
		int arg;

		s = sc_syscall_lookup(A(cases[i].arch), cases[i].sys);
		assert_non_null(s);
		arg = sc_syscall_arg_index(s, cases[i].arg);
		assert_true(arg >= 0);
		assert_int_equal(sc_syscall_arg_bits(A(cases[i].arch), s, (unsigned)arg), cases[i].bits);
		w = catalog_arg_width(A(cases[i].arch), s, (unsigned)arg);
		assert_non_null(w);
		assert_int_equal(strncmp(catalog_syscall_string(w->where), cases[i].where,
					 strlen(cases[i].where)), 0);
		assert_non_null(strstr(catalog_syscall_string(w->text), cases[i].text));
	}
	/* What the kernel reads in full stays full. */
	s = sc_syscall_lookup(A("x86_64"), "ptrace");
	assert_int_equal(sc_syscall_arg_bits(A("x86_64"), s, 0), 64); /* long request */
	assert_null(catalog_arg_width(A("x86_64"), s, 0));
	s = sc_syscall_lookup(A("x86_64"), "prctl");
	assert_int_equal(sc_syscall_arg_bits(A("x86_64"), s, 1), 64); /* arg2: per option */
	s = sc_syscall_lookup(A("x86_64"), "mmap");
	assert_int_equal(sc_syscall_arg_bits(A("x86_64"), s, 3), 64); /* flags & MAP_ANONYMOUS */
	/* A 32-bit ABI's registers are 32 bits already: nothing to narrow, nothing listed. */
	s = sc_syscall_lookup(x86, "clone");
	assert_int_equal(sc_syscall_arg_bits(x86, s, 0), 32);
	assert_null(catalog_arg_width(x86, s, 0));
	/* Every entry narrows a parameter of its own syscall below the register's width. */
	for (size_t i = 0; i < catalog_arg_width_count; i++) {
		const struct catalog_arg_width *w = &catalog_arg_widths[i];
		const struct sc_arch *arch = sc_arch_at(w->arch);
		const struct sc_syscall *sys = sc_syscall_by_nr(arch, w->nr);
		assert_non_null(sys);
		assert_true(w->arg < sys->nargs);
		assert_true(w->bits < 64);
		assert_false(sys->args[w->arg].pointer);
		assert_ptr_equal(catalog_arg_width(arch, sys, w->arg), w);
	}
}

static void parameters_and_widths(void **state)
{
	const struct sc_arch *x64 = A("x86_64"), *x86 = A("x86");
	const struct sc_syscall *s;

	(void)state;
	s = sc_syscall_lookup(x64, "openat");
	assert_int_equal(s->nargs, 4);
	assert_int_equal(sc_syscall_arg_index(s, "dfd"), 0);
	assert_int_equal(sc_syscall_arg_index(s, "flags"), 2);
	assert_int_equal(sc_syscall_arg_index(s, "nope"), -1);
	assert_int_equal(sc_syscall_arg_bits(x64, s, 0), 32); /* int dfd: AT_FDCWD is -100 in 32 bits */
	assert_int_equal(sc_syscall_arg_bits(x64, s, 1), 64);
	assert_true(s->args[1].pointer);
	assert_int_equal(sc_syscall_arg_bits(x64, s, 3), 16); /* umode_t */
	assert_int_equal(sc_syscall_arg_bits(x64, s, 4), 0);

	s = sc_syscall_lookup(x64, "ioctl");
	assert_string_equal(s->args[1].name, "cmd");
	assert_int_equal(sc_syscall_arg_bits(x64, s, 1), 32); /* CVE-2019-10063: high bits ignored */
	assert_int_equal(sc_syscall_arg_bits(x64, s, 2), 64);

	s = sc_syscall_lookup(x64, "clone");
	assert_string_equal(s->args[0].name, "clone_flags");
	assert_int_equal(sc_syscall_arg_bits(x64, s, 1), 64); /* newsp: a whole address */

	s = sc_syscall_lookup(x86, "mmap"); /* old_mmap: one pointer */
	assert_int_equal(s->nargs, 1);
	s = sc_syscall_lookup(x86, "mmap2");
	assert_int_equal(s->nargs, 6);
	assert_int_equal(sc_syscall_arg_bits(x86, s, 1), 32);

	s = sc_syscall_lookup(x64, "rt_sigreturn"); /* no tracepoint: prototype */
	assert_int_equal(s->nargs, 0);
	s = sc_syscall_lookup(x64, "clone3");
	assert_int_equal(s->nargs, 2);
	assert_string_equal(s->args[1].name, "size");
	s = sc_syscall_lookup(x64, "listns");
	assert_int_equal(s->nargs, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(views_built_once),
		cmocka_unit_test(tables_sorted_and_unique),
		cmocka_unit_test(every_syscall_has_parameters),
		cmocka_unit_test(numbers),
		cmocka_unit_test(parameters_and_widths),
		cmocka_unit_test(truncated_widths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
