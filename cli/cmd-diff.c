/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-diff.c — `seccompose diff`: what one policy does that another does not.
 *
 * Both policies (any format: TOML, OCI JSON, builtin:NAME) are compiled and compared call by
 * call (sc_filter_diff()); the differences are printed per ABI, whole groups first, then
 * syscalls, then argument values by constant name. Exit status as diff(1): 0 equal,
 * 1 different; 2 for usage or an unreadable file, 3 for an invalid policy.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] = "seccompose diff [<options>] [--json] <policy> <policy>";

/* Is @d the first of its group's members on its ABI with the same actions? */
static bool group_leader(const struct sc_difference *d, size_t i, const struct sc_difference *all)
{
	for (size_t k = 0; k < i; k++)
		if (all[k].group && all[k].arch == d->arch && strcmp(all[k].group, d->group) == 0)
			return false;
	return true;
}

static void print_text(const struct sc_difference *d, size_t n, const char *na, const char *nb)
{
	char x[64], y[64];

	printf("--- %s\n+++ %s\n", na, nb);
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct sc_difference *e = &d[i];
			/* Groups first, then whole syscalls, then argument values. */
			int kind = e->group ? 0 : e->whole ? 1 : 2;
			if (kind != pass || (e->group && !group_leader(e, i, d)))
				continue;
			sc_action_format(e->a, x, sizeof(x));
			sc_action_format(e->b, y, sizeof(y));
			if (e->unlisted_abi)
				printf("ABIs neither lists: %s in %s, %s in %s\n", x, na, y, nb);
			else if (e->group) {
				size_t members = 0;
				for (size_t k = 0; k < n; k++)
					members += d[k].group && d[k].arch == e->arch && strcmp(d[k].group, e->group) == 0;
				printf("%s: group %s (%zu syscalls): %s in %s, %s in %s\n", e->arch->name, e->group,
				       members, x, na, y, nb);
			} else if (!e->syscall)
				printf("%s: syscall numbers the catalog does not name (%u …): %s in %s, %s in %s\n",
				       e->arch->name, e->nr, x, na, y, nb);
			else if (e->whole)
				printf("%s: %s: %s in %s, %s in %s\n", e->arch->name, e->syscall, x, na, y, nb);
			else
				printf("%s: %s(%s): %s in %s, %s in %s\n", e->arch->name, e->syscall,
				       e->when[0] ? e->when : "other arguments", x, na, y, nb);
		}
}

static void json_string_or_null(const char *s)
{
	if (s)
		cli_json_string(stdout, s);
	else
		fputs("null", stdout);
}

static void print_json(const struct sc_difference *d, size_t n, const char *na, const char *nb)
{
	char x[64], y[64];
	bool first = true;

	fputs("{\"a\": ", stdout);
	cli_json_string(stdout, na);
	fputs(", \"b\": ", stdout);
	cli_json_string(stdout, nb);
	printf(", \"equal\": %s, \"differences\": [", n ? "false" : "true");
	for (size_t i = 0; i < n; i++) {
		const struct sc_difference *e = &d[i];
		if (e->group && !group_leader(e, i, d))
			continue;
		printf("%s\n  {\"arch\": ", first ? "" : ",");
		first = false;
		cli_json_string(stdout, e->arch->name);
		printf(", \"unlisted_abi\": %s, \"group\": ", e->unlisted_abi ? "true" : "false");
		json_string_or_null(e->group);
		fputs(", \"syscalls\": [", stdout);
		if (e->group) {
			bool f2 = true;
			for (size_t k = 0; k < n; k++)
				if (d[k].group && d[k].arch == e->arch && strcmp(d[k].group, e->group) == 0) {
					fputs(f2 ? "" : ", ", stdout);
					cli_json_string(stdout, d[k].syscall);
					f2 = false;
				}
		} else if (e->syscall) {
			cli_json_string(stdout, e->syscall);
		}
		printf("], \"whole\": %s, \"when\": ", e->whole ? "true" : "false");
		json_string_or_null(e->whole ? NULL : e->when);
		fputs(", \"a_action\": ", stdout);
		cli_json_string(stdout, sc_action_format(e->a, x, sizeof(x)));
		fputs(", \"b_action\": ", stdout);
		cli_json_string(stdout, sc_action_format(e->b, y, sizeof(y)));
		printf(", \"witness\": {\"nr\": %u, \"args\": [", e->nr);
		for (int k = 0; k < 6; k++)
			printf("%s%llu", k ? ", " : "", (unsigned long long)e->args[k]);
		fputs("]}}", stdout);
	}
	fputs(n ? "\n]}\n" : "]}\n", stdout);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	struct sc_policy *p[2] = { NULL, NULL };
	struct sc_filter *f[2] = { NULL, NULL };
	struct sc_difference *d = NULL;
	struct sc_diag diag = { 0 };
	size_t n = 0;
	bool json = false;
	int c, rc = EXIT_OK;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "jh", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'j': json = true; break;
		case 'h':
			printf("usage: %s\n\n"
			       "Compare two policies (our TOML, OCI JSON, builtin:NAME; any mix) by what their\n"
			       "filters do with every call: per ABI, the groups and syscalls one allows and\n"
			       "the other does not, argument values by constant name (ioctl cmd == TCGETS),\n"
			       "and actions that differ (errno values). Every difference is found, and each\n"
			       "comes with a call that shows it (--json: \"witness\").\n\n"
			       "  -j, --json            one JSON object (docs/policy-language.md, \"Diff\")\n"
			       CLI_POLICY_HELP
			       "\nExit status: 0 equal, 1 different, 2 usage or unreadable file, 3 invalid policy.\n",
			       usage_line);
			return EXIT_OK;
		default: return cli_usage_error("diff", usage_line);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("diff", usage_line);
	for (int i = 0; i < 2 && rc == EXIT_OK; i++) {
		rc = cli_load_policy(argv[optind + i], &lo, &p[i]);
		if (rc == EXIT_OK)
			rc = cli_compile(p[i], &f[i]);
	}
	if (rc == EXIT_OK && sc_filter_diff(f[0], f[1], &d, &n, &diag) < 0) {
		sc_diag_print(&diag, stderr);
		rc = EXIT_POLICY;
	}
	if (rc == EXIT_OK) {
		if (json)
			print_json(d, n, argv[optind], argv[optind + 1]);
		else if (n)
			print_text(d, n, argv[optind], argv[optind + 1]);
		rc = n ? EXIT_FAIL : EXIT_OK;
	} else if (rc == EXIT_FAIL) {
		rc = EXIT_USAGE; /* unreadable: 1 says "different" here */
	}
	free(d);
	for (int i = 0; i < 2; i++) {
		sc_filter_free(f[i]);
		sc_policy_free(p[i]);
	}
	return rc;
}
