/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * call-format.c — a system call with its arguments as strace prints it (call-format.h).
 *
 * Each parameter is read by what the catalog says it is: a `const char *` is a string
 * (read through the caller's reader, quoted, cut at STR_MAX bytes; a buffer whose length is
 * the next parameter is cut there too), another pointer an address, a `mode` octal, a value
 * some constant family names by its names (O_WRONLY|O_CREAT, AT_FDCWD, SIGTERM), the rest
 * a decimal number on the width the kernel reads, signed where the C type is.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/constants.h"
#include "export/call-format.h"

#define STR_MAX 64 /* bytes of a string shown, as strace -s 64 */

struct out {
	char *buf;
	size_t len, used;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->used + 1 >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->used += (size_t)n < o->len - o->used ? (size_t)n : o->len - o->used - 1;
}

/* Is the parameter a C string (not a buffer of bytes)? */
static bool is_string(const struct sc_syscall_arg *a)
{
	return a->pointer && strcmp(a->type, "const char *") == 0;
}

/* A buffer whose length is the next parameter (write's buf, count). */
static bool has_length(const struct sc_syscall *sys, unsigned i)
{
	static const char *const lengths[] = { "count", "len", "msg_len", "size" };

	if (i + 1 >= sys->nargs)
		return false;
	for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++)
		if (strcmp(sys->args[i + 1].name, lengths[k]) == 0)
			return true;
	return false;
}

static void put_string(struct out *o, uint64_t addr, size_t limit, call_read_fn read, void *ctx)
{
	unsigned char s[STR_MAX + 1];
	long n;
	size_t want = limit < STR_MAX ? limit : STR_MAX, i;
	bool cut;

	if (addr == 0) {
		put(o, "NULL");
		return;
	}
	n = read ? read(ctx, addr, s, want + (limit > STR_MAX)) : -1;
	if (n < 0) {
		put(o, "0x%" PRIx64, addr);
		return;
	}
	put(o, "\"");
	for (i = 0; i < (size_t)n && i < want; i++) {
		if (limit == SIZE_MAX && s[i] == '\0')
			break;
		if (s[i] == '"' || s[i] == '\\')
			put(o, "\\%c", s[i]);
		else if (s[i] == '\n')
			put(o, "\\n");
		else if (s[i] == '\t')
			put(o, "\\t");
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			put(o, "\\x%02x", s[i]);
		else
			put(o, "%c", s[i]);
	}
	/* Past the shown bytes: a longer string (no NUL yet) or a longer buffer. */
	cut = i == want && (limit == SIZE_MAX ? (size_t)n > want && s[want] != '\0' : limit > want);
	put(o, cut ? "\"..." : "\"");
}

static bool is_signed(const char *type)
{
	return !strstr(type, "unsigned") && !strstr(type, "size_t") && !strstr(type, "umode_t") &&
	       strncmp(type, "u", 1) != 0 && !strstr(type, "__u");
}

static void put_value(struct out *o, const struct sc_arch *arch, const struct sc_syscall *sys,
		      unsigned i, uint64_t v)
{
	const struct sc_syscall_arg *a = &sys->args[i];
	unsigned bits = sc_syscall_arg_bits(arch, sys, i);
	char names[256];

	v &= arg_width_mask(bits);
	if (a->pointer) {
		if (v)
			put(o, "0x%" PRIx64, v);
		else
			put(o, "NULL");
		return;
	}
	if (v != 0 && constants_format(sys->name, a->name, v, names, sizeof(names)) > 0) {
		put(o, "%s", names);
		return;
	}
	if (v == 0) {
		const struct sc_constant *k = sc_constant_for_value(sys->name, a->name, 0);
		if (k) {
			put(o, "%s", k->name);
			return;
		}
	}
	if (strcmp(a->name, "mode") == 0) {
		put(o, "0%" PRIo64, v);
		return;
	}
	if (is_signed(a->type) && bits < 64 && (v >> (bits - 1)) & 1)
		put(o, "%" PRId64, (int64_t)(v | ~arg_width_mask(bits)));
	else if (is_signed(a->type))
		put(o, "%" PRId64, (int64_t)v);
	else
		put(o, "%" PRIu64, v);
}

void call_format(const struct sc_arch *arch, const struct sc_syscall *sys, uint32_t nr,
		 const uint64_t args[6], call_read_fn read, void *ctx, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!sys) {
		put(&o, "syscall_%#" PRIx32 "(", nr);
		for (unsigned i = 0; i < 6; i++)
			put(&o, "%s%#" PRIx64, i ? ", " : "", args[i]);
		put(&o, ")");
		goto out;
	}
	put(&o, "%s(", sys->name);
	for (unsigned i = 0; i < sys->nargs && i < 6; i++) {
		put(&o, "%s", i ? ", " : "");
		if (is_string(&sys->args[i]))
			put_string(&o, args[i] & arg_width_mask(arch->word_bits),
				   has_length(sys, i) ? args[i + 1] : SIZE_MAX, read, ctx);
		else
			put_value(&o, arch, sys, i, args[i]);
	}
	put(&o, ")");
out:
	/* Cut: say so rather than end mid-word. */
	if (o.used + 1 >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}
