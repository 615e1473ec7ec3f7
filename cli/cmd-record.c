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
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static const char usage_line[] =
	"seccompose record [-o <file>] [--format toml|oci] [--abstract] [--append] [--runtime <runtime>] [--arch <arch>,...] -- <command> [<arg>...]\n"
	"       seccompose record --from-falco <file> [--arch <arch>,...] [-o <file>] [--format toml|oci] [--abstract]\n"
	"       seccompose record --from-audit <file>|- [--arch <arch>,...] [-o <file>] [--format toml|oci] [--abstract]\n"
	"       seccompose record --ebpf [-o <file>] [--format toml|oci] [--abstract] -- <command> [<arg>...]\n"
	"       seccompose record --cgroup <dir> [--duration <seconds>] [--runtime <runtime>] [-o <file>] [--format toml|oci] [--abstract]\n"
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
	if (u)
		cli_print_warnings(sc_filter_policy(u), 0);
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

/* Is @dir the root of the cgroup v2 hierarchy, where every process of the machine is? Only
 * the root has no cgroup.events (a cgroup namespace's root, a container's own, has one). A
 * container on a hybrid v1/v2 host whose runtime made it no cgroup v2 is in it. */
static bool cgroup2_hierarchy_root(const char *dir)
{
	char events[PATH_MAX];
	struct statfs sfs;

	return statfs(dir, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC &&
	       (size_t)snprintf(events, sizeof(events), "%s/cgroup.events", dir) < sizeof(events) &&
	       access(events, F_OK) < 0 && errno == ENOENT;
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


/*
 * Containers (--container, --all-containers, --out-dir, --runtime), kept together. A
 * container is found through its runtime (sc_container_find: its state or CLI) and recorded
 * as --pid records a process: its pid namespace, and its cgroup where that is its own (on a
 * hybrid v1/v2 host the v2 cgroup is often shared); a Kubernetes pod's container known by its
 * cgroup alone is recorded as --cgroup. Its runtime's baseline is added (the profile is for
 * that runtime), or --runtime's.
 */
struct container_opts {
	const char *name;          /* --container NAME|ID */
	bool all;                  /* --all-containers */
	const char *out_dir;       /* --out-dir DIR */
	const char *ask;           /* --runtime: whom to ask (NULL: every runtime) */
	struct sc_container found; /* --container's */
};

/* Has the library a baseline for --runtime @runtime? Says why not when it has none. */
static bool runtime_known(const char *runtime)
{
	struct sc_diag d = { 0 };
	const char **calls = NULL;

	if (sc_runtime_baseline(runtime, &calls, NULL, &d) < 0) {
		sc_diag_print(&d, stderr);
		return false;
	}
	free(calls);
	return true;
}

/* The runtime whose baseline a container's profile gets: @given, else @c's own when it has
 * one (kubepods: which CRI runs it is not in the path). */
static const char *baseline_for(const char *given, const struct sc_container *c)
{
	const char **calls = NULL;

	if (given)
		return given;
	if (sc_runtime_baseline(c->runtime, &calls, NULL, NULL) < 0)
		return NULL;
	free(calls);
	return c->runtime;
}

/* What the header comment and messages call @c; malloc'd. */
static char *container_words(const struct sc_container *c)
{
	char *out = NULL;
	int n = c->pid ? asprintf(&out, "container %s (%s, pid %d)", c->name, c->runtime, (int)c->pid)
		       : asprintf(&out, "container %s (%s, cgroup %s)", c->name, c->runtime, c->cgroup);

	return n < 0 ? NULL : out;
}

/* --container: find it, and watch it as --pid (or --cgroup) would. */
static int container_resolve(struct container_opts *co, struct watch_opts *wo)
{
	struct sc_diag d = { 0 };

	if (sc_container_find(co->name, co->ask, &co->found, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_FAIL;
	}
	if (co->found.pid > 0)
		wo->pid = co->found.pid;
	else
		wo->cgroup = co->found.cgroup;
	return EXIT_OK;
}

/* One container of --all-containers: its watch and, once it ended, nothing. */
struct watched_container {
	struct sc_container c;
	int id;          /* its watch, -1 once written (or when it could not be watched) */
	bool listed;     /* seen in the latest listing */
};

/* @c's recording into @dir/<its name>.<toml|json>, with its runtime's baseline. */
static int write_container(struct sc_watch *w, const struct watched_container *wc, const char *dir,
			   const char *runtime, enum sc_format format, bool abstract)
{
	struct sc_recording *rec = sc_recording_new();
	const char *rt = baseline_for(runtime, &wc->c);
	char *command = container_words(&wc->c), *path = NULL, *buf = NULL, file[256];
	struct sc_diag d = { 0 };
	size_t len = 0;
	int rc = EXIT_OK;

	/* A file name from the container's: no '/' and no leading dot. */
	snprintf(file, sizeof(file), "%s", wc->c.name);
	for (char *p = file; *p; p++)
		if (*p == '/' || (p == file && *p == '.'))
			*p = '_';
	sc_watch_poll(w, 0);
	int took = sc_watch_take(w, wc->id, rec);
	if (took == 0 && sc_recording_count(rec) == 0) {
		/* It ended before the attach saw a call (between the poll and the attach): its
		 * runtime's baseline alone would be a policy that starts nothing. */
		fprintf(stderr, "seccompose: %s ended before any of its calls was recorded: no policy\n",
			command ? command : wc->c.name);
	} else if (took < 0 || (rt && sc_recording_add_runtime(rec, rt, &d) < 0) ||
	    sc_recording_write(rec, abstract, command, format, &buf, &len, &d) < 0 ||
	    asprintf(&path, "%s/%s.%s", dir, file, format == SC_FORMAT_OCI ? "json" : "toml") < 0) {
		cli_error("the recording of %s was not written%s%s", command ? command : wc->c.name,
			  d.message[0] ? ": " : "", d.message);
		rc = EXIT_FAIL;
	} else {
		rc = write_out(path, buf, len);
		if (rc == EXIT_OK)
			fprintf(stderr, "seccompose: recorded %zu distinct calls from %s into %s\n",
				sc_recording_count(rec), command, path);
	}
	free(path);
	free(buf);
	free(command);
	sc_recording_free(rec);
	return rc;
}

/*
 * --all-containers --out-dir DIR: every running container of every runtime (or --runtime's),
 * a policy each, written when it ends and, for those still running, when the recording stops
 * (SIGINT, SIGTERM, SIGHUP, --duration). New containers are looked for every second; state
 * is one watch and one entry per running container (a container gone from the listing and
 * written is forgotten), the observations are aggregated in the kernel.
 */
static int record_all_containers(const struct container_opts *co, const char *runtime, double duration,
				 enum sc_format format, bool abstract)
{
	struct sigaction sa = { .sa_handler = on_watch_stop }, old[3];
	static const int stops[3] = { SIGINT, SIGTERM, SIGHUP };
	struct watched_container *v = NULL;
	size_t n = 0;
	struct sc_watch *w = NULL;
	struct sc_diag d = { 0 };
	double end = duration > 0 ? now_s() + duration : 0, scanned = 0;
	int rc = EXIT_OK;

	if (sc_watch_new(&w, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_FAIL;
	}
	watch_stop = 0;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &sa, &old[i]);
	fprintf(stderr, "seccompose: recording every container%s%s into %s until SIGINT or SIGTERM%s\n",
		co->ask ? " of " : "", co->ask ? co->ask : "", co->out_dir,
		duration > 0 ? " or --duration" : "");
	while (!watch_stop && !(end > 0 && now_s() >= end)) {
		if (now_s() - scanned >= 1.0) {
			struct sc_container *list = NULL;
			size_t ln = 0, k = 0;
			scanned = now_s();
			if (sc_container_list(co->ask, &list, &ln, &d) < 0) {
				sc_diag_print(&d, stderr);
				rc = EXIT_FAIL;
				break;
			}
			for (size_t i = 0; i < n; i++)
				v[i].listed = false;
			for (size_t j = 0; j < ln; j++) {
				size_t i;
				for (i = 0; i < n; i++)
					if (v[i].c.pid == list[j].pid && strcmp(v[i].c.id, list[j].id) == 0)
						break;
				if (i < n) {
					v[i].listed = true;
					continue;
				}
				struct sc_watch_target t = { .pid = list[j].pid,
							     .cgroup_dir = list[j].pid ? NULL : list[j].cgroup };
				v = realloc(v, (n + 1) * sizeof(*v));
				if (!v) {
					cli_error("out of memory");
					exit(EXIT_FAIL);
				}
				v[n] = (struct watched_container){ list[j], sc_watch_add(w, &t, &d), true };
				if (v[n].id == -ENOENT) /* it ended between the listing and the attach */
					fprintf(stderr, "seccompose: container %s ended before its recording began: "
						"no policy\n", list[j].name);
				else if (v[n].id < 0)
					cli_error("cannot record container %s: %s", list[j].name, d.message);
				else
					fprintf(stderr, "seccompose: recording container %s (%s)\n", list[j].name,
						list[j].runtime);
				n++;
			}
			free(list);
			/* Forget what was written and is no longer listed: state per running container. */
			for (size_t i = 0; i < n; i++)
				if (v[i].id >= 0 || v[i].listed)
					v[k++] = v[i];
			n = k;
		}
		int got = sc_watch_poll(w, 200);
		if (got < 0 && got != -EINTR) {
			cli_error("recording: %s", strerror(-got));
			rc = EXIT_FAIL;
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (v[i].id >= 0 && sc_watch_done(w, v[i].id)) {
				if (write_container(w, &v[i], co->out_dir, runtime, format, abstract) != EXIT_OK)
					rc = EXIT_FAIL;
				sc_watch_remove(w, v[i].id);
				v[i].id = -1;
			}
	}
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &old[i], NULL);
	for (size_t i = 0; i < n; i++)
		if (v[i].id >= 0 && write_container(w, &v[i], co->out_dir, runtime, format, abstract) != EXIT_OK)
			rc = EXIT_FAIL;
	free(v);
	sc_watch_free(w);
	return rc;
}

/*
 * record --arch: the recording's policy for other ABIs (sc_policy_retarget), in @format. The
 * header says what was recorded and for which ABIs; the recording's own layout (comments per
 * rule) is the TOML writer's default here. With @old (--append), united with the file's policy.
 */
static int retargeted_text(const struct sc_recording *rec, bool abstract, const char *command,
			   const struct sc_arch *const *arches, size_t narches, enum sc_format format,
			   struct inputs *old, char **ret_buf, size_t *ret_len)
{
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	char *body = NULL;
	size_t len = 0;
	int rc = EXIT_OK;

	if (sc_recording_policy(rec, abstract, &p, &d) < 0 || sc_policy_retarget(p, arches, narches, &d) < 0) {
		sc_diag_print(&d, stderr);
		sc_policy_free(p);
		return EXIT_FAIL;
	}
	cli_print_warnings(p, 0);
	if (old->n)
		return inputs_add(old, NULL, p) == EXIT_OK ? union_text(old, format, ret_buf, ret_len)
							   : EXIT_FAIL;
	if (format == SC_FORMAT_TOML ? sc_policy_write_toml(p, &body, &len) < 0
				     : sc_policy_compile(p, &f, &d) < 0 ||
					       sc_filter_export(f, format, &body, &len, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_FAIL;
	} else if (format == SC_FORMAT_TOML) {
		FILE *m = open_memstream(ret_buf, ret_len);
		if (!m || fprintf(m, "# Recorded by seccompose %s from: %s\n# For the ABIs", sc_version(),
				  command) < 0) {
			rc = EXIT_FAIL;
		}
		for (size_t i = 0; m && rc == EXIT_OK && i < narches; i++)
			fprintf(m, " %s", arches[i]->name);
		if (m) {
			fprintf(m, " (record --arch: by syscall and argument name)\n");
			fwrite(body, 1, len, m);
		}
		if (!m || fclose(m) != 0)
			rc = EXIT_FAIL;
		if (rc != EXIT_OK)
			cli_error("out of memory");
	} else {
		*ret_buf = body;
		*ret_len = len;
		body = NULL;
	}
	free(body);
	sc_filter_free(f);
	sc_policy_free(p);
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
		/* containers (branch containers): one block */
		{ "runtime", required_argument, NULL, 0x300 },
		{ "container", required_argument, NULL, 0x301 },
		{ "all-containers", no_argument, NULL, 0x302 },
		{ "out-dir", required_argument, NULL, 0x303 },
		{ "counts", required_argument, NULL, 0x310 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *falco = NULL, *audit = NULL, *counts = NULL;
	const char *runtime = NULL; /* containers */
	struct container_opts co = { 0 };
	const struct sc_arch *arch = NULL, *targets[64];
	size_t ntargets = 0;
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
		case 0x310: counts = optarg; break;
		case 'r':
			ntargets = cli_parse_arch_list(optarg, targets, 64);
			if (!ntargets)
				return EXIT_USAGE;
			arch = targets[0]; /* --from-falco: the ABI its events were made on */
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
		case 0x300: runtime = optarg; break;
		case 0x301: co.name = optarg; break;
		case 0x302: co.all = true; break;
		case 0x303: co.out_dir = optarg; break;
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
			       "      --arch <a,b,...>    write the policy for these ABIs (by syscall and\n"
			       "                          argument name; what one lacks is listed). With\n"
			       "                          --from-falco the first is the ABI Falco's events\n"
			       "                          were made on (default: native)\n"
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
			       "      --duration <s>      stop --cgroup or --pid after this many seconds\n"
			       "      --runtime <r>       the policy is for a container under runtime r (runc, crun,\n"
			       "                          podman, docker, containerd): also allow what r calls\n"
			       "                          under the container's filter before the entrypoint\n"
			       "                          (measured: data/runtime-baselines/); with --container\n"
			       "                          or --all-containers also the runtime asked\n"
			       "      --container <c>     record a running container (name or id; podman, docker,\n"
			       "                          containerd, crun, runc, kubepods cgroups) as --pid does,\n"
			       "                          with its runtime's baseline\n"
			       "      --all-containers    record every container, one policy each in --out-dir,\n"
			       "                          named after it; new ones are looked for every second\n"
			       "      --out-dir <dir>     where --all-containers writes\n"
			       "      --counts <file>     also write how often each syscall was called\n"
			       "                          (`count name` a line), for `compile --weights`\n\n"
			       "The command's output, input, signals and terminal pass through. Exit status: the\n"
			       "command's (128+N when signal N killed it); 1, 2 or 3 for seccompose's own errors.\n",
			       usage_line);
			return EXIT_OK;
		default: return cli_usage_error("record", usage_line);
		}
	}
	if (co.name || co.all) {
		/* --runtime names whom to ask; kubepods has no baseline of its own. */
		co.ask = runtime;
		if (runtime && strcmp(runtime, "kubepods") == 0)
			runtime = NULL;
		if (runtime && !runtime_known(runtime))
			return EXIT_USAGE;
	}
	if (co.all) {
		if (!co.out_dir || co.name || wo.cgroup || wo.pid || falco || audit || out || append || optind < argc) {
			cli_error("--all-containers writes one policy per container into --out-dir, and takes no other source");
			return EXIT_USAGE;
		}
		if (mkdir(co.out_dir, 0755) < 0 && errno != EEXIST) {
			cli_error("cannot make '%s': %s", co.out_dir, strerror(errno));
			return EXIT_FAIL;
		}
		return record_all_containers(&co, runtime, wo.duration,
					     output_format(fmt, NULL, SC_FORMAT_TOML), abstract);
	}
	if (co.out_dir) {
		cli_error("--out-dir is for --all-containers");
		return EXIT_USAGE;
	}
	if (co.name) {
		if (wo.cgroup || wo.pid) {
			cli_error("--container, --cgroup and --pid each name what to record: give one");
			return EXIT_USAGE;
		}
		if (container_resolve(&co, &wo) != EXIT_OK)
			return EXIT_FAIL;
		runtime = baseline_for(runtime, &co.found);
	}
	watched = wo.cgroup || wo.pid;
	if ((falco != NULL) + (audit != NULL) + (wo.cgroup != NULL) + (wo.pid != 0) + (optind < argc) != 1 ||
	    (wo.ebpf && optind >= argc) || (wo.duration > 0 && !watched))
		return cli_usage_error("record", usage_line);
	if (wo.cgroup && cgroup2_hierarchy_root(wo.cgroup)) {
		cli_error("'%s' is the root of the cgroup v2 hierarchy: every process on the machine is in it",
			  wo.cgroup);
		fprintf(stderr, "hint: a process or container in it is told apart by its pid namespace: "
				"`record --pid PID` or `record --container NAME`\n");
		return EXIT_FAIL;
	}
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
	if (runtime && !runtime_known(runtime))
		return EXIT_USAGE;
	if (out && strcmp(out, "-") == 0)
		out = NULL;
	/* Everything that can fail about the output is checked before the work. */
	rc = check_output(out);
	if (counts && strcmp(counts, "-") == 0)
		counts = ""; /* standard output, after the policy */
	if (rc == EXIT_OK && counts && *counts)
		rc = check_output(counts);
	if (rc == EXIT_OK && append && access(out, F_OK) == 0)
		rc = inputs_add(&old, out, NULL);
	if (rc != EXIT_OK)
		goto done;
	format = output_format(fmt, out, old.n ? sc_policy_format(old.p[0]) : SC_FORMAT_TOML);
	command = co.name ? container_words(&co.found) : watched ? watched_name(&wo)
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
	} else if ((wo.ebpf     ? sc_record_ebpf_command
		    : counts    ? sc_record_command_counted /* every call stops: exact counts */
				: sc_record_command)(rec, argv + optind, &status, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = d.message[0] && strstr(d.message, "cannot run") ? 127 : EXIT_FAIL;
		goto done;
	}
	if (runtime)
		sc_recording_add_runtime(rec, runtime, &d); /* known: checked above */
	if (ntargets && !(falco && !audit && ntargets == 1)) {
		/* --arch, unless it only says which ABI Falco's events came from. */
		rc = retargeted_text(rec, abstract, command, targets, ntargets, format, &old, &buf, &len);
	} else if (old.n) {
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
	if (rc == EXIT_OK && counts) {
		free(buf);
		buf = NULL;
		if (sc_recording_counts(rec, &buf, &len) < 0) {
			cli_error("out of memory");
			rc = EXIT_FAIL;
		} else {
			rc = write_out(*counts ? counts : NULL, buf, len);
		}
	}
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
