/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explain.c — what a policy ends up doing, per syscall, in the order the filter decides,
 * with where each rule came from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "catalog/constants.h"
#include "export/export.h"

/* A value as the constant that names it for this syscall argument, else hex or decimal. */
static void value_text(const struct sc_syscall *sys, const char *arg, uint64_t v, unsigned bits,
		       char *buf, size_t len)
{
	if (sys && arg && v != 0 && constants_format(sys->name, arg, v, buf, len) > 0)
		return;
	if (sys && arg && v == 0) {
		const struct sc_constant *k = sc_constant_for_value(sys->name, arg, 0);
		if (k) {
			snprintf(buf, len, "%s", k->name);
			return;
		}
	}
	if (bits <= 32 && (v & 0x80000000u) && v <= UINT32_MAX && v >= 0xffff0000u)
		snprintf(buf, len, "%" PRId32, (int32_t)(uint32_t)v); /* -100, not 0xffffff9c */
	else if (v < 10)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
}

/* Does constant @c name a value of argument @use ("openat:flags")? */
static bool used_for(const struct sc_constant *c, const char *use)
{
	size_t n = strlen(use);

	for (const char *at = strstr(c->uses, use); at; at = strstr(at + 1, use))
		if ((at == c->uses || at[-1] == ' ') && (at[n] == ' ' || at[n] == '\0'))
			return true;
	return false;
}

const char *mask_text(const struct sc_syscall *sys, const char *arg, uint64_t v, unsigned bits,
		      char *buf, size_t len)
{
	const struct sc_constant *best = NULL;
	char use[96], rest[256];

	if (sys && arg) {
		snprintf(use, sizeof(use), "%s:%s", sys->name, arg);
		/* A mask named exactly (O_ACCMODE), else the widest multi-bit constant inside it,
		 * with the rest of the bits as flags: "O_ACCMODE|O_CREAT|O_TRUNC". Flag formatting
		 * alone never prints masks. */
		for (size_t i = 0; i < sc_constant_count(); i++) {
			const struct sc_constant *c = sc_constant_at(i);
			if (!used_for(c, use) || (c->value & ~v) || c->value == 0)
				continue;
			if (c->value == v) {
				snprintf(buf, len, "%s", c->name);
				return buf;
			}
			if ((c->value & (c->value - 1)) && (!best || __builtin_popcountll(c->value) >
								     __builtin_popcountll(best->value)))
				best = c;
		}
		if (best) {
			char kept[256] = "", *save = NULL;
			value_text(sys, arg, v & ~best->value, bits, rest, sizeof(rest));
			/* Names of value 0 (O_RDONLY for an empty access mode) say nothing in a mask. */
			for (char *tok = strtok_r(rest, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
				const struct sc_constant *k = sc_constant_lookup(tok);
				if (k && k->value == 0)
					continue;
				snprintf(kept + strlen(kept), sizeof(kept) - strlen(kept), "|%s", tok);
			}
			snprintf(buf, len, "%s%s", best->name, kept);
			return buf;
		}
	}
	value_text(sys, arg, v, bits, buf, len);
	return buf;
}

const char *cmp_format(const struct sc_syscall *sys, const struct ir_cmp *c, char *buf, size_t len)
{
	char argname[32], v[128], m[256];
	const char *arg = sys && c->arg < sys->nargs ? sys->args[c->arg].name : NULL;

	if (arg)
		snprintf(argname, sizeof(argname), "%s", arg);
	else
		snprintf(argname, sizeof(argname), "arg%u", c->arg);
	value_text(sys, arg, c->value, c->bits, v, sizeof(v));
	if (c->op == IR_MASKED_EQ) {
		mask_text(sys, arg, c->mask, c->bits, m, sizeof(m));
		snprintf(buf, len, strchr(m, '|') ? "%s & (%s) == %s" : "%s & %s == %s", argname, m, v);
	} else {
		snprintf(buf, len, "%s %s %s", argname, ir_op_symbol((enum ir_op)c->op), v);
	}
	return buf;
}

int explain_write(const struct ir *ir, const struct sc_arch *arch, FILE *out)
{
	char a[64], b[256];

	fprintf(out, "default: %s\n", sc_action_format(ir->def, a, sizeof(a)));
	fprintf(out, "other architectures: %s\n", sc_action_format(ir->bad_arch, a, sizeof(a)));
	for (size_t i = 0; i < ir->narches; i++) {
		const struct ir_arch *ia = &ir->arches[i];
		if (arch && ia->arch != arch)
			continue;
		fprintf(out, "\n[%s] %zu syscalls with rules\n", ia->arch->name, ia->ncalls);
		for (size_t k = 0; k < ia->ncalls; k++) {
			const struct ir_syscall *s = &ia->calls[k];
			const struct sc_syscall *sys = ir_call_sys(ia, s);
			fprintf(out, "%s (%u)\n", sys ? sys->name : "?", s->nr);
			for (size_t r = 0; r < s->nrules; r++) {
				const struct ir_rule *rule = &s->rules[r];
				fprintf(out, "  %-14s", sc_action_format(rule->action, a, sizeof(a)));
				if (rule->ncmp == 0)
					fputs(" always", out);
				for (unsigned c = 0; c < rule->ncmp; c++)
					fprintf(out, "%s%s", c ? " && " : " if ",
						cmp_format(sys, &rule->cmp[c], b, sizeof(b)));
				fprintf(out, "    <- %s\n", rule->origin ? rule->origin : "?");
			}
			if (s->nrules && s->rules[s->nrules - 1].ncmp)
				fprintf(out, "  %-14s otherwise\n", sc_action_format(ir->def, a, sizeof(a)));
		}
		if (ia->enosys_above)
			fprintf(out, "numbers above %u: Errno(ENOSYS)\n", ia->enosys_above);
	}
	return 0;
}
