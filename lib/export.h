/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export.h — text renderings of a compiled filter: OCI JSON (export-oci.c), our TOML
 * (export-toml.c) and explain (explain.c). Each writes a malloc'd buffer or a FILE.
 */
#ifndef SC_EXPORT_H
#define SC_EXPORT_H

#include <stdio.h>

#include "filter.h"

/* One entry per distinct list of rules, naming every syscall that has it (export-groups.c). */
struct export_group {
	const struct ir_syscall *rules; /* the first architecture's that has these names */
	const char **names;             /* borrowed from the catalog */
	size_t nnames;
};
size_t export_groups(const struct sc_filter *f, struct export_group **ret);
void export_groups_free(struct export_group *g, size_t n);

int export_oci(const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *reterr);
int export_toml(const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *reterr);
/* Per architecture (all when @arch is NULL), per syscall, the rules in the order they apply. */
int explain_write(const struct sc_filter *f, const struct sc_arch *arch, FILE *out);
/* Mask @v of @arg of @sys as people write it: "O_ACCMODE", "O_ACCMODE|O_CREAT|O_TRUNC", "0xff". */
const char *mask_text(const struct sc_syscall *sys, const char *arg, uint64_t v, unsigned bits,
		      char *buf, size_t len);
/* "cmd == TCGETS", "flags & O_ACCMODE == O_RDONLY", "arg3 >= 0x10" */
const char *cmp_format(const struct sc_syscall *sys, const struct ir_cmp *c, char *buf, size_t len);

#endif
