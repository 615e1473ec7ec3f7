/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-trace.c — rec_trace() on real programs: what it records (fork, exec, threads, i386 and
 * x32 calls), what it passes through (exit status, signals, stdio, job control) and how it
 * ends (daemons followed, a signal to the recorder, a missing command).
 *
 *	test-trace TRY_SYSCALL
 *
 * TRY_SYSCALL is tests/helpers/try-syscall, built unsanitized (tests/live/meson.build).
 *
 * Some kernels here have no IA32 emulation: int 0x80 faults before any syscall entry, so no
 * tracer can see it. One unfiltered probe decides; without emulation the i386 call skips the
 * kernel: what PTRACE_GET_SYSCALL_INFO would report (AUDIT_ARCH_I386, 20) goes through the
 * recorder's own steps (ABI lookup, capture, policy), and the interpreter judges the policy.
 * The last line of the output says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "record/record.h"

static const char *try_syscall;
static bool int80_works; /* IA32 emulation: int 0x80 runs i386 calls (probed in main) */
static bool i386_interpreted;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool seen_nr(const struct rec_set *s, const char *arch, uint32_t nr)
{
	const struct sc_arch *a = sc_arch_lookup(arch);

	assert_non_null(a);
	for (size_t i = 0; i < rec_set_count(s); i++) {
		const struct rec_obs *o = rec_set_at(s, i);
		if (o->arch == a && o->nr == nr)
			return true;
	}
	return false;
}

static bool seen(const struct rec_set *s, const char *name)
{
	const struct sc_syscall *sys = sc_syscall_lookup(sc_arch_native(), name);

	assert_non_null(sys);
	return seen_nr(s, sc_arch_native()->name, sys->nr);
}

/* Record @argv (NULL-terminated varargs); returns rec_trace's result. */
static int record(struct rec_set **ret_set, int *ret_status, struct sc_diag *d, ...)
{
	char *argv[16];
	size_t n = 0;
	va_list ap;
	int rc;

	va_start(ap, d);
	while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	*ret_set = rec_set_new();
	*ret_status = -1;
	rc = rec_trace(argv, 0, *ret_set, ret_status, d);
	return rc;
}

static void trace_true(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "true", NULL), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(seen(s, "execve"));
	assert_true(seen(s, "exit_group"));
	rec_set_free(s);
}

/* sh forks ls: getdents64 is only ls's, so seeing it proves fork and exec were followed. */
static void trace_fork_exec_exit_status(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "sh", "-c", "ls / >/dev/null; exit 3", NULL), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	assert_true(seen(s, "openat"));
	assert_true(seen(s, "getdents64"));
	assert_true(seen(s, "clone") || seen(s, "clone3") || seen(s, "fork") || seen(s, "vfork"));
	rec_set_free(s);
}

static void trace_killed_by_signal(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "sh", "-c", "kill -TERM $$", NULL), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_true(seen(s, "kill"));
	assert_true(seen(s, "execve"));
	rec_set_free(s);
}

/* Record python3 running @script; skips the test without python3, and asserts exit 0. */
static struct rec_set *record_python(const char *script)
{
	const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status, rc;

	rc = record(&s, &status, &d, py, "-c", script, NULL);
	if (rc == -ENOENT) {
		rec_set_free(s);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	return s;
}

/* getsid is made by the thread only (python's start-up does not call it). */
static void trace_threads(void **state)
{
	struct rec_set *s;

	(void)state;
	s = record_python("import os, threading\n"
			  "t = threading.Thread(target=lambda: os.getsid(0))\n"
			  "t.start(); t.join()");
	assert_true(seen(s, "clone3") || seen(s, "clone"));
	assert_true(seen(s, "getsid"));
	rec_set_free(s);
}

/* How many calls of @name stopped (all of them when nothing was narrowed). */
static uint64_t count_of(const struct rec_set *s, const char *name)
{
	const struct sc_syscall *sys = sc_syscall_lookup(sc_arch_native(), name);
	uint64_t n = 0;

	assert_non_null(sys);
	for (size_t i = 0; i < rec_set_count(s); i++) {
		const struct rec_obs *o = rec_set_at(s, i);
		if (o->arch == sc_arch_native() && o->nr == sys->nr)
			n += o->count;
	}
	return n;
}

/* Was @name seen with captured argument @argi equal to @value? */
static bool seen_arg(const struct rec_set *s, const char *name, unsigned argi, uint64_t value)
{
	const struct sc_syscall *sys = sc_syscall_lookup(sc_arch_native(), name);

	assert_non_null(sys);
	for (size_t i = 0; i < rec_set_count(s); i++) {
		const struct rec_obs *o = rec_set_at(s, i);
		if (o->arch != sc_arch_native() || o->nr != sys->nr)
			continue;
		for (unsigned a = 0; a < o->nargs; a++)
			if (o->argi[a] == argi && o->argv[a] == value)
				return true;
	}
	return false;
}

/*
 * Narrowing (trace.c): a process that repeats known calls gets a filter that lets them run
 * unstopped. Whatever it, its threads and its children do afterwards that the set does not
 * hold must still be recorded: a new syscall, a known syscall with a new captured argument
 * (ioctl's request, socket's family), in a thread started after the narrowing and in a forked
 * child that inherits the filter.
 */
static void trace_after_narrowing(void **state)
{
	struct rec_set *s;

	(void)state;
	s = record_python(
		"import os, socket, threading, fcntl, termios, array\n"
		"for _ in range(20000): os.stat('/')\n"    /* narrowed by now */
		"os.getppid(); os.getpgid(0)\n"           /* new syscalls */
		"b = array.array('i', [0]); r, w = os.pipe()\n"
		"fcntl.ioctl(r, termios.FIONREAD, b)\n"   /* ioctl, a new request */
		"socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).close()\n"
		"t = threading.Thread(target=lambda: os.getpriority(os.PRIO_PROCESS, 0))\n"
		"t.start(); t.join()\n"
		"pid = os.fork()\n"
		"if pid == 0:\n"
		"    os.getsid(0); socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close(); os._exit(0)\n"
		"os.waitpid(pid, 0)\n");
	/* narrowing took place (python's start-up stats files, so its filter allows newfstatat):
	 * most of the 20,000 stat calls ran without a stop */
	assert_true(count_of(s, "newfstatat") > 0 && count_of(s, "newfstatat") < 20000);
	assert_true(seen(s, "getppid"));
	assert_true(seen(s, "getpgid"));
	assert_true(seen_arg(s, "ioctl", 1, FIONREAD));
	assert_true(seen_arg(s, "socket", 0, AF_UNIX));
	assert_true(seen(s, "getpriority"));
	assert_true(seen(s, "getsid"));
	assert_true(seen_arg(s, "socket", 0, AF_INET));
	rec_set_free(s);
}

/* Whether i386 getpid (int 0x80, nr 20) runs here, tried unfiltered in a child. */
static bool probe_int80(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execl(try_syscall, try_syscall, "--abi", "i386", "20", (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The i386 getpid without the kernel: the call as the tracer would get it, recorded,
 * written as a policy, compiled and judged by the interpreter. */
static void i386_without_kernel(void)
{
	const struct sc_arch *x86 = sc_arch_by_audit(AUDIT_ARCH_I386, 20);
	struct rec_output o = { .command = "try-syscall --abi i386 20", .format = SC_FORMAT_TOML };
	uint64_t args[6] = { 0 };
	struct rec_set *s = rec_set_new();
	struct sc_diag d = { 0 };
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_action a;
	char *text = NULL;
	size_t len = 0;

	assert_non_null(x86);
	assert_string_equal(x86->name, "x86");
	assert_int_equal(rec_set_add_call(s, x86, 20, args), 1);
	assert_true(seen_nr(s, "x86", 20)); /* getpid */
	assert_int_equal(rec_write_policy(s, &o, &text, &len, &d), 0);
	assert_int_equal(sc_policy_load_buffer("recorded.toml", text, len, NULL, &p, &d), 0);
	assert_int_equal(sc_policy_compile(p, &f, &d), 0);
	a = sc_action_from_ret(sc_filter_eval(f, x86, 20, args));
	assert_int_equal(a.type, SC_ACT_ALLOW);
	/* i386 39 is mkdir (x86_64's getpid): not recorded, so not allowed */
	a = sc_action_from_ret(sc_filter_eval(f, x86, 39, args));
	assert_int_not_equal(a.type, SC_ACT_ALLOW);
	sc_filter_free(f);
	sc_policy_free(p);
	free(text);
	rec_set_free(s);
	i386_interpreted = true;
}

/* The filter checks no arch: an i386 int 0x80 and an x32 call from x86_64 are recorded
 * (the i386 one without the kernel when it has no IA32 emulation). */
static void trace_other_abis(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status;

	(void)state;
	if (!try_syscall || strcmp(sc_arch_native()->name, "x86_64") != 0)
		skip();
	if (int80_works) {
		assert_int_equal(record(&s, &status, &d, try_syscall, "--abi", "i386", "20", NULL), 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		assert_true(seen_nr(s, "x86", 20)); /* getpid */
		rec_set_free(s);
	} else {
		i386_without_kernel();
	}

	/* With x32 disabled in the kernel the call fails, but only after seccomp saw it. */
	assert_int_equal(record(&s, &status, &d, try_syscall, "--abi", "x32", "39", NULL), 0);
	assert_true(WIFEXITED(status));
	assert_true(seen_nr(s, "x32", 0x40000000u | 39)); /* getpid */
	rec_set_free(s);
}

static void trace_command_not_found(void **state)
{
	char path[] = "/tmp/test-trace-XXXXXX", want[128];
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status, fd;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "no-such-command-for-seccompose", NULL), -ENOENT);
	assert_string_equal(d.message, "cannot run 'no-such-command-for-seccompose': "
				       "No such file or directory");
	assert_int_equal(status, -1); /* untouched */
	rec_set_free(s);

	/* Not executable (mode 0600; root too needs an x bit): 126 for a shell, -EACCES here. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(record(&s, &status, &d, path, NULL), -EACCES);
	snprintf(want, sizeof(want), "cannot run '%s': Permission denied", path);
	assert_string_equal(d.message, want);
	unlink(path);
	rec_set_free(s);
}

/* `echo hello | record cat`: the command reads the recorder's stdin, writes its stdout. */
static void trace_stdio_passes_through(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int in[2], out[2], save_in, save_out, status, rc;
	char buf[64];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(write(in[1], "hello\n", 6), 6);
	close(in[1]);
	fflush(stdout); /* cmocka's buffered output must not end up in the pipe */
	save_in = dup(STDIN_FILENO);
	save_out = dup(STDOUT_FILENO);
	dup2(in[0], STDIN_FILENO);
	dup2(out[1], STDOUT_FILENO);
	close(in[0]);
	close(out[1]);
	rc = record(&s, &status, &d, "cat", NULL);
	dup2(save_in, STDIN_FILENO);
	dup2(save_out, STDOUT_FILENO);
	close(save_in);
	close(save_out);
	assert_int_equal(rc, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	n = read(out[0], buf, sizeof(buf) - 1);
	close(out[0]);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, "hello\n");
	assert_true(seen(s, "read"));
	assert_true(seen(s, "write"));
	rec_set_free(s);
}

/*
 * The shell stops itself; a child creates a file and continues it 0.3 s later. Held in
 * group-stop with PTRACE_LISTEN the shell waits for that SIGCONT and finds the file; a tracer
 * that restarted the group-stop would let it run on at once, without it.
 */
static void trace_group_stop_holds(void **state)
{
	char dir[] = "/tmp/test-trace-XXXXXX", script[256], flag[64];
	struct rec_set *s;
	struct sc_diag d = { 0 };
	int status;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(flag, sizeof(flag), "%s/continued", dir);
	snprintf(script, sizeof(script),
		 "(sleep 0.3; : >%s; kill -CONT $$) & kill -STOP $$; test -e %s && exit 5; exit 6",
		 flag, flag);
	assert_int_equal(record(&s, &status, &d, "sh", "-c", script, NULL), 0);
	unlink(flag);
	rmdir(dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 5);
	rec_set_free(s);
}

/* Children left behind are followed until it exits, and recorded. */
static void trace_follows_leftover_children(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	double t0 = now();
	int status;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "sh", "-c",
				"for i in 1 2 3 4 5 6 7 8; do sleep 0.3 & done; exit 4", NULL),
			 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 4);
	assert_true(now() - t0 >= 0.25);
	assert_true(seen(s, "clock_nanosleep") || seen(s, "nanosleep"));
	rec_set_free(s);
}

/*
 * Once the command has exited, a signal to the recorder ends the recording: here a left-over
 * child sends it ($PPID is the recorder), then would sleep a minute.
 */
static void trace_signal_ends_recording(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	double t0 = now();
	int status;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "sh", "-c",
				"{ sleep 0.2; kill -TERM $PPID; exec sleep 60; } & exit 0", NULL),
			 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(now() - t0 < 30);
	assert_true(seen(s, "kill"));
	rec_set_free(s);
}

/* While the command runs, kill(1) of the recorder reaches the command, as if untraced. */
static void trace_signal_relayed_to_command(void **state)
{
	struct rec_set *s;
	struct sc_diag d = { 0 };
	double t0 = now();
	int status;

	(void)state;
	assert_int_equal(record(&s, &status, &d, "sh", "-c", "kill -TERM $PPID; exec sleep 60",
				NULL), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_true(now() - t0 < 30);
	rec_set_free(s);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trace_true),
		cmocka_unit_test(trace_fork_exec_exit_status),
		cmocka_unit_test(trace_killed_by_signal),
		cmocka_unit_test(trace_threads),
		cmocka_unit_test(trace_after_narrowing),
		cmocka_unit_test(trace_other_abis),
		cmocka_unit_test(trace_command_not_found),
		cmocka_unit_test(trace_stdio_passes_through),
		cmocka_unit_test(trace_group_stop_holds),
		cmocka_unit_test(trace_follows_leftover_children),
		cmocka_unit_test(trace_signal_ends_recording),
		cmocka_unit_test(trace_signal_relayed_to_command),
	};

	int failed;

	try_syscall = argc > 1 ? argv[1] : NULL;
	int80_works = try_syscall && probe_int80();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	if (i386_interpreted)
		fprintf(stderr, "trace_other_abis: no IA32 emulation on this kernel (int 0x80 "
				"faults): the i386 call was recorded and checked by the "
				"interpreter, not traced\n");
	return failed;
}
