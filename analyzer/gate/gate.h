/* SPDX-License-Identifier: MIT */
/*
 * The gate: what the CI gate does to a run's findings before they are reported. A
 * finding matched by a suppression of the configuration (rule, glob on the member path,
 * a reason, an optional last day) or by the baseline is set aside: it no longer counts
 * for the exit status, and the machine formats keep it, marked, with the reason. A
 * suppression past its last day no longer suppresses and says so (a warning); one that
 * matched nothing, and baseline entries no finding matched, are notes.
 *
 * Ownership: struct gate owns the findings set aside (moved out of the run's vector,
 * strings and all) and its notes and warnings; its marks borrow their strings from the
 * configuration and the baseline, which must outlive it. gate_release() frees what it
 * owns (a zeroed struct is valid).
 */
#ifndef ANALYZER_GATE_H
#define ANALYZER_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "baseline.h"
#include "config.h"
#include "diag.h"
#include "finding.h"
#include "strvec.h"

/* Why a finding was set aside. */
struct gate_mark {
    const char *kind;   /* "config" (a suppression) or "baseline" */
    const char *reason; /* the suppression's reason, or the baseline's file */
    const char *where;  /* "FILE:LINE" of the suppression, or the baseline's file */
};

struct gate {
    struct findings suppressed; /* sorted as the run's findings were */
    struct gate_mark *marks;    /* parallel to suppressed.items */
    size_t marks_alloc;
    struct strvec notes;    /* unmatched suppressions, baseline entries gone */
    struct strvec warnings; /* expired suppressions */
};

struct gate_rules {
    const struct config_suppression *suppress; /* NULL with --no-suppress */
    size_t suppress_nr;
    struct baseline *baseline; /* NULL without --baseline */
    long today;                /* days since 1970-01-01 (gate_today) */
};

/** Today, in days since 1970-01-01 UTC, from the tool's one clock (util/today.h:
 * $SOURCE_DATE_EPOCH when set, else the clock), as the deprecation rule sees it. */
int gate_today(long *out, struct diag *d);

/** Set aside the findings of fs the rules match (fs keeps its order, and the rest). */
void gate_apply(struct gate *g, struct findings *fs, const struct gate_rules *rules);

/**
 * gate_apply() in parts, for a run that gates each function as it is done: each part sets
 * aside what the rules match and counts, in hits (one per suppression, zeroed by the
 * caller), what each suppression matched; gate_finish() then says, once, which expired
 * and which matched nothing, and which baseline entries no part matched.
 */
void gate_apply_part(struct gate *g, struct findings *fs, const struct gate_rules *rules,
                     size_t *hits);
void gate_finish(struct gate *g, const struct gate_rules *rules, const size_t *hits);

/** Set aside every finding left in fs, as accepted for the reason given (--write-baseline). */
void gate_accept_all(struct gate *g, struct findings *fs, const char *kind, const char *reason,
                     const char *where);

void gate_release(struct gate *g);

#endif
