/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-sim.c — the userspace seccomp BPF interpreter, validator and disassembler.
 *
 * Everything here follows the kernel, not the BPF manual: the opcodes are exactly those
 * seccomp_check_filter() lists (no `mod`, no byte or half-word loads, no `ret x`), the
 * structural checks are bpf_check_classic()'s including its scratch-memory dataflow, and
 * the run-time corner cases are those of the kernel's translation to eBPF (A and X start
 * at 0, dividing by a zero X returns 0, a shift by X uses its low 5 bits).
 * tests/sim/test-sim-vs-kernel.c holds us to that against the running kernel.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/bpf-sim.h"
#include "seccompose.h"


/* clang-format off */
/* How an instruction's operand reads, for the disassembler and the checks. */
enum operand {
	OPND_NONE, /* tax, txa, neg */
	OPND_K,    /* #k */
	OPND_X,    /* x */
	OPND_ABS,  /* [k]: a word of seccomp_data */
	OPND_IND,  /* [x + k] */
	OPND_MSH,  /* 4*([k]&0xf) */
	OPND_LEN,  /* len: the size of the data, 64 for seccomp */
	OPND_MEM,  /* M[k]: scratch memory */
	OPND_JA,   /* target pc + 1 + k */
	OPND_JK,   /* #k, jt, jf */
	OPND_JX,   /* x, jt, jf */
	OPND_RETK, /* an action */
	OPND_RETA, /* a */
};

/* A constraint on k beyond the operand's own (bpf_check_classic()'s special cases). */
enum kcheck {
	KCHECK_NONE,
	KCHECK_NONZERO, /* a constant divisor */
	KCHECK_SHIFT,   /* a constant shift: below 32 */
};

struct opcode {
	uint16_t code;
	const char *name;
	enum operand operand;
	enum kcheck kcheck;
	bool seccomp; /* listed in the kernel's seccomp_check_filter() */
};

/*
 * Every opcode bpf_check_classic() accepts, grouped by class as its codes[] table is (ALU,
 * LD, LDX, ST, MISC, RET, JMP); lookups are linear, so the order is for people. The
 * validator accepts exactly the `seccomp` rows: tests/sim/test-sim-vs-kernel.c tries all
 * 512 low opcodes against the kernel. The ones seccomp refuses are here so the disassembler
 * can name them and the checker can say which instruction seccomp refuses rather than
 * "unknown opcode".
 */
static const struct opcode opcodes[] = {
	{ BPF_ALU | BPF_ADD | BPF_K,  "add",  OPND_K,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_ADD | BPF_X,  "add",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_SUB | BPF_K,  "sub",  OPND_K,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_SUB | BPF_X,  "sub",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_MUL | BPF_K,  "mul",  OPND_K,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_MUL | BPF_X,  "mul",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_DIV | BPF_K,  "div",  OPND_K,    KCHECK_NONZERO, true },
	{ BPF_ALU | BPF_DIV | BPF_X,  "div",  OPND_X,    KCHECK_NONE,    true },
	/* Classic BPF has had `mod` since 3.7; seccomp's list never took it (a kernel test
	 * confirms: EINVAL). */
	{ BPF_ALU | BPF_MOD | BPF_K,  "mod",  OPND_K,    KCHECK_NONZERO, false },
	{ BPF_ALU | BPF_MOD | BPF_X,  "mod",  OPND_X,    KCHECK_NONE,    false },
	{ BPF_ALU | BPF_AND | BPF_K,  "and",  OPND_K,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_AND | BPF_X,  "and",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_OR | BPF_K,   "or",   OPND_K,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_OR | BPF_X,   "or",   OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_XOR | BPF_K,  "xor",  OPND_K,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_XOR | BPF_X,  "xor",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_LSH | BPF_K,  "lsh",  OPND_K,    KCHECK_SHIFT,   true },
	{ BPF_ALU | BPF_LSH | BPF_X,  "lsh",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_RSH | BPF_K,  "rsh",  OPND_K,    KCHECK_SHIFT,   true },
	{ BPF_ALU | BPF_RSH | BPF_X,  "rsh",  OPND_X,    KCHECK_NONE,    true },
	{ BPF_ALU | BPF_NEG,          "neg",  OPND_NONE, KCHECK_NONE,    true },
	{ BPF_LD | BPF_W | BPF_ABS,   "ld",   OPND_ABS,  KCHECK_NONE,    true },
	{ BPF_LD | BPF_H | BPF_ABS,   "ldh",  OPND_ABS,  KCHECK_NONE,    false },
	{ BPF_LD | BPF_B | BPF_ABS,   "ldb",  OPND_ABS,  KCHECK_NONE,    false },
	{ BPF_LD | BPF_W | BPF_LEN,   "ld",   OPND_LEN,  KCHECK_NONE,    true },
	{ BPF_LD | BPF_W | BPF_IND,   "ld",   OPND_IND,  KCHECK_NONE,    false },
	{ BPF_LD | BPF_H | BPF_IND,   "ldh",  OPND_IND,  KCHECK_NONE,    false },
	{ BPF_LD | BPF_B | BPF_IND,   "ldb",  OPND_IND,  KCHECK_NONE,    false },
	{ BPF_LD | BPF_IMM,           "ld",   OPND_K,    KCHECK_NONE,    true },
	{ BPF_LD | BPF_MEM,           "ld",   OPND_MEM,  KCHECK_NONE,    true },
	{ BPF_LDX | BPF_W | BPF_IMM,  "ldx",  OPND_K,    KCHECK_NONE,    true },
	{ BPF_LDX | BPF_W | BPF_LEN,  "ldx",  OPND_LEN,  KCHECK_NONE,    true },
	{ BPF_LDX | BPF_B | BPF_MSH,  "ldxb", OPND_MSH,  KCHECK_NONE,    false },
	{ BPF_LDX | BPF_MEM,          "ldx",  OPND_MEM,  KCHECK_NONE,    true },
	{ BPF_ST,                     "st",   OPND_MEM,  KCHECK_NONE,    true },
	{ BPF_STX,                    "stx",  OPND_MEM,  KCHECK_NONE,    true },
	{ BPF_MISC | BPF_TAX,         "tax",  OPND_NONE, KCHECK_NONE,    true },
	{ BPF_MISC | BPF_TXA,         "txa",  OPND_NONE, KCHECK_NONE,    true },
	{ BPF_RET | BPF_K,            "ret",  OPND_RETK, KCHECK_NONE,    true },
	{ BPF_RET | BPF_A,            "ret",  OPND_RETA, KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JA,           "ja",   OPND_JA,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JEQ | BPF_K,  "jeq",  OPND_JK,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JEQ | BPF_X,  "jeq",  OPND_JX,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JGE | BPF_K,  "jge",  OPND_JK,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JGE | BPF_X,  "jge",  OPND_JX,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JGT | BPF_K,  "jgt",  OPND_JK,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JGT | BPF_X,  "jgt",  OPND_JX,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JSET | BPF_K, "jset", OPND_JK,   KCHECK_NONE,    true },
	{ BPF_JMP | BPF_JSET | BPF_X, "jset", OPND_JX,   KCHECK_NONE,    true },
};
#define N_OPCODES (sizeof(opcodes) / sizeof(opcodes[0]))

/* The kernel's spelling of each action (not action.c's policy spelling: "USER_NOTIF",
 * not "Notify"), and whether the kernel reads the low 16 bits as data. */
static const struct {
	uint32_t ret;
	const char *name;
	bool data;
} actions[] = {
	{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS", false },
	{ SECCOMP_RET_KILL_THREAD,  "KILL_THREAD",  false },
	{ SECCOMP_RET_TRAP,         "TRAP",         true },
	{ SECCOMP_RET_ERRNO,        "ERRNO",        true },
	{ SECCOMP_RET_USER_NOTIF,   "USER_NOTIF",   false },
	{ SECCOMP_RET_TRACE,        "TRACE",        true },
	{ SECCOMP_RET_LOG,          "LOG",          false },
	{ SECCOMP_RET_ALLOW,        "ALLOW",        false },
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* The kernel's names for audit arch values; the ones older headers lack are guarded. */
#define AUDIT_NAME(n) { AUDIT_ARCH_##n, "AUDIT_ARCH_" #n }
static const struct {
	uint32_t value;
	const char *name;
} audit_names[] = {
	AUDIT_NAME(X86_64),   AUDIT_NAME(I386),      AUDIT_NAME(AARCH64),     AUDIT_NAME(ARM),
	AUDIT_NAME(ARMEB),    AUDIT_NAME(MIPS),      AUDIT_NAME(MIPSEL),      AUDIT_NAME(MIPS64),
	AUDIT_NAME(MIPSEL64), AUDIT_NAME(MIPS64N32), AUDIT_NAME(MIPSEL64N32), AUDIT_NAME(PPC),
	AUDIT_NAME(PPC64),    AUDIT_NAME(PPC64LE),   AUDIT_NAME(S390),        AUDIT_NAME(S390X),
	AUDIT_NAME(PARISC),   AUDIT_NAME(PARISC64),  AUDIT_NAME(SPARC),       AUDIT_NAME(SPARC64),
#ifdef AUDIT_ARCH_RISCV64
	AUDIT_NAME(RISCV32),  AUDIT_NAME(RISCV64),
#endif
#ifdef AUDIT_ARCH_LOONGARCH64
	AUDIT_NAME(LOONGARCH64),
#endif
};
#define N_AUDIT_NAMES (sizeof(audit_names) / sizeof(audit_names[0]))
/* clang-format on */

static const struct opcode *find_opcode(uint16_t code)
{
	for (size_t i = 0; i < N_OPCODES; i++)
		if (opcodes[i].code == code)
			return &opcodes[i];
	return NULL;
}

static bool is_cond_jump(const struct opcode *op)
{
	return op && (op->operand == OPND_JK || op->operand == OPND_JX);
}

/* ===================================================================== */
/* Validation                                                            */
/* ===================================================================== */

__attribute__((format(printf, 3, 4))) static int reject(char *err, size_t errlen, const char *fmt,
							...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The per-instruction checks, in bpf_check_classic() then seccomp_check_filter() order. */
static int check_insn(const struct sock_filter *prog, size_t len, size_t pc, char *err,
		      size_t errlen)
{
	const struct sock_filter *f = &prog[pc];
	const struct opcode *op = find_opcode(f->code);
	size_t left = len - pc - 1; /* instructions after this one */

	if (!op)
		return reject(err, errlen, "insn %zu: unknown opcode 0x%04x", pc, f->code);
	if (!op->seccomp)
		return reject(err, errlen,
			      "insn %zu: '%s' (opcode 0x%04x) is not allowed in seccomp filters",
			      pc, op->name, f->code);
	if (op->kcheck == KCHECK_NONZERO && f->k == 0)
		return reject(err, errlen, "insn %zu: division by constant 0", pc);
	if (op->kcheck == KCHECK_SHIFT && f->k >= 32)
		return reject(err, errlen, "insn %zu: shift by %u, expected 0 to 31", pc, f->k);

	switch (op->operand) {
	case OPND_MEM:
		if (f->k >= BPF_MEMWORDS)
			return reject(
			    err, errlen,
			    "insn %zu: scratch memory M[%u] out of range, expected M[0] to M[%d]",
			    pc, f->k, BPF_MEMWORDS - 1);
		break;
	case OPND_JA:
		/* k is unsigned 32 bits: a "negative" offset is how a backward jump would be
		 * spelled, and the kernel refuses it with the same test as a long one. */
		if (f->k >= 0x80000000U)
			return reject(err, errlen, "insn %zu: backward jump (ja offset %d)", pc,
				      (int)(int32_t)f->k);
		if (f->k >= left)
			return reject(err, errlen,
				      "insn %zu: jump to %zu is past the last instruction %zu", pc,
				      pc + 1 + (size_t)f->k, len - 1);
		break;
	case OPND_JK:
	case OPND_JX:
		if (f->jt >= left)
			return reject(err, errlen,
				      "insn %zu: jt target %zu is past the last instruction %zu",
				      pc, pc + 1 + f->jt, len - 1);
		if (f->jf >= left)
			return reject(err, errlen,
				      "insn %zu: jf target %zu is past the last instruction %zu",
				      pc, pc + 1 + f->jf, len - 1);
		break;
	case OPND_ABS:
		if (f->k >= sizeof(struct seccomp_data))
			return reject(
			    err, errlen,
			    "insn %zu: load of offset %u is outside seccomp_data (%zu bytes)", pc,
			    f->k, sizeof(struct seccomp_data));
		if (f->k & 3)
			return reject(
			    err, errlen,
			    "insn %zu: misaligned load of offset %u, expected a multiple of 4", pc,
			    f->k);
		break;
	case OPND_NONE:
	case OPND_K:
	case OPND_X:
	case OPND_IND:
	case OPND_MSH:
	case OPND_LEN:
	case OPND_RETK:
	case OPND_RETA:
		break;
	}
	return 0;
}

/*
 * bpf_check_classic()'s check_load_and_stores(), step for step: one valid bit per scratch
 * word, ANDed into every jump target, reset to "all valid" after a jump (what follows a
 * jump is reached only through jumps, which brought their own mask). Being the kernel's
 * and not a stricter analysis matters: it falls through a `ret` with its bits intact, and
 * we must accept what it accepts.
 */
static int check_memory(const struct sock_filter *prog, size_t len, char *err, size_t errlen)
{
	uint16_t masks[BPF_MAXINSNS];
	uint16_t valid = 0;

	memset(masks, 0xff, len * sizeof(masks[0]));
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		const struct opcode *op = find_opcode(f->code);

		valid &= masks[pc];
		switch (f->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= (uint16_t)(1U << f->k);
			continue;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1U << f->k)))
				return reject(err, errlen,
					      "insn %zu: '%s M[%u]' reads scratch memory that is "
					      "not written on every path to it",
					      pc, op->name, f->k);
			continue;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + f->k] &= valid;
			valid = 0xffff;
			continue;
		default:
			break;
		}
		if (is_cond_jump(op)) {
			masks[pc + 1 + f->jt] &= valid;
			masks[pc + 1 + f->jf] &= valid;
			valid = 0xffff;
		}
	}
	return 0;
}

int bpf_sim_check(const struct sock_filter *prog, size_t len, char *err, size_t errlen)
{
	const struct sock_filter *last;
	const struct opcode *op;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (len == 0 || !prog)
		return reject(err, errlen, "empty program");
	if (len > BPF_MAXINSNS)
		return reject(err, errlen, "program of %zu instructions, expected at most %d", len,
			      BPF_MAXINSNS);
	for (size_t pc = 0; pc < len; pc++) {
		r = check_insn(prog, len, pc, err, errlen);
		if (r < 0)
			return r;
	}
	last = &prog[len - 1];
	if (BPF_CLASS(last->code) != BPF_RET) {
		op = find_opcode(last->code);
		return reject(err, errlen, "insn %zu: last instruction must be 'ret', found '%s'",
			      len - 1, op->name);
	}
	return check_memory(prog, len, err, errlen);
}

/* ===================================================================== */
/* Interpreter                                                           */
/* ===================================================================== */

uint32_t bpf_sim_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d)
{
	return bpf_sim_run_count(prog, len, d, NULL);
}

uint32_t bpf_sim_run_count(const struct sock_filter *prog, size_t len, const struct seccomp_data *d,
			   size_t *ret_steps)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
	size_t pc = 0;

	if (ret_steps)
		*ret_steps = 0;

	/* Every bounds test below is dead code for a checked program; they make an
	 * unchecked one fail closed instead of reading out of bounds. */
	/* One line per opcode: it reads as the table it is. */
	/* clang-format off */
	while (pc < len) {
		const struct sock_filter *f = &prog[pc++];
		uint32_t k = f->k;

		if (ret_steps)
			(*ret_steps)++;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k >= sizeof(*d) || (k & 3))
				return SECCOMP_RET_KILL_PROCESS;
			/* The kernel reads a host-order word at that offset (seccomp_bpf_load). */
			memcpy(&A, (const char *)d + k, sizeof(A));
			break;
		case BPF_LD | BPF_W | BPF_LEN:
			A = sizeof(*d);
			break;
		case BPF_LDX | BPF_W | BPF_LEN:
			X = sizeof(*d);
			break;
		case BPF_LD | BPF_IMM:
			A = k;
			break;
		case BPF_LDX | BPF_IMM:
			X = k;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return SECCOMP_RET_KILL_PROCESS;
			if (f->code == BPF_ST)
				M[k] = A;
			else if (f->code == BPF_STX)
				M[k] = X;
			else if (f->code == (BPF_LD | BPF_MEM))
				A = M[k];
			else
				X = M[k];
			break;
		case BPF_ALU | BPF_ADD | BPF_K: A += k; break;
		case BPF_ALU | BPF_ADD | BPF_X: A += X; break;
		case BPF_ALU | BPF_SUB | BPF_K: A -= k; break;
		case BPF_ALU | BPF_SUB | BPF_X: A -= X; break;
		case BPF_ALU | BPF_MUL | BPF_K: A *= k; break;
		case BPF_ALU | BPF_MUL | BPF_X: A *= X; break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (k == 0)
				return SECCOMP_RET_KILL_PROCESS;
			A /= k;
			break;
		case BPF_ALU | BPF_DIV | BPF_X:
			/* convert_filter() emits "if X == 0 return 0" before the division. */
			if (X == 0)
				return 0;
			A /= X;
			break;
		case BPF_ALU | BPF_AND | BPF_K: A &= k; break;
		case BPF_ALU | BPF_AND | BPF_X: A &= X; break;
		case BPF_ALU | BPF_OR | BPF_K:  A |= k; break;
		case BPF_ALU | BPF_OR | BPF_X:  A |= X; break;
		case BPF_ALU | BPF_XOR | BPF_K: A ^= k; break;
		case BPF_ALU | BPF_XOR | BPF_X: A ^= X; break;
		case BPF_ALU | BPF_LSH | BPF_K:
			if (k >= 32)
				return SECCOMP_RET_KILL_PROCESS;
			A <<= k;
			break;
		case BPF_ALU | BPF_RSH | BPF_K:
			if (k >= 32)
				return SECCOMP_RET_KILL_PROCESS;
			A >>= k;
			break;
		/* A 32-bit eBPF shift by register: the interpreter masks with 31 and the x86
		 * JIT's shl/shr by %cl does the same. */
		case BPF_ALU | BPF_LSH | BPF_X: A <<= (X & 31); break;
		case BPF_ALU | BPF_RSH | BPF_X: A >>= (X & 31); break;
		case BPF_ALU | BPF_NEG:         A = 0U - A; break;
		case BPF_MISC | BPF_TAX:        X = A; break;
		case BPF_MISC | BPF_TXA:        A = X; break;
		case BPF_RET | BPF_K:           return k;
		case BPF_RET | BPF_A:           return A;
		case BPF_JMP | BPF_JA:
			if (k >= len - pc)
				return SECCOMP_RET_KILL_PROCESS;
			pc += k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:  pc += (A == k) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JEQ | BPF_X:  pc += (A == X) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K:  pc += (A > k) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_X:  pc += (A > X) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K:  pc += (A >= k) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_X:  pc += (A >= X) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (A & k) ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_X: pc += (A & X) ? f->jt : f->jf; break;
		default:
			return SECCOMP_RET_KILL_PROCESS;
		}
	}
	/* clang-format on */
	/* Falling off the end: bpf_sim_check() refuses such programs. */
	return SECCOMP_RET_KILL_PROCESS;
}

/* ===================================================================== */
/* Names                                                                 */
/* ===================================================================== */

const char *bpf_action_name(uint32_t ret, char *buf, size_t len)
{
	uint32_t full = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;

	for (size_t i = 0; i < N_ACTIONS; i++) {
		if (actions[i].ret != full)
			continue;
		if (actions[i].data)
			snprintf(buf, len, "%s(%u)", actions[i].name, data);
		else if (data)
			snprintf(buf, len, "%s|0x%x", actions[i].name, data);
		else
			snprintf(buf, len, "%s", actions[i].name);
		return buf;
	}
	snprintf(buf, len, "UNKNOWN(0x%08x)", ret);
	return buf;
}

static const char *audit_name(uint32_t value)
{
	for (size_t i = 0; i < N_AUDIT_NAMES; i++)
		if (audit_names[i].value == value)
			return audit_names[i].name;
	return NULL;
}

/* ===================================================================== */
/* Disassembler                                                          */
/* ===================================================================== */

#define DATA_NR	  offsetof(struct seccomp_data, nr)
#define DATA_ARCH offsetof(struct seccomp_data, arch)
#define DATA_IP	  offsetof(struct seccomp_data, instruction_pointer)
#define DATA_ARGS offsetof(struct seccomp_data, args)

/* What the disassembler knows on entry to an instruction, merged over every path in. */
struct fact {
	bool reached;
	int a; /* offset of the seccomp_data word A holds, or -1 */
	bool arch_known;
	uint32_t arch; /* the audit arch every path here has checked for */
};

static void merge(struct fact *to, const struct fact *from)
{
	if (!to->reached) {
		*to = *from;
		to->reached = true;
		return;
	}
	if (to->a != from->a)
		to->a = -1;
	if (!from->arch_known || (to->arch_known && to->arch != from->arch))
		to->arch_known = false;
}

/*
 * Propagate what A holds and which arch was checked, forward along every edge (jumps
 * only go forward, so one pass in index order sees every predecessor first). Programs
 * that fail the checks are walked too, ignoring targets past the end.
 */
static void analyse(const struct sock_filter *prog, size_t len, struct fact *facts)
{
	memset(facts, 0, len * sizeof(*facts));
	if (len)
		facts[0] = (struct fact){.reached = true, .a = -1};
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		const struct opcode *op = find_opcode(f->code);
		struct fact out = facts[pc];

		if (!out.reached)
			continue;
		if (op && op->operand == OPND_RETK)
			continue;
		if (op && op->operand == OPND_RETA)
			continue;
		if (f->code == (BPF_JMP | BPF_JA)) {
			if (f->k < len - pc - 1)
				merge(&facts[pc + 1 + f->k], &out);
			continue;
		}
		if (is_cond_jump(op)) {
			struct fact taken = out;
			if (f->code == (BPF_JMP | BPF_JEQ | BPF_K) && out.a == (int)DATA_ARCH) {
				taken.arch_known = true;
				taken.arch = f->k;
			}
			if ((size_t)f->jt < len - pc - 1)
				merge(&facts[pc + 1 + f->jt], &taken);
			if ((size_t)f->jf < len - pc - 1)
				merge(&facts[pc + 1 + f->jf], &out);
			continue;
		}
		/* Anything else that writes A makes it unknown; X and memory we do not track. */
		if (f->code == (BPF_LD | BPF_W | BPF_ABS))
			out.a = (int)f->k;
		else if (BPF_CLASS(f->code) == BPF_LD || BPF_CLASS(f->code) == BPF_ALU ||
			 f->code == (BPF_MISC | BPF_TXA))
			out.a = -1;
		if (pc + 1 < len)
			merge(&facts[pc + 1], &out);
	}
}

/* The byte order of the filter's data: the checked arch's (AUDIT_ARCH_LE), else ours. */
static bool little_endian(const struct fact *fact)
{
	if (fact->arch_known)
		return (fact->arch & __AUDIT_ARCH_LE) != 0;
	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}

/* "[nr]", "[args[1].lo]": the seccomp_data word at @k, or "[k]" when it is none. */
static void field_name(uint32_t k, const struct fact *fact, char *buf, size_t len)
{
	/* Which half of a 64-bit field sits at the lower address. */
	const char *first = little_endian(fact) ? "lo" : "hi";
	const char *second = little_endian(fact) ? "hi" : "lo";

	if (k & 3 || k >= sizeof(struct seccomp_data))
		snprintf(buf, len, "[%u]", k);
	else if (k == DATA_NR)
		snprintf(buf, len, "[nr]");
	else if (k == DATA_ARCH)
		snprintf(buf, len, "[arch]");
	else if (k < DATA_ARGS)
		snprintf(buf, len, "[ip.%s]", k == DATA_IP ? first : second);
	else
		snprintf(buf, len, "[args[%u].%s]", (k - (unsigned)DATA_ARGS) / 8,
			 (k - DATA_ARGS) % 8 == 0 ? first : second);
}

/* A constant: small ones in decimal, masks and large values in hex. */
static void number(uint32_t k, bool hex, char *buf, size_t len)
{
	if (hex || k >= 4096)
		snprintf(buf, len, "0x%x", k);
	else
		snprintf(buf, len, "%u", k);
}

/* "; execve" for a comparison of [nr] on a known arch ("; x32 read" on a shared one). */
static void syscall_note(const struct sock_filter *f, const struct fact *fact, char *buf,
			 size_t len)
{
	const struct sc_arch *arch;
	const struct sc_syscall *sys;

	buf[0] = '\0';
	if (fact->a != (int)DATA_NR || !fact->arch_known || BPF_OP(f->code) == BPF_JSET)
		return;
	arch = sc_arch_by_audit(fact->arch, f->k);
	sys = arch ? sc_syscall_by_nr(arch, f->k) : NULL;
	if (!sys)
		return;
	if (arch->nr_bit)
		snprintf(buf, len, "%s %s", arch->name, sys->name);
	else
		snprintf(buf, len, "%s", sys->name);
}

/* Columns of a disassembly line: "  12: jeq  #59        jt 13    jf 14     ; execve". */
#define COL_OPERAND 11
#define COL_JUMP    36
#define COL_NOTE    56

/* Append to @line (a buffer of LINE_MAX_LEN) after padding it with spaces to @col. */
#define LINE_MAX_LEN 256
__attribute__((format(printf, 3, 4))) static void append(char *line, size_t col, const char *fmt,
							 ...)
{
	size_t n = strlen(line);
	va_list ap;

	while (n < col && n + 1 < LINE_MAX_LEN)
		line[n++] = ' ';
	line[n] = '\0';
	va_start(ap, fmt);
	vsnprintf(line + n, LINE_MAX_LEN - n, fmt, ap);
	va_end(ap);
}

static void disasm_insn(const struct sock_filter *prog, size_t pc, const struct fact *fact,
			FILE *out)
{
	const struct sock_filter *f = &prog[pc];
	const struct opcode *op = find_opcode(f->code);
	char line[LINE_MAX_LEN] = "", opnd[64] = "", num[32], note[96] = "";
	const char *an;
	bool hex;

	if (!op) {
		snprintf(line, sizeof(line), "%4zu: .insn code=0x%04x jt=%u jf=%u k=0x%08x", pc,
			 f->code, f->jt, f->jf, f->k);
		append(line, COL_NOTE, "; unknown opcode");
		fprintf(out, "%s\n", line);
		return;
	}
	switch (op->operand) {
	case OPND_NONE:
		break;
	case OPND_K:
		/* Bit operations read better in hex. */
		hex = BPF_CLASS(f->code) == BPF_ALU &&
		      (BPF_OP(f->code) == BPF_AND || BPF_OP(f->code) == BPF_OR ||
		       BPF_OP(f->code) == BPF_XOR);
		number(f->k, hex, num, sizeof(num));
		snprintf(opnd, sizeof(opnd), "#%s", num);
		break;
	case OPND_X:
	case OPND_JX:
		snprintf(opnd, sizeof(opnd), "x");
		break;
	case OPND_ABS:
		if (op->seccomp)
			field_name(f->k, fact, opnd, sizeof(opnd));
		else
			snprintf(opnd, sizeof(opnd), "[%u]", f->k);
		break;
	case OPND_IND:
		snprintf(opnd, sizeof(opnd), "[x + %u]", f->k);
		break;
	case OPND_MSH:
		snprintf(opnd, sizeof(opnd), "4*([%u]&0xf)", f->k);
		break;
	case OPND_LEN:
		/* seccomp_check_filter() rewrites it to this constant. */
		snprintf(opnd, sizeof(opnd), "len");
		snprintf(note, sizeof(note), "%zu", sizeof(struct seccomp_data));
		break;
	case OPND_MEM:
		snprintf(opnd, sizeof(opnd), "M[%u]", f->k);
		break;
	case OPND_JA:
		snprintf(opnd, sizeof(opnd), "%zu", pc + 1 + (size_t)f->k);
		break;
	case OPND_JK:
		an = fact->a == (int)DATA_ARCH ? audit_name(f->k) : NULL;
		if (an) {
			snprintf(opnd, sizeof(opnd), "#%s", an);
		} else {
			hex = BPF_OP(f->code) == BPF_JSET || fact->a == (int)DATA_ARCH;
			number(f->k, hex, num, sizeof(num));
			snprintf(opnd, sizeof(opnd), "#%s", num);
		}
		syscall_note(f, fact, note, sizeof(note));
		break;
	case OPND_RETK:
		bpf_action_name(f->k, opnd, sizeof(opnd));
		break;
	case OPND_RETA:
		snprintf(opnd, sizeof(opnd), "a");
		break;
	}
	if (!op->seccomp)
		snprintf(note, sizeof(note), "not allowed in seccomp");

	snprintf(line, sizeof(line), "%4zu: %s", pc, op->name);
	if (opnd[0])
		append(line, COL_OPERAND, "%s", opnd);
	if (is_cond_jump(op)) {
		append(line, COL_JUMP, "jt %zu", pc + 1 + f->jt);
		append(line, COL_JUMP + 9, "jf %zu", pc + 1 + f->jf);
	}
	if (note[0])
		append(line, COL_NOTE, "; %s", note);
	fprintf(out, "%s\n", line);
}

int bpf_disasm(const struct sock_filter *prog, size_t len, FILE *out)
{
	struct fact *facts = calloc(len ? len : 1, sizeof(*facts));

	if (!facts)
		return -ENOMEM;
	analyse(prog, len, facts);
	for (size_t pc = 0; pc < len; pc++)
		disasm_insn(prog, pc, &facts[pc], out);
	free(facts);
	return ferror(out) ? -EIO : 0;
}
