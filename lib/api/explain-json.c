/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explain-json.c — `explain --json`: what explain.c prints, as data for scripts. One
 * object, its shape documented in seccompose-explain(1):
 *
 *   {"default": "Errno(EPERM)", "bad_arch": "KillProcess",
 *    "arches": [{"arch": "x86_64", "enosys_above": null,
 *                "syscalls": [{"name": "openat", "nr": 257,
 *                              "rules": [{"action": "Allow", "type": "Allow", "data": 0,
 *                                         "conditions": [{"index": 2, "arg": "flags",
 *                                                         "op": "masked_equals", "bits": 32,
 *                                                         "mask": "0x3", "value": "0x0",
 *                                                         "text": "flags & O_ACCMODE == O_RDONLY"}],
 *                                         "origin": "p.toml:3 (syscalls[0])"}],
 *                              "otherwise": "Errno(EPERM)"}]}]}
 *
 * Values and masks are hex strings (a JSON number does not carry 64 unsigned bits
 * everywhere); "otherwise" is there when the last rule has conditions (the default then
 * decides); "syscall" names are null for numbers the catalog does not name.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>

#include "api/filter.h"
#include "export/export.h"
#include "policy/cond-types.h"

static json_t *action_json(json_t *o, struct sc_action a)
{
	char buf[64];

	json_object_set_new(o, "action", json_string(sc_action_format(a, buf, sizeof(buf))));
	json_object_set_new(o, "type", json_string(sc_action_name(a.type)));
	json_object_set_new(o, "data", json_integer(a.data));
	return o;
}

static json_t *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *cmp_json(const struct sc_syscall *sys, const struct ir_cmp *c)
{
	json_t *o = json_object();
	char arg[16], text[512];

	snprintf(arg, sizeof(arg), "arg%u", c->arg);
	json_object_set_new(o, "index", json_integer(c->arg));
	json_object_set_new(o, "arg", json_string(sys && c->arg < sys->nargs ? sys->args[c->arg].name : arg));
	json_object_set_new(o, "op", json_string(pol_op_name(ir_op_to_pol((enum ir_op)c->op))));
	json_object_set_new(o, "bits", json_integer(c->bits));
	if (c->op == IR_MASKED_EQ)
		json_object_set_new(o, "mask", hex(c->mask));
	json_object_set_new(o, "value", hex(c->value));
	json_object_set_new(o, "text", json_string(cmp_format(sys, c, text, sizeof(text))));
	return o;
}

static json_t *syscall_json(const struct ir *ir, const struct ir_arch *ia, const struct ir_syscall *s)
{
	const struct sc_syscall *sys = ir_call_sys(ia, s);
	json_t *o = json_object(), *rules = json_array();
	char buf[64];

	json_object_set_new(o, "name", sys ? json_string(sys->name) : json_null());
	json_object_set_new(o, "nr", json_integer(s->nr));
	for (size_t r = 0; r < s->nrules; r++) {
		const struct ir_rule *rule = &s->rules[r];
		json_t *jr = action_json(json_object(), rule->action), *conds = json_array();
		for (unsigned c = 0; c < rule->ncmp; c++)
			json_array_append_new(conds, cmp_json(sys, &rule->cmp[c]));
		json_object_set_new(jr, "conditions", conds);
		json_object_set_new(jr, "origin", rule->origin ? json_string(rule->origin) : json_null());
		json_array_append_new(rules, jr);
	}
	json_object_set_new(o, "rules", rules);
	if (s->nrules && s->rules[s->nrules - 1].ncmp)
		json_object_set_new(o, "otherwise", json_string(sc_action_format(ir->def, buf, sizeof(buf))));
	return o;
}

SC_EXPORT int sc_filter_explain_json(const struct sc_filter *f, const struct sc_arch *arch,
				     char **ret_buf)
{
	const struct ir *ir = f->ir;
	json_t *root = json_object(), *arches = json_array();
	char buf[64];

	json_object_set_new(root, "default", json_string(sc_action_format(ir->def, buf, sizeof(buf))));
	json_object_set_new(root, "bad_arch", json_string(sc_action_format(ir->bad_arch, buf, sizeof(buf))));
	for (size_t i = 0; i < ir->narches; i++) {
		const struct ir_arch *ia = &ir->arches[i];
		json_t *ja, *calls;
		if (arch && ia->arch != arch)
			continue;
		ja = json_object();
		calls = json_array();
		json_object_set_new(ja, "arch", json_string(ia->arch->name));
		json_object_set_new(ja, "enosys_above", ia->enosys_above ? json_integer(ia->enosys_above) : json_null());
		for (size_t k = 0; k < ia->ncalls; k++)
			json_array_append_new(calls, syscall_json(ir, ia, &ia->calls[k]));
		json_object_set_new(ja, "syscalls", calls);
		json_array_append_new(arches, ja);
	}
	json_object_set_new(root, "arches", arches);
	*ret_buf = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return *ret_buf ? 0 : -ENOMEM;
}
