/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace.c — rec_trace(): run a command under ptrace and record every distinct call it makes.
 *
 * With REC_EXACT_COUNTS, one stop per system call: the child, once seized, installs a
 * one-instruction filter `ret SECCOMP_RET_TRACE` (no arch check, so i386 `int 0x80` and x32
 * calls stop too) and execs the command; every call of it and of its threads and descendants
 * (the filter is inherited, PTRACE_O_TRACE{FORK,VFORK,CLONE} attach them) then stops in
 * PTRACE_EVENT_SECCOMP, where PTRACE_GET_SYSCALL_INFO gives arch, number and arguments; the
 * hot path is waitpid, one ptrace read, a hash-set insert and PTRACE_CONT, with no
 * allocation. Without it (x86_64), calls already recorded stop no more once a process
 * repeats itself: see "Narrowing" below.
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
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "record/record.h"
#include "base/seccomp-compat.h"

/* glibc has these from 2.31; the kernel from 5.3. The layout is the kernel's ABI. */
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define SYSCALL_INFO_ENTRY 1
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
	TRACEE_SYSCALLS  = 1 << 2, /* no narrowed filter yet: resumed with PTRACE_SYSCALL, recorded
				    * at every syscall-entry stop (see narrowing below) */
	TRACEE_FIRST     = 1 << 3, /* the command before its first execve, which the start filter
				    * stops: from there it is TRACEE_SYSCALLS */
	TRACEE_STARTED   = 1 << 4, /* resumed at least once (in the mode it had then) */
	TRACEE_NO_NARROW = 1 << 5, /* narrowing failed in it: not tried again */
};

struct tracee {
	pid_t pid;
	unsigned flags;                 /* enum tracee_flags */
	unsigned known_run;             /* TRACEE_SYSCALLS: calls in a row already in the set */
	unsigned entries;               /* TRACEE_SYSCALLS: calls seen at entry */
	struct narrow_state *nar;       /* while its filter is being narrowed (see narrowing) */
};

struct narrow_state; /* below, with narrowing */

struct tracees {
	struct tracee *v;
	size_t n, cap;
	size_t live;        /* entries not TRACEE_EXITED */
	unsigned new_flags; /* a tracee met before its parent's fork event: TRACEE_SYSCALLS when
			     * narrowing (it may have no narrowed filter), else 0 */
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
	t->v[t->n] = (struct tracee){ .pid = pid, .flags = t->new_flags };
	t->live++;
	return &t->v[t->n++];
}

/* The entry of @pid, or NULL. */
static struct tracee *tracee_find(struct tracees *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].pid == pid)
			return &t->v[i];
	return NULL;
}

/* Mark @pid with @flags; drop it once it has exited and been announced. */
static void tracee_mark(struct tracees *t, pid_t pid, unsigned flags)
{
	struct tracee *e = tracee_get(t, pid);

	if ((flags & TRACEE_EXITED) && !(e->flags & TRACEE_EXITED))
		t->live--;
	e->flags |= flags;
	if ((e->flags & (TRACEE_ANNOUNCED | TRACEE_EXITED)) == (TRACEE_ANNOUNCED | TRACEE_EXITED)) {
		free(e->nar);
		*e = t->v[--t->n];
	}
}

/* Restart @e in its mode, delivering @sig. */
static void resume(struct tracee *e, int sig)
{
	e->flags |= TRACEE_STARTED;
	ptrace(e->flags & TRACEE_SYSCALLS ? PTRACE_SYSCALL : PTRACE_CONT, e->pid, 0,
	       (void *)(long)sig);
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

/*
 * The child: wait until seized, install the filter, exec. Never returns. The filter stops
 * every call (one instruction, no arch check: every ABI's calls stop, int 0x80 and x32
 * included), or with @narrow only the native execve, from which the tracer follows the
 * command with PTRACE_SYSCALL until it narrows it (see narrowing).
 */
static void run_child(char *const argv[], bool narrow, int go_fd, int err_fd,
		      const struct sigaction *old, size_t nold)
{
	static struct sock_filter trace_all[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	static struct sock_filter trace_execve[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = trace_all };
	struct child_error ce = { STAGE_SYNC, 0 };
	char c;
	ssize_t n;

	if (narrow)
		prog = (struct sock_fprog){ .len = sizeof(trace_execve) / sizeof(trace_execve[0]),
					    .filter = trace_execve };
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
 * Narrowing: a stop for every call is what recording costs (each is two context switches,
 * ~15 µs on a VM), so a tracee that keeps making calls the set holds already is given a second
 * filter that allows exactly those and traces the rest. Why it is sound, and why this way:
 *
 * - Filters only add up: a call stops when any filter says TRACE (ALLOW is the weakest action),
 *   and every filter is inherited across fork, clone and exec. So the command cannot start
 *   under `ret TRACE` (nothing could ever be allowed later): it starts under a filter that
 *   stops only its first execve (where it begins to count, as before), and from there each
 *   tracee is followed with PTRACE_SYSCALL (entry and exit stops) until it is narrowed.
 * - Narrowing runs seccomp(SET_MODE_FILTER, TSYNC, prog) in the tracee in place of the call
 *   it is stopped at (narrow_begin(), below); then the registers are put back one instruction
 *   early, so the replaced call runs again, now under the new filter.
 *   TSYNC gives it to every thread of the process at once (their stacks stay one chain, so a
 *   later TSYNC of the program's own still works), and they are all resumed with PTRACE_CONT
 *   from then on; their children inherit it.
 * - The new filter allows a call only when the observation it would make is in the set
 *   already: same ABI and number, and each captured argument, masked as rec_set_add_calls()
 *   masks it (rec_set_arg_bits()), equal to the recorded value. Anything else, and seccomp()
 *   and prctl() always, stops (SECCOMP_RET_TRACE) and is recorded as before. So no observation
 *   is lost; what is lost is the count of the calls it allows, which is why REC_EXACT_COUNTS
 *   keeps the old way (`ret TRACE` for every call).
 * - The program's own filters are never stacked under ours: once any tracee calls seccomp()
 *   or prctl(PR_SET_SECCOMP) (always stopped, at entry or by the narrowed filter) no tracee
 *   is narrowed any more, so our seccomp() never meets a filter that could kill for it.
 * - Only native x86_64 calls are replaced (the register layout is that ABI's); a tracee
 *   stopped in an i386 or x32 call waits for its next native one.
 *
 * When: after NARROW_KNOWN calls in a row that the set held, or NARROW_CALLS calls in all —
 * late enough that the filter knows the process's start-up, so its children (which inherit
 * it and can never be narrowed further) stop little. Too early costs speed, never an
 * observation: a call first made later stops at every call, as without narrowing. After
 * narrowing has been ended by a program's own filter, a tracee not narrowed yet stays on
 * PTRACE_SYSCALL (two stops a call).
 */
#define NARROW_KNOWN 64
#define NARROW_CALLS 4096

#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC 1
#endif
#define X32_BIT 0x40000000u

struct narrowing {
	bool enabled;                 /* narrowing is on for this recording */
	struct sock_filter *prog;     /* the last filter built, for a set of @prog_for entries */
	size_t len, prog_for;
	const struct sc_arch *arch[4];/* per ABI met: which numbers are seccomp and prctl */
	uint32_t seccomp_nr[4], prctl_nr[4];
	size_t narches;
};

/* Does this call install a seccomp filter (or strict mode) of the program's own? */
static bool installs_filter(struct narrowing *nw, const struct sc_arch *arch, uint32_t nr,
			    const uint64_t args[6])
{
	size_t i;

	for (i = 0; i < nw->narches && nw->arch[i] != arch; i++)
		;
	if (i == nw->narches) {
		const struct sc_syscall *sec = sc_syscall_lookup(arch, "seccomp");
		const struct sc_syscall *prc = sc_syscall_lookup(arch, "prctl");
		if (i == sizeof(nw->arch) / sizeof(nw->arch[0]))
			return true; /* cannot tell: the safe answer */
		nw->arch[i] = arch;
		nw->seccomp_nr[i] = sec ? sec->nr : UINT32_MAX;
		nw->prctl_nr[i] = prc ? prc->nr : UINT32_MAX;
		nw->narches++;
	}
	return nr == nw->seccomp_nr[i] || (nr == nw->prctl_nr[i] && args[0] == PR_SET_SECCOMP);
}

static void emit(struct sock_filter *f, size_t *n, struct sock_filter insn)
{
	f[(*n)++] = insn;
}

/* The narrowed filter for @s (see above), cached until the set grows; NULL when too long. */
static const struct sock_filter *narrow_filter(struct narrowing *nw, struct rec_set *s,
					       size_t *ret_len)
{
	const size_t count = rec_set_count(s);
	uint32_t audits[8];
	size_t naudits = 0, n = 0;
	struct sock_filter *f;

	if (nw->prog && nw->prog_for == count) {
		*ret_len = nw->len;
		return nw->len <= BPF_MAXINSNS ? nw->prog : NULL;
	}
	for (size_t i = 0; i < count; i++) {
		uint32_t a = rec_set_at(s, i)->arch->audit_arch;
		size_t k;
		for (k = 0; k < naudits && audits[k] != a; k++)
			;
		if (k == naudits && naudits < sizeof(audits) / sizeof(audits[0]))
			audits[naudits++] = a;
	}
	/* per ABI 4 + per observation 3 and 3 per half of each argument, and the final ret */
	f = xreallocarray(NULL, 4 * naudits + (3 + 6 * REC_MAX_ARGS) * count + 1, sizeof(*f));
	for (size_t k = 0; k < naudits; k++) {
		size_t ja;
		emit(f, &n, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			     offsetof(struct seccomp_data, arch)));
		emit(f, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, audits[k], 1, 0));
		ja = n;
		emit(f, &n, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0)); /* to the next ABI */
		emit(f, &n, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			     offsetof(struct seccomp_data, nr)));
		for (size_t i = 0; i < count; i++) {
			const struct rec_obs *o = rec_set_at(s, i);
			size_t jnr;
			if (o->arch->audit_arch != audits[k] ||
			    installs_filter(nw, o->arch, o->nr, (const uint64_t[6]){ PR_SET_SECCOMP }))
				continue;
			jnr = n;
			emit(f, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, o->nr, 0, 0));
			/* Each captured argument, masked as the recording masks it: equal, or on to
			 * the next observation (A holds the number again there). */
			for (unsigned a = 0; a < o->nargs; a++) {
				const uint64_t bits = rec_set_arg_bits(s, o->arch, o->nr, o->argi[a]);
				const uint32_t off = offsetof(struct seccomp_data, args) + 8 * o->argi[a];
				const bool big = o->arch->endian == SC_ENDIAN_BIG;
				for (unsigned half = 0; half < 2; half++) {
					uint32_t mask = (uint32_t)(half ? bits >> 32 : bits);
					uint32_t want = (uint32_t)(half ? o->argv[a] >> 32 : o->argv[a]);
					if (!mask)
						continue;
					emit(f, &n, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						     off + 4 * (half ^ big)));
					if (mask != UINT32_MAX)
						emit(f, &n, (struct sock_filter)BPF_STMT(
							     BPF_ALU | BPF_AND | BPF_K, mask));
					/* jf patched below: to the reload of the number */
					emit(f, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						     want, 0, 0xff));
				}
			}
			emit(f, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
			if (o->nargs) {
				for (size_t j = jnr + 1; j < n; j++)
					if (BPF_CLASS(f[j].code) == BPF_JMP)
						f[j].jf = (uint8_t)(n - j - 1);
				emit(f, &n, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, nr)));
			}
			f[jnr].jf = (uint8_t)(n - jnr - 1);
		}
		emit(f, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
		f[ja].k = (uint32_t)(n - ja - 1);
	}
	emit(f, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
	free(nw->prog);
	nw->prog = f;
	nw->len = n;
	nw->prog_for = count;
	*ret_len = n;
	return n <= BPF_MAXINSNS ? f : NULL;
}

/* @e's threads (itself included), now narrowed: resumed with PTRACE_CONT from now on. */
static void narrowed(struct tracees *t, pid_t pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		struct tracee *e = tracee_find(t, (pid_t)atoi(d->d_name));
		/* One not met yet is TRACEE_SYSCALLS at its first stop, or takes its parent's mode
		 * from the fork event: slower, never unsound. */
		if (e && !e->nar)
			e->flags &= ~(unsigned)TRACEE_SYSCALLS;
	}
	closedir(dir);
}

#if defined(__x86_64__)
/*
 * Narrowing a tracee runs three calls in its place (in its own thread: a filter must be
 * installed by the thread itself): mmap of a scratch page for the program, seccomp(), munmap.
 * The first replaces the call it is stopped at; each next one is started by putting the
 * registers back on the `syscall` instruction at its exit stop. Nothing is written to its
 * stack: below the stack pointer may be another goroutine's (Go) or too small a stack.
 * Between two of the calls a signal handler may run (and make calls): a call is ours only
 * when number, address and first argument are the expected ones; the others are recorded as
 * any. A handler that never returns (siglongjmp) leaves the tracee followed with
 * PTRACE_SYSCALL and its scratch page mapped: still recorded, only not narrowed.
 */
enum narrow_step {
	NARROW_MMAP,        /* the replaced call runs as mmap: its exit stop is next */
	NARROW_SECCOMP,     /* seccomp() set up: waiting for its entry */
	NARROW_SECCOMP_RUN, /* ... running: its exit stop is next */
	NARROW_MUNMAP,
	NARROW_MUNMAP_RUN,
};

struct narrow_state {
	struct user_regs_struct call; /* the replaced call's registers, at its entry stop */
	enum narrow_step step;
	uint64_t scratch, scratch_len;
	bool installed;
};

/* Start call @nr(@a0, @a1, @a2) at the exit stop of the previous one, from the same
 * instruction as the replaced call. */
static bool narrow_next(pid_t pid, const struct narrow_state *ns, uint64_t nr, uint64_t a0,
			uint64_t a1, uint64_t a2)
{
	struct user_regs_struct regs = ns->call;

	regs.rip -= 2; /* `syscall` is two bytes */
	regs.rax = nr;
	regs.orig_rax = (unsigned long long)-1;
	regs.rdi = a0;
	regs.rsi = a1;
	regs.rdx = a2;
	return ptrace(PTRACE_SETREGS, pid, 0, &regs) == 0;
}

/* Replace the call @e is stopped at (syscall entry, native ABI) by narrowing's mmap; true
 * when under way (resume it with PTRACE_SYSCALL, narrow_step() at each syscall stop). */
static bool narrow_begin(struct narrowing *nw, struct rec_set *s, struct tracee *e)
{
	struct user_regs_struct regs;
	struct narrow_state *ns;
	size_t len;
	const struct sock_filter *f = narrow_filter(nw, s, &len);

	if (!f || ptrace(PTRACE_GETREGS, e->pid, 0, &regs) < 0)
		return false;
	ns = xcalloc(1, sizeof(*ns));
	ns->call = regs;
	ns->step = NARROW_MMAP;
	ns->scratch_len = (sizeof(struct sock_fprog) + len * sizeof(*f) + 4095) & ~(uint64_t)4095;
	regs.orig_rax = SYS_mmap;
	regs.rdi = 0;
	regs.rsi = ns->scratch_len;
	regs.rdx = PROT_READ | PROT_WRITE;
	regs.r10 = MAP_PRIVATE | MAP_ANONYMOUS;
	regs.r8 = (unsigned long long)-1;
	regs.r9 = 0;
	if (ptrace(PTRACE_SETREGS, e->pid, 0, &regs) < 0) {
		free(ns);
		return false;
	}
	e->nar = ns;
	return true;
}

/* The filter into the scratch page: true when written whole. */
static bool narrow_write(struct narrowing *nw, pid_t pid, uint64_t at)
{
	struct sock_fprog prog;
	struct iovec local[2], remote;
	size_t len = nw->len;

	prog = (struct sock_fprog){ .len = (unsigned short)len,
				    .filter = (struct sock_filter *)(uintptr_t)(at + sizeof(prog)) };
	local[0] = (struct iovec){ &prog, sizeof(prog) };
	local[1] = (struct iovec){ nw->prog, len * sizeof(*nw->prog) };
	remote = (struct iovec){ (void *)(uintptr_t)at, sizeof(prog) + len * sizeof(*nw->prog) };
	return process_vm_writev(pid, local, 2, &remote, 1, 0) == (ssize_t)remote.iov_len;
}

/*
 * A syscall stop (@info) of @e while narrowing: advance. Returns true when the stop was
 * narrowing's own (handled, @e resumed or gone from @t), false for a call of the program's
 * (a signal handler's): the caller records it as any.
 */
static bool narrow_step(struct tracees *t, struct narrowing *nw, struct tracee *e,
			const struct syscall_info *info)
{
	struct narrow_state *ns = e->nar;
	const pid_t pid = e->pid;
	struct user_regs_struct regs;
	uint64_t want_nr, want_a0;

	switch (ns->step) {
	case NARROW_SECCOMP:
	case NARROW_MUNMAP:
		/* Waiting for our call's entry: is this it? */
		want_nr = ns->step == NARROW_SECCOMP ? SYS_seccomp : SYS_munmap;
		want_a0 = ns->step == NARROW_SECCOMP ? SECCOMP_SET_MODE_FILTER : ns->scratch;
		if (info->op != SYSCALL_INFO_ENTRY || info->arch != AUDIT_ARCH_X86_64 ||
		    info->seccomp.nr != want_nr || info->seccomp.args[0] != want_a0 ||
		    info->instruction_pointer != ns->call.rip)
			return false;
		ns->step++;
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		return true;
	case NARROW_MMAP:
	case NARROW_SECCOMP_RUN:
	case NARROW_MUNMAP_RUN:
		break;
	}
	/* The exit stop of our call (nothing else runs in the thread in between). */
	if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
		regs.rax = (unsigned long long)-EIO;
	switch (ns->step) {
	case NARROW_MMAP:
		if ((int64_t)regs.rax < 0 && (int64_t)regs.rax > -4096)
			break; /* no page: give up, the replaced call again */
		ns->scratch = regs.rax;
		if (narrow_write(nw, pid, ns->scratch) &&
		    narrow_next(pid, ns, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_TSYNC, ns->scratch))
			ns->step = NARROW_SECCOMP;
		else if (narrow_next(pid, ns, SYS_munmap, ns->scratch, ns->scratch_len, 0))
			ns->step = NARROW_MUNMAP;
		else
			break;
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		return true;
	case NARROW_SECCOMP_RUN:
		ns->installed = regs.rax == 0;
		if (ns->installed)
			narrowed(t, pid);
		if (!narrow_next(pid, ns, SYS_munmap, ns->scratch, ns->scratch_len, 0))
			break;
		ns->step = NARROW_MUNMAP;
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		return true;
	default:
		break;
	}
	/* Done (or given up): the replaced call again, in the mode the tracee now has. */
	e = tracee_find(t, pid);
	if (!e)
		return true;
	if (ns->installed)
		e->flags &= ~(unsigned)TRACEE_SYSCALLS;
	else
		e->flags |= TRACEE_NO_NARROW;
	e->nar = NULL;
	narrow_next(pid, ns, ns->call.orig_rax, ns->call.rdi, ns->call.rsi, ns->call.rdx);
	free(ns);
	resume(e, 0);
	return true;
}
#else
struct narrow_state {
	int unused;
};

static bool narrow_begin(struct narrowing *nw, struct rec_set *s, struct tracee *e)
{
	(void)nw, (void)s, (void)e;
	return false;
}

static bool narrow_step(struct tracees *t, struct narrowing *nw, struct tracee *e,
			const struct syscall_info *info)
{
	(void)t, (void)nw, (void)e, (void)info;
	return false;
}
#endif

/* Record the call @info describes; a program installing a filter of its own ends narrowing. */
static void record_call(struct rec_set *out, struct narrowing *nw, const struct syscall_info *info,
			int *ret_added)
{
	uint32_t nr = (uint32_t)info->seccomp.nr;
	const struct sc_arch *arch = sc_arch_by_audit(info->arch, nr);

	/* XXX an ABI the catalog lacks goes unrecorded */
	*ret_added = arch ? rec_set_add_call(out, arch, nr, info->seccomp.args) : 1;
	if (nw->enabled && (!arch || installs_filter(nw, arch, nr, info->seccomp.args)))
		nw->enabled = false;
}

/* Worth narrowing @e, stopped at the entry of @info's call (added: whether it was new)? */
static bool narrow_now(const struct narrowing *nw, struct tracee *e, const struct syscall_info *info,
		       int added)
{
	uint64_t nr = info->seccomp.nr;

	e->known_run = added ? 0 : e->known_run + 1;
	e->entries++;
	if (!nw->enabled || (e->flags & TRACEE_NO_NARROW) || info->arch != AUDIT_ARCH_X86_64 ||
	    (nr & X32_BIT))
		return false;
	/* Not a call that ends the thread, or whose restart is not the instruction again. */
	if (nr == SYS_exit || nr == SYS_exit_group || nr == SYS_rt_sigreturn ||
	    nr == SYS_restart_syscall)
		return false;
	return e->known_run >= NARROW_KNOWN || e->entries >= NARROW_CALLS;
}

/*
 * Follow the tracees until the last one is gone. Returns 0, or -ENOSYS when the kernel
 * lacks PTRACE_GET_SYSCALL_INFO (everything is killed then).
 */
static int trace_loop(pid_t child, bool narrow, struct rec_set *out, int *ret_main_status)
{
	struct tracees t = { .new_flags = narrow ? TRACEE_SYSCALLS : 0 };
	struct narrowing nw = { .enabled = narrow };
	bool killing = false;
	int rc = 0;

	tracee_mark(&t, child, TRACEE_ANNOUNCED);
	if (narrow)
		tracee_get(&t, child)->flags = TRACEE_ANNOUNCED | TRACEE_FIRST;
	while (t.live > 0) {
		struct syscall_info info;
		struct tracee *e;
		unsigned long msg;
		int status, sig, event, added;
		pid_t pid;
		long n;

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
		e = tracee_get(&t, pid);

		if (killing) {
			/* A tracee we did not know yet (its fork was in flight), or one not yet
			 * woken by the SIGKILL: make sure it dies. */
			kill(pid, SIGKILL);
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}

		/* The hot path: one call of one tracee. */
		if (event == PTRACE_EVENT_SECCOMP || sig == (SIGTRAP | 0x80)) {
			if (event == PTRACE_EVENT_SECCOMP && ((e->flags & TRACEE_SYSCALLS) || e->nar)) {
				/* recorded at its entry stop, or one of narrowing's calls */
				ptrace(PTRACE_SYSCALL, pid, 0, 0);
				continue;
			}
			n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info);
			if (n > 0 && e->nar) {
				if (narrow_step(&t, &nw, e, &info))
					continue;
				/* a signal handler's call, between two of narrowing's */
				if (info.op == SYSCALL_INFO_ENTRY)
					record_call(out, &nw, &info, &added);
				ptrace(PTRACE_SYSCALL, pid, 0, 0);
				continue;
			}
			if (n < 0 && errno == EIO) {
				rc = -ENOSYS;
				killing = true;
				kill_all(&t);
				continue;
			}
			if (n > 0 && info.op == SYSCALL_INFO_SECCOMP) {
				record_call(out, &nw, &info, &added);
				if (e->flags & TRACEE_FIRST)
					e->flags = (e->flags & ~(unsigned)TRACEE_FIRST) | TRACEE_SYSCALLS;
			} else if (n > 0 && info.op == SYSCALL_INFO_ENTRY) {
				/* entry's nr and args sit where seccomp's do */
				record_call(out, &nw, &info, &added);
				if (narrow_now(&nw, e, &info, added) && narrow_begin(&nw, out, e)) {
					ptrace(PTRACE_SYSCALL, pid, 0, 0);
					continue;
				}
			}
			resume(e, 0);
			continue;
		}

		switch (event) {
		case 0:
			/* Signal-delivery stop: deliver it, as untraced. */
			resume(e, sig);
			break;
		case PTRACE_EVENT_STOP:
			/* A new tracee's first stop (SIGTRAP), or a group-stop (a stop signal). */
			if (is_stop_signal(sig))
				ptrace(PTRACE_LISTEN, pid, 0, 0);
			else
				resume(e, 0);
			break;
		case PTRACE_EVENT_EXEC:
			/* A non-leader thread that execs takes the leader's pid; its own vanishes
			 * without an exit report. Its mode is the one that goes on. */
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 && (pid_t)msg != pid) {
				const struct tracee *old = tracee_find(&t, (pid_t)msg);
				const unsigned mode = TRACEE_SYSCALLS | TRACEE_NO_NARROW;
				if (old)
					e->flags = (e->flags & ~mode) | (old->flags & mode);
				tracee_mark(&t, (pid_t)msg, TRACEE_ANNOUNCED | TRACEE_EXITED);
				e = tracee_get(&t, pid);
			}
			resume(e, 0);
			break;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0) {
				const unsigned mode = e->flags & TRACEE_SYSCALLS;
				struct tracee *c;
				tracee_mark(&t, (pid_t)msg, TRACEE_ANNOUNCED);
				/* The child has its parent's filters: its parent's mode. One that ran
				 * already did so in TRACEE_SYSCALLS, never wrong; it changes at its
				 * next stop. (The list may have moved: find both again.) */
				c = tracee_find(&t, (pid_t)msg);
				if (c && !c->nar)
					c->flags = (c->flags & ~(unsigned)TRACEE_SYSCALLS) | mode;
				e = tracee_get(&t, pid);
			}
			resume(e, 0);
			break;
		default:
			resume(e, 0);
			break;
		}
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].nar);
	free(t.v);
	free(nw.prog);
	return rc;
}

int rec_trace(char *const argv[], unsigned flags, struct rec_set *out, int *ret_status,
	      struct sc_diag *reterr)
{
	const unsigned long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK |
				   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
				   PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD;
#if defined(__x86_64__)
	const bool narrow = !(flags & REC_EXACT_COUNTS);
#else
	const bool narrow = false; /* narrow_begin() knows x86_64's registers only */
#endif
	struct sigaction old[REC_NRELAYED], oldchld, sa;
	const size_t nrelayed = REC_NRELAYED;
	int go[2], err[2], status = 0, rc;
	pid_t pid;

	/* REC_QUIET is what we always are: the library does not print. */
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
		run_child(argv, narrow, go[0], err[1], old, nrelayed);
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

	rc = trace_loop(pid, narrow, out, &status);
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
