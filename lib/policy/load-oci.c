/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-oci.c — OCI runtime-spec `linux.seccomp` JSON, with Docker's and the containers
 * projects' extensions, read the way runc and crun read it (docs/policy-language.md):
 *
 *  - errnoRet/defaultErrnoRet default to EPERM; `errno`/`defaultErrno` may name it; on
 *    actions other than SCMP_ACT_ERRNO and SCMP_ACT_TRACE they are ignored (runc getAction);
 *  - the native architecture is always in the filter, beside the listed ones;
 *  - several args on one index: one rule per arg (runc's OR), else all args ANDed;
 *  - SCMP_CMP_MASKED_EQ: `value` is the mask, `valueTwo` the datum;
 *  - rules whose action is the default are skipped (libseccomp refuses them);
 *  - unknown syscall names are skipped with a warning (runc skips them silently);
 *  - Docker's `archMap` picks the native architecture and its sub-architectures;
 *    `includes`/`excludes` filter rules by arch, capabilities and minimum kernel.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "catalog/action.h"
#include "catalog/flags.h"
#include "text/json-loc.h"
#include "policy/policy.h"

/* Docker's default capability set (moby oci/caps/defaults.go), for `includes.caps`. */
static const char docker_default_caps[] =
	"CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD,CAP_NET_RAW,CAP_SETGID,"
	"CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,"
	"CAP_AUDIT_WRITE";

struct octx {
	struct json_index *idx;
	/* Read item by item (read_by_items): the rule being read, and its own index, which
	 * answers for paths under syscalls[item]. */
	struct json_index *item_idx;
	size_t item;
	struct sc_policy *p;
	struct sc_diag *d;
	const struct sc_arch *native;
	const char *caps;
	unsigned kmajor, kminor;
};

static struct pol_loc at(const struct octx *c, const struct jpath *path, size_t n)
{
	if (c->item_idx && n >= 2 && path[0].key && strcmp(path[0].key, "syscalls") == 0 &&
	    !path[1].key && path[1].index == c->item)
		return json_index_locate(c->item_idx, path + 2, n - 2);
	return json_index_locate(c->idx, path, n);
}

#define FAIL(c, loc, ...)                                                                  \
	do {                                                                               \
		policy_diag((c)->p, (c)->d, (loc), __VA_ARGS__);                           \
		return -EINVAL;                                                            \
	} while (0)

/* An errno given as a number or a name ("EPERM"). */
static int parse_errno(struct octx *c, json_t *j, struct pol_loc loc, uint16_t *ret)
{
	if (json_is_integer(j))
		return pol_errno(c->p, c->d, loc, NULL, json_integer_value(j), ret);
	if (json_is_string(j))
		return pol_errno(c->p, c->d, loc, json_string_value(j), 0, ret);
	FAIL(c, loc, "expected an errno number or name");
}

/* runc's getAction attaches errnoRet/defaultErrnoRet only to the actions it gives a
 * default errno (Errno, Trace). */
static bool carries_errno(enum sc_action_type t)
{
	return action_default_data(t, true) != 0;
}

static int parse_action(struct octx *c, json_t *j, struct pol_loc loc, struct sc_action *ret)
{
	enum sc_action_type t;

	if (!json_is_string(j))
		FAIL(c, loc, "expected an action name such as \"SCMP_ACT_ERRNO\"");
	if (sc_action_parse(json_string_value(j), &t) < 0) {
		const char *best[1];
		size_t nb = action_suggest(json_string_value(j), true, best, 1);
		policy_diag(c->p, c->d, loc, "unknown action '%s'", json_string_value(j));
		if (nb)
			sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
		return -EINVAL;
	}
	ret->type = t;
	/* runc: SCMP_ACT_ERRNO and SCMP_ACT_TRACE carry EPERM unless errnoRet says otherwise. */
	ret->data = action_default_data(t, true);
	return 0;
}

static bool in_list(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, w, n) == 0)
			return true;
		p += k + (p[k] == ',');
	}
	return false;
}

/* Does the JSON list of arch names contain the native architecture? */
static bool arches_contain(json_t *list, const struct sc_arch *native)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (json_is_string(e) && sc_arch_lookup(json_string_value(e)) == native)
			return true;
	return false;
}

static bool kernel_at_least(const struct octx *c, const char *v)
{
	unsigned maj = 0, min = 0;

	if (sscanf(v, "%u.%u", &maj, &min) < 1)
		return true;
	return c->kmajor > maj || (c->kmajor == maj && c->kminor >= min);
}

/* Docker's includes/excludes (moby profiles/seccomp setupSeccomp): skip the rule when an
 * exclusion matches (any arch, any cap, kernel ≥ minKernel) or an inclusion fails (arch not
 * listed, a cap missing, kernel < minKernel). */
static bool rule_applies(const struct octx *c, json_t *rule)
{
	json_t *ex = json_object_get(rule, "excludes"), *in = json_object_get(rule, "includes");
	json_t *v, *e;
	size_t i;

	if (json_is_object(ex)) {
		if (json_is_array(v = json_object_get(ex, "arches")) && arches_contain(v, c->native))
			return false;
		if (json_is_array(v = json_object_get(ex, "caps")))
			json_array_foreach(v, i, e)
				if (json_is_string(e) && in_list(c->caps, json_string_value(e)))
					return false;
		if (json_is_string(v = json_object_get(ex, "minKernel")) &&
		    kernel_at_least(c, json_string_value(v)))
			return false;
	}
	if (json_is_object(in)) {
		if (json_is_array(v = json_object_get(in, "arches")) && json_array_size(v) > 0 &&
		    !arches_contain(v, c->native))
			return false;
		if (json_is_array(v = json_object_get(in, "caps")))
			json_array_foreach(v, i, e)
				if (json_is_string(e) && !in_list(c->caps, json_string_value(e)))
					return false;
		if (json_is_string(v = json_object_get(in, "minKernel")) &&
		    !kernel_at_least(c, json_string_value(v)))
			return false;
	}
	return true;
}

static int add_arch(struct octx *c, const char *name, struct pol_loc loc)
{
	const struct sc_arch *a = sc_arch_lookup(name);

	if (!a) {
		const char *best[2];
		policy_diag(c->p, c->d, loc, "unknown architecture '%s'", name);
		if (sc_arch_suggest(name, best, 2))
			sc_diag_hint(c->d, "did you mean '%s'?", best[0]);
		return -EINVAL;
	}
	for (size_t i = 0; i < c->p->narches; i++)
		if (c->p->arches[i] == a)
			return 0;
	c->p->arches = xreallocarray(c->p->arches, c->p->narches + 1, sizeof(*c->p->arches));
	c->p->arch_locs = xreallocarray(c->p->arch_locs, c->p->narches + 1, sizeof(*c->p->arch_locs));
	c->p->arch_locs[c->p->narches] = loc;
	c->p->arches[c->p->narches++] = a;
	return 0;
}

static int parse_arches(struct octx *c, json_t *root)
{
	json_t *list = json_object_get(root, "architectures"), *map = json_object_get(root, "archMap");
	struct jpath path[4];
	size_t i;
	json_t *e;

	if (json_is_array(list) && json_array_size(list) > 0 && json_is_array(map) &&
	    json_array_size(map) > 0) {
		path[0] = JKEY("archMap");
		FAIL(c, at(c, path, 1), "'architectures' and 'archMap' both given");
	}
	json_array_foreach(list, i, e) {
		path[0] = JKEY("architectures");
		path[1] = JIDX(i);
		if (!json_is_string(e))
			FAIL(c, at(c, path, 2), "expected an architecture name");
		if (add_arch(c, json_string_value(e), at(c, path, 2)) < 0)
			return -EINVAL;
	}
	/* Docker: the entry for the engine's own architecture, plus its sub-architectures. */
	json_array_foreach(map, i, e) {
		json_t *main = json_object_get(e, "architecture"), *subs, *s;
		size_t k;
		path[0] = JKEY("archMap");
		path[1] = JIDX(i);
		path[2] = JKEY("architecture");
		if (!json_is_string(main) || sc_arch_lookup(json_string_value(main)) != c->native)
			continue;
		if (add_arch(c, json_string_value(main), at(c, path, 3)) < 0)
			return -EINVAL;
		subs = json_object_get(e, "subArchitectures");
		json_array_foreach(subs, k, s) {
			path[2] = JKEY("subArchitectures");
			path[3] = JIDX(k);
			if (!json_is_string(s) || add_arch(c, json_string_value(s), at(c, path, 4)) < 0)
				return -EINVAL;
		}
	}
	return 0;
}

static int parse_flags(struct octx *c, json_t *root)
{
	json_t *list = json_object_get(root, "flags"), *e;
	struct jpath path[2] = { JKEY("flags") };
	size_t i;

	json_array_foreach(list, i, e) {
		const struct filter_flag *f = filter_flag_parse(json_string_value(e), true);
		path[1] = JIDX(i);
		if (!f)
			FAIL(c, at(c, path, 2), "unknown seccomp flag %s%s%s",
			     json_is_string(e) ? "'" : "", json_is_string(e) ? json_string_value(e) : "",
			     json_is_string(e) ? "'" : "");
		c->p->flags |= f->flag;
	}
	return 0;
}

static int parse_args(struct octx *c, json_t *args, struct pol_rule *r, struct jpath *path, size_t n)
{
	unsigned per_index[6] = { 0 };
	size_t i;
	json_t *a;

	path[n] = JKEY("args");
	if (args && !json_is_array(args))
		FAIL(c, at(c, path, n + 1), "expected a list of argument conditions");
	json_array_foreach(args, i, a) {
		struct cond_fields f = { .oci = true };
		json_t *idx = json_object_get(a, "index"), *op = json_object_get(a, "op");
		json_t *v = json_object_get(a, "value"), *v2 = json_object_get(a, "valueTwo");
		struct pol_cond *pc;

		path[n + 1] = JIDX(i);
		f.loc = at(c, path, n + 2);
		if (!json_is_object(a))
			FAIL(c, f.loc, "expected an argument condition object");
		path[n + 2] = JKEY("index");
		f.index_loc = at(c, path, n + 3);
		if (!json_is_integer(idx))
			FAIL(c, json_object_get(a, "index") ? f.index_loc : f.loc,
			     "expected an integer 'index' from 0 to 5");
		f.has_index = true;
		f.index = json_integer_value(idx);
		if (f.index >= 0 && f.index < 6)
			per_index[f.index]++;
		path[n + 2] = JKEY("op");
		f.type_loc = at(c, path, n + 3);
		f.type = json_is_string(op) ? json_string_value(op) : NULL;
		path[n + 2] = JKEY("value");
		if (v) {
			if (!json_is_integer(v))
				FAIL(c, at(c, path, n + 3), "expected an unsigned integer 'value'");
			f.has_value = true;
			f.value = (struct pol_value){ NULL, (uint64_t)json_integer_value(v), at(c, path, n + 3) };
		}
		path[n + 2] = JKEY("valueTwo");
		if (v2) {
			if (!json_is_integer(v2))
				FAIL(c, at(c, path, n + 3), "expected an unsigned integer 'valueTwo'");
			f.has_value_two = true;
			f.value_two = (struct pol_value){ NULL, (uint64_t)json_integer_value(v2), at(c, path, n + 3) };
		}
		if (!f.has_value) /* the spec's value is required; libseccomp would read 0 */
			f.has_value = true;
		pc = rule_add_cond(r);
		if (cond_build(c->p->file, c->p->src, c->p->srclen, &f, pc, c->d) < 0) {
			r->nconds--;
			return -EINVAL;
		}
	}
	for (unsigned k = 0; k < 6; k++)
		if (per_index[k] > 1)
			r->split_conds = true;
	return 0;
}

static int parse_rule(struct octx *c, json_t *jr, size_t i)
{
	struct jpath path[8] = { JKEY("syscalls"), JIDX(i) };
	json_t *names = json_object_get(jr, "names"), *name = json_object_get(jr, "name");
	json_t *e, *er;
	struct pol_rule *r;
	size_t k;
	char origin[64];

	if (!json_is_object(jr))
		FAIL(c, at(c, path, 2), "expected a syscall rule object");
	if (!rule_applies(c, jr))
		return 0;
	r = policy_add_rule(c->p);
	r->loc = at(c, path, 2);
	snprintf(origin, sizeof(origin), "syscalls[%zu]", i);
	r->origin = xstrdup(origin);
	path[2] = JKEY("action");
	if (!json_object_get(jr, "action"))
		FAIL(c, r->loc, "syscall rule has no 'action'");
	if (parse_action(c, json_object_get(jr, "action"), at(c, path, 3), &r->action) < 0)
		return -EINVAL;
	/* containers/common: an errno name wins over a number. */
	if ((er = json_object_get(jr, "errno")) || (er = json_object_get(jr, "errnoRet"))) {
		path[2] = JKEY(json_object_get(jr, "errno") ? "errno" : "errnoRet");
		if (parse_errno(c, er, at(c, path, 3), &r->action.data) < 0)
			return -EINVAL;
		if (!carries_errno(r->action.type)) {
			/* runc (getAction) drops it; keeping it would make the rule differ from an
			 * equal default and so survive the "action = default" skip. */
			policy_warn(c->p, at(c, path, 3), "'%s' given for %s, which returns no errno: "
				    "ignored, as runc ignores it", path[2].key,
				    sc_action_oci_name(r->action.type));
			r->action.data = 0;
		}
	}
	if (json_is_string(name)) { /* Docker's old single `name` */
		path[2] = JKEY("name");
		rule_add_name(r, json_string_value(name), at(c, path, 3));
	}
	path[2] = JKEY("names");
	if (names && !json_is_array(names))
		FAIL(c, at(c, path, 3), "expected a list of syscall names");
	json_array_foreach(names, k, e) {
		path[3] = JIDX(k);
		if (!json_is_string(e))
			FAIL(c, at(c, path, 4), "expected a syscall name");
		rule_add_name(r, json_string_value(e), at(c, path, 4));
	}
	if (r->nnames == 0)
		FAIL(c, r->loc, "syscall rule names no syscall");
	return parse_args(c, json_object_get(jr, "args"), r, path, 2);
}

/* jansson's integers are int64; OCI's values are uint64 (runc reads them so). Integers
 * above INT64_MAX are rewritten as the negative int64 of the same bits, which casts back.
 * Returns NULL when the text has none. Positions are still taken from the original. */
static char *u64_as_i64(const char *src, size_t len, size_t *ret_len)
{
	char *out = xcalloc(2 * len + 32, 1); /* "-9223372036854775808" outgrows a 19-digit value */
	size_t n = 0;
	bool in_str = false, changed = false;

	for (size_t i = 0; i < len;) {
		bool starts_number = src[i] >= '0' && src[i] <= '9' &&
				     !(i > 0 && strchr("-.0123456789", src[i - 1]));
		size_t k = i;

		if (in_str || src[i] == '"' || !starts_number) {
			if (in_str && src[i] == '\\' && i + 1 < len)
				out[n++] = src[i++];
			else if (src[i] == '"')
				in_str = !in_str;
			out[n++] = src[i++];
			continue;
		}
		while (k < len && src[k] >= '0' && src[k] <= '9')
			k++;
		if (k - i == 20 || (k - i == 19 && strncmp(src + i, "9223372036854775807", 19) > 0)) {
			char num[24];
			unsigned long long v;
			memcpy(num, src + i, k - i);
			num[k - i] = '\0';
			errno = 0;
			v = strtoull(num, NULL, 10);
			if (!errno && v > INT64_MAX && !(k < len && strchr(".eE", src[k]))) {
				n += (size_t)snprintf(out + n, 24, "%lld", (long long)v);
				changed = true;
				i = k;
				continue;
			}
		}
		memcpy(out + n, src + i, k - i);
		n += k - i;
		i = k;
	}
	if (!changed) {
		free(out);
		return NULL;
	}
	*ret_len = n;
	return out;
}

/* Parse @len bytes at @src as jansson reads our profiles (@flags: JSON_DECODE_ANY for an
 * item), OCI's unsigned values made to fit (u64_as_i64). */
static json_t *parse_json(const char *src, size_t len, size_t flags, json_error_t *je)
{
	size_t wlen = 0;
	char *wide = u64_as_i64(src, len, &wlen);
	json_t *j = json_loadb(wide ? wide : src, wide ? wlen : len, JSON_REJECT_DUPLICATES | flags, je);

	free(wide);
	return j;
}

/* A reading of the profile in @root (all of it, or all but the rules, which @items then
 * holds) that cannot stand: the whole text must be read as one, for jansson's own account
 * of what is wrong with it. */
#define READ_WHOLE 1

/* Do the items from @from on parse? A rule found wrong must not hide that the text is not
 * JSON further on: reading the whole text, jansson would have said so first. */
static bool items_parse(const struct sc_policy *p, const struct json_items *items, size_t from)
{
	for (size_t i = from; i < items->n; i++) {
		json_error_t je;
		json_t *j = parse_json(p->src + items->items[i].off, items->items[i].len,
				       JSON_DECODE_ANY, &je);
		if (!j)
			return false;
		json_decref(j);
	}
	return true;
}

/* Rule @i of @items: parsed, read into the model and freed. */
static int read_item(struct octx *c, const struct json_items *items, size_t i)
{
	const struct json_item *it = &items->items[i];
	json_error_t je;
	json_t *jr = parse_json(c->p->src + it->off, it->len, JSON_DECODE_ANY, &je);
	int r;

	if (!jr)
		return READ_WHOLE;
	c->item_idx = json_index_new_at(c->p->src + it->off, it->len, it->line, it->col);
	c->item = i;
	r = parse_rule(c, jr, i);
	json_index_free(c->item_idx);
	c->item_idx = NULL;
	json_decref(jr);
	return r;
}

/* The profile whose root object is @root (with its index in c->idx); the rules from
 * @items when given, else from @root. 0, -EINVAL, or READ_WHOLE (with @items). */
static int read_profile(struct octx *c, json_t *root, const struct json_items *items)
{
	static const char *const known[] = {
		"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures", "archMap",
		"flags", "syscalls", "listenerPath", "listenerMetadata", "comment",
	};
	struct sc_policy *p = c->p;
	struct sc_diag *reterr = c->d;
	struct jpath path[2];
	json_t *v, *e;
	const char *key;
	size_t i;
	int r = 0;

	json_object_foreach(root, key, v) {
		bool ok = false;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= strcmp(key, known[i]) == 0;
		if (!ok) {
			const char *best[1];
			path[0] = JKEY(key);
			policy_warn(p, at(c, path, 1), "unknown key '%s', ignoring", key);
			if (sc_suggest(key, known, sizeof(known) / sizeof(known[0]), best, 1))
				sc_diag_hint(&p->warnings[p->nwarnings - 1], "did you mean '%s'?", best[0]);
		}
	}
	path[0] = JKEY("defaultAction");
	if (!json_object_get(root, "defaultAction")) {
		sc_diag_set(reterr, p->file, p->src, p->srclen, 1, 1, 1, "the profile has no 'defaultAction'");
		r = -EINVAL;
	}
	if (r == 0)
		r = parse_action(c, json_object_get(root, "defaultAction"), at(c, path, 1), &p->def);
	p->def_loc = at(c, path, 1);
	if (r == 0 && ((v = json_object_get(root, "defaultErrno")) ||
		       (v = json_object_get(root, "defaultErrnoRet")))) {
		path[0] = JKEY(json_object_get(root, "defaultErrno") ? "defaultErrno" : "defaultErrnoRet");
		r = parse_errno(c, v, at(c, path, 1), &p->def.data);
		if (r == 0 && !carries_errno(p->def.type)) {
			/* runc ignores it; kept, it would keep rules equal to an Allow default
			 * from being skipped ({getppid: ALLOW}, {getppid: ERRNO} denies in runc). */
			policy_warn(p, at(c, path, 1), "'%s' given for %s, which returns no errno: "
				    "ignored, as runc ignores it", path[0].key, sc_action_oci_name(p->def.type));
			p->def.data = 0;
		}
	}
	if (r == 0)
		r = parse_arches(c, root);
	/* runc and libseccomp always keep the native architecture in the filter (seccomp_init
	 * adds it; runc only adds the listed ones): a profile listing only SCMP_ARCH_X86 still
	 * applies its rules to x86_64 calls. No list at all means the native one alone. */
	if (r == 0 && p->narches > 0 && c->native) {
		path[0] = JKEY("architectures");
		r = add_arch(c, c->native->name, at(c, path, 1));
	}
	if (r == 0)
		r = parse_flags(c, root);
	if (r == 0 && json_object_get(root, "listenerPath")) {
		path[0] = JKEY("listenerPath");
		policy_warn(p, at(c, path, 1),
			    "'listenerPath' is the runtime's business: seccompose does not pass the "
			    "notification fd anywhere, ignoring");
	}
	v = json_object_get(root, "syscalls");
	if (r == 0 && v && !json_is_array(v)) {
		path[0] = JKEY("syscalls");
		policy_diag(p, reterr, at(c, path, 1), "expected a list of syscall rules");
		r = -EINVAL;
	}
	if (items) {
		for (i = 0; r == 0 && i < items->n; i++)
			r = read_item(c, items, i);
		if (r < 0 && !items_parse(p, items, i))
			r = READ_WHOLE;
		return r;
	}
	json_array_foreach(v, i, e) {
		if (r < 0)
			break;
		r = parse_rule(c, e, i);
	}
	return r;
}

/* What read_profile() may have added to @p, taken back to what @was held: the whole text is
 * read again from the start. */
static void forget_reading(struct sc_policy *p, const struct sc_policy *was)
{
	for (size_t i = was->nrules; i < p->nrules; i++)
		rule_clear(&p->rules[i]);
	p->nrules = was->nrules;
	p->narches = was->narches;
	p->nwarnings = was->nwarnings;
	p->flags = was->flags;
	p->def = was->def;
	p->def_loc = was->def_loc;
}

/*
 * The rules one at a time (json_items_split): each parsed, read and freed before the next,
 * so that loading holds the text, the model and one rule's tree, never the whole text's
 * tree (jansson's costs ten times the text). 0 or -EINVAL; READ_WHOLE when the text has no
 * list of rules to split, or is not JSON (jansson's account of it comes from the whole).
 */
static int read_by_items(struct octx *c)
{
	struct json_items items;
	json_error_t je;
	json_t *root;
	int r;

	if (json_items_split(c->p->src, c->p->srclen, "syscalls", &items) < 0)
		return READ_WHOLE;
	root = parse_json(items.rest, items.restlen, 0, &je);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		json_items_free(&items);
		return READ_WHOLE;
	}
	c->idx = json_index_new(items.rest, items.restlen);
	r = read_profile(c, root, &items);
	json_index_free(c->idx);
	c->idx = NULL;
	json_decref(root);
	json_items_free(&items);
	return r;
}

/* The whole text parsed at once: for its errors, and for a text without a list to split. */
static int read_whole(struct octx *c)
{
	struct sc_policy *p = c->p;
	json_error_t je;
	json_t *root;
	int r;

	root = parse_json(p->src, p->srclen, 0, &je);
	if (!root) {
		sc_diag_set(c->d, p->file, p->src, p->srclen, (unsigned)je.line,
			    (unsigned)(je.column > 0 ? je.column : 1), 1, "%s", je.text);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		sc_diag_set(c->d, p->file, p->src, p->srclen, 1, 1, 1,
			    "expected an object with 'defaultAction' and 'syscalls'");
		return -EINVAL;
	}
	c->idx = json_index_new(p->src, p->srclen);
	r = read_profile(c, root, NULL);
	json_index_free(c->idx);
	c->idx = NULL;
	json_decref(root);
	return r;
}

int load_oci(struct sc_policy *p, const struct sc_load_options *o, struct sc_diag *reterr)
{
	struct octx c = { .p = p, .d = reterr };
	struct sc_policy was;
	struct utsname u;
	int r;

	c.native = o && o->native_arch ? sc_arch_lookup(o->native_arch) : sc_arch_native();
	c.caps = o && o->caps ? o->caps : docker_default_caps;
	if (o && o->kernel)
		sscanf(o->kernel, "%u.%u", &c.kmajor, &c.kminor);
	else if (uname(&u) == 0)
		sscanf(u.release, "%u.%u", &c.kmajor, &c.kminor);
	p->drop_default_rules = true;
	/* runc and crun leave libseccomp's bad-architecture action as it is: kill the thread. */
	p->bad_arch = (struct sc_action){ SC_ACT_KILL_THREAD, 0 };
	p->bad_arch_set = true;

	was = *p;
	r = read_by_items(&c);
	if (r == READ_WHOLE) {
		forget_reading(p, &was);
		r = read_whole(&c);
	}
	return r;
}
