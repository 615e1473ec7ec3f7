/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-check.c — `seccompose check`: what the compiled filter does with one call, by running
 * it in the userspace BPF interpreter. Nothing is installed or run.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose check [<options>] [--arch <arch>] <policy> <syscall> [<arg>...]";

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const struct sc_arch *arch = sc_arch_native();
	const struct sc_syscall *sys;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	uint64_t args[6] = { 0 }, nr_any = 0;
	uint32_t nr = 0;
	char buf[64];
	int c, rc, nargs;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "a:h", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'a':
			if (!cli_parse_arch(optarg, &arch))
				return EXIT_USAGE;
			break;
		case 'h':
			printf("usage: %s\n\nPrint the action the policy's filter gives the call, e.g.\n"
			       "  seccompose check policy.toml ioctl 1 TCGETS      → Allow\n"
			       "  seccompose check policy.toml openat AT_FDCWD 0 O_WRONLY\n"
			       "Arguments are integers or constant expressions (O_RDONLY|O_CLOEXEC).\n"
			       "The filter runs in seccompose's BPF interpreter; nothing is executed.\n\n"
			       "  -a, --arch <arch>   the calling ABI (default: native)\n" CLI_POLICY_HELP
			       "\nExit status: 0 (whatever the action), 1 unknown syscall/value, 2 usage, 3 invalid policy.\n",
			       usage_line);
			return EXIT_OK;
		default:
			return cli_usage_error("check", usage_line);
		}
	}
	nargs = argc - optind - 2;
	if (nargs < 0 || nargs > 6)
		return cli_usage_error("check", usage_line);
	sys = sc_syscall_lookup(arch, argv[optind + 1]);
	if (!sys && cli_parse_value(argv[optind + 1], &nr_any) && nr_any <= UINT32_MAX)
		nr = (uint32_t)nr_any; /* a number: perhaps one the catalog does not name */
	else if (!sys) {
		const char *best[4];
		cli_error("unknown syscall '%s' on %s", argv[optind + 1], arch->name);
		cli_hint_suggestions(best, sc_syscall_suggest(arch, argv[optind + 1], best, 4));
		return EXIT_FAIL;
	}
	for (int i = 0; i < nargs; i++)
		if (!cli_parse_value(argv[optind + 2 + i], &args[i])) {
			const char *best[4];
			cli_error("expected an integer or a constant name, found '%s'", argv[optind + 2 + i]);
			cli_hint_suggestions(best, sc_constant_suggest(argv[optind + 2 + i], best, 4));
			return EXIT_FAIL;
		}
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (sys)
		nr = sys->nr;
	if (rc == EXIT_OK)
		printf("%s\n", sc_action_format(sc_action_from_ret(sc_filter_eval(f, arch, nr, args)),
						buf, sizeof(buf)));
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
