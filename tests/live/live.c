/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* live.c — the live tests' harness (see live.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf/apply.h"
#include "live.h"

/* Longest a child may take; every probe here is a handful of system calls. */
#define LIVE_TIMEOUT 10

/* The child's exit status when apply_filter() failed (its report says how). */
#define LIVE_APPLY_FAILED 3

static unsigned n_tests, n_failed, n_skipped;

bool live_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	if (!ok)
		n_failed++;
	printf("%sok %u - ", ok ? "" : "not ", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return ok;
}

void live_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	n_skipped++;
	printf("ok %u - ", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
	fflush(stdout);
}

void live_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int live_done(void)
{
	printf("1..%u\n", n_tests);
	printf("# %u passed, %u failed, %u skipped\n", n_tests - n_failed - n_skipped, n_failed,
	       n_skipped);
	fflush(stdout);
	return n_failed ? 1 : 0;
}

void live_bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(1);
}

void live_prog_export(scmp_filter_ctx ctx, struct live_prog *ret)
{
	/* A memfd rather than a temp file: nothing to clean up, nothing shared. */
	int fd = memfd_create("live-bpf", MFD_CLOEXEC);
	struct stat st;
	int r;

	if (!ctx)
		live_bail("seccomp_init failed");
	if (fd < 0)
		live_bail("memfd_create: %s", strerror(errno));
	r = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (r < 0)
		live_bail("seccomp_export_bpf: %s", strerror(-r));
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % (off_t)sizeof(struct sock_filter))
		live_bail("seccomp_export_bpf wrote %lld bytes, not a program", (long long)st.st_size);
	ret->len = (size_t)st.st_size / sizeof(struct sock_filter);
	ret->insn = malloc((size_t)st.st_size);
	ret->owned = true;
	if (!ret->insn || pread(fd, ret->insn, (size_t)st.st_size, 0) != st.st_size)
		live_bail("reading the exported program back failed");
	close(fd);
}

void live_prog_done(struct live_prog *p)
{
	if (p->owned)
		free(p->insn);
	p->insn = NULL;
	p->len = 0;
}

size_t live_prog_patch_ret(struct live_prog *p, uint32_t from, uint32_t to)
{
	size_t n = 0;

	for (size_t i = 0; i < p->len; i++)
		if (p->insn[i].code == (BPF_RET | BPF_K) && p->insn[i].k == from) {
			p->insn[i].k = to;
			n++;
		}
	return n;
}

void live_prog_write(const struct live_prog *p, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t n = p->len * sizeof(*p->insn);

	if (fd < 0 || write(fd, p->insn, n) != (ssize_t)n || close(fd) < 0)
		live_bail("cannot write '%s': %s", path, strerror(errno));
}

/* No core files from the kill cases: core_pattern may name a file in the build tree or a
 * pipe to a crash collector. The status then says "no core", which we only report. */
static void no_cores(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
}

static void fill_result(int status, struct live_result *ret)
{
	ret->exited = WIFEXITED(status);
	ret->status = ret->exited ? WEXITSTATUS(status) : 0;
	ret->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	ret->core = WIFSIGNALED(status) && WCOREDUMP(status);
}

void live_run(const struct live_prog *p, unsigned flags, live_probe_fn *probe, void *arg,
	      struct live_result *ret)
{
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	memset(ret, 0, sizeof(*ret));
	if (pipe2(fds, O_CLOEXEC) < 0)
		live_bail("pipe2: %s", strerror(errno));
	fflush(stdout); /* so the child's copy of the buffer is empty, whatever it prints */
	pid = fork();
	if (pid < 0)
		live_bail("fork: %s", strerror(errno));
	if (pid == 0) {
		struct live_report rep = { 0 };

		close(fds[0]);
		alarm(LIVE_TIMEOUT);
		no_cores();
		/* A pipe in core_pattern ignores RLIMIT_CORE; a non-dumpable process is never
		 * dumped. (execve resets this, so live_exec relies on the rlimit alone.) */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (p)
			rep.apply_rc = apply_filter(p->insn, p->len, flags);
		if (rep.apply_rc == 0)
			probe(&rep, arg);
		/* Small enough to be written atomically into the pipe's buffer. */
		if (write(fds[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(4);
		_exit(rep.apply_rc == 0 ? 0 : LIVE_APPLY_FAILED);
	}
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			live_bail("waitpid: %s", strerror(errno));
	fill_result(status, ret);
	ret->pid = pid;
	n = read(fds[0], &ret->rep, sizeof(ret->rep));
	ret->reported = n == (ssize_t)sizeof(ret->rep);
	close(fds[0]);
}

void live_exec(char *const argv[], char *out, size_t outlen, struct live_result *ret)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	memset(ret, 0, sizeof(*ret));
	if (pipe2(fds, O_CLOEXEC) < 0)
		live_bail("pipe2: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		live_bail("fork: %s", strerror(errno));
	if (pid == 0) {
		alarm(LIVE_TIMEOUT);
		no_cores();
		dup2(fds[1], STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (len + 1 < outlen && (n = read(fds[0], out + len, outlen - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			live_bail("waitpid: %s", strerror(errno));
	fill_result(status, ret);
	ret->reported = len > 0;
}

const char *live_describe(const struct live_result *r, char *buf, size_t len)
{
	if (r->exited && r->status == LIVE_APPLY_FAILED && r->reported)
		snprintf(buf, len, "apply_filter failed: %s", strerror(-r->rep.apply_rc));
	else if (r->exited)
		snprintf(buf, len, "exited %d%s", r->status, r->reported ? "" : " without a report");
	else
		snprintf(buf, len, "killed by SIG%s%s", sigabbrev_np(r->sig) ? sigabbrev_np(r->sig) : "?",
			 r->core ? " (core dumped)" : "");
	return buf;
}

bool live_killed_by(const struct live_result *r, int sig)
{
	return !r->exited && r->sig == sig && !r->reported;
}
