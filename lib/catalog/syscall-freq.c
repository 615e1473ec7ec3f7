/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscall-freq.c — how often programs make each syscall, from the embedded
 * data/syscall-frequency.txt (`count name` a line, `#` comments; the file says how it was
 * measured). bpf-gen.c weights its number search with it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/syscall-freq.h"

extern const char builtin_syscall_frequency[];
extern const size_t builtin_syscall_frequency_len;

size_t syscall_freq_table(const struct sc_arch *arch, struct syscall_freq **ret)
{
	const char *p = builtin_syscall_frequency, *end = p + builtin_syscall_frequency_len;
	struct syscall_freq *v = NULL;
	size_t n = 0, cap = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char name[64];
		size_t len;
		double count = 0;
		const char *q = p;

		if (!eol)
			eol = end;
		while (q < eol && *q >= '0' && *q <= '9')
			count = count * 10 + (*q++ - '0');
		while (q < eol && *q == ' ')
			q++;
		len = (size_t)(eol - q);
		if (*p != '#' && q > p && len > 0 && len < sizeof(name)) {
			const struct sc_syscall *s;
			memcpy(name, q, len);
			name[len] = '\0';
			s = sc_syscall_lookup(arch, name);
			if (s) {
				v = xgrow(v, &cap, n + 1, sizeof(*v));
				v[n++] = (struct syscall_freq){ s->nr, count };
			}
		}
		p = eol + 1;
	}
	*ret = v;
	return n;
}
