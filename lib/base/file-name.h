/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* file-name.h — file names into generated text. */
#ifndef SC_FILE_NAME_H
#define SC_FILE_NAME_H

#include <stdio.h>

/* A file name into a comment of an output (TOML, C): printable ASCII as is, other bytes and
 * the '/' of a "*\/" as \xNN, so that a name from outside can neither end the comment nor add
 * a line to the policy. */
void file_name_put(FILE *m, const char *name);

#endif
