/* SPDX-License-Identifier: MIT */
/*
 * The gate as a run uses it: the configuration's suppressions (unless --no-suppress),
 * the baseline (--baseline), a new baseline written (--write-baseline), and what the
 * gate has to say on stderr (warnings for expired suppressions, notes for unused ones
 * and baseline entries gone).
 *
 * Ownership: struct gating owns the gate and the baseline it read; gating_release()
 * frees both (a zeroed struct is valid). The configuration is borrowed and must outlive it.
 */
#ifndef ANALYZER_GATING_H
#define ANALYZER_GATING_H

#include <stdbool.h>

#include "baseline.h"
#include "cli.h"
#include "config.h"
#include "gate.h"

struct gating {
    struct gate gate;
    struct baseline baseline;
    bool gated;     /* suppressions or a baseline in use */
    char *accepted; /* the reason given to findings accepted by --write-baseline */
};

/** Apply the gate to fs (sorted), print its notes and warnings on stderr. */
int gating_run(struct gating *g, struct findings *fs, const struct options *o,
               const struct config *cfg, const char *rules_dir, struct diag *d);

void gating_release(struct gating *g);

#endif
