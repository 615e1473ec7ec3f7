/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ebpf-kernel.h — what the eBPF recorder's kernel half (ebpf-kernel.bpf.c) and user half
 * (ebpf-watch.c) agree on: the observation key, the ABIs, the capture table's shape.
 * Included by both sides: only fixed-width kernel types, no padding the compilers could
 * lay out differently.
 */
#ifndef SC_RECORDER_BPF_H
#define SC_RECORDER_BPF_H

/* ABIs the recorder tells apart (x86_64's three): the capture table's first index. */
#define REC_ABI_NATIVE 0 /* x86_64 */
#define REC_ABI_I386   1 /* int $0x80 / sysenter / compat syscall: TS_COMPAT set */
#define REC_ABI_X32    2 /* the syscall instruction with __X32_SYSCALL_BIT in the number */
#define REC_NABI       3

#define REC_X32_BIT 0x40000000u

/* Numbers covered by the capture table, per ABI (x32's counted without its bit). */
#define REC_CAPTURE_NRS 1024

/* Cgroup v2 levels a watched cgroup may sit at (its depth below the root). */
#define REC_MAX_LEVEL 63
/* Distinct levels watched at once (the kernel half tries each on every call). */
#define REC_NLEVELS 16

/*
 * One observation as the kernel aggregates it: the target, the ABI, the number as the
 * tracepoint gives it (x32's bit included) and the raw values of the arguments the capture
 * table names (others 0). User space normalises them with rec_set_add_call(), as for a
 * ptrace recording.
 */
struct rec_key {
	__u32 target;
	__u32 abi;
	__u32 nr;
	__u32 argmask; /* which of args[] were captured: bit i = argument i */
	__u64 args[6];
};

/* Per target (a map entry, keyed by target id). */
struct rec_target {
	__u32 from_exec; /* count nothing until a process of the target completes an execve */
	__u32 started;   /* set by the kernel half at that execve */
};

#endif
