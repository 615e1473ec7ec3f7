/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * file-read.c — a whole file (or standard input, "-") into memory, with a bound: policies
 * and group files are read this way, never streamed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccompose.h"

SC_EXPORT int sc_file_read(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 65536;
	char *buf, *nb;
	int r = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	/* A regular file's size is known: room for it and one byte more (to see the end, or a
	 * file that grows meanwhile), so a policy's buffer is not twice its size. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (!max || (size_t)st.st_size <= max))
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap + 1);
	while (buf) {
		ssize_t n;
		if (len == cap) {
			if (max && cap >= max) {
				r = -EFBIG;
				break;
			}
			nb = realloc(buf, 2 * cap + 1);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!buf)
		r = -ENOMEM;
	if (fd != STDIN_FILENO)
		close(fd);
	if (r == 0 && max && len > max)
		r = -EFBIG;
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
