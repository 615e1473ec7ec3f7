/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * groups.c — the abstract syscall groups: a database in the seed's JSON format.
 *
 *	{ "open_read": { "description": "…",
 *	                 "rules": [ { "name": "openat", "conditions": [ … ] },
 *	                            { "group": "close_ops" } ] } }
 *
 * The built-in database (data/abstract_syscalls.json) is compiled in, as tables made at
 * build time (groups-table.h: no JSON parsed on every start); `--groups FILE` loads more, a
 * later definition replacing an earlier one of the same name. Names are resolved later
 * (resolve.c), where unknown and cyclic references are reported.
 *
 * A built-in group's rules are built from the tables when the group is first looked up: a
 * policy names a few groups of 183, and building them all was a fifth of the instructions
 * and most of the heap of `seccompose run -- true`. Names and descriptions are the tables'
 * strings, there from the start for listings and suggestions.
 */
#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "text/json-loc.h"
#include "policy/groups-table.h"
#include "policy/policy.h"

/* data/abstract_syscalls.json, embedded at build time (tools/embed.py). */
extern const char builtin_groups_json[];
extern const size_t builtin_groups_json_len;
/* Its name in diagnostics; warnings about it point at the file it is embedded from. */
#define BUILTIN_GROUPS "<built-in groups>"

struct pol_groups *groups_new(void)
{
	return xcalloc(1, sizeof(struct pol_groups));
}

/* Free @n rules of @rules (NULL: none built). */
static void rules_free(struct pol_rule *rules, size_t n)
{
	for (size_t i = 0; rules && i < n; i++)
		rule_clear(&rules[i]);
	free(rules);
}

/* Free @n rules built by table_rules(): their names are one array for the group, pointing
 * into the tables' strings. */
static void table_rules_free(struct pol_rule *rules, size_t n)
{
	if (!rules)
		return;
	free(rules[0].names);
	for (size_t i = 0; i < n; i++) {
		rules[i].names = NULL;
		rules[i].nnames = 0;
		rule_clear(&rules[i]);
	}
	free(rules);
}

static void group_clear(struct pol_group *g)
{
	if (g->table) { /* a built-in group's strings are the tables' */
		table_rules_free(g->rules, g->nrules);
		return;
	}
	free(g->name);
	free(g->description);
	rules_free(g->rules, g->nrules);
}

void groups_free(struct pol_groups *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->ngroups; i++)
		group_clear(&g->groups[i]);
	free(g->groups);
	free(g->sorted);
	for (size_t i = 0; i < g->nfiles; i++) {
		free(g->files[i]);
		if (g->srcs[i] != builtin_groups_json) /* kept, not copied: groups_load_builtin() */
			free(g->srcs[i]);
	}
	free(g->files);
	free(g->srcs);
	free(g->srclens);
	free(g);
}

/*
 * Names are looked up once per reference on every architecture, and a database may hold
 * tens of thousands of groups: a sorted index of the names, rebuilt after each file (the
 * files are few), keeps a lookup logarithmic instead of a scan.
 */
struct named {
	const char *name;
	size_t index;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static void groups_sort(struct pol_groups *g)
{
	struct named *t = xcalloc(g->ngroups, sizeof(*t));

	for (size_t i = 0; i < g->ngroups; i++)
		t[i] = (struct named){ g->groups[i].name, i };
	qsort(t, g->ngroups, sizeof(*t), by_name);
	g->sorted = xreallocarray(g->sorted, g->ngroups, sizeof(*g->sorted));
	for (size_t i = 0; i < g->ngroups; i++)
		g->sorted[i] = t[i].index;
	free(t);
}

/* The group called @name among the first @n sorted ones (those loaded before the current file). */
static struct pol_group *find_sorted(const struct pol_groups *g, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (g && g->sorted && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(g->groups[g->sorted[mid]].name, name);
		if (r == 0)
			return &g->groups[g->sorted[mid]];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Set in groups_table_by_name's order: the built-in database alone needs no sort. */
static void groups_sort_builtin(struct pol_groups *g)
{
	g->sorted = xreallocarray(g->sorted, g->ngroups, sizeof(*g->sorted));
	for (size_t i = 0; i < g->ngroups; i++)
		g->sorted[i] = groups_table_by_name[i];
}

static const struct pol_group *group_built(const struct pol_group *grp);

const struct pol_group *groups_find(const struct pol_groups *g, const char *name)
{
	return g ? group_built(find_sorted(g, g->ngroups, name)) : NULL;
}

const struct pol_group *groups_lookup(const struct pol_groups *g, const char *name)
{
	return g ? find_sorted(g, g->ngroups, name) : NULL;
}

const struct pol_group *groups_at(const struct pol_groups *g, size_t i)
{
	return g && i < g->ngroups ? group_built(&g->groups[i]) : NULL;
}

/* A JSON scalar as a pol_value: integers stay integers, strings stay text. */
static bool json_value(json_t *j, struct pol_value *v, struct pol_loc loc)
{
	memset(v, 0, sizeof(*v));
	v->loc = loc;
	if (json_is_integer(j)) {
		v->num = (uint64_t)json_integer_value(j);
		return true;
	}
	if (json_is_string(j)) {
		v->text = (char *)json_string_value(j); /* borrowed until cond_build copies it */
		return true;
	}
	return false;
}

struct ctx {
	const char *file, *src;
	size_t len;
	struct sc_diag *d;
	struct json_index *idx;
};

static struct pol_loc at(const struct ctx *c, const struct jpath *p, size_t n)
{
	return json_index_locate(c->idx, p, n);
}

#define FAIL(c, loc, ...)                                                                  \
	do {                                                                               \
		struct pol_loc l_ = (loc);                                                 \
		sc_diag_set((c)->d, (c)->file, (c)->src, (c)->len, l_.line, l_.col, l_.span, \
			    __VA_ARGS__);                                                  \
		return -EINVAL;                                                            \
	} while (0)

/* One seed-format condition object → pol_cond. @p is the path to the object. */
static int parse_condition(const struct ctx *c, json_t *jc, struct jpath *p, size_t n,
			   struct pol_cond *out)
{
	struct cond_fields f = { 0 };
	struct pol_value vals[64];
	const char *key;
	json_t *v;
	int r;

	f.loc = at(c, p, n);
	if (!json_is_object(jc))
		FAIL(c, f.loc, "expected a condition object, found %s",
		     json_is_array(jc) ? "an array" : "a scalar");
	json_object_foreach(jc, key, v) {
		struct pol_loc kl;
		p[n] = JKEY(key);
		kl = at(c, p, n + 1);
		if (strcmp(key, "type") == 0 || strcmp(key, "op") == 0) {
			if (!json_is_string(v))
				FAIL(c, kl, "expected a string for '%s'", key);
			f.type = json_string_value(v);
			f.type_loc = kl;
			f.oci = strcmp(key, "op") == 0;
		} else if (strcmp(key, "argument") == 0) {
			if (!json_is_string(v))
				FAIL(c, kl, "expected an argument name (a string) for 'argument'");
			f.arg = json_string_value(v);
			f.arg_loc = kl;
		} else if (strcmp(key, "index") == 0) {
			if (!json_is_integer(v))
				FAIL(c, kl, "expected an integer for 'index'");
			f.has_index = true;
			f.index = json_integer_value(v);
			f.index_loc = kl;
		} else if (strcmp(key, "value") == 0 || strcmp(key, "valueTwo") == 0 ||
			   strcmp(key, "value_two") == 0 || strcmp(key, "mask") == 0 ||
			   strcmp(key, "flags") == 0) {
			struct pol_value *dst = key[0] == 'm' ? &f.mask : key[0] == 'f' ? &f.flags
					      : strcmp(key, "value") == 0 ? &f.value : &f.value_two;
			if (!json_value(v, dst, kl))
				FAIL(c, kl, "expected an integer or a constant name for '%s'", key);
			if (dst == &f.mask)
				f.has_mask = true;
			else if (dst == &f.flags)
				f.has_flags = true;
			else if (dst == &f.value)
				f.has_value = true;
			else
				f.has_value_two = true;
		} else if (strcmp(key, "values") == 0) {
			size_t i;
			json_t *e;
			if (!json_is_array(v) || json_array_size(v) > 64)
				FAIL(c, kl, "expected a list of at most 64 values for 'values'");
			json_array_foreach(v, i, e) {
				p[n + 1] = JIDX(i);
				if (!json_value(e, &vals[i], at(c, p, n + 2)))
					FAIL(c, at(c, p, n + 2), "expected an integer or a constant name");
			}
			f.values = vals;
			f.nvalues = json_array_size(v);
			f.has_values = true;
		} else if (strcmp(key, "description") != 0 && strcmp(key, "comment") != 0) {
			FAIL(c, kl, "unknown key '%s' in a condition", key);
		}
	}
	r = cond_build(c->file, c->src, c->len, &f, out, c->d);
	return r;
}

static int parse_group(const struct ctx *c, const char *name, json_t *jg, struct pol_group *g)
{
	struct jpath p[8] = { JKEY(name) };
	json_t *rules, *desc, *jr;
	size_t i;

	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->file = c->file;
	g->loc = at(c, p, 1);
	if (!json_is_object(jg))
		FAIL(c, g->loc, "group '%s': expected an object with 'description' and 'rules'", name);
	desc = json_object_get(jg, "description");
	g->description = xstrdup(json_is_string(desc) ? json_string_value(desc) : "");
	rules = json_object_get(jg, "rules");
	p[1] = JKEY("rules");
	if (!json_is_array(rules))
		FAIL(c, g->loc, "group '%s': expected a 'rules' list", name);
	g->rules = xcalloc(json_array_size(rules), sizeof(*g->rules));
	json_array_foreach(rules, i, jr) {
		struct pol_rule *r = &g->rules[g->nrules++];
		json_t *jn = json_object_get(jr, "name"), *jref = json_object_get(jr, "group");
		json_t *conds = json_object_get(jr, "conditions"), *jc;
		size_t k;

		p[2] = JIDX(i);
		r->loc = at(c, p, 3);
		r->action.type = SC_ACT_ALLOW;
		if (json_is_string(jref)) {
			p[3] = JKEY("group");
			rule_add_name(r, json_string_value(jref), at(c, p, 4));
			r->is_group = true;
		} else if (json_is_string(jn)) {
			p[3] = JKEY("name");
			rule_add_name(r, json_string_value(jn), at(c, p, 4));
		} else {
			FAIL(c, r->loc, "group '%s': rule %zu needs a 'name' (a syscall) or a 'group'",
			     name, i);
		}
		if (conds && !json_is_array(conds)) {
			p[3] = JKEY("conditions");
			FAIL(c, at(c, p, 4), "expected a list of conditions");
		}
		json_array_foreach(conds, k, jc) {
			p[3] = JKEY("conditions");
			p[4] = JIDX(k);
			if (parse_condition(c, jc, p, 5, rule_add_cond(r)) < 0) {
				r->nconds--; /* not built: nothing to free */
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Keep @file's name and @text (for diagnostics that quote it); returns its index. */
static size_t add_file(struct pol_groups *g, const char *file, char *text, size_t len)
{
	size_t f = g->nfiles++;

	g->files = xreallocarray(g->files, g->nfiles, sizeof(*g->files));
	g->srcs = xreallocarray(g->srcs, g->nfiles, sizeof(*g->srcs));
	g->srclens = xreallocarray(g->srclens, g->nfiles, sizeof(*g->srclens));
	g->files[f] = xstrdup(file);
	g->srcs[f] = text;
	g->srclens[f] = len;
	return f;
}

/* Load @src, which the database keeps as @text (for diagnostics that quote it): a copy of
 * a file's, or the built-in text itself, which lives as long as the program. */
static int groups_load_text(struct pol_groups *g, const char *file, const char *src, size_t len,
			    char *text, struct sc_diag *reterr, struct sc_diag **warnings,
			    size_t *nwarnings)
{
	json_error_t je;
	json_t *root, *jg;
	const char *name;
	struct ctx c;
	size_t f, nsorted = g->sorted ? g->ngroups : 0; /* the groups of earlier files */
	int r = 0;

	f = add_file(g, file, text, len);
	c = (struct ctx){ g->files[f], g->srcs[f], len, reterr, NULL };

	root = json_loadb(src, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		sc_diag_set(reterr, file, src, len, (unsigned)je.line, (unsigned)je.column, 1, "%s",
			    je.text);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		FAIL(&c, ((struct pol_loc){ 1, 1, 1 }), "expected an object of groups, { \"name\": { … } }");
	}
	c.idx = json_index_new(src, len);
	json_object_foreach(root, name, jg) {
		struct pol_group ng;
		struct pol_group *slot = NULL;

		if (parse_group(&c, name, jg, &ng) < 0) {
			group_clear(&ng);
			r = -EINVAL;
			break;
		}
		slot = find_sorted(g, nsorted, name); /* names within one file are unique */
		if (slot && warnings) {
			/* A later file overrides, which is the point of --groups, but never silently:
			 * every policy naming the group changes meaning. Both places are named. */
			struct sc_diag *w;
			bool builtin = strcmp(slot->file, BUILTIN_GROUPS) == 0;
			*warnings = xgrow_n(*warnings, *nwarnings, 1, sizeof(**warnings));
			w = &(*warnings)[(*nwarnings)++];
			sc_diag_set(w, g->files[f], g->srcs[f], len, ng.loc.line, ng.loc.col, ng.loc.span,
				    "group '%s' redefines the %sgroup of that name: policies naming it "
				    "get this definition", name, builtin ? "built-in " : "");
			sc_diag_hint(w, "the %s one is at %s:%u:%u; give this one another name to keep both",
				     builtin ? "built-in" : "earlier",
				     builtin ? "data/abstract_syscalls.json" : slot->file, slot->loc.line,
				     slot->loc.col);
			w->warning = true;
		}
		if (slot) { /* a later file overrides */
			group_clear(slot);
			*slot = ng;
		} else {
			g->groups = xgrow_n(g->groups, g->ngroups, 1, sizeof(*g->groups));
			g->groups[g->ngroups++] = ng;
		}
	}
	groups_sort(g);
	/* A database's faults are reported where they are written, once, whether or not a
	 * policy uses the group: names no architecture has, and argument names no version of
	 * the syscall has. They are skipped when the group is used. */
	for (size_t i = 0; r == 0 && warnings && i < g->ngroups; i++) {
		const struct pol_group *grp = &g->groups[i];
		if (grp->file != g->files[f])
			continue;
		for (size_t k = 0; k < grp->nrules; k++) {
			const struct pol_rule *rule = &grp->rules[k];
			const char *sname = rule->names[0].name;
			struct sc_diag *w;
			const struct sc_arch *native = sc_arch_native();
			bool known = sc_syscall_known(sname);
			if (rule->is_group || (known && (!native || sc_syscall_lookup(native, sname))))
				continue;
			*warnings = xgrow_n(*warnings, *nwarnings, 1, sizeof(**warnings));
			w = &(*warnings)[(*nwarnings)++];
			if (known) /* another ABI's call: it drops out here, which the author should know */
				sc_diag_set(w, g->files[f], g->srcs[f], len, rule->names[0].loc.line,
					    rule->names[0].loc.col, rule->names[0].loc.span,
					    "'%s' in group '%s' is not a syscall on %s, skipping it there", sname,
					    grp->name, native->name);
			else
				sc_diag_set(w, g->files[f], g->srcs[f], len, rule->names[0].loc.line,
					    rule->names[0].loc.col, rule->names[0].loc.span,
					    "unknown syscall '%s' in group '%s', skipping", sname, grp->name);
			w->warning = true;
			if (!known) {
				const char *best[2];
				size_t nb = sc_syscall_suggest(native, sname, best, 2);
				if (nb)
					sc_diag_hint(w, "did you mean '%s'?", best[0]);
			}
		}
	}
	json_index_free(c.idx);
	json_decref(root);
	return r;
}

int groups_load(struct pol_groups *g, const char *file, const char *src, size_t len,
		struct sc_diag *reterr, struct sc_diag **warnings, size_t *nwarnings)
{
	char *text = xcalloc(len + 1, 1);

	memcpy(text, src, len);
	return groups_load_text(g, file, src, len, text, reterr, warnings, nwarnings);
}

/* A value of the tables as the JSON loader's json_value() gives it (text borrowed). */
static struct pol_value table_value(uint32_t i)
{
	const struct gt_value *v = &groups_table_values[i];

	return (struct pol_value){
		.text = v->text == GT_NONE ? NULL : (char *)&groups_table_strings[v->text],
		.num = v->num,
		.loc = v->loc,
	};
}

static const char *table_string(uint32_t off)
{
	return off == GT_NONE ? NULL : &groups_table_strings[off];
}

/* One condition of the tables → pol_cond, through cond_build() as parse_condition() does;
 * placed in the embedded text, as the JSON loader would place it. */
static int table_condition(const char *file, const struct gt_cond *tc, struct pol_cond *out,
			   struct sc_diag *reterr)
{
	struct pol_value vals[64];
	struct cond_fields f = {
		.type = table_string(tc->type),
		.type_loc = tc->type_loc,
		.arg = table_string(tc->arg),
		.arg_loc = tc->arg_loc,
		.has_index = tc->has & GT_INDEX,
		.index = tc->index,
		.index_loc = tc->index_loc,
		.has_value = tc->has & GT_VALUE,
		.has_value_two = tc->has & GT_VALUE_TWO,
		.has_mask = tc->has & GT_MASK,
		.has_flags = tc->has & GT_FLAGS,
		.has_values = tc->has & GT_VALUES,
		.loc = tc->loc,
		.oci = tc->oci,
	};

	if (f.has_value)
		f.value = table_value(tc->value);
	if (f.has_value_two)
		f.value_two = table_value(tc->value_two);
	if (f.has_mask)
		f.mask = table_value(tc->mask);
	if (f.has_flags)
		f.flags = table_value(tc->flags);
	if (f.has_values) {
		for (uint32_t i = 0; i < tc->nvalues && i < 64; i++)
			vals[i] = table_value(tc->values + i);
		f.values = vals;
		f.nvalues = tc->nvalues;
	}
	return cond_build(file, builtin_groups_json, builtin_groups_json_len, &f, out, reterr);
}

/* Rule @k of built-in group @grp, from its tables, into @r (zeroed) naming @name. It names
 * one syscall or group; the strings are the tables' own, which live as long as the process:
 * only the conditions are allocated. */
static void table_rule(const struct pol_group *grp, uint32_t k, struct pol_rule *r,
		       struct pol_name *name)
{
	const struct gt_rule *tr = &groups_table_rules[grp->table->rules + k];

	r->loc = tr->loc;
	r->action.type = SC_ACT_ALLOW;
	r->is_group = tr->is_group;
	*name = (struct pol_name){ (char *)&groups_table_strings[tr->name], tr->name_loc };
	r->names = name;
	r->nnames = 1;
	for (uint32_t j = 0; j < tr->nconds; j++) {
		struct sc_diag d = { 0 };
		/* The generator read the same JSON and the groups-table test builds every
		 * group: a condition cond_build() refuses here is a broken build. */
		if (table_condition(grp->file, &groups_table_conds[tr->conds + j], rule_add_cond(r), &d) < 0)
			abort();
	}
}

/* The rules of built-in group @grp, from its tables. The names are one array for all the
 * rules (freed with the first, table_rules_free()). A group's few hundred rules were two
 * allocations each, most of a compile's. */
static struct pol_rule *table_rules(const struct pol_group *grp)
{
	const struct gt_group *tg = grp->table;
	struct pol_rule *rules = xcalloc(tg->nrules ? tg->nrules : 1, sizeof(*rules));
	struct pol_name *names = tg->nrules ? xcalloc(tg->nrules, sizeof(*names)) : NULL;

	for (uint32_t k = 0; k < tg->nrules; k++)
		table_rule(grp, k, &rules[k], &names[k]);
	return rules;
}

const struct pol_rule *group_rule(const struct pol_group *grp, size_t i, struct group_rule_scratch *s)
{
	struct pol_rule *built = atomic_load_explicit(&((struct pol_group *)grp)->rules, memory_order_acquire);

	group_rule_release(s);
	if (built || !grp->table)
		return &built[i];
	table_rule(grp, (uint32_t)i, &s->rule, &s->name);
	return &s->rule;
}

void group_rule_release(struct group_rule_scratch *s)
{
	s->rule.names = NULL; /* the scratch's own name, not an allocation */
	s->rule.nnames = 0;
	rule_clear(&s->rule);
	s->rule = (struct pol_rule){ 0 };
}

/* @grp with its rules: a built-in group's built on first use. Threads sharing a database
 * may race to build one: the first to publish wins, the others free theirs (as the catalog's
 * syscall views do). NULL stays NULL. */
static const struct pol_group *group_built(const struct pol_group *grp)
{
	struct pol_group *g = (struct pol_group *)grp; /* the database is ours, not const */
	struct pol_rule *expected = NULL, *built;

	if (!g || !g->table || atomic_load_explicit(&g->rules, memory_order_acquire))
		return g;
	built = table_rules(g);
	if (!atomic_compare_exchange_strong_explicit(&g->rules, &expected, built,
						     memory_order_acq_rel, memory_order_acquire))
		table_rules_free(built, g->nrules);
	return g;
}

int groups_load_builtin(struct pol_groups *g, struct sc_diag *reterr)
{
	/* 84 KB not copied on every start: the diagnostics quote the embedded text itself. */
	size_t f = add_file(g, BUILTIN_GROUPS, (char *)builtin_groups_json, builtin_groups_json_len);
	size_t nsorted = g->sorted ? g->ngroups : 0, nnew = 0;

	(void)reterr; /* nothing fails here now: the rules are built when used (group_built) */
	/* Room for the new ones at once: appending one by one doubled the array eight times. */
	for (size_t i = 0; i < groups_table_ngroups; i++)
		nnew += !find_sorted(g, nsorted, &groups_table_strings[groups_table_groups[i].name]);
	g->groups = xgrow_n(g->groups, g->ngroups, nnew, sizeof(*g->groups));
	for (size_t i = 0; i < groups_table_ngroups; i++) {
		const struct gt_group *tg = &groups_table_groups[i];
		struct pol_group ng = {
			.name = (char *)&groups_table_strings[tg->name],
			.description = (char *)&groups_table_strings[tg->description],
			.nrules = tg->nrules,
			.file = g->files[f],
			.loc = tg->loc,
			.table = tg,
		};
		struct pol_group *slot = find_sorted(g, nsorted, ng.name);

		if (slot) { /* loaded after another database: this one overrides, as a file would */
			group_clear(slot);
			*slot = ng;
		} else {
			g->groups[g->ngroups++] = ng;
		}
	}
	if (g->ngroups == groups_table_ngroups && nsorted == 0)
		groups_sort_builtin(g);
	else
		groups_sort(g);
	return 0;
}

/* The JSON loader on the built-in text, for the test that compares it with the tables. */
int groups_load_builtin_json(struct pol_groups *g, struct sc_diag *reterr)
{
	return groups_load_text(g, BUILTIN_GROUPS, builtin_groups_json, builtin_groups_json_len,
				(char *)builtin_groups_json, reterr, NULL, NULL);
}
