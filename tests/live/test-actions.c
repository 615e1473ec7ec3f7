/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-actions.c — lib/bpf/apply.c and every seccomp return action, in the running kernel.
 *
 * Filters are built with libseccomp, exported as raw BPF and installed with apply_filter()
 * in a forked child (so what is tested is our loader, not libseccomp's). The child runs a
 * probe of raw system calls and reports over a pipe; the parent checks how it ended.
 *
 * What it proves:
 *  - apply_filter: sets NNP and enters filter mode; APPLY_NO_NNP leaves NNP alone as root
 *    and is refused with -EACCES without CAP_SYS_ADMIN; bad programs and unknown flag bits
 *    give -EINVAL and install nothing; each flag installs; TSYNC reaches other threads
 *    (filter and NNP) and fails with -ESRCH against a thread with a filter of its own;
 *    stacking past the kernel's instruction budget gives -ENOMEM.
 *  - apply_filter on emulated older kernels (a first filter makes seccomp(2)/prctl answer
 *    as those kernels do): a missing flag is -EOPNOTSUPP and nothing is installed; without
 *    seccomp(2) it falls back to prctl(PR_SET_SECCOMP); without seccomp it is -ENOSYS.
 *  - apply_action_available agrees with /proc/sys/kernel/seccomp/actions_avail, ignores
 *    the data bits, and says no to an action that does not exist.
 *  - Actions: ALLOW runs the call. ERRNO(n) fails it with n (1, 13, 38) without running it;
 *    ERRNO(0) returns 0 without running it (close "succeeds", the fd stays open); 4095 is
 *    the largest errno; data above 4095 (4096, 65535) is clamped to 4095 by the kernel
 *    (libseccomp refuses to build those; we patch the exported program). KILL_THREAD kills
 *    a single-threaded process with SIGSYS and only the calling thread of a multi-threaded
 *    one; KILL_PROCESS kills the process with SIGSYS even from a secondary thread. TRAP
 *    delivers SIGSYS with si_code SYS_SECCOMP, si_syscall, si_arch and si_errno = the
 *    data. LOG runs the call. TRACE with no tracer and USER_NOTIF with no listener fail the
 *    call with ENOSYS without running it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf/apply.h"
#include "live.h"
#include "raw-syscall.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS */
#endif

/* An fd the children inherit, for probes that close it: "did close run?" is then "is the fd
 * still open?", which tells ERRNO(0)'s fake success from a real one. */
static int probe_fd = -1;

static long sys0(long nr)
{
	return raw_syscall(nr, 0, 0, 0, 0, 0, 0);
}

static long sys1(long nr, long a)
{
	return raw_syscall(nr, a, 0, 0, 0, 0, 0);
}

/* ---- filters ---- */

/* Default allow; @action on @nr. */
static void prog_one(struct live_prog *p, uint32_t action, int nr)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (!ctx)
		live_bail("seccomp_init failed");
	r = seccomp_rule_add(ctx, action, nr, 0);
	if (r < 0)
		live_bail("seccomp_rule_add(0x%08x, %d): %s", action, nr, strerror(-r));
	live_prog_export(ctx, p);
}

static void prog_allow(struct live_prog *p)
{
	live_prog_export(seccomp_init(SCMP_ACT_ALLOW), p);
}

/* ---- probes: raw calls after the filter, results in the report ---- */

/* ret[0] = getpid() */
static void probe_getpid(struct live_report *rep, void *arg)
{
	(void)arg;
	rep->ret[0] = sys0(SYS_getpid);
}

/* ret[0] = close(probe_fd); val[0] = fcntl(probe_fd, F_GETFD) after it (>= 0: still open) */
static void probe_close(struct live_report *rep, void *arg)
{
	(void)arg;
	rep->ret[0] = sys1(SYS_close, probe_fd);
	rep->val[0] = raw_syscall(SYS_fcntl, probe_fd, F_GETFD, 0, 0, 0, 0);
}

/* val[0] = no_new_privs, val[1] = seccomp mode (2: filter) */
static void probe_modes(struct live_report *rep, void *arg)
{
	(void)arg;
	rep->val[0] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	rep->val[1] = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
}

/* ---- capabilities, for the -EACCES case ---- */

static int caps(struct __user_cap_data_struct d[2], bool set)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return (int)syscall(set ? SYS_capset : SYS_capget, &h, d);
}

static bool have_sys_admin(void)
{
	struct __user_cap_data_struct d[2];

	return caps(d, false) == 0 && (d[0].effective & (1U << CAP_SYS_ADMIN));
}

/* ---- apply_filter ---- */

static void test_apply_basic(void)
{
	struct live_prog p;
	struct live_result r;
	char buf[128];

	prog_allow(&p);
	live_run(&p, 0, probe_modes, NULL, &r);
	if (!live_ok(r.reported && r.rep.val[0] == 1 && r.rep.val[1] == SECCOMP_MODE_FILTER,
		     "apply_filter sets no_new_privs and enters filter mode"))
		live_diag("%s; nnp=%ld mode=%ld", live_describe(&r, buf, sizeof(buf)), r.rep.val[0],
			  r.rep.val[1]);

	if (have_sys_admin()) {
		live_run(&p, APPLY_NO_NNP, probe_modes, NULL, &r);
		live_ok(r.reported && r.rep.val[0] == 0 && r.rep.val[1] == SECCOMP_MODE_FILTER,
			"APPLY_NO_NNP with CAP_SYS_ADMIN installs and leaves no_new_privs unset");
	} else {
		live_skip("needs CAP_SYS_ADMIN", "APPLY_NO_NNP with CAP_SYS_ADMIN");
	}
	live_prog_done(&p);
}

/* ret[0] = apply_filter(NO_NNP) without CAP_SYS_ADMIN, val[0] = mode after it,
 * ret[1] = apply_filter(0) after that, val[1] = capset result */
static void probe_no_nnp_unprivileged(struct live_report *rep, void *arg)
{
	const struct live_prog *p = arg;
	struct __user_cap_data_struct d[2];

	rep->val[1] = 0;
	if (caps(d, false) == 0 && (d[0].effective & (1U << CAP_SYS_ADMIN))) {
		d[0].effective &= ~(1U << CAP_SYS_ADMIN);
		rep->val[1] = caps(d, true);
	}
	rep->ret[0] = apply_filter(p->insn, p->len, APPLY_NO_NNP);
	rep->val[0] = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	rep->ret[1] = apply_filter(p->insn, p->len, 0);
}

static void test_apply_eacces(void)
{
	struct live_prog p;
	struct live_result r;

	prog_allow(&p);
	live_run(NULL, 0, probe_no_nnp_unprivileged, &p, &r);
	if (!r.reported || r.rep.val[1] != 0)
		live_skip("could not drop CAP_SYS_ADMIN", "APPLY_NO_NNP without CAP_SYS_ADMIN");
	else
		live_ok(r.rep.ret[0] == -EACCES && r.rep.val[0] == 0,
			"APPLY_NO_NNP without CAP_SYS_ADMIN is -EACCES and installs nothing (got %ld)",
			r.rep.ret[0]);
	live_ok(r.reported && r.rep.ret[1] == 0,
		"without CAP_SYS_ADMIN, the same filter installs with no_new_privs");
	live_prog_done(&p);
}

struct bad_case {
	const char *what;
	const struct sock_filter *insn;
	size_t len;
	unsigned flags;
};

/* ret[0] = apply_filter(case), val[0] = seccomp mode after it (0: nothing installed) */
static void probe_bad(struct live_report *rep, void *arg)
{
	const struct bad_case *c = arg;

	rep->ret[0] = apply_filter(c->insn, c->len, c->flags);
	rep->val[0] = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
}

static void test_apply_einval(void)
{
	static const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	/* Each one broken in a way the kernel's checker (or ours) must refuse. */
	static const struct sock_filter jump_out[] = {
		BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter no_ret[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0) };
	static const struct sock_filter past_data[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), /* seccomp_data is 64 bytes */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter unaligned[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static struct sock_filter too_long[BPF_MAXINSNS + 1];
	const struct bad_case cases[] = {
		{ "a NULL program", NULL, 1, 0 },
		{ "an empty program", allow, 0, 0 },
		{ "BPF_MAXINSNS + 1 instructions", too_long, BPF_MAXINSNS + 1, 0 },
		{ "a jump past the end", jump_out, 2, 0 },
		{ "no final return", no_ret, 1, 0 },
		{ "a load past seccomp_data", past_data, 2, 0 },
		{ "an unaligned load", unaligned, 2, 0 },
		{ "an unknown flag bit", allow, 1, 1U << 10 },
	};
	struct live_result r;

	for (size_t i = 0; i < BPF_MAXINSNS + 1; i++)
		too_long[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		live_run(NULL, 0, probe_bad, (void *)&cases[i], &r);
		live_ok(r.reported && r.rep.ret[0] == -EINVAL && r.rep.val[0] == 0,
			"apply_filter refuses %s with -EINVAL and installs nothing (got %ld, mode %ld)",
			cases[i].what, r.rep.ret[0], r.rep.val[0]);
	}
}

static void test_apply_flags(void)
{
	static const struct {
		unsigned flag;
		const char *name;
	} flags[] = {
		{ APPLY_TSYNC, "APPLY_TSYNC" },
		{ APPLY_LOG, "APPLY_LOG" },
		{ APPLY_SPEC_ALLOW, "APPLY_SPEC_ALLOW" },
		{ APPLY_WAIT_KILLABLE_RECV, "APPLY_WAIT_KILLABLE_RECV" },
		{ APPLY_TSYNC | APPLY_LOG | APPLY_SPEC_ALLOW | APPLY_WAIT_KILLABLE_RECV, "all four" },
	};
	struct live_prog p;
	struct live_result r;
	char buf[128];

	prog_one(&p, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpid));
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		live_run(&p, flags[i].flag, probe_getpid, NULL, &r);
		if (r.reported && r.rep.apply_rc == -EOPNOTSUPP)
			live_skip("this kernel lacks the flag (-EOPNOTSUPP)", "%s installs", flags[i].name);
		else if (!live_ok(r.reported && r.rep.ret[0] == -EPERM, "%s installs a working filter",
				  flags[i].name))
			live_diag("%s, getpid=%ld", live_describe(&r, buf, sizeof(buf)), r.rep.ret[0]);
	}
	live_prog_done(&p);
}

/* ---- TSYNC with a second thread ---- */

struct tsync {
	const struct live_prog *p;   /* the main thread installs this, with flags */
	unsigned flags;
	const struct live_prog *own; /* the other thread installs this first, if not NULL */
	int go[2], ready[2];
	long thread_getpid, thread_nnp;
};

static void *tsync_thread(void *arg)
{
	struct tsync *t = arg;
	char c = 0;

	if (t->own)
		apply_filter(t->own->insn, t->own->len, 0);
	if (write(t->ready[1], &c, 1) < 0 || read(t->go[0], &c, 1) < 0)
		return NULL;
	t->thread_getpid = sys0(SYS_getpid);
	t->thread_nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	return NULL;
}

/* ret[0] = apply_filter in the main thread; ret[1] = getpid in the other thread after it;
 * val[0] = the other thread's no_new_privs; ret[2] = getpid in the main thread */
static void probe_tsync(struct live_report *rep, void *arg)
{
	struct tsync *t = arg;
	pthread_t th;
	char c = 0;

	if (pipe(t->go) < 0 || pipe(t->ready) < 0 ||
	    pthread_create(&th, NULL, tsync_thread, t) != 0) {
		rep->ret[0] = -1000;
		return;
	}
	if (read(t->ready[0], &c, 1) < 0)
		return;
	rep->ret[0] = apply_filter(t->p->insn, t->p->len, t->flags);
	if (write(t->go[1], &c, 1) < 0)
		return;
	pthread_join(th, NULL);
	rep->ret[1] = t->thread_getpid;
	rep->val[0] = t->thread_nnp;
	rep->ret[2] = sys0(SYS_getpid);
}

static void test_tsync(void)
{
	static struct sock_filter allow1[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct live_prog p, own = LIVE_PROG(allow1);
	struct live_result r;
	struct tsync t;

	prog_one(&p, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(getpid));

	t = (struct tsync){ .p = &p, .flags = 0 };
	live_run(NULL, 0, probe_tsync, &t, &r);
	live_ok(r.reported && r.rep.ret[0] == 0 && r.rep.ret[1] == r.pid && r.rep.ret[2] == -EACCES,
		"without TSYNC the filter binds only the calling thread (other thread's getpid %ld)",
		r.rep.ret[1]);

	t = (struct tsync){ .p = &p, .flags = APPLY_TSYNC };
	live_run(NULL, 0, probe_tsync, &t, &r);
	live_ok(r.reported && r.rep.ret[0] == 0 && r.rep.ret[1] == -EACCES && r.rep.val[0] == 1,
		"APPLY_TSYNC puts the filter and no_new_privs on the other thread too (getpid %ld, "
		"nnp %ld)",
		r.rep.ret[1], r.rep.val[0]);

	/* The thread's own filter is not an ancestor of ours: the kernel cannot synchronise. */
	t = (struct tsync){ .p = &p, .flags = APPLY_TSYNC, .own = &own };
	live_run(NULL, 0, probe_tsync, &t, &r);
	live_ok(r.reported && r.rep.ret[0] == -ESRCH && r.rep.ret[2] == r.pid,
		"APPLY_TSYNC against a thread with a filter of its own is -ESRCH and installs "
		"nothing (got %ld)",
		r.rep.ret[0]);
	live_prog_done(&p);
}

/* ret[0] = the error that ended stacking, val[0] = how many 4096-instruction filters fit */
static void probe_stack(struct live_report *rep, void *arg)
{
	const struct live_prog *p = arg;
	int r;

	for (rep->val[0] = 0; rep->val[0] < 64; rep->val[0]++)
		if ((r = apply_filter(p->insn, p->len, 0)) < 0) {
			rep->ret[0] = r;
			return;
		}
}

static void test_apply_enomem(void)
{
	static struct sock_filter big[BPF_MAXINSNS];
	struct live_prog p = LIVE_PROG(big);
	struct live_result r;

	/* The kernel allows 32768 instructions over the whole stack (each filter costs its
	 * length plus 4), so the eighth maximal filter must fail. */
	for (size_t i = 0; i + 1 < BPF_MAXINSNS; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
	big[BPF_MAXINSNS - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	live_run(NULL, 0, probe_stack, &p, &r);
	live_ok(r.reported && r.rep.ret[0] == -ENOMEM,
		"stacking past the kernel's instruction budget is -ENOMEM (after %ld filters of %d)",
		r.rep.val[0], BPF_MAXINSNS);
}

/* ---- older kernels, emulated by a first filter ---- */

struct emul {
	const struct live_prog *emul; /* makes seccomp(2)/prctl answer like an older kernel */
	const struct live_prog *p;    /* then this one: ERRNO(EPERM) on getpid */
	unsigned flags;
};

/* ret[0] = apply_filter(p, flags) under the emulation; ret[1] = getpid after it;
 * val[0..3] = apply_action_available(KILL_PROCESS, TRAP, LOG, ERRNO|5) under it */
static void probe_emul(struct live_report *rep, void *arg)
{
	const struct emul *e = arg;

	rep->apply_rc = apply_filter(e->emul->insn, e->emul->len, 0);
	if (rep->apply_rc < 0)
		return;
	rep->ret[0] = apply_filter(e->p->insn, e->p->len, e->flags);
	rep->ret[1] = sys0(SYS_getpid);
	rep->val[0] = apply_action_available(SECCOMP_RET_KILL_PROCESS);
	rep->val[1] = apply_action_available(SECCOMP_RET_TRAP);
	rep->val[2] = apply_action_available(SECCOMP_RET_LOG);
	rep->val[3] = apply_action_available(SECCOMP_RET_ERRNO | 5);
}

static void test_emulated_kernels(void)
{
	struct live_prog p, no_log, no_syscall, no_seccomp, no_avail;
	struct live_result r;
	scmp_filter_ctx ctx;
	struct emul e;

	prog_one(&p, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpid));

	/* Before 4.14: SECCOMP_FILTER_FLAG_LOG unknown, so EINVAL whenever it is set. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(seccomp), 2,
			 SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER),
			 SCMP_A1(SCMP_CMP_MASKED_EQ, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_LOG));
	live_prog_export(ctx, &no_log);
	e = (struct emul){ &no_log, &p, APPLY_LOG };
	live_run(NULL, 0, probe_emul, &e, &r);
	live_ok(r.reported && r.rep.ret[0] == -EOPNOTSUPP && r.rep.ret[1] == r.pid,
		"kernel without FLAG_LOG: APPLY_LOG is -EOPNOTSUPP and installs nothing (got %ld)",
		r.rep.ret[0]);
	e.flags = 0;
	live_run(NULL, 0, probe_emul, &e, &r);
	live_ok(r.reported && r.rep.ret[0] == 0 && r.rep.ret[1] == -EPERM,
		"kernel without FLAG_LOG: no flags still installs");

	/* 3.5 to 3.16: no seccomp(2); filters through prctl(PR_SET_SECCOMP), no flags. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(seccomp), 0);
	live_prog_export(ctx, &no_syscall);
	e = (struct emul){ &no_syscall, &p, 0 };
	live_run(NULL, 0, probe_emul, &e, &r);
	live_ok(r.reported && r.rep.ret[0] == 0 && r.rep.ret[1] == -EPERM,
		"kernel without seccomp(2): falls back to prctl(PR_SET_SECCOMP) (got %ld, getpid %ld)",
		r.rep.ret[0], r.rep.ret[1]);
	live_ok(r.reported && r.rep.val[0] == 0 && r.rep.val[1] == 1 && r.rep.val[2] == 0 &&
			r.rep.val[3] == 1,
		"kernel without seccomp(2): the 3.5 actions are available, KILL_PROCESS and LOG not");
	e.flags = APPLY_TSYNC;
	live_run(NULL, 0, probe_emul, &e, &r);
	live_ok(r.reported && r.rep.ret[0] == -EOPNOTSUPP && r.rep.ret[1] == r.pid,
		"kernel without seccomp(2): APPLY_TSYNC is -EOPNOTSUPP (got %ld)", r.rep.ret[0]);

	/* CONFIG_SECCOMP=n: no seccomp(2), and prctl's seccomp operations are EINVAL. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(seccomp), 0);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
			 SCMP_A0(SCMP_CMP_EQ, PR_GET_SECCOMP));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
			 SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP));
	live_prog_export(ctx, &no_seccomp);
	e = (struct emul){ &no_seccomp, &p, 0 };
	live_run(NULL, 0, probe_emul, &e, &r);
	live_ok(r.reported && r.rep.ret[0] == -ENOSYS && r.rep.ret[1] == r.pid &&
			r.rep.val[1] == 0,
		"kernel without seccomp: -ENOSYS, and no action is available (got %ld)", r.rep.ret[0]);

	/* 3.17 to 4.13: seccomp(2) without SECCOMP_GET_ACTION_AVAIL (EINVAL). */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(seccomp), 1,
			 SCMP_A0(SCMP_CMP_EQ, SECCOMP_GET_ACTION_AVAIL));
	live_prog_export(ctx, &no_avail);
	e = (struct emul){ &no_avail, &p, 0 };
	live_run(NULL, 0, probe_emul, &e, &r);
	live_ok(r.reported && r.rep.val[0] == 0 && r.rep.val[1] == 1 && r.rep.val[2] == 0 &&
			r.rep.val[3] == 1,
		"kernel without GET_ACTION_AVAIL: the 3.5 actions are available, KILL_PROCESS and "
		"LOG not");

	live_prog_done(&no_avail);
	live_prog_done(&no_seccomp);
	live_prog_done(&no_syscall);
	live_prog_done(&no_log);
	live_prog_done(&p);
}

/* ---- apply_action_available against the kernel's own list ---- */

static void test_action_available(void)
{
	static const struct {
		uint32_t action;
		const char *name; /* as in /proc/sys/kernel/seccomp/actions_avail */
	} actions[] = {
		{ SECCOMP_RET_KILL_PROCESS, "kill_process" },
		{ SECCOMP_RET_KILL_THREAD, "kill_thread" },
		{ SECCOMP_RET_TRAP, "trap" },
		{ SECCOMP_RET_ERRNO, "errno" },
		{ SECCOMP_RET_USER_NOTIF, "user_notif" },
		{ SECCOMP_RET_TRACE, "trace" },
		{ SECCOMP_RET_LOG, "log" },
		{ SECCOMP_RET_ALLOW, "allow" },
	};
	char avail[256] = "";
	FILE *f = fopen("/proc/sys/kernel/seccomp/actions_avail", "re");

	if (f) {
		if (!fgets(avail, sizeof(avail), f))
			avail[0] = '\0';
		fclose(f);
		avail[strcspn(avail, "\n")] = '\0';
		live_diag("actions_avail: %s", avail);
	}
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		bool got = apply_action_available(actions[i].action), want = false;
		char word[32];

		if (!f) {
			live_skip("no /proc/sys/kernel/seccomp/actions_avail to compare with",
				  "apply_action_available(%s)", actions[i].name);
			continue;
		}
		/* Whole words: "kill_thread" must not match inside something longer. */
		for (const char *s = avail; sscanf(s, "%31s", word) == 1; s += strspn(s, " ")) {
			if (strcmp(word, actions[i].name) == 0)
				want = true;
			s += strcspn(s, " ");
		}
		live_ok(got == want, "apply_action_available(%s) is %s, as the kernel lists it",
			actions[i].name, got ? "true" : "false");
	}
	live_ok(apply_action_available(SECCOMP_RET_ERRNO | 13) ==
			apply_action_available(SECCOMP_RET_ERRNO),
		"apply_action_available ignores the data bits (ERRNO|13)");
	live_ok(!apply_action_available(0x12340000U),
		"apply_action_available(0x12340000) is false: no such action");
}

/* ---- the actions ---- */

static void test_allow(void)
{
	struct live_prog p;
	struct live_result r;

	prog_allow(&p);
	live_run(&p, 0, probe_getpid, NULL, &r);
	live_ok(r.reported && r.rep.ret[0] == r.pid, "ALLOW: getpid runs and returns the pid");
	live_prog_done(&p);
}

static void test_errno(void)
{
	/* The values of the brief, then the edges of the errno range: libseccomp builds up to
	 * 4094 (it refuses 4095, which the kernel allows), so 4095 and the out-of-range data
	 * are patched into its program; any BPF can return them, so the kernel must cope. */
	static const struct {
		uint32_t data;
		long want; /* close's raw return */
	} cases[] = {
		{ EPERM, -EPERM }, { EACCES, -EACCES }, { ENOSYS, -ENOSYS },
		{ 0, 0 },	   /* "success" without running */
		{ 4094, -4094 },
		{ 4095, -4095 },   /* MAX_ERRNO: the largest errno */
		{ 4096, -4095 },   /* clamped to MAX_ERRNO by the kernel */
		{ 0xffff, -4095 }, /* the largest SECCOMP_RET_DATA, clamped too */
	};
	struct live_prog p;
	struct live_result r;
	char buf[128];

	for (uint32_t e = 4095; e <= 4096; e++) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(e), SCMP_SYS(close), 0);
		seccomp_release(ctx);
		live_diag("libseccomp: SCMP_ACT_ERRNO(%u) -> %s", e, rc < 0 ? strerror(-rc) : "accepted");
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t data = cases[i].data;

		if (data < 4095) {
			prog_one(&p, SCMP_ACT_ERRNO(data), SCMP_SYS(close));
		} else {
			prog_one(&p, SCMP_ACT_ERRNO(4001), SCMP_SYS(close));
			if (live_prog_patch_ret(&p, SECCOMP_RET_ERRNO | 4001, SECCOMP_RET_ERRNO | data) != 1)
				live_bail("no ERRNO(4001) return to patch in libseccomp's program");
		}
		live_run(&p, 0, probe_close, NULL, &r);
		if (!live_ok(r.reported && r.rep.ret[0] == cases[i].want && r.rep.val[0] >= 0,
			     "ERRNO(%u): close %s %ld without running (the fd stays open)", data,
			     cases[i].want ? "fails with errno" : "returns", -cases[i].want))
			live_diag("%s, close=%ld, F_GETFD after=%ld", live_describe(&r, buf, sizeof(buf)),
				  r.rep.ret[0], r.rep.val[0]);
		live_prog_done(&p);
	}
}

static void *thread_getpid(void *arg)
{
	volatile long *after = arg;

	sys0(SYS_getpid);
	*after = 1; /* only reached when getpid did not kill this thread */
	return NULL;
}

/* val[0] = pthread_create, val[1] = pthread_join, val[2] = whether the thread got past its
 * getpid, ret[0] = getpid in the main thread afterwards (it must be denied, not killed) */
static void probe_thread_getpid(struct live_report *rep, void *arg)
{
	volatile long after = 0;
	pthread_t th;

	(void)arg;
	rep->val[0] = pthread_create(&th, NULL, thread_getpid, (void *)&after);
	rep->val[1] = rep->val[0] ? -1 : pthread_join(th, NULL);
	rep->val[2] = after;
	rep->ret[0] = sys0(SYS_getppid);
}

static void test_kill(void)
{
	struct live_prog p;
	struct live_result r;
	char buf[128];

	prog_one(&p, SCMP_ACT_KILL_THREAD, SCMP_SYS(getpid));
	live_run(&p, 0, probe_getpid, NULL, &r);
	if (!live_ok(live_killed_by(&r, SIGSYS),
		     "KILL_THREAD in a single-threaded process: killed by SIGSYS"))
		live_diag("%s", live_describe(&r, buf, sizeof(buf)));
	live_diag("KILL_THREAD: WCOREDUMP=%d (the harness disables cores: RLIMIT_CORE=0, not dumpable)",
		  r.core);

	live_run(&p, 0, probe_thread_getpid, NULL, &r);
	if (!live_ok(r.reported && r.exited && r.status == 0 && r.rep.val[0] == 0 &&
			     r.rep.val[1] == 0 && r.rep.val[2] == 0 && r.rep.ret[0] > 0,
		     "KILL_THREAD in a second thread: only that thread dies, the process goes on"))
		live_diag("%s; create=%ld join=%ld thread-continued=%ld", live_describe(&r, buf, sizeof(buf)),
			  r.rep.val[0], r.rep.val[1], r.rep.val[2]);
	live_prog_done(&p);

	if (!apply_action_available(SECCOMP_RET_KILL_PROCESS)) {
		live_skip("kernel lacks SECCOMP_RET_KILL_PROCESS (before 4.14)", "KILL_PROCESS");
		return;
	}
	prog_one(&p, SCMP_ACT_KILL_PROCESS, SCMP_SYS(getpid));
	live_run(&p, 0, probe_getpid, NULL, &r);
	if (!live_ok(live_killed_by(&r, SIGSYS), "KILL_PROCESS: killed by SIGSYS"))
		live_diag("%s", live_describe(&r, buf, sizeof(buf)));
	live_run(&p, 0, probe_thread_getpid, NULL, &r);
	if (!live_ok(live_killed_by(&r, SIGSYS),
		     "KILL_PROCESS in a second thread: the whole process dies by SIGSYS"))
		live_diag("%s", live_describe(&r, buf, sizeof(buf)));
	live_prog_done(&p);
}

static volatile sig_atomic_t trap_count;
static volatile long trap_syscall, trap_arch, trap_errno, trap_code;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trap_count++;
	trap_syscall = si->si_syscall;
	trap_arch = (long)si->si_arch;
	trap_errno = si->si_errno;
	trap_code = si->si_code;
}

/* ret[0] = getpid's value after the handler returned; val[0..3] = si_syscall, si_arch,
 * si_errno, si_code; ret[1] = how many SIGSYS arrived */
static void probe_trap(struct live_report *rep, void *arg)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };

	(void)arg;
	sigaction(SIGSYS, &sa, NULL);
	rep->ret[0] = sys0(SYS_getpid);
	rep->ret[1] = trap_count;
	rep->val[0] = trap_syscall;
	rep->val[1] = trap_arch;
	rep->val[2] = trap_errno;
	rep->val[3] = trap_code;
}

static void test_trap(void)
{
	/* libseccomp's SCMP_ACT_TRAP carries no data; 0xBEEF is patched in to see it arrive. */
	static const uint32_t datas[] = { 0, 0xBEEF };
	struct live_prog p;
	struct live_result r;
	char buf[128];

	for (size_t i = 0; i < sizeof(datas) / sizeof(datas[0]); i++) {
		prog_one(&p, SCMP_ACT_TRAP, SCMP_SYS(getpid));
		if (datas[i] && live_prog_patch_ret(&p, SECCOMP_RET_TRAP, SECCOMP_RET_TRAP | datas[i]) != 1)
			live_bail("no TRAP return to patch in libseccomp's program");
		live_run(&p, 0, probe_trap, NULL, &r);
		if (!live_ok(r.reported && r.rep.ret[1] == 1 && r.rep.val[0] == SYS_getpid &&
				     (uint32_t)r.rep.val[1] == seccomp_arch_native() &&
				     r.rep.val[2] == (long)datas[i] && r.rep.val[3] == SYS_SECCOMP,
			     "TRAP|0x%x: SIGSYS with si_code SYS_SECCOMP, si_syscall %d, the native "
			     "si_arch and si_errno %u",
			     datas[i], SYS_getpid, datas[i]))
			live_diag("%s; signals=%ld syscall=%ld arch=0x%lx errno=%ld code=%ld",
				  live_describe(&r, buf, sizeof(buf)), r.rep.ret[1], r.rep.val[0],
				  r.rep.val[1], r.rep.val[2], r.rep.val[3]);
		live_prog_done(&p);
	}
#if defined(__x86_64__)
	/* The kernel rolls the registers back for the handler (ax = orig_ax); a handler that
	 * does not set a return value leaves the syscall number as the "result". */
	live_ok(r.reported && r.rep.ret[0] == SYS_getpid,
		"TRAP: a handler that returns leaves the syscall number (%d) as the return value "
		"(got %ld)",
		SYS_getpid, r.rep.ret[0]);
#endif
}

static void test_log(void)
{
	struct live_prog p;
	struct live_result r;

	if (!apply_action_available(SECCOMP_RET_LOG)) {
		live_skip("kernel lacks SECCOMP_RET_LOG (before 4.14)", "LOG");
		return;
	}
	prog_one(&p, SCMP_ACT_LOG, SCMP_SYS(getpid));
	live_run(&p, 0, probe_getpid, NULL, &r);
	live_ok(r.reported && r.rep.ret[0] == r.pid, "LOG: getpid runs and returns the pid");
	live_prog_done(&p);
}

static void test_trace_notif(void)
{
	struct live_prog p;
	struct live_result r;
	char buf[128];

	/* No tracer with PTRACE_O_TRACESECCOMP: the kernel fails the call with ENOSYS. */
	prog_one(&p, SCMP_ACT_TRACE(0x55), SCMP_SYS(close));
	live_run(&p, 0, probe_close, NULL, &r);
	if (!live_ok(r.reported && r.rep.ret[0] == -ENOSYS && r.rep.val[0] >= 0,
		     "TRACE with no tracer: close fails with ENOSYS and does not run"))
		live_diag("%s, close=%ld", live_describe(&r, buf, sizeof(buf)), r.rep.ret[0]);
	live_prog_done(&p);

	if (!apply_action_available(SECCOMP_RET_USER_NOTIF)) {
		live_skip("kernel lacks SECCOMP_RET_USER_NOTIF (before 5.0)", "USER_NOTIF");
		return;
	}
	/* apply_filter makes no listener, so nobody can answer: the kernel says ENOSYS. */
	prog_one(&p, SCMP_ACT_NOTIFY, SCMP_SYS(close));
	live_run(&p, 0, probe_close, NULL, &r);
	if (!live_ok(r.reported && r.rep.ret[0] == -ENOSYS && r.rep.val[0] >= 0,
		     "USER_NOTIF with no listener: close fails with ENOSYS and does not run"))
		live_diag("%s, close=%ld", live_describe(&r, buf, sizeof(buf)), r.rep.ret[0]);
	live_prog_done(&p);
	live_skip("apply_filter creates no listener (SECCOMP_FILTER_FLAG_NEW_LISTENER) to answer with",
		  "USER_NOTIF answered by a supervisor");
}

int main(void)
{
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) {
		printf("1..0 # SKIP this kernel has no seccomp (PR_GET_SECCOMP: %s)\n", strerror(errno));
		return 0;
	}
	probe_fd = open("/dev/null", O_RDONLY);
	if (probe_fd < 0)
		live_bail("cannot open '/dev/null': %s", strerror(errno));

	test_apply_basic();
	test_apply_eacces();
	test_apply_einval();
	test_apply_flags();
	test_tsync();
	test_apply_enomem();
	test_emulated_kernels();
	test_action_available();

	test_allow();
	test_errno();
	test_kill();
	test_trap();
	test_log();
	test_trace_notif();
	return live_done();
}
