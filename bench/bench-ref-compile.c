/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-ref-compile — the whole-process reference for `seccompose compile`: an OCI/Docker
 * profile read with jansson and compiled with libseccomp the way the field does it, then
 * exported with seccomp_export_bpf(). Standalone on purpose (no sc_internal): what it costs
 * is what a runtime pays, not what our loader pays.
 *
 *  - Docker (moby profiles/seccomp setupSeccomp): `archMap` picks the native architecture
 *    and its sub-architectures; `includes`/`excludes` filter rules by arch, capabilities
 *    (Docker's default set) and minimum kernel (the running one); `name` joins `names`.
 *  - runc (libcontainer/seccomp InitSeccomp): the default action with defaultErrnoRet, the
 *    listed architectures added, rules whose action is the default skipped, unknown names
 *    skipped, several args on one index become one rule per arg, else all args ANDed.
 *
 *	build/bench/bench-ref-compile PROFILE.json [-o OUT.bpf]   (no -o: standard output)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Docker's default capability set (moby oci/caps/defaults.go), for `includes.caps`. */
static const char *const docker_caps[] = {
	"CAP_CHOWN",	   "CAP_DAC_OVERRIDE", "CAP_FSETID",	       "CAP_FOWNER",
	"CAP_MKNOD",	   "CAP_NET_RAW",      "CAP_SETGID",	       "CAP_SETUID",
	"CAP_SETFCAP",	   "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
	"CAP_KILL",	   "CAP_AUDIT_WRITE",
};

static unsigned kmajor, kminor;

/* The native architecture as Docker names it: Go's runtime.GOARCH (includes/excludes
 * `arches`) and libseccomp's name (the `archMap` key). */
#if defined(__x86_64__)
#define NATIVE_GOARCH "amd64"
#define NATIVE_SCMP "SCMP_ARCH_X86_64"
#elif defined(__aarch64__)
#define NATIVE_GOARCH "arm64"
#define NATIVE_SCMP "SCMP_ARCH_AARCH64"
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_GOARCH "riscv64"
#define NATIVE_SCMP "SCMP_ARCH_RISCV64"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_GOARCH "ppc64le"
#define NATIVE_SCMP "SCMP_ARCH_PPC64LE"
#elif defined(__s390x__)
#define NATIVE_GOARCH "s390x"
#define NATIVE_SCMP "SCMP_ARCH_S390X"
#else
#define NATIVE_GOARCH ""
#define NATIVE_SCMP ""
#endif

static bool has_cap(const char *cap)
{
	for (size_t i = 0; i < sizeof(docker_caps) / sizeof(docker_caps[0]); i++)
		if (strcmp(docker_caps[i], cap) == 0)
			return true;
	return false;
}

static bool list_has(json_t *list, const char *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return true;
	return false;
}

static bool kernel_at_least(const char *v)
{
	unsigned maj = 0, min = 0;

	if (sscanf(v, "%u.%u", &maj, &min) < 1)
		return true;
	return kmajor > maj || (kmajor == maj && kminor >= min);
}

/* moby: excluded when any exclusion matches, or when an inclusion fails. */
static bool rule_applies(json_t *rule)
{
	json_t *ex = json_object_get(rule, "excludes"), *in = json_object_get(rule, "includes");
	json_t *v, *e;
	size_t i;

	if (json_is_object(ex)) {
		if (list_has(json_object_get(ex, "arches"), NATIVE_GOARCH))
			return false;
		json_array_foreach(json_object_get(ex, "caps"), i, e)
			if (json_is_string(e) && has_cap(json_string_value(e)))
				return false;
		if (json_is_string(v = json_object_get(ex, "minKernel")) &&
		    kernel_at_least(json_string_value(v)))
			return false;
	}
	if (json_is_object(in)) {
		v = json_object_get(in, "arches");
		if (json_array_size(v) > 0 && !list_has(v, NATIVE_GOARCH))
			return false;
		json_array_foreach(json_object_get(in, "caps"), i, e)
			if (json_is_string(e) && !has_cap(json_string_value(e)))
				return false;
		if (json_is_string(v = json_object_get(in, "minKernel")) &&
		    !kernel_at_least(json_string_value(v)))
			return false;
	}
	return true;
}

/* runc getAction: errnoRet (default EPERM) only for ERRNO and TRACE. */
static int action(json_t *name, json_t *errno_ret, uint32_t *ret)
{
	const char *s = json_string_value(name);
	uint16_t e = json_is_integer(errno_ret) ? (uint16_t)json_integer_value(errno_ret) : EPERM;

	if (!s)
		return -EINVAL;
	if (strcmp(s, "SCMP_ACT_KILL") == 0 || strcmp(s, "SCMP_ACT_KILL_THREAD") == 0)
		*ret = SCMP_ACT_KILL_THREAD;
	else if (strcmp(s, "SCMP_ACT_KILL_PROCESS") == 0)
		*ret = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(s, "SCMP_ACT_TRAP") == 0)
		*ret = SCMP_ACT_TRAP;
	else if (strcmp(s, "SCMP_ACT_ERRNO") == 0)
		*ret = SCMP_ACT_ERRNO(e);
	else if (strcmp(s, "SCMP_ACT_TRACE") == 0)
		*ret = SCMP_ACT_TRACE(e);
	else if (strcmp(s, "SCMP_ACT_ALLOW") == 0)
		*ret = SCMP_ACT_ALLOW;
	else if (strcmp(s, "SCMP_ACT_LOG") == 0)
		*ret = SCMP_ACT_LOG;
	else if (strcmp(s, "SCMP_ACT_NOTIFY") == 0)
		*ret = SCMP_ACT_NOTIFY;
	else
		return -EINVAL;
	return 0;
}

static int compare_op(const char *s, enum scmp_compare *ret)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	for (size_t i = 0; s && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, s) == 0) {
			*ret = ops[i].op;
			return 0;
		}
	return -EINVAL;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t act, json_t *names, json_t *args)
{
	struct scmp_arg_cmp cmps[6];
	unsigned n = 0, seen = 0;
	bool split = false;
	size_t i;
	json_t *e;
	int r = 0;

	json_array_foreach(args, i, e) {
		unsigned index = (unsigned)json_integer_value(json_object_get(e, "index"));
		if (n == 6 || index > 5 ||
		    compare_op(json_string_value(json_object_get(e, "op")), &cmps[n].op) < 0)
			return -EINVAL;
		if (seen & (1u << index))
			split = true;
		seen |= 1u << index;
		cmps[n].arg = index;
		cmps[n].datum_a = (scmp_datum_t)json_integer_value(json_object_get(e, "value"));
		cmps[n].datum_b = (scmp_datum_t)json_integer_value(json_object_get(e, "valueTwo"));
		n++;
	}
	json_array_foreach(names, i, e) {
		int nr = seccomp_syscall_resolve_name(json_string_value(e));
		if (!json_is_string(e) || nr == __NR_SCMP_ERROR)
			continue;
		if (split) {
			for (unsigned k = 0; k < n && r == 0; k++)
				r = seccomp_rule_add_array(ctx, act, nr, 1, &cmps[k]);
		} else {
			r = seccomp_rule_add_array(ctx, act, nr, n, cmps);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* libseccomp-golang GetArchFromString: "SCMP_ARCH_X86_64" is libseccomp's "x86_64". */
static uint32_t arch_token(const char *name)
{
	char lower[32];
	size_t i;

	if (!name || strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name + 10) >= sizeof(lower))
		return 0;
	for (i = 0; name[10 + i]; i++)
		lower[i] = (char)tolower((unsigned char)name[10 + i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

static int add_arches(scmp_filter_ctx ctx, json_t *root)
{
	json_t *list = json_object_get(root, "architectures"), *e, *sub;
	size_t i, k;
	int r = 0;

	json_array_foreach(json_object_get(root, "archMap"), i, e) {
		const char *a = json_string_value(json_object_get(e, "architecture"));
		if (!a || strcmp(a, NATIVE_SCMP) != 0)
			continue;
		list = json_array();
		json_array_append(list, json_object_get(e, "architecture"));
		json_array_foreach(json_object_get(e, "subArchitectures"), k, sub)
			json_array_append(list, sub);
		break;
	}
	json_array_foreach(list, i, e) {
		uint32_t token = arch_token(json_string_value(e));
		if (token == 0) {
			r = -EINVAL;
			break;
		}
		r = seccomp_arch_add(ctx, token);
		if (r < 0 && r != -EEXIST)
			break;
		r = 0;
	}
	if (list != json_object_get(root, "architectures"))
		json_decref(list);
	return r;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	json_error_t jerr;
	scmp_filter_ctx ctx;
	uint32_t def, act;
	struct utsname u;
	json_t *root, *rule;
	size_t i;
	int r, fd = STDOUT_FILENO;

	if (argc == 4 && strcmp(argv[2], "-o") == 0)
		out = argv[3];
	else if (argc != 2) {
		fprintf(stderr, "usage: bench-ref-compile PROFILE.json [-o OUT.bpf]\n");
		return 2;
	}
	if (uname(&u) == 0)
		sscanf(u.release, "%u.%u", &kmajor, &kminor);
	root = json_load_file(argv[1], 0, &jerr);
	if (!root) {
		fprintf(stderr, "%s:%d: %s\n", argv[1], jerr.line, jerr.text);
		return 3;
	}
	if (action(json_object_get(root, "defaultAction"), json_object_get(root, "defaultErrnoRet"),
		   &def) < 0) {
		fprintf(stderr, "%s: bad defaultAction\n", argv[1]);
		return 3;
	}
	ctx = seccomp_init(def);
	if (!ctx)
		return 1;
	r = add_arches(ctx, root);
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	json_array_foreach(json_object_get(root, "syscalls"), i, rule) {
		json_t *names = json_object_get(rule, "names"), *name = json_object_get(rule, "name");
		if (r < 0)
			break;
		if (!rule_applies(rule))
			continue;
		if (action(json_object_get(rule, "action"), json_object_get(rule, "errnoRet"), &act) < 0) {
			r = -EINVAL;
			break;
		}
		if (act == def)
			continue; /* runc skips these: libseccomp refuses them */
		if (json_is_string(name)) {
			names = json_array();
			json_array_append(names, name);
			r = add_rule(ctx, act, names, json_object_get(rule, "args"));
			json_decref(names);
		} else {
			r = add_rule(ctx, act, names, json_object_get(rule, "args"));
		}
	}
	if (r == 0 && out) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			r = -errno;
	}
	if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	if (out && fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	seccomp_release(ctx);
	json_decref(root);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	return 0;
}
