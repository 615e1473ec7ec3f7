/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-intersect.c — `seccompose intersect`: the policy that allows only what every input
 * allows, as Kubernetes merges a pulled seccomp profile with the node's (KEP-6061).
 *
 * Inputs (TOML, OCI JSON, builtin:NAME) are loaded and compiled, sc_filter_intersect()
 * builds the intersection, an exporter writes it (TOML or OCI), checked to load back first,
 * atomically. --as-runtime also names the syscalls the runtimes' merge of the OCI JSON
 * denies wholly, and writes them denied, as the node will enforce them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose intersect <policy> <policy>... [-o <file>] [--format toml|oci] [--as-runtime]";

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The intersection @f in @format, checked to load back, written to @out (NULL: stdout). */
static int write_policy(const struct sc_filter *f, enum sc_format format, const char *out)
{
	struct sc_policy *back = NULL;
	struct sc_filter *back_f = NULL;
	struct sc_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int rc = EXIT_OK, r;

	if (sc_filter_export(f, format, &buf, &len, &d) < 0 ||
	    sc_policy_load_buffer(format == SC_FORMAT_OCI ? "<intersection>.json" : "<intersection>.toml",
				  buf, len, NULL, &back, &d) < 0 ||
	    sc_policy_compile(back, &back_f, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_POLICY;
	}
	cli_print_warnings(sc_filter_policy(f), 0);
	if (rc == EXIT_OK) {
		r = sc_file_write_atomic(out ? out : "-", buf, len);
		if (r < 0) {
			cli_error("cannot write '%s': %s", out ? out : "standard output", strerror(-r));
			rc = EXIT_FAIL;
		}
	}
	sc_filter_free(back_f);
	sc_policy_free(back);
	free(buf);
	return rc;
}

int cmd_intersect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "as-runtime", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const char *out = NULL;
	enum sc_format format = SC_FORMAT_TOML;
	bool format_given = false, as_runtime = false;
	struct sc_policy **p = NULL;
	struct sc_filter **f = NULL, *x = NULL;
	struct sc_diag d = { 0 };
	char **denied = NULL;
	size_t ndenied = 0;
	int c, n, r, rc = EXIT_OK;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:f:h", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'o': out = optarg; break;
		case 'f':
			if (!cli_parse_format("intersect", optarg, &format))
				return EXIT_USAGE;
			format_given = true;
			break;
		case 'R': as_runtime = true; break;
		case 'h':
			printf("usage: %s\n\n"
			       "The policy that allows only what every input allows (our TOML, OCI JSON,\n"
			       "builtin:NAME), as Kubernetes merges a pulled seccomp profile with the node's\n"
			       "(KEP-6061): per call, the most restrictive of the inputs' actions (KillProcess,\n"
			       "KillThread, Trap, Errno, Trace, Notify, Log, Allow; on a tie the first input's\n"
			       "errno); architectures and flags intersected; conditions ANDed, on one argument\n"
			       "index too (docs/policy-language.md, \"Intersecting\"). Checked to load, then\n"
			       "written (atomically).\n\n"
			       "  -o, --output <file>     where to write (default: standard output)\n"
			       "  -f, --format toml|oci   the output's format (default: from -o's extension,\n"
			       "                          else the first input's)\n"
			       "      --as-runtime        predict the runtimes' merge of the inputs' OCI JSON:\n"
			       "                          name on standard error each syscall it denies wholly\n"
			       "                          (conditions on one index that OCI cannot AND) and\n"
			       "                          write those denied (KillProcess), as the node will\n"
			       CLI_POLICY_HELP
			       "\nExit status: 0 written, 1 I/O error, 2 usage, 3 invalid policy or intersection.\n",
			       usage_line);
			return EXIT_OK;
		default: return cli_usage_error("intersect", usage_line);
		}
	}
	n = argc - optind;
	if (n < 2)
		return cli_usage_error("intersect", usage_line);
	if (out && (r = sc_file_output_check(out)) < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-r));
		return EXIT_FAIL;
	}
	p = calloc((size_t)n, sizeof(*p));
	f = calloc((size_t)n, sizeof(*f));
	if (!p || !f) {
		free(p);
		free(f);
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		rc = cli_load_policy(argv[optind + i], &lo, &p[i]);
		if (rc == EXIT_OK)
			rc = cli_compile(p[i], &f[i]);
	}
	if (rc == EXIT_OK && sc_filter_intersect(f, (size_t)n, as_runtime ? SC_INTERSECT_AS_RUNTIME : 0, &x,
						 &denied, &ndenied, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_POLICY;
	}
	for (size_t i = 0; i < ndenied; i++) {
		fprintf(stderr,
			"seccompose: warning: the runtime's merge denies %s wholly (KillProcess): its conditions "
			"on one argument index differ between entries, which OCI JSON cannot AND\n",
			denied[i]);
		free(denied[i]);
	}
	free(denied);
	if (rc == EXIT_OK) {
		if (!format_given)
			format = out && ends_with(out, ".json")   ? SC_FORMAT_OCI
				 : out && ends_with(out, ".toml") ? SC_FORMAT_TOML
								  : sc_policy_format(p[0]);
		rc = write_policy(x, format, out);
	}
	sc_filter_free(x);
	for (int i = 0; i < n; i++) {
		sc_filter_free(f[i]);
		sc_policy_free(p[i]);
	}
	free(f);
	free(p);
	return rc;
}
