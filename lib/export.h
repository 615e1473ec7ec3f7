/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export.h — text renderings of a compiled filter: OCI JSON (export-oci.c), our TOML
 * (export-toml.c) and explain (explain.c). Each writes a malloc'd buffer or a FILE.
 */
#ifndef SC_EXPORT_H
#define SC_EXPORT_H

#include <stdio.h>

#include "filter.h"

int export_oci(const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *reterr);
int export_toml(const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *reterr);
/* Per architecture (all when @arch is NULL), per syscall, the rules in the order they apply. */
int explain_write(const struct sc_filter *f, const struct sc_arch *arch, FILE *out);
/* "cmd == TCGETS", "flags & O_ACCMODE == O_RDONLY", "arg3 >= 0x10" */
const char *cmp_format(const struct sc_syscall *sys, const struct ir_cmp *c, char *buf, size_t len);

#endif
