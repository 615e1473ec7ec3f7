/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-threads.c — a threaded, syscall-heavy workload for bench-record.sh: THREADS threads
 * each copying COUNT bytes from /dev/zero to /dev/null one byte a call (two calls per byte).
 *
 *	bench-threads [THREADS [COUNT]]   (defaults 4, 50000)
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long count = 50000;

static void *copy(void *arg)
{
	int in = open("/dev/zero", O_RDONLY | O_CLOEXEC), out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	char c;

	(void)arg;
	if (in < 0 || out < 0)
		exit(1);
	for (long i = 0; i < count; i++)
		if (read(in, &c, 1) != 1 || write(out, &c, 1) != 1)
			exit(1);
	close(in);
	close(out);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t t[64];

	if (argc > 2)
		count = atol(argv[2]);
	if (n < 1 || n > 64 || count < 1) {
		fprintf(stderr, "usage: bench-threads [THREADS (1-64) [COUNT]]\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, copy, NULL) != 0)
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
