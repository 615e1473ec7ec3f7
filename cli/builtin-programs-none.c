/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * builtin-programs-none.c — no built-in policy compiled at build time (a build that cannot
 * run what it builds, as a cross build): `run` loads and compiles them at start.
 */
#include "builtin-programs.h"

const struct builtin_program *const builtin_programs[] = { NULL };
const char builtin_programs_version[] = "";
