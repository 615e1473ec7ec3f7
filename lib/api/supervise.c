/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * supervise.c — `run --report` and `run --learn`: seccompose as the supervisor of the
 * command, answering over a seccomp notification listener what the policy denies.
 *
 * The filter installed is the policy's program with every Errno return turned into
 * SECCOMP_RET_USER_NOTIF (the same decisions, only the answer moves here); Kill, Trap, Log
 * and Allow stay in the kernel, so a call the policy allows costs nothing. The answer is
 * read from the policy's own program (sc_filter_eval on the call's registers), so it is the
 * errno the program would have had unsupervised; the rule set says which rule decided.
 *
 * Starting: the child sets up the Landlock ptrace scope (restrict_ptrace), installs the
 * filter with SECCOMP_FILTER_FLAG_NEW_LISTENER, hands the listener to the parent and execs.
 * Every call the child makes after the filter exists is under it, and a notified call would
 * wait for a listener nobody reads yet; so the listener goes by SCM_RIGHTS only when the
 * policy allows that very sendmsg (its registers are known before the fork: the message
 * lives in a shared page). Otherwise the child makes no call at all: it publishes the fd's
 * number in the shared page and spins until the parent has taken it with pidfd_getfd().
 * The listener is O_CLOEXEC: the command never holds it, and cannot answer itself.
 *
 * What protects the supervisor, which stays beside the command outside the filter: it makes
 * itself non-dumpable before the fork (its /proc/PID/mem, environ and fds, ptrace and
 * process_vm_writev then need CAP_SYS_PTRACE, whatever the filter allows), the child's
 * Landlock domain (restrict_ptrace, applied in the child as `run` does) refuses the command
 * any ptrace access outside it, and it hands the command no descriptor. A command that kills
 * it (kill(getppid(), …) where the policy allows kill) closes the listener: the calls that
 * would have been notified then fail with ENOSYS, as the kernel answers without a listener —
 * never succeed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/filter.h"
#include "api/supervise.h"
#include "base/alloc.h"
#include "bpf/apply.h"
#include "export/call-format.h"

#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* The hand-over between the child and the parent, in a page both share. */
enum { HO_RUNNING, HO_READY, HO_FAILED };
struct handoff {
	_Atomic int state;
	_Atomic int taken; /* the parent holds the listener: the child may exec */
	int fd;            /* the listener's number in the child */
	int err;           /* HO_FAILED: negative errno */
	const char *step;  /* HO_FAILED: what failed */
	int scope_err;     /* the Landlock ptrace scope's result */
	int exec_err;      /* execve's errno, when it failed */
	struct msghdr msg;
	struct iovec iov;
	char byte;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
};

/* The policy's program with its Errno returns asking the listener instead. */
static struct sock_filter *notify_program(const struct sc_filter *f)
{
	struct sock_filter *p = xcalloc(f->len, sizeof(*p));

	memcpy(p, f->prog, f->len * sizeof(*p));
	for (size_t i = 0; i < f->len; i++)
		if (BPF_CLASS(p[i].code) == BPF_RET && BPF_RVAL(p[i].code) == BPF_K &&
		    (p[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
			p[i].k = SECCOMP_RET_USER_NOTIF;
	return p;
}

SC_EXPORT int sc_supervise_available(enum sc_supervise_mode mode)
{
	struct seccomp_notif_sizes sz;

	if (!apply_action_available(SECCOMP_RET_USER_NOTIF))
		return -EOPNOTSUPP;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return -EOPNOTSUPP;
	/* CONTINUE (5.5) came with SECCOMP_IOCTL_NOTIF_ADDFD's era; the kernel says nothing
	 * of it before a notification, so ask for the release. */
	if (mode == SC_SUPERVISE_LEARN) {
		FILE *v = fopen("/proc/sys/kernel/osrelease", "re");
		unsigned major = 0, minor = 0;
		if (v) {
			if (fscanf(v, "%u.%u", &major, &minor) != 2)
				major = 0;
			fclose(v);
		}
		if (major && (major < 5 || (major == 5 && minor < 5)))
			return -EOPNOTSUPP;
	}
	return 0;
}

/* ---- the child ---- */

static const int parent_ignores[] = { SIGINT, SIGQUIT, SIGPIPE };

static _Noreturn void child(const struct sc_filter *f, const struct sock_filter *prog,
			    bool restrict_ptrace, unsigned aflags, bool send, int sock,
			    struct handoff *h, const struct sigaction *saved, const char *path,
			    char *const argv[])
{
	int fd;

	for (size_t i = 0; i < sizeof(parent_ignores) / sizeof(parent_ignores[0]); i++)
		sigaction(parent_ignores[i], &saved[i], NULL);
	/* The parent made itself non-dumpable; the child must not be, or the parent could not
	 * take the listener nor read the command's strings. exec sets it anew anyway. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (restrict_ptrace) {
		h->scope_err = apply_ptrace_scope(aflags & APPLY_NO_NNP);
		if (h->scope_err < 0 && h->scope_err != -ENOSYS && h->scope_err != -EOPNOTSUPP) {
			h->err = h->scope_err;
			h->step = "cannot restrict ptrace access with Landlock";
			atomic_store(&h->state, HO_FAILED);
			_exit(126);
		}
	}
	fd = apply_filter_listener(prog, f->len, aflags);
	if (fd < 0) {
		h->err = fd;
		h->step = "cannot install the filter";
		atomic_store(&h->state, HO_FAILED);
		_exit(126);
	}
	/* From here every call is under the filter. */
	h->fd = fd;
	if (send) {
		*(int *)(void *)CMSG_DATA(&h->ctl.align) = fd;
		if (sendmsg(sock, &h->msg, MSG_NOSIGNAL) < 0)
			atomic_store(&h->state, HO_FAILED); /* the parent sees the socket close */
	} else {
		atomic_store(&h->state, HO_READY);
		while (!atomic_load(&h->taken))
			; /* no call: any could wait on the listener being handed over */
	}
	execv(path, argv);
	h->exec_err = errno;
	syscall(SYS_exit_group, 126);
	_exit(126); /* not reached */
}

/* ---- the parent: taking the listener ---- */

static int receive_fd(int sock)
{
	struct msghdr msg = { 0 };
	char byte;
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct cmsghdr *c;
	ssize_t n;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return -1;
	return *(int *)(void *)CMSG_DATA(c);
}

/* The listener through pidfd_getfd() (Linux 5.6): the child waits without a call. */
static int take_fd(pid_t pid, struct handoff *h, int *ret_err)
{
	struct timespec tick = { 0, 100 * 1000 };
	int pidfd, fd;

	while (atomic_load(&h->state) == HO_RUNNING) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			*ret_err = -ECHILD;
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	if (atomic_load(&h->state) != HO_READY)
		return -1;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, h->fd, 0);
	*ret_err = fd < 0 ? -errno : 0;
	if (pidfd >= 0)
		close(pidfd);
	if (fd >= 0)
		atomic_store(&h->taken, 1);
	return fd;
}

/* ---- the parent: answering ---- */

static long read_child(void *ctx, uint64_t addr, void *buf, size_t len)
{
	pid_t pid = *(pid_t *)ctx;
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

static void comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *c;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	snprintf(buf, len, "?");
	c = fopen(path, "re");
	if (!c)
		return;
	if (fgets(buf, (int)len, c))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(c);
}

/* Which rule of the rule set decided the call, as people read it. */
static void why(const struct ir *ir, const struct sc_arch *arch, uint32_t nr, const uint64_t args[6],
		char *buf, size_t len)
{
	const struct ir_rule *r = NULL;

	switch (ir_decide(ir, arch, nr, args, &r)) {
	case IR_BY_RULE:
		snprintf(buf, len, "rule %s", r->origin ? r->origin : "?");
		return;
	case IR_BY_ENOSYS:
		snprintf(buf, len, "newer than the policy's kernel floor (enosys_after)");
		return;
	case IR_BY_DEFAULT:
		snprintf(buf, len, "no rule allows it (default)");
		return;
	case IR_BY_BAD_ARCH:
		break;
	}
	snprintf(buf, len, "the policy does not list this ABI (bad_arch_action)");
}

static void count(struct sc_supervision *s, const struct sc_arch *arch, uint32_t nr, uint16_t err)
{
	s->total++;
	for (size_t i = 0; i < s->ncounts; i++)
		if (s->counts[i].arch == arch && s->counts[i].nr == nr) {
			s->counts[i].n++;
			s->counts[i].err = err;
			return;
		}
	s->counts = xgrow_n(s->counts, s->ncounts, 1, sizeof(*s->counts));
	s->counts[s->ncounts++] = (struct sv_count){ arch, nr, err, 1 };
}

static const char *errno_text(uint16_t e, char *buf, size_t len)
{
	const struct sc_constant *k = sc_constant_for_value("action", "errno", e);

	if (k)
		return k->name;
	snprintf(buf, len, "%u", e);
	return buf;
}

struct loop {
	const struct sc_filter *f;
	const struct sc_supervise_options *o;
	struct sc_supervision *s;
	int listener;
	pid_t main_pid;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
};

/* Receive one notification and answer it. */
static void answer(struct loop *l)
{
	struct seccomp_notif *req = l->req;
	struct seccomp_notif_resp *resp = l->resp;
	const struct sc_arch *arch;
	const struct sc_syscall *sys;
	struct sc_action act;
	char call[768], reason[320], comm[32], ebuf[16], pidtag[32] = "";
	uint16_t err;
	bool valid;
	pid_t pid;
	uint64_t args[6];

	memset(req, 0, l->req_size);
	if (ioctl(l->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return; /* EINTR, or ENOENT: the caller died waiting */
	memset(resp, 0, l->resp_size);
	resp->id = req->id;
	pid = (pid_t)req->pid;
	for (int i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	arch = sc_arch_by_audit(req->data.arch, (uint32_t)req->data.nr);
	sys = arch ? sc_syscall_by_nr(arch, (uint32_t)req->data.nr) : NULL;
	act = arch ? sc_action_from_ret(sc_filter_eval(l->f, arch, (uint32_t)req->data.nr, args))
		   : (struct sc_action){ SC_ACT_ERRNO, ENOSYS };
	/* A policy's own Notify action has no supervisor but us: answer as the kernel does
	 * without one. Anything else cannot come here; fail it rather than let it run. */
	err = act.type == SC_ACT_ERRNO ? act.data : ENOSYS;

	if (arch) {
		call_format(arch, sys, (uint32_t)req->data.nr, args, read_child, &pid, call,
			    sizeof(call));
		why(l->f->ir, arch, (uint32_t)req->data.nr, args, reason, sizeof(reason));
	} else {
		snprintf(call, sizeof(call), "syscall %d of audit arch %#x", req->data.nr, req->data.arch);
		snprintf(reason, sizeof(reason), "an ABI the catalog does not know");
	}
	comm_of(pid, comm, sizeof(comm));
	/* What was read belongs to this call only if the caller still waits on it (its memory
	 * could be another program's after an exec or its death). */
	valid = ioctl(l->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) == 0;
	if (!valid)
		return;
	if (pid != l->main_pid)
		snprintf(pidtag, sizeof(pidtag), "[pid %d] ", (int)pid);

	if (l->o->mode == SC_SUPERVISE_LEARN && arch) {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		count(l->s, arch, (uint32_t)req->data.nr, err);
		if (rec_set_add_call(l->s->set, arch, (uint32_t)req->data.nr, args) == 1) {
			struct sv_call *c;
			size_t n = strlen(call) + strlen(comm) + 64;
			l->s->calls = xgrow_n(l->s->calls, l->s->ncalls, 1, sizeof(*l->s->calls));
			c = &l->s->calls[l->s->ncalls++];
			c->arch = arch;
			c->nr = (uint32_t)req->data.nr;
			memcpy(c->args, args, sizeof(c->args));
			c->comment = xcalloc(1, n);
			snprintf(c->comment, n, "learned: %s by %d %s", call, (int)pid, comm);
			if (l->o->out)
				fprintf(l->o->out, "seccompose: %slearned %s (the policy: %s, %s)\n", pidtag,
					call, errno_text(err, ebuf, sizeof(ebuf)), reason);
		}
	} else {
		resp->error = -(int)err;
		count(l->s, arch, (uint32_t)req->data.nr, err);
		if (l->o->out)
			fprintf(l->o->out, "seccompose: %sdenied %s → %s: %s\n", pidtag, call,
				errno_text(err, ebuf, sizeof(ebuf)), reason);
	}
	if (l->o->out)
		fflush(l->o->out);
	ioctl(l->listener, SECCOMP_IOCTL_NOTIF_SEND, resp); /* ENOENT: it died meanwhile */
}

/* Answer until the command (the direct child) ends. Processes it left behind keep the
 * filter: once the listener closes, their notified calls fail with ENOSYS. */
static int supervise(struct loop *l, pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), status = 0;

	for (;;) {
		struct pollfd p[2] = { { l->listener, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
		int r = poll(p, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 50);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (p[0].revents & POLLIN)) {
			answer(l);
			continue; /* drain before looking at the exit */
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto out;
		if (r > 0 && (p[0].revents & (POLLHUP | POLLERR)))
			break; /* no process holds the filter: the child is ending */
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
out:
	if (pidfd >= 0)
		close(pidfd);
	return status;
}

SC_EXPORT int sc_supervise_command(const struct sc_filter *f, const char *path, char *const argv[],
			 const struct sc_supervise_options *o, struct sc_supervision **ret,
			 int *ret_status, struct sc_diag *reterr)
{
	unsigned flags = o->flags | f->ir->flags, aflags = 0;
	struct sigaction saved[sizeof(parent_ignores) / sizeof(parent_ignores[0])], ign = { 0 };
	struct seccomp_notif_sizes sz;
	const struct sc_arch *native = sc_arch_native();
	const struct sc_syscall *sendmsg_sys = sc_syscall_lookup(native, "sendmsg");
	struct sock_filter *prog;
	struct handoff *h;
	struct loop l = { f, o, NULL, -1, 0, NULL, NULL, 0, 0 };
	int sv[2], r = 0, take_err = 0, was_dumpable;
	bool send = false;
	pid_t pid;

	if (sc_supervise_available(o->mode) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "this kernel cannot supervise a filter (SECCOMP_RET_USER_NOTIF%s)",
			    o->mode == SC_SUPERVISE_LEARN ? " with CONTINUE, Linux 5.5" : ", Linux 5.0");
		return -EOPNOTSUPP;
	}
	if (flags & SC_FILTER_TSYNC)
		aflags |= APPLY_TSYNC;
	if (flags & SC_FILTER_LOG)
		aflags |= APPLY_LOG;
	if (flags & SC_FILTER_SPEC_ALLOW)
		aflags |= APPLY_SPEC_ALLOW;
	if (flags & SC_FILTER_WAIT_KILLABLE_RECV)
		aflags |= APPLY_WAIT_KILLABLE_RECV;
	if (flags & SC_FILTER_NO_NNP)
		aflags |= APPLY_NO_NNP;

	h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot map memory: %s", strerror(errno));
		return -errno;
	}
	memset(h, 0, sizeof(*h));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		r = -errno;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot create a socket pair: %s", strerror(-r));
		munmap(h, sizeof(*h));
		return r;
	}
	h->iov = (struct iovec){ &h->byte, 1 };
	h->msg.msg_iov = &h->iov;
	h->msg.msg_iovlen = 1;
	h->msg.msg_control = h->ctl.buf;
	h->msg.msg_controllen = sizeof(h->ctl.buf);
	{
		struct cmsghdr *c = CMSG_FIRSTHDR(&h->msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
	}
	/* The child's sendmsg, register for register: does the policy let it through? */
	if (sendmsg_sys) {
		uint64_t a[6] = { (uint64_t)sv[1], (uint64_t)(uintptr_t)&h->msg, MSG_NOSIGNAL, 0, 0, 0 };
		struct sc_action act = sc_action_from_ret(sc_filter_eval(f, native, sendmsg_sys->nr, a));
		send = act.type == SC_ACT_ALLOW || act.type == SC_ACT_LOG;
	}
	prog = notify_program(f);

	ign.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(parent_ignores) / sizeof(parent_ignores[0]); i++)
		sigaction(parent_ignores[i], &ign, &saved[i]);
	was_dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		child(f, prog, f->ir->restrict_ptrace, aflags, send, sv[1], h, saved, path, argv);
	}
	close(sv[1]);
	free(prog);
	if (pid < 0) {
		r = -errno;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot fork: %s", strerror(-r));
		goto restore;
	}
	l.listener = send ? receive_fd(sv[0]) : take_fd(pid, h, &take_err);
	close(sv[0]);
	if (l.listener < 0) {
		int st;
		kill(pid, SIGKILL); /* it waits for a hand-over that will not come */
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (h->state == HO_FAILED && h->step) {
			r = h->err;
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "%s: %s", h->step, strerror(-r));
		} else {
			r = -EPERM;
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "cannot take the notification listener from the child: %s",
				    strerror(take_err ? -take_err : EPIPE));
		}
		goto restore;
	}
	if ((h->scope_err == -ENOSYS || h->scope_err == -EOPNOTSUPP) && o->ptrace_scope_missing)
		o->ptrace_scope_missing(h->scope_err, o->ctx);

	l.s = xcalloc(1, sizeof(*l.s));
	l.s->mode = o->mode;
	l.s->set = rec_set_new();
	l.main_pid = pid;
	/* The kernel's structs may be larger than this build's headers say. */
	l.req_size = sz.seccomp_notif > sizeof(*l.req) ? sz.seccomp_notif : sizeof(*l.req);
	l.resp_size = sz.seccomp_notif_resp > sizeof(*l.resp) ? sz.seccomp_notif_resp : sizeof(*l.resp);
	l.req = xcalloc(1, l.req_size);
	l.resp = xcalloc(1, l.resp_size);
	l.s->status = supervise(&l, pid);
	close(l.listener);
	free(l.req);
	free(l.resp);
	if (WIFEXITED(l.s->status) && WEXITSTATUS(l.s->status) == 126 && h->exec_err) {
		r = -ENOEXEC;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot execute '%s' under the policy: %s",
			    argv[0], strerror(h->exec_err));
	}
	*ret_status = l.s->status;
	*ret = l.s;
restore:
	prctl(PR_SET_DUMPABLE, was_dumpable > 0 ? was_dumpable : 0, 0, 0, 0);
	for (size_t i = 0; i < sizeof(parent_ignores) / sizeof(parent_ignores[0]); i++)
		sigaction(parent_ignores[i], &saved[i], NULL);
	munmap(h, sizeof(*h));
	return r;
}

SC_EXPORT size_t sc_supervision_count(const struct sc_supervision *s)
{
	return s ? s->total : 0;
}

SC_EXPORT size_t sc_supervision_learned(const struct sc_supervision *s)
{
	return s ? s->ncalls : 0;
}

static int by_count(const void *a, const void *b)
{
	const struct sv_count *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : (x->nr > y->nr) - (x->nr < y->nr);
}

SC_EXPORT void sc_supervision_summary(const struct sc_supervision *s, FILE *out)
{
	struct sv_count *c;
	char ebuf[16];

	if (!s)
		return;
	if (s->total) {
		c = xcalloc(s->ncounts, sizeof(*c));
		memcpy(c, s->counts, s->ncounts * sizeof(*c));
		qsort(c, s->ncounts, sizeof(*c), by_count);
		fprintf(out, "seccompose: %zu call%s %s:", s->total, s->total == 1 ? "" : "s",
			s->mode == SC_SUPERVISE_LEARN ? (s->total == 1 ? "the policy denies was let through"
								       : "the policy denies were let through")
						     : "denied");
		for (size_t i = 0; i < s->ncounts; i++) {
			const struct sc_syscall *sys = c[i].arch ? sc_syscall_by_nr(c[i].arch, c[i].nr) : NULL;
			fprintf(out, "%s %zu %s", i ? "," : "", c[i].n, sys ? sys->name : "?");
			if (c[i].arch && c[i].arch != sc_arch_native())
				fprintf(out, "/%s", c[i].arch->name);
			if (s->mode == SC_SUPERVISE_REPORT)
				fprintf(out, " (%s)", errno_text(c[i].err, ebuf, sizeof(ebuf)));
		}
		fputc('\n', out);
		free(c);
	}
	if (WIFSIGNALED(s->status) && WTERMSIG(s->status) == SIGSYS)
		fprintf(out, "seccompose: the command was killed by SIGSYS: the policy kills or traps a "
			     "call it made (Kill and Trap stay in the kernel; `seccompose record` shows "
			     "the calls)\n");
}

SC_EXPORT struct sc_supervision *sc_supervision_free(struct sc_supervision *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->ncalls; i++)
		free(s->calls[i].comment);
	free(s->calls);
	free(s->counts);
	rec_set_free(s->set);
	free(s);
	return NULL;
}
