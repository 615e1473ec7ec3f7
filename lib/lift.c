/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lift.c — a recording as a policy a person reads: what was observed is allowed, nothing
 * else (default Errno EPERM); captured arguments become conditions with constant names;
 * with `abstract`, groups whose every member was observed replace those members.
 *
 * Lifting is checked, not guessed: each group is compiled on its own, and an observation
 * counts as explained by it only when the group's filter allows it whatever the arguments
 * the recording did not capture (probed with several values). A group qualifies when every
 * syscall it names has an explained observation; groups are then taken greedily, largest
 * first, while they explain something new. What no group explains stays explicit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "constants.h"
#include "export.h"
#include "filter.h"
#include "policy.h"
#include "record.h"

/* Values for the arguments a recording did not keep: a group must allow them all. */
static const uint64_t probes[] = { 0, 1, 3, 0x7fffffff, 0xffffffffffffffffULL };
#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

struct lgroup {
	const char *name;
	struct sc_policy *p;
	struct sc_filter *f;
	size_t explains;       /* observations it explains */
	bool *expl;            /* per observation */
};

static bool explained_by(const struct sc_filter *f, const struct rec_obs *o)
{
	for (size_t k = 0; k < N_PROBES; k++) {
		uint64_t args[6];
		for (int i = 0; i < 6; i++)
			args[i] = probes[k];
		for (unsigned i = 0; i < o->nargs; i++)
			args[o->argi[i]] = o->argv[i];
		if (sc_action_from_ret(sc_filter_eval(f, o->arch, o->nr, args)).type != SC_ACT_ALLOW)
			return false;
	}
	return true;
}

/* Compile group @name alone for @arch; NULL when it does not resolve there. */
static struct sc_filter *group_filter(const char *name, const struct sc_arch *arch,
				      struct sc_policy **ret_p)
{
	char text[512];
	struct sc_diag d;
	struct sc_filter *f = NULL;

	snprintf(text, sizeof(text),
		 "default_action = \"KillProcess\"\narchitectures = [\"%s\"]\n"
		 "[[abstract_syscalls]]\nnames = [\"%s\"]\naction = \"Allow\"\n",
		 arch->scmp_name, name);
	if (sc_policy_load_buffer("<lift>.toml", text, strlen(text), NULL, ret_p, &d) < 0)
		return NULL;
	if (sc_policy_compile(*ret_p, &f, &d) < 0) {
		*ret_p = sc_policy_free(*ret_p);
		return NULL;
	}
	return f;
}

/* Does @r pin every argument the recording keeps for @sys to one value (an equality, or a
 * mask over all the kept bits)? A `!=` or a range would allow values never observed. */
static bool pins_captured(const struct ir_rule *r, const struct sc_syscall *sys,
			  const struct argcap *cap, size_t ncap)
{
	for (size_t k = 0; k < ncap; k++) {
		int idx = sc_syscall_arg_index(sys, cap[k].arg);
		bool pinned = false;
		if (idx < 0)
			continue;
		for (unsigned c = 0; c < r->ncmp && !pinned; c++) {
			const struct ir_cmp *cm = &r->cmp[c];
			uint64_t w = cm->bits >= 64 ? UINT64_MAX : (UINT64_C(1) << cm->bits) - 1;
			uint64_t kept = cap[k].keep_mask & w;
			pinned = cm->arg == idx && (cm->op == IR_EQ ||
						    (cm->op == IR_MASKED_EQ && (cm->mask & kept) == kept));
		}
		if (!pinned)
			return false;
	}
	return true;
}

/* Every member of the group — each of its rules, on each syscall it names on @arch — was
 * observed: some explained observation matches that rule. And where the recording keeps a
 * syscall's arguments, the group must test them too: lifting `ioctl` with a recorded TCGETS
 * into "ioctl with any request" would lose exactly what the recording was for. */
static bool fully_observed(const struct sc_filter *f, const struct sc_arch *arch,
			   const struct rec_set *s, const bool *expl)
{
	const struct ir_arch *ia = NULL;

	for (size_t i = 0; i < f->ir->narches; i++)
		if (f->ir->arches[i].arch == arch)
			ia = &f->ir->arches[i];
	if (!ia)
		return false;
	for (size_t i = 0; i < ia->ncalls; i++) {
		const struct ir_syscall *sc = &ia->calls[i];
		const struct argcap *cap = NULL;
		size_t ncap = sc->sys ? argcap_lookup(sc->sys->name, &cap) : 0;
		for (size_t r = 0; r < sc->nrules; r++) {
			bool seen = false;
			if (sc->rules[r].action.type != SC_ACT_ALLOW)
				continue;
			if (!pins_captured(&sc->rules[r], sc->sys, cap, ncap))
				return false;
			for (size_t k = 0; k < rec_set_count(s) && !seen; k++) {
				const struct rec_obs *o = rec_set_at(s, k);
				uint64_t args[6] = { 0 };
				if (!expl[k] || o->arch != arch || o->nr != sc->nr)
					continue;
				for (unsigned a = 0; a < o->nargs; a++)
					args[o->argi[a]] = o->argv[a];
				seen = ir_rule_matches(&sc->rules[r], args);
			}
			if (!seen)
				return false;
		}
	}
	return true;
}

static int by_explains(const void *a, const void *b)
{
	const struct lgroup *x = a, *y = b;
	return x->explains < y->explains ? 1 : x->explains > y->explains ? -1 : strcmp(x->name, y->name);
}

/* Choose groups; mark the observations they cover in @covered. Returns the names chosen. */
static size_t lift(const struct rec_set *s, const struct sc_arch *arch, bool *covered,
		   const char ***ret_names)
{
	struct sc_policy *all = NULL;
	struct sc_diag d;
	struct lgroup *g;
	size_t ng, nchosen = 0, n = rec_set_count(s);
	const char **chosen;

	if (sc_policy_load_buffer("<lift>.toml", "", 0, NULL, &all, &d) < 0)
		return 0;
	ng = sc_policy_group_count(all);
	g = xcalloc(ng, sizeof(*g));
	chosen = xcalloc(ng + 1, sizeof(*chosen));
	for (size_t i = 0; i < ng; i++) {
		g[i].name = sc_policy_group(all, i, NULL);
		g[i].f = group_filter(g[i].name, arch, &g[i].p);
		if (!g[i].f)
			continue;
		g[i].expl = xcalloc(n + 1, sizeof(bool));
		for (size_t k = 0; k < n; k++) {
			const struct rec_obs *o = rec_set_at(s, k);
			if (o->arch == arch && explained_by(g[i].f, o)) {
				g[i].expl[k] = true;
				g[i].explains++;
			}
		}
		if (!g[i].explains || !fully_observed(g[i].f, arch, s, g[i].expl))
			g[i].explains = 0;
	}
	qsort(g, ng, sizeof(*g), by_explains);
	for (size_t i = 0; i < ng && g[i].explains; i++) {
		bool adds = false;
		for (size_t k = 0; k < n && !adds; k++)
			adds = g[i].expl[k] && !covered[k];
		if (!adds)
			continue;
		for (size_t k = 0; k < n; k++)
			covered[k] |= g[i].expl[k];
		chosen[nchosen++] = g[i].name;
	}
	for (size_t i = 0; i < ng; i++) {
		sc_filter_free(g[i].f);
		sc_policy_free(g[i].p);
		free(g[i].expl);
	}
	free(g);
	/* The names point into `all`'s group database: copy them out before freeing it. */
	for (size_t i = 0; i < nchosen; i++)
		chosen[i] = xstrdup(chosen[i]);
	sc_policy_free(all);
	*ret_names = chosen;
	return nchosen;
}

/*
 * Calls every process needs whatever a run showed: to end (exit, exit_group) and to return
 * from a signal handler (rt_sigreturn, sigreturn on the ABIs that have it, restart_syscall
 * after an interrupted sleep). A run cut short by a signal never makes them, and a policy
 * without them kills the next program at its exit or its first handled signal.
 */
static const char *const always_allowed[] = {
	"exit", "exit_group", "rt_sigreturn", "sigreturn", "restart_syscall",
};
#define N_ALWAYS (sizeof(always_allowed) / sizeof(always_allowed[0]))

static bool is_always_allowed(const char *name)
{
	for (size_t i = 0; i < N_ALWAYS; i++)
		if (strcmp(name, always_allowed[i]) == 0)
			return true;
	return false;
}

/* @s into a comment line: printable ASCII as is, every other byte as \xNN, so that no
 * string from outside (a command line, a file name) can end the comment and become policy.
 * Callers that want shell quoting (the CLI) quote first; this is the floor. */
static void put_comment_text(FILE *m, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, m);
		else
			fprintf(m, "\\x%02x", *p);
	}
}

/* Captured argument @i of @o as a TOML value, named for its context where another captured
 * argument decides what it means (setsockopt's optname by level, socket's protocol by family). */
static void value_in_context(const struct rec_obs *o, const struct sc_syscall *sys, unsigned i,
			     char *buf, size_t len)
{
	const char *arg = sys->args[o->argi[i]].name;
	char names[256];

	for (unsigned j = 0; j < o->nargs; j++) {
		const char *by = sys->args[o->argi[j]].name;
		if (j == i || !constants_has_context(sys->name, arg, by))
			continue;
		if (constants_format_context(sys->name, arg, o->argv[i], by, o->argv[j], names,
					     sizeof(names)) > 0)
			snprintf(buf, len, "\"%s\"", names);
		else
			snprintf(buf, len, o->argv[i] < 10 ? "%" PRIu64 : "\"0x%" PRIx64 "\"", o->argv[i]);
		return;
	}
	toml_value_text(sys, arg, o->argv[i], buf, len);
}

static void write_conditions(FILE *m, const struct rec_obs *o, const struct sc_syscall *sys)
{
	fprintf(m, "conditions = [");
	for (unsigned i = 0; i < o->nargs; i++) {
		const char *arg = sys->args[o->argi[i]].name;
		const struct argcap *cap = NULL;
		size_t ncap = argcap_lookup(sys->name, &cap);
		uint64_t keep = UINT64_MAX;
		unsigned bits = sc_syscall_arg_bits(o->arch, sys, o->argi[i]);
		uint64_t w = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
		char v[300], mk[300];

		for (size_t k = 0; k < ncap; k++)
			if (strcmp(cap[k].arg, arg) == 0)
				keep = cap[k].keep_mask;
		value_in_context(o, sys, i, v, sizeof(v));
		if ((keep & w) == w) {
			fprintf(m, "%s{ argument = \"%s\", type = \"equals\", value = %s }", i ? ", " : " ",
				arg, v);
		} else {
			char text[280], dropped[256];
			/* A mask that keeps all but a few named bits reads as people write it:
			 * ~(SOCK_NONBLOCK|SOCK_CLOEXEC), not SOCK_DCCP|0xfff7f7f9. */
			int nd = constants_format(sys->name, arg, w & ~keep, dropped, sizeof(dropped));
			if (nd > 0 && !strstr(dropped, "0x"))
				snprintf(text, sizeof(text), nd > 1 ? "~(%s)" : "~%s", dropped);
			else
				mask_text(sys, arg, keep & w, bits, text, sizeof(text));
			snprintf(mk, sizeof(mk), "\"%s\"", text);
			fprintf(m, "%s{ argument = \"%s\", type = \"masked_equals\", mask = %s, value = %s }",
				i ? ", " : " ", arg, mk, v);
		}
	}
	fprintf(m, " ]\n");
}

int rec_write_policy(const struct rec_set *s, const struct rec_output *o, char **ret_buf,
		     size_t *ret_len, struct sc_diag *reterr)
{
	size_t n = rec_set_count(s), nlifted = 0, len = 0;
	bool *covered = xcalloc(n + 1, sizeof(bool));
	const char **lifted = NULL;
	const struct sc_arch *arches[16];
	size_t narches = 0;
	char *buf = NULL, stamp[64];
	FILE *m = open_memstream(&buf, &len);
	struct utsname u;
	time_t now = time(NULL);
	int r = 0;

	if (!m) {
		free(covered);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		const struct rec_obs *ob = rec_set_at(s, k);
		bool seen = false;
		for (size_t i = 0; i < narches; i++)
			seen |= arches[i] == ob->arch;
		if (!seen && narches < 16)
			arches[narches++] = ob->arch;
	}
	if (o->abstract && narches)
		nlifted = lift(s, arches[0], covered, &lifted);

	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	fprintf(m, "# Recorded by seccompose %s on %s, Linux %s\n", sc_version(), stamp, u.release);
	if (o->command) {
		fputs("# Command: ", m);
		put_comment_text(m, o->command);
		fputc('\n', m);
	}
	fprintf(m, "# %zu distinct calls observed%s.\n", n,
		o->abstract ? ", lifted into groups where every member was observed" : "");
	fprintf(m, "default_action = \"Errno\"\ndefault_errno_ret = \"EPERM\"\narchitectures = [");
	for (size_t i = 0; i < narches; i++)
		fprintf(m, "%s\"%s\"", i ? ", " : "", arches[i]->scmp_name);
	fprintf(m, "]\n");
	if (nlifted) {
		fprintf(m, "\n[[abstract_syscalls]]\nnames = [");
		for (size_t i = 0; i < nlifted; i++)
			fprintf(m, "%s\"%s\"", i ? ", " : "", lifted[i]);
		fprintf(m, "]\naction = \"Allow\"\n");
	}
	fprintf(m, "\n# Always allowed, observed or not: a process must be able to end and to return\n"
		   "# from a signal handler, even when the recorded run was cut short.\n"
		   "[[syscalls]]\nnames = [");
	for (size_t i = 0; i < N_ALWAYS; i++)
		fprintf(m, "%s\"%s\"", i ? ", " : "", always_allowed[i]);
	fprintf(m, "]\naction = \"Allow\"\n");
	/* Calls recorded by name alone: one rule. */
	{
		bool any = false;
		const char *done[1024];
		size_t ndone = 0;
		for (size_t k = 0; k < n; k++) {
			const struct rec_obs *ob = rec_set_at(s, k);
			const struct sc_syscall *sys = sc_syscall_by_nr(ob->arch, ob->nr);
			bool dup = false;
			if (covered[k] || ob->nargs || !sys || is_always_allowed(sys->name))
				continue;
			for (size_t i = 0; i < ndone && !dup; i++)
				dup = strcmp(done[i], sys->name) == 0;
			if (dup || ndone == 1024)
				continue;
			done[ndone++] = sys->name;
			fprintf(m, any ? ",\n  \"%s\"" : "\n[[syscalls]]\nnames = [\n  \"%s\"", sys->name);
			any = true;
		}
		if (any)
			fprintf(m, ",\n]\naction = \"Allow\"\n");
	}
	/* Calls whose arguments were kept: a rule each, conditions by name and constant. */
	for (size_t k = 0; k < n; k++) {
		const struct rec_obs *ob = rec_set_at(s, k);
		const struct sc_syscall *sys = sc_syscall_by_nr(ob->arch, ob->nr);
		if (covered[k] || !ob->nargs || !sys)
			continue;
		fprintf(m, "\n[[syscalls]]\nnames = [\"%s\"]\naction = \"Allow\"\n", sys->name);
		write_conditions(m, ob, sys);
	}
	/* Observations of numbers the catalog does not name cannot be written by name. */
	for (size_t k = 0; k < n; k++) {
		const struct rec_obs *ob = rec_set_at(s, k);
		if (!sc_syscall_by_nr(ob->arch, ob->nr))
			fprintf(m, "# not in the catalog, left to the default: %s syscall %u\n",
				ob->arch->name, ob->nr);
	}
	if (fclose(m) != 0)
		r = -ENOMEM;
	for (size_t i = 0; i < nlifted; i++)
		free((char *)lifted[i]);
	free(lifted);
	free(covered);
	if (r == 0 && o->format == SC_FORMAT_OCI) {
		/* The same policy, through the compiler, as OCI JSON. */
		struct sc_policy *p = NULL;
		struct sc_filter *f = NULL;
		r = sc_policy_load_buffer("<recording>.toml", buf, len, NULL, &p, reterr);
		if (r == 0)
			r = sc_policy_compile(p, &f, reterr);
		free(buf);
		buf = NULL;
		if (r == 0)
			r = sc_filter_export(f, SC_FORMAT_OCI, &buf, &len, reterr);
		sc_filter_free(f);
		sc_policy_free(p);
	}
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
