/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * main.c — global options, the command table, dispatch (git.c / systemd-analyze).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *summary;
};

/* The command table; `help`, the usage text and completions come from it. Order: workflow. */
static const struct command commands[] = {
	{ "record",    cmd_record,    "run a command and write the policy that allows what it did" },
	{ "run",       cmd_run,       "run a command under a policy (the built-in default without -p)" },
	{ "compile",   cmd_compile,   "compile a policy to OCI JSON, TOML, SPO YAML, an OCI artifact, raw BPF, C or a disassembly" },
	{ "install",   cmd_install,   "install a policy as a kubelet localhost profile, print the pod's securityContext" },
	{ "check",     cmd_check,     "what a policy does with one call, without running anything" },
	{ "lint",      cmd_lint,      "report rules that are bypassed, never decide or break programs" },
	{ "explain",   cmd_explain,   "per syscall, the rules a policy ends up with and where they came from" },
	{ "groups",    cmd_groups,    "list the abstract syscall groups, show one expanded" },
	{ "merge",     cmd_merge,     "combine policies (recordings of several runs) into one" },
	{ "diff",      cmd_diff,      "what one policy allows that another does not, call by call" },
	{ "intersect", cmd_intersect, "the policy allowing only what every input allows (Kubernetes' merge)" },
	{ "minimise",  cmd_minimise,  "remove from a policy what a command does not need (delta debugging)" },
	{ "syscalls",  cmd_syscalls,  "resolve syscall names and numbers, show parameters" },
	{ "constants", cmd_constants, "look up symbolic constants (O_RDONLY, TCGETS, AF_INET …)" },
	{ "oci-hook",  cmd_oci_hook,  "an OCI runtime hook recording containers annotated io.seccompose.record" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Other names commands are known by (tiny-jail's `reduce`, the American spelling). */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "minimize", "minimise" },
	{ "reduce", "minimise" },
};

void cli_error(const char *fmt, ...)
{
	struct sc_diag d;
	char *msg = NULL;
	va_list ap;
	int n;

	/* Through sc_diag, which quotes at most a line's worth of what the user typed. */
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	sc_diag_set(&d, NULL, NULL, 0, 0, 0, 0, "%s", n >= 0 ? msg : fmt);
	sc_diag_print(&d, stderr);
	if (n >= 0)
		free(msg);
}

void cli_hint_suggestions(const char *const *best, size_t n)
{
	if (n == 0)
		return;
	fputs("hint: did you mean ", stderr);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ", best[i]);
	fputs("?\n", stderr);
}

int cli_usage_error(const char *cmd, const char *usage)
{
	fprintf(stderr, "usage: %s\nsee 'seccompose %s --help'\n", usage, cmd);
	return EXIT_USAGE;
}

void cli_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: seccompose [--version] [--help] <command> [<args>]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "   %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSee 'seccompose <command> --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	const char *name;
	const char *names[N_COMMANDS];
	const char *best[4];
	size_t n;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			/* `seccompose help CMD` is `seccompose CMD --help` */
			char *sub[] = { argv[2], (char *)"--help", NULL };
			for (size_t i = 0; i < N_COMMANDS; i++)
				if (strcmp(commands[i].name, argv[2]) == 0)
					return commands[i].handler(2, sub);
		}
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		printf("seccompose %s\n", sc_version());
		return EXIT_OK;
	}
	/* Hidden, for shell completion (completions/): what the table and the commands' option
	 * tables hold, so the scripts never list a command or an option themselves. */
	if (strcmp(name, "__commands") == 0) {
		for (size_t i = 0; i < N_COMMANDS; i++)
			puts(commands[i].name);
		return EXIT_OK;
	}
	if (strcmp(name, "__summaries") == 0) {
		for (size_t i = 0; i < N_COMMANDS; i++)
			printf("%s\t%s\n", commands[i].name, commands[i].summary);
		return EXIT_OK;
	}
	if (strcmp(name, "__options") == 0 && argc == 3) {
		char *sub[] = { argv[2], NULL };
		for (size_t i = 0; i < N_COMMANDS; i++)
			if (strcmp(commands[i].name, argv[2]) == 0) {
				cli_list_options = true; /* its cli_getopt prints and exits */
				return commands[i].handler(1, sub);
			}
		return EXIT_FAIL;
	}
	if (strcmp(name, "__builtin-program") == 0 && argc == 3)
		return cli_print_builtin_program(argv[2]);
	if (strcmp(name, "__values") == 0 && argc == 4)
		return cli_print_values(argv[2], argv[3]);
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].alias, name) == 0)
			name = aliases[i].name;
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].handler(argc - 1, argv + 1);

	for (size_t i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	cli_error("'%s' is not a seccompose command", name);
	n = sc_suggest(name, names, N_COMMANDS, best, 4);
	cli_hint_suggestions(best, n);
	fprintf(stderr, "see 'seccompose --help'\n");
	return EXIT_USAGE;
}
