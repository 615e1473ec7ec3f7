/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-groups.c — `seccompose groups`: the abstract syscall groups. Without a name, every
 * group and its description; with one, what it expands to on an architecture (the same
 * resolution a policy gets, shown by explain); --ungrouped, the syscalls no group covers.
 * --json gives each of the three as data (shapes in seccompose-groups(1)).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose groups [--groups <file>] [--arch <arch>] [--ungrouped] [--json] [<name>...]";

static void print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
}

/* The syscalls of @arch that @f has rules for: what a group expands to there. */
static json_t *expansion(const struct sc_filter *f, const struct sc_arch *arch)
{
	json_t *calls = json_array();

	for (size_t i = 0; i < sc_syscall_count(arch); i++) {
		const struct sc_syscall *s = sc_syscall_at(arch, i);
		if (sc_filter_rule_count(f, arch, s->nr) != 0)
			json_array_append_new(calls, json_string(s->name));
	}
	return calls;
}

/* A policy allowing @names (NULL: every group), everything else killed: built, not written
 * out and parsed, so a name is only ever a name. */
static int compile_groups(struct sc_groups *groups, const struct sc_load_options *lo,
			  const struct sc_arch *arch, const char *const *names, size_t n,
			  struct sc_filter **ret, struct sc_policy **ret_policy)
{
	struct sc_policy *p = sc_policy_new("<groups>", groups);
	struct sc_diag d = { 0 };
	size_t r;

	*ret_policy = p;
	if (sc_policy_set_options(p, lo, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_POLICY;
	}
	sc_policy_add_arch(p, arch);
	r = sc_policy_add_rule(p, SC_RULE_GROUPS, (struct sc_action){ SC_ACT_ALLOW, 0 });
	if (!names)
		n = sc_groups_count(groups);
	for (size_t i = 0; i < n; i++)
		sc_rule_add_name(p, r, names ? names[i] : sc_groups_at(groups, i, NULL));
	return cli_compile(p, ret);
}

int cmd_groups(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "ungrouped", no_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const struct sc_arch *arch = sc_arch_native();
	struct sc_groups *all = NULL;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	bool ungrouped = false, json = false;
	int c, rc = EXIT_OK;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "a:uh", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 'a':
			if (!cli_parse_arch(optarg, &arch))
				return EXIT_USAGE;
			break;
		case 'u':
			ungrouped = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: %s\n\nWithout a name, list every group with its description. With names,\n"
			       "show what they expand to on the architecture (syscalls, conditions, origin).\n\n"
			       "  -a, --arch <arch>   architecture to expand for (default: native)\n"
			       "  -u, --ungrouped     list the syscalls of the architecture that no group covers\n"
			       "      --json          as JSON: the list an array of {name, description};\n"
			       "                      names an array of {name, description, arch, syscalls[]};\n"
			       "                      --ungrouped an array of syscall names\n"
			       "      --groups <file> add or override groups from a seed-format JSON file\n",
			       usage_line);
			return EXIT_OK;
		default:
			return cli_usage_error("groups", usage_line);
		}
	}
	if (sc_groups_load(&lo, &all, &d) < 0) {
		sc_diag_print(&d, stderr);
		return EXIT_POLICY;
	}
	for (size_t i = 0; i < sc_groups_warning_count(all); i++)
		sc_diag_print(sc_groups_warning(all, i), stderr);
	if (ungrouped) {
		rc = compile_groups(all, &lo, arch, NULL, 0, &f, &p);
		for (size_t i = 0; !json && rc == EXIT_OK && i < sc_syscall_count(arch); i++) {
			const struct sc_syscall *s = sc_syscall_at(arch, i);
			if (sc_filter_rule_count(f, arch, s->nr) == 0)
				printf("%s\n", s->name);
		}
		if (json && rc == EXIT_OK) {
			json_t *v = json_array();
			for (size_t i = 0; i < sc_syscall_count(arch); i++) {
				const struct sc_syscall *s = sc_syscall_at(arch, i);
				if (sc_filter_rule_count(f, arch, s->nr) == 0)
					json_array_append_new(v, json_string(s->name));
			}
			print_json(v);
		}
	} else if (optind == argc && json) {
		json_t *v = json_array();
		for (size_t i = 0; i < sc_groups_count(all); i++) {
			const char *desc, *name = sc_groups_at(all, i, &desc);
			json_array_append_new(v, json_pack("{s:s, s:s}", "name", name, "description", desc));
		}
		print_json(v);
	} else if (optind == argc) {
		for (size_t i = 0; i < sc_groups_count(all); i++) {
			const char *desc;
			const char *name = sc_groups_at(all, i, &desc);
			/* The list shows each description's first sentence; `groups NAME` all of it. */
			size_t n = strcspn(desc, ".:(");
			while (n > 0 && desc[n - 1] == ' ')
				n--;
			printf("%-28s %.*s\n", name, (int)(n > 90 ? 90 : n), desc);
		}
	} else {
		char *text = NULL;
		for (int i = optind; i < argc; i++) {
			bool found = false;
			const char *names[2048], *best[4];
			size_t n = 0;
			for (size_t k = 0; k < sc_groups_count(all) && n < 2048; k++) {
				names[n] = sc_groups_at(all, k, NULL);
				found |= strcmp(names[n++], argv[i]) == 0;
			}
			if (!found) {
				cli_error("unknown group '%s'", argv[i]);
				cli_hint_suggestions(best, sc_suggest(argv[i], names, n, best, 4));
				sc_groups_unref(all);
				return EXIT_FAIL;
			}
		}
		/* Compiled first: a group that does not expand prints nothing but the error. */
		rc = compile_groups(all, &lo, arch, (const char *const *)argv + optind, (size_t)(argc - optind),
				    &f, &p);
		if (json) {
			json_t *v = json_array();
			/* One group at a time: each its own expansion (they compiled together above). */
			for (int i = optind; rc == EXIT_OK && i < argc; i++) {
				struct sc_policy *gp = NULL;
				struct sc_filter *gf = NULL;
				const char *one[] = { argv[i] }, *desc = "";
				for (size_t k = 0; k < sc_groups_count(all); k++)
					if (strcmp(sc_groups_at(all, k, NULL), argv[i]) == 0)
						sc_groups_at(all, k, &desc);
				rc = compile_groups(all, &lo, arch, one, 1, &gf, &gp);
				if (rc == EXIT_OK)
					json_array_append_new(v, json_pack("{s:s, s:s, s:s, s:o}", "name", argv[i],
									   "description", desc, "arch", arch->name,
									   "syscalls", expansion(gf, arch)));
				sc_filter_free(gf);
				sc_policy_free(gp);
			}
			if (rc == EXIT_OK)
				print_json(v);
			else
				json_decref(v);
		}
		for (int i = optind; !json && rc == EXIT_OK && i < argc; i++)
			for (size_t k = 0; k < sc_groups_count(all); k++) {
				const char *desc, *name = sc_groups_at(all, k, &desc);
				if (strcmp(name, argv[i]) == 0)
					printf("%s: %s\n", name, desc);
			}
		if (!json && rc == EXIT_OK && sc_filter_explain(f, arch, &text) == 0)
			fputs(text, stdout);
		free(text);
	}
	sc_filter_free(f);
	sc_policy_free(p);
	sc_groups_unref(all);
	return rc;
}
