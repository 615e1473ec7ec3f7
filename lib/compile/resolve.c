/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * resolve.c — policy model → rule set (ir.h): names become numbers, once, here.
 *
 * For every architecture the policy lists, every rule is expanded (groups recursively,
 * with a cycle check), every syscall name looked up in that architecture's table, every
 * argument name turned into an index and its width, every value expression
 * ("O_WRONLY|O_RDWR", "-100", "TCGETS") into a number cut to that width, and the
 * set-valued conditions (any_of, bitmask_any, runc's split args) into alternative rules.
 * Then each syscall's rules are ordered most restrictive first and dead ones dropped.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/ir.h"
#include "compile/name-index.h"
#include "catalog/constants.h"
#include "policy/policy.h"
#include "base/kept.h"
#include "base/suggest.h"

#define MAX_ALTERNATIVES 1024 /* rules one policy rule may expand into on one syscall */
#define MAX_DEPTH 32           /* group nesting */

/* Where a rule being expanded came from, for diagnostics and explain. */
struct origin {
	const struct pol_rule *rule;   /* the policy's rule */
	const char *group;             /* innermost group, or NULL */
	const char *gfile, *gsrc;      /* the group's source, for diagnostics */
	size_t glen;
	/* origin_text's answer, made on first use: one string for all the rules the policy
	 * rule (or the group under it) expands into, on every architecture. */
	const char *text;
};

struct rctx {
	struct sc_policy *p;
	struct ir *ir;
	struct ir_arch *a;
	struct sc_diag *d;
	size_t seq;
	const char *stack[MAX_DEPTH];  /* groups being expanded */
	size_t depth;
	unsigned *seen, gen;           /* per group: the policy rule (gen) it was expanded for */
	/* a->calls is filled in order of appearance and sorted by number once (finish_calls);
	 * meanwhile slot_of[nr - nr_base] is a call's index + 1, 0 for none. */
	uint32_t *slot_of, nr_base;
	/* Per ABI of the rule set: its syscalls by name (name-index.h). */
	const struct name_index **names;
	/* On ABIs with socketcall or ipc: mux_of[nr - nr_base] is the muxed[] entry + 1 of the
	 * call numbered nr, 0 for a call they do not stand for. */
	uint8_t *mux_of;
};

/* The current ABI's syscall called @name, copied into @out, or NULL. */
static const struct sc_syscall *lookup(const struct rctx *c, const char *name,
				       struct catalog_syscall_copy *out)
{
	return name_index_find(c->names[c->a - c->ir->arches], name, out);
}

/* A name this ABI lacks: is it some ABI's? The policy's other ABIs answer most (x86's
 * names in a profile for three ABIs, on x86_64), the catalog the rest. */
static bool known_elsewhere(const struct rctx *c, const char *name)
{
	for (size_t i = 0; i < c->ir->narches; i++)
		if (&c->ir->arches[i] != c->a && name_index_has(c->names[i], name))
			return true;
	return sc_syscall_known(name);
}

/* @sys's entry in this architecture's calls, appended empty when there is none. */
static struct ir_syscall *call_slot(struct rctx *c, const struct sc_syscall *sys)
{
	struct ir_arch *a = c->a;
	uint32_t *at = &c->slot_of[sys->nr - c->nr_base];

	if (*at)
		return &a->calls[*at - 1];
	/* start_calls made room for every syscall of the ABI */
	a->calls[a->ncalls] = (struct ir_syscall){ .nr = sys->nr };
	*at = (uint32_t)++a->ncalls;
	return &a->calls[a->ncalls - 1];
}

static void index_muxed(struct rctx *c, size_t span);

/* The number of @arch's syscall @i in the catalog's order (by number), read from its rows:
 * no public view of the ABI needed for it. */
static uint32_t nr_at(const struct sc_arch *arch, size_t i)
{
	return catalog_tables[catalog_arch_index(arch)].by_nr[i].nr;
}

/* Start filling this architecture's calls (call_slot). */
static void start_calls(struct rctx *c)
{
	size_t n = sc_syscall_count(c->a->arch), span;

	free(c->slot_of);
	free(c->mux_of);
	c->slot_of = NULL;
	c->mux_of = NULL;
	c->nr_base = 0;
	if (n == 0)
		return;
	/* the catalog's table is sorted by number */
	c->nr_base = nr_at(c->a->arch, 0);
	span = nr_at(c->a->arch, n - 1) - c->nr_base + 1;
	c->slot_of = xcalloc(span, sizeof(*c->slot_of));
	/* Room for every syscall of the ABI at once (a call is one slot per number), so that
	 * call_slot never grows it, and a capacity xgrow_n() accepts (ir_syscall_slot may add
	 * more). Not zeroed: a run that names 300 calls touches the pages of 300. */
	c->a->calls = kept_grow_n(NULL, 0, n, sizeof(*c->a->calls));
	if (c->a->arch->flags & (SC_ARCH_SOCKETCALL | SC_ARCH_IPC))
		index_muxed(c, span);
}

/* The calls sorted by number, as ir.h promises (and ir_find, ir_syscall_slot need):
 * slot_of lists them in order already. */
static void finish_calls(struct rctx *c)
{
	struct ir_arch *a = c->a;
	uint32_t *dest, n = 0;
	size_t count = sc_syscall_count(a->arch);

	if (a->ncalls < 2)
		return;
	/* dest[i]: where call i goes; then each cycle of that permutation in place, rather
	 * than a sorted copy beside the array */
	dest = xreallocarray(NULL, a->ncalls, sizeof(*dest));
	for (uint32_t k = 0, span = nr_at(a->arch, count - 1) - c->nr_base; k <= span; k++)
		if (c->slot_of[k])
			dest[c->slot_of[k] - 1] = n++;
	for (uint32_t i = 0; i < n; i++)
		while (dest[i] != i) {
			uint32_t j = dest[i];
			struct ir_syscall t = a->calls[j];
			a->calls[j] = a->calls[i];
			a->calls[i] = t;
			dest[i] = dest[j];
			dest[j] = j;
		}
	free(dest);
}

/* A diagnostic at @loc, in the group file when the rule came from a group. */
static int fail_at(struct rctx *c, const struct origin *o, struct pol_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_at(struct rctx *c, const struct origin *o, struct pol_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o && o->group)
		sc_diag_set(c->d, o->gfile, o->gsrc, o->glen, loc.line, loc.col, loc.span, "%s", msg);
	else
		policy_diag(c->p, c->d, loc, "%s", msg);
	return -EINVAL;
}

static void warn_at(struct rctx *c, const struct origin *o, struct pol_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void warn_at(struct rctx *c, const struct origin *o, struct pol_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	struct sc_diag *w;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One warning per message: the same fault is met once per architecture. */
	for (size_t i = 0; i < c->p->nwarnings; i++)
		if (strcmp(c->p->warnings[i].message, msg) == 0)
			return;
	if (o && o->group) {
		c->p->warnings = xgrow_n(c->p->warnings, c->p->nwarnings, 1, sizeof(struct sc_diag));
		w = &c->p->warnings[c->p->nwarnings++];
		sc_diag_set(w, o->gfile, o->gsrc, o->glen, loc.line, loc.col, loc.span, "%s", msg);
		w->warning = true;
	} else {
		policy_warn(c->p, loc, "%s", msg);
	}
}

/* ---- values ---------------------------------------------------------------------- */

/* Parse one integer token: decimal, 0x, 0o/0, 0b, with an optional minus. */
static bool parse_int(const char *s, size_t n, uint64_t *ret)
{
	char buf[72], *end;
	bool neg = false;
	int base = 10;
	uint64_t v;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	s = buf;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && s[1])
		base = 8;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || end == s)
		return false;
	*ret = neg ? (uint64_t)0 - v : v;
	return true;
}

/* "O_WRONLY|O_RDWR", "0x5401", "-100", "TCGETS" → number. */
static int eval_value(struct rctx *c, const struct origin *o, const struct pol_value *v,
		      const char *sysname, const char *argname, uint64_t *ret)
{
	const char *s;
	uint64_t acc = 0;

	if (!v->text) {
		*ret = v->num;
		return 0;
	}
	/* "~(SOCK_NONBLOCK|SOCK_CLOEXEC)", "~O_CLOEXEC": every bit but these, as masks are
	 * written (the recorder writes them so); the caller keeps the argument's width. */
	if (v->text[0] == '~') {
		struct pol_value inner = *v;
		char text[256];
		size_t n = strlen(v->text + 1);
		int r;
		s = v->text + 1;
		if (n >= 2 && s[0] == '(' && s[n - 1] == ')')
			s++, n -= 2;
		if (n == 0 || n >= sizeof(text) || s[0] == '~')
			return fail_at(c, o, v->loc, "expected '~NAME' or '~(NAME|NAME…)', found '%s'", v->text);
		memcpy(text, s, n);
		text[n] = '\0';
		inner.text = text;
		r = eval_value(c, o, &inner, sysname, argname, ret);
		if (r == 0)
			*ret = ~*ret;
		return r;
	}
	s = v->text;
	for (;;) {
		size_t n;
		uint64_t x;
		while (*s == ' ')
			s++;
		n = strcspn(s, "|");
		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (parse_int(s, n, &x)) {
			acc |= x;
		} else {
			char name[128];
			const struct constants_row *k;
			if (n == 0 || n >= sizeof(name))
				return fail_at(c, o, v->loc, "expected an integer or a constant name, found '%s'",
					       v->text);
			memcpy(name, s, n);
			name[n] = '\0';
			k = constants_find(name);
			if (!k) {
				const char *best[4];
				size_t nb = sc_constant_suggest(name, best, 4);
				fail_at(c, o, v->loc, "unknown constant '%s' in the value of '%s' of '%s'",
					name, argname ? argname : "?", sysname);
				if (nb == 1)
					sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
				else if (nb > 1)
					sc_diag_hint(c->d, "did you mean '%s' or '%s'?", best[0], best[1]);
				else
					sc_diag_hint(c->d, "'seccompose constants --for %s:%s' lists the names that fit",
						     sysname, argname ? argname : "ARG");
				return -EINVAL;
			}
			acc |= k->value;
		}
		s += strcspn(s, "|");
		if (*s != '|')
			break;
		s++;
	}
	*ret = acc;
	return 0;
}

/* ---- conditions → alternatives ---------------------------------------------------- */

struct alts {
	struct ir_rule *r;
	size_t n, cap;
};

static void alts_push(struct alts *a, const struct ir_rule *r)
{
	a->r = xgrow(a->r, &a->cap, a->n + 1, sizeof(*a->r));
	a->r[a->n++] = *r;
}

/* Each alternative in @in, extended with one of the @nchoice comparisons, into @out. */
static int cross(struct rctx *c, const struct origin *o, struct pol_loc loc, struct alts *in,
		 const struct ir_cmp *choice, size_t nchoice)
{
	struct alts out = { 0 };

	if (in->n * nchoice > MAX_ALTERNATIVES) {
		free(in->r);
		in->r = NULL;
		return fail_at(c, o, loc, "condition expands into more than %d rules", MAX_ALTERNATIVES);
	}
	for (size_t i = 0; i < in->n; i++)
		for (size_t k = 0; k < nchoice; k++) {
			struct ir_rule r = in->r[i];
			if (r.ncmp >= IR_MAX_CMP) {
				free(out.r);
				return fail_at(c, o, loc, "more than %d comparisons in one rule", IR_MAX_CMP);
			}
			r.cmp = ir_cmp_copy(c->ir, r.cmp, r.ncmp, &choice[k]);
			r.ncmp++;
			alts_push(&out, &r);
		}
	free(in->r);
	*in = out;
	return 0;
}

/* Does another ABI's @name have the argument (by name, or index when @name_arg is NULL)? */
static bool arg_elsewhere(const char *name, const char *name_arg, int index)
{
	for (size_t i = 0; i < sc_arch_count(); i++) {
		const struct sc_syscall *s = sc_syscall_lookup(sc_arch_at(i), name);
		if (!s)
			continue;
		if (name_arg ? sc_syscall_arg_index(s, name_arg) >= 0 : (unsigned)index < s->nargs)
			return true;
	}
	return false;
}

/* The argument a condition tests: index and width on this architecture. -EAGAIN when this
 * ABI's version of the syscall does not pass it in a register (another ABI's does). */
static int cond_arg(struct rctx *c, const struct origin *o, const struct sc_syscall *sys,
		    const struct pol_cond *pc, unsigned *ret_idx, unsigned *ret_bits)
{
	const struct sc_arch *arch = c->a->arch;
	int idx = pc->index;

	if (pc->arg) {
		idx = sc_syscall_arg_index(sys, pc->arg);
		if (idx < 0 && arg_elsewhere(sys->name, pc->arg, -1))
			return -EAGAIN; /* this ABI's version hides it (i386 old_mmap) */
		if (idx < 0) {
			const char *names[6], *best[2];
			size_t nb;
			for (unsigned i = 0; i < sys->nargs; i++)
				names[i] = sys->args[i].name;
			fail_at(c, o, pc->arg_loc, "'%s' has no argument '%s'", sys->name, pc->arg);
			nb = sc_suggest(pc->arg, names, sys->nargs, best, 2);
			if (nb)
				sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
			else if (sys->nargs == 0)
				sc_diag_hint(c->d, "'%s' takes no arguments", sys->name);
			else {
				char list[256] = "";
				for (unsigned i = 0; i < sys->nargs; i++)
					snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
						 i ? ", " : "", sys->args[i].name);
				sc_diag_hint(c->d, "its arguments are %s", list);
			}
			return -EINVAL;
		}
		/* On a 32-bit ABI a 64-bit parameter takes two registers: later names shift. */
		if (arch->word_bits == 32)
			for (int i = 0; i < idx; i++)
				if (sys->args[i].kind == SC_ARG_U64)
					return fail_at(c, o, pc->arg_loc,
						       "cannot locate argument '%s' of '%s' on %s: '%s' before it "
						       "takes two registers there", pc->arg, sys->name,
						       arch->name, sys->args[i].name);
	} else if (sys->nargs && (unsigned)idx >= sys->nargs && c->p->format != POL_FORMAT_OCI &&
		   arg_elsewhere(sys->name, NULL, idx)) {
		return -EAGAIN;
	} else if (sys->nargs && (unsigned)idx >= sys->nargs && c->p->format != POL_FORMAT_OCI) {
		return fail_at(c, o, pc->arg_loc, "'%s' has %u argument%s; index %d is past them",
			       sys->name, sys->nargs, sys->nargs == 1 ? "" : "s", idx);
	}
	*ret_idx = (unsigned)idx;
	/* OCI profiles mean what libseccomp makes of them: whole registers. Ours compare the
	 * bits the kernel reads (DESIGN.md §3). */
	if (c->p->format == POL_FORMAT_OCI)
		*ret_bits = arch->oci_arg_bits;
	else if ((unsigned)idx >= sys->nargs)
		*ret_bits = arch->word_bits;
	else
		*ret_bits = sc_syscall_arg_bits(arch, sys, (unsigned)idx);
	return 0;
}

/* Does @v fit @bits: as an unsigned number, or as a negative one sign-extended from the
 * top bit ("-100" for an int fd, what a caller's register holds)? */
static bool value_fits(uint64_t v, unsigned bits)
{
	uint64_t w = arg_width_mask(bits);

	return bits >= 64 || v <= w || (v | (w >> 1)) == UINT64_MAX;
}

/* A value wider than what is compared would be cut silently (`fd less_than 0x100000000`
 * on a 32-bit fd became `< 0`, a rule that never matches): an error at the value. For OCI
 * the width is the register libseccomp compares (docs/policy-language.md, "Width"): all 64
 * bits on 64-bit ABIs, so only 32-bit ABIs (x86, x32, arm …) can refuse a value. */
static int check_width(struct rctx *c, const struct origin *o, const struct sc_syscall *sys,
		       const struct pol_cond *pc, unsigned idx, unsigned bits, const struct pol_value *pv,
		       uint64_t v)
{
	const struct sc_arch *arch = c->a->arch;
	char argname[32];

	/* OCI: libseccomp cuts an EQ/NE value to the register (a sign-extended -100 still
	 * means AT_FDCWD), but its range tests on a 32-bit ABI go wrong with high bits (even a
	 * sign-extended -1 makes LE answer otherwise than the cut value would). */
	bool range = pc->op >= POL_LT && pc->op <= POL_GE;
	if (c->p->format == POL_FORMAT_OCI && range ? v <= arg_width_mask(bits) : value_fits(v, bits))
		return 0;
	if (pc->arg)
		snprintf(argname, sizeof(argname), "'%s'", pc->arg);
	else if (idx < sys->nargs)
		snprintf(argname, sizeof(argname), "'%s' (index %u)", sys->args[idx].name, idx);
	else
		snprintf(argname, sizeof(argname), "index %u", idx);
	if (c->p->format == POL_FORMAT_OCI) {
		fail_at(c, o, pv->loc, "value %#" PRIx64 " is wider than the %u-bit argument registers of "
			"%s: libseccomp would compare %s of '%s' with its low %u bits (%#" PRIx64 ")", v,
			bits, arch->scmp_name, argname, sys->name, bits, v & arg_width_mask(bits));
		sc_diag_hint(c->d, "give a value below %#" PRIx64 ", or drop %s from 'architectures'",
			     arg_width_mask(bits) + 1, arch->scmp_name);
		return -EINVAL;
	}
	fail_at(c, o, pv->loc, "value %#" PRIx64 " is wider than the %u-bit argument %s of '%s' on %s: "
		"it would be cut to %#" PRIx64, v, bits, argname, sys->name, arch->name,
		v & arg_width_mask(bits));
	sc_diag_hint(c->d, "the kernel reads only the low %u bits of %s; give a value below %#" PRIx64
		     " (or a negative %u-bit one)", bits, argname, arg_width_mask(bits) + 1, bits);
	return -EINVAL;
}

static int lower_cond(struct rctx *c, const struct origin *o, const struct sc_syscall *sys,
		      const struct pol_cond *pc, struct alts *alts)
{
	struct ir_cmp one = { 0 }, *many;
	unsigned idx = 0, bits = 64;
	uint64_t v = 0, m = 0, w;
	size_t n = 0;
	int r;

	r = cond_arg(c, o, sys, pc, &idx, &bits);
	if (r < 0)
		return r;
	w = arg_width_mask(bits);
	one.arg = (uint8_t)idx;
	one.bits = (uint8_t)bits;
	if (pc->op != POL_ANY_OF) {
		r = eval_value(c, o, &pc->value, sys->name, pc->arg, &v);
		/* Bits of a mask above the argument's width test bits the kernel never passes:
		 * cutting them keeps the meaning (masked_equals' mask, bitmask_none, bitmask_any,
		 * flags_subset; OCI's MASKED_EQ, whose datum counts only inside the mask). A
		 * value compared whole would change meaning: refused. */
		bool whole = pc->op <= POL_GE || pc->op == POL_BITS_ALL ||
			     (pc->op == POL_MASKED_EQ && c->p->format != POL_FORMAT_OCI);
		if (r == 0 && whole)
			r = check_width(c, o, sys, pc, idx, bits, &pc->value, v);
		if (r < 0)
			return r;
	}
	switch (pc->op) {
	case POL_EQ:
	case POL_NE:
	case POL_LT:
	case POL_LE:
	case POL_GT:
	case POL_GE:
		one.op = (uint8_t)ir_op_from_pol(pc->op);
		one.value = v & w;
		return cross(c, o, pc->loc, alts, &one, 1);
	case POL_MASKED_EQ:
		r = eval_value(c, o, &pc->mask, sys->name, pc->arg, &m);
		if (r < 0)
			return r;
		one.op = IR_MASKED_EQ;
		one.mask = m & w;
		one.value = v & w;
		if (c->p->format == POL_FORMAT_OCI) {
			/* libseccomp compares (arg & mask) == (datum & mask): datum bits outside the
			 * mask do not make the test impossible. A mask of 0 drops the test (always
			 * true), so a rule with no other test is unconditional there, and takes part
			 * in "the first unconditional rule decides" (finish_arch). */
			one.value &= one.mask;
			if (one.mask == 0)
				return 0;
		}
		return cross(c, o, pc->loc, alts, &one, 1);
	case POL_BITS_ALL:
		one.op = IR_MASKED_EQ;
		one.mask = one.value = v & w;
		return cross(c, o, pc->loc, alts, &one, 1);
	case POL_BITS_NONE:
		one.op = IR_MASKED_EQ;
		one.mask = v & w;
		one.value = 0;
		return cross(c, o, pc->loc, alts, &one, 1);
	case POL_FLAGS_SUBSET:
		one.op = IR_MASKED_EQ;
		one.mask = ~v & w;
		one.value = 0;
		return cross(c, o, pc->loc, alts, &one, 1);
	case POL_BITS_ANY:
		many = xcalloc(64, sizeof(*many));
		for (unsigned b = 0; b < 64; b++)
			if ((v & w) & (UINT64_C(1) << b)) {
				many[n] = one;
				many[n].op = IR_MASKED_EQ;
				many[n].mask = many[n].value = UINT64_C(1) << b;
				n++;
			}
		if (n == 0) { /* no bit to test: never true */
			free(many);
			free(alts->r);
			alts->r = NULL;
			alts->n = 0;
			return 0;
		}
		r = cross(c, o, pc->loc, alts, many, n);
		free(many);
		return r;
	case POL_ANY_OF:
		many = xcalloc(pc->nvalues, sizeof(*many));
		for (size_t i = 0; i < pc->nvalues; i++) {
			r = eval_value(c, o, &pc->values[i], sys->name, pc->arg, &v);
			if (r == 0)
				r = check_width(c, o, sys, pc, idx, bits, &pc->values[i], v);
			if (r < 0) {
				free(many);
				return r;
			}
			many[i] = one;
			many[i].op = IR_EQ;
			many[i].value = v & w;
		}
		r = cross(c, o, pc->loc, alts, many, pc->nvalues);
		free(many);
		return r;
	case POL_OP_COUNT:
		break;
	}
	return fail_at(c, o, pc->loc, "condition type not supported here");
}

/* ---- rules → per-syscall lists ---------------------------------------------------- */

static void add_rules(struct rctx *c, struct ir_syscall *slot, struct alts *alts)
{
	slot->rules = kept_grow_n(slot->rules, slot->nrules, alts->n, sizeof(*slot->rules));
	for (size_t i = 0; i < alts->n; i++) {
		/* A copy of the rule just added (a policy repeating itself) would be dropped by
		 * finish_arch anyway; not keeping it spares memory on a large policy. */
		if (slot->nrules && ir_rule_equal(&slot->rules[slot->nrules - 1], &alts->r[i]))
			continue;
		alts->r[i].seq = c->seq++;
		slot->rules[slot->nrules++] = alts->r[i];
	}
}

/* @s at @at in @buf (@len bytes, the last kept for the NUL), cut short if it is full. */
static size_t put_str(char *buf, size_t len, size_t at, const char *s)
{
	while (*s && at + 1 < len)
		buf[at++] = *s++;
	return at;
}

/* "FILE:LINE (ORIGIN)" or "FILE:LINE (ORIGIN, group G)", once per rule a policy rule expands
 * to: built by hand, since snprintf's format machinery was a tenth of a whole compile. */
static const char *origin_text(struct rctx *c, struct origin *o)
{
	char buf[512], digits[12];
	size_t at, nd = 0;
	unsigned line = o->rule->loc.line;

	if (o->text)
		return o->text;
	do
		digits[nd++] = (char)('0' + line % 10);
	while ((line /= 10) != 0);
	at = put_str(buf, sizeof(buf), 0, c->p->file);
	at = put_str(buf, sizeof(buf), at, ":");
	while (nd > 0 && at + 1 < sizeof(buf))
		buf[at++] = digits[--nd];
	at = put_str(buf, sizeof(buf), at, " (");
	at = put_str(buf, sizeof(buf), at, o->rule->origin ? o->rule->origin : "rule");
	if (o->group) {
		at = put_str(buf, sizeof(buf), at, ", group ");
		at = put_str(buf, sizeof(buf), at, o->group);
	}
	at = put_str(buf, sizeof(buf), at, ")");
	buf[at] = '\0';
	return o->text = ir_string(c->ir, buf);
}

/* Which policy rule @o expands, as ir_rule.rule records it (groups included: their rules
 * come from the policy rule that named the group). */
static uint32_t rule_index(const struct rctx *c, const struct origin *o)
{
	return (uint32_t)(o->rule - c->p->rules) + 1;
}

/* The socketcall/ipc call numbers that stand for a direct call (linux/net.h, linux/ipc.h),
 * sorted by name: every rule's every name is looked up here on the ABIs that have them. */
static const struct ir_muxed muxed[] = {
	{ "accept", "socketcall", 5 },        { "accept4", "socketcall", 18 },
	{ "bind", "socketcall", 2 },          { "connect", "socketcall", 3 },
	{ "getpeername", "socketcall", 7 },   { "getsockname", "socketcall", 6 },
	{ "getsockopt", "socketcall", 15 },   { "listen", "socketcall", 4 },
	{ "msgctl", "ipc", 14 },              { "msgget", "ipc", 13 },
	{ "msgrcv", "ipc", 12 },              { "msgsnd", "ipc", 11 },
	{ "recv", "socketcall", 10 },         { "recvfrom", "socketcall", 12 },
	{ "recvmmsg", "socketcall", 19 },     { "recvmsg", "socketcall", 17 },
	{ "semctl", "ipc", 3 },               { "semget", "ipc", 2 },
	{ "semop", "ipc", 1 },                { "semtimedop", "ipc", 4 },
	{ "send", "socketcall", 9 },          { "sendmmsg", "socketcall", 20 },
	{ "sendmsg", "socketcall", 16 },      { "sendto", "socketcall", 11 },
	{ "setsockopt", "socketcall", 14 },   { "shmat", "ipc", 21 },
	{ "shmctl", "ipc", 24 },              { "shmdt", "ipc", 22 },
	{ "shmget", "ipc", 23 },              { "shutdown", "socketcall", 13 },
	{ "socket", "socketcall", 1 },        { "socketpair", "socketcall", 8 },
};

const struct ir_muxed *ir_muxed_table(size_t *ret_n)
{
	*ret_n = sizeof(muxed) / sizeof(muxed[0]);
	return muxed;
}

/* This ABI's calls that socketcall or ipc stand for, by number (mux_of): add_muxed asks
 * for every name a rule names. */
static void index_muxed(struct rctx *c, size_t span)
{
	_Static_assert(sizeof(muxed) / sizeof(muxed[0]) < UINT8_MAX, "mux_of holds an index + 1");
	c->mux_of = xcalloc(span, sizeof(*c->mux_of));
	for (size_t i = 0; i < sizeof(muxed) / sizeof(muxed[0]); i++) {
		struct catalog_syscall_copy copy;
		const struct sc_syscall *s = lookup(c, muxed[i].name, &copy);
		if (s)
			c->mux_of[s->nr - c->nr_base] = (uint8_t)(i + 1);
	}
}

/* On ABIs with socketcall/ipc, a rule on a call they hide also applies to the multiplexer:
 * exactly (call number in arg 0) when the rule has no conditions; otherwise the policy's
 * `multiplexed` choice decides, and a warning says so. */
static void add_muxed(struct rctx *c, struct origin *o, const struct sc_syscall *sys,
		      const struct pol_rule *pr, const struct alts *alts, struct pol_loc loc)
{
	const char *name = sys->name;
	size_t i = c->mux_of ? c->mux_of[sys->nr - c->nr_base] : 0;
	const struct sc_syscall *mux;
	struct catalog_syscall_copy copy;
	struct ir_rule r = { 0 };
	struct alts one = { 0 };
	bool conditional = pr->nconds > 0 && alts->n > 0 && alts->r[0].ncmp > 0;

	if (i-- == 0)
		return; /* not a call socketcall or ipc stands for */
	mux = lookup(c, muxed[i].mux, &copy);
	if (!mux)
		return;
	r.action = pr->action;
	r.origin = origin_text(c, o);
	r.rule = rule_index(c, o);
	if (conditional && pr->action.type >= c->ir->def.type) {
		/* An allowing rule whose conditions socketcall hides. */
		if (c->p->mux == POL_MUX_DENY) {
			warn_at(c, o, loc, "'%s' on %s can also be called through '%s', which hides its "
				"arguments: that route is denied", name, c->a->arch->name, muxed[i].mux);
			return;
		}
		warn_at(c, o, loc, "'%s' on %s can also be called through '%s', which hides its "
			"arguments: that route is allowed unchecked", name, c->a->arch->name, muxed[i].mux);
	} else if (conditional) {
		/* A denying rule: deny the whole route, the safe side. */
		warn_at(c, o, loc, "'%s' on %s can also be called through '%s', which hides its "
			"arguments: that route is denied whatever the arguments", name, c->a->arch->name,
			muxed[i].mux);
	}
	r.cmp = ir_cmp_copy(c->ir, &(struct ir_cmp){ .arg = 0, .bits = 32, .op = IR_EQ,
						      .value = muxed[i].call },
			    1, NULL);
	r.ncmp = 1;
	alts_push(&one, &r);
	add_rules(c, call_slot(c, mux), &one);
	free(one.r);
}

static int add_syscall_rule(struct rctx *c, struct origin *o, const char *name,
			    struct pol_loc loc, const struct pol_rule *pr)
{
	struct catalog_syscall_copy copy;
	const struct sc_syscall *sys = lookup(c, name, &copy);
	struct alts alts = { 0 };
	struct ir_rule base = { 0 };
	int r = 0;

	if (!sys) {
		const char *best[4];
		size_t nb;
		if (known_elsewhere(c, name))
			return 0; /* another ABI's syscall: it drops out here */
		if (o->group || c->p->allow_unknown || c->p->format == POL_FORMAT_OCI) {
			warn_at(c, o, loc, o->group ? "unknown syscall '%s' in group '%s', skipping"
						  : "unknown syscall '%s', skipping%s",
				name, o->group ? o->group : "");
			return 0;
		}
		fail_at(c, o, loc, "unknown syscall '%s'", name);
		nb = sc_syscall_suggest(c->a->arch, name, best, 4);
		if (nb == 0)
			nb = sc_syscall_suggest(NULL, name, best, 4);
		if (nb == 1)
			sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
		else if (nb > 1)
			sc_diag_hint(c->d, "did you mean '%s' or '%s'?", best[0], best[1]);
		return -EINVAL;
	}
	base.action = pr->action;
	base.origin = origin_text(c, o);
	base.rule = rule_index(c, o);
	if (pr->nconds == 0 && !pr->split_conds) {
		/* Most rules: one alternative, the rule itself (no allocation; add_rules copies). */
		alts = (struct alts){ &base, 1, 1 };
		if (c->a->arch->flags & (SC_ARCH_SOCKETCALL | SC_ARCH_IPC))
			add_muxed(c, o, sys, pr, &alts, loc);
		add_rules(c, call_slot(c, sys), &alts);
		return 0;
	}
	alts_push(&alts, &base);
	if (pr->split_conds) {
		/* runc: with two args on one index, each arg becomes a rule of its own (an OR). */
		struct alts all = { 0 };
		for (size_t i = 0; i < pr->nconds && r == 0; i++) {
			struct alts one = { 0 };
			alts_push(&one, &base);
			r = lower_cond(c, o, sys, &pr->conds[i], &one);
			for (size_t k = 0; k < one.n; k++)
				alts_push(&all, &one.r[k]);
			free(one.r);
		}
		free(alts.r);
		alts = all;
	} else {
		for (size_t i = 0; i < pr->nconds && r == 0; i++)
			r = lower_cond(c, o, sys, &pr->conds[i], &alts);
	}
	if (r == -EAGAIN) {
		/* The arguments are in memory on this ABI: a rule that gives more than the default
		 * cannot apply (or applies unchecked, by the policy's `multiplexed` choice); one
		 * that gives less applies whatever the arguments. */
		bool gives_more = pr->action.type > c->ir->def.type;
		free(alts.r);
		alts = (struct alts){ 0 };
		r = 0;
		if (gives_more && c->p->mux == POL_MUX_DENY) {
			warn_at(c, o, loc, "'%s' on %s takes its arguments in memory, where conditions "
				"cannot be checked: the rule does not apply there", name, c->a->arch->name);
			return 0;
		}
		warn_at(c, o, loc, "'%s' on %s takes its arguments in memory, where conditions cannot "
			"be checked: the rule applies whatever the arguments", name, c->a->arch->name);
		alts_push(&alts, &base);
	}
	if (r == 0) {
		if (c->a->arch->flags & (SC_ARCH_SOCKETCALL | SC_ARCH_IPC))
			add_muxed(c, o, sys, pr, &alts, loc);
		add_rules(c, call_slot(c, sys), &alts);
	}
	free(alts.r);
	return r;
}

static int expand_group(struct rctx *c, const struct pol_rule *pr, const char *gname,
			struct pol_loc loc, const struct origin *outer);

/* Apply policy rule @pr (or, inside a group, a group's rule @gr) on this architecture. */
static int expand_rule(struct rctx *c, const struct pol_rule *pr, struct origin *o)
{
	for (size_t i = 0; i < pr->nnames; i++) {
		int r = pr->is_group ? expand_group(c, pr, pr->names[i].name, pr->names[i].loc, o)
				     : add_syscall_rule(c, o, pr->names[i].name, pr->names[i].loc, pr);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The errors of expand_group, out of line: their buffers (8 KB of names) would otherwise sit
 * in every level of a group's recursion, and a run touches each stack page it reaches. */
static __attribute__((noinline, cold)) int unknown_group(struct rctx *c, const char *gname,
							  struct pol_loc loc, const struct origin *outer)
{
	const char *names[1024], *best[4];
	size_t n = 0, nb;

	for (size_t i = 0; c->p->groups && i < c->p->groups->ngroups && n < 1024; i++)
		names[n++] = c->p->groups->groups[i].name;
	fail_at(c, outer, loc, "unknown group '%s'", gname);
	nb = sc_suggest(gname, names, n, best, 4);
	if (nb == 1)
		sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
	else if (nb > 1)
		sc_diag_hint(c->d, "did you mean '%s' or '%s'?", best[0], best[1]);
	else
		sc_diag_hint(c->d, "'seccompose groups' lists the groups");
	return -EINVAL;
}

/* @gname is c->stack[@from] again: the chain from there on is a cycle. */
static __attribute__((noinline, cold)) int group_cycle(struct rctx *c, size_t from, const char *gname,
							struct pol_loc loc, const struct origin *outer)
{
	char chain[512] = "";

	for (size_t k = from; k < c->depth; k++)
		snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain), "%s → ", c->stack[k]);
	return fail_at(c, outer, loc, "groups refer to each other in a cycle: %s%s", chain, gname);
}

static int expand_group(struct rctx *c, const struct pol_rule *pr, const char *gname,
			struct pol_loc loc, const struct origin *outer)
{
	const struct pol_group *g = groups_lookup(c->p->groups, gname);
	struct group_rule_scratch scratch = { 0 };
	int r = 0;

	if (!g)
		return unknown_group(c, gname, loc, outer);
	for (size_t i = 0; i < c->depth; i++)
		if (strcmp(c->stack[i], gname) == 0)
			return group_cycle(c, i, gname, loc, outer);
	if (c->depth == MAX_DEPTH)
		return fail_at(c, outer, loc, "groups nest deeper than %d", MAX_DEPTH);
	/* A group reached again under the same policy rule adds the same rules again: once is
	 * enough, and a DAG of groups sharing subgroups stays linear instead of exponential. */
	if (c->seen[g - c->p->groups->groups] == c->gen)
		return 0;
	c->seen[g - c->p->groups->groups] = c->gen;
	c->stack[c->depth++] = gname;
	struct origin o = { pr, g->name, g->file, NULL, 0, NULL };
	for (size_t f = 0; f < c->p->groups->nfiles; f++)
		if (strcmp(c->p->groups->files[f], g->file) == 0) {
			o.gsrc = c->p->groups->srcs[f];
			o.glen = c->p->groups->srclens[f];
		}
	for (size_t i = 0; i < g->nrules && r == 0; i++) {
		/* A group's rule with the referring policy rule's action. */
		struct pol_rule gr = *group_rule(g, i, &scratch);
		gr.action = pr->action;
		gr.origin = pr->origin;
		gr.loc = pr->loc;
		r = expand_rule(c, &gr, &o);
	}
	group_rule_release(&scratch);
	c->depth--;
	return r;
}

/* ---- ordering --------------------------------------------------------------------- */

static int by_restrictiveness(const void *a, const void *b)
{
	const struct ir_rule *x = a, *y = b;

	if (x->action.type != y->action.type)
		return (int)x->action.type - (int)y->action.type;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

#define CMP3(x, y) ((x) < (y) ? -1 : (x) > (y))

/* Equal rules together (ir_rule_equal's fields), each run in order of appearance. */
static int by_content(const void *a, const void *b)
{
	const struct ir_rule *x = a, *y = b;
	int r = CMP3(x->action.type, y->action.type);

	r = r ? r : CMP3(x->action.data, y->action.data);
	r = r ? r : CMP3(x->ncmp, y->ncmp);
	for (unsigned k = 0; r == 0 && k < x->ncmp; k++) {
		const struct ir_cmp *p = &x->cmp[k], *q = &y->cmp[k];
		r = CMP3(p->arg, q->arg);
		r = r ? r : CMP3(p->bits, q->bits);
		r = r ? r : CMP3(p->op, q->op);
		r = r ? r : CMP3(p->mask, q->mask);
		r = r ? r : CMP3(p->value, q->value);
	}
	return r ? r : CMP3(x->seq, y->seq);
}

static int by_content_ref(const void *a, const void *b)
{
	return by_content(*(const struct ir_rule *const *)a, *(const struct ir_rule *const *)b);
}

static int by_restrictiveness_ref(const void *a, const void *b)
{
	return by_restrictiveness(*(const struct ir_rule *const *)a, *(const struct ir_rule *const *)b);
}

/* The same rule twice (two groups naming one call) decides nothing new: sorted by content,
 * copies are neighbours and the first written stays (a pairwise scan was quadratic: seconds
 * for a rule with 256 values repeated). What stays is ordered most restrictive first. The
 * sorts move pointers and the rules move in place: a rule is ~420 bytes, a sort would move
 * each n log n times, and a fresh array costs page faults that dominate large rule lists. */
static void drop_copies_and_order(struct ir_syscall *s)
{
	size_t n = s->nrules, kept = 0;
	const struct ir_rule **ref;
	size_t *from;
	bool *keep;

	if (n < 2)
		return;
	ref = xreallocarray(NULL, n, sizeof(*ref));
	from = xreallocarray(NULL, n, sizeof(*from));
	keep = xcalloc(n, sizeof(*keep));
	for (size_t k = 0; k < n; k++)
		ref[k] = &s->rules[k];
	qsort(ref, n, sizeof(*ref), by_content_ref);
	for (size_t k = 0; k < n; k++)
		if (k == 0 || !ir_rule_equal(ref[k - 1], ref[k]))
			keep[ref[k] - s->rules] = true;
	for (size_t k = 0; k < n; k++)
		if (keep[k]) {
			if (kept != k)
				s->rules[kept] = s->rules[k];
			kept++;
		}
	for (size_t k = 0; k < kept; k++)
		ref[k] = &s->rules[k];
	qsort(ref, kept, sizeof(*ref), by_restrictiveness_ref);
	/* Position k takes the rule at from[k]: follow each cycle with one rule held aside. */
	for (size_t k = 0; k < kept; k++) {
		from[k] = (size_t)(ref[k] - s->rules);
		keep[k] = false; /* now: placed */
	}
	for (size_t k = 0; k < kept; k++) {
		struct ir_rule held;
		size_t at = k;
		if (keep[k] || from[k] == k)
			continue;
		held = s->rules[k];
		for (;;) {
			size_t src = from[at];
			keep[at] = true;
			if (src == k) {
				s->rules[at] = held;
				break;
			}
			s->rules[at] = s->rules[src];
			at = src;
		}
	}
	free(keep);
	free(from);
	free(ref);
	s->nrules = kept;
}

/* Order rules most restrictive first, drop what can never decide, drop empty syscalls. */
static void finish_arch(struct ir *ir, struct ir_arch *a, bool drop_default_rules)
{
	size_t out = 0;

	for (size_t i = 0; i < a->ncalls; i++) {
		struct ir_syscall *s = &a->calls[i];
		size_t n = 0;

		if (s->nrules == 1) {
			/* Most syscalls: nothing to order; a lone rule giving the default goes (both
			 * the runc rule and the trailing-default one below say so). */
			if (ir_action_equal(s->rules[0].action, ir->def)) {
				free(s->rules);
				continue;
			}
			a->calls[out++] = *s;
			continue;
		}
		if (drop_default_rules) { /* runc: libseccomp refuses rules with the default action */
			struct ir_rule *first_bare = NULL;
			for (size_t k = 0; k < s->nrules; k++)
				if (!ir_action_equal(s->rules[k].action, ir->def))
					s->rules[n++] = s->rules[k];
			s->nrules = n;
			/* libseccomp (db.c): a rule without conditions replaces the syscall's
			 * conditional rules, and once there is one, later rules for the syscall are
			 * dropped. So the first such rule added decides alone (containers-common's
			 * setns: allowed by its first rule, the later EPERM one is ignored). */
			for (size_t k = 0; k < s->nrules; k++)
				if (s->rules[k].ncmp == 0 && (!first_bare || s->rules[k].seq < first_bare->seq))
					first_bare = &s->rules[k];
			if (first_bare) {
				s->rules[0] = *first_bare;
				s->nrules = 1;
			}
		}
		drop_copies_and_order(s);
		/* Beside an unconditional rule, conditional ones with its action add nothing. */
		n = 0;
		{
			/* The unconditional rules are few (one per action, copies are gone). */
			struct sc_action *bare = xcalloc(s->nrules, sizeof(*bare));
			size_t nbare = 0;
			for (size_t k = 0; k < s->nrules; k++)
				if (s->rules[k].ncmp == 0)
					bare[nbare++] = s->rules[k].action;
			for (size_t k = 0; k < s->nrules; k++) {
				bool subsumed = false;
				for (size_t j = 0; j < nbare && !subsumed && s->rules[k].ncmp; j++)
					subsumed = ir_action_equal(bare[j], s->rules[k].action);
				if (!subsumed)
					s->rules[n++] = s->rules[k];
			}
			free(bare);
		}
		s->nrules = n;
		/* After an unconditional rule nothing is reached. */
		for (n = 0; n < s->nrules; n++)
			if (s->rules[n].ncmp == 0) {
				n++;
				break;
			}
		/* Trailing rules that give the default change nothing. */
		while (n > 0 && ir_action_equal(s->rules[n - 1].action, ir->def))
			n--;
		s->nrules = n;
		if (n == 0) {
			free(s->rules);
			continue;
		}
		a->calls[out++] = *s;
	}
	a->ncalls = out;
}

/* runc's answer to a kernel newer than the policy: syscalls it does not know fail with
 * ENOSYS, so C libraries fall back (clone3 → clone, faccessat2 → faccessat) instead of
 * failing on the default EPERM. Only syscalls no rule names; only when it is not allowed. */
static void add_enosys(const struct sc_policy *p, struct ir *ir, struct ir_arch *a)
{
	size_t n = sc_syscall_count(a->arch);
	/* the catalog's table is sorted by number: its last is the highest */
	uint32_t max = n ? nr_at(a->arch, n - 1) : 0;

	if (ir->def.type > SC_ACT_ERRNO)
		return; /* the default lets calls through: nothing to fall back from */
	for (size_t i = 0; p->enosys_after && i < n; i++) {
		const struct catalog_syscall *s = &catalog_tables[catalog_arch_index(a->arch)].by_nr[i];
		struct ir_syscall *slot;
		if (s->since <= p->enosys_after || ir_find(a, s->nr))
			continue;
		slot = ir_syscall_slot(a, s->nr);
		slot->rules = xreallocarray(slot->rules, 1, sizeof(*slot->rules));
		slot->rules[0] = (struct ir_rule){ .action = ir->enosys, .origin = "enosys_after" };
		slot->nrules = 1;
	}
	if (p->enosys_unknown || p->enosys_after)
		a->enosys_above = max;
}

/* ---- entry ------------------------------------------------------------------------ */

int resolve_policy(struct sc_policy *p, struct ir **ret, struct sc_diag *reterr)
{
	struct ir *ir = xcalloc(1, sizeof(*ir));
	struct rctx c = { .p = p, .ir = ir, .d = reterr };
	const struct sc_arch *native = sc_arch_native();
	struct origin *origins; /* one per policy rule, shared by the architectures */
	int r = 0;

	c.seen = xcalloc(p->groups ? p->groups->ngroups : 0, sizeof(*c.seen));
	origins = kept_calloc(p->nrules, sizeof(*origins));
	for (size_t k = 0; k < p->nrules; k++)
		origins[k].rule = &p->rules[k];

	ir->def = p->def;
	ir->flags = p->flags;
	ir->restrict_ptrace = p->restrict_ptrace;
	if (p->weights) {
		ir->weights = xreallocarray(NULL, p->weights_len + 1, 1);
		memcpy(ir->weights, p->weights, p->weights_len);
		ir->weights_len = p->weights_len;
	}
	ir->enosys = (struct sc_action){ SC_ACT_ERRNO, ENOSYS };
	/* Calls from an ABI the policy does not list: the default when it denies, else a kill —
	 * an unlisted ABI never gets more than a listed one. */
	if (p->bad_arch_set)
		ir->bad_arch = p->bad_arch;
	else if (p->def.type <= SC_ACT_ERRNO)
		ir->bad_arch = p->def;
	else
		ir->bad_arch = (struct sc_action){ SC_ACT_KILL_PROCESS, 0 };

	if (p->narches == 0) { /* runc: no architectures means the native one */
		if (!native) {
			sc_diag_set(reterr, p->file, NULL, 0, 0, 0, 0,
				    "the policy lists no architectures and this machine's is unknown");
			free(c.seen);
			kept_put(origins);
			free(ir);
			return -EINVAL;
		}
		ir->arches = xcalloc(1, sizeof(*ir->arches));
		ir->arches[0].arch = native;
		ir->narches = 1;
	} else {
		ir->arches = xcalloc(p->narches, sizeof(*ir->arches));
		for (size_t i = 0; i < p->narches; i++) {
			bool dup = false;
			for (size_t k = 0; k < ir->narches; k++)
				dup |= ir->arches[k].arch == p->arches[i];
			if (!dup)
				ir->arches[ir->narches++].arch = p->arches[i];
		}
	}
	c.names = xcalloc(ir->narches, sizeof(*c.names));
	for (size_t i = 0; i < ir->narches; i++)
		c.names[i] = name_index_of(ir->arches[i].arch);
	for (size_t i = 0; i < ir->narches && r == 0; i++) {
		c.a = &ir->arches[i];
		start_calls(&c);
		for (size_t k = 0; k < p->nrules && r == 0; k++) {
			c.gen++;
			r = expand_rule(&c, &p->rules[k], &origins[k]);
		}
		finish_calls(&c);
		if (r == 0)
			add_enosys(p, ir, c.a);
		if (r == 0)
			finish_arch(ir, c.a, p->drop_default_rules);
	}
	free(c.names);
	free(c.seen);
	free(c.slot_of);
	free(c.mux_of);
	kept_put(origins);
	if (r < 0) {
		ir_free(ir);
		return r;
	}
	*ret = ir;
	return 0;
}
