/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * recset.c — the recorder's observations: a hash set of distinct (ABI, number, captured
 * arguments), kept in first-seen order. rec_set_add_call() is on the tracer's hot path (every
 * syscall of the traced program): a capture-table look-up by number, a hash, a probe.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/catalog.h"
#include "record/record.h"

/* Per ABI: which arguments of which number the table captures (filled on first use). */
struct capmap {
	const struct sc_arch *arch;
	uint32_t lo, hi;               /* numbers covered: [lo, hi) */
	struct numcap {
		uint8_t n;
		uint8_t idx[REC_MAX_ARGS];
		uint64_t mask[REC_MAX_ARGS];
	} *bynr;
};

struct rec_set {
	struct rec_obs *v;             /* insertion order */
	size_t n, cap;
	uint32_t *slots;               /* open addressing: index+1 into v, 0 empty */
	size_t nslots;
	struct capmap maps[8];         /* a traced program meets few ABIs */
	size_t nmaps;
};

struct rec_set *rec_set_new(void)
{
	struct rec_set *s = xcalloc(1, sizeof(*s));

	s->nslots = 1024;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	return s;
}

void rec_set_free(struct rec_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmaps; i++)
		free(s->maps[i].bynr);
	free(s->v);
	free(s->slots);
	free(s);
}

size_t rec_set_count(const struct rec_set *s)
{
	return s->n;
}

const struct rec_obs *rec_set_at(const struct rec_set *s, size_t i)
{
	return i < s->n ? &s->v[i] : NULL;
}

static const struct capmap *capmap_for(struct rec_set *s, const struct sc_arch *arch)
{
	struct capmap *m;

	for (size_t i = 0; i < s->nmaps; i++)
		if (s->maps[i].arch == arch)
			return &s->maps[i];
	if (s->nmaps == sizeof(s->maps) / sizeof(s->maps[0]))
		return NULL;
	m = &s->maps[s->nmaps++];
	m->arch = arch;
	m->lo = UINT32_MAX;
	m->hi = 0;
	for (size_t i = 0; i < sc_syscall_count(arch); i++) {
		uint32_t nr = sc_syscall_at(arch, i)->nr;
		m->lo = nr < m->lo ? nr : m->lo;
		m->hi = nr + 1 > m->hi ? nr + 1 : m->hi;
	}
	if (m->lo > m->hi)
		m->lo = m->hi = 0;
	m->bynr = xcalloc(m->hi - m->lo + 1, sizeof(*m->bynr));
	for (size_t i = 0; i < argcap_count(); i++) {
		const struct argcap *c = argcap_at(i);
		const struct sc_syscall *sys = sc_syscall_lookup(arch, c->syscall);
		int idx = sys ? sc_syscall_arg_index(sys, c->arg) : -1;
		struct numcap *nc;
		if (idx < 0)
			continue; /* that ABI's version lacks it (i386 old_mmap) */
		nc = &m->bynr[sys->nr - m->lo];
		if (nc->n < REC_MAX_ARGS) {
			nc->idx[nc->n] = (uint8_t)idx;
			nc->mask[nc->n] = c->keep_mask;
			nc->n++;
		}
	}
	return m;
}

static uint64_t hash_obs(const struct rec_obs *o)
{
	uint64_t h = (uint64_t)(uintptr_t)o->arch * 0x9e3779b97f4a7c15ULL ^ o->nr;
	for (unsigned i = 0; i < o->nargs; i++)
		h = (h ^ o->argv[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static bool obs_equal(const struct rec_obs *a, const struct rec_obs *b)
{
	if (a->arch != b->arch || a->nr != b->nr || a->nargs != b->nargs)
		return false;
	for (unsigned i = 0; i < a->nargs; i++)
		if (a->argi[i] != b->argi[i] || a->argv[i] != b->argv[i])
			return false;
	return true;
}

static void rehash(struct rec_set *s)
{
	free(s->slots);
	s->nslots *= 2;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	for (size_t i = 0; i < s->n; i++) {
		size_t k = hash_obs(&s->v[i]) & (s->nslots - 1);
		while (s->slots[k])
			k = (k + 1) & (s->nslots - 1);
		s->slots[k] = (uint32_t)i + 1;
	}
}

/* Add @o unless an equal one is there; count @calls calls of it either way. */
static int add_obs(struct rec_set *s, const struct rec_obs *o, uint64_t calls)
{
	size_t k = hash_obs(o) & (s->nslots - 1);

	while (s->slots[k]) {
		struct rec_obs *seen = &s->v[s->slots[k] - 1];
		if (obs_equal(seen, o)) {
			seen->count += calls;
			return 0;
		}
		k = (k + 1) & (s->nslots - 1);
	}
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n] = *o;
	s->v[s->n++].count = calls;
	s->slots[k] = (uint32_t)s->n;
	if (2 * s->n > s->nslots)
		rehash(s);
	return 1;
}

int rec_set_add_any(struct rec_set *s, const struct sc_arch *arch, uint32_t nr)
{
	return add_obs(s, &(struct rec_obs){ arch, nr, 0, { 0 }, { 0 }, 0 }, 1);
}

uint64_t rec_set_arg_bits(struct rec_set *s, const struct sc_arch *arch, uint32_t nr, unsigned idx)
{
	const struct capmap *m = capmap_for(s, arch);

	if (m && nr >= m->lo && nr < m->hi) {
		const struct numcap *nc = &m->bynr[nr - m->lo];
		for (unsigned i = 0; i < nc->n; i++)
			if (nc->idx[i] == idx)
				return nc->mask[i] & arg_width_mask(sc_syscall_arg_bits(
							       arch, sc_syscall_by_nr(arch, nr), idx));
	}
	return 0;
}

int rec_set_add_call(struct rec_set *s, const struct sc_arch *arch, uint32_t nr, const uint64_t args[6])
{
	return rec_set_add_calls(s, arch, nr, args, 1);
}

int rec_set_add_calls(struct rec_set *s, const struct sc_arch *arch, uint32_t nr,
		      const uint64_t args[6], uint64_t count)
{
	const struct capmap *m = capmap_for(s, arch);
	struct rec_obs o = { arch, nr, 0, { 0 }, { 0 }, 0 };

	if (m && nr >= m->lo && nr < m->hi) {
		const struct numcap *nc = &m->bynr[nr - m->lo];
		/* The kernel reads int arguments on their low half: so does the recording. */
		const struct sc_syscall *sys = nc->n ? sc_syscall_by_nr(arch, nr) : NULL;
		o.nargs = nc->n;
		for (unsigned i = 0; i < nc->n; i++) {
			unsigned bits = sc_syscall_arg_bits(arch, sys, nc->idx[i]);
			uint64_t w = arg_width_mask(bits);
			o.argi[i] = nc->idx[i];
			o.argv[i] = args[nc->idx[i]] & nc->mask[i] & w;
		}
	}
	return add_obs(s, &o, count);
}
