/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * file-name.c — a file name from outside, written into a comment of an output.
 */
#include <stdio.h>

#include "base/file-name.h"

void file_name_put(FILE *m, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || (p[0] == '/' && p > (const unsigned char *)name && p[-1] == '*'))
			fprintf(m, "\\x%02x", *p);
		else
			fputc(*p, m);
	}
}
