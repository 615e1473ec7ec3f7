/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * constants.h — the symbolic-constant catalog behind sc_constant_*(): the generated tables and
 * the value formatter the recorder and `explain` use.
 *
 * data/gen/constants.c (tools/gen-constants.py from data/constants.list) defines the tables;
 * lib/catalog/constants.c searches them. A constant is defined in one family (its group) and may be a
 * member of others; a family says which syscall arguments its values are for ("ioctl:cmd") and
 * how values combine:
 *
 *	CONSTANTS_ENUM   the argument holds one value, optionally OR-ed with modifier bits
 *	                 (FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, SOCK_STREAM|SOCK_CLOEXEC)
 *	CONSTANTS_FLAGS  the argument holds an OR of flags, optionally with a field of bits that
 *	                 holds one value (O_ACCMODE: O_RDWR|O_CREAT; CSIGNAL: CLONE_VM|SIGCHLD)
 *
 * Calling sequence (the recorder printing a captured argument):
 *
 *	char buf[256];
 *	constants_format("openat", "flags", 0x80241, buf, sizeof(buf));
 *	// buf: "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC"
 */
#ifndef SC_CONSTANTS_H
#define SC_CONSTANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

enum constants_kind {
	CONSTANTS_ENUM  = 0, /* one value (plus modifiers) */
	CONSTANTS_FLAGS = 1, /* an OR of flags (plus one field) */
};

enum constants_role {
	CONSTANTS_VALUE = 0,	/* a value, or a flag of a flags family */
	CONSTANTS_MODIFIER = 1, /* an enum family's bit OR-ed onto the value */
	CONSTANTS_QUIET = 2, /* a mask (O_ACCMODE) or no-op (MAP_FILE): nameable, never printed */
};

/*
 * The generated tables hold no pointers (catalog.h says why): strings are offsets into
 * constants_strings, a family's members a run of constants_members. The public struct
 * sc_constant of a row is built when the API first hands it out (constants_public()).
 */
struct constants_row {
	uint64_t value;  /* its value on x86_64 */
	uint32_t name;   /* "TCGETS" … */
	uint32_t group;  /* its family's name: the same offset as that family's name */
	uint32_t uses;   /* as sc_constant.uses */
};

struct constants_member {
	uint16_t index; /* into constants_table */
	uint8_t role;   /* enum constants_role */
};

struct constants_family {
	uint32_t name;      /* "open_flags": the members' sc_constant.group */
	uint32_t uses;      /* "open:flags openat:flags …": what its members are for (a member's
			       sc_constant.uses holds these, and more when other families name it) */
	enum constants_kind kind;
	uint64_t field;     /* flags: the bits that hold one value (O_ACCMODE); 0: none */
	int field_family;   /* index of the family naming the field's values; -1: this one */
	uint32_t members;   /* the first of its members in constants_members: in constants.list
			       order (the preference order), then the constants it names with `also:` */
	uint32_t count;
};

/* The most families constants_family_count may be (lib/catalog/constants.c sizes arrays by it). */
#define CONSTANTS_MAX_FAMILIES 256

extern const char constants_strings[];
/* Sorted by name (strcmp order). */
extern const struct constants_row constants_table[];
extern const size_t constants_table_count;
extern const struct constants_member constants_members[];
/* In constants.list order: earlier families win when several name one value. */
extern const struct constants_family constants_families[];
extern const size_t constants_family_count;

/* A string of the constant tables: @offset into constants_strings. */
static inline const char *constants_string(uint32_t offset)
{
	return constants_strings + offset;
}

/* Member @j of family @f. */
static inline const struct constants_member *constants_family_member(const struct constants_family *f,
								     size_t j)
{
	return &constants_members[f->members + j];
}

/* The row of the constant called @name, or NULL: what the library reads when it needs a
 * constant's value, without building the public view sc_constant_lookup() returns. */
const struct constants_row *constants_find(const char *name);

/* constants_table[@i] as the public API shows it: built on first use (any thread), kept for
 * the life of the process. */
const struct sc_constant *constants_public(size_t i);

/*
 * True when @f lists the argument @arg of @syscall in its uses. A NULL @arg matches any
 * argument of @syscall; a NULL @syscall matches every family.
 */
bool constants_family_uses(const struct constants_family *f, const char *syscall, const char *arg);

/*
 * How many low bits of @arg of @syscall the kernel reads (32 for an int, 64 for a long on a 64-bit
 * ABI), from the native architecture's catalog, else the first ABI that has the syscall; 64 when
 * nothing says. Values are compared on these bits: AT_FDCWD (-100, 0xffffffffffffff9c) matches a
 * dfd of 0xffffff9c.
 */
unsigned constants_arg_bits(const char *syscall, const char *arg);

/*
 * Write @value of argument @arg of @syscall to @buf as people write it: one constant's name
 * ("TCGETS"), an OR of names for flags and modifiers ("O_RDWR|O_CREAT|O_CLOEXEC",
 * "CLONE_VM|CLONE_FS|SIGCHLD", "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"), with the bits
 * no name covers as a trailing hex number ("O_RDONLY|0x40000000"), or a hex number alone
 * ("0x1234", "0" for zero) when nothing fits.
 * @return the number of names written (0: a plain number), or -ENOSPC when @buf was too small
 *         (it then holds a truncated, NUL-terminated text)
 */
int constants_format(const char *syscall, const char *arg, uint64_t value, char *buf, size_t len);

/* Does @arg of @syscall take its names from the value of @by_arg (setsockopt's optname from
 * its level, socket's protocol from its family)? */
bool constants_has_context(const char *syscall, const char *arg, const char *by_arg);
/*
 * Like constants_format(), with the names of the family the other argument @by_arg's value
 * @by_value selects (optname 1 at SOL_TCP: "TCP_NODELAY"; at SOL_SOCKET: "SO_DEBUG"), or a
 * hex number when no family is known for that value. The text reads back to @value.
 */
int constants_format_context(const char *syscall, const char *arg, uint64_t value,
			     const char *by_arg, uint64_t by_value, char *buf, size_t len);

#endif
