/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-constants.c — the constants catalog: known values, the table's invariants (sorted,
 * unique, every constant in one family), reverse lookups and their preferences, formatting of
 * flag sets, and suggestions.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "catalog/constants.h"

static void assert_value(const char *name, uint64_t want)
{
	const struct sc_constant *c = sc_constant_lookup(name);

	if (!c)
		fail_msg("constant %s is not in the catalog", name);
	if (c->value != want)
		fail_msg("%s is 0x%llx, expected 0x%llx", name, (unsigned long long)c->value,
			 (unsigned long long)want);
}

static void known_values(void **state)
{
	(void)state;
	/* Files */
	assert_value("O_RDONLY", 0);
	assert_value("O_WRONLY", 1);
	assert_value("O_RDWR", 2);
	assert_value("O_CREAT", 0100);
	assert_value("O_EXCL", 0200);
	assert_value("O_TRUNC", 01000);
	assert_value("O_APPEND", 02000);
	assert_value("O_NONBLOCK", 04000);
	assert_value("O_DIRECTORY", 0200000);
	assert_value("O_NOFOLLOW", 0400000);
	assert_value("O_CLOEXEC", 02000000);
	assert_value("O_PATH", 010000000);
	assert_value("O_TMPFILE", 020200000);
	assert_value("AT_FDCWD", (uint64_t)-100);
	assert_value("AT_SYMLINK_NOFOLLOW", 0x100);
	assert_value("AT_REMOVEDIR", 0x200);
	assert_value("AT_EACCESS", 0x200);
	assert_value("AT_EMPTY_PATH", 0x1000);
	assert_value("F_OK", 0);
	assert_value("X_OK", 1);
	assert_value("W_OK", 2);
	assert_value("R_OK", 4);
	assert_value("F_DUPFD_CLOEXEC", 1030);
	assert_value("F_SETFL", 4);
	assert_value("FD_CLOEXEC", 1);
	/* ioctl, x86_64 */
	assert_value("TCGETS", 0x5401);
	assert_value("TCSETS", 0x5402);
	assert_value("TIOCSTI", 0x5412);
	assert_value("TIOCGWINSZ", 0x5413);
	assert_value("TIOCSCTTY", 0x540E);
	assert_value("TIOCGPTN", 0x80045430);
	assert_value("TIOCSPTLCK", 0x40045431);
	assert_value("TIOCGPTPEER", 0x5441);
	assert_value("TIOCLINUX", 0x541C);
	assert_value("FIONREAD", 0x541B);
	assert_value("FIONBIO", 0x5421);
	assert_value("FIOCLEX", 0x5451);
	assert_value("FIOQSIZE", 0x5460);
	assert_value("FICLONE", 0x40049409);
	assert_value("FIOCLONE", 0x40049409);
	assert_value("FS_IOC_GETFLAGS", 0x80086601);
	assert_value("SIOCGIFCONF", 0x8912);
	assert_value("SIOCGIFINDEX", 0x8933);
	assert_value("SIOCATMARK", 0x8905);
	assert_value("SIOCINQ", 0x541B);
	assert_value("SIOCOUTQ", 0x5411);
	assert_value("BLKGETSIZE64", 0x80081272);
	assert_value("BLKSSZGET", 0x1268);
	assert_value("LOOP_SET_FD", 0x4C00);
	assert_value("LOOP_CTL_GET_FREE", 0x4C82);
	assert_value("LOOP_CONFIGURE", 0x4C0A);
	assert_value("NS_GET_USERNS", 0xb701);
	assert_value("TUNSETIFF", 0x400454ca);
	assert_value("SECCOMP_IOCTL_NOTIF_RECV", 0xc0502100);
	assert_value("KVM_GET_API_VERSION", 0xae00);
	/* Sockets */
	assert_value("AF_UNSPEC", 0);
	assert_value("AF_UNIX", 1);
	assert_value("AF_INET", 2);
	assert_value("AF_INET6", 10);
	assert_value("AF_NETLINK", 16);
	assert_value("AF_PACKET", 17);
	assert_value("AF_VSOCK", 40);
	assert_value("SOCK_STREAM", 1);
	assert_value("SOCK_DGRAM", 2);
	assert_value("SOCK_RAW", 3);
	assert_value("SOCK_SEQPACKET", 5);
	assert_value("SOCK_NONBLOCK", 04000);
	assert_value("SOCK_CLOEXEC", 02000000);
	assert_value("IPPROTO_TCP", 6);
	assert_value("IPPROTO_UDP", 17);
	assert_value("IPPROTO_ICMPV6", 58);
	assert_value("NETLINK_ROUTE", 0);
	assert_value("NETLINK_AUDIT", 9);
	assert_value("SOL_SOCKET", 1);
	assert_value("SOL_TCP", 6);
	assert_value("SO_REUSEADDR", 2);
	assert_value("SO_PEERCRED", 17);
	assert_value("TCP_NODELAY", 1);
	assert_value("IPV6_V6ONLY", 26);
	assert_value("MSG_NOSIGNAL", 0x4000);
	assert_value("SHUT_RDWR", 2);
	/* Memory */
	assert_value("PROT_NONE", 0);
	assert_value("PROT_READ", 1);
	assert_value("PROT_WRITE", 2);
	assert_value("PROT_EXEC", 4);
	assert_value("MAP_SHARED", 1);
	assert_value("MAP_PRIVATE", 2);
	assert_value("MAP_FIXED", 0x10);
	assert_value("MAP_ANONYMOUS", 0x20);
	assert_value("MAP_32BIT", 0x40);
	assert_value("MADV_DONTNEED", 4);
	assert_value("MADV_GUARD_INSTALL", 102);
	assert_value("MREMAP_MAYMOVE", 1);
	/* Processes */
	assert_value("CLONE_VM", 0x100);
	assert_value("CLONE_THREAD", 0x10000);
	assert_value("CLONE_NEWNS", 0x20000);
	assert_value("CLONE_NEWUSER", 0x10000000);
	assert_value("CLONE_NEWPID", 0x20000000);
	assert_value("CLONE_NEWNET", 0x40000000);
	assert_value("CLONE_NEWCGROUP", 0x02000000);
	assert_value("CLONE_NEWTIME", 0x80);
	assert_value("CLONE_CLEAR_SIGHAND", UINT64_C(0x100000000));
	assert_value("PR_SET_NO_NEW_PRIVS", 38);
	assert_value("PR_SET_SECCOMP", 22);
	assert_value("PR_SET_MDWE", 65);
	assert_value("ARCH_SET_FS", 0x1002);
	assert_value("FUTEX_WAIT", 0);
	assert_value("FUTEX_WAKE_PRIVATE", 129);
	assert_value("SECCOMP_SET_MODE_FILTER", 1);
	assert_value("SECCOMP_FILTER_FLAG_NEW_LISTENER", 8);
	assert_value("PER_LINUX", 0);
	assert_value("PER_LINUX32", 8);
	assert_value("ADDR_NO_RANDOMIZE", 0x40000);
	assert_value("READ_IMPLIES_EXEC", 0x400000);
	assert_value("RLIMIT_NOFILE", 7);
	assert_value("CLOCK_MONOTONIC", 1);
	assert_value("WNOHANG", 1);
	assert_value("EPOLL_CTL_MOD", 3);
	assert_value("MFD_CLOEXEC", 1);
	assert_value("GRND_NONBLOCK", 1);
	assert_value("KEYCTL_JOIN_SESSION_KEYRING", 1);
	assert_value("KEY_SPEC_THREAD_KEYRING", (uint64_t)-1);
	assert_value("BPF_PROG_LOAD", 5);
	assert_value("MS_BIND", 4096);
	assert_value("MNT_DETACH", 2);
	assert_value("RENAME_NOREPLACE", 1);
	/* Signals and errno, x86_64 / asm-generic */
	assert_value("SIGHUP", 1);
	assert_value("SIGKILL", 9);
	assert_value("SIGSEGV", 11);
	assert_value("SIGCHLD", 17);
	assert_value("SIGSTOP", 19);
	assert_value("SIGSYS", 31);
	assert_value("EPERM", 1);
	assert_value("ENOENT", 2);
	assert_value("EACCES", 13);
	assert_value("EAGAIN", 11);
	assert_value("EWOULDBLOCK", 11);
	assert_value("EINVAL", 22);
	assert_value("ENOSYS", 38);
	assert_value("EOPNOTSUPP", 95);
	assert_value("ENOTSUP", 95);
	assert_value("EHWPOISON", 133);
}

static void table_sorted_unique(void **state)
{
	(void)state;
	assert_true(sc_constant_count() > 1500);
	assert_int_equal(sc_constant_count(), constants_table_count);
	for (size_t i = 1; i < sc_constant_count(); i++)
		if (strcmp(sc_constant_at(i - 1)->name, sc_constant_at(i)->name) >= 0)
			fail_msg("table not in strcmp order at %zu: %s, %s", i,
				 sc_constant_at(i - 1)->name, sc_constant_at(i)->name);
	assert_null(sc_constant_at(sc_constant_count()));
}

static void lookup_every_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < sc_constant_count(); i++) {
		const struct sc_constant *c = sc_constant_at(i);
		assert_ptr_equal(sc_constant_lookup(c->name), c);
		assert_non_null(c->group);
		assert_non_null(c->uses);
	}
	assert_null(sc_constant_lookup("O_RDONY"));
	assert_null(sc_constant_lookup("o_rdonly")); /* exact: case matters */
	assert_null(sc_constant_lookup(""));
	assert_null(sc_constant_lookup(NULL));
	assert_null(sc_constant_lookup("ZZZZ"));
	assert_null(sc_constant_lookup("AAAA"));
}

/* Does the space-separated list @uses contain the word @use (@n characters)? */
static bool has_use(const char *uses, const char *use, size_t n)
{
	for (const char *p = uses; *p;) {
		size_t m = strcspn(p, " ");
		if (m == n && strncmp(p, use, n) == 0)
			return true;
		p += m;
		p += strspn(p, " ");
	}
	return false;
}

/* Every constant is defined in exactly one family, whose name it carries as its group; its uses
   hold the uses of every family it is a member of (its own and those naming it in `also`). */
static void families_consistent(void **state)
{
	unsigned char *owner = test_calloc(constants_table_count, 1);

	(void)state;
	assert_true(constants_family_count <= CONSTANTS_MAX_FAMILIES);
	for (size_t i = 0; i < constants_family_count; i++) {
		const struct constants_family *f = &constants_families[i];
		assert_true(f->count > 0);
		for (size_t j = 0; j < i; j++)
			if (constants_families[j].name == f->name)
				fail_msg("family %s twice", constants_string(f->name));
		if (f->field_family >= 0)
			assert_true((size_t)f->field_family < constants_family_count);
		if (f->field)
			assert_int_equal(f->kind, CONSTANTS_FLAGS);
		for (size_t j = 0; j < f->count; j++) {
			const struct constants_member *m = constants_family_member(f, j);
			const char *fname = constants_string(f->name);
			const struct sc_constant *c;
			assert_true(m->index < constants_table_count);
			c = sc_constant_at(m->index);
			if (constants_table[m->index].group == f->name && owner[m->index]++)
				fail_msg("%s is defined twice in %s", c->name, fname);
			if (m->role == CONSTANTS_MODIFIER)
				assert_int_equal(f->kind, CONSTANTS_ENUM);
			/* uses: space-separated syscall:arg, all of them in the constant's */
			for (const char *p = constants_string(f->uses); *p;) {
				size_t n = strcspn(p, " ");
				const char *colon = memchr(p, ':', n);
				if (!colon || colon == p || colon + 1 == p + n)
					fail_msg("family %s: bad use '%.*s'", fname, (int)n, p);
				if (!has_use(c->uses, p, n))
					fail_msg("%s is in %s but its uses lack %.*s", c->name,
						 fname, (int)n, p);
				p += n;
				p += strspn(p, " ");
			}
		}
	}
	for (size_t i = 0; i < constants_table_count; i++) {
		size_t defined = 0;
		for (size_t j = 0; j < constants_family_count; j++)
			defined += constants_table[i].group == constants_families[j].name;
		if (defined != 1 || !owner[i])
			fail_msg("%s: its group names no family it is in", sc_constant_at(i)->name);
	}
	test_free(owner);
}

static void assert_for_value(const char *sys, const char *arg, uint64_t v, const char *want)
{
	const struct sc_constant *c = sc_constant_for_value(sys, arg, v);

	if (!want && c)
		fail_msg("%s:%s 0x%llx is %s, expected none", sys, arg, (unsigned long long)v,
			 c->name);
	if (want && (!c || strcmp(c->name, want) != 0))
		fail_msg("%s:%s 0x%llx is %s, expected %s", sys, arg, (unsigned long long)v,
			 c ? c->name : "(none)", want);
}

static void reverse_lookup(void **state)
{
	(void)state;
	/* The first listed wins among aliases. */
	assert_for_value("action", "errno", 11, "EAGAIN");
	assert_for_value("action", "errno", 35, "EDEADLK");
	assert_for_value("action", "errno", 95, "EOPNOTSUPP");
	assert_for_value("ioctl", "cmd", 0x5401, "TCGETS");
	assert_for_value("ioctl", "cmd", 0x541B, "FIONREAD");
	assert_for_value("ioctl", "cmd", 0x5411, "TIOCOUTQ");
	assert_for_value("ioctl", "cmd", 0x40049409, "FICLONE");
	assert_for_value("ioctl", "cmd", 0x8906, "SIOCGSTAMP");
	assert_for_value("kill", "sig", 6, "SIGABRT");
	assert_for_value("kill", "sig", 29, "SIGIO");
	assert_for_value("kill", "sig", 31, "SIGSYS");
	assert_for_value("kill", "sig", 0, NULL);
	assert_for_value("socket", "family", 1, "AF_UNIX");
	assert_for_value("socket", "family", 16, "AF_NETLINK");
	assert_for_value("socket", "type", 1, "SOCK_STREAM");
	assert_for_value("socket", "protocol", 0, "IPPROTO_IP");
	assert_for_value("futex", "op", 128, "FUTEX_WAIT_PRIVATE");
	assert_for_value("futex", "op", 256, "FUTEX_CLOCK_REALTIME");
	assert_for_value("wait4", "options", 2, "WUNTRACED");
	assert_for_value("waitid", "options", 2, "WSTOPPED");
	assert_for_value("shmget", "shmflg", 04000, "SHM_HUGETLB");
	assert_for_value("msgsnd", "msgflg", 04000, "IPC_NOWAIT");
	assert_for_value("pipe2", "flags", 02000000, "O_CLOEXEC");
	assert_for_value("dup3", "flags", 02000000, "O_CLOEXEC");
	assert_for_value("bpf", "cmd", 10, "BPF_PROG_TEST_RUN");
	assert_for_value("mount", "flags", 32768, "MS_SILENT");
	/* One value, a different name per syscall: AT_REMOVEDIR and AT_EACCESS are both 0x200. */
	assert_for_value("unlinkat", "flag", 0x200, "AT_REMOVEDIR");
	assert_for_value("faccessat2", "flags", 0x200, "AT_EACCESS");
	assert_for_value("newfstatat", "flag", 0x200, NULL);
	/* Single flags and zero values */
	assert_for_value("openat", "flags", 0, "O_RDONLY");
	assert_for_value("openat", "flags", 02000000, "O_CLOEXEC");
	assert_for_value("open", "flags", 04000, "O_NONBLOCK");
	assert_for_value("openat", "flags", 0100 | 01, NULL);
	assert_for_value("mmap", "prot", 0, "PROT_NONE");
	assert_for_value("mmap", "flags", 0, NULL); /* MAP_FILE is quiet */
	assert_for_value("clone", "clone_flags", 0x10000000, "CLONE_NEWUSER");
	assert_for_value("unshare", "unshare_flags", 0x80, "CLONE_NEWTIME");
	assert_for_value("prctl", "option", 38, "PR_SET_NO_NEW_PRIVS");
	assert_for_value("arch_prctl", "option", 0x1002, "ARCH_SET_FS");
	assert_for_value("personality", "personality", 8, "PER_LINUX32");
	assert_for_value("seccomp", "op", 1, "SECCOMP_SET_MODE_FILTER");
	assert_for_value("fcntl", "cmd", 1030, "F_DUPFD_CLOEXEC");
	assert_for_value("fcntl64", "cmd", 12, "F_GETLK64");
	assert_for_value("socketcall", "call", 1, "SYS_SOCKET");
	assert_for_value("madvise", "behavior", 4, "MADV_DONTNEED");
	/* Argument widths: a 32-bit int sign-extended or not is the same value to the kernel. */
	assert_for_value("openat", "dfd", (uint64_t)-100, "AT_FDCWD");
	assert_for_value("openat", "dfd", 0xffffff9c, "AT_FDCWD");
	assert_for_value("ioctl", "cmd", UINT64_C(0xffffffff80045430), "TIOCGPTN"); /* musl's int */
	assert_for_value("add_key", "ringid", 0xfffffffd, "KEY_SPEC_SESSION_KEYRING");
	/* clone() reads its unsigned long flags through lower_32_bits() … */
	assert_for_value("clone", "clone_flags", UINT64_C(0xffffffff80000000), "CLONE_IO");
	assert_for_value("clone", "clone_flags", UINT64_C(0x80000000), "CLONE_IO");
	assert_for_value("clone", "clone_flags", UINT64_C(0x100000000), NULL); /* clone3's only */
	/* … but a 64-bit argument is compared whole. */
	assert_for_value("mmap", "prot", UINT64_C(0x100000000), NULL);
	assert_for_value("mmap", "prot", 0, "PROT_NONE");
	/* Nothing for arguments no family is for, nor for unknown syscalls. */
	assert_for_value("write", "count", 1, NULL);
	assert_for_value("ioctl", "fd", 0x5401, NULL);
	assert_for_value("nosuchcall", "cmd", 0x5401, NULL);
	/* A NULL argument means any argument of the syscall; a NULL syscall any family. */
	assert_for_value("ioctl", NULL, 0x5401, "TCGETS");
	assert_non_null(sc_constant_for_value(NULL, NULL, 0x5401));
}

/* Every constant is what its first use prints for its value, or shares the value with one that
   is listed before it: no constant is unreachable because of the argument's width. */
static void reverse_lookup_every_constant(void **state)
{
	(void)state;
	for (size_t i = 0; i < constants_family_count; i++) {
		const struct constants_family *f = &constants_families[i];
		const char *uses = constants_string(f->uses);
		char sys[64], arg[64];
		size_t n;
		const char *colon;
		if (!*uses)
			continue;
		n = strcspn(uses, " ");
		colon = memchr(uses, ':', n);
		snprintf(sys, sizeof(sys), "%.*s", (int)(colon - uses), uses);
		snprintf(arg, sizeof(arg), "%.*s", (int)(n - (size_t)(colon - uses) - 1),
			 colon + 1);
		for (size_t j = 0; j < f->count; j++) {
			const struct sc_constant *c = sc_constant_at(constants_family_member(f, j)->index);
			const struct sc_constant *r = sc_constant_for_value(sys, arg, c->value);
			unsigned bits = constants_arg_bits(sys, arg);
			uint64_t mask = arg_width_mask(bits);
			if (constants_family_member(f, j)->role == CONSTANTS_QUIET)
				continue;
			if (!r)
				fail_msg("%s (0x%llx) does not come back for %s:%s", c->name,
					 (unsigned long long)c->value, sys, arg);
			if ((r->value & mask) != (c->value & mask))
				fail_msg("%s:%s 0x%llx gives %s", sys, arg,
					 (unsigned long long)c->value, r->name);
		}
	}
}

static void assert_format(const char *sys, const char *arg, uint64_t v, const char *want)
{
	char buf[512];
	int n = constants_format(sys, arg, v, buf, sizeof(buf));

	if (n < 0 || strcmp(buf, want) != 0)
		fail_msg("%s:%s 0x%llx formats as '%s' (%d), expected '%s'", sys, arg,
			 (unsigned long long)v, buf, n, want);
}

static void format_values(void **state)
{
	(void)state;
	assert_format("openat", "flags", 0, "O_RDONLY");
	assert_format("openat", "flags", 02000000, "O_RDONLY|O_CLOEXEC");
	assert_format("openat", "flags", 01 | 0100 | 01000 | 02000000,
		      "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
	assert_format("openat", "flags", 04010002, "O_RDWR|O_SYNC");
	assert_format("openat", "flags", 020200000, "O_RDONLY|O_TMPFILE");
	assert_format("openat", "flags", 0200000 | 02000000 | 010000000,
		      "O_RDONLY|O_DIRECTORY|O_CLOEXEC|O_PATH");
	assert_format("openat", "flags", 3, "0x3");
	assert_format("pipe2", "flags", 02000000 | 04000, "O_NONBLOCK|O_CLOEXEC"); /* no O_RDONLY */
	assert_format("dup3", "flags", 02000000, "O_CLOEXEC");
	assert_format("openat", "flags", 2 | 0x40000000, "O_RDWR|0x40000000");
	assert_format("openat", "mode", 0644, "S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH");
	assert_format("openat", "mode", 0755, "S_IRWXU|S_IRGRP|S_IXGRP|S_IROTH|S_IXOTH");
	assert_format("mknodat", "mode", 0020000 | 0600, "S_IFCHR|S_IRUSR|S_IWUSR");
	assert_format("openat", "dfd", 0xffffff9c, "AT_FDCWD");
	assert_format("openat", "dfd", 3, "0x3");
	assert_format("mmap", "prot", 0, "PROT_NONE");
	assert_format("mmap", "prot", 7, "PROT_READ|PROT_WRITE|PROT_EXEC");
	assert_format("mmap", "flags", 0x22, "MAP_PRIVATE|MAP_ANONYMOUS");
	assert_format("mmap", "flags", 0x20, "MAP_ANONYMOUS");
	assert_format("mmap", "flags", 0x100022, "MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE");
	assert_format("clone", "clone_flags", 0x01200011,
		      "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	assert_format("clone", "clone_flags", 0x3d0f00,
		      "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
		      "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
	assert_format("unshare", "unshare_flags", 0x10020080,
		      "CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWTIME");
	assert_format("futex", "op", 0x80, "FUTEX_WAIT_PRIVATE");
	assert_format("futex", "op", 0x189, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
	assert_format("futex", "op", 0x180, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME");
	assert_format("futex", "op", 0x7f, "0x7f");
	assert_format("futex", "op", 0xff, "FUTEX_PRIVATE_FLAG|0x7f");
	assert_format("socket", "type", 0x80801, "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
	assert_format("accept4", "flags", 0x80800, "SOCK_NONBLOCK|SOCK_CLOEXEC");
	assert_format("personality", "personality", 0x20008, "PER_LINUX32|UNAME26");
	assert_format("personality", "personality", 0x40000, "ADDR_NO_RANDOMIZE");
	assert_format("msgctl", "cmd", 0x102, "IPC_STAT|IPC_64");
	assert_format("semctl", "cmd", 0x112, "SEM_STAT|IPC_64");
	assert_format("faccessat2", "flags", 0x300, "AT_SYMLINK_NOFOLLOW|AT_EACCESS");
	assert_format("access", "mode", 0, "F_OK");
	assert_format("access", "mode", 6, "R_OK|W_OK");
	assert_format("mount", "flags", 0xc0ed1001, "MS_MGC_VAL|MS_RDONLY|MS_BIND");
	assert_format("ioctl", "cmd", 0x5401, "TCGETS");
	assert_format("ioctl", "cmd", 0x1234, "0x1234");
	assert_format("kill", "sig", 9, "SIGKILL");
	assert_format("kill", "sig", 0, "0");
	assert_format("write", "count", 4096, "0x1000");
	assert_format("action", "errno", 1, "EPERM");
}

static void format_small_buffer(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(constants_format("openat", "flags", 01 | 0100, buf, sizeof(buf)), -ENOSPC);
	assert_string_equal(buf, "O_WRONL");
	assert_int_equal(constants_format("openat", "flags", 0, buf, 1), -ENOSPC);
	assert_string_equal(buf, "");
	assert_int_equal(constants_format("ioctl", "cmd", 0x5401, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "TCGETS");
}

static void suggestions(void **state)
{
	const char *best[4];
	size_t n;

	(void)state;
	n = sc_constant_suggest("O_RDONY", best, 4);
	assert_true(n >= 1);
	assert_string_equal(best[0], "O_RDONLY");
	n = sc_constant_suggest("TIOCSTY", best, 4); /* ties with TIOCSCTTY */
	assert_true(n >= 1);
	assert_true(strcmp(best[0], "TIOCSTI") == 0 || (n > 1 && strcmp(best[1], "TIOCSTI") == 0));
	n = sc_constant_suggest("CLONE_NEWUSR", best, 4);
	assert_true(n >= 1);
	assert_string_equal(best[0], "CLONE_NEWUSER");
	n = sc_constant_suggest("PR_SET_NO_NEW_PRIV", best, 4);
	assert_true(n >= 1);
	assert_string_equal(best[0], "PR_SET_NO_NEW_PRIVS");
	assert_int_equal(sc_constant_suggest("qqqqqqqqqqqqqqqqqqqq", best, 4), 0);
	assert_int_equal(sc_constant_suggest("O_RDONY", best, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_values),
		cmocka_unit_test(table_sorted_unique),
		cmocka_unit_test(lookup_every_name),
		cmocka_unit_test(families_consistent),
		cmocka_unit_test(reverse_lookup),
		cmocka_unit_test(reverse_lookup_every_constant),
		cmocka_unit_test(format_values),
		cmocka_unit_test(format_small_buffer),
		cmocka_unit_test(suggestions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
