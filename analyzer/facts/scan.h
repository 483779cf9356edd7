/* SPDX-License-Identifier: MIT */
/*
 * Orchestration of the reading phase: bundle -> classify -> elfinfo and
 * dist-info -> image. Reads only what each member's role needs.
 *
 * Ownership: the image is the caller's; scan_input() adds to it.
 */
#ifndef ANALYZER_SCAN_H
#define ANALYZER_SCAN_H

#include "diag.h"
#include "image.h"
#include "pyname.h"

struct bundle_limits; /* input/bundle.h: the caller, who sets them, includes it */

/**
 * Read every entry of the input at path into img. Returns -1 with d set only
 * when the input itself cannot be read; a bad member becomes a member with a
 * problem (a finding later), never an error.
 */
int scan_input(struct image *img, const char *path, enum input_role role,
               const struct bundle_limits *limits, const struct pyname *g, struct diag *d);

/** After the last input: tie members to their distributions. */
void scan_finish(struct image *img);

#endif
