/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The built-in group database loaded from the build's tables (lib/policy/groups-table.h,
 * made by tools/gen-groups-table.py) is the database the JSON loader reads from
 * data/abstract_syscalls.json: same groups in the same order, and every field of every
 * rule and condition the same, places included (diagnostics point at them); and a group's
 * rules are built only when it is first found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "policy/policy.h"

static void same_loc(struct pol_loc a, struct pol_loc b, const char *what, const char *group)
{
	if (a.line != b.line || a.col != b.col || a.span != b.span)
		fail_msg("group %s, %s: %u:%u+%u from the tables, %u:%u+%u from the JSON", group, what,
			 a.line, a.col, a.span, b.line, b.col, b.span);
}

static void same_str(const char *a, const char *b, const char *what, const char *group)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		fail_msg("group %s, %s: '%s' from the tables, '%s' from the JSON", group, what,
			 a ? a : "(null)", b ? b : "(null)");
}

static void same_value(const struct pol_value *a, const struct pol_value *b, const char *what,
		       const char *group)
{
	same_str(a->text, b->text, what, group);
	assert_true(a->num == b->num);
	same_loc(a->loc, b->loc, what, group);
}

static void same_cond(const struct pol_cond *a, const struct pol_cond *b, const char *group)
{
	assert_int_equal(a->index, b->index);
	same_str(a->arg, b->arg, "argument", group);
	same_loc(a->arg_loc, b->arg_loc, "argument", group);
	assert_int_equal(a->op, b->op);
	same_value(&a->value, &b->value, "value", group);
	same_value(&a->mask, &b->mask, "mask", group);
	assert_int_equal(a->nvalues, b->nvalues);
	for (size_t i = 0; i < a->nvalues; i++)
		same_value(&a->values[i], &b->values[i], "values", group);
	same_loc(a->loc, b->loc, "condition", group);
}

static void tables_are_the_json(void **state)
{
	struct pol_groups *t = groups_new(), *j = groups_new();
	struct sc_diag d = { 0 };
	size_t nconds = 0;

	(void)state;
	assert_int_equal(groups_load_builtin(t, &d), 0);
	assert_int_equal(groups_load_builtin_json(j, &d), 0);
	assert_true(t->ngroups > 100);
	assert_int_equal(t->ngroups, j->ngroups);
	for (size_t i = 0; i < t->ngroups; i++) {
		const struct pol_group *a = groups_at(t, i), *b = &j->groups[i];
		same_str(a->name, b->name, "name", b->name);
		same_str(a->description, b->description, "description", b->name);
		same_str(a->file, b->file, "file", b->name);
		same_loc(a->loc, b->loc, "group", b->name);
		assert_int_equal(t->sorted[i], j->sorted[i]);
		assert_int_equal(a->nrules, b->nrules);
		for (size_t k = 0; k < a->nrules; k++) {
			const struct pol_rule *ra = &a->rules[k], *rb = &b->rules[k];
			assert_int_equal(ra->nnames, 1);
			assert_int_equal(rb->nnames, 1);
			same_str(ra->names[0].name, rb->names[0].name, "rule name", b->name);
			same_loc(ra->names[0].loc, rb->names[0].loc, "rule name", b->name);
			same_loc(ra->loc, rb->loc, "rule", b->name);
			assert_int_equal(ra->is_group, rb->is_group);
			assert_int_equal(ra->action.type, rb->action.type);
			assert_int_equal(ra->action.data, rb->action.data);
			assert_int_equal(ra->split_conds, rb->split_conds);
			same_str(ra->origin, rb->origin, "origin", b->name);
			assert_int_equal(ra->nconds, rb->nconds);
			for (size_t c = 0; c < ra->nconds; c++, nconds++)
				same_cond(&ra->conds[c], &rb->conds[c], b->name);
		}
	}
	assert_true(nconds > 50); /* the conditions were compared, not skipped */
	assert_int_equal(t->nfiles, 1);
	assert_string_equal(t->files[0], j->files[0]);
	assert_ptr_equal(t->srcs[0], j->srcs[0]); /* the embedded text itself, quoted in errors */
	groups_free(t);
	groups_free(j);
}

/* Loading the built-in database builds no group: names and descriptions are there, a
 * group's rules appear when it is found, and finding one builds no other (not even the
 * groups it names: resolve finds those in turn). */
static void built_when_found(void **state)
{
	struct pol_groups *t = groups_new();
	struct sc_diag d = { 0 };
	const struct pol_group *g;
	size_t built = 0;

	(void)state;
	assert_int_equal(groups_load_builtin(t, &d), 0);
	for (size_t i = 0; i < t->ngroups; i++) {
		assert_non_null(t->groups[i].name);
		assert_null(t->groups[i].rules);
	}
	g = groups_find(t, "file_metadata_read");
	assert_non_null(g);
	assert_non_null(g->rules);
	assert_true(g->nrules > 0 && g->rules[0].is_group);
	assert_ptr_equal(groups_find(t, "file_metadata_read"), g); /* built once */
	assert_null(groups_find(t, "no_such_group"));
	for (size_t i = 0; i < t->ngroups; i++)
		built += t->groups[i].rules != NULL;
	assert_int_equal(built, 1);
	groups_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tables_are_the_json),
		cmocka_unit_test(built_when_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
