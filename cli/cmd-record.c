/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-record.c — `seccompose record`: watch a program (or read Falco's output) and write a
 * least-privilege policy; `seccompose merge`: combine policies (recordings) into one.
 *
 * Merging works on the policies, not their text: each input (TOML, OCI JSON, builtin:NAME)
 * is loaded and compiled, sc_filter_union() builds the union of the rule sets, and an
 * exporter writes it (TOML or OCI), checked to load back before it is written.
 * `record --append` is the same union of the file's policy and the new recording.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose record [-o <file>] [--format toml|oci] [--abstract] [--append] -- <command> [<arg>...]\n"
	"       seccompose record --from-falco <file> [--arch <arch>] [-o <file>] [--format toml|oci] [--abstract]\n"
	"       seccompose record --from-audit <file>|- [-o <file>] [--format toml|oci] [--abstract]\n"
	"       seccompose record --ebpf [-o <file>] [--format toml|oci] [--abstract] -- <command> [<arg>...]\n"
	"       seccompose record --cgroup <dir> [--duration <seconds>] [-o <file>] [--format toml|oci] [--abstract]\n"
	"       seccompose record --pid <pid> [--duration <seconds>] [-o <file>] [--format toml|oci] [--abstract]";
static const char merge_usage[] =
	"seccompose merge <policy> <policy>... -o <file> [--format toml|oci]";

/*
 * @s quoted as a POSIX shell reads it back as one word: bare when it is only safe
 * characters, '…' when printable ASCII, $'…' (bash, zsh, ksh and POSIX 2024) when it holds
 * control characters or bytes past ASCII. The result is printable ASCII either way, so it
 * can go into a comment without ending it.
 */
static void shell_quote(FILE *m, const char *s)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-";
	const unsigned char *p;
	bool printable = true;

	if (*s && strspn(s, safe) == strlen(s)) {
		fputs(s, m);
		return;
	}
	for (p = (const unsigned char *)s; *p; p++)
		printable &= *p >= 0x20 && *p < 0x7f;
	if (printable) {
		fputc('\'', m);
		for (p = (const unsigned char *)s; *p; p++)
			fputs(*p == '\'' ? "'\\''" : (char[]){ (char)*p, 0 }, m);
		fputc('\'', m);
		return;
	}
	fputs("$'", m);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			fputs("\\n", m);
		else if (*p == '\t')
			fputs("\\t", m);
		else if (*p == '\\' || *p == '\'')
			fprintf(m, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, m);
		else
			fprintf(m, "\\x%02x", *p);
	}
	fputc('\'', m);
}

/* @prefix then each of @argv shell-quoted, space-separated; malloc'd. */
static char *quoted_words(const char *prefix, char *const *argv, int n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (!m)
		return NULL;
	fputs(prefix, m);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(' ', m);
		shell_quote(m, argv[i]);
	}
	if (fclose(m) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* "toml" or "oci" (a recording or a merge is a policy: nothing else states one). */
/* The output's format: --format when given, else -o's extension, else @fallback. */
static enum sc_format output_format(const enum sc_format *given, const char *out,
				    enum sc_format fallback)
{
	if (given)
		return *given;
	if (out && ends_with(out, ".json"))
		return SC_FORMAT_OCI;
	if (out && ends_with(out, ".toml"))
		return SC_FORMAT_TOML;
	return fallback;
}

/* @buf to @out ("-" or none: standard output). */
static int write_out(const char *out, const char *buf, size_t len)
{
	int r;

	if (!out) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error("cannot write to standard output");
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	r = sc_file_write_atomic(out, buf, len);
	if (r < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-r));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Fail early, before any work, when @out cannot be written. */
static int check_output(const char *out)
{
	int r = out ? sc_file_output_check(out) : 0;

	if (r < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-r));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The loaded and compiled inputs of a merge. */
struct inputs {
	struct sc_policy **p;
	struct sc_filter **f;
	size_t n;
};

static void inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		sc_filter_free(in->f[i]);
		sc_policy_free(in->p[i]);
	}
	free(in->p);
	free(in->f);
	*in = (struct inputs){ 0 };
}

/* One more input: a policy loaded from @path (a file or `builtin:NAME`) or, without
 * @path, @p (a built one, which the inputs now own); then compiled. */
static int inputs_add(struct inputs *in, const char *path, struct sc_policy *p)
{
	size_t i = in->n;
	int rc = EXIT_OK;

	in->p = realloc(in->p, (i + 1) * sizeof(*in->p));
	in->f = realloc(in->f, (i + 1) * sizeof(*in->f));
	if (!in->p || !in->f) {
		cli_error("out of memory");
		sc_policy_free(p);
		return EXIT_FAIL;
	}
	in->p[i] = p;
	in->f[i] = NULL;
	in->n++;
	if (path)
		rc = cli_load_policy(path, NULL, &in->p[i]);
	if (rc == EXIT_OK)
		rc = cli_compile(in->p[i], &in->f[i]);
	return rc;
}

/* The union of @in in @format, checked to load back, into @ret_buf. */
static int union_text(const struct inputs *in, enum sc_format format, char **ret_buf, size_t *ret_len)
{
	struct sc_filter *u = NULL, *back_f = NULL;
	struct sc_policy *back = NULL;
	struct sc_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int rc = EXIT_OK;

	if (sc_filter_union(in->f, in->n, &u, &d) < 0 || sc_filter_export(u, format, &buf, &len, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_POLICY;
	}
	/* The formats state one rule list per syscall name for every ABI: say where ABIs differ. */
	for (size_t i = 0; u && i < sc_policy_warning_count(sc_filter_policy(u)); i++)
		sc_diag_print(sc_policy_warning(sc_filter_policy(u), i), stderr);
	/* What is written must load: a merge that cannot be read back is lost work. */
	if (rc == EXIT_OK &&
	    (sc_policy_load_buffer(format == SC_FORMAT_OCI ? "<merged>.json" : "<merged>.toml", buf, len,
				   NULL, &back, &d) < 0 ||
	     sc_policy_compile(back, &back_f, &d) < 0)) {
		sc_diag_print(&d, stderr);
		rc = EXIT_POLICY;
	}
	sc_filter_free(back_f);
	sc_policy_free(back);
	sc_filter_free(u);
	if (rc != EXIT_OK) {
		free(buf);
		return rc;
	}
	*ret_buf = buf;
	*ret_len = len;
	return EXIT_OK;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	enum sc_format given, *format = NULL;
	struct inputs in = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int c, n, rc = EXIT_OK;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:f:h", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f':
			if (!cli_parse_format("merge", optarg, &given))
				return EXIT_USAGE;
			format = &given;
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Combine policies (recordings of several runs; our TOML, OCI JSON profiles,\n"
			       "builtin:NAME) into their union: per architecture and syscall, a call is\n"
			       "allowed when any input allows it. A call no input allows gets the most\n"
			       "permissive non-Allow default among the inputs (Errno before Trap before\n"
			       "KillProcess; between two errnos the first input's); under an input whose\n"
			       "default is Allow the union's default is Allow (docs/policy-language.md,\n"
			       "\"Merging\"). The result is checked to load, then written (atomically).\n\n"
			       "  -o, --output <file>     where to write ('-': standard output)\n"
			       "  -f, --format toml|oci   the output's format (default: from -o's extension,\n"
			       "                          else the first input's)\n",
			       merge_usage);
			return EXIT_OK;
		default: return cli_usage_error("merge", merge_usage);
		}
	}
	n = argc - optind;
	if (n < 2 || !out)
		return cli_usage_error("merge", merge_usage);
	rc = check_output(out);
	for (int i = 0; i < n && rc == EXIT_OK; i++)
		rc = inputs_add(&in, argv[optind + i], NULL);
	if (rc == EXIT_OK)
		rc = union_text(&in, output_format(format, out, sc_policy_format(in.p[0])), &buf, &len);
	if (rc == EXIT_OK)
		rc = write_out(out, buf, len);
	free(buf);
	inputs_free(&in);
	return rc;
}

/*
 * The eBPF recorder's sources (--ebpf, --cgroup, --pid, --duration), kept together: `record
 * --cgroup`/`--pid` watch what runs already until SIGINT/SIGTERM/SIGHUP, --duration, or the
 * workload ends.
 */
struct watch_opts {
	bool ebpf;              /* --ebpf: the command runs in a cgroup of its own */
	const char *cgroup;     /* --cgroup DIR */
	pid_t pid;              /* --pid PID */
	double duration;        /* --duration S (0: none) */
};

static volatile sig_atomic_t watch_stop;

static void on_watch_stop(int sig)
{
	watch_stop = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What `--cgroup`/`--pid` records, for the header comment and messages; malloc'd. */
static char *watched_name(const struct watch_opts *wo)
{
	char comm[64] = "", path[64], *out = NULL;
	FILE *f;

	if (wo->cgroup)
		return quoted_words("cgroup ", (char *const *)&wo->cgroup, 1);
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)wo->pid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	if (asprintf(&out, "process %d%s%s%s", (int)wo->pid, comm[0] ? " (" : "", comm,
		     comm[0] ? ")" : "") < 0)
		return NULL;
	return out;
}

/* --pid of a process the eBPF recorder cannot single out, or where it cannot run: ptrace. */
static int record_attached(struct sc_recording *rec, const struct watch_opts *wo, const char *name,
			   const struct sc_diag *why)
{
	struct sc_diag d = { 0 };

	fprintf(stderr, "seccompose: %s: recording %s with ptrace instead (PTRACE_SEIZE; slower) "
			"until it exits%s (SIGINT or SIGTERM ends it)\n",
		why->message, name, wo->duration > 0 ? " or for --duration" : "");
	if (sc_record_attach(rec, wo->pid, wo->duration, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Record what runs in --cgroup or as --pid into @rec, until told to stop. */
static int record_watched(struct sc_recording *rec, const struct watch_opts *wo, const char *name)
{
	struct sigaction sa = { .sa_handler = on_watch_stop }, old[3];
	static const int stops[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sc_watch_target t = { .cgroup_dir = wo->cgroup, .pid = wo->pid };
	char real[PATH_MAX];
	struct sc_watch *w = NULL;
	struct sc_diag d = { 0 };
	double end = wo->duration > 0 ? now_s() + wo->duration : 0;
	int id, rc = EXIT_OK;

	/* A relative directory is the user's: `--cgroup .` from inside one. */
	if (wo->cgroup && wo->cgroup[0] != '/' && realpath(wo->cgroup, real))
		t.cgroup_dir = real;
	if (sc_watch_new(&w, &d) < 0) {
		if (wo->pid)
			return record_attached(rec, wo, name, &d);
		sc_diag_print(&d, stderr);
		return EXIT_FAIL;
	}
	id = sc_watch_add(w, &t, &d);
	if (id < 0) {
		sc_watch_free(w);
		if (id == -EBUSY)
			return record_attached(rec, wo, name, &d);
		sc_diag_print(&d, stderr);
		return EXIT_FAIL;
	}
	watch_stop = 0;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &sa, &old[i]); /* no SA_RESTART: the poll returns */
	fprintf(stderr, "seccompose: recording %s until %s%s%s (SIGINT or SIGTERM ends it)\n", name,
		wo->cgroup ? "the cgroup is empty" : "the process exits",
		wo->duration > 0 ? " or for " : "", wo->duration > 0 ? "--duration" : "");
	while (!watch_stop) {
		int n = sc_watch_poll(w, 200);
		if (n < 0 && n != -EINTR) {
			cli_error("recording %s: %s", name, strerror(-n));
			rc = EXIT_FAIL;
			break;
		}
		if (sc_watch_done(w, id) || (end > 0 && now_s() >= end))
			break;
	}
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &old[i], NULL);
	sc_watch_poll(w, 0);
	if (rc == EXIT_OK && sc_watch_take(w, id, rec) < 0)
		rc = EXIT_FAIL;
	sc_watch_free(w);
	return rc;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "abstract", no_argument, NULL, 'A' },
		{ "append", no_argument, NULL, 'a' },
		{ "from-falco", required_argument, NULL, 'F' },
		{ "from-audit", required_argument, NULL, 'U' },
		{ "arch", required_argument, NULL, 'r' },
		{ "ebpf", no_argument, NULL, 'E' },
		{ "cgroup", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'P' },
		{ "duration", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *falco = NULL, *audit = NULL;
	const struct sc_arch *arch = NULL;
	enum sc_format given, *fmt = NULL, format;
	bool abstract = false, append = false;
	struct sc_recording *rec = NULL;
	struct inputs old = { 0 };
	struct sc_diag d = { 0 };
	struct watch_opts wo = { 0 };
	char *buf = NULL, *command = NULL, *end;
	bool watched;
	size_t len = 0;
	int c, rc = EXIT_OK, status = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "+o:f:h", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f':
			if (!cli_parse_format("record", optarg, &given))
				return EXIT_USAGE;
			fmt = &given;
			break;
		case 'A': abstract = true; break;
		case 'a': append = true; break;
		case 'F': falco = optarg; break;
		case 'U': audit = optarg; break;
		case 'r':
			if (!cli_parse_arch(optarg, &arch))
				return EXIT_USAGE;
			break;
		case 'E': wo.ebpf = true; break;
		case 'C': wo.cgroup = optarg; break;
		case 'P': {
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v <= 0 || v > INT_MAX) {
				cli_error("--pid wants a process id, not '%s'", optarg);
				return EXIT_USAGE;
			}
			wo.pid = (pid_t)v;
			break;
		}
		case 'D':
			wo.duration = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(wo.duration > 0)) {
				cli_error("--duration wants a number of seconds, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Run a command under ptrace — every thread, fork, clone and exec followed, one\n"
			       "stop per syscall — and write a policy that allows what it did and nothing else\n"
			       "(default Errno EPERM). Arguments that decide (ioctl requests, socket families,\n"
			       "prctl options, clone flags, PROT_EXEC …: data/recorder-args.txt) become\n"
			       "conditions with constant names. exit, exit_group, rt_sigreturn, sigreturn and\n"
			       "restart_syscall are always allowed: a run cut short never makes them, and\n"
			       "every program needs them to end and to return from a signal handler.\n"
			       "Options go before the command: everything from the command's name on is the\n"
			       "command's own, as with env, nice or strace.\n\n"
			       "  -o, --output <file>     write here (atomically; checked before the command\n"
			       "                          runs). '-' is standard output, after the command's\n"
			       "                          own output. Without -o the policy goes to standard\n"
			       "                          output only when that is a terminal: redirected, it\n"
			       "                          would mix with the command's output, so -o is needed\n"
			       "  -f, --format toml|oci   the policy's format (default: from -o's extension,\n"
			       "                          else toml)\n"
			       "      --abstract          groups whose every member was observed replace them\n"
			       "      --append            add to the policy already in --output (TOML or OCI):\n"
			       "                          their union, in that file's format\n"
			       "      --from-falco <file> read Falco's output instead of running (docs/falco.md)\n"
			       "      --arch <arch>       the ABI Falco's events were made on (default: native)\n"
			       "      --from-audit <file> read seccomp's audit records (type=1326: audit.log,\n"
			       "                          dmesg, journalctl; '-' standard input) instead of\n"
			       "                          running: what a policy with default_action Log logged\n"
			       "      --ebpf              record the command with the eBPF recorder instead of\n"
			       "                          ptrace, in a cgroup v2 of its own (root or CAP_BPF +\n"
			       "                          CAP_PERFMON; the same policy at a fraction of the cost)\n"
			       "      --cgroup <dir>      record what runs in that cgroup v2 subtree (eBPF) until\n"
			       "                          SIGINT/SIGTERM, --duration, or the cgroup empties\n"
			       "      --pid <pid>         record a running process: its cgroup when it has one of\n"
			       "                          its own, else its pid namespace (eBPF), else under\n"
			       "                          ptrace (PTRACE_SEIZE), until it exits\n"
			       "      --duration <s>      stop --cgroup or --pid after this many seconds\n\n"
			       "The command's output, input, signals and terminal pass through. Exit status: the\n"
			       "command's (128+N when signal N killed it); 1, 2 or 3 for seccompose's own errors.\n",
			       usage_line);
			return EXIT_OK;
		default: return cli_usage_error("record", usage_line);
		}
	}
	watched = wo.cgroup || wo.pid;
	if ((falco != NULL) + (audit != NULL) + (wo.cgroup != NULL) + (wo.pid != 0) + (optind < argc) != 1 ||
	    (wo.ebpf && optind >= argc) || (wo.duration > 0 && !watched))
		return cli_usage_error("record", usage_line);
	if (audit && !falco)
		falco = audit; /* from here on a source read, not a command run */
	if (append && (!out || strcmp(out, "-") == 0)) {
		cli_error("--append adds to the policy file given with -o");
		return EXIT_USAGE;
	}
	if (!out && !falco && !watched && !isatty(STDOUT_FILENO)) {
		/* `record -- ls / > p.toml` would give a file starting with ls's output. */
		cli_error("standard output is not a terminal: the command's output would mix with the policy");
		fprintf(stderr, "hint: write the policy with -o <file> (-o - puts it after the command's output)\n");
		return EXIT_USAGE;
	}
	if (out && strcmp(out, "-") == 0)
		out = NULL;
	/* Everything that can fail about the output is checked before the work. */
	rc = check_output(out);
	if (rc == EXIT_OK && append && access(out, F_OK) == 0)
		rc = inputs_add(&old, out, NULL);
	if (rc != EXIT_OK)
		goto done;
	format = output_format(fmt, out, old.n ? sc_policy_format(old.p[0]) : SC_FORMAT_TOML);
	command = watched ? watched_name(&wo)
		: audit ? quoted_words("seccomp audit records from ", (char *const *)&audit, 1)
		: falco ? quoted_words("Falco events from ", (char *const *)&falco, 1)
			: quoted_words("", argv + optind, argc - optind);
	if (!command) {
		cli_error("out of memory");
		rc = EXIT_FAIL;
		goto done;
	}
	rec = sc_recording_new();
	if (audit) {
		size_t nrec = 0, skipped = 0;
		if (sc_record_audit(rec, audit, &nrec, &skipped, &d) < 0) {
			sc_diag_print(&d, stderr);
			rc = EXIT_FAIL;
			goto done;
		}
		fprintf(stderr, "seccompose: %zu seccomp audit records read, %zu other lines skipped\n",
			nrec, skipped);
	} else if (falco) {
		if (sc_record_falco(rec, falco, arch, &d) < 0) {
			sc_diag_print(&d, stderr);
			rc = EXIT_FAIL;
			goto done;
		}
	} else if (watched) {
		rc = record_watched(rec, &wo, command);
		if (rc != EXIT_OK)
			goto done;
	} else if ((wo.ebpf ? sc_record_ebpf_command : sc_record_command)(rec, argv + optind,
									 &status, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = d.message[0] && strstr(d.message, "cannot run") ? 127 : EXIT_FAIL;
		goto done;
	}
	if (old.n) {
		/* --append: the union of the file's policy and this recording, in the file's format. */
		struct sc_policy *p = NULL;
		if (sc_recording_policy(rec, abstract, &p, &d) < 0) {
			sc_diag_print(&d, stderr);
			rc = EXIT_FAIL;
		}
		if (rc == EXIT_OK)
			rc = inputs_add(&old, NULL, p);
		if (rc == EXIT_OK)
			rc = union_text(&old, format, &buf, &len);
	} else if (sc_recording_write(rec, abstract, command, format, &buf, &len, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK)
		rc = write_out(out, buf, len);
	if (rc == EXIT_OK && !falco)
		fprintf(stderr, "seccompose: recorded %zu distinct calls from %s%s%s\n",
			sc_recording_count(rec), command, out ? " into " : "", out ? out : "");
	else if (rc != EXIT_OK && !falco)
		fprintf(stderr, "seccompose: the recording of %s was not written\n", command);
done:
	free(buf);
	free(command);
	inputs_free(&old);
	sc_recording_free(rec);
	if (rc != EXIT_OK || falco || watched)
		return rc;
	/* The command's own status, as `run` gives it. */
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
