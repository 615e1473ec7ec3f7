/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-gen.h — the native back end: a rule set (ir.h) into a seccomp BPF program. */
#ifndef SC_BPF_GEN_H
#define SC_BPF_GEN_H

#include "compile/ir.h"

/* The program for the whole rule set. Returns 0, or -E2BIG (with *@ret_len the length it
 * would have) or -EINVAL with @reterr filled. */
struct sock_filter;
int bpf_gen(const struct ir *ir, struct sock_filter **ret, size_t *ret_len, struct sc_diag *reterr);
size_t bpf_rule_cost(const struct ir_arch *a, const struct ir_rule *r); /* instructions */

#endif
