/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-toml.c — our TOML policy (the OCI linux.seccomp object in snake_case, plus groups):
 *
 *	default_action = "Errno"            # or SCMP_ACT_ERRNO
 *	default_errno_ret = "EPERM"         # or 1
 *	architectures = ["SCMP_ARCH_X86_64"]
 *	flags = ["tsync"]                   # or SECCOMP_FILTER_FLAG_TSYNC
 *	multiplexed = "deny"                # socketcall/ipc hiding arguments: deny | allow
 *	bad_arch_action = "KillProcess"     # calls from unlisted ABIs (default: see resolve.c)
 *	enosys_after = "5.4"                # newer syscalls no rule names fail with ENOSYS
 *	enosys_unknown = true               # so do numbers above the catalog's
 *	restrict_ptrace = true              # `run` adds a Landlock ptrace scope (apply.c)
 *	[[abstract_syscalls]]  names = ["stdio_app"], action = "Allow"
 *	[[syscalls]]           names = ["ioctl"], action = "Allow",
 *	                       conditions = [ { argument = "cmd", type = "equals", value = "TCGETS" } ]
 *
 * The seed project's OCI-style conditions ({ index, value, value_two, op }) load too. Every
 * unknown key is an error with a suggestion: a typo in a security policy must not pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/action.h"
#include "catalog/flags.h"
#include "policy/policy.h"
#include "text/toml.h"

struct tctx {
	struct sc_policy *p;
	struct sc_diag *d;
};

/* Where @v is; a string's span covers its quotes (escapes aside). */
static struct pol_loc vloc(const struct toml_value *v)
{
	struct pol_loc l = { toml_line(v), toml_col(v), 1 };
	if (toml_type(v) == TOML_STRING)
		l.span = (unsigned)toml_string_len(v) + 2;
	return l;
}

#define FAIL(c, loc, ...)                                                                  \
	do {                                                                               \
		policy_diag((c)->p, (c)->d, (loc), __VA_ARGS__);                           \
		return -EINVAL;                                                            \
	} while (0)

static const char *type_name(const struct toml_value *v)
{
	switch (toml_type(v)) {
	case TOML_TABLE: return "a table";
	case TOML_ARRAY: return "an array";
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOL: return "a boolean";
	default: return "a date or time";
	}
}

/* Check @t's keys against @known; an unknown one is an error with a suggestion. */
static int check_keys(struct tctx *c, const struct toml_value *t, const char *const *known,
		      size_t n, const char *where)
{
	for (size_t i = 0; i < toml_table_len(t); i++) {
		const char *key = toml_table_key(t, i), *best[1];
		bool ok = false;
		for (size_t k = 0; k < n && !ok; k++)
			ok = strcmp(key, known[k]) == 0;
		if (ok)
			continue;
		{
			struct pol_loc l = { toml_table_key_line(t, i), toml_table_key_col(t, i),
					     (unsigned)strlen(key) };
			policy_diag(c->p, c->d, l, "unknown key '%s' in %s", key, where);
		}
		if (sc_suggest(key, known, n, best, 1))
			sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
		else {
			char list[512] = "";
			for (size_t k = 0; k < n; k++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 k ? ", " : "", known[k]);
			sc_diag_hint(c->d, "expected one of %s", list);
		}
		return -EINVAL;
	}
	return 0;
}

static int get_string(struct tctx *c, const struct toml_value *v, const char *what, const char **ret)
{
	if (toml_type(v) != TOML_STRING)
		FAIL(c, vloc(v), "expected %s (a string), found %s", what, type_name(v));
	*ret = toml_string(v);
	return 0;
}

static int parse_action(struct tctx *c, const struct toml_value *v, struct sc_action *ret)
{
	const char *s, *best[1];
	char list[128];
	enum sc_action_type t;

	if (get_string(c, v, "an action name", &s) < 0)
		return -EINVAL;
	if (sc_action_parse(s, &t) < 0) {
		policy_diag(c->p, c->d, vloc(v), "unknown action '%s'", s);
		if (action_suggest(s, false, best, 1))
			sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
		else
			sc_diag_hint(c->d, "expected %s", action_list(list, sizeof(list)));
		return -EINVAL;
	}
	ret->type = t;
	ret->data = action_default_data(t, false);
	return 0;
}

/* An errno as a number (0..4095) or a name ("EPERM"). */
static int parse_errno(struct tctx *c, const struct toml_value *v, uint16_t *ret)
{
	if (toml_type(v) == TOML_INTEGER)
		return pol_errno(c->p, c->d, vloc(v), NULL, toml_integer(v), ret);
	if (toml_type(v) == TOML_STRING)
		return pol_errno(c->p, c->d, vloc(v), toml_string(v), 0, ret);
	FAIL(c, vloc(v), "expected an errno number or name, found %s", type_name(v));
}

static int value_of(struct tctx *c, const struct toml_value *v, struct pol_value *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->loc = vloc(v);
	if (toml_type(v) == TOML_INTEGER) {
		ret->num = (uint64_t)toml_integer(v);
		return 0;
	}
	if (toml_type(v) == TOML_STRING) {
		ret->text = (char *)toml_string(v);
		ret->loc.span = (unsigned)strlen(ret->text) + 2;
		return 0;
	}
	FAIL(c, vloc(v), "expected an integer, an integer string or a constant name, found %s",
	     type_name(v));
}

static int parse_condition(struct tctx *c, const struct toml_value *t, struct pol_rule *r)
{
	static const char *const known[] = { "argument", "index", "type", "op", "value",
					     "value_two", "mask", "flags", "values", "comment" };
	struct cond_fields f = { 0 };
	struct pol_value vals[256];
	const struct toml_value *v;

	f.loc = vloc(t);
	if (toml_type(t) != TOML_TABLE)
		FAIL(c, f.loc, "expected a condition table { argument = …, type = …, value = … }, found %s",
		     type_name(t));
	if (check_keys(c, t, known, sizeof(known) / sizeof(known[0]), "a condition") < 0)
		return -EINVAL;
	if ((v = toml_table_get(t, "type")) || (v = toml_table_get(t, "op"))) {
		if (get_string(c, v, "a condition type", &f.type) < 0)
			return -EINVAL;
		f.type_loc = vloc(v);
		f.type_loc.span = (unsigned)strlen(f.type) + 2;
		/* The seed's OCI-style rows: `op` with value = mask, value_two = datum. */
		f.oci = toml_table_get(t, "op") != NULL;
	}
	if ((v = toml_table_get(t, "argument"))) {
		if (get_string(c, v, "an argument name", &f.arg) < 0)
			return -EINVAL;
		f.arg_loc = vloc(v);
		f.arg_loc.span = (unsigned)strlen(f.arg) + 2;
	}
	if ((v = toml_table_get(t, "index"))) {
		if (toml_type(v) != TOML_INTEGER)
			FAIL(c, vloc(v), "expected an argument index (0-5), found %s", type_name(v));
		f.has_index = true;
		f.index = toml_integer(v);
		f.index_loc = vloc(v);
	}
	{
		/* The single-value keys, each optional; cond_build() says which a type needs. */
		const struct { const char *key; struct pol_value *val; bool *has; } one[] = {
			{ "value", &f.value, &f.has_value },
			{ "value_two", &f.value_two, &f.has_value_two },
			{ "mask", &f.mask, &f.has_mask },
			{ "flags", &f.flags, &f.has_flags },
		};
		for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
			if (!(v = toml_table_get(t, one[i].key)))
				continue;
			if (value_of(c, v, one[i].val) < 0)
				return -EINVAL;
			*one[i].has = true;
		}
	}
	if ((v = toml_table_get(t, "values"))) {
		if (toml_type(v) != TOML_ARRAY || toml_array_len(v) > 256)
			FAIL(c, vloc(v), "expected a list of at most 256 values");
		for (size_t i = 0; i < toml_array_len(v); i++)
			if (value_of(c, toml_array_at(v, i), &vals[i]) < 0)
				return -EINVAL;
		f.values = vals;
		f.nvalues = toml_array_len(v);
		f.has_values = true;
	}
	if (cond_build(c->p->file, c->p->src, c->p->srclen, &f, rule_add_cond(r), c->d) < 0) {
		r->nconds--;
		return -EINVAL;
	}
	return 0;
}

static int parse_rule(struct tctx *c, const struct toml_value *t, bool groups, size_t idx)
{
	static const char *const known_sys[] = { "names", "action", "errno_ret", "errnoRet",
						 "conditions", "comment", "args" };
	static const char *const known_grp[] = { "names", "action", "errno_ret", "errnoRet", "comment" };
	const struct toml_value *v;
	struct pol_rule *r;
	char origin[64];

	if (toml_type(t) != TOML_TABLE)
		FAIL(c, vloc(t), "expected a table, found %s", type_name(t));
	if (check_keys(c, t, groups ? known_grp : known_sys,
		       groups ? sizeof(known_grp) / sizeof(known_grp[0]) : sizeof(known_sys) / sizeof(known_sys[0]),
		       groups ? "[[abstract_syscalls]]" : "[[syscalls]]") < 0)
		return -EINVAL;
	r = policy_add_rule(c->p);
	r->is_group = groups;
	r->loc = vloc(t);
	snprintf(origin, sizeof(origin), "%s[%zu]", groups ? "abstract_syscalls" : "syscalls", idx);
	r->origin = xstrdup(origin);
	v = toml_table_get(t, "names");
	if (!v)
		FAIL(c, r->loc, "%s has no 'names'", groups ? "[[abstract_syscalls]]" : "[[syscalls]]");
	if (toml_type(v) != TOML_ARRAY || toml_array_len(v) == 0)
		FAIL(c, vloc(v), "expected a non-empty list of %s names", groups ? "group" : "syscall");
	for (size_t i = 0; i < toml_array_len(v); i++) {
		const struct toml_value *e = toml_array_at(v, i);
		struct pol_loc l = vloc(e);
		if (toml_type(e) != TOML_STRING)
			FAIL(c, l, "expected a %s name (a string), found %s", groups ? "group" : "syscall",
			     type_name(e));
		l.span = (unsigned)strlen(toml_string(e)) + 2;
		rule_add_name(r, toml_string(e), l);
	}
	v = toml_table_get(t, "action");
	if (!v)
		FAIL(c, r->loc, "%s has no 'action'", groups ? "[[abstract_syscalls]]" : "[[syscalls]]");
	if (parse_action(c, v, &r->action) < 0)
		return -EINVAL;
	if ((v = toml_table_get(t, "errno_ret")) || (v = toml_table_get(t, "errnoRet"))) {
		if (!action_carries_data(r->action.type))
			FAIL(c, vloc(v), "'errno_ret' given for the action '%s', which returns no errno",
			     sc_action_name(r->action.type));
		if (parse_errno(c, v, &r->action.data) < 0)
			return -EINVAL;
	}
	if ((v = toml_table_get(t, "conditions")) || (v = toml_table_get(t, "args"))) {
		if (toml_type(v) != TOML_ARRAY)
			FAIL(c, vloc(v), "expected a list of condition tables");
		for (size_t i = 0; i < toml_array_len(v); i++)
			if (parse_condition(c, toml_array_at(v, i), r) < 0)
				return -EINVAL;
	}
	return 0;
}

static int parse_flags(struct tctx *c, const struct toml_value *v)
{
	if (toml_type(v) != TOML_ARRAY)
		FAIL(c, vloc(v), "expected a list of flags such as [\"tsync\", \"log\"]");
	for (size_t i = 0; i < toml_array_len(v); i++) {
		const struct toml_value *e = toml_array_at(v, i);
		const struct filter_flag *f;
		const char *s;
		if (get_string(c, e, "a flag name", &s) < 0)
			return -EINVAL;
		f = filter_flag_parse(s, false);
		if (!f)
			FAIL(c, vloc(e), "unknown flag '%s'; expected tsync, log, spec_allow or "
					 "wait_killable_recv", s);
		c->p->flags |= f->flag;
	}
	return 0;
}

int load_toml(struct sc_policy *p, struct sc_diag *reterr)
{
	static const char *const known[] = {
		"default_action", "default_errno_ret", "architectures", "flags", "syscalls",
		"abstract_syscalls", "multiplexed", "bad_arch_action", "bad_arch_errno_ret", "comment",
		"enosys_after", "enosys_unknown", "restrict_ptrace",
	};
	struct tctx c = { p, reterr };
	struct toml_error te;
	struct toml_value *root;
	const struct toml_value *v;
	int r = 0;

	root = toml_parse(p->src, p->srclen, &te);
	if (!root) {
		sc_diag_set(reterr, p->file, p->src, p->srclen, te.line, te.col, 1, "%s", te.msg);
		return -EINVAL;
	}
	r = check_keys(&c, root, known, sizeof(known) / sizeof(known[0]), "the policy");
	if (r == 0 && (v = toml_table_get(root, "default_action"))) {
		r = parse_action(&c, v, &p->def);
		p->def_loc = vloc(v);
	} else if (r == 0 && p->srclen > 0) {
		/* Deny-by-default is the only safe reading of a policy that says nothing. */
		p->def = (struct sc_action){ SC_ACT_KILL_PROCESS, 0 };
	}
	if (r == 0 && (v = toml_table_get(root, "default_errno_ret"))) {
		if (!action_carries_data(p->def.type)) {
			policy_diag(p, reterr, vloc(v), "'default_errno_ret' given for the default action "
				    "'%s', which returns no errno", sc_action_name(p->def.type));
			r = -EINVAL;
		} else {
			r = parse_errno(&c, v, &p->def.data);
		}
	}
	if (r == 0 && (v = toml_table_get(root, "bad_arch_action"))) {
		r = parse_action(&c, v, &p->bad_arch);
		p->bad_arch_set = true;
		if (r == 0 && (v = toml_table_get(root, "bad_arch_errno_ret")))
			r = parse_errno(&c, v, &p->bad_arch.data);
	}
	if (r == 0 && (v = toml_table_get(root, "architectures"))) {
		if (toml_type(v) != TOML_ARRAY) {
			policy_diag(p, reterr, vloc(v), "expected a list of architectures");
			r = -EINVAL;
		}
		for (size_t i = 0; r == 0 && i < toml_array_len(v); i++) {
			const struct toml_value *e = toml_array_at(v, i);
			const struct sc_arch *a;
			const char *s;
			r = get_string(&c, e, "an architecture name", &s);
			if (r < 0)
				break;
			a = sc_arch_lookup(s);
			if (!a) {
				const char *best[1];
				policy_diag(p, reterr, vloc(e), "unknown architecture '%s'", s);
				if (sc_arch_suggest(s, best, 1))
					sc_diag_hint(reterr, "did you mean '%s'?", best[0]);
				r = -EINVAL;
				break;
			}
			p->arches = xreallocarray(p->arches, p->narches + 1, sizeof(*p->arches));
			p->arch_locs = xreallocarray(p->arch_locs, p->narches + 1, sizeof(*p->arch_locs));
			p->arch_locs[p->narches] = vloc(e);
			p->arches[p->narches++] = a;
		}
	}
	if (r == 0 && (v = toml_table_get(root, "flags")))
		r = parse_flags(&c, v);
	if (r == 0 && (v = toml_table_get(root, "multiplexed"))) {
		const char *s;
		r = get_string(&c, v, "'deny' or 'allow'", &s);
		if (r == 0 && strcmp(s, "allow") == 0)
			p->mux = POL_MUX_ALLOW;
		else if (r == 0 && strcmp(s, "deny") == 0)
			p->mux = POL_MUX_DENY;
		else if (r == 0) {
			policy_diag(p, reterr, vloc(v), "expected 'deny' or 'allow', found '%s'", s);
			r = -EINVAL;
		}
	}
	if (r == 0 && (v = toml_table_get(root, "enosys_after"))) {
		const char *ver;
		r = get_string(&c, v, "a kernel version such as \"5.4\"", &ver);
		if (r == 0 && policy_parse_version(ver, &p->enosys_after) < 0) {
			policy_diag(p, reterr, vloc(v), "expected a kernel version such as \"5.4\", found '%s'", ver);
			r = -EINVAL;
		}
	}
	if (r == 0 && (v = toml_table_get(root, "enosys_unknown"))) {
		if (toml_type(v) != TOML_BOOL) {
			policy_diag(p, reterr, vloc(v), "expected true or false, found %s", type_name(v));
			r = -EINVAL;
		} else {
			p->enosys_unknown = toml_bool(v);
		}
	}
	if (r == 0 && (v = toml_table_get(root, "restrict_ptrace"))) {
		if (toml_type(v) != TOML_BOOL) {
			policy_diag(p, reterr, vloc(v), "expected true or false, found %s", type_name(v));
			r = -EINVAL;
		} else {
			p->restrict_ptrace = toml_bool(v);
		}
	}
	for (int pass = 0; pass < 2 && r == 0; pass++) {
		const char *key = pass == 0 ? "abstract_syscalls" : "syscalls";
		v = toml_table_get(root, key);
		if (!v)
			continue;
		if (toml_type(v) != TOML_ARRAY) {
			policy_diag(p, reterr, vloc(v), "expected [[%s]] tables", key);
			r = -EINVAL;
			break;
		}
		/* Each rule's subtree is freed once the model has taken it (the tree is ours,
		 * from toml_parse): the tree and the model are then never both whole. */
		for (size_t i = 0; r == 0 && i < toml_array_len(v); i++) {
			r = parse_rule(&c, toml_array_at(v, i), pass == 0, i);
			toml_array_free_item((struct toml_value *)v, i);
		}
	}
	/* The rules hold pointers into the tree only through cond_build's copies. */
	toml_free(root);
	return r;
}
