/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * diag.c — the error object: file:line:col, the source line with a caret span, a hint.
 *
 * The library never prints on its own; it fills a struct sc_diag and the
 * command decides whether to print it. The line's text is copied in, so a diagnostic
 * outlives the buffer it was found in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccompose.h"

/*
 * How much of what the user wrote a diagnostic quotes. Inputs are hostile or broken: a 1 MB
 * syscall name, a policy minified onto one line. A diagnostic shows at most a line's worth:
 * a word longer than WORD_MAX characters is cut with "…", and a source line too long for
 * sc_diag.source is shown as a window of WINDOW characters around the column (with "…"
 * where it was cut).
 */
enum {
	WORD_MAX = 80,
	WINDOW = 100,
	WINDOW_BEFORE = 40, /* characters kept before the column */
};

static bool utf8_start(unsigned char c)
{
	return (c & 0xc0) != 0x80;
}

/* Copy @src into @dst (of @size bytes), cutting long words and the whole at a character
 * boundary, with "…" where something was cut. */
static void copy_short(char *dst, size_t size, const char *src)
{
	static const char ell[] = "\xe2\x80\xa6"; /* … */
	size_t o = 0;

	for (const char *p = src; *p && o + 1 < size;) {
		size_t wlen = strcspn(p, " \t\n"), chars = 0, keep = wlen, tail = 0;
		if (wlen == 0) {
			dst[o++] = *p++;
			continue;
		}
		for (size_t i = 0; i < wlen; i++)
			chars += utf8_start((unsigned char)p[i]);
		if (chars > WORD_MAX) {
			/* Keep the head and the closing punctuation ('name'?, "x"), cut the middle. */
			while (tail < 3 && tail < wlen && strchr("'\"()?,.:;]", p[wlen - 1 - tail]))
				tail++;
			keep = 0;
			for (size_t c = 0; keep < wlen - tail && c < WORD_MAX - 4; keep++)
				c += utf8_start((unsigned char)p[keep]);
			while (keep > 0 && !utf8_start((unsigned char)p[keep]))
				keep--;
		}
		for (size_t i = 0; i < keep && o + 1 < size; i++)
			dst[o++] = p[i];
		if (keep < wlen) {
			if (o + sizeof(ell) - 1 + tail + 1 > size)
				break;
			memcpy(dst + o, ell, sizeof(ell) - 1);
			o += sizeof(ell) - 1;
			memcpy(dst + o, p + wlen - tail, tail);
			o += tail;
		}
		p += wlen;
		if (o + 1 >= size && *p) {
			/* Out of room: end on a character boundary with "…". */
			o = size - sizeof(ell);
			while (o > 0 && !utf8_start((unsigned char)dst[o]))
				o--;
			memcpy(dst + o, ell, sizeof(ell) - 1);
			o += sizeof(ell) - 1;
			break;
		}
	}
	dst[o] = '\0';
}

static void vformat_short(char *dst, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void vformat_short(char *dst, size_t size, const char *fmt, va_list ap)
{
	va_list aq;
	char *buf, probe[1];
	int n;

	if (!fmt) /* never, but gcc's sanitizer build cannot tell and warns */
		fmt = "";
	va_copy(aq, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, aq); /* (NULL, 0) trips gcc's ASan build */
	va_end(aq);
	buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!buf) {
		vsnprintf(dst, size, fmt, ap);
		return;
	}
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	copy_short(dst, size, buf);
	free(buf);
}

/* The source line @line, or a window of it around column @col when it is long. */
static void copy_line(struct sc_diag *d, const char *src, size_t len, unsigned line, unsigned col)
{
	const char *p, *end, *b, *e;
	size_t chars = 0, n;
	unsigned c;

	d->source[0] = '\0';
	d->source_first = 1;
	d->source_cut = false;
	if (!src || line == 0) /* (src + len on a NULL src is undefined: check first) */
		return;
	p = src;
	end = src + len;
	for (unsigned l = 1; l < line && p < end; p++)
		if (*p == '\n')
			l++;
	n = 0;
	while (p + n < end && p[n] != '\n' && p[n] != '\r')
		n++;
	for (size_t i = 0; i < n; i++)
		chars += utf8_start((unsigned char)p[i]);
	b = p;
	if (n < sizeof(d->source)) { /* the whole line fits */
		for (size_t i = 0; i < n; i++)
			d->source[i] = (p[i] >= 0 && p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f ? '?' : p[i];
		d->source[n] = '\0';
		return;
	}
	if (chars > WINDOW && col > WINDOW_BEFORE) { /* start the window before the column */
		c = 1;
		while (b < p + n && c < col - WINDOW_BEFORE)
			c += utf8_start((unsigned char)*++b);
		d->source_first = c;
	}
	e = b;
	for (size_t k = 0; e < p + n && (size_t)(e - b) < sizeof(d->source) - 8; e++)
		if (utf8_start((unsigned char)*e) && ++k > WINDOW)
			break;
	while (e > b && e < p + n && !utf8_start((unsigned char)*e))
		e--;
	d->source_cut = e < p + n;
	for (const char *q = b; q < e; q++) /* control characters would rewrite the terminal */
		d->source[q - b] = (*q >= 0 && *q < 0x20 && *q != '\t') || *q == 0x7f ? '?' : *q;
	d->source[e - b] = '\0';
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
	copy_line(d, src, len, line, d->col);
	va_start(ap, fmt);
	vformat_short(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
}

SC_EXPORT void sc_diag_hint(struct sc_diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	va_start(ap, fmt);
	vformat_short(d->hint, sizeof(d->hint), fmt, ap);
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
		unsigned first = d->source_first > 1 ? d->source_first : 1;
		unsigned vcol = 0, caret = 0, chars = first - 1, span = d->span;
		bool placed = false;
		fprintf(f, "%6u | ", d->line);
		if (first > 1) { /* the window starts inside the line */
			fputs("\xe2\x80\xa6", f);
			vcol++;
		}
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
		if (d->source_cut)
			fputs("\xe2\x80\xa6", f);
		if (!placed)
			caret = vcol;
		/* Underline what is shown, not a megabyte of carets for a megabyte of value. */
		if (caret + span > vcol + d->source_cut)
			span = vcol + d->source_cut > caret ? vcol + d->source_cut - caret : 1;
		fprintf(f, "\n%6s | %*s", "", (int)caret, "");
		for (unsigned i = 0; i < span; i++)
			fputc('^', f);
		fputc('\n', f);
	}
	if (d->hint[0])
		fprintf(f, "hint: %s\n", d->hint);
}
