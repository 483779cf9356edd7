/* SPDX-License-Identifier: MIT */
/*
 * The gate as a run uses it: the configuration's suppressions (unless --no-suppress),
 * the baseline (--baseline), a new baseline written (--write-baseline), and what the
 * gate has to say on stderr (warnings for expired suppressions, notes for unused ones
 * and baseline entries gone). A run of several functions gates each one as it is done
 * (gate_run_part, in input order), and says once, at the end, what was never matched.
 *
 * Ownership: struct gate_run owns the run's gate (every part's findings set aside, taken
 * with gate_run_take()), the baseline it read and its counters; gate_run_release() frees
 * them (a zeroed struct is valid). The configuration is borrowed and must outlive it.
 */
#ifndef ANALYZER_GATE_RUN_H
#define ANALYZER_GATE_RUN_H

#include <stdbool.h>

#include "baseline.h"
#include "options.h"
#include "config.h"
#include "gate.h"

struct gate_run {
    struct gate gate; /* the run's: what every part set aside, in input order */
    struct baseline baseline;
    struct gate_rules rules;
    size_t *hits;   /* per suppression, what all parts matched */
    bool gated;     /* suppressions or a baseline in use */
    char *accepted; /* the reason given to findings accepted by --write-baseline */
};

/** Read the baseline and today's date: the gate every part of the run goes through. */
int gate_run_open(struct gate_run *g, const struct options *o, const struct config *cfg,
                  const char *rules_dir, struct diag *d);

/** Set aside what the gate matches in fs (one function's findings, sorted) into part. */
void gate_run_part(struct gate_run *g, struct findings *fs, struct gate *part);

/** Move part's findings into the run's gate, their inputs renumbered from input_base. */
void gate_run_take(struct gate_run *g, struct gate *part, size_t input_base);

/**
 * The run is done: print the gate's notes and warnings on stderr, and with
 * --write-baseline record every finding of all (the run's, sorted) as accepted.
 */
int gate_run_close(struct gate_run *g, struct findings *all, const struct options *o,
                   struct diag *d);

void gate_run_release(struct gate_run *g);

#endif
