/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/bpf/bpf-sim.c: every instruction the kernel lets seccomp use, the
 * programs it refuses (with our message, verbatim), and disassembly snapshots.
 * tests/sim/test-sim-vs-kernel.c checks the same interpreter against the kernel.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bpf/bpf-sim.h"


#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define OFF_NR    offsetof(struct seccomp_data, nr)
#define OFF_ARCH  offsetof(struct seccomp_data, arch)
#define OFF_IP    offsetof(struct seccomp_data, instruction_pointer)
#define OFF_ARG(i) (offsetof(struct seccomp_data, args) + 8 * (i))
/* The low and high words of args[i] in this host's layout. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define OFF_LO(i) OFF_ARG(i)
#define OFF_HI(i) (OFF_ARG(i) + 4)
#else
#define OFF_LO(i) (OFF_ARG(i) + 4)
#define OFF_HI(i) OFF_ARG(i)
#endif

#define LD(k)      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (k))
#define LDI(k)     BPF_STMT(BPF_LD | BPF_IMM, (k))
#define LDXI(k)    BPF_STMT(BPF_LDX | BPF_IMM, (k))
#define ALUK(op, k) BPF_STMT(BPF_ALU | (op) | BPF_K, (k))
#define ALUX(op)   BPF_STMT(BPF_ALU | (op) | BPF_X, 0)
#define RET(k)     BPF_STMT(BPF_RET | BPF_K, (k))
#define RETA       BPF_STMT(BPF_RET | BPF_A, 0)

static struct seccomp_data data(int nr, uint32_t arch, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch;
	d.instruction_pointer = 0x1122334455667788ULL;
	d.args[0] = a0;
	d.args[1] = a1;
	return d;
}

/* Check @prog (it must be valid) and run it. */
static uint32_t run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d)
{
	char err[256];
	int r = bpf_sim_check(prog, len, err, sizeof(err));

	if (r != 0)
		fail_msg("unexpectedly invalid: %s", err);
	return bpf_sim_run(prog, len, d);
}

/* Run a program that computes A and returns it. */
#define RUN_A(d, ...)                                                                   \
	({                                                                              \
		const struct sock_filter p_[] = { __VA_ARGS__, RETA };                  \
		run(p_, N(p_), (d));                                                    \
	})

static void loads(void **state)
{
	struct seccomp_data d = data(59, AUDIT_ARCH_X86_64, 0xaaaabbbbccccddddULL, 7);

	(void)state;
	assert_int_equal(RUN_A(&d, LD(OFF_NR)), 59);
	assert_int_equal(RUN_A(&d, LD(OFF_ARCH)), AUDIT_ARCH_X86_64);
	assert_int_equal(RUN_A(&d, LD(OFF_LO(0))), 0xccccdddd);
	assert_int_equal(RUN_A(&d, LD(OFF_HI(0))), 0xaaaabbbb);
	assert_int_equal(RUN_A(&d, LD(OFF_LO(1))), 7);
	assert_int_equal(RUN_A(&d, LD(OFF_HI(1))), 0);
	assert_int_equal(RUN_A(&d, LD(OFF_IP)), 0x55667788);
	assert_int_equal(RUN_A(&d, LD(60)), 0); /* args[5], last word */
	assert_int_equal(RUN_A(&d, LDI(0xdeadbeef)), 0xdeadbeef);
	/* `len` is the size of seccomp_data, to A and to X. */
	assert_int_equal(RUN_A(&d, BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0)), 64);
	assert_int_equal(RUN_A(&d, BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0)),
			 64);
	assert_int_equal(RUN_A(&d, LDXI(5), BPF_STMT(BPF_MISC | BPF_TXA, 0)), 5);
	assert_int_equal(RUN_A(&d, LDI(9), BPF_STMT(BPF_MISC | BPF_TAX, 0), LDI(0), ALUX(BPF_ADD)), 9);
	/* A and X start at 0. */
	assert_int_equal(RUN_A(&d, ALUK(BPF_ADD, 0)), 0);
	assert_int_equal(RUN_A(&d, BPF_STMT(BPF_MISC | BPF_TXA, 0)), 0);
}

static void scratch_memory(void **state)
{
	struct seccomp_data d = data(1, 0, 0, 0);

	(void)state;
	assert_int_equal(RUN_A(&d, LDI(11), BPF_STMT(BPF_ST, 0), LDI(22), BPF_STMT(BPF_ST, 15), LDI(0),
			       BPF_STMT(BPF_LD | BPF_MEM, 0), BPF_STMT(BPF_LDX | BPF_MEM, 15), ALUX(BPF_ADD)),
			 33);
	assert_int_equal(RUN_A(&d, LDXI(7), BPF_STMT(BPF_STX, 3), BPF_STMT(BPF_LD | BPF_MEM, 3)), 7);
}

static void alu(void **state)
{
	struct seccomp_data d = data(0, 0, 0, 0);
	static const struct {
		uint16_t op;
		uint32_t a, operand, result;
	} cases[] = {
		{ BPF_ADD, 0xffffffff, 2, 1 },             /* 32-bit wrap */
		{ BPF_SUB, 1, 2, 0xffffffff },
		{ BPF_MUL, 0x10000, 0x10001, 0x10000 },
		{ BPF_DIV, 100, 7, 14 },
		{ BPF_DIV, 0xffffffff, 2, 0x7fffffff },    /* unsigned */
		{ BPF_OR, 0xf0, 0x0f, 0xff },
		{ BPF_AND, 0xf0f0, 0xff00, 0xf000 },
		{ BPF_XOR, 0xff, 0x0f, 0xf0 },
		{ BPF_LSH, 1, 31, 0x80000000 },
		{ BPF_RSH, 0x80000000, 31, 1 },            /* logical, not arithmetic */
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(RUN_A(&d, LDI(cases[i].a), ALUK(cases[i].op, cases[i].operand)),
				 cases[i].result);
		assert_int_equal(RUN_A(&d, LDXI(cases[i].operand), LDI(cases[i].a), ALUX(cases[i].op)),
				 cases[i].result);
	}
	assert_int_equal(RUN_A(&d, LDI(5), BPF_STMT(BPF_ALU | BPF_NEG, 0)), 0xfffffffb);
	assert_int_equal(RUN_A(&d, LDI(0), BPF_STMT(BPF_ALU | BPF_NEG, 0)), 0);
	/* Division by a zero X ends the program with 0, as the kernel's eBPF translation does. */
	assert_int_equal(RUN_A(&d, LDXI(0), LDI(5), ALUX(BPF_DIV)), 0);
	/* Shifts by X use its low 5 bits. */
	assert_int_equal(RUN_A(&d, LDXI(33), LDI(1), ALUX(BPF_LSH)), 2);
	assert_int_equal(RUN_A(&d, LDXI(32), LDI(0x80), ALUX(BPF_RSH)), 0x80);
}

static void jumps(void **state)
{
	struct seccomp_data d = data(0, 0, 0, 0);
	/* A = k0, X = k1, then the jump: jt → return 1, jf → return 2. */
#define JUMP_PROG(code, a, x, k)                                                             \
	({                                                                                   \
		const struct sock_filter p_[] = { LDXI(x), LDI(a), BPF_JUMP((code), (k), 1, 0), \
						  RET(2), RET(1) };                          \
		run(p_, N(p_), &d);                                                          \
	})
	static const struct {
		uint16_t op;
		uint32_t a, b;
		uint32_t expect; /* 1 taken, 2 not */
	} cases[] = {
		{ BPF_JEQ, 5, 5, 1 },  { BPF_JEQ, 5, 6, 2 },
		{ BPF_JGT, 6, 5, 1 },  { BPF_JGT, 5, 5, 2 },
		{ BPF_JGT, 0x80000000, 1, 1 }, /* unsigned */
		{ BPF_JGE, 5, 5, 1 },  { BPF_JGE, 4, 5, 2 },
		{ BPF_JSET, 0x12, 0x02, 1 }, { BPF_JSET, 0x12, 0x01, 2 },
		{ BPF_JSET, 0x12, 0, 2 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(JUMP_PROG(BPF_JMP | cases[i].op | BPF_K, cases[i].a, 0, cases[i].b),
				 cases[i].expect);
		assert_int_equal(JUMP_PROG(BPF_JMP | cases[i].op | BPF_X, cases[i].a, cases[i].b, 0),
				 cases[i].expect);
	}
	{
		/* ja over two instructions; conditional offsets are relative to the next one */
		const struct sock_filter p[] = {
			BPF_STMT(BPF_JMP | BPF_JA, 2), RET(1), RET(2),
			LDI(3), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 2, 0), RET(3), RET(4), RET(5),
		};
		assert_int_equal(run(p, N(p), &d), 5);
	}
	{
		/* jt == jf: both ways land on the same instruction */
		const struct sock_filter p[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 1), RET(1), RET(2) };
		assert_int_equal(run(p, N(p), &d), 2);
	}
#undef JUMP_PROG
}

static void returns(void **state)
{
	struct seccomp_data d = data(0, 0, 0, 0);
	const struct sock_filter k[] = { RET(SECCOMP_RET_ERRNO | 13) };
	const struct sock_filter a[] = { LDI(SECCOMP_RET_TRACE | 7), RETA };

	(void)state;
	assert_int_equal(run(k, 1, &d), SECCOMP_RET_ERRNO | 13);
	assert_int_equal(run(a, 2, &d), SECCOMP_RET_TRACE | 7);
}

/* A small allow-list on x86_64 with an argument check, as a policy compiles to. */
static const struct sock_filter allowlist[] = {
	LD(OFF_ARCH),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LD(OFF_NR),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 6, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 7, 0),     /* read */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 59, 3, 0),    /* execve */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 16, 0, 4),    /* ioctl */
	LD(OFF_LO(1)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x5401, 3, 2), /* TCGETS */
	RET(SECCOMP_RET_ERRNO | 1),
	RET(SECCOMP_RET_KILL_PROCESS),
	RET(SECCOMP_RET_ERRNO | 38),
	RET(SECCOMP_RET_ALLOW),
};

static void a_policy(void **state)
{
	static const struct {
		int nr;
		uint32_t arch;
		uint64_t a1;
		uint32_t expect;
	} cases[] = {
		{ 0, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_ALLOW },
		{ 59, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_ERRNO | 1 },
		{ 16, AUDIT_ARCH_X86_64, 0x5401, SECCOMP_RET_ALLOW },
		/* only the low word is compared: high garbage does not matter */
		{ 16, AUDIT_ARCH_X86_64, 0xffffffff00005401ULL, SECCOMP_RET_ALLOW },
		{ 16, AUDIT_ARCH_X86_64, 0x5402, SECCOMP_RET_ERRNO | 38 },
		{ 1, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_ERRNO | 38 },
		{ 0x40000000, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_KILL_PROCESS },
		{ 0, AUDIT_ARCH_I386, 0, SECCOMP_RET_KILL_PROCESS },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct seccomp_data d = data(cases[i].nr, cases[i].arch, 0, cases[i].a1);
		assert_int_equal(run(allowlist, N(allowlist), &d), cases[i].expect);
	}
}

/* ---- programs the kernel refuses ---- */

struct bad {
	const char *what;
	struct sock_filter insns[6];
	size_t len;
	const char *message;
};

static const struct bad bad_programs[] = {
	{ "backward jump", { LDI(0), BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)-2), RET(0) }, 3,
	  "insn 1: backward jump (ja offset -2)" },
	{ "ja out of range", { BPF_STMT(BPF_JMP | BPF_JA, 1), RET(0) }, 2,
	  "insn 0: jump to 2 is past the last instruction 1" },
	{ "jt out of range", { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0), RET(0), RET(1) }, 3,
	  "insn 0: jt target 3 is past the last instruction 2" },
	{ "jf out of range", { BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1), RET(0) }, 2,
	  "insn 0: jf target 2 is past the last instruction 1" },
	{ "jump onto the end", { BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 0) }, 1,
	  "insn 0: jt target 1 is past the last instruction 0" },
	{ "missing final ret", { RET(0), LDI(1) }, 2,
	  "insn 1: last instruction must be 'ret', found 'ld'" },
	{ "final jump", { BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0), RET(0), ALUK(BPF_ADD, 1) }, 3,
	  "insn 2: last instruction must be 'ret', found 'add'" },
	{ "misaligned load", { LD(2), RETA }, 2,
	  "insn 0: misaligned load of offset 2, expected a multiple of 4" },
	{ "load past seccomp_data", { LD(64), RETA }, 2,
	  "insn 0: load of offset 64 is outside seccomp_data (64 bytes)" },
	{ "huge load offset", { LD(0xfffff000), RETA }, 2,
	  "insn 0: load of offset 4294963200 is outside seccomp_data (64 bytes)" },
	{ "division by constant 0", { LDI(1), ALUK(BPF_DIV, 0), RETA }, 3,
	  "insn 1: division by constant 0" },
	{ "shift by 32", { LDI(1), ALUK(BPF_LSH, 32), RETA }, 3,
	  "insn 1: shift by 32, expected 0 to 31" },
	{ "rsh by 99", { LDI(1), ALUK(BPF_RSH, 99), RETA }, 3,
	  "insn 1: shift by 99, expected 0 to 31" },
	{ "uninitialised M[] read", { BPF_STMT(BPF_LD | BPF_MEM, 4), RETA }, 2,
	  "insn 0: 'ld M[4]' reads scratch memory that is not written on every path to it" },
	{ "M[] written on one branch only",
	  { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_ST, 2),
	    BPF_STMT(BPF_LDX | BPF_MEM, 2), RETA }, 4,
	  "insn 2: 'ldx M[2]' reads scratch memory that is not written on every path to it" },
	{ "scratch index 16", { LDI(0), BPF_STMT(BPF_ST, 16), RETA }, 3,
	  "insn 1: scratch memory M[16] out of range, expected M[0] to M[15]" },
	{ "mod", { LDI(7), ALUK(BPF_MOD, 2), RETA }, 3,
	  "insn 1: 'mod' (opcode 0x0094) is not allowed in seccomp filters" },
	{ "half-word load", { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), RETA }, 2,
	  "insn 0: 'ldh' (opcode 0x0028) is not allowed in seccomp filters" },
	{ "indirect load", { BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), RETA }, 2,
	  "insn 0: 'ld' (opcode 0x0040) is not allowed in seccomp filters" },
	{ "ret x", { BPF_STMT(BPF_RET | BPF_X, 0) }, 1, "insn 0: unknown opcode 0x000e" },
	{ "byte immediate", { BPF_STMT(BPF_LD | BPF_B | BPF_IMM, 0), RETA }, 2,
	  "insn 0: unknown opcode 0x0010" },
	{ "empty", { RET(0) }, 0, "empty program" },
};

static void invalid_programs(void **state)
{
	char err[256];

	(void)state;
	for (size_t i = 0; i < N(bad_programs); i++) {
		const struct bad *b = &bad_programs[i];
		int r = bpf_sim_check(b->insns, b->len, err, sizeof(err));
		if (r != -EINVAL || strcmp(err, b->message) != 0)
			fail_msg("%s: got %d '%s', expected '%s'", b->what, r, err, b->message);
		/* The interpreter still must not misbehave on them. */
		(void)bpf_sim_run(b->insns, b->len, &(struct seccomp_data){ 0 });
	}
}

static void too_long(void **state)
{
	size_t n = BPF_MAXINSNS + 1;
	struct sock_filter *p = calloc(n, sizeof(*p));
	char err[128];

	(void)state;
	for (size_t i = 0; i < n; i++)
		p[i] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	assert_int_equal(bpf_sim_check(p, BPF_MAXINSNS, err, sizeof(err)), 0);
	assert_int_equal(bpf_sim_check(p, n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "program of 4097 instructions, expected at most 4096");
	free(p);
}

/* The kernel's scratch-memory check is a specific dataflow; we accept what it accepts. */
static void memory_dataflow(void **state)
{
	char err[256];
	/* written on both branches */
	const struct sock_filter both[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2), BPF_STMT(BPF_ST, 1),
		BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_STX, 1), BPF_STMT(BPF_LD | BPF_MEM, 1), RETA,
	};
	/* the kernel carries its bits through a `ret` into the (unreachable) next insn */
	const struct sock_filter after_ret[] = {
		BPF_STMT(BPF_ST, 1), RET(0), BPF_STMT(BPF_LD | BPF_MEM, 1), RETA,
	};
	/* code after a ja that nothing jumps to is not checked against any path */
	const struct sock_filter dead[] = {
		BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_LD | BPF_MEM, 9), RET(0),
	};

	(void)state;
	assert_int_equal(bpf_sim_check(both, N(both), err, sizeof(err)), 0);
	assert_int_equal(bpf_sim_check(after_ret, N(after_ret), err, sizeof(err)), 0);
	assert_int_equal(bpf_sim_check(dead, N(dead), err, sizeof(err)), 0);
	/* NULL error buffer is allowed */
	assert_int_equal(bpf_sim_check(dead, 0, NULL, 0), -EINVAL);
}

static void unchecked_programs_fail_closed(void **state)
{
	struct seccomp_data d = data(0, 0, 0, 0);
	const struct sock_filter no_ret[] = { LDI(1) };
	const struct sock_filter far_ja[] = { BPF_STMT(BPF_JMP | BPF_JA, 0xffffffff), RET(0) };
	const struct sock_filter far_mem[] = { BPF_STMT(BPF_ST, 99), RET(0) };
	const struct sock_filter far_ld[] = { LD(4096), RET(0) };

	(void)state;
	assert_int_equal(bpf_sim_run(no_ret, N(no_ret), &d), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_sim_run(far_ja, N(far_ja), &d), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_sim_run(far_mem, N(far_mem), &d), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_sim_run(far_ld, N(far_ld), &d), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_sim_run(no_ret, 0, &d), SECCOMP_RET_KILL_PROCESS);
}

static void action_names(void **state)
{
	static const struct {
		uint32_t ret;
		const char *name;
	} cases[] = {
		{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS" },
		{ SECCOMP_RET_KILL_THREAD, "KILL_THREAD" },
		{ SECCOMP_RET_TRAP, "TRAP(0)" },
		{ SECCOMP_RET_ERRNO | 1, "ERRNO(1)" },
		{ SECCOMP_RET_ERRNO | 0xffff, "ERRNO(65535)" },
		{ SECCOMP_RET_USER_NOTIF, "USER_NOTIF" },
		{ SECCOMP_RET_TRACE | 7, "TRACE(7)" },
		{ SECCOMP_RET_LOG, "LOG" },
		{ SECCOMP_RET_ALLOW, "ALLOW" },
		{ SECCOMP_RET_ALLOW | 5, "ALLOW|0x5" },
		{ 0x12340000, "UNKNOWN(0x12340000)" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_string_equal(bpf_action_name(cases[i].ret, buf, sizeof(buf)), cases[i].name);
	/* truncation is safe */
	assert_string_equal(bpf_action_name(SECCOMP_RET_KILL_PROCESS, buf, 5), "KILL");
}

/* ---- disassembly snapshots ---- */

static char *disasm(const struct sock_filter *prog, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	assert_non_null(m);
	assert_int_equal(bpf_disasm(prog, len, m), 0);
	fclose(m);
	return buf;
}

static void assert_disasm(const struct sock_filter *prog, size_t len, const char *expect)
{
	char *got = disasm(prog, len);

	if (strcmp(got, expect) != 0) {
		print_error("got:\n%s\nexpected:\n%s\n", got, expect);
		free(got);
		fail();
	}
	free(got);
}

static void disasm_policy(void **state)
{
	(void)state;
	assert_disasm(allowlist, N(allowlist),
		      "   0: ld   [arch]\n"
		      "   1: jeq  #AUDIT_ARCH_X86_64       jt 3     jf 2\n"
		      "   2: ret  KILL_PROCESS\n"
		      "   3: ld   [nr]\n"
		      "   4: jge  #0x40000000              jt 11    jf 5       ; x32 read\n"
		      "   5: jeq  #0                       jt 13    jf 6       ; read\n"
		      "   6: jeq  #59                      jt 10    jf 7       ; execve\n"
		      "   7: jeq  #16                      jt 8     jf 12      ; ioctl\n"
		      "   8: ld   [args[1].lo]\n"
		      "   9: jeq  #0x5401                  jt 13    jf 12\n"
		      "  10: ret  ERRNO(1)\n"
		      "  11: ret  KILL_PROCESS\n"
		      "  12: ret  ERRNO(38)\n"
		      "  13: ret  ALLOW\n");
}

static void disasm_every_instruction(void **state)
{
	const struct sock_filter p[] = {
		LD(OFF_IP), LD(OFF_IP + 4), LD(OFF_HI(5)), LDI(5000),
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), LDXI(3),
		BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_STX, 1), BPF_STMT(BPF_LD | BPF_MEM, 0),
		BPF_STMT(BPF_LDX | BPF_MEM, 1),
		ALUK(BPF_ADD, 1), ALUX(BPF_SUB), ALUK(BPF_MUL, 3), ALUK(BPF_DIV, 2), ALUK(BPF_AND, 0xff),
		ALUK(BPF_OR, 1), ALUX(BPF_XOR), ALUK(BPF_LSH, 4), ALUX(BPF_RSH),
		BPF_STMT(BPF_ALU | BPF_NEG, 0), BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 1), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 1, 0),
		BPF_STMT(BPF_JMP | BPF_JA, 1),
		RET(SECCOMP_RET_TRAP | 2), RET(SECCOMP_RET_USER_NOTIF), RET(SECCOMP_RET_LOG),
		RET(SECCOMP_RET_TRACE), RET(SECCOMP_RET_KILL_THREAD), RETA,
		ALUK(BPF_MOD, 3), BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 1), { 0xffff, 1, 2, 3 },
	};

	(void)state;
	assert_disasm(p, N(p),
		      "   0: ld   [ip.lo]\n"
		      "   1: ld   [ip.hi]\n"
		      "   2: ld   [args[5].hi]\n"
		      "   3: ld   #0x1388\n"
		      "   4: ld   len                                          ; 64\n"
		      "   5: ldx  len                                          ; 64\n"
		      "   6: ldx  #3\n"
		      "   7: st   M[0]\n"
		      "   8: stx  M[1]\n"
		      "   9: ld   M[0]\n"
		      "  10: ldx  M[1]\n"
		      "  11: add  #1\n"
		      "  12: sub  x\n"
		      "  13: mul  #3\n"
		      "  14: div  #2\n"
		      "  15: and  #0xff\n"
		      "  16: or   #0x1\n"
		      "  17: xor  x\n"
		      "  18: lsh  #4\n"
		      "  19: rsh  x\n"
		      "  20: neg\n"
		      "  21: tax\n"
		      "  22: txa\n"
		      "  23: jset #0x4                     jt 24    jf 25\n"
		      "  24: jgt  x                        jt 26    jf 25\n"
		      "  25: ja   27\n"
		      "  26: ret  TRAP(2)\n"
		      "  27: ret  USER_NOTIF\n"
		      "  28: ret  LOG\n"
		      "  29: ret  TRACE(0)\n"
		      "  30: ret  KILL_THREAD\n"
		      "  31: ret  a\n"
		      "  32: mod  #3                                           ; not allowed in seccomp\n"
		      "  33: ldb  [1]                                          ; not allowed in seccomp\n"
		      "  34: .insn code=0xffff jt=1 jf=2 k=0x00000003          ; unknown opcode\n");
}

/* The arch check decides the names: syscalls per ABI, and which half of an argument a
 * big-endian ABI keeps at the lower address. Paths that merge lose what they knew. */
static void disasm_arches(void **state)
{
	const struct sock_filter p[] = {
		LD(OFF_ARCH),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 3),
		LD(OFF_NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 0, 6),  /* i386 execve */
		RET(SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_S390X, 0, 5),
		LD(OFF_NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 0, 2),  /* s390x execve */
		LD(OFF_ARG(0)),                                  /* the high word there */
		RET(SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 0, 0),  /* A is nr, the arch unknown */
		LD(OFF_NR),                                      /* A is unknown on entry */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 0, 0),
		RET(SECCOMP_RET_KILL_PROCESS),
	};

	(void)state;
	assert_disasm(p, N(p),
		      "   0: ld   [arch]\n"
		      "   1: jeq  #AUDIT_ARCH_I386         jt 2     jf 5\n"
		      "   2: ld   [nr]\n"
		      "   3: jeq  #11                      jt 4     jf 10      ; execve\n"
		      "   4: ret  ALLOW\n"
		      "   5: jeq  #AUDIT_ARCH_S390X        jt 6     jf 11\n"
		      "   6: ld   [nr]\n"
		      "   7: jeq  #11                      jt 8     jf 10      ; execve\n"
		      "   8: ld   [args[0].hi]\n"
		      "   9: ret  ALLOW\n"
		      "  10: jeq  #11                      jt 11    jf 11\n"
		      "  11: ld   [nr]\n"
		      "  12: jeq  #11                      jt 13    jf 13\n"
		      "  13: ret  KILL_PROCESS\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads),
		cmocka_unit_test(scratch_memory),
		cmocka_unit_test(alu),
		cmocka_unit_test(jumps),
		cmocka_unit_test(returns),
		cmocka_unit_test(a_policy),
		cmocka_unit_test(invalid_programs),
		cmocka_unit_test(too_long),
		cmocka_unit_test(memory_dataflow),
		cmocka_unit_test(unchecked_programs_fail_closed),
		cmocka_unit_test(action_names),
		cmocka_unit_test(disasm_policy),
		cmocka_unit_test(disasm_every_instruction),
		cmocka_unit_test(disasm_arches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
