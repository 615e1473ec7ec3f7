/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/record/falco.c: Falco's output (tests/record/falco-samples/, written from
 * Falco's event table and output formats) read into observations. The capture table
 * (data/recorder-args.txt) decides which arguments an observation keeps, so the expectations
 * name the kernel's arguments: ioctl's cmd, socket's family/type/protocol, mmap's prot …
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

#include "record/record.h"

static const struct sc_arch *x86_64(void)
{
	const struct sc_arch *a = sc_arch_lookup("x86_64");
	assert_non_null(a);
	return a;
}

/* A sample file's text (NUL-terminated); the caller frees it. */
static char *read_sample(const char *name, size_t *ret_len)
{
	const char *root = getenv("SC_SOURCE_ROOT");
	char path[4096];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/record/falco-samples/%s", root ? root : ".", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (is SC_SOURCE_ROOT set?)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static struct rec_set *load(const char *sample, int *ret_rc, struct sc_diag *d)
{
	struct rec_set *s = rec_set_new();
	size_t len;
	char *buf = read_sample(sample, &len);

	*ret_rc = rec_from_falco(sample, buf, len, x86_64(), s, d);
	free(buf);
	return s;
}

static struct rec_set *load_text(const char *text, int *ret_rc, struct sc_diag *d)
{
	struct rec_set *s = rec_set_new();

	*ret_rc = rec_from_falco("inline", text, strlen(text), x86_64(), s, d);
	return s;
}

/* Is there an observation of @sys keeping exactly the @n kernel arguments @args with
 * values @vals? */
static bool has_obs(const struct rec_set *s, const char *sys, size_t n, const char *const *args,
		    const uint64_t *vals)
{
	const struct sc_syscall *sc = sc_syscall_lookup(x86_64(), sys);

	assert_non_null(sc);
	for (size_t i = 0; i < rec_set_count(s); i++) {
		const struct rec_obs *o = rec_set_at(s, i);
		bool ok = o->arch == x86_64() && o->nr == sc->nr && o->nargs == n;
		for (size_t k = 0; ok && k < n; k++) {
			int idx = sc_syscall_arg_index(sc, args[k]);
			bool found = false;
			assert_true(idx >= 0);
			for (unsigned j = 0; j < o->nargs; j++)
				if (o->argi[j] == idx && o->argv[j] == vals[k])
					found = true;
			ok = found;
		}
		if (ok)
			return true;
	}
	return false;
}

#define HAS0(s, sys) has_obs((s), (sys), 0, NULL, NULL)
#define HAS1(s, sys, a, v) has_obs((s), (sys), 1, (const char *const[]){ a }, (const uint64_t[]){ v })
#define HAS2(s, sys, a, v, b, w)                                                         \
	has_obs((s), (sys), 2, (const char *const[]){ a, b }, (const uint64_t[]){ v, w })
#define HAS3(s, sys, a, v, b, w, c, x)                                                   \
	has_obs((s), (sys), 3, (const char *const[]){ a, b, c }, (const uint64_t[]){ v, w, x })

/* How many observations of @sys, whatever their arguments. */
static size_t count_of(const struct rec_set *s, const char *sys)
{
	const struct sc_syscall *sc = sc_syscall_lookup(x86_64(), sys);
	size_t n = 0;

	for (size_t i = 0; i < rec_set_count(s); i++)
		n += rec_set_at(s, i)->nr == sc->nr;
	return n;
}

static void json_lines(void **state)
{
	struct sc_diag d;
	int rc;
	struct rec_set *s = load("trace.jsonl", &rc, &d);

	(void)state;
	assert_int_equal(rc, 0);
	/* ioctl: Falco's request is the kernel's cmd, printed in hex without 0x. */
	assert_true(HAS1(s, "ioctl", "cmd", 0x5401)); /* TCGETS, from syscall.type */
	assert_true(HAS1(s, "ioctl", "cmd", 0x5413)); /* TIOCGWINSZ, from evt.type */
	/* The exit event showing `res` alone is not ioctl(fd, 0). */
	assert_int_equal(count_of(s, "ioctl"), 2);
	/* socket: SOCK_CLOEXEC dropped by the capture table. */
	assert_true(HAS3(s, "socket", "family", 2, "type", 1, "protocol", 6));
	assert_true(HAS3(s, "socket", "family", 1, "type", 2, "protocol", 0));
	/* Single fields: evt.arg gives the gloss alone, evt.rawarg a JSON number. */
	assert_true(HAS3(s, "socket", "family", 10, "type", 1, "protocol", 0));
	/* openat: Falco's flag bits (4097, 20742) read through their names. */
	assert_true(HAS1(s, "openat", "flags", 0));     /* O_RDONLY|O_CLOEXEC */
	assert_true(HAS1(s, "openat", "flags", 0x241)); /* O_WRONLY|O_CREAT|O_TRUNC */
	assert_true(HAS1(s, "mmap", "prot", 0x4));      /* PROT_READ|PROT_EXEC → PROT_EXEC */
	assert_true(HAS1(s, "clone", "clone_flags", 0)); /* a fork: no CLONE_VM */
	assert_true(HAS1(s, "fcntl", "cmd", 3));        /* F_GETFL, Falco's 4 */
	assert_true(HAS0(s, "pread64"));                /* Falco's event "pread" */
	/* procexit, the banners and a stats line are no calls. */
	assert_int_equal(rec_set_count(s), 11);
	rec_set_free(s);
}

static void text_lines(void **state)
{
	struct sc_diag d;
	int rc;
	struct rec_set *s = load("trace.txt", &rc, &d);

	(void)state;
	assert_int_equal(rc, 0);
	assert_true(HAS1(s, "ioctl", "cmd", 0x5401));
	assert_true(HAS1(s, "ioctl", "cmd", 0x5413)); /* fields after the rule's group ignored */
	assert_true(HAS1(s, "ioctl", "cmd", 0x5402)); /* a path with parentheses in the gloss */
	assert_true(HAS3(s, "socket", "family", 2, "type", 1, "protocol", 6));
	assert_true(HAS3(s, "socket", "family", 1, "type", 1, "protocol", 0));
	assert_true(HAS1(s, "openat", "flags", 0x241));
	assert_true(HAS1(s, "mmap", "prot", 0x4));
	assert_true(HAS1(s, "mmap", "prot", 0));
	assert_true(HAS1(s, "clone", "clone_flags", 0x10900)); /* CLONE_VM|CLONE_SIGHAND|CLONE_THREAD */
	assert_true(HAS1(s, "kill", "sig", 15));
	assert_true(HAS2(s, "setsockopt", "level", 1, "optname", 2)); /* SOL_SOCKET, SO_REUSEADDR */
	/* optname=0(UNKNOWN): Falco could not name it, so the call cannot be recorded. */
	assert_int_equal(count_of(s, "setsockopt"), 1);
	assert_int_equal(rec_set_count(s), 11);
	rec_set_free(s);
}

static void broken_json_names_its_line(void **state)
{
	struct sc_diag d;
	int rc;
	struct rec_set *s = load("broken.jsonl", &rc, &d);

	(void)state;
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(d.file, "broken.jsonl");
	assert_int_equal(d.line, 4);
	assert_true(d.col > 1);
	assert_non_null(strstr(d.message, "invalid JSON in Falco output"));
	assert_true(strncmp(d.source, "{\"output\":\"22:13:20.000000004", 29) == 0);
	assert_true(d.hint[0] != '\0');
	/* Reading stopped there: the line after it was not read. */
	assert_int_equal(count_of(s, "getgid"), 0);
	rec_set_free(s);
}

static void wrong_types_are_errors(void **state)
{
	struct sc_diag d;
	int rc;
	struct rec_set *s;

	(void)state;
	s = load_text("Falco version: 0.36.2\n  {\"output\": \"x\", \"output_fields\": [1]}\n", &rc, &d);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 19); /* the quoted key, after two spaces of indentation */
	assert_string_equal(d.message, "expected 'output_fields' to be an object, found an array");
	rec_set_free(s);

	s = load_text("{\"output_fields\": {\"evt.type\": 42}}\n", &rc, &d);
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(d.message, "expected 'evt.type' to be a string, found an integer");
	rec_set_free(s);
}

static void hex_without_0x(void **state)
{
	struct sc_diag d;
	int rc;
	/* C0045401 would be decimal garbage; 10 read as decimal would be 0xA. */
	struct rec_set *s = load_text(
		"{\"output_fields\": {\"evt.type\": \"ioctl\", \"evt.arg.request\": \"C0045401\"}}\n"
		"{\"output_fields\": {\"evt.type\": \"ioctl\", \"evt.rawarg.request\": \"10\"}}\n"
		"x (SYSCALL=ioctl, args: fd=3 request=0x5410 argument=0)\n",
		&rc, &d);

	(void)state;
	assert_int_equal(rc, 0);
	assert_true(HAS1(s, "ioctl", "cmd", 0xC0045401));
	assert_true(HAS1(s, "ioctl", "cmd", 0x10));
	assert_true(HAS1(s, "ioctl", "cmd", 0x5410)); /* a 0x is tolerated */
	assert_int_equal(rec_set_count(s), 3);
	rec_set_free(s);
}

static void falco_encodings_are_not_kernel_values(void **state)
{
	struct sc_diag d;
	int rc;
	struct rec_set *s = load_text(
		/* tgkill: Falco's pid is the kernel's tgid, its tid the kernel's pid. */
		"(SYSCALL=tgkill, args: res=0 pid=7 tid=8 sig=9(SIGKILL))\n"
		/* A raw flag word without names cannot be read: the line is skipped. */
		"{\"output_fields\": {\"evt.type\": \"openat\", \"evt.rawarg.flags\": 4358}}\n"
		/* A name Falco has and the kernel lacks: skipped rather than guessed. */
		"(SYSCALL=mprotect, args: addr=7F00 length=4096 prot=64(PROT_SAO))\n"
		/* Zero flags are zero in any encoding. */
		"(SYSCALL=mprotect, args: addr=7F00 length=4096 prot=0)\n"
		/* evt.arg gives the names alone. */
		"{\"output_fields\": {\"evt.type\": \"unshare\", \"evt.arg.flags\": \"CLONE_NEWNS|CLONE_NEWUSER\"}}\n",
		&rc, &d);

	(void)state;
	assert_int_equal(rc, 0);
	assert_true(HAS1(s, "tgkill", "sig", 9));
	assert_int_equal(count_of(s, "openat"), 0);
	assert_true(HAS1(s, "mprotect", "prot", 0));
	assert_int_equal(count_of(s, "mprotect"), 1);
	assert_true(HAS1(s, "unshare", "unshare_flags", 0x20000 | 0x10000000));
	assert_int_equal(rec_set_count(s), 3);
	rec_set_free(s);
}

static void other_events_and_lines_are_skipped(void **state)
{
	struct sc_diag d;
	int rc;
	struct rec_set *s = load_text(
		"\xef\xbb\xbf* Setting up /usr/src links from host\n"
		"{\"output_fields\": {\"evt.type\": \"container\", \"evt.args\": \"json={}\"}}\n"
		"{\"output_fields\": {\"evt.type\": \"switch\", \"evt.args\": \"next=0\"}}\n"
		"{\"output_fields\": {\"evt.type\": null}}\n"
		"{\"output\": \"(SYSCALL=getppid, args: )\", \"output_fields\": {}}\r\n"
		"(SYSCALL=notasyscall, args: a=1)\n"
		"   \n"
		"(SYSCALL=getpid",
		&rc, &d);

	(void)state;
	assert_int_equal(rc, 0);
	assert_true(HAS0(s, "getppid")); /* the text form inside a JSON alert's output */
	assert_true(HAS0(s, "getpid"));  /* a last line without its newline */
	assert_int_equal(rec_set_count(s), 2);
	rec_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_lines),
		cmocka_unit_test(text_lines),
		cmocka_unit_test(broken_json_names_its_line),
		cmocka_unit_test(wrong_types_are_errors),
		cmocka_unit_test(hex_without_0x),
		cmocka_unit_test(falco_encodings_are_not_kernel_values),
		cmocka_unit_test(other_events_and_lines_are_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
