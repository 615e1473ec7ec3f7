/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-run.c — `seccompose run`: a command under a policy.
 *
 * The policy is compiled before anything else happens, so a bad policy never starts the
 * command. Then seccompose installs the filter in its own process (no_new_privs first) and
 * execs the command: nothing unfiltered is left beside it. A parent kept only to wait would
 * be a process of the same user, outside the filter, whose memory the command could rewrite
 * through /proc/PPID/mem (opening it asks only ptrace_may_access, which a same-user dumpable
 * process passes, with no ptrace call for the filter to deny), and a second sender of every
 * terminal signal it forwarded. The exit status is therefore the command's own, as a shell
 * reports it: its code, 128+signal when killed (SIGSYS → 159).
 * What is decided before the filter exists keeps the shell's codes: 127 when the command is
 * not found, 126 when it cannot be executed.
 *
 * The rule for modes to come that must keep seccompose beside the command (recording through
 * ptrace, reporting what was denied): the supervisor stays out of the filtered program's
 * reach. It sets PR_SET_DUMPABLE to 0 before the child exists (a non-dumpable process's
 * /proc/PID/mem, environ and fds need CAP_SYS_PTRACE in its user namespace, and the filter
 * denies ptrace), hands the child no descriptor of its own (every fd O_CLOEXEC or closed
 * before exec), and forwards no terminal signal the child's process group already gets.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] = "seccompose run [-p <policy>] [<options>] [--] <command> [<arg>...]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Run a command under a policy. Without -p, the built-in `default` policy (a\n"
	       "container-like baseline written with groups: `seccompose explain builtin:default`\n"
	       "shows its rules, `seccompose compile builtin:default --format toml` its text).\n\n"
	       "Options go before the command: everything from the command's name on is the\n"
	       "command's own, as with env, nice or strace (`--` before it is optional).\n\n"
	       "  -p, --policy <file>   the policy (TOML or OCI JSON); '-' reads standard input\n"
	       "      --tsync           SECCOMP_FILTER_FLAG_TSYNC (all threads)\n"
	       "      --log             SECCOMP_FILTER_FLAG_LOG (log what is not allowed)\n"
	       "      --spec-allow      SECCOMP_FILTER_FLAG_SPEC_ALLOW\n"
	       "      --no-new-privs-off  do not set no_new_privs (needs CAP_SYS_ADMIN)\n"
	       "  -q, --quiet           no warnings\n"
	       CLI_POLICY_HELP
	       "\nExit status: the command's; 128+N when signal N killed it (159 for SIGSYS);\n"
	       "126 when it cannot be executed, 127 when it is not found; 3 for an invalid policy.\n",
	       usage_line);
}

/* PATH search as execvp does it, so "not found" (127) and "not executable" (126) are told
 * apart before the filter exists. */
static int find_command(const char *cmd, char *ret, size_t len)
{
	const char *path = getenv("PATH");
	int err = ENOENT;

	if (strchr(cmd, '/')) {
		size_t n = strlen(cmd);
		if (n >= len)
			return ENAMETOOLONG;
		memcpy(ret, cmd, n + 1);
		return access(cmd, X_OK) == 0 ? 0 : errno;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		struct stat st;
		snprintf(ret, len, "%.*s/%s", (int)n, n ? p : ".", cmd);
		if (stat(ret, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(ret, X_OK) == 0)
				return 0;
			err = EACCES;
		}
		p += n + (p[n] == ':');
	}
	return err;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "tsync", no_argument, NULL, 'T' },
		{ "log", no_argument, NULL, 'L' },
		{ "spec-allow", no_argument, NULL, 'S' },
		{ "no-new-privs-off", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const char *policy = NULL;
	unsigned flags = 0;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char path[4096];
	int c, rc, err;
	uint64_t zero[6] = { 0 };
	const struct sc_syscall *execve_sys;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "+p:qh", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'p': policy = optarg; break;
		case 'T': flags |= SC_FILTER_TSYNC; break;
		case 'L': flags |= SC_FILTER_LOG; break;
		case 'S': flags |= SC_FILTER_SPEC_ALLOW; break;
		case 'N': flags |= SC_FILTER_NO_NNP; break;
		case 'q': cli_quiet = true; break;
		case 'h': help(); return EXIT_OK;
		default: return cli_usage_error("run", usage_line);
		}
	}
	if (optind >= argc)
		return cli_usage_error("run", usage_line);
	rc = cli_load_policy(policy, &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc != EXIT_OK) {
		sc_policy_free(p);
		return rc;
	}
	err = find_command(argv[optind], path, sizeof(path));
	if (err) {
		cli_error("cannot run '%s': %s", argv[optind], strerror(err));
		sc_filter_free(f);
		sc_policy_free(p);
		return err == ENOENT ? 127 : 126;
	}
	execve_sys = sc_syscall_lookup(sc_arch_native(), "execve");
	if (execve_sys) {
		struct sc_action a = sc_action_from_ret(sc_filter_eval(f, sc_arch_native(), execve_sys->nr, zero));
		if (!cli_quiet && a.type != SC_ACT_ALLOW && a.type != SC_ACT_LOG)
			fprintf(stderr, "seccompose: warning: the policy does not allow 'execve': '%s' "
					"cannot start under it\n", argv[optind]);
	}
	/* Landlock first: the filter may deny the Landlock calls. Where Landlock is missing the
	 * command still runs (the policy's filter is the larger part), with a warning saying what
	 * is left open; any other failure stops it, as a filter that cannot be installed does. */
	if (sc_policy_restricts_ptrace(p)) {
		err = sc_restrict_ptrace(flags);
		if (err == -ENOSYS || err == -EOPNOTSUPP) {
			if (!cli_quiet)
				fprintf(stderr, "seccompose: warning: the policy sets restrict_ptrace, but %s: "
						"'%s' can write into other processes of its user through "
						"/proc/PID/mem\n",
					err == -ENOSYS ? "this kernel has no Landlock ABI 2 (Linux 5.19 or later)"
						       : "Landlock is disabled on this kernel (not in its lsm= list)",
					argv[optind]);
		} else if (err < 0) {
			cli_error("cannot restrict ptrace access with Landlock: %s", strerror(-err));
			sc_filter_free(f);
			sc_policy_free(p);
			return 126;
		}
	}
	fflush(NULL);
	err = sc_filter_install(f, flags);
	if (err < 0) {
		/* Nothing is filtered yet: say so, and do not run the command unfiltered. */
		cli_error("cannot install the filter: %s", strerror(-err));
		sc_filter_free(f);
		sc_policy_free(p);
		return 126;
	}
	execv(path, argv + optind);
	/* From here on the filter applies to seccompose too: the message goes out only if the
	 * policy allows write on fd 2 (a denied execve usually leaves that allowed). No cleanup:
	 * free and exit handlers make calls the policy may deny. Even _exit is not plain here:
	 * sanitizer runtimes intercept it and map memory to check for leaks, which the filter
	 * refuses; exit_group itself is what every policy must allow for a process to end. */
	err = errno;
	cli_error("cannot execute '%s' under the policy: %s", argv[optind], strerror(err));
	syscall(SYS_exit_group, 126);
	_exit(126); /* not reached */
}
