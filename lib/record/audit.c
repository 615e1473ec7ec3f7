/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audit.c — a recording from seccomp's audit records instead of ptrace.
 *
 * A policy whose default action is Log (SCMP_ACT_LOG: the complain mode of the Security
 * Profiles Operator and Kubernetes' tutorial) lets every call run and has the kernel write an
 * AUDIT_SECCOMP record (type 1326) for each one it would otherwise have refused. Those
 * records reach the user in several dresses, all read here, one record a line:
 *
 *	type=SECCOMP msg=audit(1700000000.123:45): auid=1000 uid=1000 … pid=77 comm="ls"
 *	  exe="/usr/bin/ls" sig=0 arch=c000003e syscall=257 compat=0 ip=0x7f… code=0x7ffc0000
 *	[  12.345678] audit: type=1326 audit(1700000000.123:45): auid=… arch=c000003e syscall=257 …
 *	6,1234,5678,-;audit: type=1326 audit(…): …                      (/dev/kmsg)
 *	Dec 03 08:00:00 host audit[77]: SECCOMP auid=1000 … arch=c000003e syscall=257 …  (journal)
 *	MESSAGE=SECCOMP auid=1000 …  or  MESSAGE=audit: type=1326 …      (journalctl -o export)
 *	type=SECCOMP msg=audit(…) : … arch=x86_64 syscall=openat …       (ausearch -i)
 *
 * Only arch= and syscall= become the observation. The ABI is the audit arch value, with the
 * x32 bit of the number telling x32 from x86_64 (sc_arch_by_audit). The records carry no
 * arguments, so a call whose arguments the capture table would keep is recorded as "any
 * value" (rec_set_add_any): the policy allows it by name, as the program needed. Nothing else
 * of a record (comm=, exe= …, which the audited program chose) reaches the policy.
 *
 * Calling sequence (lib/record/record.c reads the file):
 *	rec_from_audit("audit.log", buf, len, set, &counts, &diag);
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/record.h"

/* What marks a line as a seccomp record, and where its fields may begin. */
static const char *const markers[] = {
	"type=1326",        /* the kernel log, dmesg, /dev/kmsg, journal's kernel transport */
	"type=SECCOMP",     /* auditd's audit.log, ausearch */
	"SECCOMP auid=",    /* journald's own audit transport: the type's name, then the fields */
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The input, and the line being read. */
struct src {
	const char *name, *buf;
	size_t len;
	unsigned line;
};

/* One key=value of a record, as written. */
struct field {
	const char *v;
	size_t n;
	unsigned col; /* 1-based column of the value */
	bool seen;
};

static bool is_boundary(const char *line, const char *p)
{
	return p == line || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ';' || p[-1] == '=';
}

/* Where the record's marker is in @s (@n bytes), or NULL for a line that is no seccomp record. */
static const char *find_marker(const char *s, size_t n)
{
	for (size_t i = 0; i < NELEMS(markers); i++) {
		size_t m = strlen(markers[i]);
		const char *p = s, *end = s + n;
		while (p < end && (p = memmem(p, (size_t)(end - p), markers[i], m)) != NULL) {
			/* "type=13260" or "xtype=1326" is something else. */
			bool ends = p + m == end || p[m] == ' ' || p[m] == ':' || markers[i][m - 1] == '=';
			if (is_boundary(s, p) && ends)
				return p;
			p++;
		}
	}
	return NULL;
}

static int malformed(const struct src *src, const char *line, size_t n, unsigned col, unsigned span,
		     struct sc_diag *reterr, const char *what)
{
	sc_diag_set(reterr, src->name, line, n, 1, col, span ? span : 1, "malformed seccomp audit record: %s",
		    what);
	if (reterr)
		reterr->line = src->line; /* the line's text was given alone: its number is the file's */
	sc_diag_hint(reterr, "expected arch=<audit arch, hex> syscall=<number>, as the kernel writes "
			     "AUDIT_SECCOMP (type=1326) records");
	return -EINVAL;
}

/* Parse a hex (@base 16) or decimal number filling @v..@v+n exactly. */
static bool parse_uint(const char *v, size_t n, unsigned base, uint64_t *ret)
{
	char buf[24], *end;

	if (n == 0 || n >= sizeof(buf) || v[0] == '-' || v[0] == '+' || v[0] == ' ')
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	errno = 0;
	*ret = strtoull(buf, &end, (int)base);
	return errno == 0 && *end == '\0';
}

/*
 * The fields of the record in @s after its marker: key=value or key="value" (a value with
 * spaces or quotes is hex-encoded by the kernel, but a quoted one is skipped whole, so that
 * comm="x arch=0" can never pose as a field). A key written twice with two values is an error.
 */
static int read_fields(const struct src *src, const char *line, size_t n, const char *p,
		       struct field *arch, struct field *sys, struct sc_diag *reterr)
{
	const char *end = line + n;

	while (p < end) {
		const char *key, *v;
		size_t kn, vn;
		struct field *f = NULL;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		key = p;
		while (p < end && *p != '=' && *p != ' ' && *p != '"')
			p++;
		kn = (size_t)(p - key);
		if (p >= end || *p != '=') {
			/* A word without a value ("audit(…):", ":"), or a stray quote. */
			if (p < end && *p == '"') {
				const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
				p = q ? q + 1 : end;
			}
			continue;
		}
		p++; /* '=' */
		v = p;
		if (p < end && *p == '"') {
			const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
			p = q ? q + 1 : end;
			continue; /* quoted values (comm, exe, subj) are never read */
		}
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		vn = (size_t)(p - v);
		if (kn == 4 && memcmp(key, "arch", 4) == 0)
			f = arch;
		else if (kn == 7 && memcmp(key, "syscall", 7) == 0)
			f = sys;
		if (!f)
			continue;
		if (f->seen && (f->n != vn || memcmp(f->v, v, vn) != 0))
			return malformed(src, line, n, (unsigned)(key - line) + 1, (unsigned)(kn + 1 + vn),
					 reterr, f == arch ? "arch= given twice" : "syscall= given twice");
		*f = (struct field){ v, vn, (unsigned)(v - line) + 1, true };
	}
	return 0;
}

/* The record on @line as an observation in @out. */
static int read_record(const struct src *src, const char *line, size_t n, const char *marker,
		       struct rec_set *out, struct sc_diag *reterr)
{
	struct field arch = { 0 }, sys = { 0 };
	const struct sc_arch *a = NULL;
	const struct sc_syscall *s = NULL;
	uint64_t audit_arch = 0, nr = 0;
	char word[64];
	int rc = read_fields(src, line, n, marker, &arch, &sys, reterr);

	if (rc < 0)
		return rc;
	if (!arch.seen || !sys.seen)
		return malformed(src, line, n, (unsigned)(marker - line) + 1, 1, reterr,
				 !arch.seen ? "no arch= field" : "no syscall= field");
	if (parse_uint(arch.v, arch.n, 16, &audit_arch) && audit_arch <= UINT32_MAX) {
		if (!parse_uint(sys.v, sys.n, 10, &nr) || nr > UINT32_MAX)
			return malformed(src, line, n, sys.col, (unsigned)sys.n, reterr,
					 "syscall= is not a number");
		a = sc_arch_by_audit((uint32_t)audit_arch, (uint32_t)nr);
		if (!a)
			return malformed(src, line, n, arch.col, (unsigned)arch.n, reterr,
					 "arch= is no audit architecture seccompose knows");
		s = sc_syscall_by_nr(a, (uint32_t)nr);
		if (!s) {
			sc_diag_set(reterr, src->name, line, n, 1, sys.col, (unsigned)sys.n,
				    "syscall %u is no syscall of %s", (unsigned)nr, a->name);
			if (reterr)
				reterr->line = src->line;
			return -EINVAL;
		}
	} else {
		/* ausearch -i: arch=x86_64 syscall=openat (x32 is printed as x86_64 there). */
		if (arch.n < sizeof(word)) {
			memcpy(word, arch.v, arch.n);
			word[arch.n] = '\0';
			a = sc_arch_lookup(word);
		}
		if (!a)
			return malformed(src, line, n, arch.col, (unsigned)arch.n, reterr,
					 "arch= is neither an audit arch value nor an architecture's name");
		if (sys.n < sizeof(word)) {
			memcpy(word, sys.v, sys.n);
			word[sys.n] = '\0';
			s = parse_uint(sys.v, sys.n, 10, &nr) && nr <= UINT32_MAX
				    ? sc_syscall_by_nr(a, (uint32_t)nr)
				    : sc_syscall_lookup(a, word);
		}
		if (!s)
			return malformed(src, line, n, sys.col, (unsigned)sys.n, reterr,
					 "syscall= names no syscall of that architecture");
	}
	rec_set_add_any(out, a, s->nr);
	return 0;
}

int rec_from_audit(const char *name, const char *buf, size_t len, struct rec_set *out,
		   struct rec_audit_counts *counts, struct sc_diag *reterr)
{
	struct src src = { name, buf, len, 0 };
	const char *p = buf, *end = buf + len;
	struct rec_audit_counts c = { 0 };

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *s = p, *marker;
		int rc;

		src.line++;
		p = nl ? nl + 1 : end;
		if (e > s && e[-1] == '\r')
			e--;
		marker = find_marker(s, (size_t)(e - s));
		if (!marker) {
			/* Blank lines are the journal export's record separators, not noise. */
			if (e > s)
				c.skipped++;
			continue;
		}
		rc = read_record(&src, s, (size_t)(e - s), marker, out, reterr);
		if (rc < 0)
			return rc;
		c.records++;
	}
	if (counts)
		*counts = c;
	if (c.records == 0) {
		/* A policy allowing nothing is not what the user asked for. */
		sc_diag_set(reterr, name, NULL, 0, 0, 0, 0, "no seccomp audit record (type=1326) in %s",
			    name);
		sc_diag_hint(reterr, "run the program under a policy whose default action is Log, then "
				     "read /var/log/audit/audit.log, dmesg or journalctl -k");
		return -EINVAL;
	}
	return 0;
}
