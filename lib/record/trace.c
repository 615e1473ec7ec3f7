/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace.c — rec_trace(): run a command under ptrace and record every distinct call it makes.
 *
 * One stop per system call. The child, once seized, installs a one-instruction filter
 * `ret SECCOMP_RET_TRACE` (no arch check, so i386 `int 0x80` and x32 calls stop too) and
 * execs the command; every call of it and of its threads and descendants (the filter is
 * inherited, PTRACE_O_TRACE{FORK,VFORK,CLONE} attach them) then stops in
 * PTRACE_EVENT_SECCOMP, where PTRACE_GET_SYSCALL_INFO gives arch, number and arguments.
 * strace's PTRACE_SYSCALL stops twice per call and decodes both; here the hot path is
 * waitpid, one ptrace read, a hash-set insert and PTRACE_CONT, with no allocation.
 *
 * Rules the loop keeps:
 * - Signals reach the command as if untraced: a signal-delivery stop is restarted with its
 *   signal, a group-stop (PTRACE_EVENT_STOP with a stop signal) is held with PTRACE_LISTEN
 *   so that job control (^Z, fg, SIGCONT) works.
 * - The command's descendants are followed after it exits, until they exit too: they
 *   cannot be detached, because a process whose filter says SECCOMP_RET_TRACE has every
 *   call fail with ENOSYS once it has no tracer (it cannot even exit_group cleanly). So a
 *   daemon the command leaves behind is recorded for as long as it runs, and
 *   PTRACE_O_EXITKILL kills the tracees should the recorder die.
 * - Signals to the recorder (SIGINT, SIGQUIT, SIGTERM, SIGHUP, unless the caller ignores
 *   them): while the command runs, one sent by a process (kill(1)) is relayed to the
 *   command, for which the recorder stands; one from the terminal is not, the command's
 *   process group got it already (sudo's rule; system() ignores INT and QUIT for the same
 *   reason). Once the command has exited, any of them ends the recording: the remaining
 *   tracees are killed (see above why not detached) and the recording is returned.
 *
 * waitpid(-1, __WALL | __WNOTHREAD) reaps any child of the calling thread: a caller with
 * children of its own loses their exit statuses while rec_trace() runs. The signal handler's
 * state is static: one rec_trace() at a time per process.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "record/record.h"
#include "base/seccomp-compat.h"

/* glibc has these from 2.31; the kernel from 5.3. The layout is the kernel's ABI. */
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define SYSCALL_INFO_SECCOMP 3

struct syscall_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	struct {
		uint64_t nr;
		uint64_t args[6];
		uint32_t ret_data;
	} seccomp;
};

/* What the child reports through its close-on-exec pipe when it cannot exec. */
enum child_stage {
	STAGE_SYNC,   /* waiting for the tracer */
	STAGE_NNP,    /* PR_SET_NO_NEW_PRIVS */
	STAGE_FILTER, /* seccomp(SECCOMP_SET_MODE_FILTER) */
	STAGE_EXEC,   /* execvp */
};

struct child_error {
	int stage; /* enum child_stage */
	int err;   /* errno */
};

/*
 * The tracees (threads and processes), to know when the last one is gone. A new one is
 * announced twice, by its parent's fork event and by its own first stop, and waitpid may give
 * either first (the newest tracee is found first); it may even die before the parent's event
 * is collected. An entry lives from whichever comes first until it has both exited and been
 * announced, so neither order leaves a stale entry (the loop would wait for ever) or misses
 * a live child whose parent exited first (the loop would end early).
 */
enum tracee_flags {
	TRACEE_ANNOUNCED = 1 << 0, /* its parent's fork event was collected, or it is the command */
	TRACEE_EXITED    = 1 << 1, /* its exit was collected */
};

struct tracee {
	pid_t pid;
	unsigned flags; /* enum tracee_flags */
};

struct tracees {
	struct tracee *v;
	size_t n, cap;
	size_t live; /* entries not TRACEE_EXITED */
};

/* State shared with the signal handler: only sig_atomic_t and pids written before use. */
static volatile sig_atomic_t main_pid;     /* the command, until it is reaped */
static volatile sig_atomic_t main_done;    /* it has been reaped */
static volatile sig_atomic_t wake_pid;     /* a live tracee, to interrupt waitpid with */
static volatile sig_atomic_t stop_signal;  /* a signal that ends the recording */

const int rec_relayed[REC_NRELAYED] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };

/* Has @pid exited, its status not yet collected? (Relaying a signal to it would lose it.) */
static bool exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 &&
	       si.si_pid == pid;
}

static void on_signal(int sig, siginfo_t *si, void *uctx)
{
	int saved = errno;

	(void)uctx;
	if (main_pid > 0 && !exited(main_pid)) {
		/* si_code <= 0: sent by a process (SI_USER, SI_QUEUE, SI_TKILL). */
		if (si->si_code <= 0)
			kill(main_pid, sig);
	} else if (main_pid > 0 || main_done) {
		/* The command is gone (perhaps not yet reaped: then the loop reaps it at once and
		 * sees this). Make waitpid return even when the signal came just before the loop
		 * entered it: the loop kills every tracee anyway. */
		stop_signal = sig;
		if (wake_pid > 0)
			kill(wake_pid, SIGKILL);
	}
	errno = saved;
}

static struct tracee *tracee_get(struct tracees *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].pid == pid)
			return &t->v[i];
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	t->v[t->n] = (struct tracee){ .pid = pid, .flags = 0 };
	t->live++;
	return &t->v[t->n++];
}

/* Mark @pid with @flags; drop it once it has exited and been announced. */
static void tracee_mark(struct tracees *t, pid_t pid, unsigned flags)
{
	struct tracee *e = tracee_get(t, pid);

	if ((flags & TRACEE_EXITED) && !(e->flags & TRACEE_EXITED))
		t->live--;
	e->flags |= flags;
	if (e->flags == (TRACEE_ANNOUNCED | TRACEE_EXITED))
		*e = t->v[--t->n];
}

/* A live tracee, or 0. */
static pid_t tracee_any(const struct tracees *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (!(t->v[i].flags & TRACEE_EXITED))
			return t->v[i].pid;
	return 0;
}

static void kill_all(const struct tracees *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (!(t->v[i].flags & TRACEE_EXITED))
			kill(t->v[i].pid, SIGKILL);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The child: wait until seized, trace every call from now on, exec. Never returns. */
static void run_child(char *const argv[], int go_fd, int err_fd, const struct sigaction *old,
		      size_t nold)
{
	/* One instruction, no arch check: every ABI's calls stop, int 0x80 and x32 included. */
	static struct sock_filter trace_all[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = { .len = 1, .filter = trace_all };
	struct child_error ce = { STAGE_SYNC, 0 };
	char c;
	ssize_t n;

	for (size_t i = 0; i < nold; i++)
		sigaction(rec_relayed[i], &old[i], NULL);
	/* EOF once the parent has seized us (or died: then the write below fails, harmless). */
	do
		n = read(go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0) {
		ce.err = n < 0 ? errno : EPROTO;
		goto fail;
	}
	close(go_fd);
	ce.stage = STAGE_NNP;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		ce.err = errno;
		goto fail;
	}
	ce.stage = STAGE_FILTER;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		ce.err = errno;
		goto fail;
	}
	ce.stage = STAGE_EXEC;
	execvp(argv[0], argv);
	ce.err = errno;
fail:
	/* A short write cannot happen on a pipe for 8 bytes; nothing to do if it fails. */
	if (write(err_fd, &ce, sizeof(ce)) < 0)
		_exit(127);
	_exit(ce.err == ENOENT ? 127 : 126);
}

/* Why the child did not exec, into @reterr; 0 when it did. */
static int child_failed(int err_fd, const char *cmd, struct sc_diag *reterr)
{
	struct child_error ce;
	ssize_t n;

	do
		n = read(err_fd, &ce, sizeof(ce));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(ce))
		return 0;
	switch (ce.stage) {
	case STAGE_EXEC:
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': %s", cmd,
			    strerror(ce.err));
		return ce.err == ENOENT ? -ENOENT : -ce.err;
	case STAGE_FILTER:
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "cannot trace '%s': installing the seccomp filter failed: %s", cmd,
			    strerror(ce.err));
		sc_diag_hint(reterr, "recording needs a kernel with CONFIG_SECCOMP_FILTER");
		return ce.err == EINVAL ? -ENOSYS : -ce.err;
	case STAGE_NNP:
	case STAGE_SYNC:
	default:
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot trace '%s': %s", cmd,
			    strerror(ce.err));
		return -ce.err;
	}
}

/*
 * Follow the tracees until the last one is gone. Returns 0, or -ENOSYS when the kernel
 * lacks PTRACE_GET_SYSCALL_INFO (everything is killed then).
 */
static int trace_loop(pid_t child, struct rec_set *out, int *ret_main_status)
{
	struct tracees t = { 0 };
	bool killing = false;
	int rc = 0;

	tracee_mark(&t, child, TRACEE_ANNOUNCED);
	while (t.live > 0) {
		struct syscall_info info;
		unsigned long msg;
		int status, sig, event;
		pid_t pid;

		if (!killing && stop_signal) {
			/* The command is gone and the user asked to stop: see the module header. */
			killing = true;
			kill_all(&t);
		}
		if (main_done)
			wake_pid = tracee_any(&t);
		pid = waitpid(-1, &status, __WALL | __WNOTHREAD);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nobody left, whatever the list says */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child) {
				*ret_main_status = status;
				main_pid = 0;
				main_done = 1;
			}
			tracee_mark(&t, pid, TRACEE_EXITED);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		sig = WSTOPSIG(status);
		event = (unsigned)status >> 16;

		/* The hot path: one call of one tracee. */
		if (event == PTRACE_EVENT_SECCOMP && !killing) {
			long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info);
			if (n < 0 && errno == EIO) {
				rc = -ENOSYS;
				killing = true;
				kill_all(&t);
				continue;
			}
			if (n > 0 && info.op == SYSCALL_INFO_SECCOMP) {
				uint32_t nr = (uint32_t)info.seccomp.nr;
				const struct sc_arch *arch = sc_arch_by_audit(info.arch, nr);
				/* XXX an ABI the catalog lacks goes unrecorded */
				if (arch)
					rec_set_add_call(out, arch, nr, info.seccomp.args);
			}
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}

		if (killing) {
			/* A tracee we did not know yet (its fork was in flight), or one not yet
			 * woken by the SIGKILL: make sure it dies. */
			tracee_get(&t, pid);
			kill(pid, SIGKILL);
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}

		switch (event) {
		case 0:
			/* Signal-delivery stop: deliver it, as untraced. */
			ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
			break;
		case PTRACE_EVENT_STOP:
			/* A new tracee's first stop (SIGTRAP), or a group-stop (a stop signal). */
			tracee_get(&t, pid);
			if (is_stop_signal(sig))
				ptrace(PTRACE_LISTEN, pid, 0, 0);
			else
				ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		case PTRACE_EVENT_EXEC:
			/* A non-leader thread that execs takes the leader's pid; its own vanishes
			 * without an exit report. */
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 && (pid_t)msg != pid)
				tracee_mark(&t, (pid_t)msg, TRACEE_ANNOUNCED | TRACEE_EXITED);
			ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0)
				tracee_mark(&t, (pid_t)msg, TRACEE_ANNOUNCED);
			ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		default:
			ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		}
	}
	free(t.v);
	return rc;
}

int rec_trace(char *const argv[], unsigned flags, struct rec_set *out, int *ret_status,
	      struct sc_diag *reterr)
{
	const unsigned long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK |
				   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
				   PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	struct sigaction old[REC_NRELAYED], oldchld, sa;
	const size_t nrelayed = REC_NRELAYED;
	int go[2], err[2], status = 0, rc;
	pid_t pid;

	/* REC_QUIET is what we always are: the library does not print. */
	(void)flags;
	if (!argv || !argv[0]) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no command to record");
		return -EINVAL;
	}
	if (pipe2(go, O_CLOEXEC) < 0)
		goto fail_errno;
	if (pipe2(err, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		goto fail_errno;
	}

	/* Handlers before the fork, so no signal finds the recorder without one; the child
	 * puts the caller's back. Signals the caller ignores stay ignored, in both. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid returns EINTR */
	sigfillset(&sa.sa_mask);
	main_pid = 0;
	main_done = 0;
	wake_pid = 0;
	stop_signal = 0;
	for (size_t i = 0; i < nrelayed; i++) {
		sigaction(rec_relayed[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(rec_relayed[i], &sa, NULL);
	}
	/* SIGCHLD ignored would have the kernel reap the command before we read its status. */
	sigaction(SIGCHLD, NULL, &oldchld);
	if (oldchld.sa_handler == SIG_IGN) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(SIGCHLD, &dfl, NULL);
	}

	pid = fork();
	if (pid == 0) {
		if (oldchld.sa_handler == SIG_IGN)
			sigaction(SIGCHLD, &oldchld, NULL);
		close(go[1]);
		close(err[0]);
		run_child(argv, go[0], err[1], old, nrelayed);
	}
	rc = pid < 0 ? -errno : 0;
	main_pid = pid > 0 ? pid : 0;
	close(go[0]);
	close(err[1]);
	if (rc < 0) {
		close(go[1]);
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': fork: %s", argv[0],
			    strerror(-rc));
		goto out;
	}

	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)opts) < 0) {
		rc = -errno;
		main_pid = 0;
		kill(pid, SIGKILL);
		close(go[1]);
		while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
			;
		if (rc == -EPERM || rc == -EACCES) {
			rc = -EPERM;
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "cannot trace '%s': ptrace is not permitted", argv[0]);
			sc_diag_hint(reterr,
				     "is seccompose itself being traced (strace, gdb), or does "
				     "/proc/sys/kernel/yama/ptrace_scope forbid it?");
		} else {
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot trace '%s': %s",
				    argv[0], strerror(-rc));
		}
		goto out;
	}
	close(go[1]); /* go */

	rc = trace_loop(pid, out, &status);
	if (rc == -ENOSYS) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "cannot record '%s': the kernel lacks PTRACE_GET_SYSCALL_INFO",
			    argv[0]);
		sc_diag_hint(reterr, "recording needs Linux 5.3 or later");
	} else {
		rc = child_failed(err[0], argv[0], reterr);
		if (rc == 0 && !main_done) {
			/* Only if waitpid said ECHILD with the command unreaped: someone else
			 * reaped it (a SIGCHLD handler of the caller's calling wait). */
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "cannot record '%s': its exit status was lost", argv[0]);
			rc = -ECHILD;
		}
	}
	if (rc == 0 && ret_status)
		*ret_status = status;
out:
	close(err[0]);
	main_pid = 0;
	main_done = 0;
	wake_pid = 0;
	for (size_t i = 0; i < nrelayed; i++)
		sigaction(rec_relayed[i], &old[i], NULL);
	if (oldchld.sa_handler == SIG_IGN)
		sigaction(SIGCHLD, &oldchld, NULL);
	return rc;

fail_errno:
	rc = -errno;
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': %s", argv[0], strerror(-rc));
	return rc;
}
