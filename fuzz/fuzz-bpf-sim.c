/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-bpf-sim — lib/bpf/bpf-sim.c on arbitrary programs.
 *
 * Input: a struct seccomp_data (64 bytes, zero-padded when the input is shorter), then
 * struct sock_filter instructions (8 bytes each, host order; a trailing partial one is
 * dropped). The validator, the interpreter and the disassembler must never crash, and:
 * what the validator accepts the disassembler prints without an "unknown opcode" or
 * "not allowed" mark (the two read one opcode table). The interpreter runs unchecked
 * programs too: it promises to fail closed on them rather than read out of bounds.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/bpf-sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-bpf-sim: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_data d;
	struct sock_filter *prog;
	size_t n, textlen = 0;
	char err[256], name[64], *text = NULL;
	FILE *m;
	bool valid;

	memset(&d, 0, sizeof(d));
	memcpy(&d, data, size < sizeof(d) ? size : sizeof(d));
	n = size > sizeof(d) ? (size - sizeof(d)) / sizeof(*prog) : 0;
	/* A copy, so the sanitizer sees reads past the program and alignment is right. */
	prog = malloc(n ? n * sizeof(*prog) : 1);
	if (!prog)
		return 0;
	if (n)
		memcpy(prog, data + sizeof(d), n * sizeof(*prog));

	valid = bpf_sim_check(prog, n, err, sizeof(err)) == 0;
	check(valid || err[0] != '\0', "a refusal without a message");
	bpf_action_name(bpf_sim_run(prog, n, &d), name, sizeof(name));

	m = open_memstream(&text, &textlen);
	if (m) {
		check(bpf_disasm(prog, n, m) == 0, "the disassembler failed");
		fclose(m);
		if (valid)
			check(!strstr(text, "unknown opcode") && !strstr(text, "not allowed"),
			      "the disassembler marks an instruction the validator accepted");
		free(text);
	}
	free(prog);
	return 0;
}
