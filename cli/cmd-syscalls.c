/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-syscalls.c — `seccompose syscalls`: names ⇄ numbers on any architecture, whole
 * tables, and each syscall's parameters with the width a filter compares.
 * A superset of libseccomp's scmp_sys_resolver (`-q` prints what it prints).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose syscalls [--arch <arch>]... [--all-arches] [--json] [-q] [<name>|<number>...]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "With no name, list the whole syscall table of each architecture. With names or\n"
	       "numbers, resolve each one and show its parameters: the kernel's name and type and\n"
	       "the bits a filter compares (32-bit types on their low 32 bits, 64-bit on both halves).\n\n"
	       "  -a, --arch <arch>   architecture: x86_64, SCMP_ARCH_X86_64, amd64, x32, x86, aarch64,\n"
	       "                      arm, riscv64, loongarch64, ppc64, ppc64le, ppc, s390x, s390, mips,\n"
	       "                      mipsel, mips64, mipsel64, mips64n32, mipsel64n32 (default: native)\n"
	       "  -A, --all-arches    every architecture the catalog knows\n"
	       "      --arches        list the architectures and exit\n"
	       "  -j, --json          JSON output\n"
	       "  -q, --quiet         print only the number (for a name) or the name (for a number),\n"
	       "                      like scmp_sys_resolver\n\n"
	       "Exit status: 0 when every name resolved, 1 when one did not, 2 on a usage error.\n",
	       usage_line);
}

static bool parse_number(const char *s, uint32_t *ret)
{
	char *end;
	unsigned long long v;

	if (!*s || !(s[0] >= '0' && s[0] <= '9'))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*ret = (uint32_t)v;
	return true;
}

static void print_arch_list(bool json)
{
	if (json)
		fputs("[", stdout);
	for (size_t i = 0; i < sc_arch_count(); i++) {
		const struct sc_arch *a = sc_arch_at(i);
		if (json) {
			printf("%s{\"name\":", i ? "," : "");
			cli_json_string(stdout, a->name);
			printf(",\"scmp_name\":");
			cli_json_string(stdout, a->scmp_name);
			printf(",\"aliases\":");
			cli_json_string(stdout, a->aliases);
			printf(",\"audit_arch\":%u,\"bits\":%u,\"endian\":\"%s\",\"nr_base\":%u,"
			       "\"nr_bit\":%u,\"socketcall\":%s,\"ipc\":%s,\"syscalls\":%zu}",
			       a->audit_arch, a->word_bits,
			       a->endian == SC_ENDIAN_BIG ? "big" : "little", a->nr_base, a->nr_bit,
			       a->flags & SC_ARCH_SOCKETCALL ? "true" : "false",
			       a->flags & SC_ARCH_IPC ? "true" : "false", sc_syscall_count(a));
		} else {
			printf("%-12s %-22s audit 0x%08x  %u-bit %-6s %4zu syscalls", a->name,
			       a->scmp_name, a->audit_arch, a->word_bits,
			       a->endian == SC_ENDIAN_BIG ? "big" : "little", sc_syscall_count(a));
			if (a->nr_base)
				printf("  base %u", a->nr_base);
			if (a->nr_bit)
				printf("  nr|0x%x", a->nr_bit);
			if (a->flags & SC_ARCH_SOCKETCALL)
				printf("  socketcall");
			if (a->flags & SC_ARCH_IPC)
				printf("  ipc");
			if (*a->aliases)
				printf("  (also: %s)", a->aliases);
			putchar('\n');
		}
	}
	if (json)
		puts("]");
}

static void print_syscall_json(const struct sc_arch *a, const struct sc_syscall *s, bool *first)
{
	printf("%s{\"arch\":", *first ? "" : ",\n");
	*first = false;
	cli_json_string(stdout, a->name);
	printf(",\"name\":");
	cli_json_string(stdout, s->name);
	printf(",\"number\":%u,\"abi\":", s->nr);
	cli_json_string(stdout, s->abi);
	printf(",\"entry_point\":");
	cli_json_string(stdout, s->entry_point);
	printf(",\"args\":[");
	for (unsigned i = 0; i < s->nargs; i++) {
		printf("%s{\"index\":%u,\"name\":", i ? "," : "", i);
		cli_json_string(stdout, s->args[i].name);
		printf(",\"type\":");
		cli_json_string(stdout, s->args[i].type);
		printf(",\"bits\":%u,\"pointer\":%s}", sc_syscall_arg_bits(a, s, i),
		       s->args[i].pointer ? "true" : "false");
	}
	printf("]}");
}

static void print_syscall_text(const struct sc_arch *a, const struct sc_syscall *s)
{
	printf("%s %s: %u (0x%x)  abi %s  entry %s\n", s->name, a->name, s->nr, s->nr, s->abi,
	       *s->entry_point ? s->entry_point : "(not implemented)");
	for (unsigned i = 0; i < s->nargs; i++)
		printf("  arg%u %-16s %-28s %2u-bit%s\n", i, s->args[i].name, s->args[i].type,
		       sc_syscall_arg_bits(a, s, i), s->args[i].pointer ? " pointer" : "");
}

/* Say why @word resolved nowhere in @arches: a typo (suggest), or another ABI's syscall. */
static void report_unknown(const char *word, const struct sc_arch **arches, size_t n)
{
	const char *best[4];
	size_t nb;

	if (sc_syscall_known(word)) {
		cli_error("'%s' is not a syscall on %s%s", word, arches[0]->name,
			  n > 1 ? " (nor the other architectures asked for)" : "");
		fprintf(stderr, "hint: it exists on:");
		for (size_t i = 0; i < sc_arch_count(); i++)
			if (sc_syscall_lookup(sc_arch_at(i), word))
				fprintf(stderr, " %s", sc_arch_at(i)->name);
		fputc('\n', stderr);
		return;
	}
	cli_error("unknown syscall '%s'", word);
	nb = sc_syscall_suggest(n == 1 ? arches[0] : NULL, word, best, 4);
	if (nb == 0 && n == 1)
		nb = sc_syscall_suggest(NULL, word, best, 4);
	cli_hint_suggestions(best, nb);
}

int cmd_syscalls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "all-arches", no_argument, NULL, 'A' },
		{ "arches", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sc_arch *arches[64];
	size_t narch = 0;
	bool json = false, quiet = false, list_arches = false, first = true;
	int c, rc = EXIT_OK;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "a:AjqhL", opts)) != -1) {
		switch (c) {
		case 'a': {
			const struct sc_arch *a;
			if (!cli_parse_arch(optarg, &a))
				return EXIT_USAGE;
			if (narch < 64)
				arches[narch++] = a;
			break;
		}
		case 'A':
			narch = 0;
			for (size_t i = 0; i < sc_arch_count() && i < 64; i++)
				arches[narch++] = sc_arch_at(i);
			break;
		case 'L':
			list_arches = true;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_usage_error("syscalls", usage_line);
		}
	}
	if (list_arches) {
		print_arch_list(json);
		return EXIT_OK;
	}
	if (narch == 0) {
		arches[0] = sc_arch_native();
		if (!arches[0]) {
			cli_error("this machine's architecture is not in the catalog; name one with --arch");
			return EXIT_USAGE;
		}
		narch = 1;
	}
	if (json)
		fputs("[", stdout);

	if (optind == argc) { /* whole tables */
		for (size_t k = 0; k < narch; k++)
			for (size_t i = 0; i < sc_syscall_count(arches[k]); i++) {
				const struct sc_syscall *s = sc_syscall_at(arches[k], i);
				if (json)
					print_syscall_json(arches[k], s, &first);
				else
					printf("%-12s %6u  %s\n", arches[k]->name, s->nr, s->name);
			}
	}
	for (int i = optind; i < argc; i++) {
		const char *w = argv[i];
		uint32_t nr;
		bool is_nr = parse_number(w, &nr), found = false;

		for (size_t k = 0; k < narch; k++) {
			const struct sc_syscall *s =
				is_nr ? sc_syscall_by_nr(arches[k], nr) : sc_syscall_lookup(arches[k], w);
			if (!s)
				continue;
			found = true;
			if (json)
				print_syscall_json(arches[k], s, &first);
			else if (quiet)
				is_nr ? puts(s->name) : printf("%u\n", s->nr);
			else
				print_syscall_text(arches[k], s);
		}
		if (found)
			continue;
		rc = EXIT_FAIL;
		if (is_nr)
			cli_error("no syscall number %s on %s%s", w, arches[0]->name,
				  narch > 1 ? " (nor the other architectures asked for)" : "");
		else
			report_unknown(w, arches, narch);
	}
	if (json)
		puts("]");
	return rc;
}
