/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * argcap.c — the recorder's argument capture table, read from data/recorder-args.txt
 * (embedded at build time) on first use: which arguments of which syscalls decide what a
 * program may do, and which of their bits matter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "record/record.h"

extern const char builtin_recorder_args[];
extern const size_t builtin_recorder_args_len;

/* Read once, on first use. XXX not thread-safe: recording runs once per process (trace.c
 * keeps static signal state for the same reason). */
static struct argcap *table;
static size_t ntable;

/* "A|B" of constants (an unknown name is a bug in the data file: it stops the program). */
static uint64_t bits_of(const char *expr)
{
	uint64_t v = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", expr);
	for (char *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		const struct sc_constant *c = sc_constant_lookup(tok);
		if (!c) {
			fprintf(stderr, "seccompose: internal error: data/recorder-args.txt names unknown "
					"constant '%s'\n", tok);
			abort();
		}
		v |= c->value;
	}
	return v;
}

static void load(void)
{
	const char *p = builtin_recorder_args, *end = p + builtin_recorder_args_len;
	size_t cap = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512], *f[4];
		int nf = 0;

		if (len > 0 && len < sizeof(line) && *p != '#') {
			memcpy(line, p, len);
			line[len] = '\0';
			for (char *q = line; nf < 4 && q;) {
				f[nf++] = q;
				q = strchr(q, '\t');
				if (q)
					*q++ = '\0';
			}
			if (nf == 4) {
				struct argcap *c;
				table = xgrow(table, &cap, ntable + 1, sizeof(*table));
				c = &table[ntable++];
				c->syscall = xstrdup(f[0]);
				c->arg = xstrdup(f[1]);
				c->why = xstrdup(f[3]);
				if (strncmp(f[2], "keep=", 5) == 0)
					c->keep_mask = bits_of(f[2] + 5);
				else if (strncmp(f[2], "drop=", 5) == 0)
					c->keep_mask = ~bits_of(f[2] + 5);
				else
					c->keep_mask = UINT64_MAX;
			}
		}
		p += len + 1;
	}
}

size_t argcap_count(void)
{
	if (!table)
		load();
	return ntable;
}

const struct argcap *argcap_at(size_t i)
{
	return i < argcap_count() ? &table[i] : NULL;
}

size_t argcap_lookup(const char *syscall, const struct argcap **ret)
{
	size_t n = 0;

	for (size_t i = 0; i < argcap_count(); i++)
		if (strcmp(table[i].syscall, syscall) == 0) {
			if (n == 0)
				*ret = &table[i];
			n++;
		}
	return n;
}
