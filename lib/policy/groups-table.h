/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * groups-table.h — the built-in group database as C data, made at build time by
 * tools/gen-groups-table.py from data/abstract_syscalls.json.
 *
 * Why: parsing that 84 KB JSON (jansson, then the position index) was ~85% of the work of
 * `seccompose run -- true` (~21 M instructions of ~25 M). The generator reads the JSON the
 * way groups.c's loader does and records what the loader would take from it, with each
 * value's place (line, column, span as json-loc.c measures them); groups.c builds the same
 * pol_group from these tables, through the same cond_build(), for each group when it is
 * first looked up. The unit test groups-table loads both ways and compares every field.
 *
 * No pointers, only indexes and offsets into one string blob: the tables need no
 * relocation when the library is loaded, so their pages stay shared and clean.
 */
#ifndef SC_GROUPS_TABLE_H
#define SC_GROUPS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/loc.h"

#define GT_NONE UINT32_MAX /* no string: the value is an integer */

/* Which of a condition's keys were written (cond_fields' has_* flags). */
enum gt_has {
	GT_VALUE = 1 << 0,
	GT_VALUE_TWO = 1 << 1,
	GT_MASK = 1 << 2,
	GT_FLAGS = 1 << 3,
	GT_VALUES = 1 << 4,
	GT_INDEX = 1 << 5,
};

struct gt_value {
	uint32_t text; /* offset in groups_table_strings, or GT_NONE: the integer @num */
	uint64_t num;
	struct pol_loc loc;
};

struct gt_cond {
	struct pol_loc loc;
	uint32_t type, arg;           /* offsets, or GT_NONE when not written */
	struct pol_loc type_loc, arg_loc, index_loc;
	bool oci;                     /* the type was written as `op` */
	uint8_t has;                  /* enum gt_has */
	int64_t index;
	uint32_t value, value_two, mask, flags; /* indexes in groups_table_values */
	uint32_t values, nvalues;     /* `values`: a run of groups_table_values */
};

struct gt_rule {
	struct pol_loc loc;
	uint32_t name;                /* offset: the syscall, or the group when @is_group */
	struct pol_loc name_loc;
	bool is_group;
	uint32_t conds, nconds;       /* a run of groups_table_conds */
};

struct gt_group {
	uint32_t name, description;   /* offsets */
	struct pol_loc loc;
	uint32_t rules, nrules;       /* a run of groups_table_rules */
};

extern const char groups_table_strings[];
extern const struct gt_value groups_table_values[];
extern const struct gt_cond groups_table_conds[];
extern const struct gt_rule groups_table_rules[];
extern const struct gt_group groups_table_groups[];
extern const size_t groups_table_ngroups;
/* Indexes into groups_table_groups in strcmp order of their names: the database's sorted
 * index without a sort at start-up. */
extern const uint16_t groups_table_by_name[];

#endif
