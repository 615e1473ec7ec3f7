/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-check.c — `seccompose check`: what the compiled filter does with one call, by running
 * it in the userspace BPF interpreter. Nothing is installed or run. The exit status answers
 * scripts (0: the call runs, 1: it is denied); --json gives the whole answer.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose check [<options>] [--arch <arch>] [--json] <policy> <syscall> [<arg>...]";

/* Does @a let the call run? Log runs it too; everything else (Errno, Kill, Trap, Trace,
 * UserNotif) stops or replaces it. */
static bool runs(struct sc_action a)
{
	return a.type == SC_ACT_ALLOW || a.type == SC_ACT_LOG;
}

/*
 * The answer as one JSON object (documented in seccompose-check(1)):
 *   {"arch": "x86_64", "syscall": "openat" | null, "nr": 257,
 *    "args": ["0xffffff9c", "0x0", "0x1"], "action": "Errno(EPERM)", "type": "Errno",
 *    "data": 1, "allowed": false}
 * Arguments are hex strings: a JSON number does not carry 64 unsigned bits everywhere.
 */
static void print_json(const struct sc_arch *arch, const struct sc_syscall *sys, uint32_t nr,
		       const uint64_t *args, int nargs, struct sc_action a)
{
	json_t *o = json_object(), *jargs = json_array();
	char buf[64];

	for (int i = 0; i < nargs; i++) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, args[i]);
		json_array_append_new(jargs, json_string(buf));
	}
	json_object_set_new(o, "arch", json_string(arch->name));
	json_object_set_new(o, "syscall", sys ? json_string(sys->name) : json_null());
	json_object_set_new(o, "nr", json_integer(nr));
	json_object_set_new(o, "args", jargs);
	json_object_set_new(o, "action", json_string(sc_action_format(a, buf, sizeof(buf))));
	json_object_set_new(o, "type", json_string(sc_action_name(a.type)));
	json_object_set_new(o, "data", json_integer(a.data));
	json_object_set_new(o, "allowed", json_boolean(runs(a)));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
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
	struct sc_action action;
	bool json = false;
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
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: %s\n\nPrint the action the policy's filter gives the call, e.g.\n"
			       "  seccompose check policy.toml ioctl 1 TCGETS      → Allow\n"
			       "  seccompose check policy.toml openat AT_FDCWD 0 O_WRONLY\n"
			       "Arguments are integers or constant expressions (O_RDONLY|O_CLOEXEC).\n"
			       "The filter runs in seccompose's BPF interpreter; nothing is executed.\n\n"
			       "  -a, --arch <arch>   the calling ABI (default: native)\n"
			       "      --json          one object: arch, syscall, nr, args (hex strings),\n"
			       "                      action, type, data, allowed\n" CLI_POLICY_HELP
			       "\nExit status: 0 the call runs (Allow, Log), 1 it is denied (Errno, Kill…,\n"
			       "Trap, Trace, UserNotif), 2 usage (an unknown syscall or value too),\n"
			       "3 invalid or unreadable policy.\n",
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
		return EXIT_USAGE; /* 1 means "denied": a typo must not read as an answer */
	}
	for (int i = 0; i < nargs; i++)
		if (!cli_parse_value(argv[optind + 2 + i], &args[i])) {
			const char *best[4];
			cli_error("expected an integer or a constant name, found '%s'", argv[optind + 2 + i]);
			cli_hint_suggestions(best, sc_constant_suggest(argv[optind + 2 + i], best, 4));
			return EXIT_USAGE;
		}
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_FAIL)
		rc = EXIT_POLICY; /* unreadable: no answer, and 1 would read as "denied" */
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (sys)
		nr = sys->nr;
	if (rc == EXIT_OK) {
		action = sc_action_from_ret(sc_filter_eval(f, arch, nr, args));
		if (json)
			print_json(arch, sys, nr, args, nargs, action);
		else
			printf("%s\n", sc_action_format(action, buf, sizeof(buf)));
		rc = runs(action) ? EXIT_OK : EXIT_FAIL;
	}
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
