/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live.h — the harness the live tests share: TAP output, libseccomp contexts turned into
 * raw BPF (exported, then read back), and "fork; in the child install with apply_filter()
 * and run a probe; in the parent look at how the child ended".
 *
 * Calling sequence:
 *
 *	struct live_prog p;
 *	struct live_result r;
 *	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
 *	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpid), 0);
 *	live_prog_export(ctx, &p);                    // the filter as the kernel will get it
 *	live_run(&p, 0, probe_getpid, NULL, &r);      // probe runs under the filter
 *	live_ok(r.reported && r.rep.ret[0] == -EPERM, "getpid is denied with EPERM");
 *	live_prog_done(&p);
 *	return live_done();
 *
 * The probe runs after the filter is installed: it should make raw system calls
 * (tests/helpers/raw-syscall.h) and little else, and must not return through anything the
 * filter denies. The report travels back over a pipe with write(2), and the child ends with
 * _exit(2) (exit_group), so a filter that denies everything must still allow those two.
 */
#ifndef SC_LIVE_H
#define SC_LIVE_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* TAP: "ok N - what", "not ok N - what", "ok N - what # SKIP why", "# note". */
__attribute__((format(printf, 2, 3))) bool live_ok(bool ok, const char *fmt, ...);
__attribute__((format(printf, 2, 3))) void live_skip(const char *reason, const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void live_diag(const char *fmt, ...);
/* Prints the plan and "N passed, N failed, N skipped"; returns the exit status. */
int live_done(void);
/* A set-up step failed: say so in TAP and exit 1. */
__attribute__((format(printf, 1, 2), noreturn)) void live_bail(const char *fmt, ...);

struct live_prog {
	struct sock_filter *insn;
	size_t len;
	bool owned; /* malloc'd by live_prog_export(); hand-written ones are static */
};

/* A hand-written program (the naive filters that show what a bypass looks like). */
#define LIVE_PROG(array) \
	((struct live_prog){ .insn = (array), .len = sizeof(array) / sizeof((array)[0]) })

/* Export @ctx with seccomp_export_bpf() into a memfd and read the program back; bails out
 * on failure. Releases @ctx. */
void live_prog_export(scmp_filter_ctx ctx, struct live_prog *ret);
void live_prog_done(struct live_prog *p);
/* The first instruction returning exactly @from gets @to instead (libseccomp cannot
 * express some returns: TRAP's data, ERRNO above 4095). Returns how many were changed. */
size_t live_prog_patch_ret(struct live_prog *p, uint32_t from, uint32_t to);
/* Write the raw program to @path (for try-syscall --install). */
void live_prog_write(const struct live_prog *p, const char *path);

/* What the probe says: ret[] holds raw syscall returns (-errno on error), val[] anything
 * else; each probe documents its slots. */
struct live_report {
	int apply_rc; /* apply_filter()'s result; the probe ran only when it is 0 */
	long ret[4];
	long val[4];
};

struct live_result {
	pid_t pid;     /* the child's: what its getpid() returns when it runs */
	bool reported; /* the child got to the end and wrote its report */
	bool exited;   /* WIFEXITED; then status is WEXITSTATUS */
	int status;
	int sig; /* WTERMSIG, or 0 */
	bool core;
	struct live_report rep;
};

typedef void live_probe_fn(struct live_report *rep, void *arg);

/*
 * Fork. In the child: an alarm (a hang fails rather than stalls), no core dumps, then
 * apply_filter(@p, @flags) unless @p is NULL (a control run, or a probe that installs
 * itself), then @probe, then the report and _exit(0). In the parent: wait and fill @ret.
 */
void live_run(const struct live_prog *p, unsigned flags, live_probe_fn *probe, void *arg,
	      struct live_result *ret);

/* Run @argv (an absolute path first) with stdout captured into @out; fill @ret. */
void live_exec(char *const argv[], char *out, size_t outlen, struct live_result *ret);

/* "exited 0", "killed by SIGSYS", "apply_filter: Invalid argument", for failure notes. */
const char *live_describe(const struct live_result *r, char *buf, size_t len);
bool live_killed_by(const struct live_result *r, int sig);

#endif
