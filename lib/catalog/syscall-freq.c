/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscall-freq.c — how often programs make each syscall, from the embedded
 * data/syscall-frequency.txt (`count name` a line, `#` comments; the file says how it was
 * measured) or a weights file in the same format. bpf-gen.c weights its number search with
 * it, so the calls a workload makes most are decided in the fewest instructions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/catalog.h"
#include "catalog/syscall-freq.h"

extern const char builtin_syscall_frequency[];
extern const size_t builtin_syscall_frequency_len;

#define COUNT_MAX 1e15 /* more calls than any recording makes: a typo, not a count */

/* One line: 1 with @count and @name (NUL-terminated, at most 63 bytes), 0 for a blank or
 * comment line, -1 for anything else (@bad: the column where it goes wrong). */
static int parse_line(const char *p, const char *eol, double *count, char name[64], size_t *bad)
{
	const char *q = p, *n;
	size_t len;

	while (q < eol && (*q == ' ' || *q == '\t'))
		q++;
	if (q == eol || *q == '#' || (eol - q == 1 && *q == '\r'))
		return 0;
	*count = 0;
	if (*q < '0' || *q > '9') {
		*bad = (size_t)(q - p);
		return -1;
	}
	while (q < eol && *q >= '0' && *q <= '9') {
		*count = *count * 10 + (*q++ - '0');
		if (*count > COUNT_MAX) {
			*bad = (size_t)(q - p);
			return -1;
		}
	}
	if (q == eol || (*q != ' ' && *q != '\t')) {
		*bad = (size_t)(q - p);
		return -1;
	}
	while (q < eol && (*q == ' ' || *q == '\t'))
		q++;
	n = q;
	while (q < eol && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_'))
		q++;
	len = (size_t)(q - n);
	while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (len == 0 || len >= 64 || q != eol) {
		*bad = (size_t)((len == 0 || len >= 64 ? n : q) - p);
		return -1;
	}
	memcpy(name, n, len);
	name[len] = '\0';
	return 1;
}

size_t syscall_freq_table(const char *text, size_t len, const struct sc_arch *arch,
			  struct syscall_freq **ret)
{
	const char *p = text ? text : builtin_syscall_frequency;
	const char *end = p + (text ? len : builtin_syscall_frequency_len);
	struct syscall_freq *v = NULL;
	size_t n = 0, cap = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		uint32_t nr;
		char name[64];
		double count;
		size_t bad;

		if (!eol)
			eol = end;
		if (parse_line(p, eol, &count, name, &bad) == 1 && catalog_syscall_nr(arch, name, &nr)) {
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			v[n++] = (struct syscall_freq){ nr, count };
		}
		p = eol + 1;
	}
	*ret = v;
	return n;
}

int syscall_freq_check(const char *file, const char *text, size_t len, struct sc_diag *reterr)
{
	const char *p = text, *end = text + len;
	unsigned line = 1;

	for (; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char name[64];
		double count;
		size_t bad = 0;
		int r;

		if (!eol)
			eol = end;
		r = parse_line(p, eol, &count, name, &bad);
		if (r < 0) {
			sc_diag_set(reterr, file, text, len, line, (unsigned)bad + 1, 1,
				    "expected `count name` (a call count, then a syscall name), found '%.*s'",
				    (int)(eol - p > 60 ? 60 : eol - p), p);
			sc_diag_hint(reterr, "`seccompose record --counts FILE -- CMD` writes such a file");
			return -EINVAL;
		}
		if (r == 1 && !sc_syscall_known(name)) {
			const char *best[2];
			sc_diag_set(reterr, file, text, len, line, (unsigned)(strstr(p, name) - p) + 1,
				    (unsigned)strlen(name), "unknown syscall '%s'", name);
			if (sc_syscall_suggest(NULL, name, best, 2))
				sc_diag_hint(reterr, "did you mean '%s'?", best[0]);
			return -EINVAL;
		}
		p = eol + 1;
	}
	return 0;
}
