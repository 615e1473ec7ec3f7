/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * diag.c — the error object: file:line:col, the source line with a caret span, a hint.
 *
 * The library never prints on its own (STYLE.md); it fills a struct sc_diag and the
 * command decides whether to print it. The line's text is copied in, so a diagnostic
 * outlives the buffer it was found in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "seccompose.h"

static void copy_line(struct sc_diag *d, const char *src, size_t len, unsigned line)
{
	const char *p = src, *end = src + len;
	size_t n;

	d->source[0] = '\0';
	if (!src || line == 0)
		return;
	for (unsigned l = 1; l < line && p < end; p++)
		if (*p == '\n')
			l++;
	n = 0;
	while (p + n < end && p[n] != '\n' && p[n] != '\r')
		n++;
	if (n >= sizeof(d->source))
		n = sizeof(d->source) - 1;
	memcpy(d->source, p, n);
	d->source[n] = '\0';
}

SC_EXPORT void sc_diag_set(struct sc_diag *d, const char *file, const char *src, size_t len,
			   unsigned line, unsigned col, unsigned span, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	d->col = col ? col : 1;
	d->span = span ? span : 1;
	copy_line(d, src, len, line);
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
}

SC_EXPORT void sc_diag_hint(struct sc_diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	va_start(ap, fmt);
	vsnprintf(d->hint, sizeof(d->hint), fmt, ap);
	va_end(ap);
}

SC_EXPORT void sc_diag_print(const struct sc_diag *d, FILE *f)
{
	const char *kind = d->warning ? "warning" : "error";

	if (d->file[0] && d->line)
		fprintf(f, "%s:%u:%u: %s: %s\n", d->file, d->line, d->col, kind, d->message);
	else if (d->file[0])
		fprintf(f, "%s: %s: %s\n", d->file, kind, d->message);
	else
		fprintf(f, "seccompose: %s: %s\n", kind, d->message);
	if (d->line && d->source[0]) {
		/* Expand tabs so the caret lines up (GNU: tab stops every 8). */
		unsigned vcol = 0, caret = 0, chars = 0;
		bool placed = false;
		fprintf(f, "%6u | ", d->line);
		for (const unsigned char *p = (const unsigned char *)d->source; *p; p++) {
			/* Columns count characters (UTF-8 sequences), as the parsers report them. */
			if ((*p & 0xc0) != 0x80 && ++chars == d->col) {
				caret = vcol;
				placed = true;
			}
			if (*p == '\t') {
				do
					fputc(' ', f);
				while (++vcol % 8);
			} else {
				fputc(*p, f);
				if ((*p & 0xc0) != 0x80) /* count characters, not UTF-8 bytes */
					vcol++;
			}
		}
		if (!placed)
			caret = vcol;
		fprintf(f, "\n%6s | %*s", "", (int)caret, "");
		for (unsigned i = 0; i < d->span; i++)
			fputc('^', f);
		fputc('\n', f);
	}
	if (d->hint[0])
		fprintf(f, "hint: %s\n", d->hint);
}
