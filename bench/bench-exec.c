/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-exec — run one command once and say what it cost as a whole process: wall-clock
 * time from fork to reaped exit, and the child's peak resident set (wait4's ru_maxrss).
 *
 * A shell cannot time a process to a tenth of a millisecond without timing its own forks
 * too, and cannot read a child's ru_maxrss; bench-house.sh needs both. The child's output
 * goes to /dev/null (its -o, if it has one, is the caller's business), unless -k keeps its
 * standard output. Prints one line last: "<wall-ns> <maxrss-kB> <cpu-ns>", the last being
 * user + system time of the child and the descendants it reaped, which a busy machine
 * disturbs far less than wall-clock time. Exit status: the child's (128 + signal when
 * killed), 125 when it could not be run.
 *
 *	build/bench/bench-exec [-k] -- COMMAND [ARG...]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long tv_ns(struct timeval t)
{
	return (long long)t.tv_sec * 1000000000LL + (long long)t.tv_usec * 1000LL;
}

int main(int argc, char **argv)
{
	int keep_stdout = 0, i = 1, status, devnull;
	struct rusage ru;
	long long t0, t1;
	pid_t pid;

	if (i < argc && strcmp(argv[i], "-k") == 0) {
		keep_stdout = 1;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: bench-exec [-k] -- COMMAND [ARG...]\n");
		return 125;
	}
	/* Opened before the clock starts: the child only dup2()s it. */
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		perror("bench-exec: /dev/null");
		return 125;
	}
	fflush(stdout);
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("bench-exec: fork");
		return 125;
	}
	if (pid == 0) {
		if (!keep_stdout)
			dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		execvp(argv[i], argv + i);
		_exit(125);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench-exec: wait4");
			return 125;
		}
	}
	t1 = now_ns();
	printf("%lld %ld %lld\n", t1 - t0, ru.ru_maxrss, tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
