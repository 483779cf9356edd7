/* SPDX-License-Identifier: MIT */
/*
 * One run of the tool, from parsed options to an exit status: load the data,
 * scan the inputs, run the checks, emit the report.
 *
 * Ownership: everything the run allocates is released before it returns.
 */
#ifndef ANALYZER_RUN_H
#define ANALYZER_RUN_H

#include "cli.h"
#include "diag.h"

/** Returns the exit status (enum abiscan_exit); on ABISCAN_EXIT_TROUBLE d says why. */
int run_main(const struct options *o, struct diag *d);

#endif
