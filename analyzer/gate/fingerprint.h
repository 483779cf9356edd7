/* SPDX-License-Identifier: MIT */
/*
 * What makes a finding the same finding tomorrow: the rule, the member path relative to
 * the input's root, and the stable fact (the version needed, the missing SONAME, the
 * suffix, the architecture), never the message, which may be reworded. Baselines match
 * on it, and SARIF's partialFingerprints carry it (SARIF 2.1.0 §3.27.17).
 *
 * Ownership: fingerprint_fact() returns a string borrowed from the finding (or a static
 * ""); fingerprint_of() writes into the caller's buffer.
 */
#ifndef ANALYZER_FINGERPRINT_H
#define ANALYZER_FINGERPRINT_H

#include "finding.h"

#define FINGERPRINT_HEX 17 /* 16 hex digits and the NUL */

/** The part of what the rule found that survives a rebuild. */
const char *fingerprint_fact(const struct finding *f);

/** FNV-1a (64 bits) of rule id, path and fact, NUL-separated, as 16 hex digits. */
void fingerprint_of(const struct finding *f, char out[FINGERPRINT_HEX]);

/** The same from the three parts (what a baseline file holds). */
void fingerprint_parts(const char *rule, const char *path, const char *fact,
                       char out[FINGERPRINT_HEX]);

#endif
