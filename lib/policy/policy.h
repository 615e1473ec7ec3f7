/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy.h — the policy model: what a policy file says, before any name is resolved.
 *
 * Front ends (load-toml.c, load-oci.c) fill it; resolve.c turns it into the rule set
 * (ir.h) per architecture. Names of syscalls, groups, arguments and constants live here
 * with the place they were written, so every later error can point at them.
 *
 * Calling sequence:
 *	struct sc_policy *p = policy_new(file, src, len);      // takes a copy of src
 *	struct pol_rule *r = policy_add_rule(p);               // front end fills r
 *	...
 *	sc_policy_free(p);
 */
#ifndef SC_POLICY_H
#define SC_POLICY_H

#include "base/alloc.h" /* users of the model build it: its allocators come with it */
#include "policy/cond-types.h"
#include "base/loc.h"
#include "seccompose.h"

/* A value as written: an integer, or an expression "A|B|0x10" of constants and integers. */
struct pol_value {
	char *text;       /* NULL when the source gave an integer */
	uint64_t num;     /* the integer, when text is NULL */
	struct pol_loc loc;
};

struct pol_cond {
	int index;               /* argument index, or -1 when named */
	char *arg;               /* the kernel's parameter name, or NULL */
	struct pol_loc arg_loc;
	enum pol_op op;
	struct pol_value value;
	struct pol_value mask;   /* POL_MASKED_EQ */
	struct pol_value *values; /* POL_ANY_OF */
	size_t nvalues;
	struct pol_loc loc;
};

struct pol_name {
	char *name;
	struct pol_loc loc;
};

struct pol_rule {
	struct pol_name *names;
	size_t nnames;
	bool is_group;           /* names are groups ([[abstract_syscalls]], {"group": …}) */
	struct sc_action action;
	struct pol_cond *conds;  /* ANDed */
	size_t nconds;
	bool split_conds;        /* OCI, runc: several args on one index → one rule per arg */
	struct pol_loc loc;
	char *origin;            /* "syscalls[3]", "group open_read" — for explain */
};

struct gt_group;

/* A group: a named union of rules (data/abstract_syscalls.json, seed format). */
struct pol_group {
	char *name;
	char *description;
	/* Each names one syscall, or one group (is_group). A built-in group's are built when
	 * groups_find() or groups_at() first hands it out: NULL until then (nrules is already
	 * right), then published once, atomically, as threads may share a database. */
	struct pol_rule *_Atomic rules;
	size_t nrules;
	const char *file;        /* where it was defined */
	struct pol_loc loc;
	const struct gt_group *table; /* a built-in group: its tables (name, description are theirs) */
};

struct pol_groups {
	struct pol_group *groups;
	size_t ngroups;
	size_t *sorted;          /* indexes into groups, by name: groups_find's binary search */
	char **files;            /* sources, kept for diagnostics */
	char **srcs;
	size_t *srclens;
	size_t nfiles;
};

enum pol_format {
	POL_FORMAT_TOML,
	POL_FORMAT_OCI,
};

/* What to do with i386/ppc/s390 socketcall and ipc, whose real arguments a filter cannot see. */
enum pol_mux {
	POL_MUX_DENY,      /* deny the multiplexer when a rule needs its hidden arguments */
	POL_MUX_ALLOW,     /* allow it unchecked when any rule allows a call it hides */
};

struct sc_policy {
	char *file;
	char *src;
	size_t srclen;
	enum pol_format format;
	struct sc_action def;
	struct pol_loc def_loc;
	struct sc_action bad_arch;   /* for calls from ABIs the policy does not list */
	bool bad_arch_set;
	const struct sc_arch **arches;
	struct pol_loc *arch_locs;
	size_t narches;
	unsigned flags;              /* enum sc_filter_flags */
	struct pol_rule *rules;
	size_t nrules;
	bool allow_unknown;          /* unknown syscall names warn instead of failing */
	bool drop_default_rules;     /* runc: rules whose action is the default are skipped */
	unsigned enosys_after;       /* kernel floor (major*1000+minor): newer syscalls without a rule get ENOSYS; 0 off */
	bool enosys_unknown;         /* numbers above the catalog's get ENOSYS */
	bool restrict_ptrace;        /* `run` adds a Landlock ptrace scope (apply.c) */
	char *weights;               /* a weights file's text (syscall-freq.h), or NULL: built-in */
	size_t weights_len;
	enum pol_mux mux;
	struct pol_groups *groups;   /* embedded database + --groups files */
	struct sc_groups *shared_groups; /* built policies: @groups is its, a reference held */
	struct sc_diag *warnings;
	size_t nwarnings;
};

struct sc_policy *policy_new(const char *file, const char *src, size_t len);
/* The same, taking @src (malloc'd, NUL at @len) instead of copying it: a file read whole
 * is not held twice while it loads. */
struct sc_policy *policy_new_owned(const char *file, char *src, size_t len);
struct pol_rule *policy_add_rule(struct sc_policy *p);
struct pol_cond *rule_add_cond(struct pol_rule *r);
struct pol_name *rule_add_name(struct pol_rule *r, const char *name, struct pol_loc loc);
void policy_warn(struct sc_policy *p, struct pol_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fill @d for a place in the policy's own source. */
void policy_diag(const struct sc_policy *p, struct sc_diag *d, struct pol_loc loc, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));
void rule_clear(struct pol_rule *r);
void cond_clear(struct pol_cond *c);

/* What a condition object says, whatever its syntax (TOML, OCI args, seed JSON): the tree
 * walkers fill this, cond_build() gives it meaning once. */
struct cond_fields {
	const char *type;            /* "equals", "SCMP_CMP_EQ" … (OCI: `op`) */
	struct pol_loc type_loc;
	const char *arg;             /* `argument` */
	struct pol_loc arg_loc;
	bool has_index;
	int64_t index;
	struct pol_loc index_loc;
	bool has_value, has_value_two, has_mask, has_flags;
	struct pol_value value, value_two, mask, flags; /* borrowed text */
	struct pol_value *values;    /* `values` (any_of), borrowed */
	size_t nvalues;
	bool has_values;
	struct pol_loc loc;          /* the whole condition */
	bool oci;                    /* OCI semantics: MASKED_EQ's mask is `value`, datum `valueTwo` */
};

/* Build @out from @f; on error fill @d (placed in @file's @src) and return -EINVAL. */
int cond_build(const char *file, const char *src, size_t len, const struct cond_fields *f,
	       struct pol_cond *out, struct sc_diag *d);

/* An errno given by @name ("EPERM"), or by @num when @name is NULL, checked (0..4095); on
 * error @d is placed at @loc in @p's source and -EINVAL returned. Both loaders' reading. */
int pol_errno(const struct sc_policy *p, struct sc_diag *d, struct pol_loc loc, const char *name,
	      int64_t num, uint16_t *ret);

/* What the caller's options add to a loaded policy (builder.c): the kernel floor, ENOSYS for
 * unknown numbers, a weights file. Both the loader and sc_policy_set_options() apply it. */
int policy_apply_options(struct sc_policy *p, const struct sc_load_options *o,
			 struct sc_diag *reterr);

/* "5.4" → 5004. Returns 0 or -EINVAL. */
int policy_parse_version(const char *s, unsigned *ret);

/* Groups (groups.c). */
struct pol_groups *groups_new(void);
void groups_free(struct pol_groups *g);
/* Load a seed-format JSON database; later definitions override earlier ones by name. */
int groups_load(struct pol_groups *g, const char *file, const char *src, size_t len,
		struct sc_diag *reterr, struct sc_diag **warnings, size_t *nwarnings);
/* The built-in database: its names and descriptions now, each group's rules when it is
 * first found (a run uses a few of 183). */
int groups_load_builtin(struct pol_groups *g, struct sc_diag *reterr);
/* The same database read from its JSON text instead of the build's tables (for tests). */
int groups_load_builtin_json(struct pol_groups *g, struct sc_diag *reterr);
/* The group called @name, its rules built, or NULL. */
const struct pol_group *groups_find(const struct pol_groups *g, const char *name);
/* The group called @name, or NULL, its rules not built: for group_rule(). */
const struct pol_group *groups_lookup(const struct pol_groups *g, const char *name);
/* Room for one rule of a built-in group, built from the tables when asked for. */
struct group_rule_scratch {
	struct pol_rule rule;
	struct pol_name name;
};
/* Rule @i of @grp (a group from groups_lookup), for a reader that takes each once, in turn:
 * resolving a policy. A built-in group whose rules nobody has built yet has rule @i built
 * into @s, replacing the one there, rather than all its rules built and kept for the life of
 * the database (the largest part of a run's memory, and each page costs a fault). Release
 * @s with group_rule_release() when done. */
const struct pol_rule *group_rule(const struct pol_group *grp, size_t i, struct group_rule_scratch *s);
void group_rule_release(struct group_rule_scratch *s);
/* The @i-th group (i < ngroups), its rules built: for walks over all of them. The groups[]
 * array itself holds only names and descriptions of built-in groups not yet used. */
const struct pol_group *groups_at(const struct pol_groups *g, size_t i);

/* Front ends. Return 0 or -EINVAL with @reterr filled. */
int load_toml(struct sc_policy *p, struct sc_diag *reterr);
int load_oci(struct sc_policy *p, const struct sc_load_options *o, struct sc_diag *reterr);

/* ==== The builder and the TOML writer (builder.c, policy-toml.c) ==== */

/* The group database on its own (seccompose.h): loaded once, shared by the policies built
 * on it, freed with the last reference. */
struct sc_groups {
	struct pol_groups *db;
	unsigned refs;
	struct sc_diag *warnings;    /* from a --groups file */
	size_t nwarnings;
};

/* What a person reads beside a rule: comment lines before its table, names one per line,
 * conditions on one line (the default: names on one line, a condition per line). */
struct policy_toml_rule {
	const char *const *comments;
	size_t ncomments;
	bool names_per_line;
	bool conds_inline;
};

/* Layout beside the model: comment lines before and after the policy (any bytes: written
 * escaped), and per rule of the policy (NULL: the defaults for all). */
struct policy_toml_layout {
	const char *const *header;
	size_t nheader;
	const struct policy_toml_rule *rules;
	const char *const *trailer;
	size_t ntrailer;
};

/* @p as our TOML, which loads back to the same model. 0, or -ENOMEM / -EINVAL. */
int policy_write_toml(const struct sc_policy *p, const struct policy_toml_layout *l, char **ret_buf,
		      size_t *ret_len);

#endif
