/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccompose.h — the one public header of libseccompose.
 *
 * The library turns what a program does into a seccomp filter. This header
 * exposes, in order: the version, the types, the constants, and the
 * functions. Everything in it starts with sc_ / SC_; nothing else is exported.
 *
 * Calling sequence for the catalog (the facts the rest builds on):
 *
 *	const struct sc_arch *a = sc_arch_lookup("amd64");
 *	const struct sc_syscall *s = sc_syscall_lookup(a, "openat");
 *	for (unsigned i = 0; i < s->nargs; i++)
 *		printf("%s: %u bits\n", s->args[i].name, sc_syscall_arg_bits(a, s, i));
 *
 * Catalog objects are static and never freed.
 */
#ifndef SECCOMPOSE_H
#define SECCOMPOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SC_EXPORT __attribute__((visibility("default")))
#else
#define SC_EXPORT
#endif

/* ===================================================================== */
/* Version                                                               */
/* ===================================================================== */

#define SC_VERSION_MAJOR 0
#define SC_VERSION_MINOR 1
#define SC_VERSION_MICRO 0

/** The library's version as "MAJOR.MINOR.MICRO". */
SC_EXPORT const char *sc_version(void);

/* ===================================================================== */
/* Types                                                                 */
/* ===================================================================== */

/** Byte order of an architecture. */
enum sc_endian {
	SC_ENDIAN_LITTLE = 0, /**< least significant byte first */
	SC_ENDIAN_BIG    = 1, /**< most significant byte first */
};

/** Per-architecture quirks a filter must respect. */
enum sc_arch_flags {
	SC_ARCH_SOCKETCALL = 1 << 0, /**< has socketcall(2), which hides socket calls' arguments */
	SC_ARCH_IPC        = 1 << 1, /**< has ipc(2), which hides SysV IPC calls' arguments */
	SC_ARCH_SHARES_AUDIT = 1 << 2, /**< shares its audit arch value with another ABI (x32) */
};

/**
 * One system call ABI: what seccomp sees as seccomp_data.arch plus a syscall
 * number space. x32 and the three MIPS ABIs are ABIs of their own.
 */
struct sc_arch {
	const char *name;       /**< canonical short name: "x86_64", "x32", "mips64n32" */
	const char *scmp_name;  /**< libseccomp/OCI spelling: "SCMP_ARCH_X86_64" */
	const char *aliases;    /**< other accepted names, space separated: "amd64 x86-64" */
	uint32_t audit_arch;    /**< AUDIT_ARCH_* value seen in seccomp_data.arch */
	unsigned word_bits;     /**< width of a syscall argument register: 32 or 64 */
	enum sc_endian endian;  /**< byte order */
	uint32_t nr_base;       /**< added to table numbers: MIPS o32 4000, n64 5000, n32 6000 */
	uint32_t nr_bit;        /**< OR-ed into every number: x32's 0x40000000 */
	unsigned flags;         /**< enum sc_arch_flags */
	const char *table;      /**< kernel table it is generated from, for people */
	unsigned oci_arg_bits;  /**< argument bits libseccomp compares, and so what an OCI profile
				     means to runc and crun: word_bits, but 32 on x32 */
};

/** Width class of a syscall parameter's C type. */
enum sc_arg_kind {
	SC_ARG_NONE = 0, /**< unknown or unused */
	SC_ARG_U8   = 1, /**< 8-bit (char) */
	SC_ARG_U16  = 2, /**< 16-bit (umode_t, short) */
	SC_ARG_U32  = 3, /**< 32-bit (int, unsigned int, pid_t, uid_t …) */
	SC_ARG_WORD = 4, /**< register-sized (long, size_t, pointers) */
	SC_ARG_U64  = 5, /**< 64-bit on every ABI (loff_t, u64); split in two on 32-bit ABIs */
};

/** A syscall parameter as the kernel names it. */
struct sc_syscall_arg {
	const char *name;      /**< kernel parameter name: "fd", "cmd", "flags" */
	const char *type;      /**< C type as the kernel declares it: "unsigned int" */
	enum sc_arg_kind kind; /**< width class; see sc_arg_bits() */
	bool pointer;          /**< the value is a user pointer (conditions on it are meaningless) */
};

/** One syscall of one architecture. */
struct sc_syscall {
	const char *name;        /**< "openat" */
	uint32_t nr;             /**< the number seccomp sees, base and x32 bit included */
	const char *abi;         /**< the kernel table's abi column: "common", "64", "x32" … */
	const char *entry_point; /**< the kernel entry point, "" if none */
	unsigned nargs;          /**< number of parameters */
	const struct sc_syscall_arg *args; /**< the parameters, nargs long */
	const char *args_source; /**< where the parameter list came from: "tracepoint" or "prototype" */
	unsigned since;          /**< first kernel release with it, major*1000+minor (5003 = 5.3);
				      2006 for everything from before 2.6.39 */
};

/**
 * A diagnostic: where a policy is wrong, what was expected, what was found, and a hint.
 * Filled by functions that take a `struct sc_diag *reterr_diag`; printed by sc_diag_print().
 */
struct sc_diag {
	char file[256];     /**< the file ("" when none) */
	unsigned line;      /**< 1-based line, 0 when not about a place in a file */
	unsigned col;       /**< 1-based column (characters) */
	unsigned span;      /**< characters to underline, at least 1 */
	char source[256];   /**< the text of that line, without its newline */
	char message[512];  /**< "unknown syscall 'opneat'": lowercase, no final stop */
	char hint[256];     /**< "did you mean 'openat'?", or "" */
	bool warning;       /**< a warning rather than an error */
	unsigned source_first; /**< column of source's first character: 1 (or 0) unless a long
				    line was cut to a window around col */
	bool source_cut;    /**< source stops before the end of its line */
};

/** A symbolic constant people write in policies: O_RDONLY, TCGETS, AF_INET … */
struct sc_constant {
	const char *name;  /**< "TCGETS" */
	uint64_t value;    /**< its value on x86_64 (the headers this build was generated from) */
	const char *group; /**< family it belongs to: "open_flags", "ioctl", "socket_family" … */
	const char *uses;  /**< "syscall:arg" places it makes sense, space separated: "ioctl:cmd" */
};

/**
 * What a filter does with a call. The values are the precedence the kernel applies
 * when several filters return (lower wins), and the one seccompose applies when several
 * rules of one policy match a call: the most restrictive matching rule wins.
 */
enum sc_action_type {
	SC_ACT_KILL_PROCESS = 0, /**< kill the whole process with SIGSYS */
	SC_ACT_KILL_THREAD  = 1, /**< kill the calling thread with SIGSYS */
	SC_ACT_TRAP         = 2, /**< send SIGSYS to the thread; data in si_errno */
	SC_ACT_ERRNO        = 3, /**< fail the call with errno = data, without running it */
	SC_ACT_USER_NOTIF   = 4, /**< ask a supervisor over a notification fd */
	SC_ACT_TRACE        = 5, /**< stop for a ptrace tracer (ENOSYS when there is none) */
	SC_ACT_LOG          = 6, /**< run the call and log it */
	SC_ACT_ALLOW        = 7, /**< run the call */
};

/** An action and its data (errno value for ERRNO, message for TRACE/TRAP). */
struct sc_action {
	enum sc_action_type type; /**< what to do */
	uint16_t data;            /**< errno (0..4095) or trace/trap data */
};

/** Filter installation flags (the policy's `flags`, and `run`'s options). */
enum sc_filter_flags {
	SC_FILTER_TSYNC              = 1 << 0, /**< SECCOMP_FILTER_FLAG_TSYNC: every thread */
	SC_FILTER_LOG                = 1 << 1, /**< SECCOMP_FILTER_FLAG_LOG: log what is not allowed */
	SC_FILTER_SPEC_ALLOW         = 1 << 2, /**< SECCOMP_FILTER_FLAG_SPEC_ALLOW: keep speculation on */
	SC_FILTER_WAIT_KILLABLE_RECV = 1 << 3, /**< SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */
	SC_FILTER_NO_NNP             = 1 << 4, /**< do not set no_new_privs (needs CAP_SYS_ADMIN) */
};

/** How to load a policy. Zero-initialise and set what you need. */
struct sc_load_options {
	unsigned flags;          /**< enum sc_load_flags */
	const char *groups_file; /**< a group database that adds to / overrides the built-in one */
	const char *caps;        /**< Docker `includes.caps`: capabilities the container has,
				      comma separated ("CAP_SYS_ADMIN,CAP_NET_ADMIN"); NULL: Docker's defaults */
	const char *kernel;      /**< Docker `minKernel`: the kernel to assume ("6.1"); NULL: the running one */
	const char *native_arch; /**< the runtime's architecture for `archMap`; NULL: this machine's */
	const char *enosys_after; /**< kernel floor ("5.4"): syscalls newer than it that no rule
				       names fail with ENOSYS, as runc does; overrides the policy's */
	const char *weights_file; /**< call counts (`count name` a line, as `record --counts`
				       writes them) that shape the filter's number search so the
				       calls made most are decided first; NULL: the built-in table */
};

enum sc_load_flags {
	SC_LOAD_ALLOW_UNKNOWN = 1 << 0, /**< unknown syscall names warn instead of failing */
	SC_LOAD_FORMAT_TOML   = 1 << 1, /**< force TOML (default: by extension, then content) */
	SC_LOAD_FORMAT_OCI    = 1 << 2, /**< force OCI JSON */
	SC_LOAD_MUX_ALLOW     = 1 << 3, /**< allow socketcall/ipc unchecked where a rule needs their hidden arguments */
	SC_LOAD_ENOSYS_UNKNOWN = 1 << 4, /**< numbers above the catalog's fail with ENOSYS */
};

/** A loaded policy (opaque). */
struct sc_policy;

/** A compiled filter: the rule set per architecture and its BPF program (opaque). */
struct sc_filter;

/** Output formats of sc_filter_export(). */
enum sc_format {
	SC_FORMAT_OCI    = 0, /**< OCI runtime-spec linux.seccomp JSON */
	SC_FORMAT_TOML   = 1, /**< our TOML */
	SC_FORMAT_BPF    = 2, /**< raw struct sock_filter array (bwrap --seccomp) */
	SC_FORMAT_C      = 3, /**< a C array */
	SC_FORMAT_DISASM = 4, /**< a readable disassembly */
	SC_FORMAT_SPO    = 5, /**< a Security Profiles Operator SeccompProfile (YAML) */
	SC_FORMAT_OCI_ARTIFACT = 6, /**< a KEP-6061 seccomp profile artifact in an OCI image
					 layout directory: sc_filter_export_dir() only */
};

/** What some formats say besides the rules. Zero-initialise and set what you need. */
struct sc_export_options {
	const char *name; /**< SC_FORMAT_SPO: metadata.name (NULL: from the policy's file name) */
};

/* ===================================================================== */
/* Functions: architectures                                              */
/* ===================================================================== */

/** Number of architectures the catalog knows. */
SC_EXPORT size_t sc_arch_count(void);

/**
 * The i-th architecture, or NULL when i >= sc_arch_count().
 * The order is the catalog's: native-first families, stable across releases.
 */
SC_EXPORT const struct sc_arch *sc_arch_at(size_t i);

/**
 * Find an architecture by any of its names: canonical ("x86_64"), libseccomp's
 * ("SCMP_ARCH_X86_64"), Docker's ("amd64"), or an alias. Case-insensitive.
 * @param name the name
 * @return the architecture, or NULL when unknown
 */
SC_EXPORT const struct sc_arch *sc_arch_lookup(const char *name);

/** Suggest architecture names close to @p word, among every spelling. Same contract as sc_suggest(). */
SC_EXPORT size_t sc_arch_suggest(const char *word, const char **ret_best, size_t max);

/** The architecture of the running process (x86_64 on an x86_64 build). */
SC_EXPORT const struct sc_arch *sc_arch_native(void);

/** Find the architecture whose audit value is @p audit_arch and, for ABIs sharing one, whose nr_bit matches @p nr. */
SC_EXPORT const struct sc_arch *sc_arch_by_audit(uint32_t audit_arch, uint32_t nr);

/* ===================================================================== */
/* Functions: syscalls                                                   */
/* ===================================================================== */

/** Number of syscalls architecture @p arch has. */
SC_EXPORT size_t sc_syscall_count(const struct sc_arch *arch);

/** The i-th syscall of @p arch in number order, or NULL when out of range. */
SC_EXPORT const struct sc_syscall *sc_syscall_at(const struct sc_arch *arch, size_t i);

/**
 * Find a syscall of @p arch by name.
 * @return the syscall, or NULL when @p arch has none of that name
 */
SC_EXPORT const struct sc_syscall *sc_syscall_lookup(const struct sc_arch *arch, const char *name);

/**
 * Find a syscall of @p arch by the number seccomp sees (base and x32 bit included).
 * @return the syscall, or NULL when the number is unassigned
 */
SC_EXPORT const struct sc_syscall *sc_syscall_by_nr(const struct sc_arch *arch, uint32_t nr);

/** True when any architecture in the catalog has a syscall called @p name. */
SC_EXPORT bool sc_syscall_known(const char *name);

/**
 * Index of the parameter of @p sys called @p name, or -1.
 */
SC_EXPORT int sc_syscall_arg_index(const struct sc_syscall *sys, const char *name);

/**
 * How many low bits of argument register @p index the kernel reads for @p sys on
 * @p arch: 8, 16, 32 or 64 (0 when @p index is out of range). A filter compares
 * exactly these bits, so a 32-bit `int fd` matches -100 however the caller extended
 * the register. On 32-bit ABIs every register is 32 bits.
 */
SC_EXPORT unsigned sc_syscall_arg_bits(const struct sc_arch *arch, const struct sc_syscall *sys,
				       unsigned index);

/* ===================================================================== */
/* Functions: constants                                                  */
/* ===================================================================== */

/** Number of symbolic constants the catalog knows. */
SC_EXPORT size_t sc_constant_count(void);

/** The i-th constant in name order, or NULL when out of range. */
SC_EXPORT const struct sc_constant *sc_constant_at(size_t i);

/** Find a constant by exact name, or NULL. */
SC_EXPORT const struct sc_constant *sc_constant_lookup(const char *name);

/**
 * Find the constant that names @p value where argument @p arg of syscall
 * @p syscall is concerned ("ioctl", "cmd", 0x5401 → TCGETS), or NULL.
 */
SC_EXPORT const struct sc_constant *sc_constant_for_value(const char *syscall, const char *arg,
							   uint64_t value);

/* ===================================================================== */
/* Functions: actions                                                    */
/* ===================================================================== */

/**
 * Parse an action name: short ("Allow", "Errno", "KillProcess", "Kill" = KillThread as
 * libseccomp's SCMP_ACT_KILL), libseccomp/OCI ("SCMP_ACT_ERRNO"), any case.
 * @return 0, or -EINVAL when the name is unknown
 */
SC_EXPORT int sc_action_parse(const char *name, enum sc_action_type *ret);

/** The short name of an action type: "Allow", "KillProcess" … */
SC_EXPORT const char *sc_action_name(enum sc_action_type type);

/** The OCI name of an action type: "SCMP_ACT_ALLOW" … */
SC_EXPORT const char *sc_action_oci_name(enum sc_action_type type);

/** The SECCOMP_RET_* value a filter returns for @p a. */
SC_EXPORT uint32_t sc_action_to_ret(struct sc_action a);

/** The action a SECCOMP_RET_* value stands for (unknown actions read as KILL_PROCESS, as the kernel does). */
SC_EXPORT struct sc_action sc_action_from_ret(uint32_t ret);

/** Format @p a as "Errno(EPERM)", "Allow", "Trace(7)" into @p buf. */
SC_EXPORT const char *sc_action_format(struct sc_action a, char *buf, size_t len);

/* ===================================================================== */
/* Functions: diagnostics and files                                      */
/* ===================================================================== */

/**
 * Fill @p d for a place in a source text: the line's text is copied so the diagnostic
 * stands alone. @p src may be NULL (no source line shown).
 */
SC_EXPORT void sc_diag_set(struct sc_diag *d, const char *file, const char *src, size_t len,
			   unsigned line, unsigned col, unsigned span, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/** Set the hint of @p d (printf-style). */
SC_EXPORT void sc_diag_hint(struct sc_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Print @p d in the GNU compiler form:
 *   file:line:col: error: message
 *      12 | the source line
 *         |      ^^^^^
 *   hint: did you mean 'openat'?
 * or `seccompose: error: message` when it names no place.
 */
SC_EXPORT void sc_diag_print(const struct sc_diag *d, FILE *f);

/**
 * Read a whole file ("-": standard input) into a malloc'd, NUL-terminated buffer.
 * @param max the largest size accepted, 0 for no limit
 * @param ret_buf receives the text; caller frees with free()
 * @return 0, -EFBIG past @p max, or a negative errno from open(2) or read(2)
 */
SC_EXPORT int sc_file_read(const char *path, size_t max, char **ret_buf, size_t *ret_len);

/**
 * Write @p len bytes to @p path. A regular file (or none yet) is written atomically: a
 * temporary file beside it, fsync, rename; a symlink is followed to its final target (the
 * link stays). A FIFO or a character device is written into, never replaced; "-" is
 * standard output. On failure nothing is left behind and @p path is untouched.
 * @return 0, -EISDIR for a directory, -EINVAL for another kind of file (block device,
 *         socket), or a negative errno from open(2), write(2), fsync(2) or rename(2)
 */
SC_EXPORT int sc_file_write_atomic(const char *path, const void *buf, size_t len);

/**
 * Check, before any work, that sc_file_write_atomic(@p path) can succeed: not a directory,
 * and the target's directory exists and takes new files (or it is a FIFO, a character
 * device or "-"). Nothing is created.
 * @return 0 or the negative errno sc_file_write_atomic() would meet (-ENOENT, -EISDIR …)
 */
SC_EXPORT int sc_file_output_check(const char *path);

/* ===================================================================== */
/* Functions: policies and filters                                       */
/* ===================================================================== */

/**
 * Load a policy: our TOML, or an OCI/Docker JSON profile.
 * @param path   the file ("-" for standard input)
 * @param opts   options, or NULL for defaults
 * @param ret    receives the policy; caller frees with sc_policy_free()
 * @param reterr filled on failure (file:line:col, message, hint)
 * @return 0; -EINVAL for an invalid policy; -ENOENT, -EACCES … when the file cannot be read
 */
SC_EXPORT int sc_policy_load_file(const char *path, const struct sc_load_options *opts,
				  struct sc_policy **ret, struct sc_diag *reterr);

/** Like sc_policy_load_file(), from a buffer; @p name is used in diagnostics and to pick the format. */
SC_EXPORT int sc_policy_load_buffer(const char *name, const char *buf, size_t len,
				    const struct sc_load_options *opts, struct sc_policy **ret,
				    struct sc_diag *reterr);

/**
 * Load one of the built-in policies by name ("default" is what `seccompose run` uses
 * without -p). Same contract as sc_policy_load_buffer(); -ENOENT for an unknown name.
 */
SC_EXPORT int sc_policy_load_builtin(const char *name, const struct sc_load_options *opts,
				     struct sc_policy **ret, struct sc_diag *reterr);

/** The i-th built-in policy's name and TOML text (NULL past the end). */
SC_EXPORT const char *sc_builtin_policy(size_t i, const char **ret_text, size_t *ret_len);

/** Free a policy; accepts NULL; returns NULL. */
SC_EXPORT struct sc_policy *sc_policy_free(struct sc_policy *p);

/** The warnings loading and compiling produced (unknown names in OCI input, seed faults …). */
SC_EXPORT size_t sc_policy_warning_count(const struct sc_policy *p);
SC_EXPORT const struct sc_diag *sc_policy_warning(const struct sc_policy *p, size_t i);

/** Number of groups the policy can name (built-in database plus --groups files). */
SC_EXPORT size_t sc_policy_group_count(const struct sc_policy *p);

/** The i-th group's name (NULL past the end) and, if @p ret_description, its description. */
SC_EXPORT const char *sc_policy_group(const struct sc_policy *p, size_t i, const char **ret_description);

/** The format @p p was read in: SC_FORMAT_OCI or SC_FORMAT_TOML (built-ins are TOML). */
SC_EXPORT enum sc_format sc_policy_format(const struct sc_policy *p);

/** The policy's filter flags (enum sc_filter_flags). */
SC_EXPORT unsigned sc_policy_flags(const struct sc_policy *p);

/**
 * Whether the policy says `restrict_ptrace = true`: its program must not reach other
 * processes through ptrace access checks (/proc/PID/mem, process_vm_writev …), which a
 * seccomp filter cannot see. Whoever installs the filter calls sc_restrict_ptrace() first.
 */
SC_EXPORT bool sc_policy_restricts_ptrace(const struct sc_policy *p);

/**
 * Confine the calling thread, and what it forks and execs, to ptrace access (ptrace,
 * /proc/PID/mem, environ, fd/, process_vm_*, pidfd_getfd) of processes started after this
 * call, with a Landlock domain that restricts nothing else (mount excepted). Call it before
 * sc_filter_install(), whose filter may deny the Landlock calls.
 * @param flags enum sc_filter_flags; only SC_FILTER_NO_NNP is read (no_new_privs is set otherwise)
 * @return 0; -ENOSYS without Landlock ABI 2 (Linux 5.19); -EOPNOTSUPP when Landlock is
 *         disabled (not in the kernel's lsm= list); -EPERM for SC_FILTER_NO_NNP without
 *         CAP_SYS_ADMIN; another -errno from the Landlock calls
 */
SC_EXPORT int sc_restrict_ptrace(unsigned flags);

/**
 * Resolve and compile a policy into a filter for its architectures.
 * @return 0; -EINVAL with @p reterr filled when a name does not resolve or a rule
 *         cannot be enforced; -E2BIG when the program exceeds BPF_MAXINSNS
 */
SC_EXPORT int sc_policy_compile(struct sc_policy *p, struct sc_filter **ret, struct sc_diag *reterr);

/** Free a filter; accepts NULL; returns NULL. */
SC_EXPORT struct sc_filter *sc_filter_free(struct sc_filter *f);

/** The BPF program: an array of struct sock_filter, @p ret_count instructions long. */
SC_EXPORT const void *sc_filter_program(const struct sc_filter *f, size_t *ret_count);

/**
 * Install the filter in the calling process (no_new_privs first unless SC_FILTER_NO_NNP).
 * @param flags enum sc_filter_flags, OR-ed with the policy's
 * @return 0, or -EINVAL, -EACCES, -ENOSYS, -ESRCH, -EOPNOTSUPP (see lib/bpf/apply.h)
 */
SC_EXPORT int sc_filter_install(const struct sc_filter *f, unsigned flags);

/**
 * What the filter does with one call, by running its program in the userspace interpreter.
 * @return the SECCOMP_RET_* value (see sc_action_from_ret())
 */
SC_EXPORT uint32_t sc_filter_eval(const struct sc_filter *f, const struct sc_arch *arch,
				  uint32_t nr, const uint64_t args[6]);

/**
 * Install a BPF program (@count struct sock_filter) as sc_filter_install() installs a
 * filter's: for a program compiled before (the command's built-in policies are compiled
 * when it is built). @flags are enum sc_filter_flags, nothing OR-ed in.
 * @return as sc_filter_install()
 */
SC_EXPORT int sc_program_install(const void *prog, size_t count, unsigned flags);

/** sc_filter_eval() for a program (@count struct sock_filter) without its filter. */
SC_EXPORT uint32_t sc_program_eval(const void *prog, size_t count, const struct sc_arch *arch,
				   uint32_t nr, const uint64_t args[6]);

/** How many rules the filter has for syscall @p nr of @p arch (0: it gets the default). */
SC_EXPORT size_t sc_filter_rule_count(const struct sc_filter *f, const struct sc_arch *arch, uint32_t nr);

/**
 * Render the filter in @p format into a malloc'd buffer.
 * @param ret_buf receives the text or bytes; caller frees with free()
 * @return 0, -ENOMEM, or -EINVAL when the format cannot state the policy (reterr says why)
 */
SC_EXPORT int sc_filter_export(const struct sc_filter *f, enum sc_format format, char **ret_buf,
			       size_t *ret_len, struct sc_diag *reterr);

/**
 * sc_filter_export() with options (@p opts may be NULL): SC_FORMAT_SPO reads opts->name,
 * checked with sc_spo_name_check().
 */
SC_EXPORT int sc_filter_export_with(const struct sc_filter *f, enum sc_format format,
				    const struct sc_export_options *opts, char **ret_buf,
				    size_t *ret_len, struct sc_diag *reterr);

/**
 * Write the filter in a format that is a directory (SC_FORMAT_OCI_ARTIFACT: oci-layout,
 * index.json, blobs/sha256/) into @p dir, which must be new or empty; nothing is
 * overwritten, and a failure leaves no partial layout.
 * @return 0; -EINVAL when the format cannot state the policy or runtimes would reject it;
 *         -EEXIST when @p dir is not empty; another negative errno from mkdir(2) or writing
 */
SC_EXPORT int sc_filter_export_dir(const struct sc_filter *f, enum sc_format format, const char *dir,
				   struct sc_diag *reterr);

/** 0 when @p name can be a SeccompProfile's metadata.name (an RFC 1123 subdomain: lowercase
 *  letters, digits, '-' and '.', at most 253); -EINVAL with @p reterr filled otherwise. */
SC_EXPORT int sc_spo_name_check(const char *name, struct sc_diag *reterr);

/**
 * The union of compiled policies: per ABI and syscall, a call is allowed when any input
 * allows it; what none allows gets the most permissive non-Allow default among the inputs
 * (lib/api/merge.c and docs/policy-language.md, "Merging", say it fully). The inputs may be
 * freed afterwards; export the result with sc_filter_export() as TOML or OCI.
 * @return 0, or -EINVAL (reterr says why: an input allowing unlisted ABIs, a union too
 *         complex to state)
 */
SC_EXPORT int sc_filter_union(struct sc_filter *const *in, size_t n, struct sc_filter **ret,
			      struct sc_diag *reterr);

/** One way two compiled policies differ (sc_filter_diff()). */
struct sc_difference {
	const struct sc_arch *arch; /**< the ABI (with @p unlisted_abi: one of those meant) */
	bool unlisted_abi;          /**< about calls from every ABI neither policy lists */
	const char *syscall;        /**< the syscall's name; NULL for numbers the catalog does not
					 name (and with @p unlisted_abi) */
	bool whole;                 /**< every call of the syscall (of the unnamed numbers, of the
					 unlisted ABIs) differs this way; else those @p when says */
	const char *group;          /**< set on a whole difference when every member of this group
					 (on @p arch) differs wholly and alike; NULL otherwise */
	char when[256];             /**< the arguments concerned, with the parameters' and
					 constants' names: "cmd == TCGETS && fd < 3" ("" when whole) */
	struct sc_action a, b;      /**< what the first and the second filter do with such calls */
	uint32_t nr;                /**< a call that shows the difference: its number on @p arch … */
	uint64_t args[6];           /**< … and its arguments */
};

/**
 * What @p a does that @p b does not, call by call: per ABI either lists and syscall, every
 * set of calls the two give different actions, each with a call showing it; numbers the
 * catalog does not name and ABIs neither lists too (lib/api/diff.c). No difference means
 * the two filters give every call the same action.
 * @param ret   receives a malloc'd array (free() it; NULL when there is none)
 * @param ret_n receives its length: 0 when the filters are equal
 * @return 0, or -EINVAL when a syscall's rules are too complex to compare (reterr says where)
 */
SC_EXPORT int sc_filter_diff(const struct sc_filter *a, const struct sc_filter *b,
			     struct sc_difference **ret, size_t *ret_n, struct sc_diag *reterr);

/** sc_filter_intersect() flags. */
enum sc_intersect_flags {
	SC_INTERSECT_AS_RUNTIME = 1 << 0, /**< deny wholly (KillProcess) the syscalls the runtimes'
					       merge of the inputs' OCI JSON denies, as it will */
};

/**
 * The intersection of compiled policies, as Kubernetes merges a pulled seccomp profile with
 * the node's (KEP-6061): per call, the most restrictive of the inputs' actions
 * (KillProcess, KillThread, Trap, Errno, Trace, UserNotif, Log, Allow; on a tie the first
 * input's errno), so a call is allowed exactly when every input allows it; architectures
 * intersected, filter flags intersected (lib/api/intersect.c says it fully).
 * @param flags       enum sc_intersect_flags
 * @param ret_denied  with SC_INTERSECT_AS_RUNTIME, receives the names of the syscalls the
 *                    runtimes' merge denies wholly because conditions on one argument index
 *                    differ (OCI JSON cannot AND them): a malloc'd array of malloc'd strings
 *                    (free each and it); NULL to not ask
 * @return 0, or -EINVAL (reterr says why: no ABI in common, too complex to state)
 */
SC_EXPORT int sc_filter_intersect(struct sc_filter *const *in, size_t n, unsigned flags,
				  struct sc_filter **ret, char ***ret_denied, size_t *ret_ndenied,
				  struct sc_diag *reterr);

/** The policy @p f was compiled from (a merge's own for sc_filter_union()): exporters add
 * warnings to it (sc_policy_warning()). */
SC_EXPORT const struct sc_policy *sc_filter_policy(const struct sc_filter *f);

/**
 * Explain the resolved policy: per architecture and syscall, the rules in the order they
 * apply, their conditions and where each came from. Text into a malloc'd buffer.
 */
SC_EXPORT int sc_filter_explain(const struct sc_filter *f, const struct sc_arch *arch, char **ret_buf);

/**
 * sc_filter_explain() as one JSON object (NUL-terminated, malloc'd; the shape is documented in
 * seccompose-explain(1) and lib/api/explain-json.c): default, bad_arch, and per architecture
 * (only @p arch unless NULL) each syscall's rules with action, conditions and origin.
 * @return 0 or -ENOMEM
 */
SC_EXPORT int sc_filter_explain_json(const struct sc_filter *f, const struct sc_arch *arch,
				     char **ret_buf);

/** One finding of sc_filter_lint(). */
struct sc_lint_finding {
	char id[32];         /**< the check: "bypass", "other-abi", "no-exit", "no-abort", "io-uring",
				  "enosys-fallback", "multiplexed", "memory-bypass",
				  "shadowed", "no-effect", "never-matches", "oci-export", "oci-size",
				  "oci-entries", "spo-value", "runtime-baseline" */
	struct sc_diag diag; /**< the rule concerned (file, line, col, its source line), what is
				  wrong (message) and what to do (hint); warning is set */
};

/**
 * What the policy @p f was compiled from lets through or breaks that it probably did not
 * mean to: sibling calls that bypass each other (openat denied, openat2 allowed), other ABIs
 * reachable, io_uring beside restricted file or socket calls, socketcall/ipc letting through
 * what a rule restricts by argument, a PROT_EXEC restriction beside pkey_mprotect, ptrace,
 * process_vm_writev or pidfd_getfd, no exit or abort path, EPERM where a fallback needs
 * ENOSYS, rules that never decide, values a SeccompProfile cannot carry, the Kubernetes
 * OCI-artifact limits (1 MiB, 128 entries for a syscall; with an OCI runtime also what the OCI export refuses;
 * none for "seccompose", which deploys no JSON), and with @p runtime (sc_lint_runtime(): the
 * runtimes with a measured baseline, sc_runtime_at(), and "seccompose"; NULL: none) what that
 * runtime calls before the workload starts (sc_runtime_baseline()).
 * @param ret receives a malloc'd array of findings (free() it), NULL when there are none
 * @param ret_n receives how many
 * @return 0; -EINVAL for an unknown runtime (reterr says which are known)
 */
SC_EXPORT int sc_filter_lint(const struct sc_filter *f, const char *runtime,
			     struct sc_lint_finding **ret, size_t *ret_n, struct sc_diag *reterr);

/** The i-th runtime sc_filter_lint() knows (NULL past the end). */
SC_EXPORT const char *sc_lint_runtime(size_t i);

/* ===================================================================== */
/* Functions: supervising a command (run --report, run --learn)          */
/* ===================================================================== */

/** What the supervisor does with a call the policy denies with Errno. */
enum sc_supervise_mode {
	SC_SUPERVISE_REPORT = 0, /**< answer with the policy's errno and say so: the program sees
				      what it would have seen unsupervised */
	SC_SUPERVISE_LEARN  = 1, /**< let the call run (SECCOMP_USER_NOTIF_FLAG_CONTINUE) and
				      record it, for sc_supervision_widen() */
};

/** How to supervise. Zero-initialise and set what you need. */
struct sc_supervise_options {
	enum sc_supervise_mode mode;
	unsigned flags;  /**< enum sc_filter_flags, OR-ed with the policy's */
	FILE *out;       /**< one line per denial ("seccompose: denied openat(…) → EPERM: …");
			      NULL: none */
	/** Called once before the command starts when the policy sets restrict_ptrace and
	 *  Landlock is missing (-ENOSYS) or disabled (-EOPNOTSUPP): the command runs anyway. */
	void (*ptrace_scope_missing)(int err, void *ctx);
	void *ctx;
};

/** What a supervised run saw (opaque). */
struct sc_supervision;

/**
 * Whether this kernel can supervise in @p mode: SECCOMP_RET_USER_NOTIF and a listener
 * (Linux 5.0), and for SC_SUPERVISE_LEARN the CONTINUE answer (5.5).
 * @return 0, or -EOPNOTSUPP
 */
SC_EXPORT int sc_supervise_available(enum sc_supervise_mode mode);

/**
 * Run @p argv (@p path, an executable's path) under @p f with seccompose as its supervisor:
 * the filter returns SECCOMP_RET_USER_NOTIF where the policy says Errno (Kill, Trap and Log
 * stay in the kernel), and every such call of the command, its threads, forks and what they
 * exec comes here. Report mode answers with the policy's errno (the program sees what it
 * would have seen) and prints a line with the call decoded; learn mode lets it run and
 * records it. If the supervisor dies, the calls fail with ENOSYS; they never succeed.
 * The calling process stays the command's parent until the command ends: it ignores SIGINT
 * and SIGQUIT (the terminal sends them to the command too) and makes itself non-dumpable.
 * @param ret        receives what was seen (sc_supervision_free()), when 0 is returned
 * @param ret_status receives the command's wait status
 * @return 0 when the command ran; before it started: -EOPNOTSUPP (no listener here),
 *         -EPERM (the listener could not be taken from the child), -ENOEXEC (exec failed:
 *         reterr says why), another -errno (reterr says which step)
 */
SC_EXPORT int sc_supervise_command(const struct sc_filter *f, const char *path, char *const argv[],
				   const struct sc_supervise_options *o, struct sc_supervision **ret,
				   int *ret_status, struct sc_diag *reterr);

/** Denials seen (report) or calls let through (learn). */
SC_EXPORT size_t sc_supervision_count(const struct sc_supervision *s);

/** Distinct calls a learn run let through: the rules sc_supervision_widen() adds. */
SC_EXPORT size_t sc_supervision_learned(const struct sc_supervision *s);

/** Print the summary: counts per syscall, most first, and a Kill/Trap seen in the exit status. */
SC_EXPORT void sc_supervision_summary(const struct sc_supervision *s, FILE *out);

/**
 * The policy @p p (which @p f was compiled from) widened by exactly the calls a learn run
 * let through, as text: TOML with a "# learned: …" comment per added rule; for an OCI
 * policy, OCI JSON. @p p gets the added rules. Every learned call is checked to be allowed
 * by the result.
 * @return 0, or -EINVAL (reterr says why)
 */
SC_EXPORT int sc_supervision_widen(const struct sc_supervision *s, struct sc_policy *p,
				   const struct sc_filter *f, char **ret_buf, size_t *ret_len,
				   struct sc_diag *reterr);

/** Free; accepts NULL; returns NULL. */
SC_EXPORT struct sc_supervision *sc_supervision_free(struct sc_supervision *s);

/* ===================================================================== */
/* Functions: minimising                                                 */
/* ===================================================================== */

/** Where sc_policy_minimise() is (given to the progress callback after each run). */
struct sc_minimise_stats {
	unsigned rounds;      /**< ddmin rounds so far */
	size_t units_total;   /**< names (syscalls, groups, opened groups' members) considered */
	size_t units_left;    /**< of them, kept */
	unsigned runs;        /**< runs of the command (the reference run included) */
	double elapsed;       /**< seconds since the start */
	size_t rules_before;  /**< compiled rules (every ABI, every syscall) of the original */
	size_t rules_after;   /**< and of the result (at the end) */
	bool out_of_time;     /**< the budget ran out: the result is the best so far */
	bool fell_back;       /**< the result failed its final run: the original was kept */
};

/** What sc_policy_minimise() runs and how long. Zero-initialise and set what you need. */
struct sc_minimise_options {
	char *const *argv;    /**< the command (argv[0] looked up in PATH) */
	const char *check;    /**< NULL: a candidate passes when the command's standard output
				   and exit status equal the run under the original policy; else
				   `sh -c CHECK` decides (exit 0: passes), the candidate's standard
				   output on its standard input, its exit status in
				   $SECCOMPOSE_STATUS */
	double budget;        /**< seconds after which the best so far is taken (0: none) */
	void (*progress)(const struct sc_minimise_stats *s, void *data); /**< after each run, or NULL */
	void *data;           /**< for @p progress */
};

/**
 * Delta debugging (ddmin) over @p p's rules' names and groups (a group as one unit, then its
 * members when it has to stay), running the command under each candidate (compiled in
 * memory; the command in a forked child under its filter, standard input and error
 * /dev/null) and keeping a removal when the check passes. The result is never larger (its
 * compiled rule count) and passed a final run, else it is @p p itself.
 * @param ret_toml  the result as TOML (sc_policy_write_toml()); free() it
 * @param ret_stats what was done (or NULL)
 * @return 0; -ECHILD when the command cannot run or does not finish under @p p; -EINVAL
 *         when --check fails under @p p already, or @p p does not compile (reterr says why)
 */
SC_EXPORT int sc_policy_minimise(struct sc_policy *p, const struct sc_minimise_options *o,
				 char **ret_toml, size_t *ret_len, struct sc_minimise_stats *ret_stats,
				 struct sc_diag *reterr);

/* ===================================================================== */
/* Functions: recording                                                  */
/* ===================================================================== */

/** What a program was seen doing: distinct (ABI, syscall, captured arguments) (opaque). */
struct sc_recording;

/** A new, empty recording; free with sc_recording_free(). */
SC_EXPORT struct sc_recording *sc_recording_new(void);

/** Free a recording; accepts NULL; returns NULL. */
SC_EXPORT struct sc_recording *sc_recording_free(struct sc_recording *r);

/** Number of distinct observations. */
SC_EXPORT size_t sc_recording_count(const struct sc_recording *r);

/**
 * Run @p argv under ptrace (every thread, fork, clone and exec followed) and add what it does
 * to @p r. Signals, exit status and the terminal pass through. Once a process keeps making
 * calls already recorded, the recorder lets those run without stopping (a seccomp filter that
 * allows exactly them): every distinct call is recorded, but sc_recording_counts() counts only
 * the calls that stopped; sc_record_command_counted() stops at every one.
 * @param ret_status receives the command's wait status (waitpid's)
 * @return 0; -ENOENT when the command is not found; -EPERM when ptrace is refused;
 *         -ENOSYS when the kernel lacks PTRACE_GET_SYSCALL_INFO
 */
SC_EXPORT int sc_record_command(struct sc_recording *r, char *const argv[], int *ret_status,
				struct sc_diag *reterr);

/** Like sc_record_command(), with one stop per syscall, so that sc_recording_counts() is
 * exact (`record --counts`): slower on programs that make many calls. */
SC_EXPORT int sc_record_command_counted(struct sc_recording *r, char *const argv[],
					int *ret_status, struct sc_diag *reterr);

/**
 * Add the calls Falco's output shows (JSON lines or a `(SYSCALL=…, args: …)` text rule),
 * as made on @p arch (NULL: this machine's). docs/falco.md says how to produce it.
 * @return 0, or -EINVAL for a malformed line (reterr names it), -ENOENT …
 */
SC_EXPORT int sc_record_falco(struct sc_recording *r, const char *path, const struct sc_arch *arch,
			      struct sc_diag *reterr);

/**
 * Add the calls seccomp's audit records show (type=1326 / SECCOMP lines, as auditd's
 * audit.log, the kernel log, dmesg, /dev/kmsg, the journal or `ausearch -i` print them): each
 * record's ABI (audit arch value, x32 bit of the number) and syscall, by number alone (the
 * records carry no arguments, so such a call is allowed whatever its arguments). Other lines
 * are skipped. @p path "-" reads standard input.
 * @param ret_records receives the number of seccomp records read (or NULL)
 * @param ret_skipped receives the number of non-empty lines that were no seccomp record (or NULL)
 * @return 0, or -EINVAL for a malformed record (reterr names its line) or none at all, -ENOENT …
 */
SC_EXPORT int sc_record_audit(struct sc_recording *r, const char *path, size_t *ret_records,
			      size_t *ret_skipped, struct sc_diag *reterr);

/**
 * The recording as a policy: default Errno(EPERM); what was observed allowed, arguments
 * that decide (ioctl requests, socket families …) as conditions with constant names.
 * @param abstract replace members by groups whose every member was observed
 * @param command  what was run, for the header comment (or NULL)
 * @param format   SC_FORMAT_TOML or SC_FORMAT_OCI
 */
SC_EXPORT int sc_recording_write(const struct sc_recording *r, bool abstract, const char *command,
				 enum sc_format format, char **ret_buf, size_t *ret_len,
				 struct sc_diag *reterr);

/**
 * How often each syscall was called (summed over its ABIs and argument values), as the
 * text `compile --weights` reads: `count name` a line, most frequent first, after a `#`
 * header. Sources that see no counts (audit records, Falco events) count each record once.
 * @return 0, or -ENOMEM
 */
SC_EXPORT int sc_recording_counts(const struct sc_recording *r, char **ret_buf, size_t *ret_len);

/**
 * The recording as the policy sc_recording_write() writes, in memory, as the builder makes
 * policies (no text in between): compile it, unite it with others (sc_filter_union()).
 * @param abstract replace members by groups whose every member was observed
 * @param ret      the policy, free with sc_policy_free()
 */
SC_EXPORT int sc_recording_policy(const struct sc_recording *r, bool abstract,
				  struct sc_policy **ret, struct sc_diag *reterr);

/*
 * The eBPF recorder: one BPF program on the raw_syscalls:sys_enter tracepoint, filtering in the
 * kernel by cgroup v2 subtree or pid namespace and aggregating there (a new (ABI, syscall,
 * captured arguments) crosses to user space once). It records what runs elsewhere (a cgroup, a
 * service's pid namespace) at a fraction of ptrace's cost; the captured arguments and their
 * normalisation are the ptrace recorder's (data/recorder-args.txt).
 */

/** 0 when the eBPF recorder can run here; else -errno (-ENOSYS no BPF, -ENOENT no BTF,
 *  -EPERM missing CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN, -ENOTSUP no cgroup2 mount) with
 *  reterr->message one line naming what is missing and hint "`seccompose record -- CMD`
 *  (ptrace) works without it". */
SC_EXPORT int sc_ebpf_available(struct sc_diag *reterr);

/** Like sc_record_command(), but the command runs in a cgroup v2 of its own and is recorded
 *  by the eBPF recorder (threads, forks, execs, i386/x32 calls included). */
SC_EXPORT int sc_record_ebpf_command(struct sc_recording *r, char *const argv[],
				     int *ret_status, struct sc_diag *reterr);

/** A running eBPF recorder watching any number of workloads (opaque). One BPF program and
 *  one map for all of them: state per workload, not per call. */
struct sc_watch;
SC_EXPORT int sc_watch_new(struct sc_watch **ret, struct sc_diag *reterr);
SC_EXPORT struct sc_watch *sc_watch_free(struct sc_watch *w); /* accepts NULL */

/** What to watch. Exactly one of cgroup_dir / pid is set. */
struct sc_watch_target {
	const char *cgroup_dir; /* absolute path of a cgroup v2 directory (its subtree is watched) */
	pid_t pid;              /* or: every process in the pid namespace of this pid, and
				   (when the pid's cgroup v2 is not shared with pid 1) its cgroup */
	bool from_exec;         /* count nothing until a process of the target completes an
				   execve (a container's entrypoint: the runtime's set-up is not
				   the workload's) */
};
/** Start watching; returns an id >= 0, or -errno with reterr filled (-ENOENT no such cgroup
 *  or process, -ENOTDIR not a cgroup v2 directory, -EBUSY a pid that shares both its cgroup
 *  and its pid namespace with pid 1: nothing in the kernel tells its calls apart). */
SC_EXPORT int sc_watch_add(struct sc_watch *w, const struct sc_watch_target *t,
			   struct sc_diag *reterr);
/** Move what the kernel saw into user space; waits up to timeout_ms (0: do not wait).
 *  Returns the number of new observations, or -errno. */
SC_EXPORT int sc_watch_poll(struct sc_watch *w, int timeout_ms);
/** Add everything target @id was seen doing so far into @r. */
SC_EXPORT int sc_watch_take(struct sc_watch *w, int id, struct sc_recording *r);
/** True when the target has no process left (its cgroup is empty or gone / pid gone). */
SC_EXPORT bool sc_watch_done(struct sc_watch *w, int id);
/** Stop watching @id (its observations are dropped; take them first). */
SC_EXPORT void sc_watch_remove(struct sc_watch *w, int id);

/**
 * Record the running process @p pid under ptrace (PTRACE_SEIZE of every thread, and of every
 * thread and child made from then on; PTRACE_SYSCALL stops), for when the eBPF recorder cannot
 * tell it apart (sc_watch_add() -EBUSY) or cannot run. Until it and its seized children have
 * exited, SIGINT/SIGTERM/SIGHUP, or @p duration seconds (0: none); then it is detached and
 * runs on. Installs handlers for those signals and SIGALRM while it runs.
 * @return 0; -ENOENT no such process; -EPERM ptrace refused
 */
SC_EXPORT int sc_record_attach(struct sc_recording *r, pid_t pid, double duration,
			       struct sc_diag *reterr);

/* ===================================================================== */
/* Functions: container runtimes                                         */
/* ===================================================================== */

/** A running container, as a runtime or a Kubernetes pod cgroup shows it. */
struct sc_container {
	char runtime[16];   /**< "podman", "docker", "containerd", "crun", "runc", "kubepods" */
	char id[128];       /**< the runtime's id */
	char name[256];     /**< its name (the id when it has none; pod-<uid>_<id> for kubepods) */
	pid_t pid;          /**< its init process (0: known by its cgroup only) */
	char cgroup[512];   /**< its cgroup v2 directory ("" when unknown) */
};

/**
 * Find the running container @p name (a name, an id, or an id's unambiguous prefix) in
 * @p runtime (NULL: podman, docker, containerd, crun, runc, then kubepods cgroups).
 * @return 0; -ENOENT when none matches (reterr names the runtimes asked and how they
 *         answered); -EINVAL for an unknown runtime
 */
SC_EXPORT int sc_container_find(const char *name, const char *runtime, struct sc_container *ret,
				struct sc_diag *reterr);

/** Every running container of @p runtime (NULL: all of them, each once), into a malloc'd
 *  array (free() it). 0, or as sc_container_find(). */
SC_EXPORT int sc_container_list(const char *runtime, struct sc_container **ret, size_t *ret_n,
				struct sc_diag *reterr);


/*
 * A runtime makes calls of its own after installing a container's seccomp filter and before
 * the entrypoint runs (runc: capset, setgroups, fcntl on every fd …): a profile recorded from
 * the workload alone does not start the container. Those calls were measured per runtime
 * (data/runtime-baselines/, tools/measure-runtime-baseline.sh) and are compiled in.
 */

/** The i-th runtime with a baseline ("runc", "crun", "podman", "docker", "containerd"); NULL
 *  past the end. */
SC_EXPORT const char *sc_runtime_at(size_t i);

/**
 * The calls @p runtime makes under the container's filter before the entrypoint: for podman,
 * docker and containerd those of the OCI runtime they drive, in the configuration they write.
 * @param ret_calls receives a malloc'd NULL-terminated array of syscall names, sorted, each
 *        once (free() the array, not the names)
 * @param ret_oci_runtime receives what starts the containers' processes ("runc", "crun",
 *        "crun or runc"); may be NULL
 * @return how many calls; -EINVAL for an unknown runtime (reterr lists the known)
 */
SC_EXPORT int sc_runtime_baseline(const char *runtime, const char ***ret_calls,
				  const char **ret_oci_runtime, struct sc_diag *reterr);

/** The i-th measurement behind @p runtime's baseline: the versions measured (as the runtime
 *  printed them), and into @p ret_measured the date, machine and kernel; NULL past the end. */
SC_EXPORT const char *sc_runtime_measurement(const char *runtime, size_t i, const char **ret_measured);

/** Allow @p runtime's baseline in @p p (one Allow rule; a call the policy denies by a rule
 *  of its own stays denied). 0, or -EINVAL for an unknown runtime. */
SC_EXPORT int sc_policy_add_runtime_baseline(struct sc_policy *p, const char *runtime,
					     struct sc_diag *reterr);

/** Add @p runtime's baseline to @p r, by number alone on the native ABI. 0, or -EINVAL. */
SC_EXPORT int sc_recording_add_runtime(struct sc_recording *r, const char *runtime,
				       struct sc_diag *reterr);

/* ===================================================================== */
/* Functions: building a policy in memory                                */
/* ===================================================================== */

/*
 * A policy can be built from C values instead of text: no parsing, nothing to escape.
 *
 *	struct sc_groups *g;
 *	sc_groups_load(NULL, &g, &diag);                  // once; share it between policies
 *	struct sc_policy *p = sc_policy_new("<mine>", g);  // default KillProcess, no ABI
 *	sc_policy_add_arch(p, sc_arch_native());
 *	size_t r = sc_policy_add_rule(p, SC_RULE_SYSCALLS, (struct sc_action){ SC_ACT_ALLOW, 0 });
 *	sc_rule_add_name(p, r, "ioctl");
 *	sc_rule_add_cond(p, r, &(struct sc_cond){ .arg = "cmd", .op = SC_COND_EQ, .value = 0x5401 });
 *	sc_policy_compile(p, &f, &diag);                   // names are checked here, as for a file
 *	sc_policy_free(p);
 *	sc_groups_unref(g);
 */

/** The group database: the built-in groups and a --groups file (opaque, reference counted). */
struct sc_groups;

/**
 * Load the built-in groups, then @p opts->groups_file if set (only that field of @p opts is
 * read). Returns 0 with *@p ret holding one reference, or a negative errno with @p reterr filled.
 */
SC_EXPORT int sc_groups_load(const struct sc_load_options *opts, struct sc_groups **ret,
			     struct sc_diag *reterr);
/** Take one more reference; returns @p g. */
SC_EXPORT struct sc_groups *sc_groups_ref(struct sc_groups *g);
/** Drop a reference (NULL is fine); frees with the last one. Returns NULL. */
SC_EXPORT struct sc_groups *sc_groups_unref(struct sc_groups *g);
SC_EXPORT size_t sc_groups_count(const struct sc_groups *g);
/** Name of group @p i (in definition order), its description into @p ret_description if not NULL. */
SC_EXPORT const char *sc_groups_at(const struct sc_groups *g, size_t i, const char **ret_description);
SC_EXPORT bool sc_groups_has(const struct sc_groups *g, const char *name);
/** Warnings from reading the group file (a group overriding a built-in one …). */
SC_EXPORT size_t sc_groups_warning_count(const struct sc_groups *g);
SC_EXPORT const struct sc_diag *sc_groups_warning(const struct sc_groups *g, size_t i);

/**
 * An empty policy named @p name (for diagnostics and export headers; NULL: "<built>"), its
 * rules' groups looked up in @p groups (a reference is taken; NULL: no groups). Default
 * action KillProcess, no architecture (compiling then means the native one), no flags.
 * Free with sc_policy_free().
 */
SC_EXPORT struct sc_policy *sc_policy_new(const char *name, struct sc_groups *groups);
SC_EXPORT void sc_policy_set_default(struct sc_policy *p, struct sc_action a);
/** The action for calls from ABIs the policy does not list (`bad_arch_action`). */
SC_EXPORT void sc_policy_set_bad_arch(struct sc_policy *p, struct sc_action a);
/** Add an ABI the policy covers (once; a second add of the same does nothing). */
SC_EXPORT void sc_policy_add_arch(struct sc_policy *p, const struct sc_arch *arch);
/** enum sc_filter_flags the policy asks for. */
SC_EXPORT void sc_policy_set_flags(struct sc_policy *p, unsigned flags);

/**
 * Retarget @p p at the ABIs @p arches (@p n of them, 1..64), replacing those it lists: the
 * same policy, by syscall and argument name, for other ABIs (`compile --arch`, `record
 * --arch`). A condition given by argument index is read on the policy's first ABI (the native
 * one when it lists none) and named where that parameter travels in another register on a
 * target (clone's clone_flags on s390x). Syscalls a target lacks drop out there; a warning per
 * target lists them, with what programs call there instead (open → openat).
 * @return 0, or -EINVAL with @p reterr filled: a condition a target cannot carry (a 64-bit
 * parameter, or one after it, on a 32-bit ABI the policy did not list); @p p is then only
 * fit to be freed.
 */
SC_EXPORT int sc_policy_retarget(struct sc_policy *p, const struct sc_arch *const *arches, size_t n,
				 struct sc_diag *reterr);

/**
 * What @p o says about a policy's compiling, as sc_policy_load_buffer() applies it: the
 * flags SC_LOAD_ALLOW_UNKNOWN, SC_LOAD_MUX_ALLOW, SC_LOAD_ENOSYS_UNKNOWN, enosys_after and
 * weights_file (the other fields are about reading files). 0, or -EINVAL for a bad kernel
 * version or weights file (reterr names its line), -ENOENT … when it cannot be read.
 */
SC_EXPORT int sc_policy_set_options(struct sc_policy *p, const struct sc_load_options *o,
				    struct sc_diag *reterr);

/** What a rule's names are. */
enum sc_rule_names {
	SC_RULE_SYSCALLS = 0, /**< syscall names (`[[syscalls]]`) */
	SC_RULE_GROUPS   = 1, /**< group names (`[[abstract_syscalls]]`) */
};

/** Append a rule taking @p a; returns its index, for sc_rule_add_name() and sc_rule_add_cond(). */
SC_EXPORT size_t sc_policy_add_rule(struct sc_policy *p, enum sc_rule_names kind, struct sc_action a);
/** Add @p name (copied) to rule @p rule. 0, or -EINVAL for no such rule. */
SC_EXPORT int sc_rule_add_name(struct sc_policy *p, size_t rule, const char *name);

/** Condition operators (a policy's `type`). */
enum sc_cond_op {
	SC_COND_EQ = 0,        /**< equals */
	SC_COND_NE,            /**< not_equals */
	SC_COND_LT,            /**< less_than */
	SC_COND_LE,            /**< less_or_equal */
	SC_COND_GT,            /**< greater_than */
	SC_COND_GE,            /**< greater_or_equal */
	SC_COND_MASKED_EQ,     /**< masked_equals: (arg & mask) == value */
	SC_COND_BITS_ALL,      /**< bitmask_all: every bit of value set */
	SC_COND_BITS_ANY,      /**< bitmask_any: at least one bit of value set */
	SC_COND_BITS_NONE,     /**< bitmask_none: no bit of value set */
	SC_COND_FLAGS_SUBSET,  /**< flags_subset: no bit outside value set */
};

/** A condition on one argument; zero-initialise and set what you need. */
struct sc_cond {
	const char *arg;        /**< the kernel's parameter name ("cmd"), or NULL to use @p index */
	int index;              /**< argument index 0..5, when @p arg is NULL */
	enum sc_cond_op op;
	uint64_t value;         /**< used when @p value_expr is NULL */
	uint64_t mask;          /**< SC_COND_MASKED_EQ; used when @p mask_expr is NULL */
	const char *value_expr; /**< or constants and integers: "O_WRONLY|O_CREAT" (checked at compile) */
	const char *mask_expr;
};

/** Add condition @p c (copied; conditions of a rule are ANDed). 0, or -EINVAL (no such rule,
 *  unknown operator, index outside 0..5). Names and constants are checked when compiled. */
SC_EXPORT int sc_rule_add_cond(struct sc_policy *p, size_t rule, const struct sc_cond *c);

/** @p p as our TOML (NUL-terminated, caller frees), which loads back to the same policy.
 *  0, or -ENOMEM. */
SC_EXPORT int sc_policy_write_toml(const struct sc_policy *p, char **ret_buf, size_t *ret_len);

/* ===================================================================== */
/* Functions: suggestions                                                */
/* ===================================================================== */

/**
 * Pick the names in @p candidates closest to @p word (git's "did you mean":
 * a prefix match first, then a weighted edit distance with a cutoff).
 * @param word       the unknown word
 * @param candidates the names to choose from
 * @param n          length of @p candidates
 * @param ret_best   receives up to @p max pointers into @p candidates, best first
 * @param max        capacity of @p ret_best
 * @return the number of suggestions written (0 when nothing is close)
 */
SC_EXPORT size_t sc_suggest(const char *word, const char *const *candidates, size_t n,
			    const char **ret_best, size_t max);

/**
 * Suggest syscall names close to @p word, from @p arch's table (all tables
 * when @p arch is NULL). Same contract as sc_suggest().
 */
SC_EXPORT size_t sc_syscall_suggest(const struct sc_arch *arch, const char *word,
				    const char **ret_best, size_t max);

/** Suggest constant names close to @p word. Same contract as sc_suggest(). */
SC_EXPORT size_t sc_constant_suggest(const char *word, const char **ret_best, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* SECCOMPOSE_H */
