/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apply.c — no_new_privs + seccomp(2): install a filter in the calling process, and probe
 * which flags and actions the running kernel has (libseccomp's system.c).
 *
 * Everything that can be checked is checked before the process is changed: flags are
 * probed (seccomp(SET_MODE_FILTER, flag, NULL) answers EFAULT for a flag the kernel knows
 * and EINVAL for one it does not) before no_new_privs is set, so an unsupported flag leaves
 * the caller as it was. An EINVAL from the real install then means the program itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf/apply.h"

/* Headers older than the running kernel: these values are ABI and never change. */
#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC (1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif
#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_RET_KILL_THREAD
#define SECCOMP_RET_KILL_THREAD 0U /* called SECCOMP_RET_KILL before 4.14 */
#endif
#ifndef SECCOMP_RET_ACTION_FULL
#define SECCOMP_RET_ACTION_FULL 0xffff0000U
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

#define APPLY_KNOWN \
	(APPLY_TSYNC | APPLY_LOG | APPLY_SPEC_ALLOW | APPLY_WAIT_KILLABLE_RECV | APPLY_NO_NNP)

/*
 * Our flags and the kernel's, in bit order of ours. @probe is what to ask the kernel to
 * learn whether it knows the flag; @pass is whether the flag goes to the install call.
 *
 * WAIT_KILLABLE_RECV is refused (EINVAL) without NEW_LISTENER, and changes only how a
 * listener's target waits. apply_filter() creates no listener, so a USER_NOTIF return fails
 * the call with ENOSYS and the flag has nothing to change: probe it, do not pass it
 * (libseccomp likewise adds it only with a listener; OCI profiles carry it whether or not
 * they notify). apply_filter_listener() passes it.
 */
static const struct {
	unsigned ours;
	unsigned long probe;
	bool pass;
} flag_map[] = {
	{ APPLY_TSYNC, SECCOMP_FILTER_FLAG_TSYNC, true },
	{ APPLY_LOG, SECCOMP_FILTER_FLAG_LOG, true },
	{ APPLY_SPEC_ALLOW, SECCOMP_FILTER_FLAG_SPEC_ALLOW, true },
	{ APPLY_WAIT_KILLABLE_RECV,
	  SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, false },
};

static long sys_seccomp(unsigned op, unsigned long flags, void *args)
{
#ifdef __NR_seccomp
	/* glibc before 2.38 has no wrapper; syscall() reads longs, so widen explicitly. */
	return syscall(__NR_seccomp, (long)op, (long)flags, args);
#else
	(void)op;
	(void)flags;
	(void)args;
	errno = ENOSYS;
	return -1;
#endif
}

/* The one exit for kernel errors: the documented set passes, the rest reads as "rejected". */
static int rc_filter(int r)
{
	switch (r) {
	case 0:
	case -EINVAL:
	case -EACCES:
	case -ENOSYS:
	case -ESRCH:
	case -EOPNOTSUPP:
	case -ENOMEM:
		return r;
	default:
		/* EFAULT and the like: memory we passed, or a refusal this module does not
		 * model. Either way the filter is not installed. */
		return -EINVAL;
	}
}

/* Before seccomp(2) (3.17) filters came through prctl, which has no flags. PR_GET_SECCOMP
 * fails with EINVAL only when the kernel has no seccomp at all. */
static bool have_prctl_seccomp(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
}

/* 1 when the kernel knows every flag in @flags, 0 when not, -ENOSYS without seccomp(2). */
static int probe_flags(unsigned long flags)
{
	if (sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) == 0)
		return 1; /* cannot happen with a NULL program; read it as "known" */
	if (errno == EFAULT)
		return 1; /* flags passed the kernel's checks; it then read the program */
	if (errno == ENOSYS)
		return -ENOSYS;
	return 0;
}

/* Install @prog; with @listener, ask for a notification fd, which is then the result. */
static int install(const struct sock_filter *prog, size_t len, unsigned flags, bool listener)
{
	/* The kernel only reads the program; sock_fprog just lacks the const. */
	struct sock_fprog fprog = { .len = (unsigned short)len, .filter = (struct sock_filter *)prog };
	unsigned long kflags = 0;
	long r;

	if (!prog || len == 0 || len > BPF_MAXINSNS || (flags & ~APPLY_KNOWN))
		return -EINVAL;

	for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++) {
		if (!(flags & flag_map[i].ours))
			continue;
		r = probe_flags(flag_map[i].probe);
		if (r == -ENOSYS)
			return have_prctl_seccomp() ? -EOPNOTSUPP : -ENOSYS;
		if (r == 0)
			return -EOPNOTSUPP;
		if (flag_map[i].pass || listener)
			kflags |= flag_map[i].probe;
	}
	if (listener) {
		/* TSYNC and a listener exclude each other unless TSYNC_ESRCH (5.7) says how a
		 * failed sync is reported (an error, not a thread id where the fd would be). */
		unsigned long want = SECCOMP_FILTER_FLAG_NEW_LISTENER |
				     (kflags & SECCOMP_FILTER_FLAG_TSYNC ? SECCOMP_FILTER_FLAG_TSYNC_ESRCH : 0);
		r = probe_flags(want);
		if (r < 0)
			return r;
		if (r == 0)
			return -EOPNOTSUPP;
		kflags |= want;
	}

	/* Without NNP an unprivileged filter could make a setuid program misbehave with
	 * the privileges it gains; the kernel refuses such filters (EACCES) for that reason. */
	if (!(flags & APPLY_NO_NNP) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return errno == EINVAL ? -ENOSYS : rc_filter(-errno); /* EINVAL: before 3.5 */

	r = sys_seccomp(SECCOMP_SET_MODE_FILTER, kflags, &fprog);
	if (listener)
		return r >= 0 ? (int)r : rc_filter(-errno);
	if (r > 0)
		return -ESRCH; /* TSYNC: the id of a thread whose filters are not our ancestors */
	if (r == 0)
		return 0;
	if (errno != ENOSYS)
		return rc_filter(-errno);

	if (!have_prctl_seccomp())
		return -ENOSYS;
	if (kflags)
		return -EOPNOTSUPP;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
		return rc_filter(-errno);
	return 0;
}

int apply_filter(const struct sock_filter *prog, size_t len, unsigned flags)
{
	return install(prog, len, flags, false);
}

int apply_filter_listener(const struct sock_filter *prog, size_t len, unsigned flags)
{
	return install(prog, len, flags, true);
}

bool apply_action_available(uint32_t action)
{
	/* The kernel compares the whole word, so ERRNO|EPERM would read as unknown. */
	uint32_t a = action & SECCOMP_RET_ACTION_FULL;

	if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &a) == 0)
		return true;
	if (errno == EOPNOTSUPP)
		return false;

	/* The operation itself is unknown: EINVAL before 4.14, ENOSYS before seccomp(2).
	 * Then the actions of the original filter mode (3.5) are all there is. */
	if (!have_prctl_seccomp())
		return false;
	switch (a) {
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_ALLOW:
		return true;
	default:
		return false;
	}
}

/*
 * Landlock, for what a seccomp filter cannot see. Opening /proc/PID/mem (and environ, fd/,
 * process_vm_writev, pidfd_getfd …) asks the kernel's ptrace_may_access, never a syscall
 * the filter could deny by name; a Landlock domain makes that check refuse every process
 * outside the domain (landlock's ptrace hooks), whatever the caller's capabilities.
 *
 * A domain needs a ruleset that handles something. We handle LANDLOCK_ACCESS_FS_REFER only
 * and grant it beneath "/": the domain then restricts no file access at all, and the
 * ptrace scope is all it adds (with one more refusal any filesystem-handling domain brings:
 * mount, umount, pivot_root). REFER is the only right a domain denies even when it does not
 * handle it, which is why it must be the handled one and granted: ABI 1 (5.13 to 5.18) has
 * no REFER and forbids every rename across directories in any domain, so ABI 2 is needed.
 *
 * The ABI structs and numbers are written here because older system headers lack them; they
 * never change (the kernel reads a struct as long as the size we pass).
 */
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444 /* one number on every architecture */
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_ACCESS_FS_REFER (1ULL << 13)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int apply_ptrace_scope(unsigned flags)
{
	struct ll_ruleset_attr attr = { .handled_access_fs = LL_ACCESS_FS_REFER };
	struct ll_path_beneath_attr beneath = { .allowed_access = LL_ACCESS_FS_REFER, .parent_fd = -1 };
	long abi, ruleset;
	int r = 0;

	abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 0)
		return errno == EOPNOTSUPP ? -EOPNOTSUPP : -ENOSYS; /* disabled at boot / absent */
	if (abi < 2)
		return -ENOSYS;
	ruleset = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0)
		return -errno;
	beneath.parent_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (beneath.parent_fd < 0 ||
	    syscall(__NR_landlock_add_rule, (int)ruleset, LL_RULE_PATH_BENEATH, &beneath, 0) < 0)
		r = -errno;
	/* Landlock asks for no_new_privs (or CAP_SYS_ADMIN) as seccomp does, for the same
	 * reason: a setuid program must not run in a sandbox its caller chose. */
	if (r == 0 && !(flags & APPLY_NO_NNP) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
	if (r == 0 && syscall(__NR_landlock_restrict_self, (int)ruleset, 0) < 0)
		r = -errno;
	if (beneath.parent_fd >= 0)
		close(beneath.parent_fd);
	close((int)ruleset);
	return r;
}
