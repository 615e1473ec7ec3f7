/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy.c (cli) — what the policy-reading commands share: their options, loading with
 * diagnostics printed, and compiling.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_policy_option(int c, const char *arg, struct sc_load_options *o)
{
	switch (c) {
	case 0x100: o->groups_file = arg; return true;
	case 0x101: o->flags |= SC_LOAD_ALLOW_UNKNOWN; return true;
	case 0x102: o->caps = arg; return true;
	case 0x103: o->kernel = arg; return true;
	case 0x104: o->flags |= SC_LOAD_FORMAT_OCI; return true;
	case 0x105: o->flags |= SC_LOAD_FORMAT_TOML; return true;
	case 0x106:
		if (strcmp(arg, "allow") == 0)
			o->flags |= SC_LOAD_MUX_ALLOW;
		else if (strcmp(arg, "deny") != 0)
			cli_error("--multiplexed takes 'deny' or 'allow', not '%s'; using 'deny'", arg);
		return true;
	case 0x107: o->native_arch = arg; return true;
	case 0x108: o->enosys_after = arg; return true;
	case 0x109: o->flags |= SC_LOAD_ENOSYS_UNKNOWN; return true;
	case 0x10a: o->weights_file = arg; return true;
	default: return false;
	}
}

/* Is @name a built-in policy? If not, say which there are. */
static bool builtin_known(const char *name)
{
	const char *names[32], *best[4];
	size_t n = 0;

	while (n < 32 && (names[n] = sc_builtin_policy(n, NULL, NULL)))
		if (strcmp(names[n++], name) == 0)
			return true;
	cli_error("no built-in policy '%.80s'", name);
	cli_hint_suggestions(best, sc_suggest(name, names, n, best, 4));
	fputs("hint: the built-in policies are", stderr);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " builtin:%s", names[i]);
	fputc('\n', stderr);
	return false;
}

int cli_load_policy(const char *path, const struct sc_load_options *o, struct sc_policy **ret)
{
	struct sc_diag d = { 0 };
	int r;

	if (!path)
		r = sc_policy_load_builtin("default", o, ret, &d);
	else if (strncmp(path, "builtin:", 8) == 0 && !builtin_known(path + 8))
		return EXIT_FAIL;
	else if (strncmp(path, "builtin:", 8) == 0)
		r = sc_policy_load_builtin(path + 8, o, ret, &d);
	else
		r = sc_policy_load_file(path, o, ret, &d);
	if (r < 0) {
		sc_diag_print(&d, stderr);
		return r == -EINVAL ? EXIT_POLICY : EXIT_FAIL;
	}
	cli_print_warnings(*ret, 0);
	return EXIT_OK;
}

bool cli_quiet;

void cli_print_warnings(const struct sc_policy *p, size_t from)
{
	for (size_t i = from; !cli_quiet && i < sc_policy_warning_count(p); i++)
		sc_diag_print(sc_policy_warning(p, i), stderr);
}

int cli_compile(struct sc_policy *p, struct sc_filter **ret)
{
	struct sc_diag d = { 0 };
	size_t before = sc_policy_warning_count(p);
	int r = sc_policy_compile(p, ret, &d);

	/* Resolving adds warnings (unknown names in OCI input, hidden socketcall arguments). */
	cli_print_warnings(p, before);
	if (r < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_POLICY;
	}
	return EXIT_OK;
}

bool cli_parse_value(const char *s, uint64_t *ret)
{
	uint64_t acc = 0;
	char buf[128];

	if (strlen(s) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *tok = buf, *next; tok; tok = next) {
		char *end;
		next = strchr(tok, '|');
		if (next)
			*next++ = '\0';
		if (isdigit((unsigned char)tok[0]) || tok[0] == '-') {
			errno = 0;
			if (tok[0] == '-')
				acc |= (uint64_t)strtoll(tok, &end, 0);
			else
				acc |= strtoull(tok, &end, 0);
			if (errno || *end)
				return false;
		} else {
			const struct sc_constant *k = sc_constant_lookup(tok);
			if (!k)
				return false;
			acc |= k->value;
		}
	}
	*ret = acc;
	return true;
}

bool cli_parse_arch(const char *name, const struct sc_arch **ret)
{
	const char *best[4];

	*ret = sc_arch_lookup(name);
	if (*ret)
		return true;
	cli_error("unknown architecture '%s'", name);
	cli_hint_suggestions(best, sc_arch_suggest(name, best, 4));
	return false;
}

size_t cli_parse_arch_list(const char *list, const struct sc_arch **ret, size_t max)
{
	char buf[1024];
	size_t n = 0;

	if (strlen(list) >= sizeof(buf)) {
		cli_error("--arch: the list is too long");
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *w = strtok_r(buf, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		if (n == max) {
			cli_error("--arch: more than %zu architectures", max);
			return 0;
		}
		if (!cli_parse_arch(w, &ret[n++]))
			return 0;
	}
	if (n == 0)
		cli_error("--arch needs at least one architecture");
	return n;
}
