/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h — what every command shares.
 *
 * Adding a command: 4 things to do
 *  1. write cli/cmd-<name>.c with `int cmd_<name>(int argc, char **argv)` (argv[0] is the
 *     command's name; set optind = 0 and parse options with cli_getopt before doing anything
 *     else; `--help` prints usage on stdout, exit 0);
 *  2. declare it below;
 *  3. add a row to the command table in cli/main.c and the file to cli/meson.build;
 *  4. write man/seccompose-<name>.1.scd (NAME is the table's summary; every option) and list
 *     it in man/meson.build (cli-man checks both; completions need nothing).
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
struct option;
/*
 * getopt_long for every command. Options may come anywhere among the operands, as with GNU
 * tools (`--` ends them; a negative number is an operand); a command that runs a program
 * starts @shortopts with '+' so that parsing stops at the program's name, whose own options
 * must reach it (env, nice and strace do the same). A refused option is reported with a
 * suggestion (`--outptu` → `--output`) and '?' returned. Under `seccompose __options CMD`
 * it prints the command's long options instead and exits.
 */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* Set by `__options`: the next cli_getopt lists the options. */
extern bool cli_list_options;
/* Parse --format's @arg for command @cmd; an unknown one is reported with suggestions (false). */
bool cli_parse_format(const char *cmd, const char *arg, enum sc_format *ret);
/* For completion (`__values CMD OPTION`): the values @option of @cmd takes (format, arch,
 * policy, multiplexed; "operand" for a first operand); EXIT_FAIL when they are not a list. */
int cli_print_values(const char *cmd, const char *option);
/* Hidden `__builtin-program NAME`: the program `run` installs for builtin:NAME, as the build
 * compiled it (raw struct sock_filter), for tests/cli/test-builtin-programs.sh to hold
 * against a compile; exit 1 when run would compile it instead. */
int cli_print_builtin_program(const char *name);
/* Print @s as a JSON string literal (with quotes) on @f. */
void cli_json_string(FILE *f, const char *s);

/* Options every policy-reading command takes, for getopt_long tables and their handling. */
#define CLI_POLICY_LONGOPTS                                                 \
	{ "groups", required_argument, NULL, 0x100 },                      \
	{ "allow-unknown", no_argument, NULL, 0x101 },                     \
	{ "caps", required_argument, NULL, 0x102 },                        \
	{ "kernel", required_argument, NULL, 0x103 },                      \
	{ "oci", no_argument, NULL, 0x104 },                               \
	{ "toml", no_argument, NULL, 0x105 },                              \
	{ "multiplexed", required_argument, NULL, 0x106 },                 \
	{ "native-arch", required_argument, NULL, 0x107 },                 \
	{ "enosys-after", required_argument, NULL, 0x108 },                \
	{ "enosys-unknown", no_argument, NULL, 0x109 },                    \
	{ "weights", required_argument, NULL, 0x10a }
#define CLI_POLICY_HELP                                                                       \
	"      --groups <file>      add or override groups from a seed-format JSON database\n" \
	"      --allow-unknown      unknown syscall names warn instead of failing\n"           \
	"      --caps <list>        Docker includes/excludes: the container's capabilities\n"  \
	"                           (comma separated; default: Docker's default set)\n"        \
	"      --kernel <x.y>       Docker minKernel: the kernel to assume (default: running)\n" \
	"      --native-arch <a>    Docker archMap: the engine's architecture (default: this)\n" \
	"      --oci, --toml        the policy's format (default: by extension, then content)\n" \
	"      --multiplexed <deny|allow>  socketcall/ipc on i386 & co, which hide arguments\n" \
	"      --enosys-after <x.y> syscalls newer than kernel x.y that no rule names fail\n"     \
	"                           with ENOSYS (so libc falls back), as runc does\n"            \
	"      --enosys-unknown     numbers the catalog does not know fail with ENOSYS\n"      \
	"      --weights <file>     call counts (`record --counts`) that order the filter's\n"   \
	"                           search: the calls made most are decided first\n"

/* Handle one of CLI_POLICY_LONGOPTS; returns false when @c is not one of them. */
bool cli_policy_option(int c, const char *arg, struct sc_load_options *o);
/* Set by a command's --quiet: policy warnings (and the command's own) are not printed;
 * errors always are. */
extern bool cli_quiet;
/* Load a policy (a file, "-" for standard input, "builtin:NAME", or NULL for the built-in
 * default), print its warnings and errors.
 * Returns EXIT_OK, EXIT_FAIL (unreadable) or EXIT_POLICY. */
int cli_load_policy(const char *path, const struct sc_load_options *o, struct sc_policy **ret);
/* Print @p's warnings from the @from-th on (those a step added), unless --quiet. */
void cli_print_warnings(const struct sc_policy *p, size_t from);
/* Compile, printing errors; EXIT_OK or EXIT_POLICY. */
int cli_compile(struct sc_policy *p, struct sc_filter **ret);
/* Look up an --arch argument; an unknown one is reported with suggestions (false). */
bool cli_parse_arch(const char *name, const struct sc_arch **ret);
/* A comma-separated --arch list into @ret (up to @max); its length, 0 after an error said. */
size_t cli_parse_arch_list(const char *list, const struct sc_arch **ret, size_t max);
/* Parse an integer or constant expression ("0x5401", "TCGETS", "O_RDONLY|O_CLOEXEC", "-100"). */
bool cli_parse_value(const char *s, uint64_t *ret);

int cmd_syscalls(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_constants(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_oci_hook(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_intersect(int argc, char **argv);
int cmd_minimise(int argc, char **argv);

#endif
