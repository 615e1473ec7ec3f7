/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apply.h — install a BPF program as the calling process's seccomp filter, and ask the
 * kernel what it supports (libseccomp's system.c, in one module).
 *
 * Calling sequence:
 *
 *	if (!apply_action_available(SECCOMP_RET_KILL_PROCESS))
 *		... compile with KILL_THREAD instead ...
 *	r = apply_filter(prog, len, APPLY_TSYNC);
 *	if (r == -ESRCH)
 *		... another thread already has a filter of its own ...
 *
 * Installing cannot be undone: a filter stays for the life of the process and is inherited
 * across fork and execve. Tests therefore call apply_filter() in a forked child.
 */
#ifndef SC_APPLY_H
#define SC_APPLY_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum apply_flags {
	APPLY_TSYNC              = 1 << 0, /* SECCOMP_FILTER_FLAG_TSYNC: every thread of the process */
	APPLY_LOG                = 1 << 1, /* SECCOMP_FILTER_FLAG_LOG: audit-log what is not allowed */
	APPLY_SPEC_ALLOW         = 1 << 2, /* SECCOMP_FILTER_FLAG_SPEC_ALLOW: keep speculation on */
	APPLY_WAIT_KILLABLE_RECV = 1 << 3, /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (see apply.c) */
	APPLY_NO_NNP             = 1 << 4, /* caller has CAP_SYS_ADMIN and wants no NNP */
};

/*
 * Set no_new_privs (unless APPLY_NO_NNP) and install @prog, @len instructions, with
 * seccomp(SECCOMP_SET_MODE_FILTER, flags), our flags mapped to SECCOMP_FILTER_FLAG_*.
 * Falls back to prctl(PR_SET_SECCOMP) only when no flag is needed and seccomp(2) is ENOSYS
 * (kernels 3.5 to 3.16).
 *
 * APPLY_WAIT_KILLABLE_RECV is checked for support but not passed: it only means something
 * with a notification listener, which this function does not create (see apply.c).
 *
 * Returns 0, or:
 *   -EINVAL      the program (empty, longer than BPF_MAXINSNS, or refused by the kernel's
 *                checker) or a flag bit unknown to this module was rejected
 *   -EACCES      APPLY_NO_NNP without CAP_SYS_ADMIN
 *   -ENOSYS      this kernel has no seccomp filter mode
 *   -ESRCH       APPLY_TSYNC failed: another thread has a filter that is not an ancestor of ours
 *   -EOPNOTSUPP  a flag this kernel lacks (probed after the kernel said EINVAL)
 *   -ENOMEM      the filters stacked on this process exceed the kernel's instruction budget
 */
int apply_filter(const struct sock_filter *prog, size_t len, unsigned flags);

/*
 * apply_filter() with SECCOMP_FILTER_FLAG_NEW_LISTENER (Linux 5.0): the filter's
 * SECCOMP_RET_USER_NOTIF calls wait for an answer on the returned descriptor (O_CLOEXEC),
 * and APPLY_WAIT_KILLABLE_RECV is passed. APPLY_TSYNC adds TSYNC_ESRCH (5.7), without which
 * the kernel refuses TSYNC beside a listener.
 * Returns the listener (>= 0), or apply_filter()'s errors (-EOPNOTSUPP: no listeners here).
 */
int apply_filter_listener(const struct sock_filter *prog, size_t len, unsigned flags);

/*
 * Whether this kernel supports a return action (SECCOMP_GET_ACTION_AVAIL), e.g.
 * SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_LOG, SECCOMP_RET_USER_NOTIF. The data bits of
 * @action are ignored, so SECCOMP_RET_ERRNO | EPERM may be passed as it stands.
 */
bool apply_action_available(uint32_t action);

/*
 * Put the calling thread in a Landlock domain that restricts nothing but ptrace access:
 * afterwards it (and what it execs and forks) can ptrace, open /proc/PID/mem of, or
 * process_vm_write only processes inside the domain (see apply.c). Sets no_new_privs first
 * unless APPLY_NO_NNP. Call it before apply_filter(): the filter may deny the Landlock calls.
 *
 * Returns 0, or:
 *   -ENOSYS      no Landlock ABI 2 here (Linux before 5.19, or built without Landlock)
 *   -EOPNOTSUPP  Landlock is built in but disabled (not in the kernel's lsm= list)
 *   -EPERM       APPLY_NO_NNP without CAP_SYS_ADMIN; other -errno from the Landlock calls
 */
int apply_ptrace_scope(unsigned flags);

#endif
