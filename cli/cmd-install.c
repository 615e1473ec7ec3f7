/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-install.c — `seccompose install POLICY --kubelet --name N`: the policy as OCI JSON
 * where the kubelet looks for localhost profiles (<root>/seccomp/N, root /var/lib/kubelet),
 * written atomically so a pod starting meanwhile reads the old profile or the new one, and
 * the pod's securityContext.seccompProfile that references it on standard output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char usage_line[] =
	"seccompose install [<options>] <policy> --kubelet --name <name.json> [--root <dir>]";

#define KUBELET_ROOT "/var/lib/kubelet"

static void help(void)
{
	printf("usage: %s\n\n"
	       "Compile a policy to OCI JSON and install it as a kubelet localhost profile:\n"
	       "<root>/seccomp/<name>, written atomically. Prints the securityContext a pod or\n"
	       "container uses it with (type: Localhost, localhostProfile: <name>).\n\n"
	       "      --kubelet         install for the kubelet (the one target so far)\n"
	       "      --name <name>     the profile's path under <root>/seccomp: relative, no '..',\n"
	       "                        letters, digits, '.', '_', '-' and '/', ending in .json\n"
	       "      --root <dir>      the kubelet's root directory (default " KUBELET_ROOT ")\n"
	       CLI_POLICY_HELP
	       "\nExit status: 0 ok, 1 I/O error, 2 usage, 3 invalid policy.\n",
	       usage_line);
}

/* A localhost profile name the kubelet resolves under <root>/seccomp and nowhere else: a
 * relative path of plain components, ending .json. Characters are kept to a set that needs
 * no quoting in the YAML printed with it. */
static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n <= 5 || strcmp(name + n - 5, ".json") != 0 || name[0] == '/')
		return false;
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") != n)
		return false;
	for (const char *c = name; *c;) {
		size_t len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && strncmp(c, "..", 2) == 0))
			return false; /* empty, "." or ".." */
		c += len;
		if (*c == '/' && !*++c)
			return false; /* a trailing '/' */
	}
	return true;
}

/* mkdir -p of @path's directories below @root (which must exist). */
static int make_parents(const char *root, char *path)
{
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			int r = -errno;
			*s = '/';
			return r;
		}
		*s = '/';
	}
	return 0;
}

int cmd_install(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kubelet", no_argument, NULL, 0x200 },
		{ "name", required_argument, NULL, 0x201 },
		{ "root", required_argument, NULL, 0x202 },
		{ "help", no_argument, NULL, 'h' },
		CLI_POLICY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct sc_load_options lo = { 0 };
	const char *name = NULL, *root = KUBELET_ROOT;
	struct sc_policy *p = NULL;
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	bool kubelet = false;
	char *buf = NULL, *path = NULL;
	size_t len = 0;
	struct stat st;
	int c, rc, r;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
		if (cli_policy_option(c, optarg, &lo))
			continue;
		switch (c) {
		case 0x200:
			kubelet = true;
			break;
		case 0x201:
			name = optarg;
			break;
		case 0x202:
			root = optarg;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_usage_error("install", usage_line);
		}
	}
	if (optind != argc - 1 || !kubelet || !name)
		return cli_usage_error("install", usage_line);
	if (!name_ok(name)) {
		cli_error("'%.200s' is not a localhost profile name: a relative path without '.' or '..' "
			  "components, of letters, digits, '.', '_', '-' and '/', ending in .json", name);
		return EXIT_USAGE;
	}
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		cli_error("cannot install under '%s': %s", root,
			  stat(root, &st) < 0 ? strerror(errno) : "not a directory");
		return EXIT_FAIL;
	}
	rc = cli_load_policy(argv[optind], &lo, &p);
	if (rc == EXIT_OK)
		rc = cli_compile(p, &f);
	if (rc == EXIT_OK && sc_filter_export(f, SC_FORMAT_OCI, &buf, &len, &d) < 0) {
		sc_diag_print(&d, stderr);
		rc = EXIT_POLICY;
	}
	if (rc == EXIT_OK && asprintf(&path, "%s/seccomp/%s", root, name) < 0) {
		path = NULL;
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && ((r = make_parents(root, path)) < 0 || (r = sc_file_write_atomic(path, buf, len)) < 0)) {
		cli_error("cannot write '%s': %s", path, strerror(-r));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK) {
		fprintf(stderr, "seccompose: installed %s\n", path);
		printf("securityContext:\n  seccompProfile:\n    type: Localhost\n    localhostProfile: ");
		cli_json_string(stdout, name);
		putchar('\n');
		if (fflush(stdout) != 0)
			rc = EXIT_FAIL;
	}
	free(path);
	free(buf);
	sc_filter_free(f);
	sc_policy_free(p);
	return rc;
}
