/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seize.c — sc_record_attach(): record a process that is already running, under ptrace, for
 * `record --pid` where nothing in the kernel tells the process apart (it shares its cgroup
 * and its pid namespace with pid 1), so the eBPF recorder cannot filter for it.
 *
 * trace.c's one-stop-per-call filter cannot be used: it must be installed by the process
 * itself before it execs. So this is strace's way: PTRACE_SEIZE every thread (and, through
 * PTRACE_O_TRACE{FORK,VFORK,CLONE}, every thread and child made from then on), PTRACE_SYSCALL
 * stops at entry and exit (PTRACE_O_TRACESYSGOOD tells them from signals), and at each entry
 * PTRACE_GET_SYSCALL_INFO gives ABI, number and arguments. Twice the stops of trace.c, so
 * slower; but the process keeps running afterwards: when the recording ends (the process
 * exits, SIGINT/SIGTERM/SIGHUP, or the duration) every tracee is interrupted and detached.
 * A thread made by a not-yet-seized thread while the threads are being listed is caught by
 * listing them again until no new one shows.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "record/record.h"

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define SYSCALL_INFO_ENTRY 1

/* PTRACE_GET_SYSCALL_INFO's answer, up to the entry's arguments (the kernel's ABI). */
struct entry_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	uint64_t nr;
	uint64_t args[6];
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

struct tids {
	pid_t *v;
	size_t n, cap;
};

static bool tids_has(const struct tids *t, pid_t tid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == tid)
			return true;
	return false;
}

static void tids_add(struct tids *t, pid_t tid)
{
	if (tids_has(t, tid))
		return;
	t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = tid;
}

static void tids_drop(struct tids *t, pid_t tid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == tid) {
			t->v[i] = t->v[--t->n];
			return;
		}
}

/* Seize every thread of @pid not seized yet; how many were new, or -errno for the first. */
static int seize_threads(pid_t pid, struct tids *t)
{
	const unsigned long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
				   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;
	char path[64];
	struct dirent *e;
	DIR *d;
	int fresh = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0 || tids_has(t, tid))
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, (void *)opts) < 0) {
			int err = errno;
			if (t->n == 0 && fresh == 0) {
				closedir(d);
				return -err;
			}
			continue; /* it exited meanwhile */
		}
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		tids_add(t, tid);
		fresh++;
	}
	closedir(d);
	return fresh;
}

/* Detach every tracee: each must be in a ptrace-stop first. */
static void detach_all(struct tids *t)
{
	for (size_t i = 0; i < t->n; i++)
		ptrace(PTRACE_INTERRUPT, t->v[i], 0, 0);
	while (t->n > 0) {
		int status, sig = 0;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (WIFSTOPPED(status)) {
			int event = (unsigned)status >> 16;
			sig = WSTOPSIG(status);
			/* A signal-delivery stop's signal is the process's: hand it back. */
			if (event != 0 || sig == (SIGTRAP | 0x80))
				sig = 0;
			ptrace(PTRACE_DETACH, tid, 0, (void *)(long)sig);
		}
		tids_drop(t, tid);
	}
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

SC_EXPORT int sc_record_attach(struct sc_recording *r, pid_t pid, double duration,
			       struct sc_diag *reterr)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGALRM };
	struct sigaction sa = { .sa_handler = on_stop }, old[4];
	struct itimerval timer = { 0 };
	struct tids t = { 0 };
	int rc;

	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH)) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no process %d", (int)pid);
		return -ENOENT;
	}
	stop_signal = 0;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 4; i++)
		sigaction(stops[i], &sa, &old[i]); /* no SA_RESTART: waitpid returns */
	rc = seize_threads(pid, &t);
	if (rc < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot trace process %d: %s", (int)pid,
			    strerror(-rc));
		if (rc == -EPERM)
			sc_diag_hint(reterr, "is it traced already (strace, gdb), or does "
					     "/proc/sys/kernel/yama/ptrace_scope forbid it?");
		goto out;
	}
	while (seize_threads(pid, &t) > 0)
		;
	rc = 0;
	if (duration > 0) {
		timer.it_value.tv_sec = (time_t)duration;
		timer.it_value.tv_usec = (suseconds_t)((duration - (double)(time_t)duration) * 1e6);
		setitimer(ITIMER_REAL, &timer, NULL);
	}
	while (t.n > 0 && !stop_signal) {
		struct entry_info info;
		unsigned long msg;
		int status, sig, event;
		pid_t tid = waitpid(-1, &status, __WALL);

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			tids_drop(&t, tid);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		tids_add(&t, tid); /* a new child's first stop may come before its parent's event */
		sig = WSTOPSIG(status);
		event = (unsigned)status >> 16;
		if (sig == (SIGTRAP | 0x80)) {
			long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);
			if (n > 0 && info.op == SYSCALL_INFO_ENTRY) {
				uint32_t nr = (uint32_t)info.nr;
				const struct sc_arch *arch = sc_arch_by_audit(info.arch, nr);
				if (arch)
					rec_set_add_call((struct rec_set *)r, arch, nr, info.args);
			}
			ptrace(PTRACE_SYSCALL, tid, 0, 0);
			continue;
		}
		switch (event) {
		case 0:
			ptrace(PTRACE_SYSCALL, tid, 0, (void *)(long)sig); /* deliver it */
			break;
		case PTRACE_EVENT_STOP:
			if (is_stop_signal(sig))
				ptrace(PTRACE_LISTEN, tid, 0, 0);
			else
				ptrace(PTRACE_SYSCALL, tid, 0, 0);
			break;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0)
				tids_add(&t, (pid_t)msg);
			ptrace(PTRACE_SYSCALL, tid, 0, 0);
			break;
		case PTRACE_EVENT_EXEC:
			/* A non-leader that execs takes the leader's id; its own goes silently. */
			if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid)
				tids_drop(&t, (pid_t)msg);
			ptrace(PTRACE_SYSCALL, tid, 0, 0);
			break;
		default:
			ptrace(PTRACE_SYSCALL, tid, 0, 0);
			break;
		}
	}
	detach_all(&t);
out:
	timer = (struct itimerval){ 0 };
	setitimer(ITIMER_REAL, &timer, NULL);
	for (size_t i = 0; i < 4; i++)
		sigaction(stops[i], &old[i], NULL);
	free(t.v);
	return rc;
}
