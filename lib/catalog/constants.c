/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * constants.c — symbolic constants: name → value by bisection over the generated table, value →
 * name through the families that fit a syscall argument, and values printed as names.
 *
 * The table (data/gen/constants.c) is sorted by name; the families keep constants.list's order,
 * which is the order of preference when several constants share a value: EAGAIN before
 * EWOULDBLOCK, FIONREAD before TIOCINQ and SIOCINQ, FUTEX_WAIT_PRIVATE before FUTEX_PRIVATE_FLAG.
 * tests/unit/test-constants.c checks the sort order and those preferences.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/constants.h"
#include "base/suggest.h"

#define MAX_MODIFIERS 16 /* modifier bits tried in combination */

static const struct constants_row *member_constant(const struct constants_member *m)
{
	return &constants_table[m->index];
}

/* The public view of generated row @c. */
static const struct sc_constant *public_of(const struct constants_row *c)
{
	return c ? constants_public((size_t)(c - constants_table)) : NULL;
}

SC_EXPORT size_t sc_constant_count(void)
{
	return constants_table_count;
}

SC_EXPORT const struct sc_constant *sc_constant_at(size_t i)
{
	return i < constants_table_count ? constants_public(i) : NULL;
}

const struct constants_row *constants_find(const char *name)
{
	size_t lo = 0, hi = constants_table_count;

	if (!name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, constants_string(constants_table[mid].name));
		if (c == 0)
			return &constants_table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

SC_EXPORT const struct sc_constant *sc_constant_lookup(const char *name)
{
	return public_of(constants_find(name));
}

SC_EXPORT size_t sc_constant_suggest(const char *word, const char **ret_best, size_t max)
{
	const char **names;
	size_t n;

	if (!word || max == 0)
		return 0;
	/* Suggesting is rare (a typo), so the name list is built when asked. The suggestions point
	   at the table's strings, not at this array. */
	names = malloc(constants_table_count * sizeof(*names));
	if (!names)
		return 0;
	for (size_t i = 0; i < constants_table_count; i++)
		names[i] = constants_string(constants_table[i].name);
	n = sc_suggest(word, names, constants_table_count, ret_best, max);
	free(names);
	return n;
}

bool constants_family_uses(const struct constants_family *f, const char *syscall, const char *arg)
{
	size_t sl, al;

	if (!syscall)
		return true;
	sl = strlen(syscall);
	al = arg ? strlen(arg) : 0;
	for (const char *p = constants_string(f->uses); *p;) {
		size_t n;
		const char *colon;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		colon = memchr(p, ':', n);
		if (colon && (size_t)(colon - p) == sl && memcmp(p, syscall, sl) == 0 &&
		    (!arg || (n - sl - 1 == al && memcmp(colon + 1, arg, al) == 0)))
			return true;
		p += n;
	}
	return false;
}

unsigned constants_arg_bits(const char *syscall, const char *arg)
{
	const struct sc_arch *a = sc_arch_native();
	const struct sc_syscall *s = a ? sc_syscall_lookup(a, syscall) : NULL;
	int i;

	/* A syscall the native ABI lacks (socketcall, fcntl64): the first ABI that has it. */
	for (size_t k = 0; !s && k < sc_arch_count(); k++) {
		a = sc_arch_at(k);
		s = sc_syscall_lookup(a, syscall);
	}
	if (!s || !arg || (i = sc_syscall_arg_index(s, arg)) < 0)
		return 64;
	i = (int)sc_syscall_arg_bits(a, s, (unsigned)i);
	return i > 0 ? (unsigned)i : 64;
}

/*
 * Does constant value @c name argument value @v when the kernel reads @bits bits? Both are
 * compared on those bits, and @c must be representable in them: either it fits, or it is a
 * negative number sign-extended to 64 bits (AT_FDCWD). So a 32-bit dfd of 0xffffff9c is AT_FDCWD,
 * and a 64-bit constant such as CLONE_CLEAR_SIGHAND (1 << 32) never matches a 32-bit argument.
 */
static bool same_value(uint64_t c, uint64_t v, unsigned bits)
{
	if (bits < 64 && c > arg_width_mask(bits) && c < (UINT64_MAX << (bits - 1)))
		return false;
	return (c & arg_width_mask(bits)) == (v & arg_width_mask(bits));
}

/* The first constant of the families @fams, in order, whose value is @v, among those whose role
   is @role, or any role but a quiet one when @role is -1. */
static const struct constants_row *find_value(const struct constants_family *const *fams, size_t nf,
					    uint64_t v, unsigned bits, int role)
{
	for (size_t i = 0; i < nf; i++)
		for (size_t j = 0; j < fams[i]->count; j++) {
			const struct constants_member *m = constants_family_member(fams[i], j);
			if (role < 0 ? m->role == CONSTANTS_QUIET : m->role != role)
				continue;
			if (same_value(member_constant(m)->value, v, bits))
				return member_constant(m);
		}
	return NULL;
}

/* The families that fit @syscall:@arg, in list order (all of them for a NULL @syscall). */
static size_t families_for(const char *syscall, const char *arg,
			   const struct constants_family **ret)
{
	size_t n = 0;

	for (size_t i = 0; i < constants_family_count && n < CONSTANTS_MAX_FAMILIES; i++)
		if (constants_family_uses(&constants_families[i], syscall, arg))
			ret[n++] = &constants_families[i];
	return n;
}

SC_EXPORT const struct sc_constant *sc_constant_for_value(const char *syscall, const char *arg,
							   uint64_t value)
{
	const struct constants_family *fams[CONSTANTS_MAX_FAMILIES];
	size_t nf = families_for(syscall, arg, fams);

	return public_of(find_value(fams, nf, value, syscall ? constants_arg_bits(syscall, arg) : 64, -1));
}

/* ---- formatting ---------------------------------------------------------------------------- */

/* An output buffer that keeps a NUL-terminated prefix when it fills up. */
struct out {
	char *buf;
	size_t len, pos;
	int names;
	bool overflow;
};

static void out_raw(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->overflow)
		return;
	if (o->pos + n >= o->len) {
		n = o->len - o->pos - 1;
		o->overflow = true;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

/* Append @s, after a '|' when something came before. */
static void out_put(struct out *o, const char *s)
{
	if (o->pos)
		out_raw(o, "|");
	out_raw(o, s);
}

static void out_name(struct out *o, const struct constants_row *c)
{
	out_put(o, constants_string(c->name));
	o->names++;
}

static void out_hex(struct out *o, uint64_t v)
{
	char num[24];

	if (v == 0)
		snprintf(num, sizeof(num), "0");
	else
		snprintf(num, sizeof(num), "0x%" PRIx64, v);
	out_put(o, num);
}

/* The constant naming @fv, the content of @f's field. */
static const struct constants_row *field_name(const struct constants_family *f, uint64_t fv)
{
	const struct constants_family *ff =
	    f->field_family >= 0 ? &constants_families[f->field_family] : f;

	for (size_t j = 0; j < ff->count; j++) {
		const struct constants_member *m = constants_family_member(ff, j);
		const struct constants_row *c = member_constant(m);
		if (m->role != CONSTANTS_VALUE)
			continue;
		/* In a family's own field, only the constants inside it are field values. */
		if (ff == f && (c->value & ~f->field) != 0)
			continue;
		if (c->value == fv)
			return c;
	}
	return NULL;
}

/*
 * A flags value, the way strace prints it: the value of a field of the family's own (O_RDWR)
 * first, then in list order every flag whose bits are all still unexplained (a multi-bit name
 * listed before its parts wins: O_SYNC before O_DSYNC), then the value of a field named by
 * another family (SIGCHLD in clone's flags), then what is left as hex.
 */
static void format_flags(const struct constants_family *const *fams, size_t nf, uint64_t v,
			 unsigned bits, struct out *o)
{
	const struct constants_row *tail = NULL, *c;
	uint64_t left = v, covered = 0;

	for (size_t i = 0; i < nf; i++) {
		const struct constants_family *f = fams[i];
		if (f->kind != CONSTANTS_FLAGS || !f->field || (f->field & covered))
			continue;
		c = field_name(f, v & f->field);
		if (!c) /* unnamed: its bits stay for the flags (CLONE_NEWTIME inside CSIGNAL) */
			continue;
		if (f->field_family < 0)
			out_name(o, c);
		else if (!tail)
			tail = c;
		left &= ~f->field;
		covered |= f->field;
	}
	if (v == 0 && o->pos == 0 && !tail &&
	    (c = find_value(fams, nf, 0, bits, CONSTANTS_VALUE))) {
		out_name(o, c); /* PROT_NONE, F_OK */
		return;
	}
	for (size_t i = 0; i < nf; i++) {
		const struct constants_family *f = fams[i];
		if (f->kind != CONSTANTS_FLAGS)
			continue;
		for (size_t j = 0; j < f->count; j++) {
			const struct constants_member *m = constants_family_member(f, j);
			c = member_constant(m);
			if (m->role == CONSTANTS_QUIET || c->value == 0 ||
			    (c->value & covered))
				continue;
			if (f->field && f->field_family < 0 && (c->value & ~f->field) == 0)
				continue; /* a value of the family's own field, not a flag */
			if ((c->value & left) == c->value) {
				out_name(o, c);
				left &= ~c->value;
			}
		}
	}
	if (tail)
		out_name(o, tail);
	if (left || o->pos == 0)
		out_hex(o, left);
}

static unsigned popcount32(uint32_t x)
{
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/*
 * An enum value with modifier bits: take away the fewest modifiers present (in list order) that
 * leave a value with a name, so 0x189 is FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME and not
 * FUTEX_WAIT_BITSET|FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME. When nothing names what is left,
 * every modifier present is named and the rest printed as hex.
 */
static void format_modifiers(const struct constants_family *p,
			     const struct constants_family *const *fams, size_t nf, uint64_t v,
			     unsigned bits, struct out *o)
{
	const struct constants_row *mods[MAX_MODIFIERS], *c = NULL;
	size_t k = 0;
	uint64_t seen = 0, rest = v;
	uint32_t all, pick = 0;
	bool found = false;

	for (size_t j = 0; j < p->count && k < MAX_MODIFIERS; j++) {
		const struct constants_member *pm = constants_family_member(p, j);
		const struct constants_row *m = member_constant(pm);
		if (pm->role == CONSTANTS_MODIFIER && m->value &&
		    (m->value & v) == m->value && !(m->value & seen)) {
			mods[k++] = m;
			seen |= m->value;
		}
	}
	all = (uint32_t)((UINT64_C(1) << k) - 1);
	/* Subsets by size, and of one size in list order: bit i of a subset stands for mods[i]. */
	for (unsigned size = 1; size <= k && !found; size++)
		for (uint32_t s = 1; s <= all && !found; s++) {
			uint64_t mask = 0;
			if (popcount32(s) != size)
				continue;
			for (size_t i = 0; i < k; i++)
				if (s & (UINT32_C(1) << i))
					mask |= mods[i]->value;
			c = find_value(fams, nf, v & ~mask, bits, CONSTANTS_VALUE);
			if (c || (v & ~mask) == 0) {
				pick = s;
				found = true;
			}
		}
	if (!found)
		pick = all;
	if (c)
		out_name(o, c);
	for (size_t i = 0; i < k; i++)
		if (pick & (UINT32_C(1) << i)) {
			out_name(o, mods[i]);
			rest &= ~mods[i]->value;
		}
	if (!c && (rest || o->pos == 0))
		out_hex(o, rest);
}

static int format_in(const struct constants_family *const *fams, size_t nf, const char *syscall,
		     const char *arg, uint64_t value, char *buf, size_t len)
{
	const struct constants_family *primary = NULL;
	unsigned bits = syscall ? constants_arg_bits(syscall, arg) : 64;
	struct out o = { buf, len, 0, 0, false };
	const struct constants_row *c;
	uint64_t v = value & arg_width_mask(bits);

	if (!buf || len == 0)
		return -ENOSPC;
	buf[0] = '\0';
	/* The family that says how values combine: the first flags family, or the first enum
	   family with modifiers. */
	for (size_t i = 0; i < nf && !primary; i++) {
		if (fams[i]->kind == CONSTANTS_FLAGS)
			primary = fams[i];
		for (size_t j = 0; j < fams[i]->count && !primary; j++)
			if (constants_family_member(fams[i], j)->role == CONSTANTS_MODIFIER)
				primary = fams[i];
	}
	if (primary && primary->kind == CONSTANTS_FLAGS) {
		format_flags(fams, nf, v, bits, &o);
	} else if ((c = find_value(fams, nf, v, bits, -1))) {
		out_name(&o, c);
	} else if (primary) {
		format_modifiers(primary, fams, nf, v, bits, &o);
	} else {
		out_hex(&o, v);
	}
	return o.overflow ? -ENOSPC : o.names;
}

int constants_format(const char *syscall, const char *arg, uint64_t value, char *buf, size_t len)
{
	const struct constants_family *fams[CONSTANTS_MAX_FAMILIES];
	size_t nf = families_for(syscall, arg, fams);

	return format_in(fams, nf, syscall, arg, value, buf, len);
}

/* ---- constants named by another argument --------------------------------------------------- */

/*
 * Arguments whose values mean something else depending on another argument of the same call:
 * setsockopt's optname by its level (TCP_NODELAY and SO_DEBUG are both 1), socket's protocol by
 * its family (NETLINK_AUDIT and IPPROTO_ESP share 9). One row per (argument, other value):
 * the family that names the argument then, for every syscall that takes the pair. An argument listed here with another value that no
 * row names gets a number, never a name from the wrong context.
 */
static const struct {
	const char *syscalls;        /* space separated */
	const char *arg;             /* the argument to name */
	const char *by_arg, *by_name; /* when this other argument holds this constant */
	const char *family;           /* name it from this family */
} contexts[] = {
	{ "setsockopt getsockopt", "optname", "level", "SOL_SOCKET", "socket_option" },
	{ "setsockopt getsockopt", "optname", "level", "SOL_TCP", "tcp_option" },
	{ "setsockopt getsockopt", "optname", "level", "SOL_IP", "ip_option" },
	{ "setsockopt getsockopt", "optname", "level", "SOL_IPV6", "ipv6_option" },
	{ "socket socketpair", "protocol", "family", "AF_INET", "ip_protocol" },
	{ "socket socketpair", "protocol", "family", "AF_INET6", "ip_protocol" },
	{ "socket", "protocol", "family", "AF_NETLINK", "netlink_protocol" },
};
#define N_CONTEXTS (sizeof(contexts) / sizeof(contexts[0]))

/* Is row @i about @syscall's @arg, decided by @by_arg? */
static bool context_is(size_t i, const char *syscall, const char *arg, const char *by_arg)
{
	return words_contain(contexts[i].syscalls, syscall) && strcmp(contexts[i].arg, arg) == 0 &&
	       strcmp(contexts[i].by_arg, by_arg) == 0;
}

bool constants_has_context(const char *syscall, const char *arg, const char *by_arg)
{
	for (size_t i = 0; i < N_CONTEXTS; i++)
		if (context_is(i, syscall, arg, by_arg))
			return true;
	return false;
}

int constants_format_context(const char *syscall, const char *arg, uint64_t value,
			     const char *by_arg, uint64_t by_value, char *buf, size_t len)
{
	unsigned by_bits = constants_arg_bits(syscall, by_arg);

	for (size_t i = 0; i < N_CONTEXTS; i++) {
		const struct constants_row *k;
		if (!context_is(i, syscall, arg, by_arg))
			continue;
		k = constants_find(contexts[i].by_name);
		if (!k || !same_value(k->value, by_value, by_bits))
			continue;
		for (size_t f = 0; f < constants_family_count; f++)
			if (strcmp(constants_string(constants_families[f].name), contexts[i].family) == 0) {
				const struct constants_family *one = &constants_families[f];
				return format_in(&one, 1, syscall, arg, value, buf, len);
			}
	}
	/* No row for this context: a number, which reads back the same anywhere. */
	if (!buf || len == 0)
		return -ENOSPC;
	return snprintf(buf, len, "0x%" PRIx64, value) >= (int)len ? -ENOSPC : 0;
}
