/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ebpf-watch.c — the eBPF recorder's user half: sc_ebpf_available(), and struct sc_watch,
 * which loads the kernel half (ebpf-kernel.bpf.c, through bpftool's skeleton), says what to
 * watch, and turns what the kernel reports into observations.
 *
 * One program and one set of maps for every target: a target is a map entry (its cgroup id
 * or pid namespace → its id), its observations are keys of one hash map in the kernel plus
 * one rec_set here, so memory grows with distinct behaviour, never with calls; and with the
 * targets watched now, not with every target ever watched (a node agent's run sees
 * containers come and go for months). The capture
 * table is not compiled into the program: before loading it, user space fills its .rodata
 * from argcap.c, the table rec_set_add_call() uses (data/recorder-args.txt), so both
 * recorders capture the same arguments by construction, and rec_set_add_call() normalises
 * what the kernel captured raw (masks, int widths) exactly as for a ptrace recording.
 *
 * New keys arrive through the ring buffer; the kernel map stays the authority, so when the
 * ring buffer was full (the kernel counts that in `lost`) sc_watch_take() sweeps the map.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/alloc.h"
#include "record/record.h"
#include "record/ebpf-kernel.h"
#include "recorder.skel.h"

enum { CAP_SYS_ADMIN_BIT = 21, CAP_PERFMON_BIT = 38, CAP_BPF_BIT = 39 };

static const char ptrace_hint[] = "`seccompose record -- CMD` (ptrace) works without it";

/* The ABIs of the capture table, by REC_ABI_*: the catalog's names. */
static const char *const abi_names[REC_NABI] = { "x86_64", "i386", "x32" };
static const uint32_t abi_audit[REC_NABI] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 };

struct watch_target {
	int id;                  /* its key in the kernel's maps */
	char *cgroup_dir;        /* the cgroup watched (NULL: none) */
	uint64_t cgid;
	unsigned level;
	uint32_t pidns;          /* the pid namespace watched (0: none) */
	pid_t pid;               /* a pid target's process */
	int pidfd;               /* …its pidfd (-1: none) */
	struct rec_set *seen;    /* what the ring buffer brought */
};

struct sc_watch {
	struct recorder_bpf *skel;
	struct ring_buffer *rb;
	/* The targets watched now, in no order. Ids are never reused (a removed target's key
	 * could still be in flight from another CPU); slots are. */
	struct watch_target *t;
	size_t nt, cap;
	int next_id;
	unsigned level_refs[REC_MAX_LEVEL + 1];
	unsigned npidns;
	int fresh;               /* new observations during one poll */
};

/* libbpf (the ring buffer's side of it) would print its warnings; the library does not. */
static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The effective capability set (CapEff in /proc/self/status). */
static uint64_t effective_caps(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	uint64_t caps = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0)
			caps = strtoull(line + 7, NULL, 16);
	fclose(f);
	return caps;
}

SC_EXPORT int sc_ebpf_available(struct sc_diag *reterr)
{
	uint64_t caps = effective_caps();
	bool bpf_caps = (caps >> CAP_BPF_BIT & 1) && (caps >> CAP_PERFMON_BIT & 1);
	char mnt[4096];
	int fd;

	if (!bpf_caps && !(caps >> CAP_SYS_ADMIN_BIT & 1)) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the eBPF recorder needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), "
			    "which this process lacks");
		sc_diag_hint(reterr, "%s", ptrace_hint);
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the eBPF recorder needs the kernel's BTF (/sys/kernel/btf/vmlinux, "
			    "CONFIG_DEBUG_INFO_BTF), which this kernel lacks");
		sc_diag_hint(reterr, "%s", ptrace_hint);
		return -ENOENT;
	}
	if (cgroup2_mount(mnt, sizeof(mnt)) < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the eBPF recorder needs a cgroup v2 hierarchy, and none is mounted "
			    "(only cgroup v1)");
		sc_diag_hint(reterr, "%s", ptrace_hint);
		return -ENOTSUP;
	}
	/* The bpf() system call itself: compiled out, or refused (lockdown, a seccomp filter). */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sc_probe", 4, 4, 1, NULL);
	if (fd < 0) {
		int err = errno;
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the eBPF recorder needs the bpf() system call, which %s",
			    err == ENOSYS ? "this kernel lacks (CONFIG_BPF_SYSCALL)"
					  : "is refused here (kernel lockdown or a seccomp filter?)");
		sc_diag_hint(reterr, "%s", ptrace_hint);
		return err == ENOSYS ? -ENOSYS : -EPERM;
	}
	close(fd);
	return 0;
}

/* What the capture table says, into the program's .rodata: per ABI and number, which
 * arguments to capture; and which numbers are execve and execveat. */
static void fill_capture(struct recorder_bpf__rodata *ro)
{
	for (unsigned abi = 0; abi < REC_NABI; abi++) {
		const struct sc_arch *arch = sc_arch_lookup(abi_names[abi]);
		const char *execs[2] = { "execve", "execveat" };
		if (!arch)
			continue;
		for (size_t i = 0; i < argcap_count(); i++) {
			const struct argcap *c = argcap_at(i);
			const struct sc_syscall *sys = sc_syscall_lookup(arch, c->syscall);
			int idx = sys ? sc_syscall_arg_index(sys, c->arg) : -1;
			uint32_t nr = sys ? sys->nr & ~REC_X32_BIT : 0;
			if (idx >= 0 && idx < 6 && nr < REC_CAPTURE_NRS)
				ro->capture[abi][nr] |= (uint8_t)(1u << idx);
		}
		for (unsigned e = 0; e < 2; e++) {
			const struct sc_syscall *sys = sc_syscall_lookup(arch, execs[e]);
			ro->exec_nrs[abi][e] = sys ? sys->nr : 0;
		}
	}
}

/* Add the kernel's @k to @s, normalised by the capture table, as @count calls. */
static int add_key_calls(struct rec_set *s, const struct rec_key *k, uint64_t count)
{
	uint32_t abi = k->abi < REC_NABI ? k->abi : REC_ABI_NATIVE;
	const struct sc_arch *arch = sc_arch_by_audit(abi_audit[abi], k->nr);
	uint64_t args[6];

	/* XXX an ABI the catalog lacks goes unrecorded (as in trace.c) */
	if (!arch)
		return 0;
	for (unsigned i = 0; i < 6; i++)
		args[i] = k->args[i];
	return rec_set_add_calls(s, arch, k->nr, args, count);
}

static int add_key(struct rec_set *s, const struct rec_key *k)
{
	return add_key_calls(s, k, 1);
}

/* The kernel's call counts of target @id's keys, into @out (`record --counts`): the
 * aggregate map holds them; observations are already there, each key adds its calls. */
static void add_counts(struct sc_watch *w, uint32_t id, struct rec_set *out)
{
	int fd = w->skel->maps.seen.map_fd;
	struct rec_key k, next;
	const struct rec_key *prev = NULL;
	uint64_t count;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (next.target == id && bpf_map_lookup_elem(fd, &next, &count) == 0)
			add_key_calls(out, &next, count);
		k = next;
		prev = &k;
	}
}

/* Target @id, or NULL. A walk: targets are few (containers on a node), and looked up once
 * per new key, not per call. */
static struct watch_target *target(struct sc_watch *w, int id)
{
	for (size_t i = 0; i < w->nt; i++)
		if (w->t[i].id == id)
			return &w->t[i];
	return NULL;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct sc_watch *w = ctx;
	const struct rec_key *k = data;
	struct watch_target *t;

	if (size < sizeof(*k))
		return 0;
	t = target(w, (int)k->target);
	if (t)
		w->fresh += add_key(t->seen, k);
	return 0;
}

SC_EXPORT int sc_watch_new(struct sc_watch **ret, struct sc_diag *reterr)
{
	struct sc_watch *w;
	int rc = sc_ebpf_available(reterr);

	if (rc < 0)
		return rc;
	w = xcalloc(1, sizeof(*w));
	libbpf_set_print(libbpf_quiet);
	w->skel = recorder_bpf__open();
	if (!w->skel) {
		rc = -errno;
		goto fail;
	}
	fill_capture(w->skel->rodata);
	rc = recorder_bpf__load(w->skel);
	if (rc == 0)
		rc = recorder_bpf__attach(w->skel);
	if (rc == 0) {
		w->rb = ring_buffer__new(w->skel->maps.events.map_fd, on_event, w, NULL);
		rc = w->rb ? 0 : -errno;
	}
	if (rc == 0) {
		*ret = w;
		return 0;
	}
fail:
	/* The light skeleton's loader runs in the kernel: errno is all it tells. */
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
		    "cannot start the eBPF recorder: loading its BPF program failed: %s",
		    strerror(rc < 0 ? -rc : EINVAL));
	sc_diag_hint(reterr, "%s", ptrace_hint);
	sc_watch_free(w);
	return rc < 0 ? rc : -EINVAL;
}

SC_EXPORT struct sc_watch *sc_watch_free(struct sc_watch *w)
{
	if (!w)
		return NULL;
	while (w->nt)
		sc_watch_remove(w, w->t[w->nt - 1].id);
	free(w->t);
	ring_buffer__free(w->rb);
	recorder_bpf__destroy(w->skel);
	free(w);
	return NULL;
}

/* The levels at which some cgroup is watched, deepest first, into the program's .bss. The
 * program reads them without a lock: while they change it may miss a call of the target
 * being added or removed, never count one for another. */
static void publish_levels(struct sc_watch *w)
{
	struct recorder_bpf__bss *bss = w->skel->bss;
	uint32_t n = 0, levels[REC_NLEVELS];

	for (int l = REC_MAX_LEVEL; l >= 0; l--)
		if (w->level_refs[l] && n < REC_NLEVELS)
			levels[n++] = (uint32_t)l;
	if (n < bss->nlevels)
		__atomic_store_n(&bss->nlevels, n, __ATOMIC_SEQ_CST);
	memcpy(bss->levels, levels, n * sizeof(levels[0]));
	__atomic_store_n(&bss->nlevels, n, __ATOMIC_SEQ_CST);
}

static unsigned distinct_levels(const struct sc_watch *w)
{
	unsigned n = 0;

	for (int l = 0; l <= REC_MAX_LEVEL; l++)
		n += w->level_refs[l] != 0;
	return n;
}

/* The inode number of /proc/@pid/ns/pid, or 0. */
static uint32_t pidns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/* Does @pid live in a pid namespace below ours (NSpid lists more than one id)? Asked of
 * /proc/PID/status rather than by comparing with pid 1's namespace, which pid 1 may not let
 * us read. */
static bool own_pidns(pid_t pid)
{
	char path[64], line[256];
	bool nested = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "NSpid:", 6) == 0)
			nested = strchr(line + 6 + strspn(line + 6, " \t"), '\t') != NULL;
	fclose(f);
	return nested;
}

/* What a pid target watches: its pid namespace when it has one of its own, its cgroup when
 * not pid 1's and not the root. */
static int resolve_pid(struct watch_target *t, pid_t pid, struct sc_diag *reterr)
{
	char cg[4096], cg1[4096], mnt[4096];
	uint32_t ns = pidns_of(pid);
	int rc;

	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH) || !ns) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "no process %d", (int)pid);
		return -ENOENT;
	}
	if (own_pidns(pid))
		t->pidns = ns;
	rc = cgroup2_of_pid(pid, cg, sizeof(cg));
	if (rc == 0 && cgroup2_of_pid(1, cg1, sizeof(cg1)) == 0 &&
	    cgroup2_mount(mnt, sizeof(mnt)) == 0 && strcmp(cg, cg1) != 0 && strcmp(cg, mnt) != 0) {
		rc = cgroup2_dir(cg, &t->cgid, &t->level, reterr);
		if (rc < 0)
			return rc;
		t->cgroup_dir = xstrdup(cg);
	}
	if (!t->pidns && !t->cgroup_dir) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "process %d shares its cgroup v2 (%s) and its pid namespace with pid 1: "
			    "nothing in the kernel tells its calls apart",
			    (int)pid, rc == 0 ? cg : "?");
		return -EBUSY;
	}
	t->pid = pid;
	t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return 0;
}

SC_EXPORT int sc_watch_add(struct sc_watch *w, const struct sc_watch_target *spec,
			   struct sc_diag *reterr)
{
	struct watch_target t = { .pidfd = -1 };
	struct rec_target state = { .from_exec = spec->from_exec, .started = 0 };
	uint32_t id;
	int rc;

	if (!spec->cgroup_dir == !spec->pid) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "a watch target is a cgroup directory or a process, not both or neither");
		return -EINVAL;
	}
	if (w->next_id == INT32_MAX) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "too many watch targets");
		return -ENOSPC;
	}
	/* Spent even when this call fails: its map entries may have been seen for a moment. */
	t.id = w->next_id++;
	id = (uint32_t)t.id;
	if (spec->cgroup_dir) {
		rc = cgroup2_dir(spec->cgroup_dir, &t.cgid, &t.level, reterr);
		if (rc < 0)
			return rc;
		t.cgroup_dir = xstrdup(spec->cgroup_dir);
	} else {
		rc = resolve_pid(&t, spec->pid, reterr);
		if (rc < 0)
			goto fail;
	}
	if (t.cgroup_dir && !w->level_refs[t.level] && distinct_levels(w) >= REC_NLEVELS) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "cgroups at more than %d different depths cannot be watched at once",
			    REC_NLEVELS);
		rc = -ENOSPC;
		goto fail;
	}
	bool in_targets = false, in_cgroups = false;

	rc = bpf_map_update_elem(w->skel->maps.targets.map_fd, &id, &state, BPF_NOEXIST);
	in_targets = rc == 0;
	if (rc == 0 && t.cgroup_dir) {
		rc = bpf_map_update_elem(w->skel->maps.watched_cgroups.map_fd, &t.cgid, &id,
					 BPF_NOEXIST);
		in_cgroups = rc == 0;
	}
	if (rc == 0 && t.pidns)
		rc = bpf_map_update_elem(w->skel->maps.watched_pidns.map_fd, &t.pidns, &id,
					 BPF_NOEXIST);
	if (rc < 0) {
		rc = -errno;
		/* Undo only what this call added: an EEXIST entry is another target's. */
		if (in_targets)
			bpf_map_delete_elem(w->skel->maps.targets.map_fd, &id);
		if (in_cgroups)
			bpf_map_delete_elem(w->skel->maps.watched_cgroups.map_fd, &t.cgid);
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot watch %s: %s",
			    t.cgroup_dir ? t.cgroup_dir : "the process",
			    rc == -EEXIST ? "it is watched already" : strerror(-rc));
		goto fail;
	}
	t.seen = rec_set_new();
	w->t = xgrow(w->t, &w->cap, w->nt + 1, sizeof(*w->t));
	w->t[w->nt++] = t;
	if (t.cgroup_dir) {
		w->level_refs[t.level]++;
		publish_levels(w);
	}
	if (t.pidns && w->npidns++ == 0)
		__atomic_store_n(&w->skel->bss->watch_pidns, 1, __ATOMIC_SEQ_CST);
	return (int)id;
fail:
	free(t.cgroup_dir);
	if (t.pidfd >= 0)
		close(t.pidfd);
	return rc;
}

SC_EXPORT int sc_watch_poll(struct sc_watch *w, int timeout_ms)
{
	int rc;

	w->fresh = 0;
	rc = ring_buffer__poll(w->rb, timeout_ms);
	return rc < 0 ? rc : w->fresh;
}

int ebpf_watch_fd(struct sc_watch *w)
{
	return ring_buffer__epoll_fd(w->rb);
}

/* Every key of the kernel's map for target @id: into @s when @s, else deleted. */
static void sweep(struct sc_watch *w, uint32_t id, struct rec_set *s)
{
	int fd = w->skel->maps.seen.map_fd;
	struct rec_key k, next, *gone = NULL;
	const struct rec_key *prev = NULL;
	size_t ngone = 0, cap = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (next.target == id && s) {
			add_key(s, &next);
		} else if (next.target == id) {
			gone = xgrow(gone, &cap, ngone + 1, sizeof(*gone));
			gone[ngone++] = next;
		}
		k = next;
		prev = &k;
	}
	/* Deleted after the walk: deleting the key the walk stands on restarts it. */
	for (size_t i = 0; i < ngone; i++)
		bpf_map_delete_elem(fd, &gone[i]);
	free(gone);
}

SC_EXPORT int sc_watch_take(struct sc_watch *w, int id, struct sc_recording *r)
{
	struct watch_target *t = target(w, id);
	struct rec_set *out = (struct rec_set *)r;

	if (!t)
		return -ENOENT;
	ring_buffer__consume(w->rb);
	if (__atomic_load_n(&w->skel->bss->lost, __ATOMIC_RELAXED))
		sweep(w, (uint32_t)id, t->seen);
	for (size_t i = 0; i < rec_set_count(t->seen); i++) {
		const struct rec_obs *o = rec_set_at(t->seen, i);
		uint64_t args[6] = { 0 };
		for (unsigned a = 0; a < o->nargs; a++)
			args[o->argi[a]] = o->argv[a];
		rec_set_add_calls(out, o->arch, o->nr, args, 0); /* counted below */
	}
	add_counts(w, (uint32_t)id, out);
	return 0;
}

SC_EXPORT bool sc_watch_done(struct sc_watch *w, int id)
{
	struct watch_target *t = target(w, id);

	if (!t)
		return true;
	if (t->pid) {
		struct pollfd p = { .fd = t->pidfd, .events = POLLIN };
		if (t->pidfd >= 0)
			return poll(&p, 1, 0) == 1;
		return kill(t->pid, 0) < 0 && errno == ESRCH;
	}
	return cgroup2_populated(t->cgroup_dir) <= 0;
}

SC_EXPORT void sc_watch_remove(struct sc_watch *w, int id)
{
	struct watch_target *t = target(w, id);
	uint32_t key = (uint32_t)id;

	if (!t)
		return;
	if (t->cgroup_dir) {
		bpf_map_delete_elem(w->skel->maps.watched_cgroups.map_fd, &t->cgid);
		if (--w->level_refs[t->level] == 0)
			publish_levels(w);
	}
	if (t->pidns) {
		bpf_map_delete_elem(w->skel->maps.watched_pidns.map_fd, &t->pidns);
		if (--w->npidns == 0)
			__atomic_store_n(&w->skel->bss->watch_pidns, 0, __ATOMIC_SEQ_CST);
	}
	bpf_map_delete_elem(w->skel->maps.targets.map_fd, &key);
	ring_buffer__consume(w->rb);
	sweep(w, key, NULL);
	rec_set_free(t->seen);
	free(t->cgroup_dir);
	if (t->pidfd >= 0)
		close(t->pidfd);
	*t = w->t[--w->nt];
}
