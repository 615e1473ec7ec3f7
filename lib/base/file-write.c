/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * file-write.c — whole files out (file-read.c reads them in). Outputs appear whole or not at all (git's lockfile
 * idea): write a temporary file beside the target, fsync it, rename it over the target. A
 * failed write or a full disk leaves the old file (or none) and no temporary behind.
 * Only regular files are replaced: a symlink is followed to its final target, a FIFO or a
 * character device is written into, a directory is refused, and "-" is standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccompose.h"

/* Write all of @buf to @fd. */
static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Where a rename must land: @path itself, or the final target of a symlink chain (git's
 * lockfiles follow symlinks the same way, so `-o link` updates the file the link names and
 * keeps the link). Relative link targets are taken from the link's directory. */
static int resolve_target(const char *path, char *ret, size_t size)
{
	char cur[4096], link[4096];
	int hops = 0;

	if ((size_t)snprintf(cur, sizeof(cur), "%s", path) >= sizeof(cur))
		return -ENAMETOOLONG;
	for (;;) {
		ssize_t n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0) {
			if (errno == EINVAL || errno == ENOENT)
				break; /* not a link, or nothing there yet: write here */
			return -errno;
		}
		if (++hops > 40)
			return -ELOOP;
		link[n] = '\0';
		if (link[0] != '/' && strchr(cur, '/')) {
			char dir[4096];
			size_t dl = (size_t)(strrchr(cur, '/') - cur) + 1;
			memcpy(dir, cur, dl);
			dir[dl] = '\0';
			if ((size_t)snprintf(cur, sizeof(cur), "%s%s", dir, link) >= sizeof(cur))
				return -ENAMETOOLONG;
		} else if ((size_t)snprintf(cur, sizeof(cur), "%s", link) >= sizeof(cur)) {
			return -ENAMETOOLONG;
		}
	}
	if ((size_t)snprintf(ret, size, "%s", cur) >= size)
		return -ENAMETOOLONG;
	return 0;
}

enum target_kind {
	TARGET_FILE,   /* a regular file to replace, or none yet */
	TARGET_STREAM, /* a FIFO or a character device to write into */
};

/* @path's final target into @target, and which kind it is. A FIFO or a character device (a
 * pipe to a reader, /dev/null, a terminal) is written into: replacing it with a regular
 * file would break the machine. A directory, a block device or a socket is refused. */
static int output_target(const char *path, char *target, size_t size, enum target_kind *ret)
{
	struct stat st;
	int r = resolve_target(path, target, size);

	if (r < 0)
		return r;
	*ret = TARGET_FILE;
	if (stat(target, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		*ret = TARGET_STREAM;
	else if (!S_ISREG(st.st_mode))
		return -EINVAL; /* nothing to replace or write into */
	return 0;
}

SC_EXPORT int sc_file_output_check(const char *path)
{
	char target[4096], dir[4096];
	enum target_kind kind;
	struct stat st;
	const char *slash;
	int r;

	if (strcmp(path, "-") == 0)
		return 0;
	r = output_target(path, target, sizeof(target), &kind);
	if (r < 0 || kind == TARGET_STREAM)
		return r;
	/* The temporary file goes beside the target: its directory must take a new file. */
	slash = strrchr(target, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == target)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - target), target);
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (access(dir, W_OK | X_OK) < 0)
		return -errno;
	return 0;
}

SC_EXPORT int sc_file_write_atomic(const char *path, const void *buf, size_t len)
{
	char target[4096], tmp[4096 + 16];
	enum target_kind kind;
	int fd, r;

	if (strcmp(path, "-") == 0)
		return write_all(STDOUT_FILENO, buf, len);
	r = output_target(path, target, sizeof(target), &kind);
	if (r < 0)
		return r;
	if (kind == TARGET_STREAM) {
		fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
		r = write_all(fd, buf, len);
		if (close(fd) < 0 && r == 0)
			r = -errno;
		return r;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", target);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	r = write_all(fd, buf, len);
	/* mkstemp makes 0600; outputs are ordinary files. */
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, target) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}
