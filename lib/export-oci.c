/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export-oci.c — the rule set as an OCI runtime-spec `linux.seccomp` object that runc and
 * crun read with our meaning (docs/policy-language.md, "Exporting to OCI").
 *
 * What OCI cannot say directly, and what is done about it:
 *  - rule order: runc hands rules to libseccomp, which does not keep ours (most
 *    restrictive first). Rules are made disjoint instead: each rule gets the negation of
 *    every earlier rule with another action, so any order gives the same answer. A
 *    negation must be one comparison (the earlier rule must test one thing); otherwise the
 *    export fails and says which syscall.
 *  - rules with the default action: runc drops them; their negations in later rules keep
 *    their effect.
 *  - several tests of one argument: runc turns them into separate rules (an OR), so masked
 *    tests of one argument are merged into one mask; anything else on one argument fails.
 *  - 32-bit arguments: an equality becomes SCMP_CMP_MASKED_EQ with mask 0xffffffff, which
 *    is exact. Ranges and inequalities on them compare the whole register in OCI: for a
 *    rule less restrictive than the default that is stricter than ours (a warning says
 *    so); for a more restrictive one it would let high bits slip past, so it fails.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "policy.h"

#define MAX_OCI_CMP 6 /* one per argument */

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

static const char *const op_names[] = {
	[IR_EQ] = "SCMP_CMP_EQ", [IR_NE] = "SCMP_CMP_NE", [IR_LT] = "SCMP_CMP_LT",
	[IR_LE] = "SCMP_CMP_LE", [IR_GT] = "SCMP_CMP_GT", [IR_GE] = "SCMP_CMP_GE",
	[IR_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/* The one comparison that is true exactly when @c is false, if there is one. */
static bool negate(const struct ir_cmp *c, struct ir_cmp *ret)
{
	static const uint8_t neg[] = { [IR_EQ] = IR_NE, [IR_NE] = IR_EQ, [IR_LT] = IR_GE,
				       [IR_LE] = IR_GT, [IR_GT] = IR_LE, [IR_GE] = IR_LT };

	if (c->op == IR_MASKED_EQ)
		return false;
	*ret = *c;
	ret->op = neg[c->op];
	return true;
}

struct xctx {
	const struct sc_filter *f;
	const struct ir_syscall *s;
	struct sc_diag *d;
	bool less_restrictive; /* the rule being converted gives more than the default */
};

/* Add @c to @r as OCI args; merge masked tests of one argument. */
static int add_cmp(struct xctx *x, struct oci_rule *r, const struct ir_cmp *c)
{
	const struct sc_arch *arch = x->f->ir->arches[0].arch;
	bool narrow = c->bits < arch->word_bits;
	uint64_t w = c->bits >= 64 ? UINT64_MAX : (UINT64_C(1) << c->bits) - 1;
	struct oci_cmp o = { c->arg, op_names[c->op], c->value, 0 };
	char buf[128];

	if (c->op == IR_MASKED_EQ) {
		o.value = c->mask;
		o.value_two = c->value;
	} else if (narrow && c->op == IR_EQ) {
		o.op = op_names[IR_MASKED_EQ];
		o.value = w;
		o.value_two = c->value;
	} else if (narrow) {
		if (!x->less_restrictive) {
			sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
				    "cannot export '%s' to OCI: its rule '%s' compares a %u-bit argument with "
				    "'%s', which runc applies to the whole register, so high bits would slip "
				    "past it", x->s->sys ? x->s->sys->name : "?",
				    cmp_format(x->s->sys, c, buf, sizeof(buf)), c->bits, ir_op_symbol(c->op));
			sc_diag_hint(x->d, "state it as equalities (any_of) or masks, which export exactly");
			return -EINVAL;
		}
		/* Stricter than ours: calls with high bits set fall to the default. Noted once. */
	}
	for (unsigned i = 0; i < r->ncmp; i++) {
		if (r->cmp[i].index != o.index)
			continue;
		if (strcmp(r->cmp[i].op, o.op) == 0 && r->cmp[i].value == o.value &&
		    r->cmp[i].value_two == o.value_two)
			return 0; /* the same test twice */
		if (strcmp(r->cmp[i].op, "SCMP_CMP_MASKED_EQ") == 0 && strcmp(o.op, "SCMP_CMP_MASKED_EQ") == 0) {
			if ((r->cmp[i].value & o.value & (r->cmp[i].value_two ^ o.value_two)) != 0) {
				/* Contradictory tests of the same bits: the rule can never match. */
				r->ncmp = MAX_OCI_CMP + 1;
				return 0;
			}
			r->cmp[i].value |= o.value;
			r->cmp[i].value_two |= o.value_two;
			return 0;
		}
		sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
			    "cannot export '%s' to OCI: one rule tests argument %u twice, and runc would "
			    "read two tests of one argument as either-or", x->s->sys ? x->s->sys->name : "?",
			    c->arg);
		return -EINVAL;
	}
	if (r->ncmp >= MAX_OCI_CMP) {
		sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0, "cannot export '%s' to OCI: too many tests in one rule",
			    x->s->sys ? x->s->sys->name : "?");
		return -EINVAL;
	}
	r->cmp[r->ncmp++] = o;
	return 0;
}

/* The OCI rules for one syscall: each IR rule plus the negations of earlier rules that give
 * a different action, so their order no longer matters. */
static int convert(struct xctx *x, struct oci_rule **ret, size_t *ret_n)
{
	const struct ir *ir = x->f->ir;
	struct oci_rule *out = xcalloc(x->s->nrules, sizeof(*out));
	size_t n = 0;

	for (size_t i = 0; i < x->s->nrules; i++) {
		const struct ir_rule *r = &x->s->rules[i];
		struct oci_rule o = { .action = r->action };
		bool is_default = r->action.type == ir->def.type && r->action.data == ir->def.data;

		x->less_restrictive = r->action.type > ir->def.type;
		for (unsigned k = 0; k < r->ncmp; k++)
			if (add_cmp(x, &o, &r->cmp[k]) < 0)
				goto fail;
		for (size_t e = 0; e < i; e++) {
			const struct ir_rule *earlier = &x->s->rules[e];
			struct ir_cmp neg;
			char buf[128];
			if (earlier->action.type == r->action.type && earlier->action.data == r->action.data)
				continue;
			if (earlier->ncmp != 1 || !negate(&earlier->cmp[0], &neg)) {
				sc_diag_set(x->d, NULL, NULL, 0, 0, 0, 0,
					    "cannot export '%s' to OCI: a %s rule must take precedence over a %s "
					    "one, and runc keeps no order; the first would have to test exactly "
					    "one thing with ==, !=, <, <=, > or >=",
					    x->s->sys ? x->s->sys->name : "?", sc_action_name(earlier->action.type),
					    sc_action_name(r->action.type));
				if (earlier->ncmp == 1)
					sc_diag_hint(x->d, "it tests '%s'",
						     cmp_format(x->s->sys, &earlier->cmp[0], buf, sizeof(buf)));
				goto fail;
			}
			if (add_cmp(x, &o, &neg) < 0)
				goto fail;
		}
		if (is_default || o.ncmp > MAX_OCI_CMP)
			continue; /* runc drops it; or it can never match */
		out[n++] = o;
	}
	*ret = out;
	*ret_n = n;
	return 0;
fail:
	free(out);
	return -EINVAL;
}

static bool rules_equal(const struct oci_rule *a, size_t na, const struct oci_rule *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (a[i].action.type != b[i].action.type || a[i].action.data != b[i].action.data ||
		    a[i].ncmp != b[i].ncmp)
			return false;
		for (unsigned k = 0; k < a[i].ncmp; k++)
			if (a[i].cmp[k].index != b[i].cmp[k].index || strcmp(a[i].cmp[k].op, b[i].cmp[k].op) ||
			    a[i].cmp[k].value != b[i].cmp[k].value ||
			    a[i].cmp[k].value_two != b[i].cmp[k].value_two)
				return false;
	}
	return true;
}

static json_t *action_json(json_t *o, struct sc_action a, const char *key_action, const char *key_errno)
{
	json_object_set_new(o, key_action, json_string(sc_action_oci_name(a.type)));
	if (a.type == SC_ACT_ERRNO || a.type == SC_ACT_TRACE)
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

static const char *const flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

int export_oci(const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *reterr)
{
	const struct ir *ir = f->ir;
	json_t *root = json_object(), *arches = json_array(), *calls = json_array(), *flags;
	struct {
		struct oci_rule *rules;
		size_t n;
		json_t *names;
	} *groups = NULL;
	size_t ngroups = 0;
	char *text;
	int r = 0;

	action_json(root, ir->def, "defaultAction", "defaultErrnoRet");
	for (size_t i = 0; i < ir->narches; i++)
		json_array_append_new(arches, json_string(ir->arches[i].arch->scmp_name));
	json_object_set_new(root, "architectures", arches);
	if (ir->flags & (SC_FILTER_TSYNC | SC_FILTER_LOG | SC_FILTER_SPEC_ALLOW | SC_FILTER_WAIT_KILLABLE_RECV)) {
		flags = json_array();
		for (unsigned b = 0; b < 4; b++)
			if (ir->flags & (1u << b))
				json_array_append_new(flags, json_string(flag_names[b]));
		json_object_set_new(root, "flags", flags);
	}
	/* One OCI entry per distinct list of rules, naming every syscall that has it. OCI
	 * rules name syscalls for every architecture at once: a name is taken from the first
	 * architecture that has it, and a later one that says otherwise gets a warning. */
	for (size_t ai = 0; ai < ir->narches && r == 0; ai++) {
		const struct ir_arch *aa = &ir->arches[ai];
		for (size_t i = 0; i < aa->ncalls && r == 0; i++) {
			struct xctx x = { f, &aa->calls[i], reterr, false };
			struct oci_rule *rules;
			size_t n, g;
			const char *name = aa->calls[i].sys ? aa->calls[i].sys->name : NULL;
			bool seen = false;

			if (!name)
				continue;
			r = convert(&x, &rules, &n);
			if (r < 0)
				break;
			for (g = 0; g < ngroups && !seen; g++)
				for (size_t k = 0; k < json_array_size(groups[g].names); k++)
					if (strcmp(json_string_value(json_array_get(groups[g].names, k)), name) == 0) {
						seen = true;
						if (!rules_equal(groups[g].rules, groups[g].n, rules, n))
							policy_warn(f->policy, (struct pol_loc){ 0, 0, 0 },
								    "'%s' has other rules on %s than on %s; the OCI "
								    "profile states the %s ones", name,
								    aa->arch->name, ir->arches[0].arch->name,
								    ir->arches[0].arch->name);
						break;
					}
			if (seen || n == 0) {
				free(rules);
				continue;
			}
			for (g = 0; g < ngroups; g++)
				if (rules_equal(groups[g].rules, groups[g].n, rules, n))
					break;
			if (g == ngroups) {
				groups = xreallocarray(groups, ngroups + 1, sizeof(*groups));
				groups[g].rules = rules;
				groups[g].n = n;
				groups[g].names = json_array();
				ngroups++;
			} else {
				free(rules);
			}
			json_array_append_new(groups[g].names, json_string(name));
		}
	}
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
