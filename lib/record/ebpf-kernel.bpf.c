// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ebpf-kernel.bpf.c — the eBPF recorder's kernel half: on every system call, is the calling
 * task part of a watched workload (a cgroup v2 subtree or a pid namespace)? If so, add
 * (target, ABI, number, captured arguments) to a hash map; a key the map did not hold yet
 * goes to user space through a ring buffer. Everything else returns after one or two map
 * look-ups.
 *
 * tp_btf rather than raw_tp: the program is attached by BTF id and its arguments come typed
 * (pt_regs, the exec'ing task_struct), checked against the running kernel's layout; field
 * offsets are CO-RE relocations through vmlinux.h, applied by the kernel's loader (the light
 * skeleton: no user-space copy of the kernel's BTF to parse, which would cost the recorder
 * tens of milliseconds at every start). The fields are read with bpf_core_read() rather than
 * as direct BTF-pointer loads: each such load makes the verifier search the kernel's BTF by
 * name, ~2 ms apiece, and the copy costs the same per call. The price is BTF in the kernel,
 * which sc_ebpf_available() demands anyway.
 *
 * Built by clang -target bpf against a vmlinux.h that bpftool dumps at build time from the
 * build machine's BTF (lib/meson.build); bpftool makes the light skeleton ebpf-watch.c loads.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "record/ebpf-kernel.h"

#define EEXIST    17
#define TS_COMPAT 0x0002 /* arch/x86/include/asm/thread_info.h: the current call is a compat one */

char LICENSE[] SEC("license") = "GPL";

/*
 * Filled by user space before the program is loaded, from the same capture table
 * (data/recorder-args.txt through argcap.c) the ptrace recorder uses: per ABI and number, a
 * bit per argument index to capture. And the numbers of execve and execveat per ABI (0: none).
 */
const volatile __u8 capture[REC_NABI][REC_CAPTURE_NRS];
const volatile __u32 exec_nrs[REC_NABI][2];

/* Written by user space while the program runs (the skeleton maps .bss): the cgroup levels
 * at which a cgroup is watched, deepest first, and whether any pid namespace is. */
__u32 nlevels;
__u32 levels[REC_NLEVELS];
__u32 watch_pidns;
/* Read by user space: new keys the ring buffer had no room for (they stay in the map). */
__u64 lost;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* created in microseconds, grown as used */
	__uint(max_entries, 4096);
	__type(key, __u64);   /* cgroup id (the directory's inode number) */
	__type(value, __u32); /* target id */
} watched_cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* created in microseconds, grown as used */
	__uint(max_entries, 4096);
	__type(key, __u32);   /* pid namespace inode number */
	__type(value, __u32); /* target id */
} watched_pidns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* created in microseconds, grown as used */
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct rec_target);
} targets SEC(".maps");

/* The aggregate: one entry per distinct observation of a target, with its count. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 32768);
	__type(key, struct rec_key);
	__type(value, __u64);
} seen SEC(".maps");

/* An execve a from_exec target's task entered before the target started (by thread id). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct rec_key);
} pending_exec SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 << 10);
} events SEC(".maps");

/* The target @task belongs to, or NULL: the innermost watched cgroup, else its pid namespace. */
static __always_inline __u32 *target_of(struct task_struct *task)
{
	__u32 n = nlevels, *id;

	for (__u32 i = 0; i < REC_NLEVELS; i++) {
		__u64 cg;
		if (i >= n)
			break;
		cg = bpf_get_current_ancestor_cgroup_id(levels[i] & REC_MAX_LEVEL);
		if (!cg)
			continue;
		id = bpf_map_lookup_elem(&watched_cgroups, &cg);
		if (id)
			return id;
	}
	if (watch_pidns) {
		/* The namespace its children get: the one it lives in, except between an
		 * unshare(CLONE_NEWPID) and the next fork. */
		__u32 inum = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, ns.inum);
		return bpf_map_lookup_elem(&watched_pidns, &inum);
	}
	return NULL;
}

/* The ABI, number and captured arguments of the call @regs_btf is making. */
static __always_inline void describe(struct rec_key *k, struct task_struct *task,
				     struct pt_regs *regs_btf, long nr)
{
	struct pt_regs regs;
	__u32 idx;
	__u8 m;

	k->nr = (__u32)nr;
	if (BPF_CORE_READ(task, thread_info.status) & TS_COMPAT)
		k->abi = REC_ABI_I386;
	else if (k->nr & REC_X32_BIT)
		k->abi = REC_ABI_X32;
	else
		k->abi = REC_ABI_NATIVE;
	idx = k->abi == REC_ABI_X32 ? k->nr & ~REC_X32_BIT : k->nr;
	if (idx >= REC_CAPTURE_NRS)
		return;
	m = capture[k->abi][idx];
	if (!m)
		return;
	k->argmask = m;
	if (bpf_core_read(&regs, sizeof(regs), regs_btf) < 0)
		return;
	if (k->abi == REC_ABI_I386) {
		/* ebx, ecx, edx, esi, edi, ebp; the kernel reads 32 bits of each. */
		if (m & 1)
			k->args[0] = (__u32)regs.bx;
		if (m & 2)
			k->args[1] = (__u32)regs.cx;
		if (m & 4)
			k->args[2] = (__u32)regs.dx;
		if (m & 8)
			k->args[3] = (__u32)regs.si;
		if (m & 16)
			k->args[4] = (__u32)regs.di;
		if (m & 32)
			k->args[5] = (__u32)regs.bp;
	} else {
		if (m & 1)
			k->args[0] = regs.di;
		if (m & 2)
			k->args[1] = regs.si;
		if (m & 4)
			k->args[2] = regs.dx;
		if (m & 8)
			k->args[3] = regs.r10;
		if (m & 16)
			k->args[4] = regs.r8;
		if (m & 32)
			k->args[5] = regs.r9;
	}
}

/* Count @k; tell user space when it is new. */
static __always_inline void count(struct rec_key *k)
{
	__u64 one = 1, *c = bpf_map_lookup_elem(&seen, k);
	struct rec_key *e;
	long err;

	if (c) {
		__sync_fetch_and_add(c, 1);
		return;
	}
	err = bpf_map_update_elem(&seen, k, &one, BPF_NOEXIST);
	if (err == -EEXIST)
		return; /* another CPU inserted it a moment ago and reported it */
	/* New (or the map is full: then every occurrence is sent, user space keeps one). */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		/* Still in the map: sc_watch_take() sweeps the map, so nothing is lost. */
		__sync_fetch_and_add(&lost, 1);
		return;
	}
	__builtin_memcpy(e, k, sizeof(*e));
	bpf_ringbuf_submit(e, 0);
}

static __always_inline bool is_exec(const struct rec_key *k)
{
	__u32 abi = k->abi < REC_NABI ? k->abi : 0;

	return k->nr && (k->nr == exec_nrs[abi][0] || k->nr == exec_nrs[abi][1]);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(rec_sys_enter, struct pt_regs *regs, long nr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct rec_target *t;
	struct rec_key k;
	__u32 *id;

	id = target_of(task);
	if (!id || nr < 0)
		return 0;
	t = bpf_map_lookup_elem(&targets, id);
	if (!t)
		return 0;
	__builtin_memset(&k, 0, sizeof(k));
	k.target = *id;
	describe(&k, task, regs, nr);
	if (t->from_exec && !t->started) {
		/* Not the workload yet; but the execve that makes it is its first call. */
		if (is_exec(&k)) {
			__u32 tid = (__u32)bpf_get_current_pid_tgid();
			bpf_map_update_elem(&pending_exec, &tid, &k, BPF_ANY);
		}
		return 0;
	}
	count(&k);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(rec_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct rec_target *t;
	struct rec_key *pending, k;
	__u32 *id, tid = (__u32)old_pid;

	id = target_of(task);
	if (!id)
		return 0;
	t = bpf_map_lookup_elem(&targets, id);
	if (!t || !t->from_exec || t->started)
		return 0;
	t->started = 1;
	/* old_pid: a non-leader thread that execs takes the leader's id. */
	pending = bpf_map_lookup_elem(&pending_exec, &tid);
	if (pending) {
		__builtin_memcpy(&k, pending, sizeof(k));
		k.target = *id;
		bpf_map_delete_elem(&pending_exec, &tid);
		count(&k);
	}
	return 0;
}
