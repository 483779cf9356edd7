/* SPDX-License-Identifier: MIT */
/*
 * A run whose inputs are container images takes its target from them: the Python the image
 * carries (or --runtime), the function's architecture, and the image's own C library, libstdc++
 * and libgcc_s in place of the runtime OS's (the target is the runtime's, or the
 * container image itself). For an image the runtime is the image.
 *
 * Ownership: the profile filled is the caller's, released with profile_release().
 */
#ifndef ANALYZER_IMAGE_TARGET_H
#define ANALYZER_IMAGE_TARGET_H

#include "diag.h"
#include "image.h"
#include "profile.h"

/**
 * When every input is a container image: their target into out, from the shipped profile of
 * their Python (runtime, when given, instead) and the function's architecture, with their
 * OS facts. Returns 0 with out filled; 1 when they give no target (an input is not an image,
 * or an image has no Python and runtime is NULL); -1 with d set when the images disagree or
 * no profile describes them.
 */
int image_target(struct profile *out, const struct image *img, const struct profiles *ps,
                 const char *runtime, struct diag *d);

#endif
