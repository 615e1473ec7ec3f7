/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cli.h"
int cmd_intersect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return EXIT_USAGE;
}
