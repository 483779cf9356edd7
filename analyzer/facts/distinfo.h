/* SPDX-License-Identifier: MIT */
/*
 * Python distribution metadata in a bundle: *.dist-info (METADATA, RECORD,
 * top_level.txt, WHEEL) and *.egg-info (PKG-INFO, top_level.txt), and which
 * distribution each member belongs to.
 *
 * Ownership: distributions are created in, and owned by, the image.
 */
#ifndef ANALYZER_DISTINFO_H
#define ANALYZER_DISTINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"

/** True for the metadata files this module reads (by path). */
bool distinfo_wants(const char *path);

/** Take in one metadata file's content (need not be NUL-terminated). */
void distinfo_add_file(struct image *img, size_t input, const char *path, const char *data,
                       size_t len);

/**
 * Point every member at its distribution: the one whose RECORD lists it,
 * else the one whose top-level names (or "<name>.libs") hold it.
 */
void distinfo_assign(struct image *img);

/** "pandas==0.22.0", "pandas" without a version, "<distribution>" for NULL. Caller frees. */
char *distinfo_requirement(const struct distribution *dist);

#endif
