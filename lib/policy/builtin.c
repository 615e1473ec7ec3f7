/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * builtin.c — the policies compiled into the library (the TOML files in data/policies/, embedded at
 * build time by tools/embed.py). Table order: `default` first, the rest alphabetical.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy.h"

extern const char builtin_default_policy[], builtin_cli_filter_policy[],
	builtin_compiler_policy[], builtin_static_web_server_policy[];
extern const size_t builtin_default_policy_len, builtin_cli_filter_policy_len,
	builtin_compiler_policy_len, builtin_static_web_server_policy_len;

static const struct {
	const char *name;
	const char *text;
	const size_t *len;
} policies[] = {
	{ "default", builtin_default_policy, &builtin_default_policy_len },
	{ "cli-filter", builtin_cli_filter_policy, &builtin_cli_filter_policy_len },
	{ "compiler", builtin_compiler_policy, &builtin_compiler_policy_len },
	{ "static-web-server", builtin_static_web_server_policy, &builtin_static_web_server_policy_len },
};
#define N_POLICIES (sizeof(policies) / sizeof(policies[0]))

SC_EXPORT const char *sc_builtin_policy(size_t i, const char **ret_text, size_t *ret_len)
{
	if (i >= N_POLICIES)
		return NULL;
	if (ret_text)
		*ret_text = policies[i].text;
	if (ret_len)
		*ret_len = *policies[i].len;
	return policies[i].name;
}

SC_EXPORT int sc_policy_load_builtin(const char *name, const struct sc_load_options *opts,
				     struct sc_policy **ret, struct sc_diag *reterr)
{
	char label[64];
	const char *names[N_POLICIES], *best[1];

	for (size_t i = 0; i < N_POLICIES; i++) {
		names[i] = policies[i].name;
		if (strcmp(policies[i].name, name) != 0)
			continue;
		snprintf(label, sizeof(label), "<built-in %s>.toml", name);
		return sc_policy_load_buffer(label, policies[i].text, *policies[i].len, opts, ret,
					     reterr);
	}
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no built-in policy '%s'", name);
	if (sc_suggest(name, names, N_POLICIES, best, 1))
		sc_diag_hint(reterr, "did you mean '%s'?", best[0]);
	return -ENOENT;
}
