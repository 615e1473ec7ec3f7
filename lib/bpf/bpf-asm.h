/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-asm.h — classic BPF assembled with symbolic jump targets, then laid out (bpf-gen.c's
 * back end).
 *
 * The generator writes the program in execution order with targets that name a label, the
 * next instruction, or "return this value" — never an offset. Loads say what A must hold;
 * the assembler skips a load when every path reaching it already left that word in A.
 * asm_link() then lays the program out from its end backwards, where every target is
 * already placed: each distinct return value gets one `ret` that jumps share, copied only
 * when a conditional jump (8-bit offset, ≤ 255 forward) would no longer reach it, and a
 * label out of reach gets a `ja` trampoline.
 *
 *	struct bpf_asm as = { 0 };
 *	size_t other = asm_label(&as);
 *	asm_load(&as, offsetof(struct seccomp_data, nr), UINT32_MAX);
 *	asm_jump(&as, BPF_JEQ, 39, asm_ret(SECCOMP_RET_ALLOW), asm_to(other));
 *	asm_place(&as, other);
 *	asm_goto(&as, asm_ret(SECCOMP_RET_KILL_PROCESS));
 *	asm_link(&as, &prog, &len);
 */
#ifndef SC_BPF_ASM_H
#define SC_BPF_ASM_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

enum asm_target_kind { ASM_NEXT, ASM_LABEL, ASM_RET };

struct asm_target {
	uint8_t kind;  /* enum asm_target_kind */
	uint32_t v;    /* the label, or the value returned */
};

static inline struct asm_target asm_next(void)
{
	return (struct asm_target){ ASM_NEXT, 0 };
}

static inline struct asm_target asm_to(size_t label)
{
	return (struct asm_target){ ASM_LABEL, (uint32_t)label };
}

static inline struct asm_target asm_ret(uint32_t value)
{
	return (struct asm_target){ ASM_RET, value };
}

/* What A holds: unreached (no path gets here yet), a known masked word, or unknown. */
enum asm_a_kind { ASM_A_UNREACHED, ASM_A_WORD, ASM_A_UNKNOWN };

struct asm_a {
	uint8_t kind;
	uint32_t off, mask; /* ASM_A_WORD: A == word at off & mask */
};

struct asm_insn {
	uint16_t code;
	uint32_t k;
	struct asm_target jt, jf; /* jumps; a `ja` uses jt */
};

struct bpf_asm {
	struct asm_insn *insn;
	size_t n, cap;
	size_t *label_at;     /* label → instruction index, SIZE_MAX while unplaced */
	struct asm_a *label_a; /* what A holds on the jumps to each label */
	size_t nlabels, caplabels;
	struct asm_a a;       /* what A holds here, on the fall-through path */
};

size_t asm_label(struct bpf_asm *as);
void asm_place(struct bpf_asm *as, size_t label);
/* A = (word at @off) & @mask, skipping what A already holds. */
void asm_load(struct bpf_asm *as, uint32_t off, uint32_t mask);
/* The state after a load that asm_load would have skipped: A is known to hold this word. */
void asm_assume(struct bpf_asm *as, uint32_t off, uint32_t mask);
/* `j<op> #k` (op: BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET). */
void asm_jump(struct bpf_asm *as, uint16_t op, uint32_t k, struct asm_target jt,
	      struct asm_target jf);
void asm_goto(struct bpf_asm *as, struct asm_target t);
/* Lay out: 0 with a malloc'd program, or -EINVAL (internal error: a target never placed,
 * a path running off the end). The length may exceed BPF_MAXINSNS; the caller decides. */
int asm_link(const struct bpf_asm *as, struct sock_filter **ret, size_t *ret_len);
/* The longest path from the first instruction to a return, in instructions executed
 * (the `ret` counted; `ja`s counted as none, as asm_link mostly lays them out). */
size_t asm_longest(const struct bpf_asm *as);
/* The same from instruction @start on, for code written after @start that jumps to no label
 * placed before it. */
size_t asm_longest_from(const struct bpf_asm *as, size_t start);
/* Where the program ends now, to write code on trial (to measure it) and take it back: the
 * memory stays, so the real code reuses it. */
struct asm_mark {
	size_t n, nlabels;
	struct asm_a a;
};
struct asm_mark asm_mark(const struct bpf_asm *as);
void asm_rewind(struct bpf_asm *as, struct asm_mark m);
void asm_free(struct bpf_asm *as);

#endif
