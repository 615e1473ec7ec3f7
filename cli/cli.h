/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h — what every command shares.
 *
 * Adding a command: 3 things to do
 *  1. write cli/cmd-<name>.c with `int cmd_<name>(int argc, char **argv)` (argv[0] is the
 *     command's name; parse options with getopt_long; `--help` prints usage on stdout, exit 0);
 *  2. declare it below;
 *  3. add a row to the command table in cli/main.c and the file to cli/meson.build.
 * Commands use only <seccompose.h>: if one needs something internal, the public API lacks it.
 */
#ifndef SC_CLI_H
#define SC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <seccompose.h>

/* Exit codes (jq's split: usage apart from invalid input). `run` returns the child's. */
enum exit_code {
	EXIT_OK      = 0, /**< success */
	EXIT_FAIL    = 1, /**< failure: unknown name, I/O error, denied */
	EXIT_USAGE   = 2, /**< bad command line */
	EXIT_POLICY  = 3, /**< invalid policy */
};

/* Print `seccompose: error: <fmt>` on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print `hint: did you mean 'a'?` (or 'a', 'b' or 'c') for the suggestions given, if any. */
void cli_hint_suggestions(const char *const *best, size_t n);
/* Print a command's usage line on stderr plus "see 'seccompose <cmd> --help'"; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage);
/* Print @s as a JSON string literal (with quotes) on @f. */
void cli_json_string(FILE *f, const char *s);

int cmd_syscalls(int argc, char **argv);
int cmd_constants(int argc, char **argv);

#endif
