/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export-spo.c — the rule set as a Security Profiles Operator `SeccompProfile` (apiVersion
 * security-profiles-operator.x-k8s.io/v1, cluster-scoped), in YAML.
 *
 * The spec is our OCI export (export-oci.c) walked as JSON, so it means in a cluster what
 * `--format oci` means to runc; what SPO's CRD (data/third_party/reference/
 * spo-seccompprofile-crd.yaml) cannot carry is dealt with here:
 *  - `value`/`valueTwo` are int64 >= 0. A datum at or above 2^63 is rewritten where an
 *    equivalent exists: on an argument the kernel reads as 32 bits or fewer on every listed
 *    ABI (or where every listed ABI is compared on 32 bits, as libseccomp does on x86),
 *    only the low 32 bits decide, so a mask or an equality is cut to them; a mask of all
 *    64 bits is an equality. Anything else (a test of bit 63) is refused, naming the
 *    policy rule.
 *  - there is no `defaultErrnoRet`: the runtime returns EPERM for a default Errno or Trace,
 *    which is a warning when the policy says another errno.
 *  - the architecture enum lacks some of ours (LOONGARCH64): refused, not dropped, since a
 *    dropped ABI would fall to the runtime's bad-architecture action.
 * Every string is written double-quoted with its special characters escaped, so no value
 * (a file name least of all) can become YAML syntax.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/file-name.h"
#include "base/sha256.h"
#include "catalog/action.h"
#include "export/export.h"

/* The CRD's enum for spec.architectures (v1, as copied): an ABI outside it is refused. */
static const char *const crd_arches[] = {
	"SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
	"SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
	"SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
};

#define CRD_INT64_MAX UINT64_C(0x7fffffffffffffff)
#define CRD_INT32_MAX 0x7fffffff

int spo_name_check(const char *name, struct sc_diag *reterr)
{
	size_t n = strlen(name);
	bool ok = n > 0 && n <= 253;

	/* metadata.name of a cluster-scoped object: an RFC 1123 subdomain */
	for (size_t i = 0; ok && i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && !(c == '-' || c == '.'))
			ok = false;
		if ((i == 0 || i == n - 1 || name[i - 1] == '.' || name[i + 1] == '.') && !alnum)
			ok = false;
	}
	if (ok)
		return 0;
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
		    "'%.80s' is not a Kubernetes object name: lowercase letters, digits, '-' and '.', "
		    "at most 253, starting and ending with a letter or digit", name);
	return -EINVAL;
}

/* A name from the policy's file: its base name without the extension, lowercased, other
 * characters as '-'; "seccompose-profile" when nothing is left. */
static void default_name(const char *file, char *out, size_t size)
{
	const char *base = file ? strrchr(file, '/') : NULL;
	const char *dot;
	size_t n = 0;

	base = base ? base + 1 : file ? file : "";
	if (strncmp(base, "builtin:", 8) == 0)
		base += 8;
	dot = strrchr(base, '.');
	for (const char *p = base; *p && p != dot && n + 1 < size && n < 253; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (n == 0 || out[n - 1] == '-'))
			continue;
		out[n++] = alnum ? c : '-';
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, size, "seccompose-profile");
}

/* A YAML double-quoted scalar: '"' and '\' escaped, control and non-ASCII bytes as \xNN
 * (the strings here are ASCII by construction; this keeps it so whatever comes in). */
static void yaml_str(FILE *m, const char *s)
{
	fputc('"', m);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(m, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(m, "\\x%02x", *p);
		else
			fputc(*p, m);
	}
	fputc('"', m);
}

static bool in_crd_arches(const char *scmp)
{
	for (size_t i = 0; i < sizeof(crd_arches) / sizeof(crd_arches[0]); i++)
		if (strcmp(scmp, crd_arches[i]) == 0)
			return true;
	return false;
}

/* The policy rule that tests argument @index of one of @names: its origin ("p.toml:12 (…)"),
 * for a refusal to point at. */
static const char *rule_origin(const struct ir *ir, const json_t *names, unsigned index)
{
	size_t k;
	json_t *name;

	json_array_foreach (names, k, name)
		for (size_t a = 0; a < ir->narches; a++) {
			const struct sc_syscall *sys = sc_syscall_lookup(ir->arches[a].arch, json_string_value(name));
			const struct ir_syscall *s = sys ? ir_find(&ir->arches[a], sys->nr) : NULL;
			for (size_t i = 0; s && i < s->nrules; i++)
				for (unsigned c = 0; c < s->rules[i].ncmp; c++)
					if (s->rules[i].cmp[c].arg == index && s->rules[i].origin)
						return s->rules[i].origin;
		}
	return NULL;
}

/* How many low bits of argument @index decide, over every listed ABI and every one of
 * @names: what the kernel reads, or what libseccomp compares when that is less. */
static unsigned deciding_bits(const struct ir *ir, const json_t *names, unsigned index)
{
	unsigned most = 0;
	size_t k;
	json_t *name;

	json_array_foreach (names, k, name)
		for (size_t a = 0; a < ir->narches; a++) {
			const struct sc_arch *arch = ir->arches[a].arch;
			const struct sc_syscall *sys = sc_syscall_lookup(arch, json_string_value(name));
			unsigned bits = sys ? sc_syscall_arg_bits(arch, sys, index) : 0;
			if (!sys)
				continue;
			if (bits == 0 || bits > arch->oci_arg_bits)
				bits = arch->oci_arg_bits;
			most = bits > most ? bits : most;
		}
	return most ? most : 64;
}

/* One `args` item; a datum the CRD cannot carry rewritten, or refused. */
static int write_arg(FILE *m, const struct ir *ir, const json_t *names, const json_t *arg,
		     struct spo_meta *meta, struct sc_diag *d)
{
	unsigned index = (unsigned)json_integer_value(json_object_get(arg, "index"));
	const char *op = json_string_value(json_object_get(arg, "op"));
	uint64_t v = 0, v2 = 0;

	oci_json_u64(json_object_get(arg, "value"), &v);
	oci_json_u64(json_object_get(arg, "valueTwo"), &v2);
	if (v > CRD_INT64_MAX || v2 > CRD_INT64_MAX) {
		unsigned bits = deciding_bits(ir, names, index);
		bool masked = strcmp(op, "SCMP_CMP_MASKED_EQ") == 0, eq = strcmp(op, "SCMP_CMP_EQ") == 0;
		if (masked && v == UINT64_MAX && v2 <= CRD_INT64_MAX) {
			/* a whole-register mask is an equality */
			v = v2;
			v2 = 0;
			op = "SCMP_CMP_EQ";
		} else if (bits <= 32 && (masked || eq)) {
			/* only the low bits decide: the same test on them alone */
			uint64_t w = arg_width_mask(bits);
			v2 = masked ? v2 & w : v & w;
			v = masked ? v & w : w;
			op = "SCMP_CMP_MASKED_EQ";
		} else {
			const char *origin = rule_origin(ir, names, index);
			meta->refused_origin = origin;
			sc_diag_set(d, NULL, NULL, 0, 0, 0, 0,
				    "cannot export '%s' to a SeccompProfile: %s%s%stests argument %u against "
				    "%#" PRIx64 ", and the CRD takes only values below 2^63 (int64, minimum 0)",
				    json_string_value(json_array_get(names, 0)), origin ? "the rule at " : "",
				    origin ? origin : "", origin ? " " : "", index, v > CRD_INT64_MAX ? v : v2);
			sc_diag_hint(d, "test fewer bits (no bit 63), or ship the profile as OCI JSON "
				     "('install --kubelet', '--format oci-artifact')");
			return -EINVAL;
		}
	}
	fprintf(m, "      - index: %u\n        op: ", index);
	yaml_str(m, op);
	fprintf(m, "\n        value: %" PRIu64 "\n        valueTwo: %" PRIu64 "\n", v, v2);
	return 0;
}

static int write_syscall(FILE *m, const struct ir *ir, const json_t *e, struct spo_meta *meta,
			 struct sc_diag *d)
{
	const json_t *names = json_object_get(e, "names"), *args = json_object_get(e, "args");
	const json_t *errno_ret = json_object_get(e, "errnoRet"), *x;
	size_t k;
	int r = 0;

	fputs("  - action: ", m);
	yaml_str(m, json_string_value(json_object_get(e, "action")));
	fputs("\n    names:\n", m);
	json_array_foreach (names, k, x) {
		fputs("    - ", m);
		yaml_str(m, json_string_value(x));
		fputc('\n', m);
	}
	/* seccomp's data is 16 bits: always within the CRD's int32 >= 0 */
	if (errno_ret && json_integer_value(errno_ret) >= 0 && json_integer_value(errno_ret) <= CRD_INT32_MAX)
		fprintf(m, "    errnoRet: %" JSON_INTEGER_FORMAT "\n", json_integer_value(errno_ret));
	if (json_array_size(args))
		fputs("    args:\n", m);
	json_array_foreach (args, k, x) /* at most 6: one per argument (export-oci.c) */
		if (r == 0)
			r = write_arg(m, ir, names, x, meta, d);
	return r;
}

/* `  KEY:` and the strings of @list as a YAML sequence; nothing for an empty list unless
 * @always (the CRD requires architectures, flags are optional). */
static void yaml_str_list(FILE *m, const char *key, const json_t *list, bool always)
{
	const json_t *x;
	size_t k;

	if (!always && !json_array_size(list))
		return;
	fprintf(m, "  %s:\n", key);
	json_array_foreach (list, k, x) {
		fputs("  - ", m);
		yaml_str(m, json_string_value(x));
		fputc('\n', m);
	}
}

static int write_profile(FILE *m, const struct ir *ir, const json_t *root, struct spo_meta *meta,
			 const char *name, struct sc_diag *d)
{
	const json_t *x;
	size_t k;
	int r = 0;

	fputs("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: ", m);
	yaml_str(m, name);
	fputs("\n  labels:\n    app.kubernetes.io/managed-by: \"seccompose\"\n", m);
	if (meta->file) {
		char *escaped = NULL;
		size_t len = 0;
		FILE *e = open_memstream(&escaped, &len);
		if (!e)
			return -ENOMEM;
		file_name_put(e, meta->file);
		if (fclose(e) != 0)
			return -ENOMEM;
		fputs("  annotations:\n    seccompose/source: ", m);
		yaml_str(m, escaped);
		free(escaped);
		if (meta->src) {
			char hex[SHA256_HEX_LEN];
			sha256_hex(meta->src, meta->srclen, hex);
			fprintf(m, "\n    seccompose/source-sha256: \"%s\"", hex);
		}
		fputc('\n', m);
	}
	fputs("spec:\n  defaultAction: ", m);
	yaml_str(m, json_string_value(json_object_get(root, "defaultAction")));
	fputc('\n', m);
	yaml_str_list(m, "architectures", json_object_get(root, "architectures"), true);
	yaml_str_list(m, "flags", json_object_get(root, "flags"), false);
	if (json_array_size(json_object_get(root, "syscalls")))
		fputs("  syscalls:\n", m);
	json_array_foreach (json_object_get(root, "syscalls"), k, x)
		if (r == 0)
			r = write_syscall(m, ir, x, meta, d);
	return r;
}

int export_spo(const struct ir *ir, struct spo_meta *meta, struct export_warnings *warnings,
	       char **ret_buf, size_t *ret_len, struct sc_diag *reterr)
{
	char name[254];
	json_t *root = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int r;

	if (meta->name) {
		if ((r = spo_name_check(meta->name, reterr)) < 0)
			return r;
		snprintf(name, sizeof(name), "%s", meta->name);
	} else {
		default_name(meta->file, name, sizeof(name));
	}
	for (size_t i = 0; i < ir->narches; i++)
		if (!in_crd_arches(ir->arches[i].arch->scmp_name)) {
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
				    "cannot export to a SeccompProfile: SPO's CRD has no architecture %s",
				    ir->arches[i].arch->scmp_name);
			sc_diag_hint(reterr, "list the policy's other architectures only, or ship it as OCI JSON "
				     "('install --kubelet', '--format oci-artifact')");
			return -EINVAL;
		}
	if (action_carries_data(ir->def.type) && ir->def.type != SC_ACT_TRAP &&
	    ir->def.data != action_default_data(ir->def.type, true)) {
		char want[64], got[64];
		struct sc_action runtime = { ir->def.type, action_default_data(ir->def.type, true) };
		export_warn(warnings, "a SeccompProfile has no defaultErrnoRet: the default action %s "
			    "becomes %s in the runtime (runc and crun use EPERM when none is given)",
			    sc_action_format(ir->def, want, sizeof(want)),
			    sc_action_format(runtime, got, sizeof(got)));
	}
	r = export_oci_json(ir, warnings, &root, reterr);
	if (r < 0)
		return r;
	m = open_memstream(&buf, &len);
	if (!m) {
		json_decref(root);
		return -ENOMEM;
	}
	r = write_profile(m, ir, root, meta, name, reterr);
	if (fclose(m) != 0 && r == 0)
		r = -ENOMEM;
	json_decref(root);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
