/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container.h — containers found through their runtimes (container.c): sc_container_find()
 * and sc_container_list() in include/seccompose.h; the pieces tests reach for.
 */
#ifndef SC_CONTAINER_H
#define SC_CONTAINER_H

#include <stddef.h>
#include <sys/types.h>

#include "seccompose.h"

struct container_list {
	struct sc_container *v;
	size_t n, cap;
};

/* The cgroup v2 directory of @pid (its `0::` line under the cgroup2 mount) into @buf.
 * 0, -ENOENT (no such process or no v2 line), -ENOTSUP (no cgroup2 mount). */
int container_cgroup_of(pid_t pid, char *buf, size_t size);

/* Add the containers of Kubernetes' pod cgroups under @cgroup2_root (kubepods*: cgroupfs's
 * kubepods/<qos>/pod<uid>/<id> and systemd's kubepods*.slice/…-pod<uid>.slice/<cri>-<id>.scope),
 * named pod-<uid>_<first 12 of the id>, by cgroup (pid 0). */
void container_scan_kubepods(struct container_list *l, const char *cgroup2_root);

#endif
