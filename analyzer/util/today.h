/* SPDX-License-Identifier: MIT */
/*
 * Today's date, for the rules that compare dates (a runtime's deprecation). A run is
 * reproducible: SOURCE_DATE_EPOCH (reproducible-builds.org), when set to a number of
 * seconds, is the moment; otherwise the clock. Ownership: the caller's buffer.
 */
#ifndef ANALYZER_TODAY_H
#define ANALYZER_TODAY_H

/** Write today's date, UTC, as "YYYY-MM-DD" into out (11 bytes). */
void today_iso(char out[11]);

#endif
