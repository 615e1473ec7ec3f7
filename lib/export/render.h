/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * render.h — numbers back into the values a policy writes: constant names where they fit,
 * small numbers as integers, the rest as hex. The one home of that choice for every writer
 * of policies (export-toml.c, lift.c); what it fills is a struct pol_value of the policy
 * model, which the TOML writer (policy-toml.c) turns into text.
 */
#ifndef SC_RENDER_H
#define SC_RENDER_H

#include "policy/policy.h"

/* @v as a plain number: an integer below 10, "0x…" text above. */
void render_number(uint64_t v, struct pol_value *out);
/* @v of argument @arg of @sys, as the loader reads it back: "TCGETS", "O_RDWR|O_CREAT", 3. */
void render_value(const struct sc_syscall *sys, const char *arg, uint64_t v, struct pol_value *out);
/* Mask @v (of a @bits-wide argument) as people write it: "O_ACCMODE", "O_ACCMODE|O_CREAT", "0xff";
 * always text. */
void render_mask(const struct sc_syscall *sys, const char *arg, uint64_t v, unsigned bits,
		 struct pol_value *out);
/* @text as a value: an expression of constants and integers the loader evaluates. */
void render_text(const char *text, struct pol_value *out);

#endif
