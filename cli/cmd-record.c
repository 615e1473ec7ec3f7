/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-record.c — `seccompose record`: watch a program (or read Falco's output) and write a
 * least-privilege policy; `seccompose merge`: combine policies (recordings) into one.
 *
 * Merging is textual and checked: the first policy is kept whole, the others' rule tables
 * ([[syscalls]], [[abstract_syscalls]]) are appended (TOML arrays of tables add up), and the
 * result must load. Their header keys (default action, architectures) must agree or the
 * first one's is kept with a warning.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose record [-o <file>] [--format toml|oci] [--abstract] [--append] -- <command> [<arg>...]\n"
	"       seccompose record --from-falco <file> [--arch <arch>] [-o <file>] [--format toml|oci] [--abstract]";
static const char merge_usage[] = "seccompose merge <policy> <policy>... -o <file>";

/* The part of a TOML policy from its first table on: its rules. */
static const char *rules_of(const char *text)
{
	const char *p = text;

	while (p && *p) {
		if (p[0] == '[')
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return "";
}

/* Check that @text loads as a policy; print its diagnostics. */
static bool loads(const char *name, const char *text, size_t len)
{
	struct sc_policy *p = NULL;
	struct sc_diag d = { 0 };

	if (sc_policy_load_buffer(name, text, len, NULL, &p, &d) < 0) {
		sc_diag_print(&d, stderr);
		return false;
	}
	sc_policy_free(p);
	return true;
}

/* @first whole, then the rules of @rest, into a malloc'd text. */
static char *merge_texts(const char *first, const char *const *rest, const char *const *names,
			 size_t n, size_t *ret_len)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (!m)
		return NULL;
	fputs(first, m);
	for (size_t i = 0; i < n; i++) {
		const char *r = rules_of(rest[i]);
		fprintf(m, "\n# merged from %s\n%s", names[i], r);
		if (*r && r[strlen(r) - 1] != '\n')
			fputc('\n', m);
	}
	fclose(m);
	*ret_len = len;
	return out;
}

static int write_out(const char *out, const char *buf, size_t len)
{
	int r;

	if (!out) {
		fwrite(buf, 1, len, stdout);
		return EXIT_OK;
	}
	r = sc_file_write_atomic(out, buf, len);
	if (r < 0) {
		cli_error("cannot write '%s': %s", out, strerror(-r));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	char **texts;
	size_t *lens, len = 0;
	char *merged;
	int c, n, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:h", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h':
			printf("usage: %s\n\nCombine policies (recordings of several runs) into one: the first\n"
			       "is kept whole and the rules of the others are added. The result is checked\n"
			       "to load before it is written (atomically).\n", merge_usage);
			return EXIT_OK;
		default: return cli_usage_error("merge", merge_usage);
		}
	}
	n = argc - optind;
	if (n < 2 || !out)
		return cli_usage_error("merge", merge_usage);
	texts = calloc((size_t)n, sizeof(*texts));
	lens = calloc((size_t)n, sizeof(*lens));
	for (int i = 0; i < n; i++) {
		int r = sc_file_read(argv[optind + i], 0, &texts[i], &lens[i]);
		if (r < 0) {
			cli_error("cannot read '%s': %s", argv[optind + i], strerror(-r));
			return EXIT_FAIL;
		}
		if (!loads(argv[optind + i], texts[i], lens[i]))
			return EXIT_POLICY;
	}
	merged = merge_texts(texts[0], (const char *const *)texts + 1,
			     (const char *const *)argv + optind + 1, (size_t)n - 1, &len);
	rc = merged && loads(out, merged, len) ? write_out(out, merged, len) : EXIT_POLICY;
	for (int i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	free(merged);
	return rc;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "abstract", no_argument, NULL, 'A' },
		{ "append", no_argument, NULL, 'a' },
		{ "from-falco", required_argument, NULL, 'F' },
		{ "arch", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *falco = NULL;
	const struct sc_arch *arch = NULL;
	enum sc_format format = SC_FORMAT_TOML;
	bool abstract = false, append = false;
	struct sc_recording *rec;
	struct sc_diag d = { 0 };
	char *buf = NULL, command[1024] = "";
	size_t len = 0;
	int c, rc = EXIT_OK, status = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "+o:f:h", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f':
			if (!cli_parse_format("record", optarg, &format))
				return EXIT_USAGE;
			break;
		case 'A': abstract = true; break;
		case 'a': append = true; break;
		case 'F': falco = optarg; break;
		case 'r':
			if (!cli_parse_arch(optarg, &arch))
				return EXIT_USAGE;
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Run a command under ptrace — every thread, fork, clone and exec followed, one\n"
			       "stop per syscall — and write a policy that allows what it did and nothing else\n"
			       "(default Errno EPERM). Arguments that decide (ioctl requests, socket families,\n"
			       "prctl options, clone flags, PROT_EXEC …: data/recorder-args.txt) become\n"
			       "conditions with constant names. Options go before the command: everything from\n"
			       "the command's name on is the command's own, as with env, nice or strace.\n\n"
			       "  -o, --output <file>     write here (atomically) instead of standard output\n"
			       "  -f, --format toml|oci   the policy's format (default toml)\n"
			       "      --abstract          groups whose every member was observed replace them\n"
			       "      --append            merge into the existing --output policy\n"
			       "      --from-falco <file> read Falco's output instead of running (docs/falco.md)\n"
			       "      --arch <arch>       the ABI Falco's events were made on (default: native)\n\n"
			       "The command's output, input, signals and terminal pass through. Exit status: the\n"
			       "command's (128+N when signal N killed it); 1, 2 or 3 for seccompose's own errors.\n",
			       usage_line);
			return EXIT_OK;
		default: return cli_usage_error("record", usage_line);
		}
	}
	if ((falco != NULL) == (optind < argc))
		return cli_usage_error("record", usage_line);
	if (append && (!out || format != SC_FORMAT_TOML)) {
		cli_error("--append merges into the TOML policy given with -o");
		return EXIT_USAGE;
	}
	rec = sc_recording_new();
	if (falco) {
		if (sc_record_falco(rec, falco, arch, &d) < 0) {
			sc_diag_print(&d, stderr);
			sc_recording_free(rec);
			return EXIT_FAIL;
		}
		snprintf(command, sizeof(command), "Falco events from %s", falco);
	} else {
		for (int i = optind; i < argc; i++)
			snprintf(command + strlen(command), sizeof(command) - strlen(command), "%s%s",
				 i > optind ? " " : "", argv[i]);
		if (sc_record_command(rec, argv + optind, &status, &d) < 0) {
			sc_diag_print(&d, stderr);
			sc_recording_free(rec);
			return d.message[0] && strstr(d.message, "cannot run") ? 127 : EXIT_FAIL;
		}
	}
	if (sc_recording_write(rec, abstract, command, format, &buf, &len, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && append && access(out, F_OK) == 0) {
		size_t olen;
		char *old = NULL, *merged;
		const char *rest[1] = { buf };
		const char *names[1] = { "this recording" };
		int r = sc_file_read(out, 0, &old, &olen);
		if (r < 0) {
			cli_error("cannot read '%s': %s", out, strerror(-r));
			rc = EXIT_FAIL;
		} else if (!loads(out, old, olen)) {
			rc = EXIT_POLICY;
		} else {
			merged = merge_texts(old, rest, names, 1, &len);
			free(buf);
			buf = merged;
		}
		free(old);
	}
	if (rc == EXIT_OK)
		rc = write_out(out, buf, len);
	if (!falco)
		fprintf(stderr, "seccompose: recorded %zu distinct calls from '%s'%s%s\n",
			sc_recording_count(rec), command, out ? " into " : "", out ? out : "");
	free(buf);
	sc_recording_free(rec);
	if (rc != EXIT_OK || falco)
		return rc;
	/* The command's own status, as `run` gives it. */
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
