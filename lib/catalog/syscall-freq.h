/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscall-freq.h — how often programs make each syscall: the built-in table
 * (data/syscall-frequency.txt) or a weights file of the user's (`compile --weights`, as
 * `record --counts` writes it). Both are `count name` a line, `#` comments.
 */
#ifndef SC_SYSCALL_FREQ_H
#define SC_SYSCALL_FREQ_H

#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

struct syscall_freq {
	uint32_t nr;   /* as seccomp sees it on the ABI */
	double count;  /* relative: only ratios mean anything */
};

/* The syscalls of @text (NULL: the built-in table) that @arch has, in the text's order, into
 * a malloc'd array. Lines that are no `count name` are skipped (syscall_freq_check() says
 * which). Returns how many. */
size_t syscall_freq_table(const char *text, size_t len, const struct sc_arch *arch,
			  struct syscall_freq **ret);

/* Check a weights file: every line blank, a `#` comment, or `count name` with a syscall the
 * catalog knows on some ABI. 0, or -EINVAL with @reterr at the line (@file's @text). */
int syscall_freq_check(const char *file, const char *text, size_t len, struct sc_diag *reterr);

#endif
