/* SPDX-License-Identifier: MIT */
/*
 * The settings a run uses: the command line over the repository's configuration
 * (.abiscan.yaml, found upwards to the repository root, or --config FILE; none with
 * --no-config). What the command line gives wins; what it leaves out, the file may say.
 *
 * Ownership: config_apply() fills out with copies of cli's strvecs (or of the
 * configuration's paths) that out owns (options_release()); out's other strings are
 * borrowed from cli (argv) or from cfg, which must outlive out. cfg is the caller's
 * (config_release()).
 */
#ifndef ANALYZER_CONFIG_APPLY_H
#define ANALYZER_CONFIG_APPLY_H

#include "options.h"
#include "config.h"
#include "datadir.h"
#include "diag.h"

/** Load the configuration (unless --no-config) into cfg and merge it with cli into out. */
int config_apply(struct options *out, struct config *cfg, const struct options *cli,
                 const struct datadir *dd, struct diag *d);

#endif
