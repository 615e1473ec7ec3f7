/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-toml — how long lib/text/toml.c takes over a policy-sized document.
 *
 * Builds a policy-like TOML document of about 1 MB in memory (many [[syscalls]] tables
 * with name arrays, inline-table conditions, comments and strings of each kind), parses
 * it N times (default 50) and prints milliseconds per parse: the best run and the mean.
 * The target is well under 50 ms per megabyte.
 *
 *	build/bench/bench-toml [N] [--write]   --write: also time toml_write() on the tree
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/toml.h"

struct sbuf {
	char *data;
	size_t len, cap;
};

static void add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap ? b->cap * 2 : 1 << 20;
		b->data = realloc(b->data, b->cap);
		if (!b->data) {
			perror("bench-toml");
			exit(1);
		}
	}
	b->len += (size_t)n;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A policy of about @target bytes: what seccompose's own policies look like, repeated. */
static void make_policy(struct sbuf *b, size_t target)
{
	static const char *const names[] = {
		"read", "write", "openat", "close", "fstat", "mmap", "mprotect", "munmap",
		"brk", "rt_sigaction", "rt_sigprocmask", "ioctl", "pread64", "pwrite64",
		"readv", "writev", "access", "pipe2", "select", "sched_yield", "mremap",
		"madvise", "dup3", "nanosleep", "getpid", "socket", "connect", "accept4",
	};
	static const char *const ops[] = { "equals", "masked_equals", "bitmask_none", "any_of" };
	size_t n = sizeof(names) / sizeof(names[0]);

	add(b, "# seccompose policy (benchmark, generated)\n"
	       "default_action = \"Errno\"\n"
	       "default_errno_ret = \"EPERM\"\n"
	       "architectures = [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]\n"
	       "flags = ['tsync', 'log']\n\n"
	       "[[abstract_syscalls]]\nnames = [\"stdio_app\", \"memory\", \"signals\"]\n"
	       "action = \"Allow\"\n\n");
	for (unsigned i = 0; b->len < target; i++) {
		add(b, "[[syscalls]]\n# rule %u\nnames = [", i);
		for (unsigned k = 0; k < 4 + i % 6; k++)
			add(b, "%s\"%s\"", k ? ", " : "", names[(i * 7 + k) % n]);
		add(b, "]\naction = \"%s\"\n", i % 3 ? "Allow" : "Errno");
		if (i % 3 == 0)
			add(b, "errno_ret = %u\n", 1 + i % 120);
		add(b, "comment = '''rule %u: generated for the benchmark, \"quoted\"'''\n", i);
		add(b, "conditions = [\n");
		for (unsigned k = 0; k < 1 + i % 4; k++)
			add(b, "  { argument = \"arg%u\", type = \"%s\", "
			       "value = 0x%x, mask = 0o%o },\n",
			    k, ops[(i + k) % 4], (i * 31 + k) & 0xffff, (i + k) & 0777);
		add(b, "]\nlimits = { min = -%u, max = %u_000, ratio = %u.25e-1, on = %s }\n", i,
		    i + 1, i % 100, i % 2 ? "true" : "false");
		add(b, "since = 2024-01-%02uT10:%02u:00Z\n\n", 1 + i % 28, i % 60);
	}
}

int main(int argc, char **argv)
{
	struct sbuf doc = { 0 };
	struct toml_error err;
	struct toml_value *root;
	double best = 1e9, total = 0, t;
	int runs = 50;
	bool write = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--write") == 0)
			write = true;
		else
			runs = atoi(argv[i]) > 0 ? atoi(argv[i]) : runs;
	}
	make_policy(&doc, 1 << 20);
	root = toml_parse(doc.data, doc.len, &err);
	if (!root) {
		fprintf(stderr, "bench-toml: the generated policy does not parse: %u:%u: %s\n",
			err.line, err.col, err.msg);
		return 1;
	}
	printf("document: %zu bytes, %zu [[syscalls]] tables\n", doc.len,
	       toml_array_len(toml_table_get(root, "syscalls")));
	toml_free(root);
	for (int i = 0; i < runs; i++) {
		t = now_ms();
		root = toml_parse(doc.data, doc.len, NULL);
		toml_free(root);
		t = now_ms() - t;
		total += t;
		if (t < best)
			best = t;
	}
	printf("toml_parse + toml_free: %.2f ms best, %.2f ms mean over %d runs (%.0f MB/s)\n",
	       best, total / runs, runs, doc.len / 1e6 / (best / 1e3));
	if (write) {
		char *text;
		size_t len;

		root = toml_parse(doc.data, doc.len, NULL);
		t = now_ms();
		if (toml_write(root, &text, &len) == 0)
			free(text);
		printf("toml_write: %.2f ms\n", now_ms() - t);
		toml_free(root);
	}
	free(doc.data);
	return 0;
}
