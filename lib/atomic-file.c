/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * atomic-file.c — whole files in and out. Outputs appear whole or not at all (git's lockfile
 * idea): write a temporary file beside the target, fsync it, rename it over the target. A
 * failed write or a full disk leaves the old file (or none) and no temporary behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccompose.h"

SC_EXPORT int sc_file_write_atomic(const char *path, const void *buf, size_t len)
{
	char tmp[4096];
	const char *p = buf;
	int fd, r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	/* mkstemp makes 0600; outputs are ordinary files. */
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

SC_EXPORT int sc_file_read(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 65536;
	char *buf, *nb;
	int r = 0;

	if (fd < 0)
		return -errno;
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
