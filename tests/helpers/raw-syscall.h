/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raw-syscall.h — make a system call on a chosen ABI and see the kernel's raw return
 * (-4095..-1 for an error), for try-syscall and the live tests.
 *
 * No libc wrapper sits in between: glibc's ioctl() and syscall() pass 64-bit words
 * unchanged today, but the bypass tests must not depend on that, and the errno boundary
 * tests want the raw value (-4095) rather than libc's reading of it.
 *
 *	long r = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);          // native
 *	long r = raw_syscall(RAW_X32_BIT | 39, 0, 0, 0, 0, 0, 0);     // x32 getpid
 *	long r = raw_int80(20, 0, 0, 0, 0, 0, 0);                     // i386 getpid
 */
#ifndef SC_RAW_SYSCALL_H
#define SC_RAW_SYSCALL_H

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* __X32_SYSCALL_BIT: the x32 ABI is x86_64's syscall instruction with this bit in rax. */
#define RAW_X32_BIT 0x40000000L

#if defined(__x86_64__)
#define RAW_HAVE_COMPAT 1 /* x32 and i386 calls can be made from this process */

static inline long raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

/*
 * The i386 entry from a 64-bit process: int $0x80 with eax = nr and ebx, ecx, edx, esi,
 * edi, ebp = arguments. The kernel reads the 32-bit registers, so arguments are 32 bits;
 * the seccomp_data it builds says AUDIT_ARCH_I386 and the i386 number.
 * ebp is the frame pointer, so swap it in and out around the trap instead of binding it;
 * r8-r11 are listed because kernels before 4.17 zeroed them on this path.
 */
static inline long raw_int80(long nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
			     uint32_t a5, uint32_t a6)
{
	long ret;
	unsigned long bp = a6;

	__asm__ volatile("xchg %[bp], %%rbp\n\t"
			 "int $0x80\n\t"
			 "xchg %[bp], %%rbp"
			 : "=a"(ret), [bp] "+r"(bp)
			 : "a"(nr), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
			 : "r8", "r9", "r10", "r11", "memory", "cc");
	/* The i386 entry returns a 32-bit value in eax: sign-extend it like a 32-bit libc. */
	return (long)(int32_t)ret;
}
#else
#define RAW_HAVE_COMPAT 0

static inline long raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	/* Elsewhere the generic wrapper; it returns -1/errno, so turn that back into raw. */
	long r = syscall(nr, a1, a2, a3, a4, a5, a6);
	return r == -1 ? -(long)errno : r;
}
#endif

#endif
