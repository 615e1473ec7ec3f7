/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * filter.c — a compiled policy: its rule set and its BPF program, and what can be done
 * with them (install, evaluate, export, explain).
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/apply.h"
#include "bpf/bpf-gen.h"
#include "bpf/bpf-sim.h"
#include "export/export.h"
#include "base/file-name.h"
#include "api/filter.h"
#include "policy/policy.h"

/*
 * A filter longer than the kernel takes: name the policy rules that cost the most, so the
 * author knows what to cut. A rule's cost is the instructions of its tests on every syscall
 * and ABI it expanded to; each ir rule's origin starts with the policy line it came from
 * ("policy.toml:12 (…)"), groups included.
 */
struct cost {
	size_t rule; /* index in the policy */
	size_t insns, tests;
	const char *sys; /* the syscall it costs most on */
	size_t sys_insns;
};

struct line_rule {
	unsigned line;
	size_t rule;
};

static int by_line(const void *a, const void *b)
{
	const struct line_rule *x = a, *y = b;
	return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
				  : (x->rule > y->rule) - (x->rule < y->rule);
}

/* The policy rule an ir rule's origin names: its line, looked up in @lines (sorted). */
static long origin_rule(const struct sc_policy *p, const struct line_rule *lines,
			const char *origin)
{
	size_t fl = strlen(p->file), lo = 0, hi = p->nrules;
	unsigned long line;

	if (!origin || strncmp(origin, p->file, fl) != 0 || origin[fl] != ':')
		return -1;
	line = strtoul(origin + fl + 1, NULL, 10);
	while (lo < hi) { /* the first rule on the line */
		size_t mid = lo + (hi - lo) / 2;
		if (lines[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nrules && lines[lo].line == line ? (long)lines[lo].rule : -1;
}

static int by_cost(const void *a, const void *b)
{
	const struct cost *x = a, *y = b;
	return x->insns < y->insns ? 1 : x->insns > y->insns ? -1 : (x->rule > y->rule) - (x->rule < y->rule);
}

/* @s's name on @a's ABI, "?" for a number the catalog does not name. */
static const char *call_name(const struct ir_arch *a, const struct ir_syscall *s)
{
	const struct sc_syscall *sys = ir_call_sys(a, s);

	return sys ? sys->name : "?";
}

static void blame_size(const struct sc_policy *p, const struct ir *ir, size_t total,
		       struct sc_diag *d)
{
	struct cost *c;
	size_t *here, *touched, ntouched, n = p->nrules, worst = 0, worst_rules = 0;
	const char *worst_sys = "?", *worst_arch = "?";
	struct line_rule *lines;
	char hint[sizeof(d->hint)] = "";
	const struct pol_rule *top;

	if (n == 0)
		return;
	c = xcalloc(n, sizeof(*c));
	here = xcalloc(n, sizeof(*here));
	touched = xcalloc(n, sizeof(*touched));
	lines = xcalloc(n, sizeof(*lines));
	for (size_t k = 0; k < n; k++) {
		c[k].rule = k;
		lines[k] = (struct line_rule){ p->rules[k].loc.line, k };
	}
	qsort(lines, n, sizeof(*lines), by_line);
	for (size_t i = 0; i < ir->narches; i++) {
		const struct ir_arch *a = &ir->arches[i];
		for (size_t j = 0; j < a->ncalls; j++) {
			const struct ir_syscall *s = &a->calls[j];
			size_t sum = 0;
			/* Neighbours with the same rules share one block (bpf-gen's intervals). */
			if (j > 0 && a->calls[j - 1].nr + 1 == s->nr && ir_rules_equal(&a->calls[j - 1], s))
				continue;
			ntouched = 0;
			for (size_t k = 0; k < s->nrules; k++) {
				long at = origin_rule(p, lines, s->rules[k].origin);
				size_t cost = bpf_rule_cost(a, &s->rules[k]);
				sum += cost;
				if (at < 0)
					continue;
				if (here[at] == 0)
					touched[ntouched++] = (size_t)at;
				here[at] += cost;
				c[at].insns += cost;
				c[at].tests++;
			}
			for (size_t t = 0; t < ntouched; t++) {
				struct cost *x = &c[touched[t]];
				if (here[touched[t]] > x->sys_insns) {
					x->sys_insns = here[touched[t]];
					x->sys = call_name(a, s);
				}
				here[touched[t]] = 0;
			}
			if (sum > worst) {
				worst = sum;
				worst_rules = s->nrules;
				worst_sys = call_name(a, s);
				worst_arch = a->arch->name;
			}
		}
	}
	qsort(c, n, sizeof(*c), by_cost);
	if (c[0].insns == 0)
		goto out;
	top = &p->rules[c[0].rule];
	for (size_t k = 1; k < n && k < 4 && c[k].insns; k++) {
		const struct pol_rule *r = &p->rules[c[k].rule];
		size_t used = strlen(hint);
		snprintf(hint + used, sizeof(hint) - used, "%s%s:%u:%u costs %zu", k > 1 ? ", " : "next rules: ",
			 p->file, r->loc.line, r->loc.col, c[k].insns);
	}
	if (hint[0])
		strncat(hint, "; ", sizeof(hint) - strlen(hint) - 1);
	strncat(hint, "fewer values per condition, fewer syscalls per rule or fewer architectures shorten it",
		sizeof(hint) - strlen(hint) - 1);
	sc_diag_set(d, p->file, p->src, p->srclen, top->loc.line, top->loc.col, top->loc.span,
		    "the filter needs %zu instructions; the kernel accepts at most %d: this rule costs "
		    "%zu (%zu filter rules, %zu of it on '%s'); '%s' on %s costs %zu (%zu rules)",
		    total, BPF_MAXINSNS, c[0].insns, c[0].tests, c[0].sys_insns, c[0].sys, worst_sys,
		    worst_arch, worst, worst_rules);
	sc_diag_hint(d, "%s", hint);
out:
	free(lines);
	free(c);
	free(here);
	free(touched);
}

SC_EXPORT int sc_policy_compile(struct sc_policy *p, struct sc_filter **ret, struct sc_diag *reterr)
{
	struct sc_filter *f = xcalloc(1, sizeof(*f));
	char err[256];
	int r;

	f->policy = p;
	r = resolve_policy(p, &f->ir, reterr);
	if (r == 0) {
		r = bpf_gen(f->ir, &f->prog, &f->len, reterr);
		if (r == -E2BIG)
			blame_size(p, f->ir, f->len, reterr);
	}
	if (r == 0 && bpf_sim_check(f->prog, f->len, err, sizeof(err)) < 0) {
		/* Our own output failing the kernel's rules is our bug, said plainly. */
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "internal error: generated filter is invalid: %s",
			    err);
		r = -EINVAL;
	}
	if (r < 0) {
		sc_filter_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

SC_EXPORT struct sc_filter *sc_filter_free(struct sc_filter *f)
{
	if (!f)
		return NULL;
	ir_free(f->ir);
	sc_policy_free(f->owned_policy);
	free(f->prog);
	free(f);
	return NULL;
}

SC_EXPORT const void *sc_filter_program(const struct sc_filter *f, size_t *ret_count)
{
	*ret_count = f->len;
	return f->prog;
}

SC_EXPORT int sc_filter_install(const struct sc_filter *f, unsigned flags)
{
	return sc_program_install(f->prog, f->len, flags | f->ir->flags);
}

SC_EXPORT int sc_program_install(const void *prog, size_t count, unsigned flags)
{
	unsigned a = 0;

	if (flags & SC_FILTER_TSYNC)
		a |= APPLY_TSYNC;
	if (flags & SC_FILTER_LOG)
		a |= APPLY_LOG;
	if (flags & SC_FILTER_SPEC_ALLOW)
		a |= APPLY_SPEC_ALLOW;
	if (flags & SC_FILTER_WAIT_KILLABLE_RECV)
		a |= APPLY_WAIT_KILLABLE_RECV;
	if (flags & SC_FILTER_NO_NNP)
		a |= APPLY_NO_NNP;
	return apply_filter(prog, count, a);
}

SC_EXPORT int sc_restrict_ptrace(unsigned flags)
{
	return apply_ptrace_scope(flags & SC_FILTER_NO_NNP ? APPLY_NO_NNP : 0);
}

void filter_seccomp_data(const struct sc_arch *arch, uint32_t nr, const uint64_t args[6],
			 struct seccomp_data *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->nr = (int)nr;
	ret->arch = arch->audit_arch;
	for (int i = 0; i < 6; i++) {
		uint64_t v = args ? args[i] : 0;
		/* The filter reads 32-bit words in the target's byte order (on a big-endian ABI
		 * the high half of an argument comes first); the interpreter reads in ours. */
		if ((arch->endian == SC_ENDIAN_BIG) != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
			v = (v << 32) | (v >> 32);
		ret->args[i] = v;
	}
}

SC_EXPORT uint32_t sc_filter_eval(const struct sc_filter *f, const struct sc_arch *arch,
				  uint32_t nr, const uint64_t args[6])
{
	return sc_program_eval(f->prog, f->len, arch, nr, args);
}

SC_EXPORT uint32_t sc_program_eval(const void *prog, size_t count, const struct sc_arch *arch,
				   uint32_t nr, const uint64_t args[6])
{
	struct seccomp_data d;

	filter_seccomp_data(arch, nr, args, &d);
	return bpf_sim_run(prog, count, &d);
}

SC_EXPORT size_t sc_filter_rule_count(const struct sc_filter *f, const struct sc_arch *arch, uint32_t nr)
{
	for (size_t i = 0; i < f->ir->narches; i++)
		if (f->ir->arches[i].arch == arch) {
			const struct ir_syscall *s = ir_find(&f->ir->arches[i], nr);
			return s ? s->nrules : 0;
		}
	return 0;
}

/* A growing text buffer on open_memstream. */
static int render(const struct sc_filter *f, int (*fn)(const struct sc_filter *, const void *, FILE *),
		  const void *ctx, char **ret_buf, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int r;

	if (!m)
		return -ENOMEM;
	r = fn(f, ctx, m);
	if (fclose(m) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

static int write_disasm(const struct sc_filter *f, const void *ctx, FILE *m)
{
	(void)ctx;
	return bpf_disasm(f->prog, f->len, m);
}

static int write_c(const struct sc_filter *f, const void *ctx, FILE *m)
{
	(void)ctx;
	fprintf(m, "/* Generated by seccompose %s from ", sc_version());
	file_name_put(m, f->policy->file);
	fprintf(m, ": %zu instructions. */\n"
		   "#include <linux/filter.h>\n\n"
		   "static const struct sock_filter seccompose_filter[] = {\n",
		f->len);
	for (size_t i = 0; i < f->len; i++)
		fprintf(m, "\t{ 0x%02x, %3u, %3u, 0x%08" PRIx32 " },\n", f->prog[i].code, f->prog[i].jt,
			f->prog[i].jf, f->prog[i].k);
	fprintf(m, "};\n\nstatic const struct sock_fprog seccompose_prog = {\n"
		   "\t.len = sizeof(seccompose_filter) / sizeof(seccompose_filter[0]),\n"
		   "\t.filter = (struct sock_filter *)seccompose_filter,\n};\n");
	return 0;
}

/* What the format could not state is said where the policy's warnings are read. */
static void pass_warnings(const struct sc_filter *f, struct export_warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		policy_warn(f->policy, (struct pol_loc){ 0, 0, 0 }, "%s", w->v[i].message);
	export_warnings_clear(w);
}

/* Place @d, an export's refusal of the policy rule whose ir origin is @origin
 * ("policy.toml:12 (…)"), at that rule in the policy's source. */
static void locate_refusal(const struct sc_policy *p, const char *origin, struct sc_diag *d)
{
	size_t fl = p->file ? strlen(p->file) : 0;
	char message[sizeof(d->message)], hint[sizeof(d->hint)];
	unsigned long line;

	if (!origin || !p->src || !fl || strncmp(origin, p->file, fl) != 0 || origin[fl] != ':')
		return;
	line = strtoul(origin + fl + 1, NULL, 10);
	for (size_t k = 0; k < p->nrules; k++) {
		const struct pol_rule *r = &p->rules[k];
		if (r->loc.line != line)
			continue;
		memcpy(message, d->message, sizeof(message));
		memcpy(hint, d->hint, sizeof(hint));
		sc_diag_set(d, p->file, p->src, p->srclen, r->loc.line, r->loc.col, r->loc.span, "%s", message);
		memcpy(d->hint, hint, sizeof(hint));
		return;
	}
}

SC_EXPORT int sc_filter_export(const struct sc_filter *f, enum sc_format format, char **ret_buf,
			       size_t *ret_len, struct sc_diag *reterr)
{
	return sc_filter_export_with(f, format, NULL, ret_buf, ret_len, reterr);
}

SC_EXPORT int sc_spo_name_check(const char *name, struct sc_diag *reterr)
{
	return spo_name_check(name, reterr);
}

SC_EXPORT int sc_filter_export_dir(const struct sc_filter *f, enum sc_format format, const char *dir,
				   struct sc_diag *reterr)
{
	struct export_warnings w = { NULL, 0 };
	int r;

	if (format != SC_FORMAT_OCI_ARTIFACT) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "output format %d is not a directory", (int)format);
		return -EINVAL;
	}
	r = export_artifact(f->ir, &w, dir, reterr);
	pass_warnings(f, &w);
	return r;
}

SC_EXPORT int sc_filter_export_with(const struct sc_filter *f, enum sc_format format,
				    const struct sc_export_options *opts, char **ret_buf,
				    size_t *ret_len, struct sc_diag *reterr)
{
	switch (format) {
	case SC_FORMAT_SPO: {
		struct export_warnings w = { NULL, 0 };
		struct spo_meta meta = { opts ? opts->name : NULL, f->policy->file, f->policy->src,
					 f->policy->srclen, NULL };
		int r = export_spo(f->ir, &meta, &w, ret_buf, ret_len, reterr);
		pass_warnings(f, &w);
		if (r < 0)
			locate_refusal(f->policy, meta.refused_origin, reterr);
		return r;
	}
	case SC_FORMAT_OCI_ARTIFACT:
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the OCI artifact is a directory: write it with sc_filter_export_dir()");
		return -EINVAL;
	case SC_FORMAT_BPF: {
		size_t n = f->len * sizeof(*f->prog);
		char *b = malloc(n ? n : 1);
		if (!b)
			return -ENOMEM;
		memcpy(b, f->prog, n);
		*ret_buf = b;
		*ret_len = n;
		return 0;
	}
	case SC_FORMAT_C:
		return render(f, write_c, NULL, ret_buf, ret_len);
	case SC_FORMAT_DISASM:
		return render(f, write_disasm, NULL, ret_buf, ret_len);
	case SC_FORMAT_OCI:
	case SC_FORMAT_TOML: {
		struct export_warnings w = { NULL, 0 };
		int r = format == SC_FORMAT_OCI
				? export_oci(f->ir, &w, ret_buf, ret_len, reterr)
				: export_toml(f->ir, f->policy->file, &w, ret_buf, ret_len, reterr);
		pass_warnings(f, &w);
		return r;
	}
	}
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "unknown output format %d", (int)format);
	return -EINVAL;
}

static int write_explain(const struct sc_filter *f, const void *arch, FILE *m)
{
	return explain_write(f->ir, arch, m);
}

SC_EXPORT int sc_filter_explain(const struct sc_filter *f, const struct sc_arch *arch, char **ret_buf)
{
	return render(f, write_explain, arch, ret_buf, NULL);
}
