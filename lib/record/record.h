/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * record.h — recording what a program does: observations, and where they come from.
 *
 * An observation is one distinct (ABI, syscall number, captured argument values). The
 * capture table (argcap.c) says which arguments of which syscalls are worth keeping and
 * how to normalise them (socket's type without SOCK_NONBLOCK|SOCK_CLOEXEC, mmap's prot
 * reduced to PROT_EXEC …); every other syscall is recorded by number alone. Sources:
 *
 *	rec_trace()        runs a command under ptrace (trace.c)
 *	rec_from_falco()   reads Falco's output (falco.c)
 *	rec_from_audit()   reads seccomp's audit records (audit.c)
 *
 * and rec_write_policy() (lift.c) turns a set into a policy.
 *
 * Calling sequence:
 *	struct rec_set *s = rec_set_new();
 *	rec_trace(argv, 0, s, &status, &diag);
 *	rec_write_policy(s, &opts, &text, &len, &diag);
 *	rec_set_free(s);
 */
#ifndef SC_RECORD_H
#define SC_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

#define REC_MAX_ARGS 3 /* captured arguments per syscall at most */

struct rec_obs {
	const struct sc_arch *arch;
	uint32_t nr;                   /* as seccomp sees it (x32 bit, MIPS base included) */
	uint8_t nargs;                 /* captured arguments, 0..REC_MAX_ARGS */
	uint8_t argi[REC_MAX_ARGS];    /* their indexes */
	uint64_t argv[REC_MAX_ARGS];   /* their normalised values */
	uint64_t count;                /* calls seen with these values (`record --counts`) */
};

/* A set of distinct observations (a hash set; insertion order kept for output). */
struct rec_set;

struct rec_set *rec_set_new(void);
void rec_set_free(struct rec_set *s);
/* Add a raw call: the capture table picks and normalises the arguments. Returns 1 when the
 * observation is new, 0 when it was seen before. */
int rec_set_add_call(struct rec_set *s, const struct sc_arch *arch, uint32_t nr, const uint64_t args[6]);
/* The same for @count calls at once (a source that counts them itself, as the kernel-side
 * aggregation of an eBPF recorder does). */
int rec_set_add_calls(struct rec_set *s, const struct sc_arch *arch, uint32_t nr,
		      const uint64_t args[6], uint64_t count);
/* Add a call whose arguments are unknown (an audit record carries none): observed by number
 * alone, so a policy allows it whatever its arguments. Returns as rec_set_add_call(). */
int rec_set_add_any(struct rec_set *s, const struct sc_arch *arch, uint32_t nr);
/* The bits of argument @idx of call @nr that an observation keeps (what rec_set_add_calls()
 * masks it with: the capture table's and the parameter's width), 0 when it is not captured:
 * for a filter that matches the recorded values (trace.c). */
uint64_t rec_set_arg_bits(struct rec_set *s, const struct sc_arch *arch, uint32_t nr, unsigned idx);
size_t rec_set_count(const struct rec_set *s);
const struct rec_obs *rec_set_at(const struct rec_set *s, size_t i);

/* The capture table (argcap.c): for @sys, which arguments to keep and how. */
struct argcap {
	const char *syscall;
	const char *arg;       /* the kernel's parameter name */
	uint64_t keep_mask;    /* bits kept (others dropped: SOCK_CLOEXEC, O_CLOEXEC …); ~0 all */
	const char *why;       /* for people: why this argument decides */
};
/* The entries for @syscall, or 0. */
size_t argcap_lookup(const char *syscall, const struct argcap **ret);
size_t argcap_count(void);
const struct argcap *argcap_at(size_t i);

/* The signals a recorder that runs the command relays to it (trace.c, ebpf-command.c): sent
 * by a process to the recorder while the command runs, they are the command's. */
#define REC_NRELAYED 4
extern const int rec_relayed[REC_NRELAYED];

/* Trace flags. */
enum rec_flags {
	REC_QUIET = 1 << 0, /* no progress on stderr */
	REC_EXACT_COUNTS = 1 << 1, /* every call stops, so each observation's count is exact
				    * (rec_trace() otherwise lets calls it has seen run) */
};

/*
 * Run @argv (argv[0] found on PATH) under ptrace, following every thread, fork, vfork,
 * clone and exec (and 32-bit children on x86_64), and add each call to @out. With
 * REC_EXACT_COUNTS one stop per syscall (a seccomp filter returning SECCOMP_RET_TRACE,
 * PTRACE_O_TRACESECCOMP, PTRACE_GET_SYSCALL_INFO); without, a process that repeats itself is
 * given a filter that lets its recorded calls run unstopped (trace.c). Signals, exit
 * status and the terminal pass through: @ret_status gets the command's wait status.
 * Returns 0, or a negative errno with @reterr filled (-ENOENT: command not found …).
 */
int rec_trace(char *const argv[], unsigned flags, struct rec_set *out, int *ret_status,
	      struct sc_diag *reterr);

/*
 * Read Falco's output (JSON lines with output_fields / evt.type / evt.args, or text lines of
 * a rule like `(SYSCALL=%syscall.type, args: %evt.args)`) and add the observations it shows
 * for @arch. Lines that say nothing about a syscall are skipped; a malformed one is an error
 * naming its line. Returns 0 or -EINVAL with @reterr filled.
 */
int rec_from_falco(const char *name, const char *buf, size_t len, const struct sc_arch *arch,
		   struct rec_set *out, struct sc_diag *reterr);

/* What rec_from_audit() read. */
struct rec_audit_counts {
	size_t records; /* seccomp records, each an observation */
	size_t skipped; /* non-empty lines that are no seccomp record */
};

/*
 * Read seccomp's audit records (type=1326 / SECCOMP: audit.log, the kernel log, dmesg,
 * /dev/kmsg, the journal, ausearch -i) and add each record's call, by number alone. Other
 * lines are skipped and counted in @counts (may be NULL); a seccomp record without a
 * readable arch= or syscall= is an error naming its line, and so is finding none.
 * Returns 0 or -EINVAL with @reterr filled.
 */
int rec_from_audit(const char *name, const char *buf, size_t len, struct rec_set *out,
		   struct rec_audit_counts *counts, struct sc_diag *reterr);

struct rec_output {
	bool abstract;          /* replace members by groups whose every member was observed */
	const char *command;    /* what was run, for the header comment */
	enum sc_format format;  /* SC_FORMAT_TOML or SC_FORMAT_OCI */
};

/* The recorded set as a policy (default Errno/EPERM; constants by name). */
int rec_write_policy(const struct rec_set *s, const struct rec_output *o, char **ret_buf,
		     size_t *ret_len, struct sc_diag *reterr);
/* The same policy as a model, without its layout (lift.c). */
int rec_policy(const struct rec_set *s, bool abstract, struct sc_policy **ret, struct sc_diag *reterr);

/*
 * The eBPF recorder (ebpf-watch.c, ebpf-command.c; the kernel half ebpf-kernel.bpf.c): the
 * public sc_watch_* and sc_record_ebpf_command(), and the cgroup v2 facts they need
 * (ebpf-cgroup.c). Built only where libbpf, clang and bpftool were found (ebpf-none.c else).
 */

/* The cgroup v2 mount point (from /proc/self/mountinfo) into @buf; -ENOTSUP when none. */
int cgroup2_mount(char *buf, size_t size);
/* @path is a cgroup v2 directory: its id (the inode number the kernel's
 * bpf_get_current_cgroup_id() gives) and its level (0: the root). -ENOENT, -ENOTDIR (not a
 * cgroup v2 directory), with @reterr filled. */
int cgroup2_dir(const char *path, uint64_t *ret_id, unsigned *ret_level, struct sc_diag *reterr);
/* The cgroup v2 directory of process @pid (mount point + its path) into @buf. */
int cgroup2_of_pid(int pid, char *buf, size_t size);
/* 1 when cgroup @dir holds a process, 0 when empty, -errno (-ENOENT: gone). */
int cgroup2_populated(const char *dir);

/* The file descriptor that is readable when sc_watch_poll() has something to read. */
int ebpf_watch_fd(struct sc_watch *w);

#endif
