/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* syscall-freq.h — the built-in syscall frequency table (data/syscall-frequency.txt). */
#ifndef SC_SYSCALL_FREQ_H
#define SC_SYSCALL_FREQ_H

#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

struct syscall_freq {
	uint32_t nr;   /* as seccomp sees it on the ABI */
	double count;  /* relative: only ratios mean anything */
};

/* The table's syscalls that @arch has, in the table's order, into a malloc'd array.
 * Returns how many. */
size_t syscall_freq_table(const struct sc_arch *arch, struct syscall_freq **ret);

#endif
