/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-constants.c — `seccompose constants`: the symbolic constants a policy may name, their
 * values (x86_64's), their family and the syscall arguments they are for; by name, by shell
 * pattern, by value, or all that fit one argument.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose constants [--json] [--for <syscall>[:<arg>]] [<name>|<pattern>|<value>...]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Show the symbolic constants a policy may use in argument conditions and\n"
	       "errno actions, one a line:\n\n"
	       "  NAME = value (0xhex)  family  syscall:arg...\n\n"
	       "With no word, list them all (or all that fit --for). A word is a constant's\n"
	       "name (O_RDONLY), a shell pattern (\"TIOC*\", quoted), or a value (0x5401; a\n"
	       "negative one: -100), which lists the constants that have it, or\n"
	       "with --for the one that names it there. Values are x86_64's: ioctl request\n"
	       "codes and some flags differ on other architectures.\n\n"
	       "  -f, --for <syscall>[:<arg>]  only the constants meant for that argument\n"
	       "                               (ioctl:cmd, socket:family, action:errno)\n"
	       "  -j, --json                   JSON output\n\n"
	       "Exit status: 0 when every word matched, 1 when one did not, 2 on a usage\n"
	       "error.\n",
	       usage_line);
}

/* A sign-extended 32-bit negative (AT_FDCWD, KEY_SPEC_*) reads better as a negative number. */
static bool looks_negative(uint64_t v)
{
	return v >= UINT64_C(0xffffffff80000000);
}

/* Does the space-separated @uses list name @sys (and @arg, unless NULL)? */
static bool uses_fit(const char *uses, const char *sys, const char *arg)
{
	size_t sl = strlen(sys), al = arg ? strlen(arg) : 0;

	for (const char *p = uses; *p;) {
		size_t n = strcspn(p, " ");
		if (n > sl && p[sl] == ':' && strncmp(p, sys, sl) == 0 &&
		    (!arg || (n == sl + 1 + al && strncmp(p + sl + 1, arg, al) == 0)))
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

static void print_constant(const struct sc_constant *c, bool json, bool *first)
{
	if (json) {
		printf("%s{\"name\":", *first ? "" : ",\n");
		cli_json_string(stdout, c->name);
		if (looks_negative(c->value))
			printf(",\"value\":%" PRId64, (int64_t)c->value);
		else
			printf(",\"value\":%" PRIu64, c->value);
		printf(",\"hex\":\"0x%" PRIx64 "\",\"group\":", c->value);
		cli_json_string(stdout, c->group);
		printf(",\"uses\":[");
		for (const char *p = c->uses, *sep = ""; *p; sep = ",") {
			size_t n = strcspn(p, " ");
			char use[128];
			snprintf(use, sizeof(use), "%.*s", (int)n, p);
			printf("%s", sep);
			cli_json_string(stdout, use);
			p += n;
			p += strspn(p, " ");
		}
		printf("]}");
	} else {
		if (looks_negative(c->value))
			printf("%s = %" PRId64, c->name, (int64_t)c->value);
		else
			printf("%s = %" PRIu64, c->name, c->value);
		printf(" (0x%" PRIx64 ")  %s%s%s\n", c->value, c->group, *c->uses ? "  " : "",
		       c->uses);
	}
	*first = false;
}

/* Parse a value: decimal, 0x hex, 0 octal, or negative (stored as its 64-bit two's complement). */
static bool parse_value(const char *s, uint64_t *ret)
{
	char *end;

	if (!((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
		return false;
	errno = 0;
	if (s[0] == '-')
		*ret = (uint64_t)strtoll(s, &end, 0);
	else
		*ret = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

/*
 * Check --for's SYSCALL[:ARG]. Anything some constant is for is fine (action:errno is not a
 * syscall); otherwise say what is wrong with a hint. Returns false on a usage error.
 */
static bool check_for(const char *sys, const char *arg)
{
	const struct sc_arch *a = NULL;
	const struct sc_syscall *s = NULL;
	const char *best[4];
	size_t nb;

	for (size_t i = 0; i < sc_constant_count(); i++)
		if (uses_fit(sc_constant_at(i)->uses, sys, arg))
			return true;
	if (!sc_syscall_known(sys)) {
		cli_error("unknown syscall '%s'", sys);
		nb = sc_syscall_suggest(NULL, sys, best, 4);
		cli_hint_suggestions(best, nb);
		return false;
	}
	if (!arg)
		return true;
	for (size_t i = 0; i < sc_arch_count() && !s; i++) {
		a = sc_arch_at(i);
		s = sc_syscall_lookup(a, sys);
	}
	if (s && sc_syscall_arg_index(s, arg) < 0) {
		const char *names[8];
		unsigned n = s->nargs < 8 ? s->nargs : 8;
		for (unsigned i = 0; i < n; i++)
			names[i] = s->args[i].name;
		cli_error("syscall '%s' has no argument '%s'", sys, arg);
		nb = sc_suggest(arg, names, n, best, 4);
		if (nb) {
			cli_hint_suggestions(best, nb);
		} else {
			fprintf(stderr, "hint: its arguments are");
			for (unsigned i = 0; i < n; i++)
				fprintf(stderr, "%s'%s'", i ? ", " : " ", names[i]);
			fputc('\n', stderr);
		}
		return false;
	}
	return true;
}

int cmd_constants(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "for", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char sysbuf[128], where[160] = "";
	const char *sys = NULL, *arg = NULL;
	bool json = false, first = true;
	int c, rc = EXIT_OK;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "f:jh", opts)) != -1) {
		switch (c) {
		case 'f': {
			char *colon;
			if (strlen(optarg) >= sizeof(sysbuf) || !*optarg || *optarg == ':') {
				cli_error("expected <syscall>[:<arg>] after --for, found '%s'",
					  optarg);
				return cli_usage_error("constants", usage_line);
			}
			snprintf(sysbuf, sizeof(sysbuf), "%s", optarg);
			sys = sysbuf;
			colon = strchr(sysbuf, ':');
			arg = NULL;
			if (colon) {
				*colon = '\0';
				arg = *(colon + 1) ? colon + 1 : NULL;
			}
			break;
		}
		case 'j':
			json = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_usage_error("constants", usage_line);
		}
	}
	if (sys && !check_for(sys, arg))
		return EXIT_USAGE;
	if (sys) /* "ioctl:cmd", or "ioctl" for any of its arguments */
		snprintf(where, sizeof(where), "%s%s%s", sys, arg ? ":" : "", arg ? arg : "");

	if (json)
		fputs("[", stdout);
	if (optind == argc) {
		size_t shown = 0;
		for (size_t i = 0; i < sc_constant_count(); i++) {
			const struct sc_constant *k = sc_constant_at(i);
			if (!sys || uses_fit(k->uses, sys, arg)) {
				print_constant(k, json, &first);
				shown++;
			}
		}
		if (sys && !shown) {
			cli_error("no constants are listed for '%s'", where);
			rc = EXIT_FAIL;
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *w = argv[i];
		const struct sc_constant *k;
		uint64_t v;
		size_t shown = 0;

		if (parse_value(w, &v)) {
			if (sys) {
				k = sc_constant_for_value(sys, arg, v);
				if (k) {
					print_constant(k, json, &first);
					continue;
				}
				cli_error("no constant names %s for '%s'", w, where);
			} else {
				for (size_t j = 0; j < sc_constant_count(); j++)
					if (sc_constant_at(j)->value == v) {
						print_constant(sc_constant_at(j), json, &first);
						shown++;
					}
				if (shown)
					continue;
				cli_error("no constant has the value %s", w);
			}
			rc = EXIT_FAIL;
		} else if (strpbrk(w, "*?[")) {
			for (size_t j = 0; j < sc_constant_count(); j++) {
				k = sc_constant_at(j);
				if (fnmatch(w, k->name, 0) == 0 &&
				    (!sys || uses_fit(k->uses, sys, arg))) {
					print_constant(k, json, &first);
					shown++;
				}
			}
			if (!shown) {
				if (sys)
					cli_error("no constant for '%s' matches '%s'", where, w);
				else
					cli_error("no constant matches '%s'", w);
				rc = EXIT_FAIL;
			}
		} else if ((k = sc_constant_lookup(w))) {
			if (sys && !uses_fit(k->uses, sys, arg)) {
				cli_error("'%s' is not a value for '%s'", w, where);
				if (*k->uses)
					fprintf(stderr, "hint: it is for %s\n", k->uses);
				rc = EXIT_FAIL;
				continue;
			}
			print_constant(k, json, &first);
		} else {
			const char *best[4];
			size_t nb = sc_constant_suggest(w, best, 4);
			cli_error("unknown constant '%s'", w);
			cli_hint_suggestions(best, nb);
			rc = EXIT_FAIL;
		}
	}
	if (json)
		puts("]");
	return rc;
}
