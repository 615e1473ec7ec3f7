/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load.c — read a policy file, pick its front end, attach the group database.
 *
 * The format is the caller's choice, else the extension (.json → OCI, .toml → TOML),
 * else the content (a first non-blank '{' is JSON).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/policy.h"

#define MAX_POLICY_SIZE (64u << 20) /* a policy larger than this is a mistake */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum pol_format pick_format(const char *name, const char *buf, size_t len, unsigned flags)
{
	if (flags & SC_LOAD_FORMAT_OCI)
		return POL_FORMAT_OCI;
	if (flags & SC_LOAD_FORMAT_TOML)
		return POL_FORMAT_TOML;
	if (name && ends_with(name, ".json"))
		return POL_FORMAT_OCI;
	if (name && ends_with(name, ".toml"))
		return POL_FORMAT_TOML;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')
			continue;
		return buf[i] == '{' ? POL_FORMAT_OCI : POL_FORMAT_TOML;
	}
	return POL_FORMAT_TOML;
}

/* The group database as the builder loads it (sc_groups_load); the group file's warnings
 * move to the policy, ahead of the policy's own. */
static int load_groups(struct sc_policy *p, const struct sc_load_options *o, struct sc_diag *d)
{
	struct sc_groups *g;
	int r = sc_groups_load(o, &g, d);

	if (r < 0)
		return r;
	p->shared_groups = g;
	p->groups = g->db;
	p->warnings = g->warnings;
	p->nwarnings = g->nwarnings;
	g->warnings = NULL;
	g->nwarnings = 0;
	return 0;
}

/* Load @p, whose source is set; frees it on failure. */
static int load(struct sc_policy *p, const struct sc_load_options *opts, struct sc_policy **ret,
		struct sc_diag *reterr)
{
	unsigned flags = opts ? opts->flags : 0;
	int r;

	p->format = pick_format(p->file, p->src, p->srclen, flags);
	p->allow_unknown = flags & SC_LOAD_ALLOW_UNKNOWN;
	p->mux = flags & SC_LOAD_MUX_ALLOW ? POL_MUX_ALLOW : POL_MUX_DENY;
	r = load_groups(p, opts, reterr);
	if (r == 0)
		r = p->format == POL_FORMAT_OCI ? load_oci(p, opts, reterr) : load_toml(p, reterr);
	if (r == 0 && opts)
		r = policy_apply_options(p, opts, reterr);
	if (r < 0) {
		sc_policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

SC_EXPORT int sc_policy_load_buffer(const char *name, const char *buf, size_t len,
				    const struct sc_load_options *opts, struct sc_policy **ret,
				    struct sc_diag *reterr)
{
	return load(policy_new(name, buf, len), opts, ret, reterr);
}

SC_EXPORT int sc_policy_load_file(const char *path, const struct sc_load_options *opts,
				  struct sc_policy **ret, struct sc_diag *reterr)
{
	char *buf;
	size_t len;
	int r;

	r = sc_file_read(path, MAX_POLICY_SIZE, &buf, &len);
	if (r < 0) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot read '%s': %s", path, strerror(-r));
		return r;
	}
	r = load(policy_new_owned(strcmp(path, "-") == 0 ? "<stdin>" : path, buf, len), opts, ret,
		 reterr);
	/* A file that says nothing (empty, or only comments) is deny-everything, which is safe
	 * but almost never meant: a truncated or wrong file. Say so rather than kill the program
	 * at its first call with no word. (Buffers are exempt: `groups` loads an empty one.) */
	if (r == 0 && (*ret)->format == POL_FORMAT_TOML && (*ret)->nrules == 0 &&
	    (*ret)->def_loc.line == 0) {
		policy_warn(*ret, (struct pol_loc){ 0, 0, 0 }, "the policy is empty: no "
			    "default_action and no rules, so every call kills the process (KillProcess)");
		snprintf((*ret)->warnings[(*ret)->nwarnings - 1].hint,
			 sizeof((*ret)->warnings[0].hint),
			 "write default_action = \"KillProcess\" to mean it, or check the file");
	}
	return r;
}
