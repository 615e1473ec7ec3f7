/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * call-format.h — one system call as strace prints it: `openat(AT_FDCWD, "/tmp/x",
 * O_WRONLY|O_CREAT|O_TRUNC)`, its parameters decoded by the catalog's prototypes (strings
 * read through the caller's memory reader, flags and constants by name).
 *
 * Calling sequence (the supervisor reporting a denied call):
 *
 *	char line[512];
 *	call_format(arch, sys, args, read_child, &pid, line, sizeof(line));
 */
#ifndef SC_CALL_FORMAT_H
#define SC_CALL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "seccompose.h"

/* Read up to @len bytes at @addr of the calling process into @buf; the number read, or a
 * negative errno. */
typedef long (*call_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/*
 * Write the call @sys (NULL: a number the catalog does not name, printed as
 * `syscall_0x1234(…)`, six arguments) with @args on @arch to @buf, NUL-terminated and
 * cut with "..." when @len is too small. @read may be NULL: strings print as addresses.
 */
void call_format(const struct sc_arch *arch, const struct sc_syscall *sys, uint32_t nr,
		 const uint64_t args[6], call_read_fn read, void *ctx, char *buf, size_t len);

#endif
