/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ebpf-command.c — sc_record_ebpf_command(): run a command in a cgroup v2 of its own and
 * record it with the eBPF recorder (ebpf-watch.c).
 *
 * The cgroup is <cgroup2 mount>/seccompose/rec-<recorder's pid>. The child is forked, waits
 * on a pipe while the parent moves it into the cgroup, then execs; the target counts from
 * that execve (from_exec), so what the child does before it is not the command's, exactly
 * as the ptrace recorder's filter starts at the execve. The recording lasts until the
 * cgroup is empty: descendants the command leaves behind are recorded for as long as they
 * run, as under ptrace. Signals follow trace.c's rules: one sent by a process to the
 * recorder while the command runs is relayed to it; once the command has exited, SIGINT,
 * SIGQUIT, SIGTERM or SIGHUP ends the recording and kills what is left (cgroup.kill).
 * A recorder killed outright leaves the cgroup behind: the next one removes it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/record.h"

static volatile sig_atomic_t main_pid;    /* the command, until it is reaped */
static volatile sig_atomic_t stop_signal; /* a signal that ends the recording */

static void on_signal(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	if (main_pid > 0) {
		/* si_code <= 0: sent by a process; the terminal's reached the command already. */
		if (si->si_code <= 0)
			kill(main_pid, sig);
	} else {
		stop_signal = sig;
	}
}

/* Write @text into @dir/@file. */
static int write_file(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

/* Kill everything in cgroup @dir (cgroup.kill from Linux 5.14; else each process listed). */
static void kill_cgroup(const char *dir)
{
	char path[PATH_MAX + 64];
	FILE *f;
	int pid;

	if (write_file(dir, "cgroup.kill", "1") == 0)
		return;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	while (f && fscanf(f, "%d", &pid) == 1)
		kill(pid, SIGKILL);
	if (f)
		fclose(f);
}

/* Cgroups of recorders that were killed outright (their pid is gone): empty, removable. */
static void remove_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		int pid;
		if (sscanf(e->d_name, "rec-%d", &pid) != 1 || (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, e->d_name);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

/* Make <mount>/seccompose/rec-<pid> into @dir. */
static int make_cgroup(char *dir, size_t size, struct sc_diag *reterr)
{
	char parent[PATH_MAX];
	int rc = cgroup2_mount(parent, sizeof(parent) - 16);

	if (rc < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no cgroup v2 hierarchy is mounted");
		return rc;
	}
	strcat(parent, "/seccompose");
	snprintf(dir, size, "%s/rec-%d", parent, (int)getpid());
	/* Another recorder may remove the parent between the two mkdirs: try again. */
	for (int tries = 0; tries < 3; tries++) {
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			break;
		remove_stale(parent);
		rmdir(dir); /* a stale one of this pid's */
		if (mkdir(dir, 0755) == 0)
			return 0;
		if (errno != ENOENT)
			break;
	}
	rc = -errno;
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot create the cgroup %s: %s", dir,
		    strerror(-rc));
	return rc;
}

static void remove_cgroup(const char *dir)
{
	char parent[PATH_MAX];

	/* Empty now, but the last process may still be on its way out. */
	for (int i = 0; i < 100 && rmdir(dir) < 0 && errno == EBUSY; i++)
		usleep(10000);
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	rmdir(parent); /* fails while another recorder uses it: fine */
}

/* The child: wait until it is in the cgroup, exec. Never returns. */
static void run_child(char *const argv[], int go_fd, int err_fd, const struct sigaction *old)
{
	char c;
	ssize_t n;
	int err;

	for (size_t i = 0; i < REC_NRELAYED; i++)
		sigaction(rec_relayed[i], &old[i], NULL);
	do
		n = read(go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0)
		_exit(126); /* the parent died or failed: it reports why */
	close(go_fd);
	execvp(argv[0], argv);
	err = errno;
	if (write(err_fd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(err == ENOENT ? 127 : 126);
}

/* Is the cgroup whose cgroup.events @fd is open populated? Reading also re-arms POLLPRI
 * (kernfs reports a change until the file is read again). */
static bool populated(int fd, const char *dir)
{
	char buf[256];
	ssize_t n = fd >= 0 ? pread(fd, buf, sizeof(buf) - 1, 0) : -1;

	if (n < 0)
		return cgroup2_populated(dir) > 0;
	buf[n] = '\0';
	return strstr(buf, "populated 1") != NULL;
}

/* Follow the cgroup until it is empty; the command's wait status into @ret_status. */
static void follow(struct sc_watch *w, const char *dir, pid_t child, int *ret_status)
{
	char path[PATH_MAX + 64];
	int ep = epoll_create1(EPOLL_CLOEXEC), evfd, pidfd;
	struct epoll_event ev = { .events = EPOLLIN };
	bool killed = false;

	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	evfd = open(path, O_RDONLY | O_CLOEXEC);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	epoll_ctl(ep, EPOLL_CTL_ADD, ebpf_watch_fd(w), &ev);
	if (pidfd >= 0)
		epoll_ctl(ep, EPOLL_CTL_ADD, pidfd, &ev);
	/* cgroup.events signals a change with POLLPRI (kernfs_notify). */
	ev.events = EPOLLPRI;
	if (evfd >= 0)
		epoll_ctl(ep, EPOLL_CTL_ADD, evfd, &ev);
	for (;;) {
		struct epoll_event got[4];
		int status;

		sc_watch_poll(w, 0);
		if (main_pid > 0 && waitpid(child, &status, WNOHANG) == child) {
			*ret_status = status;
			main_pid = 0;
			/* A pidfd stays readable once its process is gone: stop asking it. */
			if (pidfd >= 0)
				epoll_ctl(ep, EPOLL_CTL_DEL, pidfd, NULL);
		}
		if (main_pid == 0 && stop_signal && !killed) {
			kill_cgroup(dir);
			killed = true;
		}
		if (!populated(evfd, dir) && main_pid == 0)
			break;
		/* The timeout only bounds what a missed wake-up could cost. */
		epoll_wait(ep, got, 4, 1000);
	}
	sc_watch_poll(w, 0);
	if (evfd >= 0)
		close(evfd);
	if (pidfd >= 0)
		close(pidfd);
	close(ep);
}

SC_EXPORT int sc_record_ebpf_command(struct sc_recording *r, char *const argv[], int *ret_status,
				     struct sc_diag *reterr)
{
	struct sigaction old[REC_NRELAYED], sa;
	struct sc_watch *w = NULL;
	char dir[PATH_MAX], pidtext[32];
	int go[2] = { -1, -1 }, err[2] = { -1, -1 }, id = -1, rc, status = 0, child_err = 0;
	pid_t pid;

	if (!argv || !argv[0]) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no command to record");
		return -EINVAL;
	}
	rc = sc_watch_new(&w, reterr);
	if (rc < 0)
		return rc;
	rc = make_cgroup(dir, sizeof(dir), reterr);
	if (rc < 0) {
		sc_watch_free(w);
		return rc;
	}
	id = sc_watch_add(w, &(struct sc_watch_target){ .cgroup_dir = dir, .from_exec = true },
			  reterr);
	if (id < 0) {
		rc = id;
		goto out_cgroup;
	}
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		rc = -errno;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': %s", argv[0],
			    strerror(-rc));
		for (int i = 0; i < 2; i++) {
			if (go[i] >= 0)
				close(go[i]);
		}
		goto out_cgroup;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	main_pid = 0;
	stop_signal = 0;
	for (size_t i = 0; i < REC_NRELAYED; i++) {
		sigaction(rec_relayed[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(rec_relayed[i], &sa, NULL);
	}
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(err[0]);
		run_child(argv, go[0], err[1], old);
	}
	close(go[0]);
	close(err[1]);
	if (pid < 0) {
		rc = -errno;
		close(go[1]);
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': fork: %s", argv[0],
			    strerror(-rc));
		goto out_signals;
	}
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	rc = write_file(dir, "cgroup.procs", pidtext);
	if (rc < 0) {
		kill(pid, SIGKILL);
		close(go[1]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot move '%s' into the cgroup %s: %s",
			    argv[0], dir, strerror(-rc));
		goto out_signals;
	}
	main_pid = pid;
	close(go[1]); /* go */

	follow(w, dir, pid, &status);
	if (read(err[0], &child_err, sizeof(child_err)) == (ssize_t)sizeof(child_err)) {
		rc = child_err == ENOENT ? -ENOENT : -child_err;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': %s", argv[0],
			    strerror(child_err));
	} else {
		rc = sc_watch_take(w, id, r);
		if (ret_status)
			*ret_status = status;
	}
out_signals:
	main_pid = 0;
	for (size_t i = 0; i < REC_NRELAYED; i++)
		sigaction(rec_relayed[i], &old[i], NULL);
	close(err[0]);
out_cgroup:
	sc_watch_remove(w, id);
	remove_cgroup(dir);
	sc_watch_free(w);
	return rc;
}
