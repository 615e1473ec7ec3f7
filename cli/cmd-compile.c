/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-compile.c — `seccompose compile`: a policy into the file a runtime or a person wants.
 * Outputs are written whole or not at all (sc_file_write_atomic).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose compile [<options>] <policy> [-o <file>] [--format oci|toml|bpf|c|disasm]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Load a policy (our TOML or an OCI/Docker JSON profile), resolve it against the\n"
	       "catalog and compile it. Formats:\n"
	       "  oci     OCI runtime-spec linux.seccomp JSON (Docker, Podman, runc, crun, Kubernetes);\n"
	       "          `json` names it too\n"
	       "  toml    our TOML (loads back to the same rule set)\n"
	       "  bpf     raw struct sock_filter array (bwrap --seccomp FD)\n"
	       "  c       a C array with a struct sock_fprog\n"
	       "  disasm  a readable disassembly (the default)\n\n"
	       "  -o, --output <file>   write here (atomically) instead of standard output\n"
	       "  -f, --format <fmt>    output format\n"
	       CLI_POLICY_HELP
	       "\nExit status: 0 ok, 1 I/O error, 2 usage, 3 invalid policy.\n",
	       usage_line);
}

int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	enum sc_format format = SC_FORMAT_DISASM;
	const char *out = NULL;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int c, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:f:h", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (!cli_parse_format("compile", optarg, &format))
				return EXIT_USAGE;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_usage_error("compile", usage_line);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("compile", usage_line);
	/* A missing directory or a directory given as -o is said before any work. */
	if (out && (rc = sc_file_output_check(out)) < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-rc));
		return EXIT_FAIL;
	}
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc == EXIT_OK && sc_filter_export(f, format, &buf, &len, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_POLICY;
	}
	if (rc == EXIT_OK) {
		if (out) {
			int r = sc_file_write_atomic(out, buf, len);
			if (r < 0) {
				cli_error("cannot write '%s': %s", out, strerror(-r));
				rc = EXIT_FAIL;
			}
		} else if (format == SC_FORMAT_BPF && isatty(STDOUT_FILENO)) {
			cli_error("refusing to write binary BPF to a terminal; use -o <file>");
			rc = EXIT_USAGE;
		} else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error("cannot write to standard output");
			rc = EXIT_FAIL;
		}
	}
	free(buf);
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
