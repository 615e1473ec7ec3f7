/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-run.c — `seccompose run`: a command under a policy.
 *
 * The policy is compiled before anything else happens, so a bad policy never starts the
 * command; a built-in policy was compiled when seccompose was built (builtin-programs.h),
 * and its program is used as it is when nothing asks for another compile. Then seccompose
 * installs the filter in its own process (no_new_privs first) and
 * execs the command: nothing unfiltered is left beside it. A parent kept only to wait would
 * be a process of the same user, outside the filter, whose memory the command could rewrite
 * through /proc/PPID/mem (opening it asks only ptrace_may_access, which a same-user dumpable
 * process passes, with no ptrace call for the filter to deny), and a second sender of every
 * terminal signal it forwarded. The exit status is therefore the command's own, as a shell
 * reports it: its code, 128+signal when killed (SIGSYS → 159).
 * What is decided before the filter exists keeps the shell's codes: 127 when the command is
 * not found, 126 when it cannot be executed.
 *
 * --report and --learn keep seccompose beside the command as its supervisor (lib/api/
 * supervise.c: the policy's Errno answers come from a notification listener it holds),
 * under the rule every mode that stays beside the command keeps: the supervisor stays out
 * of the filtered program's reach. It sets PR_SET_DUMPABLE to 0 before the child exists (a
 * non-dumpable process's /proc/PID/mem, environ and fds need CAP_SYS_PTRACE in its user
 * namespace), the child takes the policy's Landlock ptrace scope (restrict_ptrace) before
 * its filter, it hands the child no descriptor of its own (the listener is O_CLOEXEC), and
 * it forwards no terminal signal the child's process group already gets (it ignores SIGINT
 * and SIGQUIT while the command runs). Should the command kill it anyway, the calls it
 * answered fail with ENOSYS from then on: never succeed.
 * --report is on by default when standard error is a terminal (-q turns it off); where the
 * kernel has no SECCOMP_RET_USER_NOTIF, `run` says so once and runs as without it.
 */
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin-programs.h"
#include "cli.h"

static const char usage_line[] =
	"seccompose run [-p <policy>] [--report | --learn -o <new-policy>] [<options>] [--] <command> [<arg>...]";

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
	       "      --report          say on standard error what the policy denies, as strace\n"
	       "                        prints the call, the rule that decided, and counts at exit\n"
	       "                        (the default when standard error is a terminal)\n"
	       "      --learn           let through what the policy denies with Errno and write\n"
	       "                        the policy widened by exactly those calls to -o\n"
	       "  -o, --output <file>   --learn: where the widened policy goes\n"
	       "  -q, --quiet           no warnings, no report\n"
	       CLI_POLICY_HELP
	       "\nKill and Trap actions stay in the kernel: --report names them from the exit status.\n"
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

/* @cmd's path in @ret, or its exit code said on standard error: 127 when it is not found,
 * 126 when it cannot be executed. */
static int locate(const char *cmd, char *ret, size_t len)
{
	int err = find_command(cmd, ret, len);

	if (!err)
		return 0;
	cli_error("cannot run '%s': %s", cmd, strerror(err));
	return err == ENOENT ? 127 : 126;
}

/* Landlock missing or disabled: the command runs under the filter alone; say what is open. */
static void warn_ptrace_scope(int err, void *cmd)
{
	if (!cli_quiet)
		fprintf(stderr, "seccompose: warning: the policy sets restrict_ptrace, but %s: "
				"'%s' can write into other processes of its user through "
				"/proc/PID/mem\n",
			err == -ENOSYS ? "this kernel has no Landlock ABI 2 (Linux 5.19 or later)"
				       : "Landlock is disabled on this kernel (not in its lsm= list)",
			(const char *)cmd);
}

/* A wait status as a shell reports it. */
static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 126;
}

/* The command under a supervisor (--report, --learn). Returns the exit code, or -1 when
 * supervising failed before the command started (the caller may run it unsupervised). */
static int run_supervised(struct sc_policy *p, struct sc_filter *f, enum sc_supervise_mode mode,
			  bool fallback, unsigned flags, const char *out, const char *path,
			  char **argv)
{
	struct sc_supervise_options o = {
		.mode = mode,
		.flags = flags,
		.out = cli_quiet ? NULL : stderr,
		.ptrace_scope_missing = warn_ptrace_scope,
		.ctx = argv[0],
	};
	struct sc_supervision *s = NULL;
	struct sc_diag d = { 0 };
	int status = 0, r, rc;
	char *buf = NULL;
	size_t len = 0;

	r = sc_supervise_command(f, path, argv, &o, &s, &status, &d);
	if (r < 0 && !s) {
		if (fallback) {
			if (!cli_quiet)
				fprintf(stderr, "seccompose: note: no report: %s\n", d.message);
			return -1;
		}
		sc_diag_print(&d, stderr);
		return 126;
	}
	if (r == -ENOEXEC)
		sc_diag_print(&d, stderr);
	rc = exit_code(status);
	if (!cli_quiet)
		sc_supervision_summary(s, stderr);
	if (mode == SC_SUPERVISE_LEARN) {
		r = sc_supervision_widen(s, p, f, &buf, &len, &d);
		if (r == 0)
			r = sc_file_write_atomic(out, buf, len);
		else
			sc_diag_print(&d, stderr);
		if (r == 0 && !cli_quiet)
			fprintf(stderr, "seccompose: %zu rule%s learned into '%s'\n", sc_supervision_learned(s),
				sc_supervision_learned(s) == 1 ? "" : "s", out);
		else if (r != -EINVAL)
			cli_error("cannot write '%s': %s", out, strerror(-r));
		free(buf);
		if (r < 0 && rc == 0)
			rc = EXIT_FAIL;
	}
	sc_supervision_free(s);
	return rc;
}

/* The program the build compiled from built-in policy @name (NULL: not a built-in one),
 * when nothing asks for another compile: no load option, this machine's ABI (the one it was
 * compiled for). NULL otherwise: then the policy is loaded and compiled. */
static const struct builtin_program *prebuilt(const char *name, const struct sc_load_options *lo)
{
	/* every option is checked below: one added after weights_file must be too */
	_Static_assert(offsetof(struct sc_load_options, weights_file) + sizeof(const char *) ==
			       sizeof(struct sc_load_options),
		       "prebuilt(): a new load option must send run to the compile path");
	const struct sc_arch *native = sc_arch_native();

	if (!name || lo->flags || lo->groups_file ||
	    lo->caps || lo->kernel || lo->native_arch || lo->enosys_after || lo->weights_file)
		return NULL;
	/* The library a dynamic command loads may be another than it was built with. */
	if (!native || strcmp(builtin_programs_version, sc_version()) != 0)
		return NULL;
	for (const struct builtin_program *const *b = builtin_programs; *b; b++)
		if (strcmp((*b)->name, name) == 0)
			return (*b)->audit_arch == native->audit_arch ? *b : NULL;
	return NULL;
}

int cli_print_builtin_program(const char *name)
{
	static const struct sc_load_options none = { 0 };
	const struct builtin_program *b = prebuilt(name, &none);

	if (!b || fwrite(b->prog, sizeof(*b->prog), b->len, stdout) != b->len || fflush(stdout) != 0)
		return EXIT_FAIL;
	return EXIT_OK;
}

/* Warn when @prog would stop the command at its own execve. */
static void check_execve(const void *prog, size_t len, const char *cmd)
{
	const struct sc_syscall *execve_sys = sc_syscall_lookup(sc_arch_native(), "execve");
	uint64_t zero[6] = { 0 };
	struct sc_action a;

	if (!execve_sys || cli_quiet)
		return;
	a = sc_action_from_ret(sc_program_eval(prog, len, sc_arch_native(), execve_sys->nr, zero));
	if (a.type != SC_ACT_ALLOW && a.type != SC_ACT_LOG)
		fprintf(stderr, "seccompose: warning: the policy does not allow 'execve': '%s' "
				"cannot start under it\n", cmd);
}

/* The end of every unsupervised run: Landlock's ptrace scope when asked for, the program
 * with the command line's @flags and the policy's @policy_flags, then the command in this
 * process. Returns only on failure (an exit code). */
static int start(const void *prog, size_t len, unsigned flags, unsigned policy_flags,
		 bool restrict_ptrace, const char *path, char **argv)
{
	int err;

	/* Landlock first: the filter may deny the Landlock calls. Where Landlock is missing the
	 * command still runs (the policy's filter is the larger part), with a warning saying what
	 * is left open; any other failure stops it, as a filter that cannot be installed does. */
	if (restrict_ptrace) {
		err = sc_restrict_ptrace(flags);
		if (err == -ENOSYS || err == -EOPNOTSUPP) {
			warn_ptrace_scope(err, argv[0]);
		} else if (err < 0) {
			cli_error("cannot restrict ptrace access with Landlock: %s", strerror(-err));
			return 126;
		}
	}
	fflush(NULL);
	err = sc_program_install(prog, len, flags | policy_flags);
	if (err < 0) {
		/* Nothing is filtered yet: say so, and do not run the command unfiltered. */
		cli_error("cannot install the filter: %s", strerror(-err));
		return 126;
	}
	execv(path, argv);
	/* From here on the filter applies to seccompose too: the message goes out only if the
	 * policy allows write on fd 2 (a denied execve usually leaves that allowed). No cleanup:
	 * free and exit handlers make calls the policy may deny. Even _exit is not plain here:
	 * sanitizer runtimes intercept it and map memory to check for leaks, which the filter
	 * refuses; exit_group itself is what every policy must allow for a process to end. */
	err = errno;
	cli_error("cannot execute '%s' under the policy: %s", argv[0], strerror(err));
	syscall(SYS_exit_group, 126);
	_exit(126); /* not reached */
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
		{ "report", no_argument, NULL, 'R' },
		{ "learn", no_argument, NULL, 'E' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const char *policy = NULL, *out = NULL;
	unsigned flags = 0;
	bool report = false, learn = false;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	char path[4096];
	int c, rc, err;
	bool supervise;
	const char *builtin = NULL;
	const struct builtin_program *pre;
	const void *prog;
	size_t len;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "+p:o:qh", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'p': policy = optarg; break;
		case 'T': flags |= SC_FILTER_TSYNC; break;
		case 'L': flags |= SC_FILTER_LOG; break;
		case 'S': flags |= SC_FILTER_SPEC_ALLOW; break;
		case 'N': flags |= SC_FILTER_NO_NNP; break;
		case 'q': cli_quiet = true; break;
		case 'R': report = true; break;
		case 'E': learn = true; break;
		case 'o': out = optarg; break;
		case 'h': help(); return EXIT_OK;
		default: return cli_usage_error("run", usage_line);
		}
	}
	if (optind >= argc || (report && learn) || (learn && !out) || (out && !learn))
		return cli_usage_error("run", usage_line);
	if (out && (err = sc_file_output_check(out)) < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-err));
		return EXIT_FAIL;
	}
	supervise = learn || report || (!cli_quiet && isatty(STDERR_FILENO));
	/* -p builtin:NAME, or no -p: the default */
	if (!policy)
		builtin = "default";
	else if (strncmp(policy, "builtin:", 8) == 0)
		builtin = policy + 8;
	pre = supervise ? NULL : prebuilt(builtin, &lo);
	if (pre) {
		/* Nothing to parse or compile: the build did it (cli/builtin-programs.h). */
		rc = locate(argv[optind], path, sizeof(path));
		if (rc)
			return rc;
		check_execve(pre->prog, pre->len, argv[optind]);
		return start(pre->prog, pre->len, flags, pre->flags, pre->restrict_ptrace, path,
			     argv + optind);
	}
	rc = cli_load_policy(policy, &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc != EXIT_OK) {
		sc_policy_free(p);
		return rc;
	}
	rc = locate(argv[optind], path, sizeof(path));
	if (rc) {
		sc_filter_free(f);
		sc_policy_free(p);
		return rc;
	}
	prog = sc_filter_program(f, &len);
	check_execve(prog, len, argv[optind]);
	if (supervise) {
		enum sc_supervise_mode mode = learn ? SC_SUPERVISE_LEARN : SC_SUPERVISE_REPORT;
		if (sc_supervise_available(mode) == 0) {
			rc = run_supervised(p, f, mode, !learn && !report, flags, out, path, argv + optind);
			if (rc >= 0) {
				sc_filter_free(f);
				sc_policy_free(p);
				return rc;
			}
		} else if (learn) {
			cli_error("this kernel cannot learn: it lacks SECCOMP_RET_USER_NOTIF with "
				  "CONTINUE (Linux 5.5)");
			sc_filter_free(f);
			sc_policy_free(p);
			return 126;
		} else if (!cli_quiet) {
			fprintf(stderr, "seccompose: note: this kernel has no SECCOMP_RET_USER_NOTIF "
					"(Linux 5.0): running without a report\n");
		}
	}
	rc = start(prog, len, flags, sc_policy_flags(p), sc_policy_restricts_ptrace(p), path,
		   argv + optind);
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
