/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-minimise.c — `seccompose minimise` (also `minimize`, `reduce`): the smallest policy
 * under which a command still does what it did (sc_policy_minimise, lib/api/minimise.c),
 * with a progress line and a time budget, written atomically.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose minimise [<options>] <policy> -o <out> [--check <script>] [--budget <s>] -- <command>...";

struct progress {
	bool tty;
	unsigned last_rounds;
};

/* After each run: on a terminal one line rewritten in place, else a line per round. */
static void show_progress(const struct sc_minimise_stats *s, void *data)
{
	struct progress *pr = data;

	if (!pr->tty && s->rounds == pr->last_rounds)
		return;
	pr->last_rounds = s->rounds;
	fprintf(stderr, "%sminimise: round %u, %zu of %zu units left, %u runs, %.1f s%s", pr->tty ? "\r" : "",
		s->rounds, s->units_left, s->units_total, s->runs, s->elapsed, pr->tty ? "\033[K" : "\n");
}

int cmd_minimise(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "check", required_argument, NULL, 'c' },
		{ "budget", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	struct sc_minimise_options mo = { .budget = 300 };
	struct sc_minimise_stats st = { 0 };
	struct progress pr = { isatty(2), 0 };
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };
	const char *out = NULL;
	char *toml = NULL, *text = NULL, *end;
	size_t len = 0;
	int c, rc, r;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:c:b:qh", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'o': out = optarg; break;
		case 'c': mo.check = optarg; break;
		case 'b':
			mo.budget = strtod(optarg, &end);
			if (*end || end == optarg || mo.budget <= 0) {
				cli_error("--budget takes a number of seconds above 0, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'q': cli_quiet = true; break;
		case 'h':
			printf("usage: %s\n\n"
			       "Remove what the command does not need from the policy, by delta debugging\n"
			       "(ddmin) over the names its rules list: a group as one unit first, then its\n"
			       "members when the group has to stay. Each candidate is compiled in memory and\n"
			       "the command run under it (standard input and error /dev/null); a removal is\n"
			       "kept when the check passes. The result is never larger (compiled rules) and\n"
			       "passed a final run; it is written as TOML.\n\n"
			       "  -o, --output <file>  where the result goes (written atomically); required\n"
			       "  -c, --check <script> `sh -c SCRIPT` decides instead (exit 0: passes), with the\n"
			       "                       command's standard output on its standard input and its\n"
			       "                       exit status in $SECCOMPOSE_STATUS (default: the same\n"
			       "                       standard output and exit status as under the policy)\n"
			       "  -b, --budget <s>     seconds, then the best so far is written (default 300)\n"
			       "  -q, --quiet          no progress line and no policy warnings\n" CLI_POLICY_HELP
			       "\nThe command follows `--`. Exit status: 0 written (the budget may have run out:\n"
			       "it says so), 1 the command cannot run or the check fails under the policy\n"
			       "already, or the output cannot be written, 2 usage, 3 invalid policy.\n",
			       usage_line);
			return EXIT_OK;
		default:
			return cli_usage_error("minimise", usage_line);
		}
	}
	if (argc - optind < 2 || !out)
		return cli_usage_error("minimise", usage_line);
	if ((rc = sc_file_output_check(out)) < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-rc));
		return EXIT_FAIL;
	}
	mo.argv = argv + optind + 1;
	if (!cli_quiet) {
		mo.progress = show_progress;
		mo.data = &pr;
	}
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc != EXIT_OK)
		return rc;
	r = sc_policy_minimise(p, &mo, &toml, &len, &st, &d);
	if (!cli_quiet && pr.tty && st.runs)
		fputc('\n', stderr);
	if (r < 0) {
		sc_diag_print(&d, stderr);
		sc_policy_free(p);
		return r == -ECHILD || (r == -EINVAL && mo.check && d.line == 0) ? EXIT_FAIL : EXIT_POLICY;
	}
	/* A header saying what it was minimised from and for. */
	{
		FILE *m = open_memstream(&text, &len);
		fprintf(m, "# Minimised by `seccompose minimise` from %s (%zu compiled rules, now %zu)\n# for:",
			argv[optind], st.rules_before, st.rules_after);
		for (char *const *a = mo.argv; *a; a++)
			fprintf(m, " %s", *a);
		fprintf(m, "\n# checked by %s\n", mo.check ? mo.check : "the same standard output and exit status");
		fputs(toml, m);
		fclose(m);
	}
	if ((r = sc_file_write_atomic(out, text, len)) < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-r));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && !cli_quiet) {
		if (st.out_of_time)
			fprintf(stderr, "minimise: the budget (%g s) ran out: %s holds the best so far\n",
				mo.budget, out);
		if (st.fell_back)
			fprintf(stderr, "minimise: the result failed its final run (is the command "
					"deterministic?): %s is the original policy\n", out);
		fprintf(stderr, "minimise: %zu of %zu units kept, %zu compiled rules (from %zu), %u runs, %.1f s\n",
			st.units_left, st.units_total, st.rules_after, st.rules_before, st.runs, st.elapsed);
	}
	free(toml);
	free(text);
	sc_policy_free(p);
	return rc;
}
