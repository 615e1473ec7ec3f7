/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ebpf-cgroup.c — the cgroup v2 facts the eBPF recorder needs: where the hierarchy is
 * mounted (found, not assumed: /sys/fs/cgroup on a unified system, /sys/fs/cgroup/unified on
 * a hybrid one), a directory's id and level (what the kernel half compares with
 * bpf_get_current_ancestor_cgroup_id()), a process's cgroup, and whether one is empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "record/record.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] && r[3]) {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int cgroup2_mount(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	int rc = -ENOTSUP;

	if (!f)
		return -errno;
	/* id parent maj:min root mountpoint options [optional...] - fstype source superoptions */
	while (rc < 0 && getline(&line, &cap, f) > 0) {
		char *save = NULL, *field[5], *tok, *fstype = NULL;
		int n = 0;
		for (tok = strtok_r(line, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
			if (n < 5)
				field[n] = tok;
			n++;
			if (strcmp(tok, "-") == 0) {
				fstype = strtok_r(NULL, " \n", &save);
				break;
			}
		}
		/* The hierarchy's root, not a bind mount of a part of it: levels count from it. */
		if (n >= 5 && fstype && strcmp(fstype, "cgroup2") == 0 && strcmp(field[3], "/") == 0) {
			unescape(field[4]);
			if ((size_t)snprintf(buf, size, "%s", field[4]) < size)
				rc = 0;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

int cgroup2_dir(const char *path, uint64_t *ret_id, unsigned *ret_level, struct sc_diag *reterr)
{
	char real[PATH_MAX], mnt[PATH_MAX];
	struct statfs sfs;
	struct stat st;
	unsigned level = 0;
	size_t mlen;
	int rc;

	if (!path || path[0] != '/') {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "'%s' is not an absolute path",
			    path ? path : "");
		return -EINVAL;
	}
	if (!realpath(path, real) || stat(real, &st) < 0) {
		rc = -errno;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no cgroup '%s': %s", path, strerror(-rc));
		return rc;
	}
	if (!S_ISDIR(st.st_mode) || statfs(real, &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		rc = cgroup2_mount(mnt, sizeof(mnt));
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "'%s' is not a cgroup v2 directory", path);
		if (rc == 0)
			sc_diag_hint(reterr, "cgroup v2 is mounted at %s (v1 hierarchies cannot be watched)",
				     mnt);
		else
			sc_diag_hint(reterr, "this machine has no cgroup v2 mount");
		return -ENOTDIR;
	}
	rc = cgroup2_mount(mnt, sizeof(mnt));
	mlen = strlen(mnt);
	while (mlen > 1 && mnt[mlen - 1] == '/')
		mlen--;
	if (rc < 0 || strncmp(real, mnt, mlen) != 0 || (real[mlen] && real[mlen] != '/')) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "'%s' is not under this namespace's cgroup v2 mount", path);
		return -ENOTDIR;
	}
	for (const char *p = real + mlen; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			level++;
	*ret_id = (uint64_t)st.st_ino;
	*ret_level = level;
	return 0;
}

int cgroup2_of_pid(int pid, char *buf, size_t size)
{
	char path[64], mnt[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int rc = cgroup2_mount(mnt, sizeof(mnt));

	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	rc = -ENOENT;
	while (rc < 0 && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		/* "0::/path": the v2 hierarchy's line. */
		if (strncmp(line, "0::", 3) == 0)
			rc = (size_t)snprintf(buf, size, "%s%s", mnt,
					      strcmp(line + 3, "/") == 0 ? "" : line + 3) < size
				     ? 0
				     : -ENAMETOOLONG;
	}
	free(line);
	fclose(f);
	return rc;
}

int cgroup2_populated(const char *dir)
{
	char path[PATH_MAX], buf[256];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.events", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (strstr(buf, "populated 1"))
		return 1;
	return strstr(buf, "populated 0") ? 0 : -EPROTO;
}
