/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * options.c — how every command reads its command line, so they all behave alike:
 * options anywhere among the operands (GNU), errors with a suggestion, the output formats,
 * and what shell completion asks for (`__options`, `__values`).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_list_options;

/* Does the word at @s look like a negative number ("-100", "-0x10")? Those are operands
 * (`check p.toml openat -100 0`), since no command has digit options. */
static bool negative_number(const char *s)
{
	return s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

/* The long option @name (up to '=' or its end) means, as getopt_long reads it: an exact match,
 * else the only one it is a prefix of; NULL when unknown or ambiguous. */
static const struct option *long_option(const char *name, const struct option *longopts)
{
	size_t n = strcspn(name, "=");
	const struct option *found = NULL;
	size_t matches = 0;

	for (const struct option *o = longopts; o->name; o++) {
		if (strncmp(o->name, name, n) != 0)
			continue;
		if (o->name[n] == '\0')
			return o;
		found = o;
		matches++;
	}
	return matches == 1 ? found : NULL;
}

/* How many words the option word @w takes after itself: 0 or 1 (its argument). */
static int option_words(const char *w, const char *shortopts, const struct option *longopts)
{
	if (w[1] == '-') {
		const struct option *o = long_option(w + 2, longopts);
		return o && o->has_arg == required_argument && !strchr(w, '=') ? 1 : 0;
	}
	for (const char *c = w + 1; *c; c++) {
		const char *s = strchr(shortopts, *c);
		if (*c != ':' && s && s[1] == ':')
			return c[1] ? 0 : 1; /* "-ofile" or "-o file" */
	}
	return 0;
}

/*
 * GNU's permutation, done here rather than by getopt_long so that it does not depend on
 * POSIXLY_CORRECT and so that negative numbers stay operands: options (with their
 * arguments) first, then `--` if it was given, then the operands, each in its order.
 * Returns the index where the options end (getopt_long is given that as argc, so an option
 * left without its argument at the end is reported, not fed the first operand).
 */
static int permute(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char **opts = calloc((size_t)argc, sizeof(*opts)), **operands = calloc((size_t)argc, sizeof(*operands));
	int no = 0, nv = 0, i = 1, k = 1;

	if (!opts || !operands) {
		free(opts);
		free(operands);
		return argc; /* left as it is: options before operands still work */
	}
	while (i < argc) {
		char *w = argv[i];
		if (strcmp(w, "--") == 0)
			break;
		if (w[0] != '-' || w[1] == '\0' || negative_number(w)) {
			operands[nv++] = argv[i++];
			continue;
		}
		int take = option_words(w, shortopts, longopts);
		opts[no++] = argv[i++];
		if (take && i < argc)
			opts[no++] = argv[i++];
	}
	for (int j = 0; j < no; j++)
		argv[k++] = opts[j];
	if (i < argc) /* the `--` and everything after it */
		argv[k++] = argv[i++];
	for (int j = 0; j < nv; j++)
		argv[k++] = operands[j];
	while (i < argc)
		argv[k++] = argv[i++];
	free(opts);
	free(operands);
	return 1 + no;
}

/* Say what is wrong with the option getopt_long refused (it returned '?' or ':'). */
static void report(int c, char **argv, const struct option *longopts)
{
	const char *w = argv[optind - 1];
	const struct option *o = strncmp(w, "--", 2) == 0 ? long_option(w + 2, longopts) : NULL;
	const char *names[64], *best[4];
	char dashed[64][40], word[96];
	size_t n = 0, nb = 0, len = strcspn(w, "=");

	/* getopt_long leaves optopt 0 for an unknown long option, the option's value otherwise;
	 * a short option's error may come while argv[optind - 1] is still the word before. */
	if (optopt != 0 && !(o && o->val == optopt)) {
		if (c == ':')
			cli_error("option '-%c' needs an argument", optopt);
		else
			cli_error("unknown option '-%c'", optopt);
		return;
	}
	if (o) {
		if (c == ':')
			cli_error("option '--%s' needs an argument", o->name);
		else
			cli_error("option '--%s' takes no argument", o->name);
		return;
	}
	for (const struct option *l = longopts; l->name && n < 64; l++) {
		snprintf(dashed[n], sizeof(dashed[n]), "--%s", l->name);
		names[n] = dashed[n];
		n++;
	}
	/* A prefix of several (`--a`) is ambiguous to getopt_long: list them all. */
	for (size_t i = 0; i < n && nb < 4; i++)
		if (strncmp(names[i], w, len) == 0)
			best[nb++] = names[i];
	if (nb > 1) {
		cli_error("option '%.*s' is ambiguous", (int)len, w);
	} else {
		/* Quote at most a line's worth of what was typed. */
		snprintf(word, sizeof(word), "%.*s", len > 80 ? 80 : (int)len, w);
		cli_error("unknown option '%s'", word);
		nb = sc_suggest(word, names, n, best, 4);
	}
	cli_hint_suggestions(best, nb);
}

/* `__options CMD`: one long option a line, `=` when it takes a value, then a tab and its
 * short form if it has one (completions/ reads this). */
static void list_options(const char *shortopts, const struct option *longopts)
{
	for (const struct option *o = longopts; o->name; o++) {
		printf("--%s%s", o->name, o->has_arg == required_argument ? "=" : "");
		if (o->val > ' ' && o->val < 0x7f && o->val != ':' && strchr(shortopts, o->val))
			printf("\t-%c", o->val);
		putchar('\n');
	}
	exit(EXIT_OK);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char optstring[128];
	static int end; /* where the options end, for this command line */
	bool in_order = shortopts[0] == '+';
	int c;

	if (cli_list_options)
		list_options(shortopts, longopts);
	if (in_order)
		shortopts++;
	if (optind == 0)
		end = in_order ? argc : permute(argc, argv, shortopts, longopts);
	/* '+': the permutation is done (or not wanted); ':': missing arguments apart from unknown options. */
	snprintf(optstring, sizeof(optstring), "+:%s", shortopts);
	opterr = 0;
	c = getopt_long(end, argv, optstring, longopts, NULL);
	if (c == -1 && end < argc && strcmp(argv[end], "--") == 0 && optind == end)
		optind = end + 1; /* getopt_long did not see the `--` past its argc */
	if (c == '?' || c == ':') {
		report(c, argv, longopts);
		return '?';
	}
	return c;
}

/*
 * The output formats, with the commands that write each (one home: compile, record and
 * completion read it). `json` is what people type for OCI's JSON.
 */
static const struct {
	const char *name;
	enum sc_format format;
	const char *commands; /* space-separated */
} formats[] = {
	{ "oci",    SC_FORMAT_OCI,    "compile record merge intersect" },
	{ "toml",   SC_FORMAT_TOML,   "compile record merge intersect" },
	{ "bpf",    SC_FORMAT_BPF,    "compile" },
	{ "c",      SC_FORMAT_C,      "compile" },
	{ "disasm", SC_FORMAT_DISASM, "compile" },
	{ "spo",    SC_FORMAT_SPO,    "compile" },
	{ "oci-artifact", SC_FORMAT_OCI_ARTIFACT, "compile" },
	{ "json",   SC_FORMAT_OCI,    "" }, /* an alias: accepted everywhere oci is, not listed */
};
#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		size_t m = strcspn(p, " ");
		if (m == n && strncmp(p, word, n) == 0)
			return true;
		p += m;
		p += strspn(p, " ");
	}
	return false;
}

static bool format_for(size_t i, const char *cmd)
{
	if (!*formats[i].commands) { /* an alias is for the commands of its format */
		for (size_t k = 0; k < N_FORMATS; k++)
			if (*formats[k].commands && formats[k].format == formats[i].format)
				return word_in(cmd, formats[k].commands);
		return false;
	}
	return word_in(cmd, formats[i].commands);
}

bool cli_parse_format(const char *cmd, const char *arg, enum sc_format *ret)
{
	const char *names[N_FORMATS], *best[2];
	size_t n = 0, nb;

	for (size_t i = 0; i < N_FORMATS; i++) {
		if (!format_for(i, cmd))
			continue;
		if (strcmp(arg, formats[i].name) == 0) {
			*ret = formats[i].format;
			return true;
		}
		names[n++] = formats[i].name;
	}
	cli_error("unknown format '%.80s' for %s", arg, cmd);
	nb = sc_suggest(arg, names, n, best, 2);
	cli_hint_suggestions(best, nb);
	fprintf(stderr, "hint: %s writes", cmd);
	for (size_t i = 0; i < N_FORMATS; i++)
		if (*formats[i].commands && format_for(i, cmd))
			fprintf(stderr, " %s", formats[i].name);
	fputc('\n', stderr);
	return false;
}

int cli_print_values(const char *cmd, const char *option)
{
	/* A policy operand: the commands whose first operand is one. */
	if (strcmp(option, "operand") == 0)
		option = word_in(cmd, "compile check explain merge") ? "policy" : "";
	if (strcmp(option, "format") == 0) {
		for (size_t i = 0; i < N_FORMATS; i++)
			if (*formats[i].commands && format_for(i, cmd))
				puts(formats[i].name);
	} else if (strcmp(option, "arch") == 0) {
		for (size_t i = 0; i < sc_arch_count(); i++)
			puts(sc_arch_at(i)->name);
	} else if (strcmp(option, "policy") == 0) {
		const char *name;
		for (size_t i = 0; (name = sc_builtin_policy(i, NULL, NULL)); i++)
			printf("builtin:%s\n", name);
	} else if (strcmp(option, "multiplexed") == 0) {
		puts("deny");
		puts("allow");
	} else {
		return EXIT_FAIL; /* a file, or free text */
	}
	return EXIT_OK;
}
