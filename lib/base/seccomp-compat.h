/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp-compat.h — <linux/seccomp.h>, with the return values newer than the oldest uapi
 * headers we build against defined where those headers lack them.
 */
#ifndef SC_SECCOMP_COMPAT_H
#define SC_SECCOMP_COMPAT_H

#include <linux/seccomp.h>

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
#ifndef SECCOMP_RET_ACTION_FULL
#define SECCOMP_RET_ACTION_FULL 0xffff0000U
#endif

#endif
