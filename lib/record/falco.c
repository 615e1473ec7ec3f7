/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * falco.c — a recording from Falco's output instead of ptrace (docs/falco.md).
 *
 * Falco watches every container of a node from the kernel; a rule that matches every syscall
 * of one container and prints %evt.args is a recorder we do not have to run ourselves. Two
 * shapes of line are read, one alert a line:
 *
 *	{"output": "…", "output_fields": {"syscall.type": "ioctl",
 *	  "evt.args": "res=0 fd=3(<f>/dev/pts/2) request=5401 argument=7FFC…"}, …}
 *	12:00:00.123456789: Notice seccomp trace (SYSCALL=ioctl, args: fd=3(<f>/dev/pts/2) …)
 *
 * Falco prints what it decoded, not the registers, and three of its habits decide the code:
 *  - its argument names are its own (ioctl's `request` is the kernel's `cmd`, tgkill's `pid`
 *    is the kernel's `tgid`): a table maps them per syscall, the kernel's names are the
 *    fallback;
 *  - some numbers are hex without 0x (`request=5401` is 0x5401), some octal (`mode=0644`);
 *  - flags are re-encoded into Falco's own bits (PPM_O_*, PPM_CL_*, PPM_FCNTL_*,
 *    PPM_SOCKOPT_*): `flags=4358(O_TRUNC|O_CREAT|O_WRONLY|O_CLOEXEC)` does not mean 4358.
 *    For those the names in parentheses are the value, looked up as kernel constants.
 *
 * Calling sequence (lib/record/record.c reads the file):
 *	rec_from_falco("falco.jsonl", buf, len, sc_arch_native(), set, &diag);
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "record/record.h"

/* How Falco prints a value (driver/event_table.c's print format, per parameter). */
enum vkind {
	V_DEC,   /* decimal; names in parentheses are a gloss ("2(AF_INET)") */
	V_HEX,   /* PF_HEX numbers: hex without 0x ("request=5401") */
	V_OCT,   /* PF_OCT: "%#o" ("mode=0644") */
	V_FLAGS, /* Falco's own bits: only 0 and the names in parentheses mean anything */
	V_ENUM,  /* Falco's own enumeration: only the name means anything (0 is "UNKNOWN") */
};

/*
 * Falco's parameter names for the syscalls whose arguments the capture table keeps
 * (data/recorder-args.txt), and the ones whose names or print format differ from the
 * kernel's. Every other parameter is matched to the kernel's parameter of the same name and
 * read as decimal; that is right for fd, pid, sig … and harmless elsewhere, because only
 * captured arguments reach a policy. Grouped by syscall, alphabetically; order is not
 * load-bearing (a linear scan). Syscalls of the capture table that Falco reports only as
 * generic events, with no arguments (arch_prctl, madvise, personality, pkey_mprotect), cannot
 * be listed: see record_call().
 */
static const struct fparam {
	const char *syscall; /* the kernel's name (after event_aliases) */
	const char *falco;   /* Falco's parameter name */
	const char *kernel;  /* the kernel's parameter name (syscall-signatures.txt) */
	enum vkind kind;
} fparams[] = {
	{ "bpf",         "cmd",      "cmd",           V_DEC }, /* PPM_BPF_* = BPF_* */
	{ "clone",       "flags",    "clone_flags",   V_FLAGS }, /* PPM_CL_* */
	{ "fcntl",       "cmd",      "cmd",           V_ENUM }, /* PPM_FCNTL_F_DUPFD is 1, F_DUPFD 0 */
	{ "fcntl",       "arg",      "arg",           V_HEX },
	{ "getsockopt",  "level",    "level",         V_ENUM }, /* PPM_SOCKOPT_LEVEL_SOL_TCP is 2 */
	{ "getsockopt",  "optname",  "optname",       V_ENUM },
	{ "ioctl",       "request",  "cmd",           V_HEX },
	{ "ioctl",       "argument", "arg",           V_HEX },
	{ "kill",        "pid",      "pid",           V_DEC },
	{ "kill",        "sig",      "sig",           V_DEC },
	{ "mmap",        "addr",     "addr",          V_HEX },
	{ "mmap",        "length",   "len",           V_DEC },
	{ "mmap",        "prot",     "prot",          V_FLAGS }, /* PPM_PROT_GROWSDOWN is 1 << 4 */
	{ "mmap",        "flags",    "flags",         V_FLAGS }, /* PPM_MAP_* */
	{ "mmap",        "offset",   "off",           V_DEC },
	{ "mmap2",       "addr",     "addr",          V_HEX },
	{ "mmap2",       "length",   "len",           V_DEC },
	{ "mmap2",       "prot",     "prot",          V_FLAGS },
	{ "mmap2",       "flags",    "flags",         V_FLAGS },
	{ "mprotect",    "addr",     "start",         V_HEX },
	{ "mprotect",    "length",   "len",           V_DEC },
	{ "mprotect",    "prot",     "prot",          V_FLAGS },
	{ "open",        "flags",    "flags",         V_FLAGS }, /* PPM_O_RDONLY is 1, O_RDONLY 0 */
	{ "open",        "mode",     "mode",          V_OCT },
	{ "openat",      "dirfd",    "dfd",           V_DEC },
	{ "openat",      "flags",    "flags",         V_FLAGS },
	{ "openat",      "mode",     "mode",          V_OCT },
	{ "prctl",       "option",   "option",        V_DEC }, /* PPM_PR_* = PR_* */
	{ "setsockopt",  "level",    "level",         V_ENUM },
	{ "setsockopt",  "optname",  "optname",       V_ENUM },
	{ "socket",      "domain",   "family",        V_DEC }, /* PPM_AF_* = AF_* */
	{ "socket",      "type",     "type",          V_DEC }, /* raw, SOCK_CLOEXEC included */
	{ "socket",      "proto",    "protocol",      V_DEC },
	{ "socketpair",  "domain",   "family",        V_DEC },
	{ "socketpair",  "type",     "type",          V_DEC },
	{ "socketpair",  "proto",    "protocol",      V_DEC },
	{ "tgkill",      "pid",      "tgid",          V_DEC }, /* not the kernel's `pid` */
	{ "tgkill",      "tid",      "pid",           V_DEC },
	{ "tgkill",      "sig",      "sig",           V_DEC },
	{ "tkill",       "tid",      "pid",           V_DEC },
	{ "tkill",       "sig",      "sig",           V_DEC },
	{ "unshare",     "flags",    "unshare_flags", V_FLAGS }, /* PPM_CL_* */
};

/* Falco event names that are not the syscall's own (syscall.type prints the event's name). */
static const struct {
	const char *event, *syscall;
} event_aliases[] = {
	{ "llseek",  "_llseek" },
	{ "pread",   "pread64" },
	{ "prlimit", "prlimit64" },
	{ "pwrite",  "pwrite64" },
};

/* Names in Falco's flag tables (driver/flags_table.c) that stand for no kernel bit: Falco's
 * own markers (a file it saw created, overlayfs layers, thread state) and CLONE_STOPPED, gone
 * since 2.6.38 (its bit is CLONE_NEWCGROUP now, which Falco names itself). */
static const char *const falco_only_flags[] = {
	"CLONE_CHILD_IN_PIDNS", "CLONE_INVERTED", "CLONE_STOPPED", "CLOSED",
	"FD_LOWER_LAYER",       "FD_UPPER_LAYER", "NAME_CHANGED",  "O_F_CREATED",
	"O_NONE",
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One call being assembled from a line. */
struct call {
	const struct sc_syscall *sys;
	uint64_t args[6];
	bool seen[6]; /* args[i] came from the line (unseen ones stay 0) */
};

/* Copy @n bytes of @s into @buf as a string; false when it does not fit. */
static bool copy_word(char *buf, size_t size, const char *s, size_t n)
{
	if (n == 0 || n >= size)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* The whole of @s (@n bytes) as a number in @base, a leading '-' allowed in base 10 (fds,
 * AT_FDCWD = -100: two's complement, as the register holds it). */
static bool parse_number(const char *s, size_t n, unsigned base, uint64_t *ret)
{
	bool neg = false;
	uint64_t v = 0;
	size_t i = 0;

	if (base == 10 && n > 1 && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (base == 16 && n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n)
		return false;
	for (; i < n; i++) {
		unsigned d = (unsigned)digit_value(s[i]);
		if (d >= base || v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*ret = neg ? (uint64_t)0 - v : v;
	return true;
}

/* "O_RDWR|O_CLOEXEC" as the kernel's bits (x86_64 values: sc_constant_lookup's). A name we
 * cannot place makes the whole value unreadable rather than silently smaller. */
static bool parse_names(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;
	bool any = false;

	while (i < n) {
		size_t start, end;
		char name[64];
		const struct sc_constant *c;
		bool pseudo = false;

		while (i < n && s[i] == ' ')
			i++;
		start = i;
		while (i < n && s[i] != '|')
			i++;
		end = i;
		while (end > start && s[end - 1] == ' ')
			end--;
		if (i < n)
			i++; /* the '|' */
		if (!copy_word(name, sizeof(name), s + start, end - start))
			return false;
		for (size_t k = 0; k < NELEMS(falco_only_flags); k++)
			if (strcmp(name, falco_only_flags[k]) == 0)
				pseudo = true;
		c = pseudo ? NULL : sc_constant_lookup(name);
		if (!pseudo && !c)
			return false;
		v |= c ? c->value : 0;
		any = true;
	}
	if (!any)
		return false;
	*ret = v;
	return true;
}

/*
 * A value as Falco prints it: "5401", "3(<f>/dev/pts/2)", "4358(O_TRUNC|O_CREAT)", or, from
 * an evt.arg.X field, the gloss alone ("AF_INET", "O_RDWR|O_CLOEXEC"). False when it says
 * nothing we can trust (a socket tuple, Falco's flag bits without their names …).
 */
static bool parse_value(const char *v, size_t n, enum vkind kind, uint64_t *ret)
{
	const char *gloss = NULL;
	size_t h = 0, gn = 0;
	uint64_t num;
	bool is_num;

	while (h < n && v[h] != '(')
		h++;
	if (h < n) {
		gloss = v + h + 1;
		gn = n - h - 1;
		if (gn > 0 && gloss[gn - 1] == ')')
			gn--;
	}
	if (h == 0)
		return false;
	switch (kind) {
	case V_HEX:
		is_num = parse_number(v, h, 16, &num);
		break;
	case V_OCT:
		is_num = parse_number(v, h, 8, &num);
		break;
	case V_FLAGS:
	case V_ENUM:
		/* Falco prints these in decimal in evt.args and in hex for evt.rawarg; only a zero
		 * set of flags matters (zero in any encoding), so either reading will do. */
		is_num = parse_number(v, h, 10, &num) || parse_number(v, h, 16, &num);
		break;
	case V_DEC:
	default:
		is_num = parse_number(v, h, 10, &num);
		break;
	}
	if (is_num) {
		if ((kind != V_FLAGS && kind != V_ENUM) || (kind == V_FLAGS && num == 0)) {
			*ret = num;
			return true;
		}
		return gloss && parse_names(gloss, gn, ret);
	}
	return parse_names(v, h, ret);
}

/* Where Falco's parameter @falco of @c's syscall goes, and how it is printed; -1: nowhere. */
static int arg_slot(const struct call *c, const char *falco, enum vkind *ret_kind)
{
	int idx;

	for (size_t i = 0; i < NELEMS(fparams); i++)
		if (strcmp(fparams[i].syscall, c->sys->name) == 0 &&
		    strcmp(fparams[i].falco, falco) == 0) {
			*ret_kind = fparams[i].kind;
			idx = sc_syscall_arg_index(c->sys, fparams[i].kernel);
			return idx < 6 ? idx : -1;
		}
	*ret_kind = V_DEC;
	idx = sc_syscall_arg_index(c->sys, falco);
	return idx < 6 ? idx : -1;
}

static void set_arg(struct call *c, const char *name, size_t nn, const char *v, size_t vn)
{
	char falco[64];
	enum vkind kind;
	uint64_t val;
	int idx;

	if (!copy_word(falco, sizeof(falco), name, nn))
		return;
	idx = arg_slot(c, falco, &kind);
	if (idx < 0 || !parse_value(v, vn, kind, &val))
		return;
	c->args[idx] = val;
	c->seen[idx] = true;
}

/* One output_fields value of an evt.arg.X / evt.rawarg.X field: a string as in evt.args, or
 * a JSON number (Falco's JSON gives decimal-format raw values as numbers). */
static void set_arg_json(struct call *c, const char *name, json_t *v)
{
	enum vkind kind;
	int idx;

	if (json_is_string(v)) {
		set_arg(c, name, strlen(name), json_string_value(v), json_string_length(v));
		return;
	}
	if (!json_is_integer(v) || strlen(name) >= 64)
		return;
	idx = arg_slot(c, name, &kind);
	if (idx < 0 || kind == V_ENUM || (kind == V_FLAGS && json_integer_value(v) != 0))
		return;
	c->args[idx] = (uint64_t)json_integer_value(v);
	c->seen[idx] = true;
}

/* The end of a value or a token in evt.args: the next space outside parentheses. Falco
 * glosses nest ("(<4t>127.0.0.1:5000->10.0.0.1:80)" holds no spaces, but paths in them may). */
static size_t value_end(const char *s, size_t i, size_t n)
{
	unsigned depth = 0;

	for (; i < n; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (s[i] == ' ' && depth == 0)
			break;
	}
	return i;
}

/* %evt.args: "name=value name=value …"; tokens without a name (a path's words after a space)
 * are passed over. */
static void parse_args(struct call *c, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start, end;

		while (i < n && s[i] == ' ')
			i++;
		start = i;
		while (i < n && s[i] != '=' && s[i] != ' ' && s[i] != '(')
			i++;
		if (i < n && s[i] == '=' && i > start) {
			end = value_end(s, i + 1, n);
			set_arg(c, s + start, i - start, s + i + 1, end - i - 1);
			i = end;
		} else {
			i = value_end(s, i, n);
		}
	}
}

/* Falco's event name → our syscall on @arch; NULL for events that are no syscall of it
 * (procexit, container, switch …, or another ABI's). */
static const struct sc_syscall *lookup_syscall(const struct sc_arch *arch, const char *s, size_t n)
{
	char name[64];

	if (!copy_word(name, sizeof(name), s, n))
		return NULL;
	for (size_t i = 0; i < NELEMS(event_aliases); i++)
		if (strcmp(name, event_aliases[i].event) == 0)
			return sc_syscall_lookup(arch, event_aliases[i].syscall);
	return sc_syscall_lookup(arch, name);
}

/*
 * Add @c, unless the line lacks an argument the capture table keeps for it: an enter event
 * of older drivers, an exit event with `res` alone, a rule printing %syscall.type without
 * %evt.args. Recording 0 in its place would make the policy allow ioctl(fd, 0) and deny the
 * request the program really makes; the line that shows the arguments records the call.
 * XXX the syscalls Falco reports as generic events (arch_prctl …) are never recorded this way:
 * that needs an observation meaning "any value", which rec_set does not have.
 */
static void record_call(const struct call *c, const struct sc_arch *arch, struct rec_set *out)
{
	const struct argcap *cap = NULL;
	size_t ncap = argcap_lookup(c->sys->name, &cap);

	for (size_t i = 0; i < ncap; i++) {
		int idx = sc_syscall_arg_index(c->sys, cap[i].arg);
		if (idx >= 0 && idx < 6 && !c->seen[idx])
			return;
	}
	rec_set_add_call(out, arch, c->sys->nr, c->args);
}

/* A text line of a rule like `(SYSCALL=%syscall.type, args: %evt.args)`. False when the line
 * is not one (Falco's banners, other rules' alerts). */
static bool parse_text(const char *s, size_t n, const struct sc_arch *arch, struct call *c)
{
	static const char key[] = "SYSCALL=", args_key[] = "args: ";
	const char *p = memmem(s, n, key, sizeof(key) - 1), *a, *end = s + n;
	size_t nn = 0;
	unsigned depth = 0;

	if (!p)
		return false;
	p += sizeof(key) - 1;
	while (p + nn < end && is_word_char(p[nn]))
		nn++;
	c->sys = lookup_syscall(arch, p, nn);
	if (!c->sys)
		return false;
	a = memmem(p + nn, (size_t)(end - p - nn), args_key, sizeof(args_key) - 1);
	if (!a)
		return true;
	a += sizeof(args_key) - 1;
	/* The arguments run to the ')' closing the rule's own group. */
	for (p = a; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth == 0)
			break;
		else if (*p == ')')
			depth--;
	}
	parse_args(c, a, (size_t)(p - a));
	return true;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* Column (1-based) of the key @key's value in the line, for diagnostics; 1 when not found. */
static unsigned key_col(const char *s, size_t n, const char *key)
{
	char quoted[80];
	const char *p;
	int len = snprintf(quoted, sizeof(quoted), "\"%s\"", key);

	p = len > 0 && (size_t)len < sizeof(quoted) ? memmem(s, n, quoted, (size_t)len) : NULL;
	return p ? (unsigned)(p - s) + 1 : 1;
}

/* The input, and where the line being read is in it. */
struct src {
	const char *name, *buf;
	size_t len;
	unsigned line;
	unsigned col0; /* columns before the JSON text (its indentation) */
};

/* A JSON line: Falco's alert object. Returns 0, or -EINVAL with @reterr filled. */
static int parse_json(const struct src *src, const char *s, size_t n, const struct sc_arch *arch,
		      struct call *c, bool *ret_found, struct sc_diag *reterr)
{
	json_error_t err;
	json_t *root = json_loadb(s, n, 0, &err), *fields, *type = NULL, *args, *v;
	const char *key, *bad = NULL;
	int rc = 0;

	*ret_found = false;
	if (!root) {
		sc_diag_set(reterr, src->name, src->buf, src->len, src->line,
			    src->col0 + (err.column > 0 ? (unsigned)err.column : 1), 1,
			    "invalid JSON in Falco output: %s", err.text);
		sc_diag_hint(reterr, "each line should be one alert of Falco's json_output; "
				     "was the line cut short?");
		return -EINVAL;
	}
	fields = json_object_get(root, "output_fields");
	if (fields && !json_is_object(fields) && !json_is_null(fields)) {
		bad = "output_fields";
		v = fields;
		goto bad_type;
	}
	if (json_is_object(fields)) {
		/* syscall.type is the syscall's name for generic events too; evt.type next. */
		static const char *const type_keys[] = { "syscall.type", "evt.type" };
		for (size_t i = 0; i < NELEMS(type_keys) && !type; i++) {
			v = json_object_get(fields, type_keys[i]);
			if (v && !json_is_string(v) && !json_is_null(v)) {
				bad = type_keys[i];
				goto bad_type;
			}
			type = json_is_string(v) ? v : NULL;
		}
	}
	if (!type) {
		/* A rule that prints the text form keeps it in "output". */
		v = json_object_get(root, "output");
		if (json_is_string(v))
			*ret_found = parse_text(json_string_value(v), json_string_length(v), arch, c);
		goto out;
	}
	c->sys = lookup_syscall(arch, json_string_value(type), json_string_length(type));
	if (!c->sys)
		goto out;
	*ret_found = true;
	args = json_object_get(fields, "evt.args");
	if (json_is_string(args))
		parse_args(c, json_string_value(args), json_string_length(args));
	/* Rules may print single arguments: evt.arg.request (as in evt.args, or the gloss
	 * alone) or evt.rawarg.request (the value, in its print format). */
	json_object_foreach(fields, key, v) {
		if (strncmp(key, "evt.arg.", 8) == 0)
			set_arg_json(c, key + 8, v);
		else if (strncmp(key, "evt.rawarg.", 11) == 0)
			set_arg_json(c, key + 11, v);
	}
	goto out;

bad_type:
	sc_diag_set(reterr, src->name, src->buf, src->len, src->line,
		    src->col0 + key_col(s, n, bad),
		    (unsigned)strlen(bad) + 2, "expected '%s' to be %s, found %s", bad,
		    strcmp(bad, "output_fields") == 0 ? "an object" : "a string", json_kind(v));
	rc = -EINVAL;
out:
	json_decref(root);
	return rc;
}

int rec_from_falco(const char *name, const char *buf, size_t len, const struct sc_arch *arch,
		   struct rec_set *out, struct sc_diag *reterr)
{
	struct src src = { name, buf, len, 0, 0 };
	const char *p = buf, *end = buf + len;
	size_t calls = 0;

	if (!arch)
		arch = sc_arch_native();
	/* A byte-order mark some editors and log shippers leave in front. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *s = p, *line = p;
		struct call c = { 0 };
		bool found;

		src.line++;
		p = nl ? nl + 1 : end;
		if (e > s && e[-1] == '\r')
			e--;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s < e && *s == '{') {
			int rc;
			src.col0 = (unsigned)(s - line);
			rc = parse_json(&src, s, (size_t)(e - s), arch, &c, &found, reterr);
			if (rc < 0)
				return rc;
		} else {
			found = parse_text(s, (size_t)(e - s), arch, &c);
		}
		if (found) {
			record_call(&c, arch, out);
			calls++;
		}
	}
	if (calls == 0) {
		/* Nothing recognised: a policy allowing nothing is not what the user asked for. */
		sc_diag_set(reterr, name, NULL, 0, 0, 0, 0, "no Falco alert for a syscall of %s found",
			    arch->name);
		sc_diag_hint(reterr, "expected one alert a line, Falco's json_output ({\"output_fields\": "
			     "{\"syscall.type\": …}}) or its text output (SYSCALL=name, args: …)");
		return -EINVAL;
	}
	return 0;
}
