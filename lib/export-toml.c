/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* export-toml.c — placeholder until the TOML writer lands (see export.h). */
#include <errno.h>

#include "export.h"

int export_toml(const struct sc_filter *f, char **ret_buf, size_t *ret_len, struct sc_diag *reterr)
{
	(void)f;
	(void)ret_buf;
	(void)ret_len;
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "TOML output is not available yet");
	return -ENOTSUP;
}
