/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lint.c — what a policy lets through or breaks that it probably did not mean to
 * (`seccompose lint`).
 *
 * A policy can compile and still be wrong: deny openat and allow openat2, and nothing was
 * denied; deny clone3 with EPERM, and glibc never falls back to clone; list x86_64 alone and
 * allow other ABIs, and every rule is bypassed by an i386 call. Each check below reads the
 * rule set (what the policy does: compile/ir.h) and reports at the place in the policy model
 * (policy/policy.h) that decides: the rule naming the syscall, else the default action. The
 * checks are one table, `checks[]`; each is a function of the lint context.
 *
 * A syscall's state on one ABI is read off its rules, not guessed from the text: allowed
 * (whatever its arguments), denied (whatever its arguments, with which action) or partly.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api/filter.h"
#include "export/export.h"
#include "policy/policy.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The Kubernetes OCI-artifact limits a profile meets when deployed (Security Profiles
 * Operator, containerd's image-volume profiles). */
#define OCI_MAX_ENTRIES_PER_SYSCALL 128
#define OCI_MAX_BYTES (1024 * 1024)

enum call_state {
	CALL_ABSENT,   /* the ABI has no such syscall */
	CALL_ALLOWED,  /* allowed whatever its arguments */
	CALL_DENIED,   /* denied whatever its arguments */
	CALL_PARTLY,   /* it depends on the arguments */
};

struct lint {
	const struct sc_filter *f;
	const struct sc_policy *p;
	const struct ir *ir;
	const char *runtime;
	struct sc_lint_finding *v;
	size_t n, cap;
};

static bool permits(struct sc_action a)
{
	return a.type == SC_ACT_ALLOW || a.type == SC_ACT_LOG;
}

/* @name's state on @ia; *@ret_deny gets the action when it is denied. */
static enum call_state call_state(const struct lint *l, const struct ir_arch *ia, const char *name,
				  struct sc_action *ret_deny)
{
	const struct sc_syscall *sys = sc_syscall_lookup(ia->arch, name);
	const struct ir_syscall *s;
	bool any_permit = false, any_deny = false, all_permit = false;
	uint64_t zero[6] = { 0 };

	if (!sys)
		return CALL_ABSENT;
	*ret_deny = ir_eval(l->ir, ia->arch, sys->nr, zero);
	s = ir_find(ia, sys->nr);
	if (!s || s->nrules == 0)
		return permits(*ret_deny) ? CALL_ALLOWED : CALL_DENIED;
	for (size_t k = 0; k < s->nrules; k++) {
		const struct ir_rule *r = &s->rules[k];
		if (permits(r->action)) {
			any_permit = true;
			all_permit |= r->ncmp == 0 && !any_deny;
		} else {
			any_deny = true;
			if (r->ncmp == 0 && !any_permit) {
				*ret_deny = r->action;
				return CALL_DENIED;
			}
		}
	}
	if (all_permit)
		return CALL_ALLOWED;
	if (!any_permit && !permits(l->ir->def))
		return CALL_DENIED;
	return CALL_PARTLY;
}

/* Where a rule of the policy names @name (one whose action permits when @want_permit, else
 * one that denies; either, failing that) into *@ret; false when none does. */
static bool find_name(const struct lint *l, const char *name, bool want_permit, struct pol_loc *ret)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->p->nrules; i++) {
			const struct pol_rule *r = &l->p->rules[i];
			if (r->is_group || (pass == 0 && permits(r->action) != want_permit))
				continue;
			for (size_t k = 0; k < r->nnames; k++)
				if (strcmp(r->names[k].name, name) == 0) {
					*ret = r->names[k].loc;
					return true;
				}
		}
	return false;
}

/* Where to point for @name: a rule naming it (see find_name), else the default action. */
static struct pol_loc place_of(const struct lint *l, const char *name, bool want_permit)
{
	struct pol_loc loc;

	return find_name(l, name, want_permit, &loc) ? loc : l->p->def_loc;
}

static void add(struct lint *l, const char *id, struct pol_loc loc, const char *hint, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
static void add(struct lint *l, const char *id, struct pol_loc loc, const char *hint, const char *fmt,
		...)
{
	struct sc_lint_finding *fd;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One finding per check and message: the same fact on several ABIs is said once. */
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0 && strcmp(l->v[i].diag.message, msg) == 0)
			return;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	fd = &l->v[l->n++];
	memset(fd, 0, sizeof(*fd));
	snprintf(fd->id, sizeof(fd->id), "%s", id);
	sc_diag_set(&fd->diag, l->p->file, l->p->src, l->p->srclen, loc.line, loc.col, loc.span, "%s",
		    msg);
	fd->diag.warning = true;
	if (hint)
		sc_diag_hint(&fd->diag, "%s", hint);
}

static const char *action_text(struct sc_action a, char *buf, size_t len)
{
	return sc_action_format(a, buf, len);
}

/* ---- bypass pairs: one call denied, another that does the same allowed ---- */

/*
 * Calls that reach the same kernel operation; denying one and allowing another denies
 * nothing. A call denied by a rule of its own was meant to be denied: any allowed sibling is
 * reported. One denied by the default is reported only when it is a family's main call
 * (marked '*': what libc uses); the others are merely unused, as in every recording (open
 * denied, openat allowed). A call denied with ENOSYS is a fallback on purpose.
 */
static const char *const families[][5] = {
	{ "open", "*openat", "openat2", "creat", NULL },
	{ "*clone", "clone3", "fork", "vfork", NULL },
	{ "*execve", "execveat", NULL },
	{ "*process_vm_writev", "*ptrace", "pidfd_getfd", NULL },
};

static bool has_fallback(const char *name);

static const char *family_name(const char *member)
{
	return member[0] == '*' ? member + 1 : member;
}

/* Does a rule of the policy itself (not a group, not the default) deny @name? */
static bool denied_by_rule(const struct lint *l, const char *name)
{
	for (size_t i = 0; i < l->p->nrules; i++) {
		const struct pol_rule *r = &l->p->rules[i];
		if (r->is_group || permits(r->action))
			continue;
		for (size_t k = 0; k < r->nnames; k++)
			if (strcmp(r->names[k].name, name) == 0)
				return true;
	}
	return false;
}

static bool is_enosys(struct sc_action a)
{
	return a.type == SC_ACT_ERRNO && a.data == ENOSYS;
}

static void check_bypass(struct lint *l)
{
	char buf[64];

	for (size_t a = 0; a < l->ir->narches; a++) {
		const struct ir_arch *ia = &l->ir->arches[a];
		for (size_t fam = 0; fam < NELEMS(families); fam++)
			for (size_t i = 0; families[fam][i]; i++) {
				struct sc_action deny, other;
				const char *x = family_name(families[fam][i]);
				if (call_state(l, ia, x, &deny) != CALL_DENIED || is_enosys(deny) ||
				    (families[fam][i][0] != '*' && !denied_by_rule(l, x)) || has_fallback(x))
					continue;
				for (size_t j = 0; families[fam][j]; j++) {
					const char *y = family_name(families[fam][j]);
					if (j == i || call_state(l, ia, y, &other) != CALL_ALLOWED)
						continue;
					struct pol_loc loc;
					if (!find_name(l, y, true, &loc))
						loc = place_of(l, x, false);
					add(l, "bypass", loc,
					    "deny the sibling too, or allow both with the same conditions",
					    "%s is denied (%s) but %s, which does the same, is allowed",
					    x, action_text(deny, buf, sizeof(buf)), y);
				}
			}
	}
}

/* ---- other ABIs reachable ---- */

/* ABIs a CPU of the first runs as well: a program may switch to them (int 0x80, x32 numbers). */
static const char *const companions[][3] = {
	{ "x86_64", "x86", "x32" },
	{ "aarch64", "arm", NULL },
	{ "s390x", "s390", NULL },
	{ "ppc64", "ppc", NULL },
	{ "mips64", "mips", "mips64n32" },
	{ "mipsel64", "mipsel", "mipsel64n32" },
};

static bool lists_arch(const struct ir *ir, const struct sc_arch *a)
{
	for (size_t i = 0; i < ir->narches; i++)
		if (ir->arches[i].arch == a)
			return true;
	return false;
}

static void check_other_abis(struct lint *l)
{
	struct pol_loc loc = l->p->narches ? l->p->arch_locs[0] : l->p->def_loc;
	char buf[64];

	if (!permits(l->ir->bad_arch))
		return;
	for (size_t c = 0; c < NELEMS(companions); c++) {
		const struct sc_arch *main = sc_arch_lookup(companions[c][0]);
		if (!main || !lists_arch(l->ir, main))
			continue;
		for (size_t k = 1; k < 3 && companions[c][k]; k++) {
			const struct sc_arch *o = sc_arch_lookup(companions[c][k]);
			if (!o || lists_arch(l->ir, o))
				continue;
			add(l, "other-abi", loc,
			    "set bad_arch_action to KillProcess, or list the ABI with its own rules",
			    "%s calls are allowed unfiltered (bad_arch_action %s) where the policy "
			    "lists %s: a program switching ABI bypasses every rule",
			    o->name, action_text(l->ir->bad_arch, buf, sizeof(buf)), main->name);
		}
	}
}

/* ---- no way to end, to return from a handler, to abort ---- */

static void check_exit_path(struct lint *l)
{
	static const char *const needed[] = { "exit_group", "exit", "rt_sigreturn" };
	char buf[64];

	for (size_t a = 0; a < l->ir->narches; a++)
		for (size_t i = 0; i < NELEMS(needed); i++) {
			struct sc_action deny;
			if (call_state(l, &l->ir->arches[a], needed[i], &deny) != CALL_DENIED)
				continue;
			add(l, "no-exit", place_of(l, needed[i], false),
			    "allow exit, exit_group and rt_sigreturn: every program needs them",
			    "%s is denied (%s): programs under this policy cannot %s", needed[i],
			    action_text(deny, buf, sizeof(buf)),
			    strcmp(needed[i], "rt_sigreturn") == 0 ? "return from a signal handler"
								     : "exit cleanly");
		}
}

/* abort() (and a failed assertion) blocks signals, then raises SIGABRT at its own thread: with
 * those denied it cannot, and the program dies later and silently (a SIGSEGV, no message). */
static void check_abort_path(struct lint *l)
{
	static const char *const needed[] = { "rt_sigprocmask", "tgkill" };
	char buf[64];

	for (size_t a = 0; a < l->ir->narches; a++)
		for (size_t i = 0; i < NELEMS(needed); i++) {
			struct sc_action deny;
			if (call_state(l, &l->ir->arches[a], needed[i], &deny) != CALL_DENIED)
				continue;
			add(l, "no-abort", place_of(l, needed[i], false),
			    "allow rt_sigprocmask and tgkill (tgkill with sig = SIGABRT is enough)",
			    "%s is denied (%s): abort() and failed assertions cannot raise SIGABRT, the "
			    "program dies later without a message", needed[i],
			    action_text(deny, buf, sizeof(buf)));
		}
}

/* ---- io_uring: file and socket operations the filter never sees ---- */

static void check_io_uring(struct lint *l)
{
	static const char *const restricted[] = { "openat", "open", "socket", "connect", "accept4",
						   "unlinkat", "renameat2", "mkdirat" };

	for (size_t a = 0; a < l->ir->narches; a++) {
		const struct ir_arch *ia = &l->ir->arches[a];
		struct sc_action deny;
		char names[256] = "";
		size_t len = 0;
		enum call_state setup = call_state(l, ia, "io_uring_setup", &deny);
		if (setup == CALL_DENIED || setup == CALL_ABSENT ||
		    call_state(l, ia, "io_uring_enter", &deny) == CALL_DENIED)
			continue;
		for (size_t i = 0; i < NELEMS(restricted); i++) {
			enum call_state st = call_state(l, ia, restricted[i], &deny);
			if ((st == CALL_DENIED || st == CALL_PARTLY) && len < sizeof(names))
				len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
							len ? ", " : "", restricted[i]);
		}
		if (len)
			add(l, "io-uring", place_of(l, "io_uring_setup", true),
			    "deny io_uring_setup (Errno ENOSYS lets programs fall back to plain calls)",
			    "io_uring is allowed while %s %s denied or restricted: io_uring does the same "
			    "without a syscall the filter sees", names, strchr(names, ',') ? "are" : "is");
	}
}

/* ---- EPERM where ENOSYS is needed for a fallback ---- */

/* A newer call and the older one libc (glibc, musl, Go, Rust's std) falls back to, only when
 * the newer one fails with ENOSYS. */
static const struct {
	const char *newer, *older;
} fallbacks[] = {
	{ "clone3", "clone" },
	{ "openat2", "openat" },
	{ "statx", "newfstatat" },
	{ "statx", "fstatat64" },
	{ "faccessat2", "faccessat" },
	{ "fchmodat2", "fchmodat" },
	{ "epoll_pwait2", "epoll_pwait" },
	{ "close_range", "close" },
};

/* Newer calls are denied with ENOSYS or reported by check_fallbacks(), not as bypassed. */
static bool has_fallback(const char *name)
{
	for (size_t i = 0; i < NELEMS(fallbacks); i++)
		if (strcmp(fallbacks[i].newer, name) == 0)
			return true;
	return false;
}

static void check_fallbacks(struct lint *l)
{
	char buf[64], hint[160];

	for (size_t a = 0; a < l->ir->narches; a++) {
		const struct ir_arch *ia = &l->ir->arches[a];
		for (size_t i = 0; i < NELEMS(fallbacks); i++) {
			struct sc_action deny, other;
			if (call_state(l, ia, fallbacks[i].newer, &deny) != CALL_DENIED || is_enosys(deny) ||
			    call_state(l, ia, fallbacks[i].older, &other) == CALL_DENIED ||
			    call_state(l, ia, fallbacks[i].older, &other) == CALL_ABSENT)
				continue;
			snprintf(hint, sizeof(hint), "deny %s with Errno ENOSYS (errno_ret = \"ENOSYS\")",
				 fallbacks[i].newer);
			add(l, "enosys-fallback", place_of(l, fallbacks[i].newer, false), hint,
			    "%s is denied with %s while %s is allowed: callers (libc, language runtimes) fall back to %s only "
			    "on ENOSYS, so the program fails instead",
			    fallbacks[i].newer, action_text(deny, buf, sizeof(buf)), fallbacks[i].older,
			    fallbacks[i].older);
		}
	}
}

/* ---- rules that never decide ---- */

/* Does IR rule @ir come from model rule @r? resolve records the policy rule's index. */
static bool from_rule(const struct lint *l, const struct ir_rule *ir, const struct pol_rule *r)
{
	return ir->rule == (uint32_t)(r - l->p->rules) + 1;
}

/* Can some argument values satisfy every comparison of @r? False for the plain contradictions
 * (x == 1 and x == 2; x == 1 and x != 1; a masked value with bits outside its mask). */
static bool satisfiable(const struct ir_rule *r)
{
	for (unsigned i = 0; i < r->ncmp; i++) {
		const struct ir_cmp *a = &r->cmp[i];
		if (a->op == IR_MASKED_EQ && (a->value & ~a->mask) != 0)
			return false;
		for (unsigned j = 0; j < r->ncmp; j++) {
			const struct ir_cmp *b = &r->cmp[j];
			if (i == j || a->arg != b->arg || a->bits != b->bits || a->op != IR_EQ)
				continue;
			if ((b->op == IR_EQ && a->value != b->value) ||
			    (b->op == IR_NE && a->value == b->value))
				return false;
		}
	}
	return true;
}

static void check_dead_rules(struct lint *l)
{
	char buf[64], buf2[64];

	for (size_t i = 0; i < l->p->nrules; i++) {
		const struct pol_rule *r = &l->p->rules[i];
		if (r->is_group)
			continue;
		for (size_t k = 0; k < r->nnames; k++) {
			const char *name = r->names[k].name;
			bool known = false, used = false;
			const struct ir_rule *shadow = NULL, *bare = NULL;
			for (size_t a = 0; a < l->ir->narches; a++) {
				const struct ir_arch *ia = &l->ir->arches[a];
				const struct sc_syscall *sys = sc_syscall_lookup(ia->arch, name);
				const struct ir_syscall *s = sys ? ir_find(ia, sys->nr) : NULL;
				known |= sys != NULL;
				for (size_t j = 0; s && j < s->nrules; j++) {
					const struct ir_rule *x = &s->rules[j];
					if (from_rule(l, x, r)) {
						used |= satisfiable(x);
						continue;
					}
					if (x->ncmp == 0 && !bare)
						bare = x;
					if (!shadow && x->ncmp == 0 &&
					    (x->action.type < r->action.type ||
					     ir_action_equal(x->action, r->action)))
						shadow = x;
				}
			}
			if (!known)
				continue;
			if (shadow || (!used && bare))
				add(l, "shadowed", r->names[k].loc,
				    "remove the name here, or change the rule that decides",
				    "%s here never decides: %s (%s) decides it whatever its arguments", name,
				    (shadow ? shadow : bare)->origin ? (shadow ? shadow : bare)->origin
								     : "another rule",
				    action_text((shadow ? shadow : bare)->action, buf, sizeof(buf)));
			else if (!used && ir_action_equal(r->action, l->ir->def))
				add(l, "no-effect", r->names[k].loc,
				    "remove it: the default action already applies",
				    "%s here does what the default does (%s)", name,
				    action_text(r->action, buf2, sizeof(buf2)));
			else if (!used)
				add(l, "never-matches", r->names[k].loc,
				    "check the rule's conditions: no value satisfies them all",
				    "the rule for %s can never match", name);
		}
	}
}

/* ---- socketcall and ipc: the multiplexers that hide their calls' arguments ---- */

/*
 * On the ABIs that have them (i386, s390, ppc, MIPS o32), socketcall and ipc make the socket
 * and SysV IPC calls with the real arguments behind a pointer the filter cannot read; the
 * call number (their first argument) is all it sees. A call restricted by its arguments, or
 * denied by a rule of its own, whose call number the multiplexer still lets through is
 * restricted for the direct call only. (resolve.c carries denials over to the call number,
 * and with `multiplexed = "deny"` adds nothing for a conditional allow: what else allows the
 * multiplexer decides. A call merely left to the default is unused, as in a recording made
 * through socketcall.)
 */
static void check_multiplexed(struct lint *l)
{
	static const char *const muxes[] = { "socketcall", "ipc" };
	size_t nmuxed;
	const struct ir_muxed *muxed = ir_muxed_table(&nmuxed);
	char hint[192];

	for (size_t a = 0; a < l->ir->narches; a++) {
		const struct ir_arch *ia = &l->ir->arches[a];
		for (size_t m = 0; m < NELEMS(muxes); m++) {
			const struct sc_syscall *mux = sc_syscall_lookup(ia->arch, muxes[m]);
			char names[256] = "";
			size_t len = 0;
			const char *first = NULL;
			struct pol_loc loc;
			if (!mux)
				continue;
			for (size_t i = 0; i < nmuxed; i++) {
				struct sc_action deny;
				uint64_t args[6] = { muxed[i].call, 0, 0, 0, 0, 0 };
				enum call_state st;
				if (strcmp(muxed[i].mux, muxes[m]) != 0)
					continue;
				st = call_state(l, ia, muxed[i].name, &deny);
				if (st != CALL_PARTLY && !(st == CALL_DENIED && denied_by_rule(l, muxed[i].name)))
					continue;
				if (!permits(ir_eval(l->ir, ia->arch, mux->nr, args)))
					continue;
				first = first ? first : muxed[i].name;
				if (len < sizeof(names))
					len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
								len ? ", " : "", muxed[i].name);
			}
			if (!first)
				continue;
			if (!find_name(l, muxes[m], true, &loc))
				loc = place_of(l, first, true);
			snprintf(hint, sizeof(hint),
				 "deny %s (Errno ENOSYS: libc then makes the direct calls), or allow it only "
				 "for the call numbers of calls allowed whatever their arguments", muxes[m]);
			add(l, "multiplexed", loc, hint,
			    "%s is allowed on %s for %s, which %s restricted: %s makes the call with "
			    "arguments the filter cannot read", muxes[m], ia->arch->name, names,
			    strchr(names, ',') ? "are" : "is", muxes[m]);
		}
	}
}

/* ---- a memory restriction and the calls that write another process's memory ---- */

/* Calls that change what is mapped executable, with the arguments that ask for an anonymous
 * PROT_READ|PROT_EXEC mapping or protection (PROT_EXEC etc. filled in from the catalog). */
static const char *const exec_mappers[] = { "mmap", "mmap2", "mprotect", "pkey_mprotect" };

/* Calls that write into a process's memory whatever its protections (ptrace's POKEDATA, and
 * /proc/PID/mem, forces the write) or take its descriptors (a memfd mapped executable):
 * a W^X restriction on mmap/mprotect holds only while they are denied. */
static const char *const memory_writers[] = { "ptrace", "process_vm_writev", "pidfd_getfd" };

static uint64_t constant(const char *name)
{
	const struct sc_constant *k = sc_constant_lookup(name);

	return k ? k->value : 0;
}

/* Does @ia's filter let @name map or protect memory PROT_EXEC? */
static bool exec_permitted(const struct lint *l, const struct ir_arch *ia, const char *name)
{
	const struct sc_syscall *sys = sc_syscall_lookup(ia->arch, name);
	uint64_t prot = constant("PROT_READ") | constant("PROT_EXEC");
	bool is_mmap = strncmp(name, "mmap", 4) == 0;
	uint64_t args[6] = { 0, 4096, prot, 0, 0, 0 };

	if (is_mmap) {
		args[3] = constant("MAP_PRIVATE") | constant("MAP_ANONYMOUS");
		args[4] = UINT64_MAX; /* fd -1 */
	} else if (strcmp(name, "pkey_mprotect") == 0) {
		args[3] = UINT64_MAX; /* pkey -1: mprotect */
	}
	return permits(ir_eval(l->ir, ia->arch, sys->nr, args));
}

static void check_memory_writers(struct lint *l)
{
	char hint[192];

	for (size_t a = 0; a < l->ir->narches; a++) {
		const struct ir_arch *ia = &l->ir->arches[a];
		const char *denies = NULL, *permits_exec = NULL;
		for (size_t i = 0; i < NELEMS(exec_mappers); i++) {
			if (!sc_syscall_lookup(ia->arch, exec_mappers[i]))
				continue;
			if (!exec_permitted(l, ia, exec_mappers[i]))
				denies = denies ? denies : exec_mappers[i];
			else
				permits_exec = permits_exec ? permits_exec : exec_mappers[i];
		}
		if (!denies)
			continue; /* no W^X restriction to bypass */
		if (permits_exec) {
			snprintf(hint, sizeof(hint), "restrict PROT_EXEC in %s as in %s", permits_exec, denies);
			add(l, "memory-bypass", place_of(l, permits_exec, true), hint,
			    "%s denies an executable anonymous mapping on %s, but %s grants PROT_EXEC: "
			    "map writable with one, then make it executable with the other",
			    denies, ia->arch->name, permits_exec);
		}
		for (size_t i = 0; i < NELEMS(memory_writers); i++) {
			struct sc_action deny;
			if (call_state(l, ia, memory_writers[i], &deny) != CALL_ALLOWED)
				continue;
			add(l, "memory-bypass", place_of(l, memory_writers[i], true),
			    "deny ptrace, process_vm_writev and pidfd_getfd beside a PROT_EXEC restriction",
			    "%s is allowed on %s while %s restricts PROT_EXEC: it writes into or takes "
			    "from a process's memory what the restriction keeps out",
			    memory_writers[i], ia->arch->name, denies);
		}
	}
}

/* ---- values a Kubernetes SeccompProfile cannot carry ---- */

/*
 * SPO's CRD holds argument values as int64 >= 0: a value at or above 2^63 is rewritten by
 * the SPO exporter where an equivalent test on the low bits exists, refused otherwise. The
 * exporter is asked (export-spo.c keeps the rule); its refusal of a rule's value is the
 * finding, at that rule. Not for --runtime seccompose, which deploys no profile.
 */
/* Where rule @r names @sys (the syscall whose value is refused), else the rule itself. */
static struct pol_loc spo_place(const struct pol_rule *r, const struct sc_syscall *sys)
{
	for (size_t k = 0; sys && !r->is_group && k < r->nnames; k++)
		if (strcmp(r->names[k].name, sys->name) == 0)
			return r->names[k].loc;
	return r->loc;
}

static void check_spo_values(struct lint *l)
{
	struct spo_meta meta = { "lint", l->p->file, NULL, 0, NULL };
	struct sc_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;

	if (l->runtime && strcmp(l->runtime, "seccompose") == 0)
		return;
	if (export_spo(l->ir, &meta, NULL, &buf, &len, &d) == 0 || !meta.refused_origin) {
		free(buf);
		return; /* exported, or refused for what is not a value (an architecture) */
	}
	for (size_t a = 0; a < l->ir->narches; a++)
		for (size_t k = 0; k < l->ir->arches[a].ncalls; k++) {
			const struct ir_syscall *s = &l->ir->arches[a].calls[k];
			for (size_t i = 0; i < s->nrules; i++)
				if (s->rules[i].origin == meta.refused_origin && s->rules[i].rule &&
				    s->rules[i].rule <= l->p->nrules) {
					const struct pol_rule *pr = &l->p->rules[s->rules[i].rule - 1];
					add(l, "spo-value", spo_place(pr, ir_call_sys(&l->ir->arches[a], s)),
					    d.hint[0] ? d.hint : NULL, "%s", d.message);
					return;
				}
		}
	add(l, "spo-value", l->p->def_loc, d.hint[0] ? d.hint : NULL, "%s", d.message);
}

/* ---- deployment limits ---- */

/* Count one more entry for @name in @counts (a JSON object: name → entries). */
static void count_entry(json_t *counts, const char *name)
{
	json_t *c = json_object_get(counts, name);

	json_object_set_new(counts, name, json_integer(c ? json_integer_value(c) + 1 : 1));
}

/*
 * The OCI JSON that would be deployed: an OCI profile is deployed as written (its size, an
 * entry per syscalls[] element naming the call); a TOML policy as the OCI export writes it.
 * That export refuses what OCI cannot state as we mean it; said only for an OCI runtime, as
 * a policy for `seccompose run` never needs it.
 */
static void check_oci_limits(struct lint *l)
{
	struct sc_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0, i, k;
	json_t *root = NULL, *calls, *e, *names, *nm, *counts;
	const char *key;
	bool oci_runtime = l->runtime && strcmp(l->runtime, "seccompose") != 0;

	if (l->runtime && !oci_runtime)
		return; /* seccompose run reads the policy itself: no OCI JSON is deployed */
	counts = json_object();
	if (l->p->format == POL_FORMAT_OCI) {
		len = l->p->srclen;
		for (i = 0; i < l->p->nrules; i++)
			for (k = 0; !l->p->rules[i].is_group && k < l->p->rules[i].nnames; k++)
				count_entry(counts, l->p->rules[i].names[k].name);
	} else if (sc_filter_export(l->f, SC_FORMAT_OCI, &buf, &len, &d) < 0) {
		if (oci_runtime)
			add(l, "oci-export", l->p->def_loc, d.hint[0] ? d.hint : NULL,
			    "the policy cannot be deployed as OCI JSON: %s", d.message);
		json_decref(counts);
		return;
	} else {
		root = json_loadb(buf, len, 0, NULL);
		free(buf);
		calls = json_object_get(root, "syscalls");
		json_array_foreach(calls, i, e) {
			names = json_object_get(e, "names");
			json_array_foreach(names, k, nm)
				if (json_is_string(nm))
					count_entry(counts, json_string_value(nm));
		}
	}
	if (len > OCI_MAX_BYTES)
		add(l, "oci-size", l->p->def_loc,
		    "use groups of syscalls with fewer argument rules, or split the workload",
		    "the policy is %zu bytes of OCI JSON, over the 1 MiB a Kubernetes OCI artifact "
		    "may hold", len);
	json_object_foreach(counts, key, e)
		if (json_integer_value(e) > OCI_MAX_ENTRIES_PER_SYSCALL)
			add(l, "oci-entries", place_of(l, key, true),
			    "use masked or range conditions instead of one rule per value",
			    "%s has %lld entries in OCI JSON, over the 128 per syscall a Kubernetes "
			    "OCI artifact may hold", key, (long long)json_integer_value(e));
	json_decref(counts);
	json_decref(root);
}

/* ---- runtime baselines ---- */

/*
 * What a runtime calls between installing the filter and the workload's first instruction:
 * denied, the workload does not start. For a container runtime that is its measured baseline,
 * the one the library embeds and `compile --runtime`/`record --runtime` add
 * (data/runtime-baselines/, catalog/runtime-baseline.c): one home, asked here. `seccompose
 * run` is no container runtime and has no measurement: it installs the filter as its last
 * call before execve (strace -f shows seccomp() then execve()).
 */
static const char seccompose_run[] = "seccompose";
static const char *const seccompose_run_calls[] = { "execve", NULL };

/* The runtime's calls on the native ABI only: a runtime runs natively, whatever ABIs the
 * policy lists for the workload. */
static void check_runtime(struct lint *l)
{
	bool own = l->runtime && strcmp(l->runtime, seccompose_run) == 0;
	const char **measured = NULL;
	const char *const *calls = seccompose_run_calls;
	char buf[64], hint[160];
	struct sc_diag d = { 0 };

	if (!l->runtime)
		return;
	if (!own) {
		if (sc_runtime_baseline(l->runtime, &measured, NULL, &d) < 0)
			return;
		calls = measured;
	}
	for (size_t i = 0; calls[i]; i++)
		for (size_t a = 0; a < l->ir->narches; a++) {
			struct sc_action deny;
			if (l->ir->arches[a].arch != sc_arch_native() ||
			    call_state(l, &l->ir->arches[a], calls[i], &deny) != CALL_DENIED)
				continue;
			if (own)
				snprintf(hint, sizeof(hint),
					 "allow %s: seccompose run installs the filter, then execs the command",
					 calls[i]);
			else
				snprintf(hint, sizeof(hint),
					 "allow %s (compile --runtime %s adds the runtime's calls)", calls[i],
					 l->runtime);
			add(l, "runtime-baseline", place_of(l, calls[i], false), hint,
			    own ? "%s is denied (%s): seccompose run calls it under the filter before the "
				  "command, so the command would not start"
				: "%s is denied (%s): %s calls it under the container's filter before the "
				  "entrypoint, so the container would not start",
			    calls[i], action_text(deny, buf, sizeof(buf)), l->runtime);
		}
	free(measured);
}

/* The checks, in the order their findings are listed. */
static const struct {
	const char *id;
	void (*run)(struct lint *l);
} checks[] = {
	{ "bypass", check_bypass },
	{ "other-abi", check_other_abis },
	{ "no-exit", check_exit_path },
	{ "no-abort", check_abort_path },
	{ "io-uring", check_io_uring },
	{ "enosys-fallback", check_fallbacks },
	{ "multiplexed", check_multiplexed },
	{ "memory-bypass", check_memory_writers },
	{ "shadowed/no-effect/never-matches", check_dead_rules },
	{ "oci-size/oci-entries", check_oci_limits },
	{ "spo-value", check_spo_values },
	{ "runtime-baseline", check_runtime },
};

/* The container runtimes with a measured baseline, then seccompose run. */
SC_EXPORT const char *sc_lint_runtime(size_t i)
{
	size_t n = 0;

	while (sc_runtime_at(n))
		n++;
	return i < n ? sc_runtime_at(i) : i == n ? seccompose_run : NULL;
}

SC_EXPORT int sc_filter_lint(const struct sc_filter *f, const char *runtime,
			     struct sc_lint_finding **ret, size_t *ret_n, struct sc_diag *reterr)
{
	struct lint l = { f, f->policy, f->ir, runtime, NULL, 0, 0 };
	bool known = !runtime;

	for (size_t i = 0; runtime && sc_lint_runtime(i); i++)
		known |= strcmp(sc_lint_runtime(i), runtime) == 0;
	if (!known) {
		char names[256];
		size_t at = 0;
		for (size_t i = 0; sc_lint_runtime(i) && at < sizeof(names); i++)
			at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%s", i ? ", " : "",
					       sc_lint_runtime(i));
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "unknown runtime '%s'", runtime);
		sc_diag_hint(reterr, "known: %s", names);
		return -EINVAL;
	}
	if (!l.p || !l.ir) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "lint needs a filter compiled from a policy");
		return -EINVAL;
	}
	for (size_t i = 0; i < NELEMS(checks); i++)
		checks[i].run(&l);
	*ret = l.v;
	*ret_n = l.n;
	return 0;
}
