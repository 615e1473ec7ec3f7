/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-explain.c — `seccompose explain`: per syscall, the rules that apply and their origin. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

static const char usage_line[] = "seccompose explain [<options>] [--arch <arch>] [--json] <policy>";

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const struct sc_arch *arch = NULL;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char *text = NULL;
	bool json = false;
	int c, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "a:h", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'a':
			if (!cli_parse_arch(optarg, &arch))
				return EXIT_USAGE;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: %s\n\nFor each syscall the policy mentions: the rules in the order the "
			       "filter\ntries them (most restrictive first), their conditions with constants "
			       "named,\nand the policy line and group each came from. Everything else gets "
			       "the default.\n\n  -a, --arch <arch>   only this architecture\n"
			       "      --json          one object: default, bad_arch, arches[] of {arch,\n"
			       "                      enosys_above, syscalls[] of {name, nr, rules[] of\n"
			       "                      {action, type, data, conditions[], origin}, otherwise}}\n"
			       CLI_POLICY_HELP,
			       usage_line);
			return EXIT_OK;
		default:
			return cli_usage_error("explain", usage_line);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("explain", usage_line);
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc == EXIT_OK && (json ? sc_filter_explain_json(f, arch, &text) : sc_filter_explain(f, arch, &text)) == 0)
		printf("%s%s", text, json ? "\n" : "");
	free(text);
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
