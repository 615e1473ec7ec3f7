/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container.c — a container's name or id to what the eBPF recorder watches: its init
 * process and its cgroup v2 directory, asked of each runtime the way it keeps them:
 *
 *	podman      `podman ps --format json` (Id, Names, Pid)
 *	docker      `docker ps -q` + `docker inspect` when a daemon answers
 *	containerd  `ctr namespaces ls -q`, `ctr -n NS task ls` (CONTAINERD_ADDRESS as ctr reads it)
 *	runc        its state: /run/runc/<id>/state.json and containerd's /run/containerd/runc/<ns>/
 *	crun        its state: /run/crun/<id>/status
 *
 * and Kubernetes' pod cgroups (kubepods under the cgroup2 mount), whose paths carry the pod's
 * uid and the container's id. The cgroup of a process is its `0::` line of /proc/PID/cgroup
 * under the cgroup2 mount point.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "record/container.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Where runc keeps state: its own root and containerd's (one directory per namespace). */
static const char *const runc_roots[] = { "/run/runc" };
static const char containerd_runc_root[] = "/run/containerd/runc";
static const char crun_root[] = "/run/crun";

/* The standard output of @argv (stderr dropped), NUL-terminated, malloc'd; the exit status,
 * or -ENOENT when the program is not installed. */
static int capture(char *const argv[], char **ret)
{
	int fd[2], status = 0;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;
	ssize_t n;

	*ret = NULL;
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(fd[1], STDOUT_FILENO);
		if (null >= 0) {
			dup2(null, STDERR_FILENO);
			dup2(null, STDIN_FILENO);
		}
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(fd[1]);
	for (;;) {
		buf = xgrow(buf, &cap, len + 4097, 1);
		n = read(fd[0], buf + len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*ret = buf;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The cgroup2 mount point (the first one in our mount namespace), into @buf; false if none. */
static bool cgroup2_mount(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		/* id parent major:minor root mountpoint options ... - fstype source superopts */
		char *dash = strstr(line, " - "), mnt[PATH_MAX];
		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(buf, size, "%s", mnt);
			found = true;
		}
	}
	fclose(f);
	return found;
}

int container_cgroup_of(pid_t pid, char *buf, size_t size)
{
	char path[64], line[4096], mnt[PATH_MAX];
	FILE *f;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!cgroup2_mount(mnt, sizeof(mnt))) {
		fclose(f);
		return -ENOTSUP;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, size, "%s%s", mnt, strcmp(line + 3, "/") == 0 ? "" : line + 3);
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/* @dir/@name into @buf (PATH_MAX); false when it does not fit. */
static bool path_join(char *buf, const char *dir, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);

	return n > 0 && n < PATH_MAX;
}

static bool alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static void list_add(struct container_list *l, const char *runtime, const char *id,
		     const char *name, pid_t pid, const char *cgroup)
{
	struct sc_container *c;

	/* One container, several runtimes (podman's runc, containerd's): the first asked
	 * (the one the user knows it by) keeps it. */
	for (size_t i = 0; i < l->n; i++)
		if ((pid > 0 && l->v[i].pid == pid) || (pid <= 0 && cgroup && strcmp(l->v[i].cgroup, cgroup) == 0))
			return;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->runtime, sizeof(c->runtime), "%s", runtime);
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->name, sizeof(c->name), "%s", name && *name ? name : id);
	c->pid = pid;
	if (cgroup)
		snprintf(c->cgroup, sizeof(c->cgroup), "%s", cgroup);
	else if (pid > 0 && container_cgroup_of(pid, c->cgroup, sizeof(c->cgroup)) < 0)
		c->cgroup[0] = '\0';
}

/* Is there a socket at @env's path, else at @fallback? A CLI asked without a daemon waits
 * for it (ctr 10 s): no socket, no daemon. */
static bool daemon_socket(const char *env, const char *fallback)
{
	const char *path = getenv(env);
	struct stat st;

	if (!path || !*path)
		path = fallback;
	else if (strncmp(path, "unix://", 7) == 0)
		path += 7;
	else if (strchr(path, ':') && path[0] != '/')
		return true; /* tcp://…: let the CLI find out */
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* ---- podman, docker: their CLIs ---- */

static int list_podman(struct container_list *l)
{
	char *argv[] = { (char *)"podman", (char *)"ps", (char *)"--format", (char *)"json", NULL };
	char *out;
	int rc = capture(argv, &out);
	json_t *root, *c;
	size_t i;

	if (rc != 0) {
		free(out);
		return rc < 0 ? rc : -EIO;
	}
	root = json_loads(out, 0, NULL);
	free(out);
	json_array_foreach(root, i, c) {
		json_t *names = json_object_get(c, "Names");
		const char *id = json_string_value(json_object_get(c, "Id"));
		const char *name = json_string_value(json_array_get(names, 0));
		json_int_t pid = json_integer_value(json_object_get(c, "Pid"));
		if (id && pid > 0)
			list_add(l, "podman", id, name, (pid_t)pid, NULL);
	}
	json_decref(root);
	return 0;
}

static int list_docker(struct container_list *l)
{
	char *ps[] = { (char *)"docker", (char *)"ps", (char *)"-q", (char *)"--no-trunc", NULL };
	char **argv = NULL, *out, *tok, *save = NULL, *ids;
	size_t n = 0, cap = 0, i;
	json_t *root, *c;
	int rc;

	if (!daemon_socket("DOCKER_HOST", "/var/run/docker.sock"))
		return -ECONNREFUSED;
	rc = capture(ps, &ids);
	if (rc != 0) {
		free(ids);
		return rc < 0 ? rc : -ECONNREFUSED; /* the CLI without a daemon */
	}
	argv = xgrow(argv, &cap, 3, sizeof(*argv));
	argv[n++] = (char *)"docker";
	argv[n++] = (char *)"inspect";
	for (tok = strtok_r(ids, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		argv = xgrow(argv, &cap, n + 2, sizeof(*argv));
		argv[n++] = tok;
	}
	argv[n] = NULL;
	if (n == 2) {
		free(argv);
		free(ids);
		return 0;
	}
	rc = capture(argv, &out);
	free(argv);
	free(ids);
	root = rc == 0 ? json_loads(out, 0, NULL) : NULL;
	free(out);
	json_array_foreach(root, i, c) {
		const char *id = json_string_value(json_object_get(c, "Id"));
		const char *name = json_string_value(json_object_get(c, "Name"));
		json_int_t pid = json_integer_value(json_object_get(json_object_get(c, "State"), "Pid"));
		if (name && *name == '/')
			name++;
		if (id && pid > 0)
			list_add(l, "docker", id, name, (pid_t)pid, NULL);
	}
	json_decref(root);
	return rc == 0 ? 0 : -EIO;
}

/* ---- containerd: ctr, namespace by namespace ---- */

static int list_containerd(struct container_list *l)
{
	char *ns_argv[] = { (char *)"ctr", (char *)"namespaces", (char *)"ls", (char *)"-q", NULL };
	char *nss, *ns, *save = NULL;
	int rc;

	if (!daemon_socket("CONTAINERD_ADDRESS", "/run/containerd/containerd.sock"))
		return -ECONNREFUSED;
	rc = capture(ns_argv, &nss);

	if (rc != 0) {
		free(nss);
		return rc < 0 ? rc : -ECONNREFUSED;
	}
	for (ns = strtok_r(nss, "\n", &save); ns; ns = strtok_r(NULL, "\n", &save)) {
		char *argv[] = { (char *)"ctr", (char *)"-n", ns, (char *)"task", (char *)"ls", NULL };
		char *out, *line, *lsave = NULL;
		if (capture(argv, &out) != 0) {
			free(out);
			continue;
		}
		/* TASK PID STATUS, after a header line */
		for (line = strtok_r(out, "\n", &lsave); line; line = strtok_r(NULL, "\n", &lsave)) {
			char id[256], status[32];
			int pid;
			if (sscanf(line, "%255s %d %31s", id, &pid, status) == 3 && pid > 0 &&
			    strcmp(status, "RUNNING") == 0)
				list_add(l, "containerd", id, id, pid, NULL);
		}
		free(out);
	}
	free(nss);
	return 0;
}

/* ---- runc and crun: their state directories ---- */

/* Every <root>/<id>/<file> holding a live pid under @key. */
static void list_state_dir(struct container_list *l, const char *runtime, const char *root,
			   const char *file, const char *key)
{
	DIR *d = opendir(root);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		json_t *j;
		json_int_t pid;
		if (e->d_name[0] == '.')
			continue;
		char idir[PATH_MAX];
		if (!path_join(idir, root, e->d_name) || !path_join(path, idir, file))
			continue;
		j = json_load_file(path, 0, NULL);
		pid = json_integer_value(json_object_get(j, key));
		if (pid > 0 && alive((pid_t)pid))
			list_add(l, runtime, e->d_name, e->d_name, (pid_t)pid, NULL);
		json_decref(j);
	}
	closedir(d);
}

static int list_runc(struct container_list *l)
{
	DIR *d;
	struct dirent *e;

	for (size_t i = 0; i < NELEMS(runc_roots); i++)
		list_state_dir(l, "runc", runc_roots[i], "state.json", "init_process_pid");
	d = opendir(containerd_runc_root);
	while (d && (e = readdir(d))) {
		char root[PATH_MAX];
		if (e->d_name[0] == '.')
			continue;
		if (!path_join(root, containerd_runc_root, e->d_name))
			continue;
		list_state_dir(l, "runc", root, "state.json", "init_process_pid");
	}
	if (d)
		closedir(d);
	return 0;
}

static int list_crun(struct container_list *l)
{
	list_state_dir(l, "crun", crun_root, "status", "pid");
	return 0;
}

/* ---- Kubernetes' pod cgroups ---- */

/* "pod<uid>" or "kubepods-<qos>-pod<uid_with_underscores>.slice": the pod's uid, else NULL. */
static bool pod_uid(const char *dir, char *buf, size_t size)
{
	const char *p = strncmp(dir, "pod", 3) == 0 ? dir : strstr(dir, "-pod");
	size_t n;

	if (!p)
		return false;
	p += *p == '-' ? 4 : 3;
	n = strcspn(p, ".");
	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		buf[i] = p[i] == '_' ? '-' : p[i];
	buf[n] = '\0';
	return true;
}

/* "<id>", "cri-containerd-<id>.scope", "docker-<id>.scope", "crio-<id>.scope": the id. */
static void container_id(const char *dir, char *buf, size_t size)
{
	const char *p = strrchr(dir, '-');
	size_t n;

	p = p ? p + 1 : dir;
	n = strcspn(p, ".");
	snprintf(buf, size, "%.*s", (int)n, p);
}

static void scan_pods(struct container_list *l, const char *path, int depth)
{
	DIR *d;
	struct dirent *e;

	if (depth > 3 || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		char sub[PATH_MAX], uid[128];
		struct stat st;
		if (e->d_name[0] == '.' || !path_join(sub, path, e->d_name))
			continue;
		if (stat(sub, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (pod_uid(e->d_name, uid, sizeof(uid))) {
			DIR *pd = opendir(sub);
			struct dirent *c;
			while (pd && (c = readdir(pd))) {
				char cdir[PATH_MAX], cid[128], name[256];
				if (c->d_name[0] == '.' || !path_join(cdir, sub, c->d_name))
					continue;
				if (stat(cdir, &st) < 0 || !S_ISDIR(st.st_mode))
					continue;
				container_id(c->d_name, cid, sizeof(cid));
				snprintf(name, sizeof(name), "pod-%s_%.12s", uid, cid);
				list_add(l, "kubepods", cid, name, 0, cdir);
			}
			if (pd)
				closedir(pd);
		} else {
			scan_pods(l, sub, depth + 1); /* kubepods/burstable, kubepods-besteffort.slice … */
		}
	}
	closedir(d);
}

void container_scan_kubepods(struct container_list *l, const char *cgroup2_root)
{
	DIR *d = opendir(cgroup2_root);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		if (strncmp(e->d_name, "kubepods", 8) != 0)
			continue;
		if (!path_join(path, cgroup2_root, e->d_name))
			continue;
		scan_pods(l, path, 0);
	}
	if (d)
		closedir(d);
}

static int list_kubepods(struct container_list *l)
{
	char mnt[PATH_MAX];

	if (cgroup2_mount(mnt, sizeof(mnt)))
		container_scan_kubepods(l, mnt);
	return 0;
}

/* ---- the public face ---- */

/* In the order a name is looked up and --all-containers lists them: the managers first, so
 * a container podman runs with runc is podman's. */
static const struct {
	const char *name;
	int (*list)(struct container_list *l);
} runtimes[] = {
	{ "podman", list_podman },
	{ "docker", list_docker },
	{ "containerd", list_containerd },
	{ "crun", list_crun },
	{ "runc", list_runc },
	{ "kubepods", list_kubepods },
};

/* Ask @runtime (NULL: every one) for its containers; @asked gets what was asked and how it
 * answered ("podman, docker (no daemon answers), …"). */
static int list_runtimes(const char *runtime, struct container_list *l, char *asked, size_t size,
			 struct sc_diag *reterr)
{
	bool known = !runtime;
	size_t at = 0;

	asked[0] = '\0';
	for (size_t i = 0; i < NELEMS(runtimes); i++) {
		if (runtime && strcmp(runtime, runtimes[i].name) != 0)
			continue;
		known = true;
		int rc = runtimes[i].list(l);
		if (at < size)
			at += (size_t)snprintf(asked + at, size - at, "%s%s%s", at ? ", " : "", runtimes[i].name,
					       rc == -ENOENT ? " (not installed)" : rc < 0 ? " (no daemon answers)" : "");
		if (rc < 0 && runtime) {
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "%s: %s", runtime,
				    rc == -ENOENT ? "not installed" : "no daemon answers");
			return rc;
		}
	}
	if (!known) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "unknown container runtime '%s'", runtime);
		sc_diag_hint(reterr, "known: podman, docker, containerd, crun, runc, kubepods");
		return -EINVAL;
	}
	return 0;
}

SC_EXPORT int sc_container_list(const char *runtime, struct sc_container **ret, size_t *ret_n,
				struct sc_diag *reterr)
{
	struct container_list l = { 0 };
	char asked[256];
	int rc = list_runtimes(runtime, &l, asked, sizeof(asked), reterr);

	if (rc < 0) {
		free(l.v);
		return rc;
	}
	*ret = l.v;
	*ret_n = l.n;
	return 0;
}

SC_EXPORT int sc_container_find(const char *name, const char *runtime, struct sc_container *ret,
				struct sc_diag *reterr)
{
	struct container_list l = { 0 };
	size_t match = 0, hits = 0, len = strlen(name);
	char asked[256];
	int rc = list_runtimes(runtime, &l, asked, sizeof(asked), reterr);

	if (rc < 0) {
		free(l.v);
		return rc;
	}
	/* A name, a full id, or else an unambiguous id prefix (as podman and docker take them). */
	for (size_t i = 0; i < l.n && hits == 0; i++)
		if (strcmp(l.v[i].name, name) == 0 || strcmp(l.v[i].id, name) == 0) {
			match = i;
			hits = 1;
		}
	if (hits == 0 && len >= 4)
		for (size_t i = 0; i < l.n; i++)
			if (strncmp(l.v[i].id, name, len) == 0) {
				match = i;
				hits++;
			}
	if (hits != 1) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "%s running container '%s' (asked: %s)",
			    hits > 1 ? "more than one" : "no", name, asked);
		sc_diag_hint(reterr, hits > 1 ? "give more of the id, or the name"
			     : "`record --all-containers` records every running container");
		free(l.v);
		return -ENOENT;
	}
	*ret = l.v[match];
	free(l.v);
	return 0;
}
