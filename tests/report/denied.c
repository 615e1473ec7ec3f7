/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * denied.c — a program that needs calls a policy may deny, for `run --report` and `run
 * --learn` (tests/report/test-report.sh). Each call prints its result as the program sees
 * it, so a run with and without a supervisor can be compared:
 *
 *	denied noop                   nothing of note (record it for a base policy)
 *	denied create PATH            openat(PATH, O_WRONLY|O_CREAT|O_TRUNC): "create: ok" or "create: errno N"
 *	denied mkdir PATH             mkdir(PATH, 0700)
 *	denied spread PATH            the creation from the main thread, a thread and a fork
 *	denied wait PATH FILE         create, print the pid of the supervisor (the parent), wait for
 *	                              FILE to appear, create again
 *	denied needs PATH             create and fail (exit 1) unless it worked
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int create(const char *who, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		printf("%s: errno %d\n", who, errno);
		fflush(stdout);
		return -1;
	}
	close(fd);
	unlink(path);
	printf("%s: ok\n", who);
	fflush(stdout);
	return 0;
}

static void *thread_main(void *path)
{
	create("thread", path);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "noop") == 0) {
		printf("noop\n");
		return 0;
	}
	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "create") == 0)
		return create("create", argv[2]) < 0;
	if (strcmp(argv[1], "needs") == 0)
		return create("needs", argv[2]) < 0;
	if (strcmp(argv[1], "mkdir") == 0) {
		if (mkdir(argv[2], 0700) < 0)
			printf("mkdir: errno %d\n", errno);
		else
			printf("mkdir: ok\n");
		rmdir(argv[2]);
		return 0;
	}
	if (strcmp(argv[1], "spread") == 0) {
		pthread_t t;
		pid_t pid;
		create("main", argv[2]);
		if (pthread_create(&t, NULL, thread_main, argv[2]) == 0)
			pthread_join(t, NULL);
		pid = fork();
		if (pid == 0) {
			create("fork", argv[2]);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		return 0;
	}
	if (strcmp(argv[1], "wait") == 0 && argc > 3) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };
		create("before", argv[2]);
		printf("parent %d\n", (int)getppid());
		fflush(stdout);
		for (int i = 0; i < 1500 && access(argv[3], F_OK) != 0; i++)
			nanosleep(&tick, NULL);
		create("after", argv[2]);
		return 0;
	}
	return 2;
}
