/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bypass.c — the ways around a seccomp filter on x86_64, in the running kernel:
 * the x32 ABI, int $0x80 from a 64-bit process, and high bits on a 32-bit argument
 * (CVE-2019-10063). Each bypass is shown twice: a correctly built filter (libseccomp,
 * installed with apply_filter() in a forked child) stops it, and a naive hand-written
 * filter lets it through, which proves the check is meaningful. Controls without a
 * filter show what each raw call does when it runs.
 *
 * What it proves:
 *  - int $0x80 from this process runs i386 system calls: nr 20 is getpid, and nr 39 is
 *    mkdir (x86_64's getpid number) — the control creates a directory with it.
 *  - An x86_64-only filter sends i386 calls to its bad-arch action: killed by SIGSYS with
 *    libseccomp's default, EXDEV with SCMP_FLTATR_ACT_BADARCH = ERRNO(EXDEV). An allowlist
 *    of x86_64 getpid lets neither i386 20 nor i386 39 (mkdir) through and no directory
 *    appears; with the i386 ABI added, i386 getpid runs and i386 mkdir is denied. A filter
 *    without an arch check lets i386 getpid past a getpid denial and runs i386 mkdir when
 *    it means to allow x86_64 getpid.
 *  - x32 numbers (nr | 0x40000000) hit the bad-arch action of an x86_64-only filter
 *    (SIGSYS / EXDEV) and the x32 rules of a filter that adds the x32 ABI (EPERM), whether
 *    or not this kernel runs x32 calls: seccomp sees them before the dispatcher does. A
 *    filter that checks the arch but not the x32 bit lets them through.
 *  - ioctl(fd, TIOCSTI | 1 << 32) is TIOCSTI to the kernel (it reads the low 32 bits of
 *    cmd; FIONREAD | 1 << 32 on a pipe returns the queued count), a rule comparing the
 *    low 32 bits (SCMP_CMP_MASKED_EQ 0xffffffff) denies it, and a naive full-width
 *    SCMP_CMP_EQ rule is bypassed by it — on a pty, the bypass injects input.
 *  - tests/helpers/try-syscall, given the same programs as files, reports the same.
 *
 * Usage: test-bypass [PATH-TO-try-syscall]
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "bpf/apply.h"
#include "live.h"
#include "raw-syscall.h"

#if RAW_HAVE_COMPAT

/* The filters' own errno values, chosen so that no call here returns them by itself. */
#define DENY_ERRNO    EPERM  /* the rule's denial */
#define BADARCH_ERRNO EXDEV  /* SCMP_FLTATR_ACT_BADARCH when not killing */
#define IOCTL_ERRNO   ENOANO /* the TIOCSTI rule's denial: ioctl never says "No anode" */

/* i386 and x32 numbers the tests use (arch/x86/entry/syscalls/syscall_{32,64}.tbl). */
#define I386_GETPID 20
#define I386_MKDIR  39 /* = x86_64's getpid */

/* The high bit that the kernel's ioctl drops: unsigned int cmd. */
#define HIGH_BIT (1UL << 32)

static const char *tmpdir;
static char mkdir_target[256];
static char *low_path; /* mkdir_target, copied below 4 GiB for int $0x80's 32-bit ebx */
static int pipe_fds[2];
static int pty_slave = -1;

/* ---- probes ---- */

enum abi {
	ABI_NATIVE,
	ABI_X32,
	ABI_I386,
};

struct call {
	enum abi abi;
	long nr;
	long a[6];
};

/* ret[0] = the raw return of one call */
static void probe_call(struct live_report *rep, void *arg)
{
	const struct call *c = arg;

	switch (c->abi) {
	case ABI_X32:
		rep->ret[0] = raw_syscall(c->nr | RAW_X32_BIT, c->a[0], c->a[1], c->a[2], c->a[3],
					  c->a[4], c->a[5]);
		break;
	case ABI_I386:
		rep->ret[0] = raw_int80(c->nr, (uint32_t)c->a[0], (uint32_t)c->a[1], (uint32_t)c->a[2],
					(uint32_t)c->a[3], (uint32_t)c->a[4], (uint32_t)c->a[5]);
		break;
	case ABI_NATIVE:
		rep->ret[0] = raw_syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
		break;
	}
}

struct ioctl_case {
	int fd;
	unsigned long cmd;
	bool pty; /* make the pty our controlling tty first, and read back what was injected */
};

/* ret[0] = ioctl(fd, cmd, &v); val[0] = v afterwards (FIONREAD's count);
 * val[1] = read(2) of the pty after it (1: TIOCSTI injected a byte; 0 or -EAGAIN: none) */
static void probe_ioctl(struct live_report *rep, void *arg)
{
	const struct ioctl_case *c = arg;
	int v = 'x';
	char ch;

	if (c->pty) {
		/* TIOCSTI on a tty that is not our controlling one needs CAP_SYS_ADMIN. */
		raw_syscall(SYS_setsid, 0, 0, 0, 0, 0, 0);
		raw_syscall(SYS_ioctl, c->fd, TIOCSCTTY, 0, 0, 0, 0);
	}
	rep->ret[0] = raw_syscall(SYS_ioctl, c->fd, (long)c->cmd, (long)&v, 0, 0, 0);
	rep->val[0] = v;
	if (c->pty)
		rep->val[1] = raw_syscall(SYS_read, c->fd, (long)&ch, 1, 0, 0, 0);
}

/* ---- filters ---- */

static void add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
		     const struct scmp_arg_cmp *cmp)
{
	int r = seccomp_rule_add_array(ctx, action, nr, n, cmp);

	if (r < 0)
		live_bail("seccomp_rule_add(%d): %s", nr, strerror(-r));
}

static void add_arch(scmp_filter_ctx ctx, uint32_t arch)
{
	int r = seccomp_arch_add(ctx, arch);

	if (r < 0)
		live_bail("seccomp_arch_add(0x%x): %s", arch, strerror(-r));
}

/* Default allow, getpid denied with EPERM; @badarch (0: libseccomp's default, KILL) for
 * calls of other ABIs; @x32: the x32 ABI added, with the same rule. */
static void prog_deny_getpid(struct live_prog *p, uint32_t badarch, bool x32)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx)
		live_bail("seccomp_init failed");
	if (badarch && seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, badarch) < 0)
		live_bail("cannot set SCMP_FLTATR_ACT_BADARCH");
	if (x32)
		add_arch(ctx, SCMP_ARCH_X32);
	add_rule(ctx, SCMP_ACT_ERRNO(DENY_ERRNO), SCMP_SYS(getpid), 0, NULL);
	live_prog_export(ctx, p);
}

/* Default deny (EPERM); allowed: getpid, and what the harness needs to report and exit
 * (write, exit_group, exit). @i386: the i386 ABI added, with the same allowlist. */
static void prog_allow_getpid(struct live_prog *p, bool i386)
{
	static const char *const allowed[] = { "getpid", "write", "exit_group", "exit" };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(DENY_ERRNO));

	if (!ctx)
		live_bail("seccomp_init failed");
	if (i386)
		add_arch(ctx, SCMP_ARCH_X86);
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		add_rule(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(allowed[i]), 0, NULL);
	live_prog_export(ctx, p);
}

/* Default allow; ioctl with cmd TIOCSTI denied. @careful: compare the low 32 bits only,
 * as the kernel's ioctl reads them; otherwise all 64 (the CVE-2019-10063 mistake). */
static void prog_deny_tiocsti(struct live_prog *p, bool careful)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct scmp_arg_cmp cmp = careful ? SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, TIOCSTI)
					  : SCMP_A1(SCMP_CMP_EQ, TIOCSTI);

	if (!ctx)
		live_bail("seccomp_init failed");
	add_rule(ctx, SCMP_ACT_ERRNO(IOCTL_ERRNO), SCMP_SYS(ioctl), 1, &cmp);
	live_prog_export(ctx, p);
}

/* Naive hand-written filters: what the correct ones are measured against. */
#define LD_ARCH    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LD_NR      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define RET(v)     BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))

/* Checks the arch, forgets that x32 shares it: nr 39 | 0x40000000 is not 39. */
static struct sock_filter naive_x32[] = {
	LD_ARCH,
	JEQ(AUDIT_ARCH_X86_64, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LD_NR,
	JEQ(SYS_getpid, 0, 1),
	RET(SECCOMP_RET_ERRNO | DENY_ERRNO),
	RET(SECCOMP_RET_ALLOW),
};

/* No arch check: a number means whatever the caller's ABI says it means. */
static struct sock_filter naive_deny[] = {
	LD_NR,
	JEQ(SYS_getpid, 0, 1),
	RET(SECCOMP_RET_ERRNO | DENY_ERRNO),
	RET(SECCOMP_RET_ALLOW),
};

static struct sock_filter naive_allow[] = {
	LD_NR,
	JEQ(SYS_getpid, 4, 0),
	JEQ(SYS_write, 3, 0),
	JEQ(SYS_exit_group, 2, 0),
	JEQ(SYS_exit, 1, 0),
	RET(SECCOMP_RET_ERRNO | DENY_ERRNO),
	RET(SECCOMP_RET_ALLOW),
};

/* ---- helpers ---- */

static bool dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One assertion about a child: on failure, say how it ended and what the call returned. */
static void check_result(bool ok, const struct live_result *r, const char *what)
{
	char buf[128];

	if (!live_ok(ok, "%s", what))
		live_diag("%s, ret=%ld", live_describe(r, buf, sizeof(buf)), r->rep.ret[0]);
}

/* ---- int $0x80 ---- */

static bool int80_works;

static void test_int80_controls(void)
{
	struct call getpid20 = { ABI_I386, I386_GETPID, { 0 } };
	struct call mkdir39 = { ABI_I386, I386_MKDIR, { (long)(uintptr_t)low_path, 0700 } };
	struct live_result r;

	live_run(NULL, 0, probe_call, &getpid20, &r);
	int80_works = r.reported && r.rep.ret[0] == r.pid;
	live_diag("control: int $0x80 nr 20 -> %ld (pid %d)%s", r.rep.ret[0], (int)r.pid,
		  int80_works ? "" : ": no i386 emulation, skipping the int $0x80 cases");
	if (!int80_works) {
		live_skip("no IA32 emulation (CONFIG_IA32_EMULATION off or ia32_emulation=0)",
			  "int $0x80 controls");
		return;
	}
	live_ok(true, "control: int $0x80 nr 20 is getpid in a 64-bit process");

	rmdir(mkdir_target);
	live_run(NULL, 0, probe_call, &mkdir39, &r);
	live_ok(r.reported && r.rep.ret[0] == 0 && dir_exists(mkdir_target),
		"control: int $0x80 nr 39 is mkdir (x86_64's getpid number) and creates the directory");
	rmdir(mkdir_target);
}

static void test_int80(void)
{
	struct call getpid20 = { ABI_I386, I386_GETPID, { 0 } };
	struct call mkdir39 = { ABI_I386, I386_MKDIR, { (long)(uintptr_t)low_path, 0700 } };
	struct call getpid_native = { ABI_NATIVE, SYS_getpid, { 0 } };
	struct call getppid_native = { ABI_NATIVE, SYS_getppid, { 0 } };
	struct live_prog p;
	struct live_result r;
	bool made;

	if (!int80_works) {
		live_skip("no IA32 emulation", "int $0x80 bypass cases");
		return;
	}

	/* A denylist: x86_64 getpid denied, the rest allowed. */
	prog_deny_getpid(&p, 0, false);
	live_run(&p, 0, probe_call, &getpid_native, &r);
	check_result(r.reported && r.rep.ret[0] == -DENY_ERRNO, &r,
		     "x86_64 getpid under the getpid denial: EPERM (sanity)");
	live_run(&p, 0, probe_call, &getpid20, &r);
	check_result(live_killed_by(&r, SIGSYS), &r,
		     "int $0x80 getpid (20) under an x86_64-only filter: killed by SIGSYS (bad arch)");
	live_prog_done(&p);

	prog_deny_getpid(&p, SCMP_ACT_ERRNO(BADARCH_ERRNO), false);
	live_run(&p, 0, probe_call, &getpid20, &r);
	check_result(r.reported && r.rep.ret[0] == -BADARCH_ERRNO, &r,
		     "int $0x80 getpid (20) with ACT_BADARCH=ERRNO(EXDEV): EXDEV, not the pid");
	live_prog_done(&p);

	p = LIVE_PROG(naive_deny);
	live_run(&p, 0, probe_call, &getpid20, &r);
	check_result(r.reported && r.rep.ret[0] == r.pid, &r,
		     "naive filter (no arch check) denying getpid: int $0x80 getpid (20) gets the pid "
		     "— the bypass the arch check stops");

	/* An allowlist: x86_64 getpid (and the harness's write/exit) allowed, the rest EPERM. */
	prog_allow_getpid(&p, false);
	live_run(&p, 0, probe_call, &getpid_native, &r);
	check_result(r.reported && r.rep.ret[0] == r.pid, &r,
		     "allowlist: x86_64 getpid runs (sanity)");
	live_run(&p, 0, probe_call, &getppid_native, &r);
	check_result(r.reported && r.rep.ret[0] == -DENY_ERRNO, &r,
		     "allowlist: x86_64 getppid is denied with EPERM (sanity)");
	live_run(&p, 0, probe_call, &getpid20, &r);
	check_result(live_killed_by(&r, SIGSYS), &r,
		     "allowlist of x86_64 getpid: int $0x80 nr 20 is killed by SIGSYS");
	rmdir(mkdir_target);
	live_run(&p, 0, probe_call, &mkdir39, &r);
	made = dir_exists(mkdir_target);
	check_result(live_killed_by(&r, SIGSYS) && !made, &r,
		     "allowlist of x86_64 getpid (39): int $0x80 nr 39 (mkdir) is killed by SIGSYS, "
		     "no directory");
	rmdir(mkdir_target);
	live_prog_done(&p);

	prog_allow_getpid(&p, true);
	live_run(&p, 0, probe_call, &getpid20, &r);
	check_result(r.reported && r.rep.ret[0] == r.pid, &r,
		     "allowlist with the i386 ABI added: int $0x80 getpid (20) runs");
	live_run(&p, 0, probe_call, &mkdir39, &r);
	made = dir_exists(mkdir_target);
	check_result(r.reported && r.rep.ret[0] == -DENY_ERRNO && !made, &r,
		     "allowlist with the i386 ABI added: int $0x80 mkdir (39) is denied with EPERM, "
		     "no directory");
	rmdir(mkdir_target);
	live_prog_done(&p);

	p = LIVE_PROG(naive_allow);
	live_run(&p, 0, probe_call, &mkdir39, &r);
	made = dir_exists(mkdir_target);
	check_result(r.reported && r.rep.ret[0] == 0 && made, &r,
		     "naive allowlist (no arch check) of getpid 39: int $0x80 nr 39 runs mkdir and "
		     "creates the directory — the bypass the arch check stops");
	rmdir(mkdir_target);
}

/* ---- x32 ---- */

static void test_x32(void)
{
	struct call getpid_x32 = { ABI_X32, SYS_getpid, { 0 } };
	struct live_prog p;
	struct live_result r;
	bool x32_enabled;

	live_run(NULL, 0, probe_call, &getpid_x32, &r);
	x32_enabled = r.reported && r.rep.ret[0] == r.pid;
	live_diag("control: x32 getpid (39 | 0x40000000) -> %ld: x32 is %s", r.rep.ret[0],
		  x32_enabled ? "enabled in this kernel"
			      : "disabled in this kernel (ENOSYS); seccomp still sees x32 calls "
				"first, so the filter cases below still apply");
	live_ok(r.reported && (x32_enabled || r.rep.ret[0] == -ENOSYS),
		"control: x32 getpid returns the pid (x32 enabled) or ENOSYS (disabled)");

	prog_deny_getpid(&p, 0, false);
	live_run(&p, 0, probe_call, &getpid_x32, &r);
	check_result(live_killed_by(&r, SIGSYS), &r,
		     "x32 getpid under an x86_64-only filter: killed by SIGSYS (libseccomp sends the "
		     "x32 bit to the bad-arch action)");
	live_prog_done(&p);

	prog_deny_getpid(&p, SCMP_ACT_ERRNO(BADARCH_ERRNO), false);
	live_run(&p, 0, probe_call, &getpid_x32, &r);
	check_result(r.reported && r.rep.ret[0] == -BADARCH_ERRNO, &r,
		     "x32 getpid with ACT_BADARCH=ERRNO(EXDEV): EXDEV");
	live_prog_done(&p);

	prog_deny_getpid(&p, 0, true);
	live_run(&p, 0, probe_call, &getpid_x32, &r);
	check_result(r.reported && r.rep.ret[0] == -DENY_ERRNO, &r,
		     "x32 getpid under a filter with the x32 ABI added: its getpid rule denies it (EPERM)");
	live_prog_done(&p);

	p = LIVE_PROG(naive_x32);
	live_run(&p, 0, probe_call, &getpid_x32, &r);
	check_result(r.reported && r.rep.ret[0] != -DENY_ERRNO &&
			     r.rep.ret[0] == (x32_enabled ? r.pid : -ENOSYS),
		     &r,
		     x32_enabled ? "naive filter (arch check, no x32 bit check): x32 getpid gets the "
				   "pid — the bypass"
				 : "naive filter (arch check, no x32 bit check): x32 getpid passes the "
				   "filter (the kernel's ENOSYS, not EPERM) — the bypass, where x32 is on");
}

/* ---- CVE-2019-10063: high bits on a 32-bit argument ---- */

static int drain_pty(void)
{
	char buf[64];
	int n = 0;
	ssize_t k;

	while ((k = read(pty_slave, buf, sizeof(buf))) > 0)
		n += (int)k;
	return n;
}

static int open_pty(void)
{
	struct termios t;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	const char *name;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(name = ptsname(master)))
		return -1;
	pty_slave = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (pty_slave < 0 || tcgetattr(pty_slave, &t) < 0)
		return -1;
	cfmakeraw(&t); /* an injected byte is readable at once, no newline needed */
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	return tcsetattr(pty_slave, TCSANOW, &t) < 0 ? -1 : master;
}

static void test_ioctl_high_bits(void)
{
	static const unsigned long highs[] = { HIGH_BIT, 0xffffffff00000000UL };
	struct ioctl_case fionread = { pipe_fds[0], FIONREAD | HIGH_BIT, false };
	struct ioctl_case sti = { pipe_fds[0], TIOCSTI, false };
	struct live_prog careful, naive;
	struct live_result r;
	int master;

	/* Controls: the kernel reads cmd as unsigned int. */
	if (write(pipe_fds[1], "abc", 3) != 3)
		live_bail("cannot fill the pipe");
	live_run(NULL, 0, probe_ioctl, &fionread, &r);
	check_result(r.reported && r.rep.ret[0] == 0 && r.rep.val[0] == 3, &r,
		     "control: ioctl(pipe, FIONREAD | 1 << 32) is FIONREAD (3 bytes queued): the kernel "
		     "drops cmd's high bits");
	sti.cmd = TIOCSTI | HIGH_BIT;
	live_run(NULL, 0, probe_ioctl, &sti, &r);
	check_result(r.reported && r.rep.ret[0] == -ENOTTY, &r,
		     "control: ioctl(pipe, TIOCSTI | 1 << 32) runs: ENOTTY (a pipe is not a tty)");

	prog_deny_tiocsti(&careful, true);
	prog_deny_tiocsti(&naive, false);

	sti.cmd = TIOCSTI;
	live_run(&careful, 0, probe_ioctl, &sti, &r);
	check_result(r.reported && r.rep.ret[0] == -IOCTL_ERRNO, &r,
		     "low-32-bit rule: ioctl(pipe, TIOCSTI) is denied (ENOANO)");
	for (size_t i = 0; i < sizeof(highs) / sizeof(highs[0]); i++) {
		sti.cmd = TIOCSTI | highs[i];
		live_run(&careful, 0, probe_ioctl, &sti, &r);
		if (!live_ok(r.reported && r.rep.ret[0] == -IOCTL_ERRNO,
			     "low-32-bit rule: ioctl(pipe, 0x%lx) is denied (ENOANO)", sti.cmd))
			live_diag("ret=%ld", r.rep.ret[0]);
	}
	fionread.cmd = FIONREAD;
	live_run(&careful, 0, probe_ioctl, &fionread, &r);
	check_result(r.reported && r.rep.ret[0] == 0 && r.rep.val[0] == 3, &r,
		     "low-32-bit rule: other ioctls (FIONREAD) still run");

	sti.cmd = TIOCSTI;
	live_run(&naive, 0, probe_ioctl, &sti, &r);
	check_result(r.reported && r.rep.ret[0] == -IOCTL_ERRNO, &r,
		     "full-width SCMP_CMP_EQ rule: ioctl(pipe, TIOCSTI) is denied");
	sti.cmd = TIOCSTI | HIGH_BIT;
	live_run(&naive, 0, probe_ioctl, &sti, &r);
	check_result(r.reported && r.rep.ret[0] == -ENOTTY, &r,
		     "full-width SCMP_CMP_EQ rule: ioctl(pipe, TIOCSTI | 1 << 32) gets past it and "
		     "runs (ENOTTY) — CVE-2019-10063");

	/* On a real tty the bypass is the attack itself: input injected into the terminal. */
	master = open_pty();
	if (master < 0) {
		live_skip("no pty (posix_openpt)", "TIOCSTI | 1 << 32 on a pty");
		goto out;
	}
	sti = (struct ioctl_case){ pty_slave, TIOCSTI | HIGH_BIT, true };
	drain_pty();
	live_run(NULL, 0, probe_ioctl, &sti, &r);
	drain_pty();
	if (!r.reported || r.rep.ret[0] != 0 || r.rep.val[1] != 1) {
		live_diag("control: TIOCSTI | 1 << 32 on the pty -> %ld, read back %ld", r.rep.ret[0],
			  r.rep.val[1]);
		live_skip("TIOCSTI is not permitted here (dev.tty.legacy_tiocsti=0 without "
			  "CAP_SYS_ADMIN?)",
			  "TIOCSTI | 1 << 32 on a pty");
		close(master);
		goto out;
	}
	live_ok(true, "control: ioctl(pty, TIOCSTI | 1 << 32) injects a byte into the terminal");
	live_run(&careful, 0, probe_ioctl, &sti, &r);
	check_result(r.reported && r.rep.ret[0] == -IOCTL_ERRNO && r.rep.val[1] <= 0 &&
			     drain_pty() == 0,
		     &r, "low-32-bit rule: TIOCSTI | 1 << 32 on a pty is denied, nothing injected");
	live_run(&naive, 0, probe_ioctl, &sti, &r);
	check_result(r.reported && r.rep.ret[0] == 0 && r.rep.val[1] == 1, &r,
		     "full-width SCMP_CMP_EQ rule: TIOCSTI | 1 << 32 on a pty injects a byte — "
		     "CVE-2019-10063");
	drain_pty();
	close(master);
out:
	live_prog_done(&naive);
	live_prog_done(&careful);
}

/* ---- the probe program ---- */

static void test_try_syscall(const char *try_syscall)
{
	struct live_prog deny, badarch, trap, careful;
	char f_deny[512], f_badarch[512], f_trap[512], f_careful[512], out[512];
	struct live_result r;
	scmp_filter_ctx ctx;

	if (!try_syscall) {
		live_skip("no try-syscall path given on the command line", "try-syscall cases");
		return;
	}
	snprintf(f_deny, sizeof(f_deny), "%s/deny-getpid.bpf", tmpdir);
	snprintf(f_badarch, sizeof(f_badarch), "%s/badarch-exdev.bpf", tmpdir);
	snprintf(f_trap, sizeof(f_trap), "%s/trap-getpid.bpf", tmpdir);
	snprintf(f_careful, sizeof(f_careful), "%s/deny-tiocsti.bpf", tmpdir);
	prog_deny_getpid(&deny, 0, false);
	prog_deny_getpid(&badarch, SCMP_ACT_ERRNO(BADARCH_ERRNO), false);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	add_rule(ctx, SCMP_ACT_TRAP, SCMP_SYS(getpid), 0, NULL);
	live_prog_export(ctx, &trap);
	prog_deny_tiocsti(&careful, true);
	live_prog_write(&deny, f_deny);
	live_prog_write(&badarch, f_badarch);
	live_prog_write(&trap, f_trap);
	live_prog_write(&careful, f_careful);

	if (!int80_works) {
		live_skip("no IA32 emulation", "try-syscall --abi i386 cases");
	} else {
		char *argv[] = { (char *)try_syscall, "--abi", "i386", "getpid", NULL };
		char *argv_deny[] = { (char *)try_syscall, "--abi", "i386", "--install", f_deny, "20",
				      NULL };

		live_exec(argv, out, sizeof(out), &r);
		live_ok(r.exited && r.status == 0 && strncmp(out, "ret=", 4) == 0 &&
				atol(out + 4) > 0 && strstr(out, "errno=0"),
			"try-syscall --abi i386 getpid (no filter): returns a pid");
		live_exec(argv_deny, out, sizeof(out), &r);
		live_ok(live_killed_by(&r, SIGSYS),
			"try-syscall --abi i386 --install deny-getpid.bpf 20: killed by SIGSYS");
	}
	{
		char *argv[] = { (char *)try_syscall, "--install", f_deny, "getpid", NULL };
		live_exec(argv, out, sizeof(out), &r);
		live_ok(r.exited && r.status == 0 && strcmp(out, "ret=-1 errno=1 (EPERM)\n") == 0,
			"try-syscall --install deny-getpid.bpf getpid: 'ret=-1 errno=1 (EPERM)', exit 0");
	}
	{
		char *argv[] = { (char *)try_syscall, "--abi", "x32", "--install", f_badarch, "getpid",
				 NULL };
		live_exec(argv, out, sizeof(out), &r);
		live_ok(r.exited && r.status == 0 && strcmp(out, "ret=-1 errno=18 (EXDEV)\n") == 0,
			"try-syscall --abi x32 --install badarch-exdev.bpf getpid: errno=18 (EXDEV)");
	}
	{
		char *argv[] = { (char *)try_syscall, "--sigsys-handler", "--install", f_trap, "getpid",
				 NULL };
		char want[128];
		snprintf(want, sizeof(want), "SIGSYS syscall=%d arch=0x%x errno-data=0\n", SYS_getpid,
			 AUDIT_ARCH_X86_64);
		live_exec(argv, out, sizeof(out), &r);
		if (!live_ok(r.exited && r.status == 77 && strcmp(out, want) == 0,
			     "try-syscall --sigsys-handler under TRAP: exit 77 and '%.*s'",
			     (int)strlen(want) - 1, want))
			live_diag("got '%s'", out);
	}
	{
		char cmd[32];
		snprintf(cmd, sizeof(cmd), "0x%lx", (unsigned long)TIOCSTI | HIGH_BIT);
		char *argv[] = { (char *)try_syscall, "--install", f_careful, "ioctl", "0", cmd, NULL };
		live_exec(argv, out, sizeof(out), &r);
		live_ok(r.exited && r.status == 0 && strcmp(out, "ret=-1 errno=55 (ENOANO)\n") == 0,
			"try-syscall --install deny-tiocsti.bpf ioctl 0 %s: errno=55 (ENOANO)", cmd);
	}
	unlink(f_deny);
	unlink(f_badarch);
	unlink(f_trap);
	unlink(f_careful);
	live_prog_done(&careful);
	live_prog_done(&trap);
	live_prog_done(&badarch);
	live_prog_done(&deny);
}

int main(int argc, char **argv)
{
	static char dir_template[256];
	const char *base = getenv("TMPDIR");

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) {
		printf("1..0 # SKIP this kernel has no seccomp (PR_GET_SECCOMP: %s)\n", strerror(errno));
		return 0;
	}
	snprintf(dir_template, sizeof(dir_template), "%s/sc-bypass-XXXXXX", base && *base ? base : "/tmp");
	if (!(tmpdir = mkdtemp(dir_template)))
		live_bail("mkdtemp '%s': %s", dir_template, strerror(errno));
	snprintf(mkdir_target, sizeof(mkdir_target), "%s/made-by-int80", tmpdir);
	/* int $0x80 passes 32-bit pointers: the path must live below 4 GiB. */
	low_path = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
			-1, 0);
	if (low_path == MAP_FAILED)
		live_bail("mmap(MAP_32BIT): %s", strerror(errno));
	snprintf(low_path, 4096, "%s", mkdir_target);
	if (pipe2(pipe_fds, O_NONBLOCK) < 0)
		live_bail("pipe2: %s", strerror(errno));

	test_int80_controls();
	test_int80();
	test_x32();
	test_ioctl_high_bits();
	test_try_syscall(argc > 1 ? argv[1] : NULL);

	rmdir(mkdir_target);
	rmdir(tmpdir);
	return live_done();
}

#else

int main(void)
{
	printf("1..0 # SKIP the bypass cases are x86_64's (x32, int $0x80)\n");
	return 0;
}

#endif
