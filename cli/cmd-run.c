/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-run.c — `seccompose run`: a command under a policy.
 *
 * The policy is compiled before anything else happens, so a bad policy never starts the
 * command. A child installs the filter (no_new_privs first) and execs; the parent waits and
 * returns the child's status the way a shell would: its exit code, 128+signal when killed
 * (SIGSYS → 159), 126 when it cannot be executed, 127 when it is not found.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

static volatile pid_t child_pid;

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
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
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sc_load_options lo = { 0 };
	const char *policy = NULL;
	unsigned flags = 0;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char path[4096];
	int c, rc, status, err, pipefd[2];
	uint64_t zero[6] = { 0 };
	const struct sc_syscall *execve_sys;
	pid_t pid;

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
		case 'q': break;
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
		if (a.type != SC_ACT_ALLOW && a.type != SC_ACT_LOG)
			fprintf(stderr, "seccompose: warning: the policy does not allow 'execve': '%s' "
					"cannot start under it\n", argv[optind]);
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		cli_error("pipe: %s", strerror(errno));
		return EXIT_FAIL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_error("fork: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (pid == 0) {
		int e;
		close(pipefd[0]);
		e = sc_filter_install(f, flags);
		if (e < 0) {
			/* Nothing is filtered yet: report and stop. */
			int code = -e;
			if (write(pipefd[1], &code, sizeof(code)) < 0)
				_exit(126);
			_exit(126);
		}
		execv(path, argv + optind);
		e = errno;
		/* The write may itself be denied by the filter; then the parent says less. */
		e = -(e + 10000);
		if (write(pipefd[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(126);
	}
	close(pipefd[1]);
	child_pid = pid;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		signal(forwarded[i], forward);
	{
		int code = 0;
		ssize_t n = read(pipefd[0], &code, sizeof(code));
		close(pipefd[0]);
		if (n == (ssize_t)sizeof(code) && code > 0)
			cli_error("cannot install the filter: %s", strerror(code));
		else if (n == (ssize_t)sizeof(code) && code < 0)
			cli_error("cannot execute '%s' under the policy: %s", argv[optind],
				  strerror(-code - 10000));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			cli_error("waitpid: %s", strerror(errno));
			return EXIT_FAIL;
		}
	sc_filter_free(f);
	sc_policy_free(p);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
