/* SPDX-License-Identifier: MIT */
/*
 * A list of names read from a file or stdin (--files-from): one a line, or separated by
 * NUL bytes (-0, what `find -print0` writes, for names that hold a newline). Empty
 * entries are skipped. The list is bounded, so that /dev/zero or a binary file is an
 * error, never a hang: at most LISTFILE_MAX_ENTRIES entries (empty ones counted), each at
 * most LISTFILE_MAX_NAME bytes; a NUL inside a line is an error (use -0).
 *
 * Ownership: the names are pushed onto the caller's strvec, which owns them.
 */
#ifndef ANALYZER_LISTFILE_H
#define ANALYZER_LISTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "strvec.h"

#define LISTFILE_MAX_ENTRIES 1000000
#define LISTFILE_MAX_NAME 4096

/** Read the names of path ("-": stdin) into out; errors name the file and the entry. */
int listfile_read(struct strvec *out, const char *path, bool nul, struct diag *d);

/** The same from an open stream; name is what errors call it. */
int listfile_read_stream(struct strvec *out, FILE *in, const char *name, bool nul, struct diag *d);

#endif
