/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sc_filter_union() call by call: mixes of our TOML, OCI JSON and built-in policies (allow
 * lists and deny lists, conditions on every operator, several ABIs) are merged, and random
 * calls run through the interpreter on every input and on the union: the union allows a
 * call exactly when some input does. The union exported as TOML and as OCI loads back to a
 * filter that allows the same calls.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/seccomp.h>

#include "seccompose.h"
#include "xorshift.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return xorshift64s(&rng);
}

/* An allow list with conditions of every kind, on two ABIs. */
static const char toml_allow[] =
	"default_action = \"Errno\"\ndefault_errno_ret = \"EPERM\"\n"
	"architectures = [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"]\n"
	"[[syscalls]]\nnames = [\"read\", \"write\", \"exit_group\"]\naction = \"Allow\"\n"
	"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"Allow\"\n"
	"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TCGETS\" } ]\n"
	"[[syscalls]]\nnames = [\"socket\"]\naction = \"Allow\"\n"
	"conditions = [ { argument = \"family\", type = \"equals\", value = \"AF_INET\" } ]\n"
	"[[syscalls]]\nnames = [\"mmap\"]\naction = \"Allow\"\n"
	"conditions = [ { argument = \"prot\", type = \"masked_equals\", mask = \"PROT_EXEC\", value = 0 } ]\n"
	"[[syscalls]]\nnames = [\"fcntl\"]\naction = \"Allow\"\n"
	"conditions = [ { argument = \"cmd\", type = \"less_than\", value = 5 } ]\n"
	"[[syscalls]]\nnames = [\"ptrace\"]\naction = \"KillProcess\"\n";

/* A deny list: default Allow, with denials the union must keep only where every input denies. */
static const char toml_deny[] =
	"default_action = \"Allow\"\n"
	"architectures = [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]\n"
	"[[syscalls]]\nnames = [\"ptrace\", \"kexec_load\"]\naction = \"Errno\"\nerrno_ret = \"EACCES\"\n"
	"[[syscalls]]\nnames = [\"ioctl\"]\naction = \"KillProcess\"\n"
	"conditions = [ { argument = \"cmd\", type = \"equals\", value = \"TIOCSTI\" } ]\n"
	"[[syscalls]]\nnames = [\"socket\"]\naction = \"Errno\"\n"
	"conditions = [ { argument = \"family\", type = \"greater_or_equal\", value = 16 } ]\n"
	"[[syscalls]]\nnames = [\"mprotect\"]\naction = \"Errno\"\n"
	"conditions = [ { argument = \"prot\", type = \"masked_equals\", mask = \"PROT_EXEC|PROT_WRITE\", value = \"PROT_EXEC|PROT_WRITE\" } ]\n";

/* An OCI profile: another allow list, x32 too, a not-equal and an errno rule. */
static const char oci_allow[] =
	"{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,\n"
	"  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"],\n"
	"  \"syscalls\": [\n"
	"    { \"names\": [\"openat\", \"close\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\" },\n"
	"    { \"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"args\": [ { \"index\": 1, \"value\": 21523, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
	"    { \"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"args\": [ { \"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_NE\" } ] },\n"
	"    { \"names\": [\"fcntl\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"args\": [ { \"index\": 1, \"value\": 3, \"op\": \"SCMP_CMP_GT\" },\n"
	"                { \"index\": 2, \"value\": 2048, \"valueTwo\": 2048, \"op\": \"SCMP_CMP_MASKED_EQ\" } ] },\n"
	"    { \"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38 }\n"
	"  ] }\n";

static const char *const syscalls[] = {
	"read", "write", "openat", "close", "ioctl", "socket", "mmap", "mprotect", "fcntl",
	"ptrace", "kexec_load", "clone3", "exit_group", "getpid", "uname", "personality", "kill",
	"clone", "execve", "setsockopt", "madvise", "futex", "prctl",
};
#define N_SYSCALLS (sizeof(syscalls) / sizeof(syscalls[0]))

static const uint64_t values[] = {
	0, 1, 2, 3, 4, 5, 16, 17, 0x5401, 0x5412, 0x5413, 2048, 2049, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, 0x100005401ULL, 0x8000000000000000ULL, UINT64_MAX,
};
#define N_VALUES (sizeof(values) / sizeof(values[0]))

struct loaded {
	struct sc_policy *p;
	struct sc_filter *f;
};

/* @text with its architectures list replaced by x86_64 alone (the `…@x86_64` specs): unions
 * both formats can state, so that the exports' round trip is checked too. */
static char *x86_64_only(const char *text)
{
	const char *a = strstr(text, "rchitectures");
	const char *open = strchr(a, '['), *close = strchr(open, ']');
	char *out = malloc(strlen(text) + 32);

	if (!out)
		abort();
	sprintf(out, "%.*s[\"SCMP_ARCH_X86_64\"]%s", (int)(open - text), text, close + 1);
	return out;
}

static struct loaded load(const char *spec)
{
	struct loaded l = { 0 };
	struct sc_diag d = { 0 };
	int r;

	if (strstr(spec, "@x86_64")) {
		bool json = strncmp(spec, "oci", 3) == 0;
		char *text = x86_64_only(json ? oci_allow : strncmp(spec, "toml_deny", 9) == 0 ? toml_deny
											   : toml_allow);
		r = sc_policy_load_buffer(json ? "x.json" : "x.toml", text, strlen(text), NULL, &l.p, &d);
		free(text);
		if (r == 0)
			r = sc_policy_compile(l.p, &l.f, &d);
		if (r < 0)
			fail_msg("%s: %s", spec, d.message);
		return l;
	}

	if (strncmp(spec, "builtin:", 8) == 0)
		r = sc_policy_load_builtin(spec + 8, NULL, &l.p, &d);
	else if (strcmp(spec, "toml_allow") == 0)
		r = sc_policy_load_buffer("allow.toml", toml_allow, strlen(toml_allow), NULL, &l.p, &d);
	else if (strcmp(spec, "toml_deny") == 0)
		r = sc_policy_load_buffer("deny.toml", toml_deny, strlen(toml_deny), NULL, &l.p, &d);
	else
		r = sc_policy_load_buffer("allow.json", oci_allow, strlen(oci_allow), NULL, &l.p, &d);
	if (r == 0)
		r = sc_policy_compile(l.p, &l.f, &d);
	if (r < 0)
		fail_msg("%s: %s", spec, d.message);
	return l;
}

static bool allows(const struct sc_filter *f, const struct sc_arch *a, uint32_t nr, const uint64_t args[6])
{
	return sc_filter_eval(f, a, nr, args) == SECCOMP_RET_ALLOW;
}

/* Random calls: the union allows exactly what some input allows; the same for its exports
 * read back. Returns the number of calls checked. */
static size_t check_mix(const char *const *specs, size_t n, size_t calls, unsigned want_exports)
{
	static const char *const arches[] = { "x86_64", "i386", "x32", "aarch64" };
	struct loaded in[8];
	struct sc_filter *fs[8], *u = NULL, *back[2] = { NULL, NULL };
	struct sc_policy *backp[2] = { NULL, NULL };
	struct sc_diag d = { 0 };
	size_t allowed = 0;
	const struct sc_arch *x86_64 = sc_arch_lookup("x86_64");

	for (size_t i = 0; i < n; i++) {
		in[i] = load(specs[i]);
		fs[i] = in[i].f;
	}
	if (sc_filter_union(fs, n, &u, &d) < 0)
		fail_msg("union: %s", d.message);
	for (int k = 0; k < 2; k++) {
		enum sc_format fmt = k ? SC_FORMAT_OCI : SC_FORMAT_TOML;
		char *buf = NULL;
		size_t len = 0;
		if (sc_filter_export(u, fmt, &buf, &len, &d) < 0) {
			/* A union the format cannot state exactly is refused with a reason, never
			 * written with another meaning: TOML has no whole-register tests (OCI input),
			 * OCI no per-ABI rules (inputs on different ABIs). The union itself is what
			 * the calls below check. */
			printf("# %s export refused: %s\n", k ? "OCI" : "TOML", d.message);
			assert_non_null(strstr(d.message, "cannot export"));
			continue;
		}
		if (sc_policy_load_buffer(k ? "m.json" : "m.toml", buf, len, NULL, &backp[k], &d) < 0 ||
		    sc_policy_compile(backp[k], &back[k], &d) < 0)
			fail_msg("merged %s does not load back: %s\n%s", k ? "OCI" : "TOML", d.message, buf ? buf : "(none)");
		free(buf);
	}
	/* @want_exports: bit 0 TOML, bit 1 OCI must be written (and are then checked). */
	for (int k = 0; k < 2; k++)
		if (want_exports & (1u << k))
			assert_non_null(back[k]);
	for (size_t c = 0; c < calls; c++) {
		const struct sc_arch *a = sc_arch_lookup(arches[rnd() % 4]);
		const struct sc_syscall *s = sc_syscall_lookup(a, syscalls[rnd() % N_SYSCALLS]);
		uint32_t nr = s && rnd() % 8 ? s->nr : (uint32_t)(rnd() % 600) | (a == sc_arch_lookup("x32") ? 0x40000000 : 0);
		uint64_t args[6];
		bool any = false, got;
		for (int i = 0; i < 6; i++)
			args[i] = rnd() % 4 ? values[rnd() % N_VALUES] : rnd();
		for (size_t i = 0; i < n; i++)
			any |= allows(fs[i], a, nr, args);
		got = allows(u, a, nr, args);
		if (got != any)
			fail_msg("%s nr %u args %#llx %#llx %#llx: union %s, inputs %s", a->name, nr,
				 (unsigned long long)args[0], (unsigned long long)args[1],
				 (unsigned long long)args[2], got ? "allows" : "denies", any ? "allow" : "deny");
		/* Where an export was written, it means the union: compared on x86_64, the ABI
		 * every mix lists. */
		for (int k = 0; k < 2; k++)
			if (back[k] && a == x86_64 && allows(back[k], a, nr, args) != got)
				fail_msg("%s nr %u: the %s export of the union disagrees with it", a->name, nr,
					 k ? "OCI" : "TOML");
		allowed += got;
	}
	printf("# %zu inputs (%s …): %zu random calls, %zu allowed, union ⇔ some input\n", n, specs[0],
	       calls, allowed);
	for (int k = 0; k < 2; k++) {
		sc_filter_free(back[k]);
		sc_policy_free(backp[k]);
	}
	sc_filter_free(u);
	for (size_t i = 0; i < n; i++) {
		sc_filter_free(in[i].f);
		sc_policy_free(in[i].p);
	}
	return calls;
}

static void union_allow_lists(void **state)
{
	static const char *const mix[] = { "toml_allow", "oci_allow" };
	(void)state;
	check_mix(mix, 2, 200000, 0);
}

static void union_with_builtins(void **state)
{
	static const char *const mix[] = { "oci_allow", "builtin:default", "toml_allow" };
	static const char *const mix2[] = { "builtin:cli-filter", "builtin:compiler", "oci_allow" };
	(void)state;
	check_mix(mix, 3, 100000, 0);
	check_mix(mix2, 3, 100000, 0);
}

static void union_with_deny_list(void **state)
{
	static const char *const mix[] = { "toml_deny", "toml_allow", "oci_allow" };
	static const char *const mix2[] = { "toml_allow", "toml_deny" };
	(void)state;
	check_mix(mix, 3, 200000, 0);
	check_mix(mix2, 2, 100000, 0);
}

/* The deny action and default, as documented: the most permissive non-Allow default. */
/* On one ABI, with no whole-register tests in the TOML-only mix, the exports must be written
 * and must mean the union. */
static void union_exports(void **state)
{
	static const char *const mix[] = { "toml_allow@x86_64", "toml_deny@x86_64" };
	static const char *const mix2[] = { "toml_allow@x86_64", "oci_allow@x86_64" };

	(void)state;
	check_mix(mix, 2, 100000, 3);
	check_mix(mix2, 2, 100000, 2);
}

static void union_defaults(void **state)
{
	static const char *const specs[] = { "toml_allow", "oci_allow" };
	struct loaded a = load(specs[0]), b = load(specs[1]);
	struct sc_filter *fs[2] = { a.f, b.f }, *u = NULL;
	struct sc_diag d = { 0 };
	const struct sc_arch *x = sc_arch_lookup("x86_64");
	const struct sc_syscall *s = sc_syscall_lookup(x, "getpid");
	uint64_t args[6] = { 0 };

	(void)state;
	assert_int_equal(sc_filter_union(fs, 2, &u, &d), 0);
	/* Errno(EPERM) and Errno(ENOSYS): the same type, the first input's errno. */
	assert_int_equal(sc_filter_eval(u, x, s->nr, args), SECCOMP_RET_ERRNO | EPERM);
	sc_filter_free(u);
	sc_filter_free(a.f);
	sc_policy_free(a.p);
	sc_filter_free(b.f);
	sc_policy_free(b.p);
}

/* A deny list over fewer ABIs than an allow list: the union cannot be stated; refused. */
static void union_refused(void **state)
{
	static const char narrow[] = "default_action = \"Allow\"\narchitectures = [\"SCMP_ARCH_X86_64\"]\n"
				     "[[syscalls]]\nnames = [\"ptrace\"]\naction = \"KillProcess\"\n";
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL, *u = NULL;
	struct loaded a = load("toml_allow");
	struct sc_diag d = { 0 };
	struct sc_filter *fs[2];

	(void)state;
	assert_int_equal(sc_policy_load_buffer("narrow.toml", narrow, strlen(narrow), NULL, &p, &d), 0);
	assert_int_equal(sc_policy_compile(p, &f, &d), 0);
	fs[0] = a.f;
	fs[1] = f;
	assert_int_equal(sc_filter_union(fs, 2, &u, &d), -EINVAL);
	assert_non_null(strstr(d.message, "listed only by inputs that deny by default"));
	assert_null(u);
	sc_filter_free(f);
	sc_policy_free(p);
	sc_filter_free(a.f);
	sc_policy_free(a.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(union_allow_lists),
		cmocka_unit_test(union_with_builtins),
		cmocka_unit_test(union_with_deny_list),
		cmocka_unit_test(union_exports),
		cmocka_unit_test(union_defaults),
		cmocka_unit_test(union_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
