/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-compile.c — `seccompose compile`: a policy into the file a runtime or a person wants.
 * Outputs are written whole or not at all (sc_file_write_atomic).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose compile [<options>] <policy> [-o <file>] [--format oci|toml|bpf|c|disasm|spo] [--name <name>] [--runtime <runtime>]\n"
	"       seccompose compile [<options>] <policy> --format oci-artifact -o <dir>\n"
	"       (<options> include --arch <arch>,<arch>...)";

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
	       "  disasm  a readable disassembly (the default)\n"
	       "  spo     a Security Profiles Operator SeccompProfile (YAML, cluster-scoped)\n"
	       "  oci-artifact  the OCI JSON as a KEP-6061 seccomp profile artifact, in an OCI image\n"
	       "          layout directory (-o, new or empty) for `skopeo copy oci:DIR docker://…`\n\n"
	       "  -o, --output <file>   write here (atomically) instead of standard output\n"
	       "  -f, --format <fmt>    output format\n"
	       "      --name <name>     spo: metadata.name (default: from the policy's file name)\n"
	       "      --runtime <r>     also allow what container runtime r (runc, crun, podman,\n"
	       "                        docker, containerd) calls under the filter before the\n"
	       "                        entrypoint (measured: data/runtime-baselines/)\n"
	       "      --arch <a,b,...>  compile for these ABIs instead of the policy's own (by syscall\n"
	       "                        and argument name; what a target lacks is listed)\n"
	       CLI_POLICY_HELP
	       "\nExit status: 0 ok, 1 I/O error, 2 usage, 3 invalid policy.\n",
	       usage_line);
}

/* --runtime: what @runtime calls under the container's filter before the entrypoint, allowed
 * in @p (NULL: only check that the runtime is known, before any work). */
static int add_runtime(struct sc_policy *p, const char *runtime)
{
	const char **calls = NULL;
	struct sc_diag d = { 0 };

	if (!runtime)
		return EXIT_OK;
	if (p ? sc_policy_add_runtime_baseline(p, runtime, &d) < 0
	      : sc_runtime_baseline(runtime, &calls, NULL, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_USAGE;
	}
	free(calls);
	return EXIT_OK;
}

/* --arch: the ABIs to compile for instead of the policy's own (none: the policy's). */
struct arch_targets {
	const struct sc_arch *arches[64];
	size_t n;
};

/* @p retargeted at @t's ABIs, the notes said; an exit status. */
static int retarget(struct sc_policy *p, const struct arch_targets *t)
{
	struct sc_diag d = { 0 };
	size_t before = sc_policy_warning_count(p);
	int r = t->n ? sc_policy_retarget(p, t->arches, t->n, &d) : 0;

	cli_print_warnings(p, before);
	if (r < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_POLICY;
	}
	return EXIT_OK;
}

/* --format oci-artifact: a directory, not a stream. */
static int compile_artifact(const char *policy, const struct sc_load_options *lo, const char *runtime,
			    const char *dir, const struct arch_targets *targets)
{
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	int rc, r;

	if (!dir || strcmp(dir, "-") == 0) {
		cli_error("--format oci-artifact writes a directory: give it with -o <dir>");
		return EXIT_USAGE;
	}
	rc = cli_load_policy(policy, lo, &p);
	if (rc == EXIT_OK)
		rc = retarget(p, targets);
	if (rc == EXIT_OK)
		rc = add_runtime(p, runtime);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc == EXIT_OK) {
		size_t before = sc_policy_warning_count(sc_filter_policy(f));
		r = sc_filter_export_dir(f, SC_FORMAT_OCI_ARTIFACT, dir, &d);
		/* what the export added: the Kubernetes formats' CRD or runtime changes what the
		 * policy says (no defaultErrnoRet) */
		cli_print_warnings(sc_filter_policy(f), before);
		if (r < 0) {
			sc_diag_print(&d, stderr);
			rc = r == -EINVAL ? EXIT_POLICY : EXIT_FAIL;
		}
	}
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}

int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 0x200 },
		{ "runtime", required_argument, NULL, 0x300 },
		{ "arch", required_argument, NULL, 0x2a0 },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	struct arch_targets targets = { 0 };
	enum sc_format format = SC_FORMAT_DISASM;
	struct sc_export_options eo = { 0 };
	const char *out = NULL, *runtime = NULL;
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
		case 0x200:
			eo.name = optarg;
			break;
		case 0x300:
			runtime = optarg;
			break;
		case 0x2a0:
			targets.n = cli_parse_arch_list(optarg, targets.arches, 64);
			if (!targets.n)
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
	if (eo.name && format != SC_FORMAT_SPO) {
		cli_error("--name is for --format spo");
		return EXIT_USAGE;
	}
	if (eo.name && sc_spo_name_check(eo.name, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_USAGE;
	}
	if (format == SC_FORMAT_OCI_ARTIFACT)
		return compile_artifact(argv[optind], &lo, runtime, out, &targets);
	/* A missing directory or a directory given as -o is said before any work. */
	if (out && (rc = sc_file_output_check(out)) < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-rc));
		return EXIT_FAIL;
	}
	if (runtime && (rc = add_runtime(NULL, runtime)) != EXIT_OK)
		return rc;
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_OK)
		rc = retarget(p, &targets);
	if (rc == EXIT_OK)
		rc = add_runtime(p, runtime);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc == EXIT_OK) {
		size_t before = sc_policy_warning_count(sc_filter_policy(f));
		int r = sc_filter_export_with(f, format, &eo, &buf, &len, &d);
		if (format == SC_FORMAT_SPO) /* as for the artifact above */
			cli_print_warnings(sc_filter_policy(f), before);
		if (r < 0) {
			sc_diag_print(&d, stderr);
			rc = EXIT_POLICY;
		}
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
