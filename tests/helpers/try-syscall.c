/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * try-syscall.c — make one raw system call on a chosen ABI, optionally under a seccomp
 * filter installed just before it, and say what happened (bubblewrap's tests/try-syscall.c,
 * widened to any call and any of x86_64's three ABIs).
 *
 *	try-syscall [--abi native|x32|i386] [--install FILE.bpf] [--sigsys-handler] NR|NAME [ARG...]
 *
 * FILE.bpf is a raw array of struct sock_filter in host byte order, as seccomp_export_bpf()
 * and `seccompose compile --format bpf` write it and as bubblewrap's --seccomp reads it.
 * It is installed with no_new_privs + seccomp(2) by this program's own few lines, not by
 * the project's library: the probe is a second, independent loader.
 *
 * Output is one line, `ret=N errno=E (NAME)`, and exit status 0 whenever the call came
 * back, error or not, so a caller tells "returned" from "killed" (WIFSIGNALED, SIGSYS).
 * With --sigsys-handler a SIGSYS (a TRAP action) prints
 * `SIGSYS syscall=N arch=0xA errno-data=D` and exits 77 instead.
 * Exit 1: the filter could not be read or installed; 2: usage.
 *
 * Built with b_sanitize=none: a sanitizer runtime makes system calls of its own, which
 * the filter under test may deny or kill.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "raw-syscall.h"

#define SIGSYS_EXIT 77

enum abi {
	ABI_NATIVE,
	ABI_X32,
	ABI_I386,
	ABI_COUNT,
};

static const char *const abi_names[ABI_COUNT] = { "native", "x32", "i386" };

/*
 * A few names, for calling by hand; any number works too. Numbers are from the kernel's
 * x86 tables (arch/x86/entry/syscalls), x32 without __X32_SYSCALL_BIT; -1: not on that
 * ABI. Sorted by name. Native means x86_64: on other machines give numbers.
 */
static const struct {
	const char *name;
	long nr[ABI_COUNT];
} names[] = {
	{ "close", { 3, 3, 6 } },
	{ "dup", { 32, 32, 41 } },
	{ "execve", { 59, 520, 11 } },
	{ "exit", { 60, 60, 1 } },
	{ "exit_group", { 231, 231, 252 } },
	{ "getpid", { 39, 39, 20 } },
	{ "getppid", { 110, 110, 64 } },
	{ "gettid", { 186, 186, 224 } },
	{ "getuid", { 102, 102, 24 } },
	{ "ioctl", { 16, 514, 54 } },
	{ "kill", { 62, 62, 37 } },
	{ "mkdir", { 83, 83, 39 } },
	{ "mkdirat", { 258, 258, 296 } },
	{ "openat", { 257, 257, 295 } },
	{ "personality", { 135, 135, 136 } },
	{ "prctl", { 157, 157, 172 } },
	{ "ptrace", { 101, 521, 26 } },
	{ "read", { 0, 0, 3 } },
	{ "seccomp", { 317, 317, 354 } },
	{ "setsockopt", { 54, 541, 366 } },
	{ "socket", { 41, 41, 359 } },
	{ "socketcall", { -1, -1, 102 } },
	{ "umask", { 95, 95, 60 } },
	{ "uname", { 63, 63, 122 } },
	{ "unshare", { 272, 272, 310 } },
	{ "write", { 1, 1, 4 } },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: try-syscall [--abi native|x32|i386] [--install <file.bpf>] [--sigsys-handler]\n"
		   "                   <nr>|<name> [<arg>...]\n");
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "try-syscall: error: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	usage(stderr);
	return 2;
}

/* Decimal, 0x hex or 0 octal; a leading '-' for negatives; the whole 64-bit range. */
static int parse_long(const char *s, long *ret)
{
	char *end;

	errno = 0;
	if (s[0] == '-')
		*ret = (long)strtoll(s, &end, 0);
	else
		*ret = (long)strtoull(s, &end, 0);
	return (errno || end == s || *end) ? -1 : 0;
}

/* 0, -1 for a name not in the table, -2 for one the ABI lacks. */
static int lookup_name(const char *s, enum abi abi, long *ret)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, s) == 0) {
			*ret = names[i].nr[abi];
			return *ret < 0 ? -2 : 0;
		}
	return -1;
}

/* Async-signal-safe decimal/hex formatting for the SIGSYS line (no stdio in a handler). */
static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static char *put_num(char *p, unsigned long v, unsigned base, int neg)
{
	char tmp[24];
	int n = 0;

	if (neg)
		*p++ = '-';
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char buf[128], *p = buf;

	(void)sig;
	(void)uc;
	p = put_str(p, "SIGSYS syscall=");
	p = put_num(p, (unsigned long)(si->si_syscall < 0 ? -(long)si->si_syscall : si->si_syscall),
		    10, si->si_syscall < 0);
	p = put_str(p, " arch=0x");
	p = put_num(p, si->si_arch, 16, 0);
	p = put_str(p, " errno-data=");
	p = put_num(p, (unsigned long)si->si_errno, 10, 0);
	*p++ = '\n';
	/* The filter may deny write(2) too; the exit status still says TRAP. */
	if (write(STDOUT_FILENO, buf, (size_t)(p - buf)) < 0) {
	}
	_exit(SIGSYS_EXIT);
}

/* Read a raw program; 0 or -1 with the reason on stderr. Caller frees *ret. */
static int read_bpf(const char *path, struct sock_filter **ret, size_t *ret_len)
{
	/* One more instruction than the kernel takes, to tell "too long" from "just right". */
	size_t cap = (BPF_MAXINSNS + 1) * sizeof(struct sock_filter), n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r = 0;

	if (!buf || fd < 0) {
		fprintf(stderr, "try-syscall: error: cannot open '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)r;
	if (r < 0) {
		fprintf(stderr, "try-syscall: error: cannot read '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	if (n == 0 || n % sizeof(struct sock_filter) || n / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		fprintf(stderr,
			"try-syscall: error: '%s' is not a BPF program: expected 1 to %d instructions of "
			"%zu bytes, found %zu bytes\n",
			path, BPF_MAXINSNS, sizeof(struct sock_filter), n);
		goto fail;
	}
	close(fd);
	*ret = (struct sock_filter *)(void *)buf;
	*ret_len = n / sizeof(struct sock_filter);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return -1;
}

static int install(struct sock_filter *prog, size_t len)
{
	struct sock_fprog fprog = { .len = (unsigned short)len, .filter = prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, (long)SECCOMP_SET_MODE_FILTER, 0L, &fprog) < 0)
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	enum abi abi = ABI_NATIVE;
	const char *bpf_path = NULL;
	struct sock_filter *prog = NULL;
	size_t prog_len = 0;
	int sigsys_handler = 0, i;
	long nr, a[6] = { 0 }, r;
	char line[160];
	int e, n;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--sigsys-handler") == 0) {
			sigsys_handler = 1;
		} else if (strcmp(argv[i], "--install") == 0 && i + 1 < argc) {
			bpf_path = argv[++i];
		} else if (strcmp(argv[i], "--abi") == 0 && i + 1 < argc) {
			const char *s = argv[++i];
			for (abi = 0; abi < ABI_COUNT && strcmp(abi_names[abi], s); abi++)
				;
			if (abi == ABI_COUNT)
				return usage_error("unknown ABI '%s', expected native, x32 or i386", s);
		} else {
			return usage_error("unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc)
		return usage_error("expected a system call number or name");
	if (!RAW_HAVE_COMPAT && abi != ABI_NATIVE)
		return usage_error("--abi %s needs an x86_64 build", abi_names[abi]);
	if (parse_long(argv[i], &nr) < 0) {
		int rc = lookup_name(argv[i], abi, &nr);
		if (rc == -2)
			return usage_error("'%s' has no number on the %s ABI", argv[i], abi_names[abi]);
		if (rc < 0)
			return usage_error("unknown system call '%s' (give its number)", argv[i]);
	}
	if (argc - i - 1 > 6)
		return usage_error("at most 6 arguments, found %d", argc - i - 1);
	for (int k = 0; ++i < argc; k++)
		if (parse_long(argv[i], &a[k]) < 0)
			return usage_error("expected an integer argument, found '%s'", argv[i]);

	if (bpf_path && read_bpf(bpf_path, &prog, &prog_len) < 0)
		return 1;
	if (sigsys_handler) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
	}
	/* From here to the call, no system call but the install: the filter is live. */
	if (prog) {
		int rc = install(prog, prog_len);
		if (rc < 0) {
			fprintf(stderr, "try-syscall: error: cannot install '%s': %s\n", bpf_path,
				strerror(-rc));
			return 1;
		}
	}

	switch (abi) {
#if RAW_HAVE_COMPAT
	case ABI_X32:
		r = raw_syscall(nr | RAW_X32_BIT, a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	case ABI_I386:
		/* i386 registers are 32 bits wide: higher argument bits never reach the kernel. */
		r = raw_int80(nr, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], (uint32_t)a[3],
			      (uint32_t)a[4], (uint32_t)a[5]);
		break;
#endif
	default:
		r = raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	}

	e = (r < 0 && r >= -4095) ? (int)-r : 0;
	if (e) {
		const char *en = strerrorname_np(e);
		n = snprintf(line, sizeof(line), "ret=-1 errno=%d (%s)\n", e, en ? en : "?");
	} else {
		n = snprintf(line, sizeof(line), "ret=%ld errno=0 (none)\n", r);
	}
	/* write(2), not stdio: one call the filter must allow, and no flush at exit. */
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		return 0;
	return 0;
}
