/* SPDX-License-Identifier: MIT */
/*
 * Severities: what a rule's finding weighs (the catalogue's default, a check's choice)
 * and the --fail-on threshold. Ownership: names are static strings.
 */
#ifndef ANALYZER_SEVERITY_H
#define ANALYZER_SEVERITY_H

enum severity { SEV_NOTE = 0, SEV_WARNING, SEV_ERROR, SEV_NONE };

/** "note", "warning", "error", "none". */
const char *severity_name(enum severity sev);

/** Parse a severity name; returns SEV_NONE + 1 when unknown. */
int severity_parse(const char *name);

#endif
