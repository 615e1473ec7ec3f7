/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-oci-hook.c — `seccompose oci-hook`: an OCI runtime hook that records a container
 * carrying the annotation io.seccompose.record=PATH from its entrypoint's execve on (what
 * oci-seccomp-bpf-hook does, with arguments and ABIs).
 *
 * The runtime runs it with the container's state JSON on standard input. At prestart or
 * createRuntime (status "created"/"creating") it starts a recorder that outlives it (a new
 * session, stdio on /dev/null, so that the runtime does not wait for it), watching the
 * container's init process (pid namespace, and cgroup where it has one of its own) with
 * from_exec, and returns once the recorder is attached; the recorder writes PATH atomically
 * when the container has no process left. At poststop (status "stopped") it waits for that
 * recorder, found by the pid file it left under /run/seccompose/.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose oci-hook [--runtime <runtime>] < state.json\n"
	"       seccompose oci-hook --hooks-json [--path <binary>] [--runtime <runtime>]";

#define ANNOTATION "io.seccompose.record"
#define STATE_DIR "/run/seccompose"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = sig;
}

/* The hooks.d JSON for podman (--hooks-dir) and CRI-O: this binary, when the annotation is set. */
static int hooks_json(const char *runtime, const char *path)
{
	char self[PATH_MAX];
	ssize_t n = path ? 0 : readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!path && n <= 0) {
		cli_error("cannot tell where this binary is: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (!path)
		self[n] = '\0';
	else
		snprintf(self, sizeof(self), "%s", path);
	printf("{\n  \"version\": \"1.0.0\",\n  \"hook\": {\n    \"path\": ");
	cli_json_string(stdout, self);
	printf(",\n    \"args\": [\"seccompose\", \"oci-hook\"");
	if (runtime) {
		printf(", \"--runtime\", ");
		cli_json_string(stdout, runtime);
	}
	printf("]\n  },\n  \"when\": {\n    \"annotations\": {\n      \"^io\\\\.seccompose\\\\.record$\": \".+\"\n"
	       "    }\n  },\n  \"stages\": [\"prestart\", \"poststop\"]\n}\n");
	return EXIT_OK;
}

static void pid_file(char *buf, size_t size, const char *id)
{
	snprintf(buf, size, "%s/hook-%s.pid", STATE_DIR, id);
}

/* The detached recorder: watch @pid from its exec, write @path when it is done. Never returns. */
static void recorder(int ready, pid_t pid, const char *id, const char *path, const char *runtime)
{
	struct sc_watch_target t = { .pid = pid, .from_exec = true };
	struct sc_recording *rec = sc_recording_new();
	struct sc_watch *w = NULL;
	struct sc_diag d = { 0 };
	char *buf = NULL, *command = NULL, pf[PATH_MAX];
	size_t len = 0;
	int wid, rc = 1;

	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	if (sc_watch_new(&w, &d) < 0 || (wid = sc_watch_add(w, &t, &d)) < 0) {
		if (write(ready, d.message, strlen(d.message)) < 0)
			_exit(1);
		_exit(1);
	}
	close(ready); /* attached: the hook may return */
	while (!stop && !sc_watch_done(w, wid))
		sc_watch_poll(w, 200);
	sc_watch_poll(w, 0);
	if (asprintf(&command, "container %s (OCI hook)", id) >= 0 && sc_watch_take(w, wid, rec) == 0 &&
	    (!runtime || sc_recording_add_runtime(rec, runtime, &d) == 0) &&
	    sc_recording_write(rec, false, command, strstr(path, ".json") ? SC_FORMAT_OCI : SC_FORMAT_TOML,
			       &buf, &len, &d) == 0 &&
	    sc_file_write_atomic(path, buf, len) == 0)
		rc = 0;
	pid_file(pf, sizeof(pf), id);
	unlink(pf);
	_exit(rc);
}

/* prestart / createRuntime: start the recorder and wait until it is attached. */
static int hook_start(pid_t pid, const char *id, const char *path, const char *runtime)
{
	char msg[512] = "", pf[PATH_MAX], num[32];
	int fd[2], n;
	pid_t child;

	if (pipe2(fd, O_CLOEXEC) < 0)
		return EXIT_FAIL;
	child = fork();
	if (child < 0)
		return EXIT_FAIL;
	if (child == 0) {
		int null = open("/dev/null", O_RDWR);
		close(fd[0]);
		setsid();
		if (fork() > 0) /* not a session leader, not the runtime's child */
			_exit(0);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		mkdir(STATE_DIR, 0700);
		pid_file(pf, sizeof(pf), id);
		n = snprintf(num, sizeof(num), "%d\n", (int)getpid());
		sc_file_write_atomic(pf, num, (size_t)n);
		recorder(fd[1], pid, id, path, runtime);
	}
	close(fd[1]);
	n = (int)read(fd[0], msg, sizeof(msg) - 1); /* EOF once attached, a message if not */
	close(fd[0]);
	if (n > 0) {
		msg[n] = '\0';
		cli_error("cannot record container %s: %s", id, msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Is the recorder @pid still at work: its pid file (@pf, removed once PATH is written) there
 * and the process alive? A zombie is done: the recorder is an orphan, and a runtime that made
 * itself the child subreaper (`runc run`) does not reap it while it runs its hooks. */
static bool recorder_running(pid_t pid, const char *pf)
{
	char path[64], *stat = NULL, *paren;
	size_t len = 0;
	bool running;

	if (access(pf, F_OK) < 0 || kill(pid, 0) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (sc_file_read(path, 4096, &stat, &len) < 0)
		return false;
	/* pid (comm) state …: the state after the last ')' */
	paren = strrchr(stat, ')');
	running = paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
	free(stat);
	return running;
}

/* poststop: the recorder writes when the container is gone; wait for it (at most 30 s). */
static int hook_stop(const char *id)
{
	char pf[PATH_MAX], *buf = NULL;
	size_t len = 0;
	pid_t pid;

	pid_file(pf, sizeof(pf), id);
	if (sc_file_read(pf, 64, &buf, &len) < 0)
		return EXIT_OK; /* written already, or never started */
	pid = (pid_t)atoi(buf);
	free(buf);
	for (int i = 0; pid > 0 && i < 300 && recorder_running(pid, pf); i++) {
		if (i == 50)
			kill(pid, SIGTERM); /* 5 s: the container's last process is long gone */
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	return EXIT_OK;
}

int cmd_oci_hook(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hooks-json", no_argument, NULL, 'j' },
		{ "runtime", required_argument, NULL, 'r' },
		{ "path", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *runtime = NULL, *self = NULL, *status, *id, *path;
	bool print_json = false;
	json_t *state, *ann;
	json_error_t je;
	int c, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': print_json = true; break;
		case 'r': runtime = optarg; break;
		case 'p': self = optarg; break;
		case 'h':
			printf("usage: %s\n\n"
			       "An OCI runtime hook (prestart or createRuntime, and poststop) recording a\n"
			       "container annotated " ANNOTATION "=PATH from its entrypoint's execve on\n"
			       "(eBPF recorder) into PATH (.json: OCI, else TOML), written when the\n"
			       "container ends. The runtime gives the container's state on standard input.\n"
			       "docs/oci-hook.md says how to install it for podman, CRI-O, runc and crun.\n\n"
			       "      --hooks-json     print the hooks.d JSON that runs this binary\n"
			       "      --path <binary>  --hooks-json: run this one instead (where it is installed)\n"
			       "      --runtime <r>    add runtime r's baseline to the policy\n",
			       usage_line);
			return EXIT_OK;
		default: return cli_usage_error("oci-hook", usage_line);
		}
	}
	if (optind != argc)
		return cli_usage_error("oci-hook", usage_line);
	if (runtime) {
		const char **calls = NULL;
		struct sc_diag d = { 0 };
		if (sc_runtime_baseline(runtime, &calls, NULL, &d) < 0) {
			sc_diag_print(&d, stderr);
			return EXIT_USAGE;
		}
		free(calls);
	}
	if (print_json)
		return hooks_json(runtime, self);
	state = json_loadf(stdin, 0, &je);
	if (!state) {
		cli_error("the OCI state on standard input is no JSON: %s", je.text);
		return EXIT_FAIL;
	}
	status = json_string_value(json_object_get(state, "status"));
	id = json_string_value(json_object_get(state, "id"));
	ann = json_object_get(state, "annotations");
	path = json_string_value(json_object_get(ann, ANNOTATION));
	if (!path || !*path || !id || strchr(id, '/')) {
		json_decref(state);
		return EXIT_OK; /* not ours to record */
	}
	if (status && strcmp(status, "stopped") == 0)
		rc = hook_stop(id);
	else
		rc = hook_start((pid_t)json_integer_value(json_object_get(state, "pid")), id, path, runtime);
	json_decref(state);
	return rc;
}
