/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export.h — text renderings of a rule set: OCI JSON (export-oci.c), our TOML
 * (export-toml.c) and explain (explain.c). Each writes a malloc'd buffer or a FILE; what
 * the name-based formats cannot state comes back in @warnings (may be NULL).
 */
#ifndef SC_EXPORT_H
#define SC_EXPORT_H

#include <jansson.h>
#include <stdio.h>

#include "compile/ir.h"
#include "export/rule-classes.h"

int export_oci(const struct ir *ir, struct export_warnings *warnings, char **ret_buf,
	       size_t *ret_len, struct sc_diag *reterr);
/* The OCI export before it is text: data at or above 2^63 are marked strings, read with
 * oci_json_u64() (jansson's integers are signed). */
int export_oci_json(const struct ir *ir, struct export_warnings *warnings, json_t **ret_root,
		    struct sc_diag *reterr);
bool oci_json_u64(const json_t *v, uint64_t *ret);

/* What a SeccompProfile says besides the rules: its name (NULL: from @file) and its source
 * (file name and bytes, for the annotations; @src NULL: no digest). On a refusal,
 * @refused_origin is the origin of the rule refused (ir_rule.origin), for the caller to
 * place the error at. */
struct spo_meta {
	const char *name;
	const char *file;
	const char *src;
	size_t srclen;
	const char *refused_origin;
};
int export_spo(const struct ir *ir, struct spo_meta *meta, struct export_warnings *warnings,
	       char **ret_buf, size_t *ret_len, struct sc_diag *reterr);
/* 0 when @name can be a cluster-scoped object's metadata.name (RFC 1123 subdomain). */
int spo_name_check(const char *name, struct sc_diag *reterr);
/* The KEP-6061 artifact as an OCI image layout in @dir (new or empty). */
int export_artifact(const struct ir *ir, struct export_warnings *warnings, const char *dir,
		    struct sc_diag *reterr);
/* @file: the policy's name, for the header comment. */
int export_toml(const struct ir *ir, const char *file, struct export_warnings *warnings,
		char **ret_buf, size_t *ret_len, struct sc_diag *reterr);
/* Per architecture (all when @arch is NULL), per syscall, the rules in the order they apply. */
int explain_write(const struct ir *ir, const struct sc_arch *arch, FILE *out);
/* Mask @v of @arg of @sys as people write it: "O_ACCMODE", "O_ACCMODE|O_CREAT|O_TRUNC", "0xff". */
const char *mask_text(const struct sc_syscall *sys, const char *arg, uint64_t v, unsigned bits,
		      char *buf, size_t len);
/* "cmd == TCGETS", "flags & O_ACCMODE == O_RDONLY", "arg3 >= 0x10" */
const char *cmp_format(const struct sc_syscall *sys, const struct ir_cmp *c, char *buf, size_t len);

#endif
