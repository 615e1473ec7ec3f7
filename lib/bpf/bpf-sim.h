/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-sim.h — a userspace seccomp BPF interpreter, its validator and a disassembler.
 *
 * The simulator is the second oracle beside the kernel: it must accept exactly the
 * programs seccomp(2) accepts and compute exactly the value the kernel's filter returns.
 * Calling sequence:
 *
 *	char err[128];
 *	if (bpf_sim_check(prog, len, err, sizeof(err)) < 0)
 *		fail("%s", err);             // "insn 7: division by constant 0"
 *	uint32_t ret = bpf_sim_run(prog, len, &data);
 *	printf("%s\n", bpf_action_name(ret, buf, sizeof(buf)));   // "ERRNO(1)"
 *	bpf_disasm(prog, len, stdout);
 *
 * The seccomp_data passed to bpf_sim_run() is in the host's byte order, as the kernel
 * lays it out for the filter (filter_seccomp_data() in filter.h builds one for another ABI).
 */
#ifndef SC_BPF_SIM_H
#define SC_BPF_SIM_H

#include <linux/filter.h>
#include "base/seccomp-compat.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Validate @prog as the kernel does before it installs a filter: bpf_check_classic()
 * (length 1..BPF_MAXINSNS, jumps forward and in range, constant divisor not 0, constant
 * shift below 32, scratch index below 16, last instruction a `ret`, no scratch read that
 * some path reaches before a write) plus seccomp_check_filter() (only the opcodes it
 * lists; word loads 4-byte aligned inside struct seccomp_data).
 * @err receives "insn N: why" (or "empty program" …) when the program is rejected.
 * Returns 0, or -EINVAL.
 */
int bpf_sim_check(const struct sock_filter *prog, size_t len, char *err, size_t errlen);

/*
 * Run @prog on @d and return the filter's 32-bit result (SECCOMP_RET_* | data).
 * Meant for programs bpf_sim_check() accepted; anything else still terminates without
 * reading out of bounds, and an instruction the kernel would have refused reads as
 * SECCOMP_RET_KILL_PROCESS. Division by a zero X returns 0 (KILL_THREAD), as the kernel's
 * translation of classic BPF does.
 */
uint32_t bpf_sim_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d);

/* bpf_sim_run() that also counts the instructions executed (for the benchmarks). */
uint32_t bpf_sim_run_count(const struct sock_filter *prog, size_t len, const struct seccomp_data *d,
			   size_t *ret_steps);

/*
 * Write a disassembly of @prog to @out, one instruction a line:
 *
 *	   0: ld   [arch]
 *	   1: jeq  #AUDIT_ARCH_X86_64       jt 3     jf 2
 *	   2: ret  KILL_PROCESS
 *	   3: ld   [nr]
 *	   4: jge  #0x40000000              jt 11    jf 5       ; x32 read
 *	   5: jeq  #0                       jt 13    jf 6       ; read
 *	   6: jeq  #59                      jt 10    jf 7       ; execve
 *
 * seccomp_data fields by name ([args[1].lo], [args[1].hi] in the byte order of the ABI the
 * preceding arch check selected, else the host's), jump targets as absolute indexes,
 * return values as actions, audit arch values by their AUDIT_ARCH_* name, and syscall
 * numbers compared with [nr] by their name on that ABI. Invalid programs are printed too;
 * opcodes seccomp refuses are marked.
 * Returns 0, -ENOMEM, or -EIO when writing failed.
 */
int bpf_disasm(const struct sock_filter *prog, size_t len, FILE *out);

/*
 * Name of the seccomp return value @ret in the kernel's spelling, into @buf:
 * "ALLOW", "LOG", "KILL_PROCESS", "KILL_THREAD", "USER_NOTIF", "ERRNO(1)", "TRAP(0)",
 * "TRACE(7)". Data the kernel ignores is shown as "ALLOW|0x5"; an action the kernel does
 * not know (it kills the process) as "UNKNOWN(0x12340000)". Returns @buf.
 */
const char *bpf_action_name(uint32_t ret, char *buf, size_t len);

#endif
