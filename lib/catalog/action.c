/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * action.c — the actions: names people write, values the kernel returns.
 *
 * One table, searched by every spelling and by value, with what each action's data means.
 * Ordered by precedence, which is enum sc_action_type's order (tests/unit/test-action.c
 * checks it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog/action.h"
#include "base/seccomp-compat.h"
#include "seccompose.h"
#include "base/suggest.h"

static const struct {
	enum sc_action_type type;
	const char *name;     /* ours */
	const char *oci;      /* runtime-spec / libseccomp */
	const char *aliases;  /* other accepted spellings, space separated */
	uint32_t ret;
	bool data;            /* the kernel returns SECCOMP_RET_DATA with it (errno, message) */
	uint16_t def_data;    /* data when a policy gives none: Errno's EPERM */
	uint16_t oci_def_data; /* the same as runc reads OCI: its getAction gives Trace EPERM too */
} actions[] = {
	{ SC_ACT_KILL_PROCESS, "KillProcess", "SCMP_ACT_KILL_PROCESS", "kill_process", SECCOMP_RET_KILL_PROCESS, false, 0, 0 },
	{ SC_ACT_KILL_THREAD,  "KillThread",  "SCMP_ACT_KILL_THREAD", "kill_thread Kill SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD, false, 0, 0 },
	{ SC_ACT_TRAP,         "Trap",        "SCMP_ACT_TRAP", "", SECCOMP_RET_TRAP, true, 0, 0 },
	{ SC_ACT_ERRNO,        "Errno",       "SCMP_ACT_ERRNO", "", SECCOMP_RET_ERRNO, true, EPERM, EPERM },
	{ SC_ACT_USER_NOTIF,   "Notify",      "SCMP_ACT_NOTIFY", "UserNotif user_notif", SECCOMP_RET_USER_NOTIF, false, 0, 0 },
	{ SC_ACT_TRACE,        "Trace",       "SCMP_ACT_TRACE", "", SECCOMP_RET_TRACE, true, 0, EPERM },
	{ SC_ACT_LOG,          "Log",         "SCMP_ACT_LOG", "", SECCOMP_RET_LOG, false, 0, 0 },
	{ SC_ACT_ALLOW,        "Allow",       "SCMP_ACT_ALLOW", "", SECCOMP_RET_ALLOW, false, 0, 0 },
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* The order lists shown to people name the actions in (hints, suggestions on a tie): the
 * ones policies use most first. */
static const enum sc_action_type shown[] = {
	SC_ACT_ALLOW, SC_ACT_LOG, SC_ACT_ERRNO, SC_ACT_TRAP,
	SC_ACT_TRACE, SC_ACT_USER_NOTIF, SC_ACT_KILL_THREAD, SC_ACT_KILL_PROCESS,
};
_Static_assert(sizeof(shown) / sizeof(shown[0]) == N_ACTIONS, "every action is shown once");

SC_EXPORT int sc_action_parse(const char *name, enum sc_action_type *ret)
{
	for (size_t i = 0; name && i < N_ACTIONS; i++)
		if (strcasecmp(name, actions[i].name) == 0 || strcasecmp(name, actions[i].oci) == 0 ||
		    words_contain(actions[i].aliases, name)) {
			*ret = actions[i].type;
			return 0;
		}
	return -EINVAL;
}

bool action_carries_data(enum sc_action_type type)
{
	return (unsigned)type < N_ACTIONS && actions[type].data;
}

uint16_t action_default_data(enum sc_action_type type, bool oci)
{
	if ((unsigned)type >= N_ACTIONS)
		return 0;
	return oci ? actions[type].oci_def_data : actions[type].def_data;
}

bool action_data_written(struct sc_action a)
{
	return action_carries_data(a.type) &&
	       (a.data || action_default_data(a.type, false) || action_default_data(a.type, true));
}

SC_EXPORT const char *sc_action_name(enum sc_action_type type)
{
	return (unsigned)type < N_ACTIONS ? actions[type].name : "?";
}

SC_EXPORT const char *sc_action_oci_name(enum sc_action_type type)
{
	return (unsigned)type < N_ACTIONS ? actions[type].oci : "?";
}

SC_EXPORT uint32_t sc_action_to_ret(struct sc_action a)
{
	uint32_t r = (unsigned)a.type < N_ACTIONS ? actions[a.type].ret : SECCOMP_RET_KILL_PROCESS;
	return action_carries_data(a.type) ? r | (a.data & SECCOMP_RET_DATA) : r;
}

SC_EXPORT struct sc_action sc_action_from_ret(uint32_t ret)
{
	uint32_t full = ret & SECCOMP_RET_ACTION_FULL;
	struct sc_action a = { SC_ACT_KILL_PROCESS, 0 };

	for (size_t i = 0; i < N_ACTIONS; i++)
		if (actions[i].ret == full) {
			a.type = actions[i].type;
			if (actions[i].data)
				a.data = (uint16_t)(ret & SECCOMP_RET_DATA);
			return a;
		}
	return a;
}

/* The errno name for @value (EPERM for 1), the one constants.list lists first for an
 * Errno action's data (EOPNOTSUPP, not ENOTSUP, for 95). */
static const struct sc_constant *errno_constant(uint64_t value)
{
	return sc_constant_for_value("action", "errno", value);
}

SC_EXPORT const char *sc_action_format(struct sc_action a, char *buf, size_t len)
{
	const struct sc_constant *c;

	switch (a.type) {
	case SC_ACT_ERRNO:
		c = errno_constant(a.data);
		if (c)
			snprintf(buf, len, "Errno(%s)", c->name);
		else
			snprintf(buf, len, "Errno(%u)", a.data);
		break;
	case SC_ACT_TRACE:
	case SC_ACT_TRAP:
		snprintf(buf, len, "%s(%u)", sc_action_name(a.type), a.data);
		break;
	case SC_ACT_KILL_PROCESS:
	case SC_ACT_KILL_THREAD:
	case SC_ACT_USER_NOTIF:
	case SC_ACT_LOG:
	case SC_ACT_ALLOW:
	default:
		snprintf(buf, len, "%s", sc_action_name(a.type));
		break;
	}
	return buf;
}

size_t action_suggest(const char *word, bool oci, const char **ret_best, size_t max)
{
	struct suggest s;

	if (!word)
		return 0;
	suggest_init(&s, word);
	for (size_t i = 0; !oci && i < N_ACTIONS; i++)
		suggest_add(&s, actions[shown[i]].name);
	for (size_t i = 0; i < N_ACTIONS; i++)
		suggest_add(&s, actions[shown[i]].oci);
	return suggest_done(&s, ret_best, max);
}

const char *action_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_ACTIONS && used < len; i++) {
		int k = snprintf(buf + used, len - used, "%s%s",
				 i == 0 ? "" : i + 1 < N_ACTIONS ? ", " : " or ", actions[shown[i]].name);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	return buf;
}
