/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export-oci.c — the rule set as an OCI runtime-spec `linux.seccomp` object that runc and
 * crun read with our meaning (docs/policy-language.md, "Exporting to OCI").
 *
 * What OCI cannot say directly, and what is done about it:
 *  - rule order: runc hands rules to libseccomp, which does not keep ours (most
 *    restrictive first). Rules are made disjoint instead: each rule gets the negation of
 *    every earlier rule with another action, so any order gives the same answer. The
 *    negation of a conjunction is a disjunction, so a rule becomes several.
 *  - rules with the default action: runc drops them; their negations in later rules keep
 *    their effect.
 *  - several tests of one argument: runc turns them into separate rules (an OR). Masked
 *    tests of one argument merge into one mask; order tests (==, !=, <, …) become the set
 *    of values they admit, a union of intervals, each stated as one test: a point, a
 *    one-sided bound, or aligned power-of-two blocks as masked tests.
 *  - 32-bit arguments: runc compares whole registers, so an equality becomes
 *    SCMP_CMP_MASKED_EQ with mask 0xffffffff and a range becomes masked blocks — exact,
 *    whatever the high bits.
 * What still cannot be said (a mask and an order test on one argument) fails, naming the
 * syscall.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/action.h"
#include "base/alloc.h"
#include "policy/cond-types.h"
#include "export/export.h"
#include "catalog/flags.h"

#define MAX_OCI_CMP 6    /* one per argument */
#define MAX_ALT_CMP 64   /* comparisons in one alternative while lowering */
#define MAX_OCI_RULES 4096
#define MAX_SYSCALL_RULES 128 /* libseccomp's tree building grows fast beyond */

struct oci_cmp {
	unsigned index;
	const char *op;
	uint64_t value, value_two;
};

struct oci_rule {
	struct sc_action action;
	struct oci_cmp cmp[MAX_OCI_CMP];
	unsigned ncmp;
};

/* A conjunction of comparisons: one alternative of a rule in disjunctive form. */
struct alt {
	struct ir_cmp c[MAX_ALT_CMP];
	unsigned n;
};

struct alts {
	struct alt *v;
	size_t n, cap;
};

/* OCI's name of a comparison. */
static const char *oci_op(enum ir_op op)
{
	return pol_op_oci_name(ir_op_to_pol(op));
}

struct xctx {
	const struct ir *ir;
	const struct ir_syscall *s;
	struct sc_diag *d;
	const struct sc_arch *arch; /* whose rules these are */
	unsigned word_bits;  /* register width runc compares there */
};

/* The syscall whose rules @x converts (NULL: a number the catalog does not name). */
static const struct sc_syscall *xsys(const struct xctx *x)
{
	return sc_syscall_by_nr(x->arch, x->s->nr);
}

/* Its name, for messages. */
static const char *xname(const struct xctx *x)
{
	return xsys(x) ? xsys(x)->name : "?";
}

static void alts_push(struct alts *a, const struct alt *x)
{
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = *x;
}

/* The negation of one comparison, as alternatives of one comparison each:
 * an order test flips; a masked test is false when any one of its bits differs. */
static size_t negate(const struct ir_cmp *c, struct ir_cmp *ret)
{
	static const uint8_t neg[] = { [IR_EQ] = IR_NE, [IR_NE] = IR_EQ, [IR_LT] = IR_GE,
				       [IR_LE] = IR_GT, [IR_GT] = IR_LE, [IR_GE] = IR_LT };
	size_t n = 0;

	if (c->op != IR_MASKED_EQ) {
		ret[0] = *c;
		ret[0].op = neg[c->op];
		return 1;
	}
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = UINT64_C(1) << b;
		if (!(c->mask & bit))
			continue;
		ret[n] = *c;
		ret[n].mask = bit;
		ret[n].value = (c->value & bit) ^ bit;
		n++;
	}
	if (c->value & ~c->mask) { /* never true: its negation always is */
		ret[0] = *c;
		ret[0].mask = 0;
		ret[0].value = 0;
		return 1;
	}
	return n;
}

/* The set of values a conjunction of order tests on one argument admits, as sorted,
 * disjoint intervals within [0, w]. */
struct ivl {
	uint64_t lo, hi;
};

static size_t intervals_of(const struct ir_cmp *const *c, size_t n, uint64_t w, struct ivl *out,
			   size_t max)
{
	size_t k = 1;

	out[0] = (struct ivl){ 0, w };
	for (size_t i = 0; i < n; i++) {
		uint64_t v = c[i]->value;
		size_t m = 0;
		struct ivl tmp[130];
		for (size_t j = 0; j < k; j++) {
			struct ivl a = out[j];
			switch ((enum ir_op)c[i]->op) {
			case IR_EQ: if (v >= a.lo && v <= a.hi) tmp[m++] = (struct ivl){ v, v }; break;
			case IR_NE:
				if (v < a.lo || v > a.hi) { tmp[m++] = a; break; }
				if (v > a.lo) tmp[m++] = (struct ivl){ a.lo, v - 1 };
				if (v < a.hi) tmp[m++] = (struct ivl){ v + 1, a.hi };
				break;
			case IR_LT: if (v > a.lo) tmp[m++] = (struct ivl){ a.lo, a.hi < v - 1 ? a.hi : v - 1 }; break;
			case IR_LE: if (v >= a.lo) tmp[m++] = (struct ivl){ a.lo, a.hi < v ? a.hi : v }; break;
			case IR_GT: if (v < a.hi) tmp[m++] = (struct ivl){ a.lo > v + 1 ? a.lo : v + 1, a.hi }; break;
			case IR_GE: if (v <= a.hi) tmp[m++] = (struct ivl){ a.lo > v ? a.lo : v, a.hi }; break;
			case IR_MASKED_EQ:
			case IR_OP_COUNT: break;
			}
			if (m >= max || m >= 128)
				return (size_t)-1;
		}
		memcpy(out, tmp, m * sizeof(*tmp));
		k = m;
	}
	return k;
}

/* One test runc reads exactly, for values in [lo, hi] of an argument of @bits bits: a
 * point, a one-sided bound on a whole register (only when @order_ok), or aligned
 * power-of-two blocks (each one masked test). Appended to @out as single-comparison
 * alternatives. */
static void interval_tests(const struct xctx *x, unsigned arg, unsigned bits, struct ivl iv,
			   bool order_ok, struct ir_cmp *out, size_t *n)
{
	uint64_t w = arg_width_mask(bits);
	bool whole = bits >= x->word_bits && order_ok;
	struct ir_cmp base = { .arg = (uint8_t)arg, .bits = (uint8_t)bits };

	if (iv.lo == iv.hi) {
		out[*n] = base;
		out[(*n)++].value = iv.lo, out[*n - 1].op = IR_EQ;
		return;
	}
	if (whole && iv.lo == 0) {
		out[*n] = base;
		out[*n].op = IR_LE;
		out[(*n)++].value = iv.hi;
		return;
	}
	if (whole && iv.hi == w) {
		out[*n] = base;
		out[*n].op = IR_GE;
		out[(*n)++].value = iv.lo;
		return;
	}
	for (uint64_t lo = iv.lo;;) {
		uint64_t size = 1;
		/* the largest aligned block starting at lo that stays within hi */
		while (size < (UINT64_C(1) << 63) && (lo & (size * 2 - 1)) == 0 &&
		       lo + (size * 2 - 1) <= iv.hi && lo + (size * 2 - 1) >= lo)
			size *= 2;
		out[*n] = base;
		out[*n].op = IR_MASKED_EQ;
		out[*n].mask = w & ~(size - 1);
		out[(*n)++].value = lo;
		if (lo + (size - 1) >= iv.hi)
			break;
		lo += size;
	}
}

/* Lower one alternative to rules runc reads exactly: per argument one test. Appends to @out.
 *
 * libseccomp 2.5.4 (runc's and crun's) can spin for minutes building its tree when rules
 * of one syscall share an order test (<, <=, >, >=, !=) and differ in a later argument:
 * two rules {arg1 <= 5, arg2 == 2^32} and {arg1 <= 5, arg2 == 2^33} never finish. Masked
 * tests do not trigger it, so an order test is used only when it is the rule's one test;
 * with several tests every one is a masked test (an equality with the argument's whole
 * mask, a range as aligned blocks). */
static int lower_alt(struct xctx *x, struct sc_action action, const struct alt *a,
		     struct oci_rule **out, size_t *nout)
{
	/* per argument: the choices (each one comparison), crossed into rules at the end */
	struct ir_cmp *choice[6] = { 0 };
	size_t nchoice[6] = { 0 };
	struct ivl *ivs[6] = { 0 };
	size_t nivs[6] = { 0 };
	bool masked[6] = { 0 };
	uint64_t mv[6] = { 0 }, vv[6] = { 0 };
	unsigned bitsv[6];
	unsigned nconstrained = 0;
	struct oci_rule base = { .action = action };
	size_t total = 1;
	int r = 0;

	for (unsigned arg = 0; arg < 6 && r == 0; arg++) {
		const struct ir_cmp *order[MAX_ALT_CMP];
		size_t norder = 0, nmask = 0;
		uint64_t m = 0, v = 0;
		unsigned bits = 64;

		for (unsigned i = 0; i < a->n; i++) {
			const struct ir_cmp *c = &a->c[i];
			if (c->arg != arg)
				continue;
			bits = c->bits < bits ? c->bits : bits;
			if (c->op == IR_MASKED_EQ) {
				if ((m & c->mask & (v ^ c->value)) || (c->value & ~c->mask))
					goto never; /* contradictory: never true, no rule */
				m |= c->mask;
				v |= c->value;
				nmask++;
			} else {
				order[norder++] = c;
			}
		}
		bitsv[arg] = bits;
		if (bits > x->word_bits) {
			/* x32: libseccomp, and so runc, compares 32 bits of registers the kernel
			 * reads whole for common syscalls. */
			sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
				    "cannot export '%s' to OCI: it compares all 64 bits of argument %u, and "
				    "runc compares only %u on %s", xname(x), arg,
				    x->word_bits, x->arch->name);
			sc_diag_hint(x->d, "list another architecture first");
			r = -EINVAL;
			break;
		}
		if (nmask && norder) {
			char buf[128];
			sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
				    "cannot export '%s' to OCI: one rule tests argument %u with a mask and "
				    "with '%s' together, which runc cannot state", xname(x),
				    arg, cmp_format(xsys(x), order[0], buf, sizeof(buf)));
			r = -EINVAL;
			break;
		}
		if (nmask) {
			masked[arg] = (m & arg_width_mask(bits)) != 0;
			mv[arg] = m & arg_width_mask(bits);
			vv[arg] = v & arg_width_mask(bits);
		} else if (norder) {
			size_t k;
			ivs[arg] = xcalloc(130, sizeof(struct ivl));
			k = intervals_of(order, norder, arg_width_mask(bits), ivs[arg], 128);
			if (k == (size_t)-1) {
				sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
					    "cannot export '%s' to OCI: too many ranges on argument %u",
					    xname(x), arg);
				r = -EINVAL;
				break;
			}
			if (k == 0)
				goto never;
			if (k == 1 && ivs[arg][0].lo == 0 && ivs[arg][0].hi == arg_width_mask(bits))
				k = 0; /* no restriction left */
			nivs[arg] = k;
		}
		if (masked[arg] || nivs[arg])
			nconstrained++;
	}
	for (unsigned arg = 0; arg < 6 && r == 0; arg++) {
		if (masked[arg]) {
			choice[arg] = xcalloc(1, sizeof(struct ir_cmp));
			choice[arg][0] = (struct ir_cmp){ .arg = (uint8_t)arg, .bits = (uint8_t)bitsv[arg],
							  .op = IR_MASKED_EQ, .mask = mv[arg], .value = vv[arg] };
			nchoice[arg] = 1;
		} else if (nivs[arg]) {
			choice[arg] = xcalloc(nivs[arg] * 130, sizeof(struct ir_cmp));
			for (size_t i = 0; i < nivs[arg]; i++)
				interval_tests(x, arg, bitsv[arg], ivs[arg][i], nconstrained == 1, choice[arg],
					       &nchoice[arg]);
		}
		if (nchoice[arg])
			total *= nchoice[arg];
	}
	if (r == 0 && *nout + total > MAX_SYSCALL_RULES) {
		sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
			    "cannot export '%s' to OCI: stating its rules' precedence needs more than %d "
			    "OCI rules, which libseccomp (runc, crun) builds too slowly",
			    xname(x), MAX_SYSCALL_RULES);
		sc_diag_hint(x->d, "fewer rules with other actions on it, or conditions on fewer arguments");
		r = -EINVAL;
	}
	for (size_t t = 0; r == 0 && t < total; t++) {
		struct oci_rule o = base;
		size_t rest = t;
		for (unsigned arg = 0; arg < 6; arg++) {
			const struct ir_cmp *c;
			if (!nchoice[arg])
				continue;
			c = &choice[arg][rest % nchoice[arg]];
			rest /= nchoice[arg];
			o.cmp[o.ncmp].index = arg;
			if (c->op == IR_MASKED_EQ) {
				o.cmp[o.ncmp].op = oci_op(IR_MASKED_EQ);
				o.cmp[o.ncmp].value = c->mask;
				o.cmp[o.ncmp].value_two = c->value;
			} else if (c->op == IR_EQ && (c->bits < x->word_bits || nconstrained > 1)) {
				/* exact for a narrow argument: (reg & 0xffffffff) == v; and a masked
				 * test, not an order one, beside other tests (see above) */
				o.cmp[o.ncmp].op = oci_op(IR_MASKED_EQ);
				o.cmp[o.ncmp].value = arg_width_mask(c->bits);
				o.cmp[o.ncmp].value_two = c->value;
			} else {
				o.cmp[o.ncmp].op = oci_op((enum ir_op)c->op);
				o.cmp[o.ncmp].value = c->value;
			}
			o.ncmp++;
		}
		*out = xgrow_n(*out, *nout, 1, sizeof(**out));
		(*out)[(*nout)++] = o;
	}
never:
	for (unsigned arg = 0; arg < 6; arg++) {
		free(choice[arg]);
		free(ivs[arg]);
	}
	return r;
}

/* The OCI rules for one syscall: each rule and the negation of every earlier rule with
 * another action (so the order runc's libseccomp gives them cannot matter), in
 * disjunctive form, each alternative lowered to one test per argument. */
static int convert(struct xctx *x, struct oci_rule **ret, size_t *ret_n)
{
	const struct ir *ir = x->ir;
	struct oci_rule *out = NULL;
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < x->s->nrules && r == 0; i++) {
		const struct ir_rule *rule = &x->s->rules[i];
		struct alts cur = { 0 };
		struct alt first = { .n = rule->ncmp };

		if (rule->action.type == ir->def.type && rule->action.data == ir->def.data)
			continue; /* runc drops it; its negation below keeps its effect */
		if (rule->ncmp) /* a rule without comparisons has no array */
			memcpy(first.c, rule->cmp, rule->ncmp * sizeof(struct ir_cmp));
		alts_push(&cur, &first);
		for (size_t e = 0; e < i && r == 0; e++) {
			const struct ir_rule *earlier = &x->s->rules[e];
			struct alts next = { 0 };
			if (earlier->action.type == rule->action.type && earlier->action.data == rule->action.data)
				continue;
			/* cur ∧ ¬(c1 ∧ … ∧ ck) = ∨ (cur ∧ ¬ci) */
			for (size_t a = 0; a < cur.n && r == 0; a++)
				for (unsigned k = 0; k < earlier->ncmp && r == 0; k++) {
					struct ir_cmp neg[64];
					size_t nn = negate(&earlier->cmp[k], neg);
					for (size_t j = 0; j < nn; j++) {
						struct alt x2 = cur.v[a];
						if (x2.n >= MAX_ALT_CMP || next.n >= MAX_OCI_RULES) {
							sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
								    "cannot export '%s' to OCI: its rules' precedence "
								    "needs too many rules to state",
								    xname(x));
							r = -EINVAL;
							break;
						}
						x2.c[x2.n++] = neg[j];
						alts_push(&next, &x2);
					}
				}
			free(cur.v);
			cur = next;
		}
		for (size_t a = 0; a < cur.n && r == 0; a++)
			r = lower_alt(x, rule->action, &cur.v[a], &out, &n);
		free(cur.v);
	}
	if (r < 0) {
		free(out);
		return r;
	}
	*ret = out;
	*ret_n = n;
	return 0;
}

/* Our rules for one syscall on two architectures say the same, once an argument register
 * of @ref's that @a holds in 32 bits is compared on those 32 bits. */
static bool same_but_width(const struct ir_syscall *ref, const struct ir_syscall *a, unsigned a_bits)
{
	size_t n = ref ? ref->nrules : 0;

	if ((a ? a->nrules : 0) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct ir_rule *x = &ref->rules[i], *y = &a->rules[i];
		if (x->action.type != y->action.type || x->action.data != y->action.data ||
		    x->ncmp != y->ncmp)
			return false;
		for (unsigned k = 0; k < x->ncmp; k++) {
			const struct ir_cmp *c = &x->cmp[k], *d = &y->cmp[k];
			if (c->arg != d->arg || c->op != d->op || c->mask != d->mask || c->value != d->value)
				return false;
			if (c->bits != d->bits && !(c->bits == 64 && d->bits == 32 && a_bits == 32))
				return false;
		}
	}
	return true;
}

/* Whether libseccomp resolves @name to a pseudo-number on @arch, one socketcall or ipc
 * multiplexes there (resolve.c's table, on an ABI that has the multiplexer): what
 * seccomp_syscall_resolve_name_arch() says, without loading libseccomp at every start. */
static bool multiplexed_on(const struct sc_arch *arch, const char *name)
{
	size_t n;
	const struct ir_muxed *muxed = ir_muxed_table(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(muxed[i].name, name))
			return sc_syscall_lookup(arch, muxed[i].mux) != NULL;
	return false;
}

/* An OCI profile states one rule list per name for every architecture, and libseccomp
 * compares the low 32 bits of each datum on 32-bit ones (x86, x32). The list made from
 * @x's architecture means ours on another one when our rules there are the same but for
 * register width and every datum fits 32 bits: for values below 2^32 each test then
 * reads the same on 32 bits as on 64. Anything else (i386 mmap, whose arguments are in
 * memory and which we deny whatever they are, or a datum above 2^32) is refused. */
static int check_arches(struct xctx *x, const struct rule_class *g, const struct oci_rule *o,
			size_t n)
{
	const struct ir *ir = x->ir;

	for (size_t ai = 0; ai < ir->narches; ai++) {
		const struct ir_arch *a = &ir->arches[ai];
		unsigned bits = a->arch->oci_arg_bits;
		if (a->arch == x->arch)
			continue;
		for (size_t k = 0; k < g->nnames; k++) {
			const struct sc_syscall *sys = sc_syscall_lookup(a->arch, g->names[k]);
			const struct ir_syscall *s = sys ? ir_find(a, sys->nr) : NULL;
			if (!sys)
				continue; /* libseccomp skips the name there, and so do we */
			/* libseccomp resolves a call socketcall or ipc multiplexes to a negative
			 * pseudo-number, and adds its rules to the multiplexer too, with arg 0
			 * replaced by the call number and args 1-5 tested as they are: they are
			 * socketcall's, not the call's. Only unconditional rules survive that. */
			for (size_t i = 0; i < n && multiplexed_on(a->arch, g->names[k]); i++) {
				if (!o[i].ncmp)
					continue;
				sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
					    "cannot export '%s' to OCI: on %s runc's libseccomp also applies its "
					    "conditional rules to the multiplexer (socketcall, ipc), whose arguments "
					    "are not the ones they test", g->names[k], a->arch->name);
				sc_diag_hint(x->d, "export for fewer architectures (drop %s from "
					     "'architectures')", a->arch->name);
				return -EINVAL;
			}
			for (size_t i = 0; s && i < s->nrules; i++)
				for (unsigned c = 0; c < s->rules[i].ncmp; c++) {
					if (s->rules[i].cmp[c].bits <= bits)
						continue;
					/* x32: libseccomp, and so runc, compares 32 bits of registers
					 * the kernel reads whole for common syscalls. */
					sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
						    "cannot export '%s' to OCI: it compares all 64 bits of "
						    "argument %u on %s, where runc compares only %u",
						    g->names[k], s->rules[i].cmp[c].arg, a->arch->name, bits);
					sc_diag_hint(x->d, "export for fewer architectures (drop %s from "
						     "'architectures')", a->arch->name);
					return -EINVAL;
				}
			if (!same_but_width(x->s, s, bits)) {
				sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
					    "cannot export '%s' to OCI: it has other rules on %s than on %s, and "
					    "an OCI profile gives a syscall one rule list for every architecture",
					    g->names[k], a->arch->name, x->arch->name);
				if (bits > x->word_bits)
					sc_diag_hint(x->d, "list %s first in 'architectures'", a->arch->name);
				else
					sc_diag_hint(x->d, "export for fewer architectures (drop %s from "
						     "'architectures')", a->arch->name);
				return -EINVAL;
			}
			if (bits >= 64)
				continue;
			for (size_t i = 0; i < n; i++)
				for (unsigned c = 0; c < o[i].ncmp; c++) {
					bool me = strcmp(o[i].cmp[c].op, oci_op(IR_MASKED_EQ)) == 0;
					uint64_t v = me ? o[i].cmp[c].value_two : o[i].cmp[c].value;
					if (v <= UINT32_MAX)
						continue;
					sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
						    "cannot export '%s' to OCI: it tests argument %u against %#" PRIx64
						    ", and runc compares only its low %u bits on %s",
						    g->names[k], o[i].cmp[c].index, v, bits, a->arch->name);
					sc_diag_hint(x->d, "export for fewer architectures (drop %s from "
						     "'architectures')", a->arch->name);
					return -EINVAL;
				}
		}
	}
	return 0;
}

static json_t *action_json(json_t *o, struct sc_action a, const char *key_action, const char *key_errno)
{
	json_object_set_new(o, key_action, json_string(sc_action_oci_name(a.type)));
	if (action_data_written(a))
		json_object_set_new(o, key_errno, json_integer(a.data));
	return o;
}

/* jansson's integers are signed: a value above 2^63 would print negative, which runc (uint64)
 * rejects. Such values go out as a marked string and are unquoted in the text. */
#define U64_MARK "@u64:"

static json_t *json_u64(uint64_t v)
{
	char buf[32];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), U64_MARK "%" PRIu64, v);
	return json_string(buf);
}

bool oci_json_u64(const json_t *v, uint64_t *ret)
{
	const char *s = json_string_value(v);

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*ret = (uint64_t)json_integer_value(v);
		return true;
	}
	if (!s || strncmp(s, U64_MARK, strlen(U64_MARK)) != 0)
		return false;
	*ret = strtoull(s + strlen(U64_MARK), NULL, 10);
	return true;
}

static void unquote_u64(char *text)
{
	char *w = text;

	for (const char *r = text; *r;) {
		if (r[0] == '"' && strncmp(r + 1, U64_MARK, strlen(U64_MARK)) == 0) {
			r += 1 + strlen(U64_MARK);
			while (*r && *r != '"')
				*w++ = *r++;
			if (*r)
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

int export_oci_json(const struct ir *ir, struct export_warnings *warnings, json_t **ret_root,
		    struct sc_diag *reterr)
{
	json_t *root = json_object(), *arches = json_array(), *calls = json_array(), *flags;
	struct {
		struct oci_rule *rules;
		size_t n;
		json_t *names;
	} *groups = NULL;
	size_t ngroups = 0, eg_n;
	struct rule_class *eg;
	int r = 0;

	action_json(root, ir->def, "defaultAction", "defaultErrnoRet");
	for (size_t i = 0; i < ir->narches; i++)
		json_array_append_new(arches, json_string(ir->arches[i].arch->scmp_name));
	json_object_set_new(root, "architectures", arches);
	flags = json_array();
	for (size_t i = 0; i < filter_flag_count; i++)
		if (ir->flags & filter_flags[i].flag)
			json_array_append_new(flags, json_string(filter_flags[i].oci));
	if (json_array_size(flags))
		json_object_set_new(root, "flags", flags);
	else
		json_decref(flags);
	eg_n = rule_classes(ir, &eg, warnings);
	groups = xcalloc(eg_n + 1, sizeof(*groups));
	for (size_t i = 0; i < eg_n && r == 0; i++) {
		struct xctx x = { ir, eg[i].rules, reterr, NULL, 0 };
		for (size_t a = 0; a < ir->narches && !x.arch; a++)
			if (eg[i].rules >= ir->arches[a].calls &&
			    eg[i].rules < ir->arches[a].calls + ir->arches[a].ncalls)
				x.arch = ir->arches[a].arch;
		x.word_bits = x.arch->oci_arg_bits;
		r = convert(&x, &groups[ngroups].rules, &groups[ngroups].n);
		if (r == 0)
			r = check_arches(&x, &eg[i], groups[ngroups].rules, groups[ngroups].n);
		if (r < 0) {
			free(groups[ngroups].rules);
			break;
		}
		groups[ngroups].names = json_array();
		for (size_t k = 0; k < eg[i].nnames; k++)
			json_array_append_new(groups[ngroups].names, json_string(eg[i].names[k]));
		ngroups++;
	}
	rule_classes_free(eg, eg_n);
	for (size_t g = 0; g < ngroups; g++) {
		for (size_t k = 0; r == 0 && k < groups[g].n; k++) {
			const struct oci_rule *o = &groups[g].rules[k];
			json_t *e = json_object(), *args = json_array();
			json_object_set(e, "names", groups[g].names);
			action_json(e, o->action, "action", "errnoRet");
			for (unsigned c = 0; c < o->ncmp; c++) {
				json_t *arg = json_object();
				json_object_set_new(arg, "index", json_integer(o->cmp[c].index));
				json_object_set_new(arg, "value", json_u64(o->cmp[c].value));
				json_object_set_new(arg, "valueTwo", json_u64(o->cmp[c].value_two));
				json_object_set_new(arg, "op", json_string(o->cmp[c].op));
				json_array_append_new(args, arg);
			}
			if (o->ncmp)
				json_object_set_new(e, "args", args);
			else
				json_decref(args);
			json_array_append_new(calls, e);
		}
		json_decref(groups[g].names);
		free(groups[g].rules);
	}
	free(groups);
	json_object_set_new(root, "syscalls", calls);
	if (r < 0) {
		json_decref(root);
		return r;
	}
	*ret_root = root;
	return 0;
}

int export_oci(const struct ir *ir, struct export_warnings *warnings, char **ret_buf,
	       size_t *ret_len, struct sc_diag *reterr)
{
	json_t *root = NULL;
	char *text;
	int r = export_oci_json(ir, warnings, &root, reterr);

	if (r == 0) {
		text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (text)
			unquote_u64(text);
		if (!text)
			r = -ENOMEM;
		else {
			*ret_buf = text;
			*ret_len = strlen(text);
			text[*ret_len] = '\0';
		}
	}
	json_decref(root);
	return r;
}
