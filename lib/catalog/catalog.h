/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * catalog.h — the generated tables behind the arch and syscall modules.
 *
 * data/gen/arches.c and data/gen/syscalls.c (tools/gen-syscalls.py) define these;
 * lib/catalog/arch.c and lib/catalog/syscalls.c search them; other modules use only arg_width_mask().
 */
#ifndef SC_CATALOG_H
#define SC_CATALOG_H

#include "seccompose.h"

/*
 * The generated tables hold no pointers: a string is an offset into catalog_syscall_strings,
 * a parameter list an index into catalog_syscall_args. So they need no relocation when the
 * library is loaded and stay in .rodata, mapped from the file; pointers in them made the
 * loader patch (and the kernel copy) over half a megabyte at every start. The public structs
 * (struct sc_syscall, sc_syscall_arg) are built from them one syscall at a time, when the
 * API first hands that one out (catalog_syscall_public()).
 */
struct catalog_syscall {
	uint32_t nr;          /* as in struct sc_syscall */
	uint32_t name;        /* offsets into catalog_syscall_strings … */
	uint32_t abi;
	uint32_t entry_point;
	uint32_t args_source;
	uint16_t args;        /* … and the first parameter in catalog_syscall_args */
	uint16_t since;
	uint8_t nargs;
};

struct catalog_arg {
	uint32_t name, type; /* offsets into catalog_syscall_strings */
	uint8_t kind;        /* enum sc_arg_kind */
	bool pointer;
};

/* One architecture's syscalls: sorted by number, plus an index sorted by name. */
struct catalog_table {
	const struct catalog_syscall *by_nr;
	const uint16_t *by_name; /* indexes into by_nr, strcmp order */
	size_t count;
};

/*
 * A parameter the kernel reads fewer bits of than its declared type holds: clone's
 * `unsigned long clone_flags` goes through lower_32_bits(). From the kernel source by
 * tools/gen-arg-widths.py (data/syscall-arg-widths.txt), with the line that narrows it.
 */
struct catalog_arg_width {
	uint16_t arch;  /* index into catalog_arches[] */
	uint32_t nr;    /* the syscall's number there */
	uint8_t arg;    /* parameter index */
	uint8_t bits;   /* what the kernel reads */
	uint32_t where; /* "kernel/fork.c:2977" in Linux 6.12 (offsets into catalog_syscall_strings) */
	uint32_t text;  /* that line */
};

/* The most ABIs catalog_arch_count may be (lib/catalog/syscalls.c sizes an array by it). */
#define CATALOG_MAX_ARCHES 32

extern const char catalog_syscall_strings[];
extern const struct catalog_arg catalog_syscall_args[];
extern const struct sc_arch catalog_arches[];
extern const size_t catalog_arch_count;
extern const struct catalog_table catalog_tables[]; /* indexed like catalog_arches */
extern const char *const catalog_arch_aliases[];  /* every alias word, for suggestions */
extern const size_t catalog_arch_alias_count;
extern const struct catalog_arg_width catalog_arg_widths[];
extern const size_t catalog_arg_width_count;

/* The bits of an argument register the kernel reads when it reads @bits of them (8, 16, 32
 * or 64): every comparison on a narrowed parameter is on these. */
static inline uint64_t arg_width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* Index of @arch in catalog_arches[] (it must point into it). */
size_t catalog_arch_index(const struct sc_arch *arch);

/* A string of the syscall tables: @offset into catalog_syscall_strings. */
static inline const char *catalog_syscall_string(uint32_t offset)
{
	return catalog_syscall_strings + offset;
}

/* Row @row of ABI @arch_index's table (catalog_tables[arch_index].by_nr[row]) as the public
 * API shows it: built on the first call for that syscall (any thread), kept for the life of
 * the process. */
const struct sc_syscall *catalog_syscall_public(size_t arch_index, size_t row);

/* The number of @arch's syscall called @name in *@ret; false when it has none. What
 * sc_syscall_lookup() answers, from the rows alone (no view of the ABI built for it). */
bool catalog_syscall_nr(const struct sc_arch *arch, const char *name, uint32_t *ret);

/* A syscall has at most six parameters (the registers that carry them). */
#define CATALOG_MAX_ARGS 6

/* One syscall as struct sc_syscall, its parameters beside it, in the caller's memory: for
 * a reader that needs it only while it looks (resolve.c), not the ABI's whole view (47 KB,
 * a dozen pages a short run would touch for nothing). */
struct catalog_syscall_copy {
	struct sc_syscall sys;
	struct sc_syscall_arg args[CATALOG_MAX_ARGS];
};
/* Fill @out from generated row @row; returns &out->sys. */
const struct sc_syscall *catalog_syscall_copy(const struct catalog_syscall *row,
					      struct catalog_syscall_copy *out);

/* The narrowing of parameter @index of @sys (a syscall of @arch), or NULL when the kernel
 * reads all the bits its type has. */
const struct catalog_arg_width *catalog_arg_width(const struct sc_arch *arch, const struct sc_syscall *sys,
						  unsigned index);

#endif
