/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * record.c — the public face of recording (include/seccompose.h): a struct sc_recording is
 * the recorder's observation set (recset.c); sources are trace.c, falco.c and audit.c, the writer
 * lift.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "record/record.h"

SC_EXPORT struct sc_recording *sc_recording_new(void)
{
	return (struct sc_recording *)rec_set_new();
}

SC_EXPORT struct sc_recording *sc_recording_free(struct sc_recording *r)
{
	rec_set_free((struct rec_set *)r);
	return NULL;
}

SC_EXPORT size_t sc_recording_count(const struct sc_recording *r)
{
	return rec_set_count((const struct rec_set *)r);
}

SC_EXPORT int sc_record_command(struct sc_recording *r, char *const argv[], int *ret_status,
				struct sc_diag *reterr)
{
	return rec_trace(argv, REC_QUIET, (struct rec_set *)r, ret_status, reterr);
}

SC_EXPORT int sc_record_command_counted(struct sc_recording *r, char *const argv[],
					int *ret_status, struct sc_diag *reterr)
{
	return rec_trace(argv, REC_QUIET | REC_EXACT_COUNTS, (struct rec_set *)r, ret_status, reterr);
}

/* The whole of @path ("-": standard input) for a parser; @name is how errors call it. */
static int read_source(const char *path, const char *name, char **ret_buf, size_t *ret_len,
		       struct sc_diag *reterr)
{
	int rc = sc_file_read(path, 0, ret_buf, ret_len);

	if (rc < 0)
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot read '%s': %s", name, strerror(-rc));
	return rc;
}

SC_EXPORT int sc_record_falco(struct sc_recording *r, const char *path, const struct sc_arch *arch,
			      struct sc_diag *reterr)
{
	size_t len;
	char *buf;
	int rc = read_source(path, path, &buf, &len, reterr);

	if (rc < 0)
		return rc;
	rc = rec_from_falco(path, buf, len, arch ? arch : sc_arch_native(), (struct rec_set *)r, reterr);
	free(buf);
	return rc;
}

SC_EXPORT int sc_record_audit(struct sc_recording *r, const char *path, size_t *ret_records,
			      size_t *ret_skipped, struct sc_diag *reterr)
{
	struct rec_audit_counts counts = { 0 };
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	size_t len;
	char *buf;
	int rc = read_source(path, name, &buf, &len, reterr);

	if (rc < 0)
		return rc;
	rc = rec_from_audit(name, buf, len, (struct rec_set *)r, &counts, reterr);
	free(buf);
	if (ret_records)
		*ret_records = counts.records;
	if (ret_skipped)
		*ret_skipped = counts.skipped;
	return rc;
}

SC_EXPORT int sc_recording_write(const struct sc_recording *r, bool abstract, const char *command,
				 enum sc_format format, char **ret_buf, size_t *ret_len,
				 struct sc_diag *reterr)
{
	struct rec_output o = { abstract, command, format };

	if (format != SC_FORMAT_TOML && format != SC_FORMAT_OCI) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "a recording is written as TOML or OCI");
		return -EINVAL;
	}
	return rec_write_policy((const struct rec_set *)r, &o, ret_buf, ret_len, reterr);
}

SC_EXPORT int sc_recording_policy(const struct sc_recording *r, bool abstract,
				  struct sc_policy **ret, struct sc_diag *reterr)
{
	return rec_policy((const struct rec_set *)r, abstract, ret, reterr);
}

struct named_count {
	const char *name;
	uint64_t count;
};

static int by_count(const void *a, const void *b)
{
	const struct named_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

SC_EXPORT int sc_recording_counts(const struct sc_recording *r, char **ret_buf, size_t *ret_len)
{
	const struct rec_set *s = (const struct rec_set *)r;
	struct named_count *v = xcalloc(rec_set_count(s) + 1, sizeof(*v));
	size_t n = 0, len = 0;
	char *buf = NULL;
	FILE *f;

	/* By name: a weights file is read per ABI by name (syscall-freq.c). */
	for (size_t i = 0; i < rec_set_count(s); i++) {
		const struct rec_obs *o = rec_set_at(s, i);
		const struct sc_syscall *sys = sc_syscall_by_nr(o->arch, o->nr);
		size_t k = 0;
		if (!sys)
			continue; /* a number the catalog does not name: no name to weigh */
		while (k < n && strcmp(v[k].name, sys->name) != 0)
			k++;
		if (k == n)
			v[n++] = (struct named_count){ sys->name, 0 };
		v[k].count += o->count;
	}
	qsort(v, n, sizeof(*v), by_count);
	f = open_memstream(&buf, &len);
	if (!f) {
		free(v);
		return -ENOMEM;
	}
	fputs("# Syscall call counts recorded by seccompose: `count name` a line, most frequent\n"
	      "# first. `seccompose compile --weights FILE` orders the filter's search by them.\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%llu %s\n", (unsigned long long)v[i].count, v[i].name);
	free(v);
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
