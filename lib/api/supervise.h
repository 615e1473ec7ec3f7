/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * supervise.h — what the supervisor (supervise.c) hands the policy widening of `run
 * --learn` (supervise-learn.c): the calls it let through, each once, with what people read
 * beside the rule it becomes.
 */
#ifndef SC_SUPERVISE_H
#define SC_SUPERVISE_H

#include <stddef.h>
#include <stdint.h>

#include "record/record.h"

/* A denied call as it was made: the check that the widened policy allows it. */
struct sv_call {
	const struct sc_arch *arch;
	uint32_t nr;
	uint64_t args[6];
	char *comment; /* "learned: openat(AT_FDCWD, \"/tmp/x\", O_WRONLY|O_CREAT) by 1234 prog" */
};

/* Counts of one syscall's denials, for the summary. */
struct sv_count {
	const struct sc_arch *arch;
	uint32_t nr;
	uint16_t err; /* the errno answered (the last one, report mode) */
	size_t n;
};

struct sc_supervision {
	enum sc_supervise_mode mode;
	struct sv_count *counts;
	size_t ncounts;
	size_t total;
	struct rec_set *set;   /* learn: the observations, narrowed by the capture table */
	struct sv_call *calls; /* learn: the first call of each observation, in set order */
	size_t ncalls;
	int status;            /* the command's wait status */
};

#endif
