/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * render.c — numbers back into policy values (render.h): constant names where the catalog
 * has them for that argument, else an integer below 10 and hex above, which reads better
 * for flags and addresses alike.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog/constants.h"
#include "export/export.h"
#include "export/render.h"

void render_text(const char *text, struct pol_value *out)
{
	*out = (struct pol_value){ .text = xstrdup(text) };
}

void render_number(uint64_t v, struct pol_value *out)
{
	char hex[32];

	if (v < 10) {
		*out = (struct pol_value){ .num = v };
		return;
	}
	snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
	render_text(hex, out);
}

void render_value(const struct sc_syscall *sys, const char *arg, uint64_t v, struct pol_value *out)
{
	char names[256];
	const struct sc_constant *k;

	if (v != 0 && constants_format(sys->name, arg, v, names, sizeof(names)) > 0)
		render_text(names, out);
	else if (v == 0 && (k = sc_constant_for_value(sys->name, arg, 0)) != NULL)
		render_text(k->name, out);
	else
		render_number(v, out);
}

void render_mask(const struct sc_syscall *sys, const char *arg, uint64_t v, unsigned bits,
		 struct pol_value *out)
{
	char text[280];

	mask_text(sys, arg, v, bits, text, sizeof(text));
	render_text(text, out);
}
