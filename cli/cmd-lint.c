/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-lint.c — `seccompose lint`: what a policy lets through or breaks that it probably did
 * not mean to (sc_filter_lint, lib/api/lint.c), as compiler warnings or a JSON array.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

static const char usage_line[] = "seccompose lint [<options>] [--runtime <runtime>] [--json] <policy>";

static void print_text(const struct sc_lint_finding *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_diag *d = &v[i].diag;
		printf("%s:%u:%u: warning: %s (%s)\n", d->file, d->line, d->col, d->message, v[i].id);
		if (d->hint[0])
			printf("hint: %s\n", d->hint);
	}
}

static void print_json(const struct sc_lint_finding *v, size_t n)
{
	fputs("[", stdout);
	for (size_t i = 0; i < n; i++) {
		const struct sc_diag *d = &v[i].diag;
		fputs(i ? ",\n  {" : "\n  {", stdout);
		fputs("\"id\": ", stdout);
		cli_json_string(stdout, v[i].id);
		fputs(", \"file\": ", stdout);
		cli_json_string(stdout, d->file);
		printf(", \"line\": %u, \"col\": %u, \"message\": ", d->line, d->col);
		cli_json_string(stdout, d->message);
		fputs(", \"hint\": ", stdout);
		cli_json_string(stdout, d->hint);
		fputs("}", stdout);
	}
	fputs(n ? "\n]\n" : "]\n", stdout);
}

int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runtime", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_lint_finding *v = NULL;
	struct sc_diag d = { 0 };
	const char *runtime = NULL;
	bool json = false;
	size_t n = 0;
	int c, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'r': runtime = optarg; break;
		case 'j': json = true; break;
		case 'h':
			printf("usage: %s\n\n"
			       "Report what the policy lets through or breaks that it probably did not mean\n"
			       "to, each at the rule concerned (file:line:col) with what to do:\n"
			       "  bypass            a call denied while a sibling doing the same is allowed\n"
			       "                    (openat/open/openat2, clone/clone3, execve/execveat …)\n"
			       "  other-abi         x32 or i386 calls reachable unfiltered through bad_arch_action\n"
			       "  no-exit           exit, exit_group or rt_sigreturn denied\n"
			       "  no-abort          rt_sigprocmask or tgkill denied: abort() cannot raise SIGABRT\n"
			       "  io-uring          io_uring allowed while file or socket calls are restricted\n"
			       "  enosys-fallback   clone3, openat2, statx … denied with another errno than\n"
			       "                    ENOSYS while the call libc falls back to is allowed\n"
			       "  multiplexed       socketcall/ipc (i386 …) let through a call restricted by\n"
			       "                    its arguments, which they hide\n"
			       "  memory-bypass     PROT_EXEC restricted in mmap/mprotect while pkey_mprotect,\n"
			       "                    ptrace, process_vm_writev or pidfd_getfd is allowed\n"
			       "  shadowed, no-effect, never-matches\n"
			       "                    rules that never decide\n"
			       "  oci-size, oci-entries, oci-export\n"
			       "                    over the Kubernetes OCI-artifact limits (1 MiB, 128\n"
			       "                    entries for one syscall); with an OCI runtime, what the\n"
			       "                    OCI export cannot state\n"
			       "  spo-value         a value >= 2^63 a Kubernetes SeccompProfile cannot carry\n"
			       "  runtime-baseline  (--runtime) what the runtime needs to start the workload\n\n"
			       "Exit status: 0 when clean, 1 with findings, 2 usage, 3 invalid policy.\n\n"
			       "      --runtime <r>        runc, crun, podman, docker, containerd or seccompose\n"
			       "      --json               an array of {id, file, line, col, message, hint}\n"
			       CLI_POLICY_HELP,
			       usage_line);
			return EXIT_OK;
		default:
			return cli_usage_error("lint", usage_line);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("lint", usage_line);
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc == EXIT_OK && sc_filter_lint(f, runtime, &v, &n, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK) {
		if (json)
			print_json(v, n);
		else
			print_text(v, n);
		rc = n ? EXIT_FAIL : EXIT_OK;
	}
	free(v);
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
