/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "seccompose.h"

#define STR2(x) #x
#define STR(x)  STR2(x)

SC_EXPORT const char *sc_version(void)
{
	return STR(SC_VERSION_MAJOR) "." STR(SC_VERSION_MINOR) "." STR(SC_VERSION_MICRO);
}
