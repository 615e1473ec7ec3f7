/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * action.h — facts about actions beyond their names (which are public: sc_action_*).
 * One table in action.c holds them all.
 */
#ifndef SC_ACTION_H
#define SC_ACTION_H

#include "seccompose.h"

/* Does @type carry 16 bits of data in SECCOMP_RET_DATA (Errno's errno, Trace's message,
 * Trap's si_errno)? Only these take an errno_ret. */
bool action_carries_data(enum sc_action_type type);

/* The data @type has when the policy gives none: EPERM for Errno; as runc reads OCI
 * (@oci), EPERM for Trace as well, and only those two take errnoRet there. */
uint16_t action_default_data(enum sc_action_type type, bool oci);

/* Does a written policy (our TOML, OCI JSON) state @a's data? Always when it is not 0 or
 * some reader (ours or runc's) would default it to something else: Errno and Trace say
 * theirs; a Trap's 0 (si_errno) goes unsaid. */
bool action_data_written(struct sc_action a);

/* Action names close to @word, for "did you mean": OCI's (SCMP_ACT_*) when @oci, else ours
 * and then OCI's, each in the order people are shown them. Same contract as sc_suggest(). */
size_t action_suggest(const char *word, bool oci, const char **ret_best, size_t max);
/* Our names for a hint, in the order people are shown them: "Allow, Log, … or KillProcess". */
const char *action_list(char *buf, size_t len);

#endif
