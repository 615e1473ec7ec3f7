/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy-fixture.h — what the unit tests of the policy stages share: a policy from a string
 * that must load, a warning looked up by its text, and an action compared with its data.
 * Include after <cmocka.h> (the helpers fail the test through it).
 */
#ifndef SC_TEST_POLICY_FIXTURE_H
#define SC_TEST_POLICY_FIXTURE_H

#include <stdbool.h>
#include <string.h>

#include "seccompose.h"

/* @text loaded as file @name with @o (NULL: defaults); the test fails when it does not load. */
static inline struct sc_policy *fixture_load(const char *name, const char *text,
					     const struct sc_load_options *o)
{
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_load_buffer(name, text, strlen(text), o, &p, &d) != 0)
		fail_msg("load failed: %s:%u:%u: %s\n%s", d.file, d.line, d.col, d.message, text);
	return p;
}

/* Does @p carry a warning whose message is exactly @msg? */
static inline bool fixture_has_warning(const struct sc_policy *p, const char *msg)
{
	for (size_t i = 0; i < sc_policy_warning_count(p); i++)
		if (strcmp(sc_policy_warning(p, i)->message, msg) == 0)
			return true;
	return false;
}

#define assert_action(got, t, d)                                                           \
	do {                                                                               \
		struct sc_action got_ = (got);                                             \
		assert_int_equal(got_.type, (t));                                          \
		assert_int_equal(got_.data, (d));                                          \
	} while (0)

#endif
