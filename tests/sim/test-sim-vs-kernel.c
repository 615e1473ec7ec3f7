/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-sim-vs-kernel.c — two oracles: lib/bpf/bpf-sim.c against the running kernel, with
 * libseccomp's rule semantics as a third where they are simple.
 *
 *  1. Policies built with libseccomp (x86_64 + x32 + x86, every action, every comparison
 *     on 32- and 64-bit values) are exported as BPF. For each (ABI, syscall, arguments):
 *       - the simulator's verdict (bpf_sim_run),
 *       - libseccomp's meaning of the rules (evaluated here from the rule table; cases
 *         where two rules with different actions match are left out: libseccomp's tie
 *         break is its tree's business),
 *       - the kernel's: a forked child installs the filter and makes the call; through
 *         syscall() for x86_64 (and for x32 numbers, which arrive as AUDIT_ARCH_X86_64
 *         with bit 30 set), and through `int $0x80` for i386 when IA32 emulation is on.
 *  2. Hand-written programs for what libseccomp never emits (ALU, scratch memory, `len`,
 *     division by a zero X, shifts by X >= 32, `ret a` with any action), seen through
 *     ERRNO's data.
 *  3. Programs at each edge of the kernel's validation rules, and
 *  4. random programs: the validator's verdict against the kernel's seccomp(2), then the
 *     run of those the kernel took.
 *
 * The child sees the result through the errno of a harmless call (getppid & co. ignore
 * their arguments, which the filter still sees), SIGSYS through waitpid(), TRAP through
 * a SIGSYS handler that writes to shared memory and _exit()s. It is built without
 * sanitizers: their runtime makes syscalls a filter may deny.
 * Exit 77 (skip) when seccomp filters cannot be installed here.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf/bpf-sim.h"
#include "xorshift.h"


#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ERRNO 4095
#define X32_BIT 0x40000000U

/* Child exit codes (the parent tells them from a real exit of the call's result). */
enum {
	EXIT_CALLED = 0,   /* the call returned; result in shared memory */
	EXIT_TRAPPED = 101, /* the SIGSYS handler ran */
	EXIT_REFUSED = 102, /* seccomp(2) refused the filter */
	EXIT_SETUP = 103,   /* no_new_privs failed */
};

/* ===================================================================== */
/* The kernel oracle                                                     */
/* ===================================================================== */

enum abi {
	ABI_X86_64,
	ABI_X32,  /* x86_64 entry with the x32 bit in the number */
	ABI_I386, /* int $0x80 */
	ABI_OTHER, /* an arch the filters do not know (simulator and reference only) */
};

static const struct {
	const char *name;
	uint32_t scmp;  /* libseccomp token */
	uint32_t audit; /* seccomp_data.arch */
	bool wide;      /* 64-bit argument registers as libseccomp compares them */
} abis[] = {
	[ABI_X86_64] = { "x86_64", SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, true },
	[ABI_X32]    = { "x32", SCMP_ARCH_X32, AUDIT_ARCH_X86_64, false },
	[ABI_I386]   = { "x86", SCMP_ARCH_X86, AUDIT_ARCH_I386, false },
	[ABI_OTHER]  = { "aarch64", SCMP_ARCH_AARCH64, AUDIT_ARCH_AARCH64, true },
};

/* What a call did, as the parent sees it. */
struct outcome {
	enum { OUT_RETURNED, OUT_KILLED, OUT_TRAPPED, OUT_REFUSED, OUT_OTHER } kind;
	long ret;  /* OUT_RETURNED: -1 or the value */
	int err;   /* OUT_RETURNED: errno when ret is -1; OUT_REFUSED: seccomp(2)'s errno */
	int data;  /* OUT_TRAPPED: si_errno, the filter's 16 bits */
	int status; /* OUT_OTHER: the raw wait status */
};

/* Written by the child, read by the parent after waitpid(). */
struct shared {
	long base_ret; /* the call before the filter */
	int base_err;
	long ret;      /* the call under the filter */
	int err;
	int trap_data;
	int trap_nr;
	uint32_t trap_arch;
	int install_err;
};
static volatile struct shared *shm;
static bool have_int80;

/* i386 through the compat entry. The kernel clobbers r8-r11 there; rbp carries arg 5,
 * and the red zone is stepped over before pushing. */
static long int80(unsigned long nr, const uint64_t a[6])
{
	unsigned long ret, b = (uint32_t)a[0], c = (uint32_t)a[1], d = (uint32_t)a[2],
			   si = (uint32_t)a[3], di = (uint32_t)a[4], bp = (uint32_t)a[5];
	int32_t r;

	__asm__ volatile("sub $128, %%rsp\n\t"
			 "push %%rbp\n\t"
			 "mov %[bp], %%rbp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret)
			 : "a"(nr), "b"(b), "c"(c), "d"(d), "S"(si), "D"(di), [bp] "r"(bp)
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	r = (int32_t)ret;
	if (r < 0 && r >= -MAX_ERRNO) {
		errno = -r;
		return -1;
	}
	return r;
}

static long call(enum abi abi, uint32_t nr, const uint64_t a[6])
{
	if (abi == ABI_I386)
		return int80(nr, a);
	return syscall((long)nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Put back what a baseline call changed, so the filtered call sees the same state. */
static void undo(const char *name, long r)
{
	if (!name || r < 0)
		return;
	if (strcmp(name, "dup") == 0)
		close((int)r);
	else if (strcmp(name, "umask") == 0)
		umask((mode_t)r);
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	shm->trap_data = si->si_errno;
	shm->trap_nr = si->si_syscall;
	shm->trap_arch = si->si_arch;
	_exit(EXIT_TRAPPED);
}

static void child(const struct sock_filter *prog, size_t len, enum abi abi, const char *name,
		  uint32_t nr, const uint64_t args[6])
{
	struct sigaction sa;
	struct sock_fprog fp = { .len = (unsigned short)len, .filter = (struct sock_filter *)prog };
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);

	errno = 0;
	r = call(abi, nr, args);
	shm->base_ret = r;
	shm->base_err = r == -1 ? errno : 0;
	undo(name, r);

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(EXIT_SETUP);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0) {
		shm->install_err = errno;
		_exit(EXIT_REFUSED);
	}
	/* From here on, no call but the one under test and exit_group. */
	errno = 0;
	r = call(abi, nr, args);
	shm->ret = r;
	shm->err = r == -1 ? errno : 0;
	_exit(EXIT_CALLED);
}

/* Run the call under the filter in a child. @base receives the call's unfiltered result. */
static struct outcome kernel_run(const struct sock_filter *prog, size_t len, enum abi abi,
				 const char *name, uint32_t nr, const uint64_t args[6],
				 struct outcome *base)
{
	struct outcome o = { .kind = OUT_OTHER };
	int status;
	pid_t pid;

	memset((void *)shm, 0, sizeof(*shm));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		child(prog, len, abi, name, nr, args);
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		exit(2);
	}
	*base = (struct outcome){ .kind = OUT_RETURNED, .ret = shm->base_ret, .err = shm->base_err };
	o.status = status;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
		o.kind = OUT_KILLED;
	} else if (WIFEXITED(status)) {
		switch (WEXITSTATUS(status)) {
		case EXIT_CALLED:
			o.kind = OUT_RETURNED;
			o.ret = shm->ret;
			o.err = shm->err;
			break;
		case EXIT_TRAPPED:
			o.kind = OUT_TRAPPED;
			o.data = shm->trap_data;
			/* The kernel reports the call it trapped; anything else is a bug here. */
			if (shm->trap_nr != (int)nr || shm->trap_arch != abis[abi].audit)
				o.kind = OUT_OTHER;
			break;
		case EXIT_REFUSED:
			o.kind = OUT_REFUSED;
			o.err = shm->install_err;
			break;
		default:
			break;
		}
	}
	return o;
}

/* What the kernel must do when the filter returns @ret and the call alone gives @base. */
static struct outcome expect(uint32_t ret, const struct outcome *base)
{
	uint32_t data = ret & SECCOMP_RET_DATA;
	struct outcome o = { .kind = OUT_RETURNED };

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return *base;
	case SECCOMP_RET_ERRNO:
		/* The kernel caps the data at MAX_ERRNO; 0 makes the call "succeed" with 0. */
		if (data > MAX_ERRNO)
			data = MAX_ERRNO;
		o.ret = data ? -1 : 0;
		o.err = (int)data;
		return o;
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		/* No tracer, no listener: the kernel fails the call with ENOSYS. */
		o.ret = -1;
		o.err = ENOSYS;
		return o;
	case SECCOMP_RET_TRAP:
		o.kind = OUT_TRAPPED;
		o.data = (int)data;
		return o;
	default:
		/* KILL_THREAD of the only thread, KILL_PROCESS, and actions the kernel does
		 * not know: the process dies of SIGSYS. */
		o.kind = OUT_KILLED;
		return o;
	}
}

static bool same(const struct outcome *a, const struct outcome *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case OUT_RETURNED:
		return a->ret == b->ret && a->err == b->err;
	case OUT_TRAPPED:
		return a->data == b->data;
	case OUT_REFUSED:
		return a->err == b->err;
	case OUT_KILLED:
		return true;
	case OUT_OTHER:
		return false;
	}
	return false;
}

static const char *describe(const struct outcome *o, char *buf, size_t len)
{
	switch (o->kind) {
	case OUT_RETURNED:
		if (o->ret == -1)
			snprintf(buf, len, "returned -1, errno %d (%s)", o->err, strerror(o->err));
		else
			snprintf(buf, len, "returned %ld", o->ret);
		break;
	case OUT_KILLED:
		snprintf(buf, len, "killed by SIGSYS");
		break;
	case OUT_TRAPPED:
		snprintf(buf, len, "trapped, data %d", o->data);
		break;
	case OUT_REFUSED:
		snprintf(buf, len, "filter refused, errno %d", o->err);
		break;
	case OUT_OTHER:
		snprintf(buf, len, "unexpected wait status 0x%x", o->status);
		break;
	}
	return buf;
}

/* ===================================================================== */
/* Bookkeeping                                                           */
/* ===================================================================== */

static struct {
	unsigned kernel_ok, kernel_bad;
	unsigned ref_ok, ref_bad, ref_ambiguous;
	unsigned check_ok, check_bad;
	unsigned sim_only;
	unsigned shown;
	unsigned kinds[OUT_OTHER + 1]; /* what the kernel did, over the agreeing cases */
	unsigned errnos;               /* of them, calls failed with an errno */
	unsigned abi_cases[ABI_OTHER + 1];
	unsigned random_valid, random_invalid;
} count;

static void show_program(const struct sock_filter *prog, size_t len)
{
	/* The first few failures carry their program; the rest would drown them. */
	if (count.shown++ < 3)
		bpf_disasm(prog, len, stderr);
}

static void fmt_args(const uint64_t a[6], char *buf, size_t len)
{
	snprintf(buf, len, "0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
			   ", 0x%" PRIx64,
		 a[0], a[1], a[2], a[3], a[4], a[5]);
}

static struct seccomp_data make_data(enum abi abi, uint32_t nr, const uint64_t args[6])
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.nr = (int)nr;
	d.arch = abis[abi].audit;
	for (int i = 0; i < 6; i++)
		d.args[i] = abi == ABI_I386 ? (uint32_t)args[i] : args[i];
	return d;
}

/* Simulate, then (on an ABI this machine can call) run in the kernel and compare. */
static uint32_t sim_and_kernel(const char *what, const struct sock_filter *prog, size_t len,
			       enum abi abi, const char *name, uint32_t nr, const uint64_t args[6])
{
	struct seccomp_data d = make_data(abi, nr, args);
	uint32_t ret = bpf_sim_run(prog, len, &d);
	struct outcome base, got, want;
	char a[160], b[96], c[96], e[32];

	if (abi == ABI_OTHER || (abi == ABI_I386 && !have_int80)) {
		count.sim_only++;
		return ret;
	}
	got = kernel_run(prog, len, abi, name, nr, args, &base);
	want = expect(ret, &base);
	if (same(&got, &want)) {
		count.kernel_ok++;
		count.kinds[got.kind]++;
		count.errnos += got.kind == OUT_RETURNED && got.ret == -1;
		count.abi_cases[abi]++;
		return ret;
	}
	count.kernel_bad++;
	fmt_args(args, a, sizeof(a));
	fprintf(stderr, "DISAGREE %s: %s nr %u (%s) args %s: simulator %s → %s, kernel %s\n", what,
		abis[abi].name, nr, name ? name : "-", a, bpf_action_name(ret, e, sizeof(e)),
		describe(&want, b, sizeof(b)), describe(&got, c, sizeof(c)));
	show_program(prog, len);
	return ret;
}

/*
 * Hand-written and random programs return what they compute for every call, exit_group
 * included: without a way out, the child would spin in glibc's _exit(). This prologue
 * lets x86_64 exit_group through and falls into @prog otherwise; jumps are relative, so
 * @prog runs unchanged. Returns the length of @out (room for len + WRAP_LEN).
 */
#define WRAP_LEN 5
static size_t wrap(const struct sock_filter *prog, size_t len, struct sock_filter *out)
{
	const struct sock_filter prologue[WRAP_LEN] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	memcpy(out, prologue, sizeof(prologue));
	memcpy(out + WRAP_LEN, prog, len * sizeof(*prog));
	return WRAP_LEN + len;
}

/* sim_and_kernel() for a program that needs the exit_group prologue. */
static void sim_and_kernel_wrapped(const char *what, const struct sock_filter *prog, size_t len,
				   enum abi abi, const char *name, uint32_t nr, const uint64_t args[6])
{
	struct sock_filter w[64];

	if (len + WRAP_LEN > N(w))
		abort();
	sim_and_kernel(what, w, wrap(prog, len, w), abi, name, nr, args);
}

/* ===================================================================== */
/* Part 1: libseccomp policies                                           */
/* ===================================================================== */

struct cmp {
	unsigned arg;
	enum scmp_compare op;
	uint64_t a, b;
};

struct rule {
	uint32_t action; /* libseccomp's SCMP_ACT_* are the kernel's values */
	const char *syscall;
	unsigned ncmp;
	struct cmp cmp[3];
};

struct policy {
	const char *name;
	uint32_t def;
	bool native_only; /* x86_64 alone: x32 numbers and i386 then get the bad-arch action */
	struct rule rules[16];
};

/* Designated initializers: a rule leaves out what it does not use. */
#define CMP(n, o, v)         { .arg = (n), .op = (o), .a = (v) }
#define MASKED(n, mask, v)   { .arg = (n), .op = SCMP_CMP_MASKED_EQ, .a = (mask), .b = (v) }
#define RULE(act, sys, ...)  { .action = (act), .syscall = (sys), \
			       .ncmp = sizeof((struct cmp[]){ __VA_ARGS__ }) / sizeof(struct cmp), \
			       .cmp = { __VA_ARGS__ } }
#define RULE0(act, sys)      { .action = (act), .syscall = (sys) }

/* Each rule a different action or comparison; see the cases below for the boundaries. */
static const struct policy policies[] = {
	{ .name = "deny-list", .def = SCMP_ACT_ALLOW, .rules = {
		RULE(SCMP_ACT_ERRNO(42), "getppid", CMP(0, SCMP_CMP_EQ, 7)),
		/* 8 and not 7 on the high word: 32-bit ABIs truncate, and libseccomp refuses duplicates */
		RULE(SCMP_ACT_ERRNO(43), "getppid", CMP(0, SCMP_CMP_EQ, 0x100000008ULL)),
		RULE(SCMP_ACT_ERRNO(10), "getpid", CMP(0, SCMP_CMP_NE, 5)),
		RULE(SCMP_ACT_ERRNO(11), "getuid", CMP(0, SCMP_CMP_LT, 0x100000000ULL)),
		RULE(SCMP_ACT_KILL_PROCESS, "getgid", CMP(0, SCMP_CMP_LE, 1000)),
		RULE(SCMP_ACT_TRAP, "geteuid", CMP(0, SCMP_CMP_GT, 0xfffffffeULL)),
		RULE(SCMP_ACT_LOG, "getegid", CMP(0, SCMP_CMP_GE, 0x80000000ULL)),
		RULE(SCMP_ACT_ERRNO(4094), "getegid", CMP(0, SCMP_CMP_EQ, 3)),
		RULE(SCMP_ACT_ERRNO(3), "getpgrp", CMP(0, SCMP_CMP_EQ, 1), CMP(1, SCMP_CMP_GT, 5)),
		RULE(SCMP_ACT_TRACE(7), "gettid", MASKED(0, 0xffffffff00000000ULL, 0x100000000ULL)),
		RULE(SCMP_ACT_ERRNO(20), "umask", MASKED(0, 0xff00, 0x1200)),
		RULE(SCMP_ACT_ERRNO(24), "dup", CMP(0, SCMP_CMP_GE, 1000)),
		/* overlaps the rule above for 0xffffffff: the reference leaves that case out */
		RULE(SCMP_ACT_KILL_PROCESS, "dup", CMP(0, SCMP_CMP_EQ, 0xffffffffULL)),
	} },
	{ .name = "allow-list", .def = SCMP_ACT_KILL_PROCESS, .rules = {
		RULE0(SCMP_ACT_ALLOW, "exit_group"),
		RULE0(SCMP_ACT_ALLOW, "exit"),
		RULE0(SCMP_ACT_ALLOW, "getppid"),
		RULE(SCMP_ACT_ALLOW, "getpid", CMP(0, SCMP_CMP_EQ, 1)),
		RULE(SCMP_ACT_ERRNO(1), "getpid", CMP(0, SCMP_CMP_EQ, 2)),
		RULE(SCMP_ACT_ALLOW, "umask", MASKED(0, 0x1ff, 0x12)),
		RULE0(SCMP_ACT_ERRNO(0), "getuid"),
		RULE(SCMP_ACT_TRAP, "dup", CMP(0, SCMP_CMP_GT, 2)),
		RULE(SCMP_ACT_ALLOW, "gettid", CMP(1, SCMP_CMP_LT, 0x80000000ULL),
		     CMP(2, SCMP_CMP_NE, 0xffffffffffffffffULL)),
	} },
	{ .name = "trap-default", .def = SCMP_ACT_TRAP, .rules = {
		RULE0(SCMP_ACT_ALLOW, "exit_group"),
		RULE0(SCMP_ACT_ALLOW, "getpid"),
		RULE(SCMP_ACT_ERRNO(77), "getppid", CMP(1, SCMP_CMP_NE, 0)),
		RULE(SCMP_ACT_ALLOW, "getppid", CMP(1, SCMP_CMP_EQ, 0)),
		RULE(SCMP_ACT_LOG, "getgid", MASKED(5, 0xf, 0xf)),
		RULE(SCMP_ACT_ERRNO(4094), "getegid", CMP(0, SCMP_CMP_LE, 0x100000000ULL)),
	} },
	{ .name = "native-only", .def = SCMP_ACT_ERRNO(1), .native_only = true, .rules = {
		RULE0(SCMP_ACT_ALLOW, "exit_group"),
		RULE0(SCMP_ACT_ALLOW, "gettid"),
		RULE(SCMP_ACT_KILL_THREAD, "getppid", CMP(2, SCMP_CMP_EQ, 0xffffffffffffffffULL)),
		RULE(SCMP_ACT_ERRNO(2), "getpid", CMP(0, SCMP_CMP_GE, 0x100000000ULL)),
	} },
};

static const char *const test_syscalls[] = {
	"getppid", "getpid", "getuid", "getgid", "geteuid", "getegid",
	"getpgrp", "gettid", "umask", "dup", NULL, /* NULL: number 1000, assigned to nothing */
};

/* Boundaries of the rules above, with high garbage in the upper words. */
static const uint64_t arg_vectors[][6] = {
	{ 0 }, { 1 }, { 2 }, { 3 }, { 5 }, { 7 }, { 8 }, { 0x100000007ULL }, { 0x100000008ULL },
	{ 0xffffffff00000007ULL },
	{ 1000 }, { 1001 }, { 0x12 }, { 0x1212 }, { 0x12ff }, { 0x1300 }, { 0x7fffffff },
	{ 0x80000000ULL }, { 0xfffffffeULL }, { 0xffffffffULL }, { 0x100000000ULL },
	{ 0x1ffffffffULL }, { 0xffffffffffffffffULL }, { 1, 5 }, { 1, 6 }, { 1, 0x100000000ULL },
	{ 0, 0x7fffffff, 0xffffffffffffffffULL }, { 0, 0x7fffffff, 0xffffffff },
	{ 0, 0, 0, 0, 0, 0xff }, { 0, 0, 0, 0, 0, 0xe },
};

/* Export a policy's filter with libseccomp. */
static struct sock_filter *build(const struct policy *p, size_t *ret_len)
{
	scmp_filter_ctx ctx = seccomp_init(p->def);
	struct sock_filter *prog;
	int fd, r;
	off_t n;

	if (!ctx)
		return NULL;
	if (!p->native_only &&
	    (seccomp_arch_add(ctx, SCMP_ARCH_X32) != 0 || seccomp_arch_add(ctx, SCMP_ARCH_X86) != 0))
		goto fail;
	for (size_t i = 0; i < N(p->rules) && p->rules[i].syscall; i++) {
		const struct rule *ru = &p->rules[i];
		struct scmp_arg_cmp c[3];
		for (unsigned j = 0; j < ru->ncmp; j++)
			c[j] = (struct scmp_arg_cmp){ ru->cmp[j].arg, ru->cmp[j].op, ru->cmp[j].a, ru->cmp[j].b };
		r = seccomp_rule_add_array(ctx, ru->action, seccomp_syscall_resolve_name(ru->syscall),
					   ru->ncmp, c);
		if (r != 0) {
			fprintf(stderr, "%s: rule %zu: seccomp_rule_add: %s\n", p->name, i, strerror(-r));
			goto fail;
		}
	}
	fd = memfd_create("filter", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0)
		goto fail;
	n = lseek(fd, 0, SEEK_END);
	prog = malloc((size_t)n);
	if (!prog || pread(fd, prog, (size_t)n, 0) != n)
		goto fail;
	close(fd);
	seccomp_release(ctx);
	*ret_len = (size_t)n / sizeof(*prog);
	return prog;
fail:
	seccomp_release(ctx);
	return NULL;
}

static bool cmp_holds(const struct cmp *c, uint64_t v, bool wide)
{
	uint64_t a = c->a, b = c->b;

	/* On 32-bit ABIs libseccomp loads only the low word and truncates its data. */
	if (!wide) {
		v = (uint32_t)v;
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (c->op) {
	case SCMP_CMP_NE: return v != a;
	case SCMP_CMP_LT: return v < a;
	case SCMP_CMP_LE: return v <= a;
	case SCMP_CMP_EQ: return v == a;
	case SCMP_CMP_GE: return v >= a;
	case SCMP_CMP_GT: return v > a;
	case SCMP_CMP_MASKED_EQ: return (v & a) == b;
	default: return false;
	}
}

/*
 * libseccomp's meaning of @p for one call: the action of the rules whose comparisons all
 * hold, the default when none does, the bad-arch action (KILL_THREAD) for an ABI the
 * filter lacks. Returns false when matching rules disagree.
 */
static bool reference(const struct policy *p, enum abi abi, uint32_t nr, const uint64_t args[6],
		      uint32_t *ret)
{
	bool matched = false;

	if (abi == ABI_OTHER || (p->native_only && abi != ABI_X86_64)) {
		*ret = SCMP_ACT_KILL_THREAD;
		return true;
	}
	for (size_t i = 0; i < N(p->rules) && p->rules[i].syscall; i++) {
		const struct rule *ru = &p->rules[i];
		bool all = true;
		if ((uint32_t)seccomp_syscall_resolve_name_arch(abis[abi].scmp, ru->syscall) != nr)
			continue;
		for (unsigned j = 0; j < ru->ncmp; j++)
			all = all && cmp_holds(&ru->cmp[j], args[ru->cmp[j].arg], abis[abi].wide);
		if (!all)
			continue;
		if (matched && *ret != ru->action)
			return false;
		matched = true;
		*ret = ru->action;
	}
	if (!matched)
		*ret = p->def;
	return true;
}

static void run_policies(void)
{
	static const enum abi tested[] = { ABI_X86_64, ABI_X32, ABI_I386, ABI_OTHER };

	for (size_t pi = 0; pi < N(policies); pi++) {
		const struct policy *p = &policies[pi];
		size_t len;
		struct sock_filter *prog = build(p, &len);
		char err[256];

		if (!prog) {
			fprintf(stderr, "%s: cannot build the filter with libseccomp\n", p->name);
			count.check_bad++;
			continue;
		}
		if (bpf_sim_check(prog, len, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s: simulator refuses libseccomp's filter: %s\n", p->name, err);
			count.check_bad++;
			free(prog);
			continue;
		}
		count.check_ok++;
		for (size_t ai = 0; ai < N(tested); ai++) {
			enum abi abi = tested[ai];
			for (size_t si = 0; si < N(test_syscalls); si++) {
				const char *name = test_syscalls[si];
				uint32_t nr;
				if (name) {
					int r = seccomp_syscall_resolve_name_arch(abis[abi].scmp, name);
					if (r < 0)
						continue;
					nr = (uint32_t)r;
				} else {
					nr = 1000 | (abi == ABI_X32 ? X32_BIT : 0);
				}
				for (size_t vi = 0; vi < N(arg_vectors); vi++) {
					const uint64_t *args = arg_vectors[vi];
					char what[64], e1[32], e2[32], a[160];
					uint32_t sim, ref;

					snprintf(what, sizeof(what), "policy %s", p->name);
					sim = sim_and_kernel(what, prog, len, abi, name, nr, args);
					if (!reference(p, abi, nr, args, &ref)) {
						count.ref_ambiguous++;
						continue;
					}
					if (sim == ref) {
						count.ref_ok++;
						continue;
					}
					count.ref_bad++;
					fmt_args(args, a, sizeof(a));
					fprintf(stderr, "DISAGREE %s: %s %s args %s: simulator %s, libseccomp rules %s\n",
						what, abis[abi].name, name ? name : "1000", a,
						bpf_action_name(sim, e1, sizeof(e1)),
						bpf_action_name(ref, e2, sizeof(e2)));
					show_program(prog, len);
				}
			}
		}
		free(prog);
	}
}

/* ===================================================================== */
/* Part 2: hand-written programs                                         */
/* ===================================================================== */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#endif
#define ARG_HI(i) (ARG_LO(i) ^ 4)

#define LDA(i)   BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(i))
#define RETA     BPF_STMT(BPF_RET | BPF_A, 0)

/*
 * A = args[0].lo OP (k or args[1].lo); then 12 bits of A, from bit @shift, come back as
 * ERRNO data (0 reads as a successful 0). Three shifts recover all 32 bits.
 */
static size_t alu_program(struct sock_filter *p, uint16_t op, bool x, uint32_t k, unsigned shift)
{
	size_t n = 0;

	if (x) {
		p[n++] = (struct sock_filter)LDA(1);
		p[n++] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TAX, 0);
	}
	p[n++] = (struct sock_filter)LDA(0);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | op | (x ? BPF_X : BPF_K), k);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, shift);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO);
	p[n++] = (struct sock_filter)RETA;
	return n;
}

static void run_handwritten(void)
{
	static const struct {
		uint16_t op;
		uint32_t k; /* for the K form; the X form takes args[1] */
	} ops[] = {
		{ BPF_ADD, 0xfffffff0 }, { BPF_SUB, 0x10 }, { BPF_MUL, 0x10001 }, { BPF_DIV, 7 },
		{ BPF_AND, 0xf0f0f0f0 }, { BPF_OR, 0x0f00000f }, { BPF_XOR, 0xffffffff },
		{ BPF_LSH, 5 }, { BPF_RSH, 31 }, { BPF_NEG, 0 },
	};
	static const uint64_t vectors[][6] = {
		{ 0x12345678, 3 }, { 0xffffffff, 0xffffffff }, { 0x80000001, 0x1f }, { 7, 32 },
		{ 0xdeadbeef, 33 }, { 0, 0 }, { 1, 0 }, { 0xffffffff00000100ULL, 0x100000002ULL },
	};
	static const unsigned shifts[] = { 0, 12, 24 };
	uint32_t getppid_nr = (uint32_t)seccomp_syscall_resolve_name("getppid");
	struct sock_filter p[16];
	char what[64];

	for (size_t oi = 0; oi < N(ops); oi++)
		for (int x = 0; x < 2; x++) {
			if (ops[oi].op == BPF_NEG && x)
				continue;
			for (size_t si = 0; si < N(shifts); si++) {
				size_t n = alu_program(p, ops[oi].op, x, ops[oi].k, shifts[si]);
				snprintf(what, sizeof(what), "alu 0x%02x %s >> %u", ops[oi].op, x ? "x" : "k",
					 shifts[si]);
				if (bpf_sim_check(p, n, NULL, 0) != 0) {
					count.check_bad++;
					continue;
				}
				for (size_t vi = 0; vi < N(vectors); vi++)
					sim_and_kernel_wrapped(what, p, n, ABI_X86_64, "getppid", getppid_nr,
						       vectors[vi]);
			}
		}

	/* ret a: the first argument is the action, whatever it is (unknown ones kill). */
	{
		const struct sock_filter ret_a[] = { LDA(0), RETA };
		static const uint64_t actions[] = {
			SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW | 9, SECCOMP_RET_LOG,
			SECCOMP_RET_ERRNO | 1, SECCOMP_RET_ERRNO | 4095, SECCOMP_RET_ERRNO | 4096,
			SECCOMP_RET_ERRNO | 0xffff, SECCOMP_RET_ERRNO, SECCOMP_RET_TRAP | 0xabc,
			SECCOMP_RET_TRACE | 3, SECCOMP_RET_USER_NOTIF, SECCOMP_RET_KILL_PROCESS,
			SECCOMP_RET_KILL_THREAD | 5, 0x12340000, 0x7ffe0000, 0xffff0000,
		};
		for (size_t i = 0; i < N(actions); i++) {
			uint64_t args[6] = { actions[i] };
			sim_and_kernel_wrapped("ret a", ret_a, N(ret_a), ABI_X86_64, "getppid", getppid_nr, args);
		}
	}

	/* Scratch memory, len, txa, jumps against X, jset and division by a zero X. */
	{
		const struct sock_filter mem[] = {
			LDA(0), BPF_STMT(BPF_ST, 3), LDA(1), BPF_STMT(BPF_ST, 15),
			BPF_STMT(BPF_LDX | BPF_MEM, 3), BPF_STMT(BPF_LD | BPF_MEM, 15),
			BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0), BPF_STMT(BPF_STX, 0),
			BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
			BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff),
			BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), RETA,
		};
		const struct sock_filter cmp_x[] = {
			LDA(1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LDA(0),
			BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
			BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 2),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 3),
			BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 4),
			BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80000000, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5),
			BPF_STMT(BPF_MISC | BPF_TXA, 0),
			BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
			BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO | 0x100), RETA,
		};
		const struct sock_filter div_x[] = {
			LDA(1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LDA(0),
			BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
			BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff),
			BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), RETA,
		};
		const struct sock_filter hi_words[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(0)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xdeadbeef, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 9), LDA(0),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xdeadbeef, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 10),
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), RETA,
		};
		static const uint64_t more_vectors[][6] = {
			{ 5, 3 }, { 3, 5 }, { 5, 5 }, { 0x80000006, 2 }, { 4, 0 }, { 0, 0 },
			{ 0xfff, 0x100000001ULL }, { 0xdeadbeefULL << 32 }, { 0xdeadbeef },
			{ 0xdeadbeef0000dead },
		};
		for (size_t vi = 0; vi < N(more_vectors); vi++) {
			sim_and_kernel_wrapped("scratch memory", mem, N(mem), ABI_X86_64, "getppid", getppid_nr,
				       more_vectors[vi]);
			sim_and_kernel_wrapped("jumps against x", cmp_x, N(cmp_x), ABI_X86_64, "getppid",
				       getppid_nr, more_vectors[vi]);
			sim_and_kernel_wrapped("div by x", div_x, N(div_x), ABI_X86_64, "getppid", getppid_nr,
				       more_vectors[vi]);
			sim_and_kernel_wrapped("high words", hi_words, N(hi_words), ABI_X86_64, "getppid",
				       getppid_nr, more_vectors[vi]);
			if (have_int80)
				sim_and_kernel_wrapped("i386 high words", hi_words, N(hi_words), ABI_I386,
					       "getppid",
					       (uint32_t)seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86,
											  "getppid"),
					       more_vectors[vi]);
		}
	}
}

/* ===================================================================== */
/* Part 3: the validator at its edges                                    */
/* ===================================================================== */

/* One edge of the kernel's rules each, on both sides of it where there are two. */
static const struct edge {
	const char *what;
	struct sock_filter insns[6];
	size_t len;
} edges[] = {
#define ST(c, k) BPF_STMT((c), (k))
#define J(c, k, t, f) BPF_JUMP((c), (k), (t), (f))
#define R ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
	{ "ret only", { R }, 1 },
	{ "ret a", { ST(BPF_RET | BPF_A, 0) }, 1 },
	{ "ret x", { ST(BPF_RET | BPF_X, 0) }, 1 },
	{ "no final ret", { R, ST(BPF_LD | BPF_IMM, 1) }, 2 },
	{ "ja 0", { ST(BPF_JMP | BPF_JA, 0), R }, 2 },
	{ "ja onto the end", { ST(BPF_JMP | BPF_JA, 1), R }, 2 },
	{ "ja backward", { R, ST(BPF_JMP | BPF_JA, 0xfffffffe), R }, 3 },
	{ "jeq to the last", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), R, R }, 3 },
	{ "jeq past the last", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0), R, R }, 3 },
	{ "jset x jf past", { J(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 2), R, R }, 3 },
	{ "ld [60]", { ST(BPF_LD | BPF_W | BPF_ABS, 60), R }, 2 },
	{ "ld [64]", { ST(BPF_LD | BPF_W | BPF_ABS, 64), R }, 2 },
	{ "ld [2]", { ST(BPF_LD | BPF_W | BPF_ABS, 2), R }, 2 },
	{ "ldh [0]", { ST(BPF_LD | BPF_H | BPF_ABS, 0), R }, 2 },
	{ "ldb [0]", { ST(BPF_LD | BPF_B | BPF_ABS, 0), R }, 2 },
	{ "ld [x + 0]", { ST(BPF_LD | BPF_W | BPF_IND, 0), R }, 2 },
	{ "ldxb msh", { ST(BPF_LDX | BPF_B | BPF_MSH, 0), R }, 2 },
	{ "ld len", { ST(BPF_LD | BPF_W | BPF_LEN, 0), R }, 2 },
	{ "ldx len", { ST(BPF_LDX | BPF_W | BPF_LEN, 0), R }, 2 },
	{ "ld b imm", { ST(BPF_LD | BPF_B | BPF_IMM, 0), R }, 2 },
	{ "div #0", { ST(BPF_ALU | BPF_DIV | BPF_K, 0), R }, 2 },
	{ "div #1", { ST(BPF_ALU | BPF_DIV | BPF_K, 1), R }, 2 },
	{ "mod #3", { ST(BPF_ALU | BPF_MOD | BPF_K, 3), R }, 2 },
	{ "mod x", { ST(BPF_ALU | BPF_MOD | BPF_X, 0), R }, 2 },
	{ "lsh #31", { ST(BPF_ALU | BPF_LSH | BPF_K, 31), R }, 2 },
	{ "lsh #32", { ST(BPF_ALU | BPF_LSH | BPF_K, 32), R }, 2 },
	{ "rsh #32", { ST(BPF_ALU | BPF_RSH | BPF_K, 32), R }, 2 },
	{ "neg with k", { ST(BPF_ALU | BPF_NEG, 5), R }, 2 },
	{ "neg | x", { ST(BPF_ALU | BPF_NEG | BPF_X, 0), R }, 2 },
	{ "st M[15]", { ST(BPF_ST, 15), R }, 2 },
	{ "st M[16]", { ST(BPF_ST, 16), R }, 2 },
	{ "ld M[0] unwritten", { ST(BPF_LD | BPF_MEM, 0), R }, 2 },
	{ "ldx M[0] written", { ST(BPF_STX, 0), ST(BPF_LDX | BPF_MEM, 0), R }, 3 },
	{ "M[] on one branch", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), ST(BPF_ST, 2),
				 ST(BPF_LD | BPF_MEM, 2), R }, 4 },
	{ "M[] through a ret", { ST(BPF_ST, 1), R, ST(BPF_LD | BPF_MEM, 1), R }, 4 },
	{ "M[] after a ja", { ST(BPF_JMP | BPF_JA, 1), ST(BPF_LD | BPF_MEM, 9), R }, 3 },
	{ "tax | k", { ST(BPF_MISC | BPF_TAX, 1), R }, 2 },
	{ "ja | x", { ST(BPF_JMP | BPF_JA | BPF_X, 0), R }, 2 },
	{ "unknown class bits", { ST(0xff00 | BPF_RET | BPF_K, 0) }, 1 },
	{ "empty", { R }, 0 },
#undef ST
#undef J
#undef R
};

/* The validator's verdict against seccomp(2)'s on @prog (not wrapped: the prologue would
 * hide length and first-instruction edges). */
static void check_against_kernel(const char *what, const struct sock_filter *prog, size_t len)
{
	static const uint64_t none[6];
	uint32_t nr = (uint32_t)seccomp_syscall_resolve_name("getppid");
	char err[256], g[96];
	bool ours = bpf_sim_check(prog, len, err, sizeof(err)) == 0;
	struct outcome base, got = kernel_run(prog, len, ABI_X86_64, "getppid", nr, none, &base);
	bool theirs = got.kind != OUT_REFUSED;

	if (ours == theirs && (theirs || got.err == EINVAL)) {
		count.check_ok++;
		return;
	}
	count.check_bad++;
	fprintf(stderr, "DISAGREE %s: validator says %s, kernel %s\n", what, ours ? "valid" : err,
		describe(&got, g, sizeof(g)));
}

static void run_edges(void)
{
	static const uint16_t high[] = { 0x8000 | BPF_RET, 0x0100 | BPF_RET, 0xff00, 0x1000 | BPF_ST };
	struct sock_filter *big;

	for (size_t i = 0; i < N(edges); i++)
		check_against_kernel(edges[i].what, edges[i].insns, edges[i].len);

	/* Every opcode of the low 9 bits, plus high bits on valid ones, with operands that are
	 * valid for whatever the opcode is: M[4] written before, k = 4 aligned, a shift or
	 * divisor in range, a jump of 4 with room for it. The opcode table against the kernel's. */
	for (uint32_t code = 0; code < 0x200 + N(high); code++) {
		uint16_t c = code < 0x200 ? (uint16_t)code : high[code - 0x200];
		struct sock_filter p[7] = {
			BPF_STMT(BPF_ST, 4), { c, 0, 0, 4 },
		};
		char what[32];
		for (size_t i = 2; i < N(p); i++)
			p[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		snprintf(what, sizeof(what), "opcode 0x%04x", c);
		check_against_kernel(what, p, N(p));
	}

	/* BPF_MAXINSNS instructions pass, one more does not (the struct's length field is
	 * 16 bits, so 4097 is representable). */
	big = calloc(BPF_MAXINSNS + 1, sizeof(*big));
	if (!big)
		abort();
	for (size_t i = 0; i <= BPF_MAXINSNS; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	check_against_kernel("BPF_MAXINSNS instructions", big, BPF_MAXINSNS);
	check_against_kernel("BPF_MAXINSNS + 1 instructions", big, BPF_MAXINSNS + 1);
	free(big);
}

/* ===================================================================== */
/* Part 4: random programs                                               */
/* ===================================================================== */

static uint64_t rng_state = 0x5eccfacade1234ULL;

/* xorshift64*: reproducible across libcs, unlike rand(). */
static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

static uint32_t pick(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

/* Mostly valid, sometimes not: each way the validator can say no comes up now and then. */
static size_t random_program(struct sock_filter *p, size_t max)
{
	static const uint16_t codes[] = {
		BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_W | BPF_ABS,
		BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN, BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM,
		BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX, BPF_ST,
		BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_ADD | BPF_X, BPF_ALU | BPF_SUB | BPF_X,
		BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_DIV | BPF_X,
		BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_OR | BPF_X, BPF_ALU | BPF_XOR | BPF_K,
		BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_LSH | BPF_X, BPF_ALU | BPF_RSH | BPF_K,
		BPF_ALU | BPF_RSH | BPF_X, BPF_ALU | BPF_NEG, BPF_ALU | BPF_MOD | BPF_K,
		BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA, BPF_JMP | BPF_JA,
		BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X, BPF_JMP | BPF_JGT | BPF_K,
		BPF_JMP | BPF_JGE | BPF_X, BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X,
		BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_LD | BPF_H | BPF_ABS,
	};
	static const uint32_t rets[] = {
		SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_ERRNO, SECCOMP_RET_TRAP,
		SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRACE,
	};
	size_t n = 2 + pick((uint32_t)max - 1);

	for (size_t pc = 0; pc < n; pc++) {
		struct sock_filter *f = &p[pc];
		uint32_t left = (uint32_t)(n - pc - 1);
		bool odd = pick(25) == 0; /* an out-of-range operand */

		f->code = codes[pick(N(codes))];
		f->jt = f->jf = 0;
		f->k = (uint32_t)rnd();
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
		case BPF_LDX:
			if (BPF_MODE(f->code) == BPF_ABS)
				f->k = odd ? pick(70) : 4 * pick(16);
			else if (BPF_MODE(f->code) == BPF_MEM)
				f->k = odd ? 16 : pick(4);
			else if (BPF_MODE(f->code) == BPF_IMM && pick(2))
				f->k = pick(64);
			break;
		case BPF_ST:
		case BPF_STX:
			f->k = odd ? 16 : pick(4);
			break;
		case BPF_ALU:
			if (BPF_OP(f->code) == BPF_LSH || BPF_OP(f->code) == BPF_RSH ||
			    BPF_OP(f->code) == BPF_DIV)
				f->k = odd ? 32 + pick(8) : pick(32) + (BPF_OP(f->code) == BPF_DIV);
			break;
		case BPF_JMP:
			if (left == 0 || odd) {
				f->k = left + pick(2);
				f->jt = (uint8_t)(left + pick(2));
				f->jf = (uint8_t)pick(left + 1);
			} else {
				f->k = pick(left);
				f->jt = (uint8_t)pick(left);
				f->jf = (uint8_t)pick(left);
			}
			break;
		case BPF_RET:
			f->k = rets[pick(N(rets))] | pick(3);
			break;
		default:
			break;
		}
	}
	/* Usually end on a return, as any generator would. */
	if (pick(12) != 0)
		p[n - 1] = (struct sock_filter)BPF_STMT(BPF_RET | (pick(3) ? BPF_K : BPF_A),
							rets[pick(N(rets))] | pick(3));
	return n;
}

static void run_random(unsigned programs)
{
	static const uint64_t vectors[][6] = {
		{ 0, 0, 0, 0, 0, 0 },
		{ 1, 2, 3, 4, 5, 6 },
		{ 0xffffffffffffffffULL, 0x8000000000000001ULL, 0x7fffffff, 0x100000000ULL, 2, 0x3f },
	};
	uint32_t nr = (uint32_t)seccomp_syscall_resolve_name("getppid");
	struct sock_filter p[24], w[24 + WRAP_LEN];
	char err[256];

	for (unsigned i = 0; i < programs; i++) {
		size_t n = wrap(p, random_program(p, N(p)), w);
		bool ours = bpf_sim_check(w, n, err, sizeof(err)) == 0;
		struct outcome base, got;

		/* The kernel's verdict comes with a first run. */
		got = kernel_run(w, n, ABI_X86_64, "getppid", nr, vectors[0], &base);
		if (ours != (got.kind != OUT_REFUSED) ||
		    (got.kind == OUT_REFUSED && got.err != EINVAL)) {
			char g[96];
			count.check_bad++;
			fprintf(stderr, "DISAGREE random program %u: validator says %s, kernel %s\n", i,
				ours ? "valid" : err, describe(&got, g, sizeof(g)));
			show_program(w, n);
			continue;
		}
		count.check_ok++;
		if (!ours) {
			count.random_invalid++;
			continue;
		}
		count.random_valid++;
		for (size_t vi = 0; vi < N(vectors); vi++)
			sim_and_kernel("random program", w, n, ABI_X86_64, "getppid", nr, vectors[vi]);
	}
}

/* ===================================================================== */

/* Can this process install a filter, and call i386 syscalls? */
static int probe(void)
{
	const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	static const uint64_t none[6];
	struct outcome base, got;
	uint32_t getpid_i386 = (uint32_t)seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "getpid");

	got = kernel_run(allow, 1, ABI_X86_64, "getpid", (uint32_t)SYS_getpid, none, &base);
	if (got.kind != OUT_RETURNED) {
		char g[96];
		printf("SKIP: cannot install a seccomp filter here: %s\n", describe(&got, g, sizeof(g)));
		return -1;
	}
	got = kernel_run(allow, 1, ABI_I386, "getpid", getpid_i386, none, &base);
	have_int80 = got.kind == OUT_RETURNED && got.ret > 0 && got.ret == base.ret;
	if (!have_int80)
		printf("note: int $0x80 does not work here (no IA32 emulation), i386 cases are simulated only\n");
	return 0;
}

int main(void)
{
	struct rlimit no_core = { 0, 0 };
	unsigned failed;

	/* SIGSYS dumps core by default: thousands of them would fill the build tree. */
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (probe() < 0)
		return 77;

	run_policies();
	run_handwritten();
	run_edges();
	run_random(400);

	printf("simulator vs kernel: %u cases agreed, %u disagreed\n", count.kernel_ok, count.kernel_bad);
	printf("  the kernel: %u returned (%u with an errno), %u killed by SIGSYS, %u trapped; "
	       "%u x86_64, %u x32 numbers, %u i386 through int $0x80\n",
	       count.kinds[OUT_RETURNED], count.errnos, count.kinds[OUT_KILLED], count.kinds[OUT_TRAPPED],
	       count.abi_cases[ABI_X86_64], count.abi_cases[ABI_X32], count.abi_cases[ABI_I386]);
	printf("simulator vs libseccomp's rules: %u cases agreed, %u disagreed (%u with overlapping rules left out)\n",
	       count.ref_ok, count.ref_bad, count.ref_ambiguous);
	printf("validator vs kernel: %u programs agreed, %u disagreed\n", count.check_ok, count.check_bad);
	printf("  random programs: %u valid, %u invalid, for both\n", count.random_valid,
	       count.random_invalid);
	printf("simulated only (ABIs this machine cannot call): %u cases\n", count.sim_only);
	failed = count.kernel_bad + count.ref_bad + count.check_bad;
	printf("%u passed, %u failed\n", count.kernel_ok + count.ref_ok + count.check_ok, failed);
	return failed ? 1 : 0;
}
