/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * workload.c — a deterministic program for comparing the recorders: threads, a fork, an exec,
 * and calls whose captured arguments are fixed (ioctl requests, socket family/type/protocol,
 * prctl options, clone flags). Every run makes the same set of distinct calls whatever the
 * scheduling: the futex a pthread_join may or may not need is made explicitly, and every
 * thread is joined before the next step.
 *
 *	workload            prints "workload ok", exit 0
 *	workload --extra    also tries socket(AF_INET6, SOCK_DGRAM): prints "extra: errno=N"
 */
#include <errno.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int pipefd[2];

static void calls(void)
{
	int n = 0, s;
	char name[16];

	if (ioctl(pipefd[0], FIONREAD, &n) < 0)
		perror("FIONREAD");
	prctl(PR_GET_NAME, name, 0, 0, 0);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0)
		close(s);
}

static void *thread_main(void *arg)
{
	(void)arg;
	calls();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	int futex_word = 0, status, s;
	pid_t pid;

	if (pipe(pipefd) < 0)
		return 1;
	prctl(PR_SET_NAME, "workload", 0, 0, 0);
	s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (s >= 0)
		close(s);
	calls();
	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, thread_main, NULL) != 0)
			return 1;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);

	pid = fork();
	if (pid == 0) {
		calls();
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 1;

	if (argc > 1 && strcmp(argv[1], "--extra") == 0) {
		s = socket(AF_INET6, SOCK_DGRAM, 0);
		printf("extra: errno=%d\n", s < 0 ? errno : 0);
	}
	printf("workload ok\n");
	return 0;
}
